#!/bin/sh
# tests/e2e_input.sh: what kgraph does with awkward and bad input (the
# table in docs/cli.md, "Bad input"): encodings, BOMs, line ends, binary
# and empty files, DOT keywords and very long names, unreadable files, a
# full disk, a 200 MB line (KGRAPH_TEST_BIG_MB sets the size) and a
# million-entry gazetteer. Prints "ok NAME" or "FAIL NAME: why" per test and ends
# with "input: N passed, N failed". Needs ./kgraph, iconv (libc-bin) and
# python3.

ROOT=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$ROOT" || exit 2
. tests/lib.sh
ARTICLE=tests/data/encoding/article.txt

# The article's mentions, file name and offsets left out: what every
# encoding of it must give.
"$K" mentions "$ARTICLE" 2>/dev/null | cut -f 4- >"$T/want"

# same_mentions FILE [OPTIONS…]: FILE gives the article's mentions, and
# each mention's byte span, decoded as the file's encoding, is its surface.
# ENC names the encoding for Python.
same_mentions() {
    file=$1
    shift
    kg mentions "$@" "$file" || true
    [ "$rc" = 0 ] || no "exit $rc: $(first_line "$T/err")" || return 1
    [ -s "$T/want" ] || no "the UTF-8 article has no mentions" || return 1
    cut -f 4- "$T/out" | cmp -s - "$T/want" || no "mentions differ from the UTF-8 file's: $(first_line "$T/out")" || return 1
    spans_are_surfaces "$file"
}

# spans_are_surfaces FILE: each mention in $T/out, its byte span decoded as
# ENC (Python's name), is its surface.
spans_are_surfaces() {
    "$PY" - "$1" "$ENC" "$T/out" >"$T/py.out" 2>&1 <<'EOF' || no "$(tail -n 1 "$T/py.out")"
import sys, unicodedata
data = open(sys.argv[1], 'rb').read()
for line in open(sys.argv[3], encoding='utf-8'):
    _, start, end, _, _, surface = line.rstrip('\n').split('\t')
    text = data[int(start):int(end)].decode(sys.argv[2])
    text = unicodedata.normalize('NFKC', text).replace('\r', '').replace('\n', '')
    assert text == surface, 'bytes %s-%s are %r, not %r' % (start, end, text, surface)
EOF
}

# encoded ENCODING NAME: the article in ENCODING, as $T/NAME
encoded() { iconv -f UTF-8 -t "$1" "$ARTICLE" >"$T/$2"; }

t_utf8() { ENC=utf-8 same_mentions "$ARTICLE"; }

t_utf8_bom() {
    printf '\357\273\277' >"$T/bom.txt" && cat "$ARTICLE" >>"$T/bom.txt"
    ENC=utf-8-sig same_mentions "$T/bom.txt" || return 1
    # offsets count the BOM: the first mention starts 3 bytes later
    a=$("$K" mentions "$ARTICLE" | head -n 1 | cut -f 2)
    b=$("$K" mentions "$T/bom.txt" | head -n 1 | cut -f 2)
    [ "$b" = $((a + 3)) ] || no "first mention at $b, expected $((a + 3))"
}

t_gb18030_guessed() { encoded GB18030 gb.txt && ENC=gb18030 same_mentions "$T/gb.txt"; }
t_gbk_guessed() { encoded GBK gbk.txt && ENC=gbk same_mentions "$T/gbk.txt"; }
t_gb18030_given() { encoded GB18030 gb.txt && ENC=gb18030 same_mentions "$T/gb.txt" --encoding gb18030; }

t_utf16le_bom() {
    printf '\377\376' >"$T/u16.txt" && iconv -f UTF-8 -t UTF-16LE "$ARTICLE" >>"$T/u16.txt"
    ENC=utf-16 same_mentions "$T/u16.txt"
}

t_utf16be_no_bom() { encoded UTF-16BE u16be.txt && ENC=utf-16-be same_mentions "$T/u16be.txt"; }
t_utf16le_no_bom() { encoded UTF-16LE u16le.txt && ENC=utf-16-le same_mentions "$T/u16le.txt"; }

t_big5_needs_encoding() {
    # Big5 is not guessed (it would pass for GB18030 too often): refused,
    # naming the file and byte and suggesting --encoding; then read with it
    iconv -f UTF-8 -t BIG5 -c "$ARTICLE" >"$T/big5.txt" 2>/dev/null
    kg mentions "$T/big5.txt"
    [ "$rc" = 1 ] && [ ! -s "$T/out" ] || no "exit $rc, output: $(first_line "$T/out")" || return 1
    grep -q "big5.txt: invalid UTF-8 at byte [0-9]* .*--encoding" "$T/err" ||
        no "stderr: $(first_line "$T/err")" || return 1
    kg mentions --encoding big5 "$T/big5.txt"
    [ "$rc" = 0 ] && [ -s "$T/out" ] || no "--encoding big5: exit $rc, $(first_line "$T/err")"
}

t_unknown_encoding() {
    kg build --encoding klingon "$ARTICLE"
    [ "$rc" = 2 ] && grep -q "unknown encoding 'klingon'" "$T/err" || no "exit $rc: $(first_line "$T/err")" || return 1
    # '' is iconv's name for the locale's encoding: it was taken, and every
    # file then failed "not valid  at byte 1"
    kg build --encoding '' "$ARTICLE"
    [ "$rc" = 2 ] && grep -q "unknown encoding ''" "$T/err" || no "--encoding '': exit $rc: $(first_line "$T/err")"
}

t_utf16_bom_invalid() {
    # a UTF-16 file (its BOM says so) with a lone surrogate: the error is
    # UTF-16's, at the surrogate, not "invalid UTF-8 at byte 0"
    printf '\377\376\064\165\000\330\064\165' >"$T/bad16.txt"
    kg mentions "$T/bad16.txt"
    [ "$rc" = 1 ] && grep -q "bad16.txt: not valid UTF-16LE at byte 4" "$T/err" ||
        no "exit $rc: $(first_line "$T/err")"
}

t_rules_from_a_pipe() {
    # -r <(…): inputs took process substitution, rule files said "No such file"
    printf 'entity company 魏桥创业集团\n' >"$T/pipe.rules"
    mkfifo "$T/fifo.rules"
    cat "$T/pipe.rules" >"$T/fifo.rules" &
    kg mentions "$ARTICLE" --no-default-rules -r "$T/fifo.rules"
    wait
    [ "$rc" = 0 ] && grep -q "魏桥创业集团" "$T/out" || no "exit $rc: $(first_line "$T/err")"
}

t_wrong_encoding_given() {
    # UTF-8 read as GB18030 by request: an error naming the byte, or text; never a crash
    encoded UTF-16LE u16le.txt
    kg mentions --encoding gb18030 "$T/u16le.txt"
    [ "$rc" = 1 ] && grep -q "u16le.txt: not valid gb18030 at byte [0-9]" "$T/err" ||
        no "exit $rc: $(first_line "$T/err")"
}

t_line_ends() {
    # CR LF and lone CR read as LF does
    sed 's/$/\r/' "$ARTICLE" >"$T/crlf.txt"
    tr '\n' '\r' <"$ARTICLE" >"$T/cr.txt"
    for f in crlf cr; do
        "$K" mentions "$T/$f.txt" | cut -f 4- | cmp -s - "$T/want" || no "$f: mentions differ" || return 1
    done
}

t_binary_refused() {
    printf 'PK\003\004\000\000binary' >"$T/x.txt"
    kg build "$T/x.txt" -o "$T/x.json"
    [ "$rc" = 1 ] && grep -q "x.txt: " "$T/err" && [ ! -e "$T/x.json" ] ||
        no "exit $rc: $(first_line "$T/err")"
}

t_empty_file() {
    : >"$T/empty.txt"
    kg build "$T/empty.txt" -f json
    [ "$rc" = 0 ] || no "exit $rc: $(first_line "$T/err")" || return 1
    "$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d["nodes"] == [] and d["links"] == [] and d["graph"]["documents"] == 1, d' "$T/out" ||
        no "not an empty graph of one document"
}

t_dot_keywords_as_names() {
    # names that are DOT keywords are quoted: dot reads the graph back
    printf 'organization\tnode\tnode\norganization\tgraph\tgraph\norganization\tSubGraph\tSubGraph\ncompany\tstrict\tstrict\n' >"$T/kw.tsv"
    printf 'node与graph在strict会见SubGraph。\n' >"$T/kw.txt"
    kg build "$T/kw.txt" -r "$T/kw.tsv" --no-default-rules -f dot || true
    [ "$rc" = 0 ] || no "exit $rc: $(first_line "$T/err")" || return 1
    [ "$(dot -Tcanon "$T/out" 2>"$T/dot.err" | gc -n -e | awk '{print $1, $2}')" = "4 6" ] ||
        no "dot read back: $(first_line "$T/dot.err")"
}

t_long_name() {
    # a 20,000-character name, longer than any sentence around it, and one
    # holding a sentence end: found whole; its window is where it starts
    name=$("$PY" -c 'print("山东" + "长" * 20000 + "有限公司")')
    printf 'company\t%s\t%s\ncompany\t甲。乙公司\t甲。乙公司\n' "$name" "$name" >"$T/long.tsv"
    printf '%s与滨州市合作。甲。乙公司在德州市。\n' "$name" >"$T/long.txt"
    kg build "$T/long.txt" -r "$T/long.tsv" -f json || true
    [ "$rc" = 0 ] || no "exit $rc: $(first_line "$T/err")" || return 1
    "$PY" - "$T/out" >"$T/py.out" 2>&1 <<'PY' || no "$(tail -n 1 "$T/py.out")"
import json, sys
d = json.load(open(sys.argv[1]))
ids = [n['id'] for n in d['nodes']]
assert any(len(i) == 20006 for i in ids), 'no 20,006-character node'
assert '甲。乙公司' in ids, ids
pairs = {frozenset((l['source'], l['target'])) for l in d['links']}
assert frozenset(('甲。乙公司', '德州市')) not in pairs, 'linked across the sentence it starts in'
PY
}

t_unreadable_file_in_folder() {
    # as an unprivileged user (root reads anything): the file is named,
    # the run fails, and no output is written
    command -v setpriv >/dev/null || no "setpriv (util-linux) is missing" || return 1
    d=$(mktemp -d /tmp/kgraph-perm.XXXXXX) || return 1
    cp "$ARTICLE" "$d/a.txt" && cp "$ARTICLE" "$d/b.txt" && chmod 000 "$d/b.txt" && chmod 777 "$d"
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$K" build "$d" -o "$d/out.json" \
        >"$T/out" 2>"$T/err"
    rc=$?
    left=$(ls -A "$d" | tr '\n' ' ')
    rm -rf "$d"
    [ "$rc" = 1 ] && grep -q "b.txt: cannot open: Permission denied" "$T/err" ||
        no "exit $rc: $(first_line "$T/err")" || return 1
    [ "$left" = "a.txt b.txt " ] || no "left behind: $left"
}

t_full_disk() {
    # a write that fails (a file size limit stands in for a full disk;
    # SIGXFSZ ignored, so the write returns EFBIG as on a full disk) keeps
    # the old graph and leaves no temporary file
    mkdir -p "$T/full" && printf 'KEEP\n' >"$T/full/g.json"
    # (kgraph ignores SIGXFSZ itself: it died of it, exit 153, silently and
    # leaving its temporary file; and Graphviz's own writer ended the
    # process on a failed write, "gvwrite_no_z problem", leaving it too)
    for f in json svg png pdf html; do
        printf 'KEEP\n' >"$T/full/g.$f"
        (ulimit -f 8; exec "$K" build $EXAMPLES -f $f -o "$T/full/g.$f") 2>"$T/err"
        rc=$?
        [ "$rc" = 1 ] && grep -q "g.$f: write error: File too large" "$T/err" ||
            no "-f $f: exit $rc: $(first_line "$T/err")" || return 1
        [ "$(cat "$T/full/g.$f")" = KEEP ] || no "-f $f: the old graph was replaced" || return 1
        [ "$(ls -A "$T/full" | grep -c '^\.')" = 0 ] || no "-f $f: left behind: $(ls -A "$T/full")" || return 1
    done
    # standard output on a full device
    "$K" build $EXAMPLES -f json >/dev/full 2>"$T/err"
    rc=$?
    [ "$rc" = 1 ] && grep -q "standard output: write error: No space left on device" "$T/err" ||
        no "/dev/full: exit $rc: $(first_line "$T/err")"
}

t_folder_walk() {
    # entries skipped anyway stopped the build: a dangling link (No such
    # file or directory), a loop of links (ELOOP); and 65 nested folders
    # were "nested too deep" though any depth is read
    w="$T/walk"
    deep="$w"
    for i in $(seq 1 100); do deep="$deep/d"; done
    mkdir -p "$deep"
    cp "$ARTICLE" "$w/a.txt"
    cp "$ARTICLE" "$deep/deep.txt"
    ln -s nowhere "$w/dangling"
    ln -s nowhere.txt "$w/dangling.txt"
    ln -s loop1 "$w/loop2"
    ln -s loop2 "$w/loop1"
    ln -s loop.txt "$w/loop.txt"
    ln -s . "$w/self"
    ln -s a.txt "$w/link.txt"
    kg mentions "$w"
    [ "$rc" = 0 ] || no "exit $rc: $(first_line "$T/err")" || return 1
    # a.txt, d/…/d/deep.txt and link.txt (a link to a file is read)
    [ "$(cut -f 1 "$T/out" | sort -u | sed "s|^$w/||" | tr '\n' ' ')" = "a.txt $(echo "$deep" | sed "s|^$w/||")/deep.txt link.txt " ] ||
        no "read: $(cut -f 1 "$T/out" | sort -u | tr '\n' ' ')"
}

t_outputs_always_parse() {
    # one rule for every writer: a control character in a name gave an SVG
    # no browser reads (exit 0); a file named with the bytes \377\376 put
    # invalid UTF-8 into JSON's doc fields, and reduce passed it on
    mkdir -p "$T/parse"
    printf '实施《控制\001字符》和魏桥创业集团与中国科学院大学合作。\n' >"$T/parse/ctl.txt"
    bad=$(printf '%s/parse/\377\376.txt' "$T")
    cp "$ARTICLE" "$bad"
    for f in svg json html graphml gexf dot; do
        "$K" build "$T/parse/ctl.txt" "$bad" -f $f --no-default-filters -o "$T/parse/g.$f" 2>"$T/err" ||
            no "-f $f: exit $?: $(first_line "$T/err")" || return 1
    done
    "$K" map "$T/parse/ctl.txt" "$bad" 2>"$T/err" | LC_ALL=C sort | "$K" reduce -f json -o "$T/parse/r.json" 2>>"$T/err" ||
        no "map | reduce: $(first_line "$T/err")" || return 1
    "$PY" - "$T/parse" >"$T/py.out" 2>&1 <<'EOF' || no "$(tail -n 1 "$T/py.out")"
import json, sys
import xml.etree.ElementTree as ET
d = sys.argv[1]
for f in ('svg', 'graphml', 'gexf'):
    ET.parse('%s/g.%s' % (d, f))                     # well-formed XML, or this raises
svg = open(d + '/g.svg', encoding='utf-8').read()    # strict UTF-8, or this raises
assert '控制\ufffd字符' in svg and '\x01' not in svg, 'the SVG keeps the control character'
for f in ('g.json', 'r.json'):
    raw = open('%s/%s' % (d, f), 'rb').read()
    g = json.loads(raw.decode('utf-8'))              # strict UTF-8, or this raises
    docs = [s['doc'] for s in g['sentences']]
    assert any(doc.endswith('/\ufffd\ufffd.txt') for doc in docs), '%s: doc names %r' % (f, sorted(set(docs)))
html = open(d + '/g.html', encoding='utf-8').read()
dot = open(d + '/g.dot', encoding='utf-8').read()
assert '\x01' not in html + dot, 'HTML or DOT keeps the control character'
EOF
}

t_line_outputs_one_line_a_record() {
    # a file named 'a<LF>fake.txt:0-1: 伪造的证据句子。<LF>b.txt' made kgraph
    # why print a forged evidence line; a CR in a file name broke the
    # mentions TSV; ESC and BEL from a text reached the terminal
    mkdir -p "$T/lines"
    forged=$(printf '%s/lines/a\nfake.txt:0-1: 伪造的证据句子。\nb\r.txt' "$T")
    printf '魏桥创业集团和中国科学院大学合作\033[2J\007。\n' >"$forged"
    kg mentions "$forged"
    [ "$rc" = 0 ] || no "mentions: exit $rc: $(first_line "$T/err")" || return 1
    awk -F '\t' 'NF != 6 { exit 1 }' "$T/out" && [ "$(wc -l <"$T/out")" = 2 ] ||
        no "mentions: not one 6-field line a mention: $(head -c 200 "$T/out")" || return 1
    cp "$T/out" "$T/lines.mentions"
    kg why 魏桥创业集团 中国科学院大学 "$forged"
    [ "$rc" = 0 ] || no "why: exit $rc: $(first_line "$T/err")" || return 1
    [ "$(grep -c '伪造' "$T/out")" = 1 ] && ! grep -q '^fake.txt' "$T/out" ||
        no "why: a forged line: $(cat "$T/out")" || return 1
    cp "$T/out" "$T/lines.why"
    kg explain "$forged"
    [ "$rc" = 0 ] || no "explain: exit $rc: $(first_line "$T/err")" || return 1
    ! grep -q '^fake.txt' "$T/out" || no "explain: a forged line" || return 1
    for f in "$T/lines.mentions" "$T/lines.why" "$T/out"; do
        ! LC_ALL=C grep -q "$(printf '[\033\007\r]')" "$f" || no "a control character in $f" || return 1
    done
}

# limits_memory: can this kgraph start under ulimit -v? A sanitizer build
# cannot: it reserves its shadow memory first. (The probe's own report goes
# to stderr, not to the run's sanitizer logs.)
limits_memory() {
    (ulimit -v 40000; ASAN_OPTIONS=log_path=stderr UBSAN_OPTIONS=log_path=stderr exec "$K" --version) \
        >/dev/null 2>&1 && return 0
    echo "  # not checked: this kgraph cannot start under ulimit -v (a sanitizer build reserves its shadow memory first)"
    return 1
}

t_pictures_short_of_memory() {
    # short of memory Graphviz, pango and GLib end the process (a segfault
    # at ulimit -v 60 MB, GLib's abort at 80-200 MB) or draw without pango
    # (40 MB: labels measured by guess, exit 0): now exit 70 with a
    # message, the old file kept, no temporary file left
    limits_memory || return 0
    # (where the limit falls varies a little from run to run: above 40 MB a
    # run may also succeed, and then its picture is whole)
    mkdir -p "$T/mem"
    for limit in 40000 60000 100000 150000; do
        for f in png svg; do
            printf 'KEEP\n' >"$T/mem/g.$f"
            (ulimit -v $limit; exec "$K" build $EXAMPLES -f $f -o "$T/mem/g.$f") 2>"$T/err"
            rc=$?
            if [ "$rc" = 0 ] && [ $limit != 40000 ]; then
                head -c 4 "$T/mem/g.$f" | grep -q 'PNG\|<?xm' || no "ulimit -v $limit -f $f: exit 0, no picture" || return 1
            else
                [ "$rc" = 70 ] && grep -q "^kgraph: out of memory" "$T/err" ||
                    no "ulimit -v $limit -f $f: exit $rc: $(grep kgraph: "$T/err" | head -n 1)" || return 1
                [ "$(cat "$T/mem/g.$f")" = KEEP ] || no "ulimit -v $limit: the old file was replaced" || return 1
            fi
            [ "$(ls -A "$T/mem" | grep -c '^\.')" = 0 ] || no "ulimit -v $limit: left $(ls -A "$T/mem")" || return 1
        done
    done
}

t_signal_removes_temporary_file() {
    # SIGINT, SIGTERM or SIGHUP during a layout left .big.svg.XXXXXX; now
    # the temporary file goes and kgraph still dies of the signal. 2,000
    # names in a chain of sentences take neato well over the wait here.
    "$PY" - "$T" <<'EOF' || { no "cannot write the test corpus"; return 1; }
import sys
names = ['乙%04d公司' % i for i in range(2000)]
open(sys.argv[1] + '/slow.tsv', 'w').write(''.join('company\t%s\t%s\n' % (n, n) for n in names))
open(sys.argv[1] + '/slow.txt', 'w').write('。'.join('，'.join(names[i:i + 4]) for i in range(0, 2000, 2)) + '。\n')
EOF
    for pair in INT:2 TERM:15 HUP:1; do
        sig=${pair%:*}
        mkdir -p "$T/sig$sig"
        # a background job of sh starts with SIGINT ignored: give it back
        env --default-signal=$sig "$K" build "$T/slow.txt" --no-default-rules -r "$T/slow.tsv" \
            -f svg --layout neato --no-default-filters -o "$T/sig$sig/big.svg" 2>"$T/err" &
        pid=$!
        n=0
        while [ -z "$(ls -A "$T/sig$sig")" ] && [ $n -lt 600 ]; do
            sleep 0.1
            n=$((n + 1))
        done
        kill -s $sig $pid
        wait $pid
        rc=$?
        [ "$rc" = $((128 + ${pair#*:})) ] || no "$sig: exit $rc: $(first_line "$T/err")" || return 1
        [ -z "$(ls -A "$T/sig$sig")" ] || no "$sig left: $(ls -A "$T/sig$sig")" || return 1
    done
}

t_huge_file_no_newline() {
    # KGRAPH_TEST_BIG_MB (default 200) MB in one line: read, matched and
    # linked like any document, in parts cut after sentences, so in bounded
    # memory: 409 MB at -j 2 where reading it whole took 3.0 GB (under
    # ulimit -v 1.5 GB, which a sanitizer build cannot start under)
    mb=${KGRAPH_TEST_BIG_MB:-200}
    tr -d '\n' <"$ARTICLE" >"$T/line.txt"
    "$PY" - "$T/line.txt" "$T/big.txt" "$mb" <<'PY' || { no "cannot make the file"; return 1; }
import sys
unit = open(sys.argv[1], 'rb').read()
with open(sys.argv[2], 'wb') as out:
    for _ in range(int(sys.argv[3]) * 2**20 // len(unit) + 1):
        out.write(unit)
PY
    limit=unlimited
    limits_memory >/dev/null && limit=1500000
    (ulimit -v $limit; exec "$K" build -j 2 "$T/big.txt" -f json -o "$T/big.json") >"$T/out" 2>"$T/err"
    rc=$?
    rm -f "$T/big.txt"
    [ "$rc" = 0 ] || no "ulimit -v $limit: exit $rc: $(first_line "$T/err")" || return 1
    "$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
n = {x["id"]: x for x in d["nodes"]}
assert d["graph"]["documents"] == 1, d["graph"]
assert n["魏桥创业集团"]["count"] > 1000 and n["魏桥创业集团"]["docs"] == 1, n["魏桥创业集团"]' "$T/big.json" ||
        no "wrong counts"
}

t_file_in_parts() {
    # a file of more than 8 MiB is read in parts cut where paragraphs
    # start, and is one document: map | reduce gives build's graph, and
    # every mention's bytes are its surface
    "$PY" - "$ARTICLE" "$T/parts.txt" <<'PY' || { no "cannot make the file"; return 1; }
import sys
unit = open(sys.argv[1], 'rb').read().rstrip(b'\n') + b'\n\n'
with open(sys.argv[2], 'wb') as out:
    for _ in range(9 * 2**20 // len(unit) + 1):
        out.write(unit)
PY
    kg build "$T/parts.txt" -f json -o "$T/build.json" || true
    [ "$rc" = 0 ] || no "build: exit $rc: $(first_line "$T/err")" || return 1
    "$K" map "$T/parts.txt" 2>"$T/err" | LC_ALL=C sort | "$K" reduce -f json -o "$T/reduce.json" 2>>"$T/err" ||
        no "map | reduce: $(first_line "$T/err")" || return 1
    cmp -s "$T/build.json" "$T/reduce.json" || no "map | reduce's graph is not build's" || return 1
    [ "$("$K" map "$T/parts.txt" | wc -l)" = 1 ] || no "map wrote more than one line" || return 1
    "$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d["graph"]["documents"] == 1, d["graph"]
assert all(n["docs"] == 1 for n in d["nodes"])' "$T/build.json" || no "not one document" || return 1
    kg mentions "$T/parts.txt" || true
    [ "$rc" = 0 ] || no "mentions: exit $rc: $(first_line "$T/err")" || return 1
    # each copy of the article gives its mentions, wherever the cuts fell
    cut -f 4- "$T/out" | sort -u >"$T/got.u"
    sort -u "$T/want" | cmp -s - "$T/got.u" || no "mentions differ from the article's" || return 1
    ENC=utf-8 spans_are_surfaces "$T/parts.txt"
}

t_million_entry_gazetteer() {
    # 1,000,000 entries load and match (load time and memory: docs/design.md)
    "$PY" - "$T/million.tsv" <<'PY' || { no "cannot make the gazetteer"; return 1; }
import sys
with open(sys.argv[1], 'w', encoding='utf-8') as out:
    for i in range(1000000):
        name = '测试%07d号科技有限公司' % i
        out.write('company\t%s\t%s\n' % (name, name))
PY
    printf '测试0999999号科技有限公司与测试0000001号科技有限公司合作。\n' >"$T/m.txt"
    kg mentions --no-default-rules -r "$T/million.tsv" "$T/m.txt" || true
    wait_cache # its compiled form, 300 MB, written behind the run
    [ "$rc" = 0 ] || no "exit $rc: $(first_line "$T/err")" || return 1
    [ "$(cut -f 5 "$T/out" | tr '\n' ' ')" = "测试0999999号科技有限公司 测试0000001号科技有限公司 " ] ||
        no "mentions: $(cut -f 5 "$T/out" | tr '\n' ' ')"
}

# ---------------------------------------------------------------- main

need_kgraph input

# ---------------------------------------------------------------- Traditional Chinese

# The examples turned Traditional with OpenCC (opencc -c s2t, Debian's
# opencc) give the nodes and edges of the Simplified originals: a document
# that is mostly Traditional is matched as Simplified. The originals are
# read with --convert t2s: 004 quotes a line of Traditional web text
# (來上海逛五角場), which a mostly Simplified document keeps as written.
# Their mentions' spans are the Traditional files' bytes, and the surfaces
# what those bytes say; --convert none matches them as written and misses
# most names; and auto leaves the Simplified originals as they are.
t_traditional_examples() {
    command -v opencc >/dev/null || { no "opencc is not installed (make deps)"; return 1; }
    mkdir -p "$T/trad"
    for f in $EXAMPLES; do
        opencc -c s2t.json -i "$f" -o "$T/trad/${f##*/}" 2>"$T/err" || { no "opencc: $(first_line "$T/err")"; return 1; }
    done
    cmp -s examples/000_a8bf9349f94f38d1.txt "$T/trad/000_a8bf9349f94f38d1.txt" && { no "s2t changed nothing"; return 1; }
    "$K" build -q --convert t2s $EXAMPLES -f json -o "$T/simplified.json" &&
        "$K" build -q $EXAMPLES -f json -o "$T/auto.json" &&
        "$K" build -q --convert none $EXAMPLES -f json -o "$T/none.json" &&
        "$K" build -q "$T"/trad/*.txt -f json -o "$T/traditional.json" &&
        "$K" build -q --convert none "$T"/trad/*.txt -f json -o "$T/as-written.json" || { no "build failed"; return 1; }
    "$K" mentions --convert t2s $EXAMPLES | cut -f 2- >"$T/simplified.tsv" &&
        "$K" mentions "$T"/trad/*.txt >"$T/traditional.tsv" || { no "mentions failed"; return 1; }
    "$PY" - "$T" >"$T/py.out" 2>&1 <<'EOF'
import json, sys, unicodedata
t = sys.argv[1]
def graph(name):
    d = json.load(open('%s/%s.json' % (t, name), encoding='utf-8'))
    nodes = {n['id']: (n['type'], n['count'], n['docs']) for n in d['nodes']}
    edges = {frozenset((e['source'], e['target'])): (e['weight'], e['docs']) for e in d['links']}
    return nodes, edges
s_nodes, s_edges = graph('simplified')
t_nodes, t_edges = graph('traditional')
assert t_nodes == s_nodes, 'nodes differ: %r' % sorted(set(t_nodes.items()) ^ set(s_nodes.items()))[:6]
assert t_edges == s_edges, 'edges differ: %d and %d' % (len(t_edges), len(s_edges))
assert graph('auto') == graph('none'), 'auto converted the Simplified originals'
w_nodes, _ = graph('as-written')
assert len(w_nodes) < len(s_nodes) * 0.8, 'as written, %d nodes of %d' % (len(w_nodes), len(s_nodes))
# spans: the Traditional bytes, which say the surface (normalised as the
# mentions are: NFKC, soft wraps gone); the same nodes in the same order
files, simplified = {}, [l.split('\t')[3] for l in open(t + '/simplified.tsv', encoding='utf-8')]
rows = [l.rstrip('\n').split('\t') for l in open(t + '/traditional.tsv', encoding='utf-8')]
for path, start, end, kind, node, surface in rows:
    data = files.setdefault(path, open(path, 'rb').read())
    said = unicodedata.normalize('NFKC', data[int(start):int(end)].decode('utf-8')).replace('\n', '')
    assert said == surface, '%s:%s-%s says %r, surface %r' % (path, start, end, said, surface)
assert [r[4] for r in rows] == simplified, 'the mentions name other nodes'
print('%d nodes, %d edges as the Simplified examples; %d mentions at the Traditional bytes; '
      '--convert none: %d nodes' % (len(t_nodes), len(t_edges), len(rows), len(w_nodes)))
EOF
    status=$?
    sed 's/^/  # /' "$T/py.out"
    [ "$status" = 0 ] || no "$(tail -n 1 "$T/py.out")"
}

run utf8
run utf8_bom
run gb18030_guessed
run gbk_guessed
run gb18030_given
run utf16le_bom
run utf16be_no_bom
run utf16le_no_bom
run big5_needs_encoding
run unknown_encoding
run utf16_bom_invalid
run rules_from_a_pipe
run wrong_encoding_given
run line_ends
run binary_refused
run empty_file
run dot_keywords_as_names
run long_name
run unreadable_file_in_folder
run full_disk
run signal_removes_temporary_file
run pictures_short_of_memory
run folder_walk
run outputs_always_parse
run line_outputs_one_line_a_record
run huge_file_no_newline
run file_in_parts
run million_entry_gazetteer

run traditional_examples
summary input
