#!/bin/sh
# tests/e2e_rules_check.sh: end-to-end tests of 'kgraph rules check', the
# rule-file linter. The rule files are written into a temporary folder, so
# every expected line below names its own file and line. Prints "ok NAME"
# or "FAIL NAME: why" per test and ends with "rules-check: N passed, N
# failed"; exits non-zero if anything failed. Needs ./kgraph built.

ROOT=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$ROOT" || exit 2
. tests/lib.sh
need_kgraph rules-check

W="$T/w" # the rule files; tests run in it, so messages name them relatively
mkdir -p "$W"
# The built-in rules as kgraph names them: the rules/ folder beside the
# binary under test (build-asan/rules links to the project's).
BUILTIN=$(dirname "$K")/rules

# check ARGS…: run 'kgraph rules check ARGS' in $W, stdout to $T/out,
# stderr to $T/err; sets $rc.
check() {
    (cd "$W" && "$K" rules check "$@") >"$T/out" 2>"$T/err"
    rc=$?
}

# expect RC: the last check exited RC, wrote nothing to stderr, and printed
# exactly standard input.
expect() {
    cat >"$T/want"
    [ "$rc" = "$1" ] || { no "exit $rc, not $1: $(first_line "$T/err")"; return 1; }
    [ -s "$T/err" ] && { no "stderr: $(first_line "$T/err")"; return 1; }
    cmp -s "$T/want" "$T/out" || no "output differs: $(diff "$T/want" "$T/out" | grep '^[<>]' | head -n 4 | tr '\n' ' ')"
}

# mentions RULE-FILE… : mentions of standard input with only these rules
# (run in $W), fields 4-6 (type, node, surface), one line each.
mentions() {
    args=
    for f in "$@"; do args="$args -r $f"; done
    (cd "$W" && "$K" mentions --no-default-rules $args -) | cut -f 4-6
}

TAB=$(printf '\t')

# ---------------------------------------------------------------- names

t_clean_file() {
    cat >"$W/clean.rules" <<'EOF'
words cut 的 在
entity company 测试机构甲 测试甲
pattern company suffix=有限公司 boundary=cut
quoted programme open=《 close=》
stop 该机构
EOF
    check --no-default-rules clean.rules
    expect 0 </dev/null || return 1
    check clean.rules # against the built-in rules too
    expect 0 </dev/null
}

t_aliases() {
    # a repeated alias, an alias two entities claim, a second type; the
    # canonical name repeated among the aliases is the gazetteers' custom
    printf 'place\t甲县\t甲县|甲|甲城\tlevel=county\nplace\t乙县\t乙县|甲\nplace\t甲县\t甲县|甲城|丙\ncompany\t乙县\t乙县\n' >"$W/a.tsv"
    printf 'entity place 丁镇 丁镇 丁\nentity company 乙县\n' >"$W/b.rules"
    check --no-default-rules a.tsv b.rules
    expect 1 <<'EOF' || return 1
a.tsv:2: warning: alias 甲 of 乙县 is also claimed by 甲县 (a.tsv:1), which was defined first and wins
a.tsv:3: warning: alias 甲城 of 甲县 is listed twice (first at a.tsv:1)
a.tsv:4: warning: 乙县 is given type company here, but it was defined as place (a.tsv:2), which it keeps
b.rules:2: warning: 乙县 is given type company here, but it was defined as place (a.tsv:2), which it keeps
EOF
    # what the warnings say is what matching does: 甲 is always 甲县
    got=$(echo '甲和乙县' | mentions a.tsv b.rules | tr '\t\n' ' |')
    [ "$got" = "place 甲县 甲|place 乙县 乙县|" ] || no "mentions: $got"
}

t_words_and_stops() {
    cat >"$W/ws.rules" <<'EOF'
words cut 的 在 的
words cut 在
words spare 和
stop 该厂 本厂
stop 本厂
pattern company suffix=公司 boundary=cut
EOF
    check --no-default-rules ws.rules
    expect 1 <<'EOF'
ws.rules:1: warning: word 的 is already in list cut (ws.rules:1)
ws.rules:2: warning: word 在 is already in list cut (ws.rules:1)
ws.rules:3: warning: word list spare is unused: no pattern, short rule or person rule names it
ws.rules:5: warning: stop word 本厂 is listed twice (first at ws.rules:4)
EOF
}

# ---------------------------------------------------------------- rules

t_repeated_rules() {
    cat >"$W/rep.rules" <<'EOF'
words cut 的
pattern company suffix=公司|集团|公司 boundary=cut not-next=业|业 not-prev=子|分|子
pattern company suffix=集团|公司 boundary=cut not-next=业 not-prev=分|子
pattern company suffix=集团|公司 boundary=cut not-next=业 not-prev=分|子 max=11
pattern institute suffix=集团|公司 boundary=cut not-next=业 not-prev=分|子
quoted programme open=“ close=” then=工程|项目|工程 gap=2
quoted programme open=“ close=” then=项目|工程 gap=2
quoted programme open=“ close=” then=项目|工程 gap=1
EOF
    # line 4 differs in max= and line 8 in gap=: not repeats; line 5 differs
    # only in its type, so line 2 takes every name it would find
    check --no-default-rules rep.rules
    expect 1 <<'EOF' || return 1
rep.rules:2: warning: not-next= lists 业 twice
rep.rules:2: warning: not-prev= lists 子 twice
rep.rules:2: warning: suffix= lists 公司 twice
rep.rules:3: warning: this pattern rule repeats the one at rep.rules:2
rep.rules:5: warning: this pattern rule can never match: the one at rep.rules:2 finds the same names first, as company
rep.rules:6: warning: then= lists 工程 twice
rep.rules:7: warning: this quoted rule repeats the one at rep.rules:6
EOF
    got=$(echo '的甲乙集团，的丙丁公司' | mentions rep.rules | tr '\t\n' ' |')
    [ "$got" = "company 甲乙集团 甲乙集团|company 丙丁公司 丙丁公司|" ] || no "mentions: $got"
}

t_never_match() {
    printf 'place\t丙县\t丙县|丙\n' >"$W/n.tsv"
    cat >"$W/never.rules" <<'EOF'
pattern org suffix=委 chars= min=1
pattern org suffix=办 chars= extra=-· not-prev=-|·|x min=2
pattern place suffix=丙 chars= min=0
pattern place suffix=丁 chars= min=0
pattern place suffix=开发区|园区 min=0
entity place 开发区
stop 丁 戊
entity place 戊县 戊
EOF
    check --no-default-rules n.tsv never.rules
    expect 1 <<'EOF' || return 1
never.rules:1: warning: pattern can never match: chars= is empty and there is no extra=, so a name can hold no character, but min=1
never.rules:2: warning: pattern can never match: chars= is empty and not-prev= rejects every extra= character, so no name of min=2 characters can end before a suffix
never.rules:3: warning: suffix 丙 can never match: the name can hold no character (chars= is empty, no extra=), and the bare suffix is also an alias of 丙县 (n.tsv:1), which wins at an equal span
never.rules:4: warning: suffix 丁 can never match: the name can hold no character (chars= is empty, no extra=), and the bare suffix is also a stop word (never.rules:7), which vetoes it
never.rules:5: warning: suffix 开发区 never fires bare (min=0): it is also the entity 开发区 (never.rules:6), which wins at an equal span
never.rules:8: warning: alias 戊 of 戊县 is never found: it is also a stop word (never.rules:7), which vetoes it
EOF
    # and matching agrees: none of these rules yields a mention of its own
    got=$(echo '党委，a-办，-·办，丙，丁，戊，开发区，园区' | mentions n.tsv never.rules | tr '\t\n' ' |')
    [ "$got" = "place 丙县 丙|place 开发区 开发区|place 园区 园区|" ] || no "mentions: $got"
}

t_not_reported() {
    # nothing here is a problem: a stop word that holds an alias vetoes it
    # only inside itself (示范县, 范县); a stop word spelled like the suffix
    # of a pattern whose name is never empty; a word in two lists; a
    # pattern's suffix that an alias shares when min= is above 0; a weak
    # alias that an entity defined before claims too (it goes to its own
    # entity where the document supports that)
    printf 'place\t范县\t范县\nplace\t高新区\t高新区\n' >"$W/ok.tsv"
    printf 'place\t朝阳区\t朝阳区\nplace\t北京市\t北京市|北京\n' >>"$W/ok.tsv"
    printf 'place\t北京市朝阳区\t北京市朝阳区|~朝阳区\tprovince=北京市\n' >>"$W/ok.tsv"
    cat >"$W/ok.rules" <<'EOF'
words cut 的 和
words joined after=name 和
stop 示范县 新区
pattern place suffix=新区|高新区 boundary=cut
pattern programme suffix=计划 boundary=joined
EOF
    check --no-default-rules ok.tsv ok.rules
    expect 0 </dev/null || return 1
    got=$(echo '北京朝阳区' | mentions ok.tsv | tr '\t\n' ' |')
    [ "$got" = "place 北京市 北京|place 北京市朝阳区 朝阳区|" ] || no "mentions: $got"
}

# ---------------------------------------------------------------- files

t_against_builtins() {
    # a file is checked against the built-in rules: only problems with one
    # of its own lines show, and the built-in lines are named where they are
    stop_line=$(grep -n '^stop .*该公司' rules/stop.rules | cut -d: -f1)
    place_line=$(grep -n "^place${TAB}博兴县${TAB}" rules/places.tsv | cut -d: -f1)
    [ -n "$stop_line" ] && [ -n "$place_line" ] || no "rules/ has no 该公司 or 博兴县 line" || return 1
    printf 'entity place 博兴镇 博兴\nstop 该公司\n' >"$W/mine.rules"
    check mine.rules
    expect 1 <<EOF || return 1
mine.rules:1: warning: alias 博兴 of 博兴镇 is also claimed by 博兴县 ($BUILTIN/places.tsv:$place_line), which was defined first and wins
mine.rules:2: warning: stop word 该公司 is listed twice (first at $BUILTIN/stop.rules:$stop_line)
EOF
    check --no-default-rules mine.rules
    expect 0 </dev/null
}

t_builtin_folder() {
    # the built-in folder checked itself reports everything in it, named as
    # given, the same with or without the built-in rules loaded first
    "$K" rules check rules/ >"$T/with" 2>"$T/err"
    with=$?
    "$K" rules check --no-default-rules rules/ >"$T/alone" 2>/dev/null
    alone=$?
    [ "$with" = "$alone" ] && cmp -s "$T/with" "$T/alone" || no "rules/ with and without the built-ins differ" || return 1
    [ -s "$T/with" ] && expected=1 || expected=0
    [ "$with" = "$expected" ] || no "exit $with with $(wc -l <"$T/with") warnings" || return 1
    [ -s "$T/err" ] && { no "stderr: $(first_line "$T/err")"; return 1; }
    bad=$(grep -v '^rules/[a-z_]*\.\(rules\|tsv\):[0-9][0-9]*: warning: ' "$T/with" | head -n 1)
    [ -z "$bad" ] || no "not a warning about rules/: $bad" || return 1
    # a single built-in file: only the problems that involve it (the other
    # built-in files named where they were found, beside the binary)
    "$K" rules check rules/stop.rules 2>/dev/null | sed "s|$BUILTIN/|rules/|g" >"$T/stop"
    grep -F 'rules/stop.rules:' "$T/with" >"$T/want"
    cmp -s "$T/want" "$T/stop" || no "rules check rules/stop.rules: $(first_line "$T/stop")"
}

t_include_and_order() {
    # an included file is checked too; output is sorted by file, then line,
    # whatever order the files were given in, and the same every time
    mkdir -p "$W/sub"
    printf 'stop 乙 乙\n' >"$W/sub/inc.rules"
    printf 'stop 甲\nstop 甲\ninclude sub/inc.rules\n' >"$W/z.rules"
    printf 'stop 丙\nstop 丙\n' >"$W/m.rules"
    check --no-default-rules z.rules m.rules
    expect 1 <<'EOF' || return 1
m.rules:2: warning: stop word 丙 is listed twice (first at m.rules:1)
sub/inc.rules:1: warning: stop word 乙 is listed twice (first at sub/inc.rules:1)
z.rules:2: warning: stop word 甲 is listed twice (first at z.rules:1)
EOF
    cp "$T/out" "$T/first"
    check --no-default-rules m.rules z.rules
    cmp -s "$T/first" "$T/out" || no "the order of the files changed the output"
}

t_large_gazetteer() {
    # near-linear: 60,000 entities claiming one alias, and 20,000 copies of
    # a stop word, checked in seconds
    awk 'BEGIN { for (i = 0; i < 60000; i++) printf "company\t公司%d\t甲乙\n", i }' >"$W/big.tsv"
    awk 'BEGIN { for (i = 0; i < 20000; i++) print "stop 该厂" }' >"$W/big.rules"
    start=$(date +%s)
    check --no-default-rules big.tsv big.rules
    took=$(($(date +%s) - start))
    [ "$rc" = 1 ] || no "exit $rc: $(first_line "$T/err")" || return 1
    n=$(grep -c 'alias 甲乙 of 公司[0-9]* is also claimed by 公司0 (big.tsv:1), which' "$T/out")
    [ "$n" = 59999 ] || no "$n claimed-alias warnings, not 59999" || return 1
    n=$(grep -c '^big.rules:[0-9]*: warning: stop word 该厂 is listed twice (first at big.rules:1)$' "$T/out")
    [ "$n" = 19999 ] || no "$n repeated stop words, not 19999" || return 1
    [ "$took" -le 10 ] || no "took ${took}s"
}

# ---------------------------------------------------------------- errors

t_load_errors() {
    # a file that fails to load: the loader's message, exit status 2
    printf 'stop 甲\npattern company min=2\n' >"$W/bad.rules"
    check --no-default-rules bad.rules
    [ "$rc" = 2 ] && [ ! -s "$T/out" ] || no "bad rule file: exit $rc" || return 1
    grep -qx 'kgraph: bad.rules:2: pattern: suffix= is required; usage: .*' "$T/err" ||
        no "stderr: $(first_line "$T/err")" || return 1
    check nope.rules
    [ "$rc" = 2 ] && grep -qx 'kgraph: nope.rules: No such file or directory' "$T/err" ||
        no "missing file: exit $rc, $(first_line "$T/err")"
}

# usage_fails NEEDLE ARGS…: kgraph ARGS exits 2 with NEEDLE on stderr.
usage_fails() {
    needle=$1
    shift
    "$K" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    [ "$rc" = 2 ] || { no "kgraph $*: exit $rc"; return 1; }
    grep -qF -e "$needle" "$T/err" || no "kgraph $*: stderr does not say '$needle': $(first_line "$T/err")"
}

t_usage() {
    usage_fails "kgraph rules: unknown subcommand 'frob' (check)" rules frob || return 1
    usage_fails "usage: kgraph rules check" rules || return 1
    usage_fails "kgraph rules check: no rule file" rules check || return 1
    usage_fails "kgraph rules check: unknown option --no-gazetteer" rules check --no-gazetteer rules/ || return 1
    usage_fails "kgraph: unknown command 'frob' (" frob || return 1
    grep -q "(.* rules[,)]" "$T/err" || no "the commands listed leave out rules: $(first_line "$T/err")" || return 1
    "$K" rules check --help >"$T/out" 2>&1 || no "rules check --help: exit $?" || return 1
    grep -q -e '--no-default-rules' "$T/out" && grep -q 'FILE:LINE: warning:' "$T/out" ||
        no "rules check --help: $(first_line "$T/out")" || return 1
    "$K" --help | grep -q "^  rules  " || no "kgraph --help does not list rules"
}

run clean_file
run aliases
run words_and_stops
run repeated_rules
run never_match
run not_reported
run against_builtins
run builtin_folder
run include_and_order
run large_gazetteer
run load_errors
run usage

summary rules-check
