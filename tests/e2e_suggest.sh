#!/bin/sh
# tests/e2e_suggest.sh: end-to-end tests of 'kgraph suggest' on small texts
# written here (counted by hand) and on the shipped examples/. Prints "ok
# NAME" or "FAIL NAME: why" per test and ends with "suggest: N passed, N
# failed"; exits non-zero if anything failed. Needs ./kgraph built and
# python3.

ROOT=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$ROOT" || exit 2
. tests/lib.sh

# The small corpus and its rules. Counted by hand (mentions, documents):
#   戊己公司 3, 2   丙丁公司 3, 1   壬癸研究院 2, 1   庚辛研究院 2, 1
#   子丑公司 1, 1   甲乙公司: a gazetteer entity, never suggested
# so the order shows each key: documents break the tie between the two
# companies, name bytes (壬 U+58EC before 庚 U+5E9A) between the institutes.
# b.txt's second paragraph is indented with a tab.
small_corpus() {
    [ -s "$T/s.rules" ] && return 0
    cat >"$T/s.rules" <<'EOF'
words b 和 在
entity company 甲乙公司
pattern company suffix=公司 boundary=b
pattern institute suffix=研究院 boundary=b
EOF
    printf '丙丁公司和戊己公司签约。丙丁公司和戊己公司合作。丙丁公司在这里。\n' >"$T/a.txt"
    printf '戊己公司和甲乙公司。\n\n\t壬癸研究院和庚辛研究院签约，子丑公司也来了。壬癸研究院和庚辛研究院。\n' >"$T/b.txt"
    SMALL="$T/a.txt $T/b.txt"
}

# suggest_small ARGS…: kgraph suggest on the small corpus with its rules only.
suggest_small() {
    small_corpus
    kg suggest --no-default-rules -r "$T/s.rules" "$@" $SMALL
}

# names FILE: the gazetteer lines' type and name, one "TYPE NAME" a line.
names() { grep -v '^#' "$1" | grep -v '^$' | cut -f 1,2 | tr '\t' ' '; }

# ---------------------------------------------------------------- counts

t_counts_and_order() {
    suggest_small || true
    [ "$rc" = 0 ] || no "exit $rc: $(first_line "$T/err")" || return 1
    [ -s "$T/err" ] && { no "stderr: $(first_line "$T/err")"; return 1; }
    want='company 戊己公司
company 丙丁公司
institute 壬癸研究院
institute 庚辛研究院'
    [ "$(names "$T/out")" = "$want" ] || no "names: $(names "$T/out" | tr '\n' ',')" || return 1
    grep '^# [0-9]' "$T/out" | sed 's/;.*//' >"$T/counts"
    want='# 3 mentions in 2 documents
# 3 mentions in 1 document
# 2 mentions in 1 document
# 2 mentions in 1 document'
    [ "$(cat "$T/counts")" = "$want" ] || no "counts: $(tr '\n' ',' <"$T/counts")" || return 1
    grep -q '^# kgraph suggest' "$T/out" || no "no header" || return 1
    header=$(grep '^#' "$T/out" | sed -n 1,3p | tr '\n' ' ')
    case $header in
    *"4 names that"*"in 2 documents"*"at least 2 # times"*) ;;
    *) no "header: $header"; return 1 ;;
    esac
}

t_gazetteer_lines() {
    # each name: a comment, then TYPE<TAB>NAME<TAB>SURFACES, 3 columns
    suggest_small || true
    [ "$rc" = 0 ] || no "exit $rc" || return 1
    grep -q "$(printf '^company\t戊己公司\t戊己公司$')" "$T/out" || no "no line company<TAB>戊己公司<TAB>戊己公司" || return 1
    bad=$(grep -v '^#' "$T/out" | grep -v '^$' | awk -F '\t' 'NF != 3')
    [ -z "$bad" ] || no "not 3 columns: $bad" || return 1
    # every gazetteer line comes right after its comment
    awk 'prev !~ /^# [0-9]/ && $0 !~ /^#/ && $0 != "" { bad = 1 } { prev = $0 } END { exit bad }' "$T/out" ||
        no "a gazetteer line without its comment"
}

t_min_count() {
    suggest_small -n 1 || true
    [ "$rc" = 0 ] || no "-n 1: exit $rc" || return 1
    [ "$(names "$T/out" | tail -n 1)" = "company 子丑公司" ] || no "-n 1: the last name is not 子丑公司" || return 1
    [ "$(names "$T/out" | wc -l)" = 5 ] || no "-n 1: $(names "$T/out" | wc -l) names, not 5" || return 1
    suggest_small --min-count=3 || true
    [ "$(names "$T/out" | tr '\n' ,)" = "company 戊己公司,company 丙丁公司," ] ||
        no "--min-count=3: $(names "$T/out" | tr '\n' ,)" || return 1
    suggest_small -n 4 || true
    [ "$rc" = 0 ] && [ -z "$(names "$T/out")" ] || no "-n 4: exit $rc, names $(names "$T/out" | tr '\n' ,)" || return 1
    grep -q '^# kgraph suggest' "$T/out" || no "-n 4: no header when nothing is listed"
}

t_type_filter() {
    suggest_small --type institute || true
    [ "$rc" = 0 ] || no "exit $rc: $(first_line "$T/err")" || return 1
    [ "$(names "$T/out" | tr '\n' ,)" = "institute 壬癸研究院,institute 庚辛研究院," ] ||
        no "--type institute: $(names "$T/out" | tr '\n' ,)"
}

t_no_gazetteer_entities() {
    suggest_small -n 1 || true
    grep -q '甲乙公司	' "$T/out" && { no "the gazetteer entity 甲乙公司 is suggested"; return 1; }
    return 0
}

# ---------------------------------------------------------------- examples

t_example_sentence() {
    # the sentence of the first mention, with its file and rule
    suggest_small || true
    [ "$rc" = 0 ] || no "exit $rc" || return 1
    want="# 3 mentions in 2 documents; first in $T/a.txt by $T/s.rules:3: 丙丁公司和戊己公司签约。"
    got=$(grep -m 1 '^# [0-9]' "$T/out")
    [ "$got" = "$want" ] || no "got: $got" || return 1
    # the tab that indents the paragraph is not part of the example
    # (NFKC makes the full-width comma ASCII)
    grep -q "by $T/s.rules:4: 壬癸研究院和庚辛研究院签约,子丑公司也来了。\$" "$T/out" ||
        no "institute example: $(grep -m 1 's.rules:4' "$T/out")"
}

t_long_sentence_shortened() {
    small_corpus
    before=今天天气很好我们去公园散步然后回家吃饭再去学校读书看报写字画画
    after=我们一起去看电影然后回家吃晚饭再去学校读书看报写字画画唱歌跳舞
    printf '%s和午未公司%s。%s和午未公司。\n' "$before" "$after" "$after" >"$T/long.txt"
    kg suggest --no-default-rules -r "$T/s.rules" "$T/long.txt" || true
    [ "$rc" = 0 ] || no "exit $rc" || return 1
    "$PY" - "$T/out" "$before" "$after" >"$T/py.out" 2>&1 <<'EOF' || no "$(tail -n 1 "$T/py.out")"
import sys
lines = open(sys.argv[1], encoding='utf-8').read().splitlines()
before, after = sys.argv[2], sys.argv[3]
comment = [l for l in lines if l.startswith('# 2 mentions')]
assert len(comment) == 1, lines
example = comment[0].split(':3: ', 1)[1]
want = '…' + (before + '和')[-24:] + '午未公司' + after[:24] + '…'
assert example == want, (example, want)
EOF
}

t_tab_in_example() {
    # a tab inside a sentence must not add a column or a line
    small_corpus
    printf '寅卯公司\t和辰巳公司。辰巳公司和寅卯公司\t。\n' >"$T/tab.txt"
    kg suggest --no-default-rules -r "$T/s.rules" "$T/tab.txt" || true
    [ "$rc" = 0 ] || no "exit $rc" || return 1
    [ "$(names "$T/out" | tr '\n' ,)" = "company 寅卯公司,company 辰巳公司," ] ||
        no "names: $(names "$T/out" | tr '\n' ,)" || return 1
    grep '^#' "$T/out" | grep -q "$(printf '\t')" && { no "a comment holds a tab"; return 1; }
    grep -q ':3: 寅卯公司 和辰巳公司。$' "$T/out" || no "the tab did not become a space: $(grep -m 1 ':3:' "$T/out")"
}

t_example_drops_closing_quote() {
    # a sentence starts after 。, so 。” puts the ” first: it is left out
    small_corpus
    printf '他说“好。”丙丁公司和戊己公司。戊己公司。丙丁公司。\n' >"$T/quote.txt"
    kg suggest --no-default-rules -r "$T/s.rules" "$T/quote.txt" || true
    [ "$rc" = 0 ] || no "exit $rc" || return 1
    [ "$(grep -c ':3: 丙丁公司和戊己公司。$' "$T/out")" = 2 ] || no "examples: $(grep ':3:' "$T/out" | tr '\n' ' ')"
}

# ---------------------------------------------------------------- round trip

t_round_trip() {
    # loaded back with -r, the suggestions are gazetteer entities: the
    # gazetteer alone finds them, and suggest no longer lists them
    suggest_small -n 1 -o "$T/new.tsv" || true
    [ "$rc" = 0 ] || no "exit $rc: $(first_line "$T/err")" || return 1
    [ -s "$T/out" ] && { no "wrote to stdout despite -o"; return 1; }
    kg mentions --no-default-rules -r "$T/new.tsv" $SMALL || true
    [ "$rc" = 0 ] || no "mentions -r new.tsv: exit $rc: $(first_line "$T/err")" || return 1
    found=$(cut -f 4,5 "$T/out" | tr '\t' ' ' | sort -u)
    [ "$found" = "$(names "$T/new.tsv" | sort)" ] || no "the gazetteer finds: $(echo "$found" | tr '\n' ,)" || return 1
    kg suggest --no-default-rules -r "$T/s.rules" -r "$T/new.tsv" -n 1 $SMALL || true
    [ "$rc" = 0 ] || no "suggest -r new.tsv: exit $rc" || return 1
    [ -z "$(names "$T/out")" ] || no "still suggested: $(names "$T/out" | tr '\n' ,)"
}

t_examples_round_trip() {
    kg suggest $EXAMPLES -o "$T/ex.tsv" || true
    [ "$rc" = 0 ] || no "exit $rc: $(first_line "$T/err")" || return 1
    [ "$(names "$T/ex.tsv" | wc -l)" -ge 20 ] || no "only $(names "$T/ex.tsv" | wc -l) names from examples/" || return 1
    kg suggest -r "$T/ex.tsv" -n 1 $EXAMPLES || true
    [ "$rc" = 0 ] || no "suggest -r ex.tsv: exit $rc: $(first_line "$T/err")" || return 1
    names "$T/ex.tsv" | cut -d ' ' -f 2 | sort >"$T/listed"
    names "$T/out" | cut -d ' ' -f 2 | sort >"$T/still"
    both=$(comm -12 "$T/listed" "$T/still")
    [ -z "$both" ] || no "still suggested after -r: $(echo "$both" | head -n 3 | tr '\n' ,)"
}

t_examples_match_mentions() {
    # counts, documents and surfaces agree with 'kgraph mentions'; order;
    # short forms (宇捷轴承 for 山东宇捷轴承制造有限公司) are weak aliases
    kg mentions $EXAMPLES || true
    [ "$rc" = 0 ] || no "mentions: exit $rc" || return 1
    mv "$T/out" "$T/m.tsv"
    kg suggest $EXAMPLES || true
    [ "$rc" = 0 ] || no "suggest: exit $rc" || return 1
    "$PY" - "$T/out" "$T/m.tsv" >"$T/py.out" 2>&1 <<'EOF' || no "$(tail -n 1 "$T/py.out")"
import re, sys
lines = open(sys.argv[1], encoding='utf-8').read().splitlines()
mentions = {}
for l in open(sys.argv[2], encoding='utf-8'):
    f, s, e, typ, node, surface = l.rstrip('\n').split('\t')
    m = mentions.setdefault(node, {'count': 0, 'files': set(), 'surfaces': [], 'type': typ})
    m['count'] += 1
    m['files'].add(f)
    if surface not in m['surfaces']:
        m['surfaces'].append(surface)
keys = []
for i, l in enumerate(lines):
    if not l or l.startswith('#'):
        continue
    typ, name, surfaces = l.split('\t')
    c = re.match(r'# (\d+) mentions? in (\d+) documents?; first in (\S+) by (\S+):(\d+): (.+)$', lines[i - 1])
    assert c, lines[i - 1]
    count, docs = int(c.group(1)), int(c.group(2))
    m = mentions[name]
    assert (count, docs, typ) == (m['count'], len(m['files']), m['type']), (name, count, docs, m)
    assert count >= 2, name
    # the name, then its other surfaces (short forms) as weak aliases
    want = [name] + ['~' + x for x in m['surfaces'] if x != name]
    assert surfaces.split('|') == want, (name, surfaces, want)
    assert c.group(3) in m['files'], (name, c.group(3))
    assert c.group(4).endswith('patterns.rules'), c.group(4)
    keys.append((-count, -docs, name.encode()))
assert keys == sorted(keys), 'not sorted'
assert len(keys) >= 20, len(keys)
EOF
}

# ---------------------------------------------------------------- inputs

t_stdin() {
    small_corpus
    "$K" suggest --no-default-rules -r "$T/s.rules" -n 1 - <"$T/a.txt" >"$T/stdin.tsv" 2>"$T/err" ||
        no "exit $?: $(first_line "$T/err")" || return 1
    grep -q '; first in - by ' "$T/stdin.tsv" || no "standard input is not named '-'" || return 1
    [ "$(names "$T/stdin.tsv" | tr '\n' ,)" = "company 丙丁公司,company 戊己公司," ] ||
        no "names: $(names "$T/stdin.tsv" | tr '\n' ,)"
}

t_deterministic() {
    "$K" suggest $EXAMPLES -o "$T/run1.tsv" 2>/dev/null || no "run 1 failed" || return 1
    "$K" suggest $EXAMPLES -o "$T/run2.tsv" 2>/dev/null || no "run 2 failed" || return 1
    cmp -s "$T/run1.tsv" "$T/run2.tsv" || no "two runs differ" || return 1
    for j in 1 3 8; do
        "$K" suggest $EXAMPLES examples $EXAMPLES -j $j -o "$T/jobs$j.tsv" 2>/dev/null ||
            no "-j $j failed" || return 1
    done
    cmp -s "$T/jobs1.tsv" "$T/jobs3.tsv" && cmp -s "$T/jobs1.tsv" "$T/jobs8.tsv" ||
        no "-j 1, -j 3 and -j 8 differ" || return 1
    grep -q '^# in 9 documents' "$T/jobs1.tsv" || no "header: $(sed -n 2p "$T/jobs1.tsv")"
}

# ---------------------------------------------------------------- errors

# fails NAME STATUS NEEDLE ARGS…: kgraph ARGS exits with STATUS, with
# NEEDLE in its first line on stderr, which starts with "kgraph", and
# leaves $T/o empty.
fails() {
    case_name=$1 want=$2 needle=$3
    shift 3
    rm -rf "$T/o"
    mkdir -p "$T/o"
    "$K" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    msg=$(head -n 1 "$T/err")
    if [ "$rc" != "$want" ]; then
        no "$case_name: exit $rc, not $want: $msg"
    elif [ "${msg#kgraph}" = "$msg" ]; then
        no "$case_name: message does not start with 'kgraph': $msg"
    elif [ "${msg#*"$needle"}" = "$msg" ]; then
        no "$case_name: message does not mention '$needle': $msg"
    elif [ -n "$(ls -A "$T/o")" ]; then
        no "$case_name: left files behind: $(ls -A "$T/o")"
    else
        return 0
    fi
    return 1
}

t_errors() {
    small_corpus
    fails missing_input 1 "$T/nope.txt: No such file or directory" \
        suggest "$T/a.txt" "$T/nope.txt" -o "$T/o/s.tsv" || return 1
    printf '山东\377省\n' >"$T/bad.txt"
    fails bad_utf8 1 "bad.txt: invalid UTF-8" suggest "$T/a.txt" "$T/bad.txt" -o "$T/o/s.tsv" || return 1
    fails unknown_type 1 "unknown type 'firm'" suggest --type firm "$T/a.txt" -o "$T/o/s.tsv" || return 1
    fails min_count_zero 2 "-n 0" suggest -n 0 "$T/a.txt" || return 1
    fails min_count_word 2 "-n two" suggest -n two "$T/a.txt" || return 1
    fails no_gazetteer 2 "--no-gazetteer" suggest --no-gazetteer "$T/a.txt" || return 1
    fails format 2 "-f/--format" suggest -f json "$T/a.txt" || return 1
    fails type_for_build 2 "--type" build --type company "$T/a.txt" || return 1
    fails type_for_mentions 2 "--type" mentions --type company "$T/a.txt" || return 1
    fails no_input 2 "no input" suggest -n 2 || return 1
    fails output_folder_missing 1 "$T/o/missing/s.tsv" suggest "$T/a.txt" -o "$T/o/missing/s.tsv"
}

t_failed_run_keeps_output() {
    small_corpus
    printf 'KEEP\n' >"$T/keep.tsv"
    "$K" suggest "$T/a.txt" "$T/nope.txt" -o "$T/keep.tsv" 2>/dev/null && { no "exit status 0"; return 1; }
    [ "$(cat "$T/keep.tsv")" = KEEP ] || no "the output file was replaced" || return 1
    left=$(ls -A "$T" | grep '^\.keep\.tsv\.')
    [ -z "$left" ] || no "left a temporary file: $left"
}

t_help() {
    kg suggest --help || true
    [ "$rc" = 0 ] || no "exit $rc" || return 1
    for opt in -n --min-count --type -o --output -j --jobs -r --rules --no-default-rules -h; do
        grep -q -e "$opt[ ,]" "$T/out" || no "suggest --help does not mention $opt" || return 1
    done
    grep -q -e --no-gazetteer "$T/out" && { no "suggest --help offers --no-gazetteer"; return 1; }
    kg --help || true
    grep -q '^  suggest ' "$T/out" || no "kgraph --help does not list suggest"
}

# ---------------------------------------------------------------- main

need_kgraph suggest

run counts_and_order
run gazetteer_lines
run min_count
run type_filter
run no_gazetteer_entities
run example_sentence
run long_sentence_shortened
run tab_in_example
run example_drops_closing_quote
run round_trip
run examples_round_trip
run examples_match_mentions
run stdin
run deterministic
run errors
run failed_run_keeps_output
run help

summary suggest
