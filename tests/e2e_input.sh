#!/bin/sh
# tests/e2e_input.sh: what kgraph does with awkward and bad input (the
# table in docs/cli.md, "Bad input"): encodings, BOMs, line ends, binary
# and empty files. Prints "ok NAME" or "FAIL NAME: why" per test and ends
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
    "$PY" - "$file" "$ENC" "$T/out" >"$T/py.out" 2>&1 <<'EOF' || no "$(tail -n 1 "$T/py.out")"
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
    [ "$rc" = 2 ] && grep -q "unknown encoding 'klingon'" "$T/err" || no "exit $rc: $(first_line "$T/err")"
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

# ---------------------------------------------------------------- main

need_kgraph input

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
run wrong_encoding_given
run line_ends
run binary_refused
run empty_file

summary input
