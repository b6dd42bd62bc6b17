#!/usr/bin/python3
"""Generate rules/world.tsv, kgraph's gazetteer of the world's places.

Usage:
    python3 rules/make_world.py CLDR_NAMES CLDR_DATES [-o FILE]

CLDR_NAMES and CLDR_DATES are the unpacked npm packages cldr-localenames-modern
and cldr-dates-modern (Unicode CLDR 45, Unicode License v3; fetch them with
`npm pack cldr-localenames-modern cldr-dates-modern` and untar). Also read:
Debian's iso-codes (/usr/share/iso-codes/json/iso_3166-1.json and the zh_CN
translations /usr/share/locale/zh_CN/LC_MESSAGES/iso_3166-1.mo, LGPL-2.1+),
and rules/places.tsv, rules/regions.tsv and rules/lexicon.txt beside this
script.

Output lines (UTF-8, tab-separated, sorted by kind and code):
    place  CANONICAL  ^CANONICAL|^ALIAS|...  level=country;code=US
    place  CANONICAL  CANONICAL            level=world-region;code=150
    place  CANONICAL  CANONICAL            level=world-city;zone=America/Los_Angeles
    organization 欧盟 ...                  (CLDR's EU and UN are bodies, not places)

- Countries and territories: CLDR's Chinese name (美国), its short and variant
  forms, and iso-codes' Chinese official name (美利坚合众国). China itself is
  中国; its provinces, Hong Kong, Macao and Taiwan are in places.tsv already.
- World regions: CLDR's numeric territories (欧洲, 东南亚, 拉丁美洲), not 世界.
- Major foreign cities: CLDR's time-zone exemplar cities (洛杉矶, 法兰克福),
  outside China.
Dropped: any name places.tsv or regions.tsv already has, a city's name that
is also a country's (安道尔), any name given to two entries of one kind, and names that are ordinary words in the lexicon (not proper
nouns), such as 开曼 would be if jieba called it a verb.

Standard library only; the output depends on nothing but the input files.
"""

import argparse
import gettext
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ISO_JSON = "/usr/share/iso-codes/json/iso_3166-1.json"
ISO_MO = "/usr/share/locale/zh_CN/LC_MESSAGES/iso_3166-1.mo"
CHINA_PARTS = {"HK", "MO", "TW"}           # in places.tsv with their divisions
BODIES = {"EU": "organization", "UN": "organization"}
SKIP_REGIONS = {"001", "QO", "XA", "XB", "ZZ"}
CHINA_ZONES = {"Asia/Shanghai", "Asia/Urumqi", "Asia/Hong_Kong", "Asia/Macau", "Asia/Taipei"}


def known_names():
    """Every alias of places.tsv and regions.tsv."""
    names = set()
    for f in ("places.tsv", "regions.tsv"):
        for line in open(os.path.join(HERE, f), encoding="utf-8"):
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            names.update(a.lstrip("~") for a in cols[2].split("|"))
    return names


def common_words():
    """Lexicon words that are no proper nouns (jieba's nr ns nt nz nrt nrfg j)."""
    common = set()
    for line in open(os.path.join(HERE, "lexicon.txt"), encoding="utf-8"):
        if line.startswith("#"):
            continue
        word, _, pos = line.rstrip("\n").split("\t")
        if pos not in ("nr", "ns", "nt", "nz", "nrt", "nrfg", "j"):
            common.add(word)
    return common


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("cldr_names")
    ap.add_argument("cldr_dates")
    ap.add_argument("-o", "--output")
    a = ap.parse_args()

    territories = json.load(open(os.path.join(a.cldr_names, "main/zh/territories.json"),
                                 encoding="utf-8"))["main"]["zh"]["localeDisplayNames"]["territories"]
    zones = json.load(open(os.path.join(a.cldr_dates, "main/zh/timeZoneNames.json"),
                           encoding="utf-8"))["main"]["zh"]["dates"]["timeZoneNames"]["zone"]
    iso = json.load(open(ISO_JSON, encoding="utf-8"))["3166-1"]
    zh = gettext.GNUTranslations(open(ISO_MO, "rb"))

    entries = []  # (kind order, code, type, canonical, [aliases], attrs)
    for code, name in territories.items():
        if "-alt-" in code or code in SKIP_REGIONS or code in CHINA_PARTS:
            continue
        aliases = [name] + [v for k, v in territories.items() if k.startswith(code + "-alt-")]
        if code.isdigit():
            entries.append((1, code, "place", name, aliases, f"level=world-region;code={code}"))
        elif code in BODIES:
            entries.append((0, code, BODIES[code], name, aliases, f"code={code}"))
        else:
            entries.append((0, code, "place", name, aliases, f"level=country;code={code}"))
    by_code = {e[1]: e for e in entries}
    for country in iso:
        e = by_code.get(country["alpha_2"])
        if not e:
            continue
        for key in ("name", "official_name", "common_name"):
            if key in country:
                t = zh.gettext(country[key])
                if t != country[key]:
                    e[4].append(t)

    def walk(node, path):
        if isinstance(node, dict):
            if "exemplarCity" in node:
                yield path, node["exemplarCity"]
            for k, v in node.items():
                if k != "exemplarCity":
                    yield from walk(v, path + [k])
    for path, city in walk(zones, []):
        zone = "/".join(path)
        if zone in CHINA_ZONES or path[0] == "Etc":
            continue
        entries.append((2, zone, "place", city, [city], f"level=world-city;zone={zone}"))

    taken = known_names()
    common = common_words()
    # a name two entries give: the country's over the region's over the
    # city's (安道尔 is the country, not its capital); between equals, nobody's
    owners = {}
    for e in entries:
        for alias in set(e[4]):
            owners.setdefault(alias, []).append(e[0])
    def claimed_by_other(alias, order):
        ranks = owners[alias]
        return min(ranks) < order or ranks.count(min(ranks)) > 1
    out = open(a.output, "w", encoding="utf-8", newline="\n") if a.output else sys.stdout
    out.write(
        "# Generated by rules/make_world.py from Unicode CLDR 45 (npm cldr-localenames-modern,\n"
        "# cldr-dates-modern; Unicode License v3) and Debian's iso-codes (ISO 3166-1 with\n"
        "# zh_CN translations; LGPL-2.1+). Do not edit by hand: change the script and rerun.\n")
    kept = dropped = 0
    for order, code, typ, canon, aliases, attrs in sorted(entries, key=lambda e: (e[0], e[1])):
        good = []
        for alias in dict.fromkeys(aliases):
            if alias in taken or claimed_by_other(alias, order) or alias in common or len(alias) < 2:
                print(f"make_world: dropped {alias} ({code})", file=sys.stderr)
                dropped += 1
            else:
                good.append(alias)
        if not good:
            continue
        canon = canon if canon in good else good[0]
        # ^: a country before a noun modifies it (中国企业, 美国加州鲈鱼): no place
        # (the guidelines count a country only where it is used as a place)
        marked = good if typ != "place" else ["^" + g for g in good]
        out.write(f"{typ}\t{canon}\t{'|'.join(marked)}\t{attrs}\n")
        kept += 1
    print(f"make_world: {kept} entries, {dropped} names dropped", file=sys.stderr)


if __name__ == "__main__":
    main()
