#!/bin/sh
# tests/e2e_edges.sh: end-to-end tests of edge measures, filters, evidence
# and kgraph why, on tests/data/edges/ (counted by hand in its README.md)
# and the shipped examples/. Prints "ok NAME" or "FAIL NAME: why" per test
# and ends with "edges: N passed, N failed".

ROOT=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$ROOT" || exit 2
. tests/lib.sh
need_kgraph edges

TINY="--no-default-rules -r tests/data/edges/edges.rules"
TINY_DIR=tests/data/edges/

# ---------------------------------------------------------------- measures

t_pairs_per_window_cap() {
    # one window of many names made u(u-1)/2 pairs (6,000 names with -w
    # document: 18 M edges, 2.7 GB); now a window makes at most --max-pairs
    # (default 100000), among its most mentioned names, with a warning
    # naming the document
    "$PY" - "$T" <<'EOF' || { no "cannot write the test corpus"; return 1; }
import sys
names = ['甲%04d公司' % i for i in range(6000)]
open(sys.argv[1] + '/many.tsv', 'w').write(''.join('company\t%s\t%s\n' % (n, n) for n in names))
open(sys.argv[1] + '/many.txt', 'w').write('，'.join(names) + '。\n')
# 100 names, the last ten twice
few = names[:100] + names[90:100]
open(sys.argv[1] + '/few.txt', 'w').write('，'.join(few) + '。\n')
EOF
    many="--no-default-rules -r $T/many.tsv -w document -f json"
    kg build "$T/many.txt" $many -o "$T/many.json"
    [ "$rc" = 0 ] || no "default cap: exit $rc: $(first_line "$T/err")" || return 1
    grep -q "warning: $T/many.txt: .*--max-pairs" "$T/err" || no "no warning naming the document: $(first_line "$T/err")" || return 1
    kg build "$T/few.txt" $many --max-pairs 1000 -o "$T/few.json"
    [ "$rc" = 0 ] && grep -q "warning: $T/few.txt" "$T/err" || no "--max-pairs 1000: exit $rc, $(first_line "$T/err")" || return 1
    kg build -q "$T/few.txt" $many -o "$T/all.json"
    [ "$rc" = 0 ] && [ ! -s "$T/err" ] || no "under the cap: exit $rc, $(first_line "$T/err")" || return 1
    kg build -q "$T/few.txt" $many --max-pairs 0 -o "$T/zero.json"
    [ "$rc" = 0 ] && [ ! -s "$T/err" ] || no "--max-pairs 0: exit $rc, $(first_line "$T/err")" || return 1
    "$PY" - "$T" >"$T/py.out" 2>&1 <<'EOF' || no "$(tail -n 1 "$T/py.out")"
import json, sys
def graph(name):
    return json.load(open('%s/%s.json' % (sys.argv[1], name)))
d = graph('many')
assert len(d['nodes']) == 6000, '%d nodes' % len(d['nodes'])
assert len(d['links']) == 447 * 446 // 2, '%d links under the default cap' % len(d['links'])
d = graph('few')
assert len(d['links']) == 45 * 44 // 2, '%d links with --max-pairs 1000' % len(d['links'])
linked = {n for l in d['links'] for n in (l['source'], l['target'])}
twice = {'甲%04d公司' % i for i in range(90, 100)}
assert twice <= linked, 'the names mentioned twice are not all kept: %r' % sorted(twice - linked)
# kept after them: the earliest mentioned
assert linked == twice | {'甲%04d公司' % i for i in range(35)}, sorted(linked)[:5]
for name in ('all', 'zero'):
    assert len(graph(name)['links']) == 100 * 99 // 2, name
EOF
}

t_measures_in_json() {
    # every measure's score for three edges, as worked out in README.md; the
    # old keys are still there, and the graph holds N
    for m in count docs jaccard dice pmi npmi assoc llr; do
        "$K" build $TINY $TINY_DIR -f json --measure $m -o "$T/$m.json" 2>"$T/err" ||
            no "--measure $m: $(first_line "$T/err")" || return 1
    done
    "$PY" - "$T" >"$T/py.out" 2>&1 <<'EOF' || no "$(tail -n 1 "$T/py.out")"
import json, sys
want = {
    'count':   (2, 1, 1),
    'docs':    (2, 1, 1),
    'jaccard': (0.4, 0.5, 0.2),
    'dice':    (4 / 7, 2 / 3, 1 / 3),
    'pmi':     (0.222392, 1.807355, -0.192645),
    'npmi':    (0.123049, 0.643793, -0.068622),
    'assoc':   (2, 6, 1.5),
    'llr':     (0.196451, 2.969037, -0.058008),
}
pairs = [('甲公司', '乙公司'), ('丙研究院', '戊计划'), ('甲公司', '丁市')]
for m, scores in want.items():
    d = json.load(open('%s/%s.json' % (sys.argv[1], m)))
    assert d['graph']['measure'] == m and d['graph']['windows'] == 7, d['graph']
    links = {(l['source'], l['target']): l for l in d['links']}
    assert len(links) == 5, (m, len(links))
    for (a, b), s in zip(pairs, scores):
        l = links[(a, b)]
        assert set(l) == {'source', 'target', 'weight', 'docs', 'score', 'measure', 'evidence'}, l
        assert l['measure'] == m, l
        assert abs(l['score'] - s) < 1e-5, (m, a, b, l['score'], s)
EOF
}

t_bad_option_values() {
    for args in "--measure foo" "--top -1" "--top x" "--top-per-node -2" "--min-weight 1.5" \
                "--min-score abc" "--min-score nan" "--evidence -1" "--depth 0 --focus 甲公司" \
                "--depth 2" "--types company,firm" "--types company," "--pairs company" \
                "--pairs company-firm"; do
        # shellcheck disable=SC2086
        kg build $TINY $TINY_DIR $args
        [ "$rc" = 2 ] || no "$args: exit $rc, not 2" || return 1
        grep -q "^(run 'kgraph build --help' for usage)" "$T/err" || no "$args: no usage hint" || return 1
        [ -s "$T/out" ] && { no "$args: wrote output"; return 1; }
    done
    kg build $TINY $TINY_DIR --measure foo
    grep -qx "kgraph build: unknown measure 'foo' (count, docs, jaccard, dice, pmi, npmi, assoc, llr)" \
        "$T/err" || no "message: $(first_line "$T/err")" || return 1
    kg build $TINY $TINY_DIR --top -1
    grep -qx "kgraph build: --top -1: expected a whole number, 0 or more" "$T/err" ||
        no "message: $(first_line "$T/err")" || return 1
    kg build $TINY $TINY_DIR --focus 己 -f json -o "$T/focus.json"
    [ "$rc" = 1 ] || no "--focus 己: exit $rc, not 1" || return 1
    grep -qx "kgraph: --focus: no node is named '己' (by its id or a surface seen)" "$T/err" ||
        no "message: $(first_line "$T/err")" || return 1
    [ -e "$T/focus.json" ] && { no "--focus 己 wrote a file"; return 1; }
    kg mentions $TINY $TINY_DIR --top 3
    [ "$rc" = 2 ] && grep -q "option --top is for 'kgraph build'" "$T/err" ||
        no "mentions --top: exit $rc: $(first_line "$T/err")" || return 1
    kg suggest $TINY $TINY_DIR --measure pmi
    [ "$rc" = 2 ] && grep -q "option --measure is for 'kgraph build', 'kgraph why' and 'kgraph reduce'" "$T/err" ||
        no "suggest --measure: exit $rc: $(first_line "$T/err")"
}

# ---------------------------------------------------------------- filters

t_filters_cli() {
    # the filters and their order through the command line
    # (tests/unit_filter.c checks every filter; here: that the options reach
    # them)
    check() {
        want=$1
        shift
        "$K" build $TINY $TINY_DIR -f json "$@" -o "$T/f.json" 2>"$T/err" ||
            { no "$*: $(first_line "$T/err")"; return 1; }
        got=$("$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join(n["id"] for n in d["nodes"]), "/", " ".join(l["source"] + "-" + l["target"] for l in d["links"]))' "$T/f.json")
        [ "$got" = "$want" ] || { no "$*: got '$got', expected '$want'"; return 1; }
    }
    check "甲公司 乙公司 / 甲公司-乙公司" --min-weight 2 --drop-isolates || return 1
    check "甲公司 乙公司 丁市 / 甲公司-乙公司" --types company,place --top 1 || return 1
    check "甲公司 乙公司 丁市 / 甲公司-乙公司" --focus 丁市 --top 1 || return 1
    check "甲公司 乙公司 丁市 丙研究院 / 甲公司-乙公司 甲公司-丁市 甲公司-丙研究院 乙公司-丁市" \
        --focus 甲集团 --depth 1 || return 1
    check "甲公司 乙公司 丁市 丙研究院 戊计划 / 甲公司-丁市 乙公司-丁市" --pairs place-company || return 1
    check "甲公司 乙公司 丁市 丙研究院 戊计划 / 丙研究院-戊计划" --top-per-node 1 --top 1 || return 1
    check "甲公司 乙公司 / 甲公司-乙公司" -n 3 || return 1
    check "甲公司 乙公司 丁市 丙研究院 戊计划 / 丙研究院-戊计划" --min-score 2.5 --measure llr || return 1
    # llr: 乙丁 0.058, 甲丁 and 甲丙 -0.058 (equal weight too: edge order decides)
    check "甲公司 乙公司 丁市 丙研究院 戊计划 / 甲公司-丁市 乙公司-丁市" --measure llr \
        --min-score -1 --top 2 --pairs company-place,company-institute
}

t_json_dot_unfiltered_by_default() {
    # JSON and DOT keep the whole graph; the SVG defaults are for SVG only
    "$K" build $EXAMPLES -f json -o "$T/all.json" || no "json failed" || return 1
    "$K" build $EXAMPLES -f json --no-default-filters -o "$T/all2.json" || no "json failed" || return 1
    cmp -s "$T/all.json" "$T/all2.json" || no "--no-default-filters changes JSON" || return 1
    "$K" build $EXAMPLES -f dot -o "$T/all.dot" || no "dot failed" || return 1
    dot_counts=$(gc -n -e "$T/all.dot" | awk '{print $1, $2}')
    json_counts=$("$PY" -c 'import json, sys
d = json.load(open(sys.argv[1])); print(len(d["nodes"]), len(d["links"]))' "$T/all.json")
    [ "$dot_counts" = "$json_counts" ] || no "DOT '$dot_counts', JSON '$json_counts'" || return 1
    [ "${json_counts% *}" -gt 150 ] || no "only $json_counts in the full graph"
}

t_svg_default_filters() {
    # SVG: --min-count 2 --top-per-node 2 --top 60 --drop-isolates unless
    # an option replaces one; --no-default-filters draws everything
    svg_counts() {
        "$PY" - "$1" <<'EOF'
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = '{http://www.w3.org/2000/svg}'
groups = [g.get('class') for g in root.iter(ns + 'g')]
print(groups.count('node'), groups.count('edge'))
EOF
    }
    json_counts() {
        "$K" build $EXAMPLES -f json "$@" | "$PY" -c 'import json, sys
d = json.load(sys.stdin); print(len(d["nodes"]), len(d["links"]))'
    }
    "$K" build $EXAMPLES -f svg -o "$T/d.svg" || no "svg failed" || return 1
    got=$(svg_counts "$T/d.svg")
    want=$(json_counts --min-count 2 --top-per-node 2 --top 60 --drop-isolates)
    [ "$got" = "$want" ] && [ "$got" != "$(json_counts)" ] ||
        no "default SVG has nodes/edges '$got', expected '$want'" || return 1
    "$K" build $EXAMPLES -f svg --no-default-filters -o "$T/all.svg" || no "svg failed" || return 1
    got=$(svg_counts "$T/all.svg")
    [ "$got" = "$(json_counts)" ] || no "--no-default-filters SVG has '$got', the graph '$(json_counts)'" || return 1
    "$K" build $EXAMPLES -f svg --top 10 -o "$T/t.svg" || no "svg failed" || return 1
    got=$(svg_counts "$T/t.svg")
    [ "$got" = "$(json_counts --min-count 2 --top-per-node 2 --top 10 --drop-isolates)" ] ||
        no "--top 10 SVG has '$got'"
}

t_dot_styles() {
    # penwidth from the score, fontsize from the count
    "$K" build $TINY $TINY_DIR -f dot --measure assoc -o "$T/t.dot" || no "dot failed" || return 1
    "$PY" - "$T/t.dot" >"$T/py.out" 2>&1 <<'EOF' || no "$(tail -n 1 "$T/py.out")"
import re, sys
text = open(sys.argv[1], encoding='utf-8').read()
assert 'measure=assoc' in text, 'no measure attribute'
edges = re.findall(r'(\S+)\s+--\s+(\S+)\s+\[([^\]]*)\]', text)
pen = {}
for a, b, attrs in edges:
    kv = dict(re.findall(r'(\w+)=("[^"]*"|[^,\s]+)', attrs))
    pen[(a, b)] = (float(kv['score']), float(kv['penwidth']))
assert len(pen) == 5, pen
ordered = sorted(pen.values())
assert ordered[0][1] == 0.5 and ordered[-1][1] == 6.0, ordered      # lowest and highest score
assert all(p1 <= p2 for (_, p1), (_, p2) in zip(ordered, ordered[1:])), ordered
nodes = [dict(re.findall(r'(\w+)=("[^"]*"|[^,\s]+)', attrs)) for attrs in re.findall(r'\n\tn\d+\s+\[([^\]]*)\]', text)]
sizes = {n['name']: n['fontsize'] for n in nodes}
assert float(sizes['甲公司']) == 24 and float(sizes['戊计划']) < float(sizes['乙公司']) < 24, sizes
EOF
}

# ---------------------------------------------------------------- evidence

# check_spans JSON: every evidence item is the bytes it names, once line
# ends are removed and the slice NFKC-normalised, and names the pair (both
# nodes for the sentence window, one for wider windows); prints the count
check_spans() {
    "$PY" - "$1" <<'EOF'
import json, sys, unicodedata
d = json.load(open(sys.argv[1]))
names = {n['id']: [n['id']] + n['aliases'] for n in d['nodes']}
named = lambda node, text: any(a in text for a in names[node])
files = {}
n = 0
for l in d['links']:
    for i in l['evidence']:
        ev = d['sentences'][i]
        data = files.setdefault(ev['doc'], open(ev['doc'], 'rb').read())
        assert 0 <= ev['start'] < ev['end'] <= len(data), ev
        raw = data[ev['start']:ev['end']].decode('utf-8')       # on character boundaries
        flat = unicodedata.normalize('NFKC', raw.replace('\r', '').replace('\n', ''))
        assert flat == ev['text'], '%r at %s %d-%d is not %r' % (flat, ev['doc'], ev['start'], ev['end'], ev['text'])
        if d['graph']['window'] == 'sentence':
            assert named(l['source'], flat) and named(l['target'], flat), (l, flat)
        else:
            assert named(l['source'], flat) or named(l['target'], flat), (l, flat)
        n += 1
used = {i for l in d['links'] for i in l['evidence']}
assert used == set(range(len(d['sentences']))), 'sentences no link names'
print(n)
EOF
}

t_evidence_spans_tiny() {
    for w in sentence paragraph document; do
        "$K" build $TINY $TINY_DIR -w $w -f json -o "$T/ev-$w.json" || no "-w $w failed" || return 1
        n=$(check_spans "$T/ev-$w.json" 2>"$T/py.err") || no "-w $w: $(tail -n 1 "$T/py.err")" || return 1
        [ "$n" -ge 5 ] || no "-w $w: only $n evidence items" || return 1
    done
    # the CR LF and indentation of d2, a wrap inside 丙研|究院 in d1
    grep -q '"doc":"tests/data/edges/d2.txt","start":6,"end":41,"text":"甲公司和乙公司再签约。"' \
        "$T/ev-sentence.json" || no "d2's first sentence is not bytes 6-41" || return 1
    grep -q '"start":30,"end":85,"text":"甲集团与丙研究院合作(二〇二一年)。"' "$T/ev-sentence.json" ||
        no "d1's wrapped sentence is not bytes 30-85"
}

t_evidence_spans_examples() {
    for w in sentence paragraph; do
        "$K" build $EXAMPLES -w $w -f json -o "$T/ex-$w.json" || no "-w $w failed" || return 1
        n=$(check_spans "$T/ex-$w.json" 2>"$T/py.err") || no "-w $w: $(tail -n 1 "$T/py.err")" || return 1
        [ "$n" -ge 150 ] || no "-w $w: only $n evidence items" || return 1
    done
}

t_evidence_limit_and_documents() {
    "$K" build $EXAMPLES -f json --evidence 1 -o "$T/e1.json" || no "--evidence 1 failed" || return 1
    "$K" build $EXAMPLES -f json --evidence 0 -o "$T/e0.json" || no "--evidence 0 failed" || return 1
    "$K" build $EXAMPLES -f json -o "$T/e3.json" || no "build failed" || return 1
    "$PY" - "$T" >"$T/py.out" 2>&1 <<'EOF' || no "$(tail -n 1 "$T/py.out")"
import json, sys
g = {n: json.load(open('%s/e%d.json' % (sys.argv[1], n))) for n in (0, 1, 3)}
for n, d in g.items():
    for l in d['links']:
        assert len(l['evidence']) == min(l['weight'], n), (n, l)
assert g[0]['sentences'] == []
# the first items are the same whatever the limit: the first windows
for l1, l3 in zip(g[1]['links'], g[3]['links']):
    assert g[1]['sentences'][l1['evidence'][0]] == g[3]['sentences'][l3['evidence'][0]], (l1, l3)
docs = {'examples/000_a8bf9349f94f38d1.txt', 'examples/002_1128ddf1decc5f49.txt',
        'examples/004_f51ed46a56d66831.txt'}
for n in g[3]['nodes']:
    assert len(n['documents']) == n['docs'] and set(n['documents']) <= docs, n
    assert n['documents'] == sorted(n['documents']), n      # input order
EOF
}

# ---------------------------------------------------------------- why

t_why_output() {
    kg why $TINY 甲集团 乙公司 $TINY_DIR
    [ "$rc" = 0 ] || no "exit $rc: $(first_line "$T/err")" || return 1
    printf '%s\n' "甲公司 -- 乙公司: weight 2 (sentence windows), docs 2, jaccard 0.4" \
        "tests/data/edges/d1.txt:0-30: 甲公司和乙公司签约。" \
        "tests/data/edges/d2.txt:6-41: 甲公司和乙公司再签约。" >"$T/want"
    cmp -s "$T/out" "$T/want" || no "got: $(cat "$T/out")" || return 1
    kg why $TINY --evidence 1 --measure llr -w document 丙研究院 乙公司 $TINY_DIR
    printf '%s\n' "丙研究院 -- 乙公司: weight 2 (document windows), docs 2, llr 0" \
        "tests/data/edges/d1.txt:0-30: 甲公司和乙公司签约。" \
        "(1 more window; --evidence N keeps up to N)" >"$T/want"
    cmp -s "$T/out" "$T/want" || no "got: $(cat "$T/out")" || return 1
    # on the examples, with the built-in rules
    kg why 魏桥创业集团 中国科学院大学 $EXAMPLES
    [ "$rc" = 0 ] && grep -q "^examples/000_a8bf9349f94f38d1.txt:[0-9]*-[0-9]*: .*魏桥创业集团和中国科学院大学" "$T/out" ||
        no "examples: exit $rc: $(first_line "$T/out")"
}

t_why_errors() {
    kg why $TINY 己 乙公司 $TINY_DIR
    [ "$rc" = 1 ] && grep -qx "kgraph: no node is named '己' (by its id or a surface seen)" "$T/err" ||
        no "unknown name: exit $rc: $(first_line "$T/err")" || return 1
    kg why $TINY 乙公司 丙研究院 $TINY_DIR
    [ "$rc" = 1 ] && grep -qx "kgraph: 乙公司 and 丙研究院 are not linked: no sentence mentions both" "$T/err" ||
        no "not linked: exit $rc: $(first_line "$T/err")" || return 1
    kg why $TINY 甲公司 甲集团 $TINY_DIR
    [ "$rc" = 1 ] && grep -q "both name 甲公司" "$T/err" || no "same node: exit $rc: $(first_line "$T/err")" || return 1
    [ -s "$T/out" ] && { no "printed on error: $(first_line "$T/out")"; return 1; }
    kg why $TINY 甲公司 乙公司
    [ "$rc" = 2 ] && grep -q "give two names and at least one INPUT" "$T/err" ||
        no "no input: exit $rc: $(first_line "$T/err")" || return 1
    kg why $TINY 甲公司 乙公司 $TINY_DIR --top 3
    [ "$rc" = 2 ] && grep -q "option --top is for 'kgraph build'" "$T/err" ||
        no "--top: exit $rc: $(first_line "$T/err")" || return 1
    kg why $TINY 甲公司 乙公司 nosuch.txt
    [ "$rc" = 1 ] && grep -q "nosuch.txt" "$T/err" || no "missing file: exit $rc" || return 1
    kg why --help
    [ "$rc" = 0 ] && grep -q "^usage: kgraph why \[OPTIONS\] A B INPUT" "$T/out" &&
        grep -q -- "--no-default-rules" "$T/out" && grep -q -- "--window" "$T/out" ||
        no "--help: exit $rc" || return 1
    kg --help
    grep -q "^  why " "$T/out" || no "kgraph --help does not list why"
}

t_build_help_states_defaults() {
    kg build --help
    [ "$rc" = 0 ] || no "exit $rc" || return 1
    grep -q -- "--min-count 2 --top-per-node 2 --top 60 --drop-isolates" "$T/out" ||
        no "SVG defaults not in --help" || return 1
    grep -q "filters, applied in this order" "$T/out" || no "filter order not in --help" || return 1
    for o in --measure --evidence --types --pairs --min-count --min-weight --min-score --focus \
             --depth --top-per-node --top --drop-isolates --no-default-filters; do
        grep -q -- "$o" "$T/out" || { no "$o not in --help"; return 1; }
    done
}

# ---------------------------------------------------------------- determinism

# ---------------------------------------------------------------- relations

t_relations_examples() {
    # built-in relation rules on the shipped examples: JSON carries the label
    # and its direction, DOT the label and an arrow, and dot re-reads it
    "$K" build examples/ -f json -o "$T/g.json" 2>"$T/err" || no "json: $(first_line "$T/err")" || return 1
    "$K" build examples/ -f dot -o "$T/g.dot" 2>"$T/err" || no "dot: $(first_line "$T/err")" || return 1
    "$PY" - "$T/g.json" >"$T/py.out" 2>&1 <<'EOF' || no "$(tail -n 1 "$T/py.out")" || return 1
import json, sys
g = json.load(open(sys.argv[1], encoding='utf-8'))
rel = {frozenset((l['source'], l['target'])): l for l in g['links'] if 'relation' in l}
l = rel.get(frozenset(('东华大学', '魏桥创业院士研究院')))
assert l and l['relation'] == 'co_founded', l
assert l['relation_from'] == '东华大学' and l['relation_to'] == '魏桥创业院士研究院', l
l = rel.get(frozenset(('魏桥创业集团', '中国科学院大学')))
assert l and l['relation'] == 'cooperates_with' and 'relation_from' not in l, l
l = rel.get(frozenset(('信息技术产业园', '黄河三角洲大数据中心')))
assert l and l['relation'] == 'relies_on' and l['relation_from'] == '信息技术产业园', l
assert l['weight'] >= 1 and 'score' in l, 'a labelled edge keeps its weight and score'
EOF
    # the label in Chinese (--lang en: the relation's name)
    grep -q 'relation=co_founded' "$T/g.dot" && grep -q 'label=共建' "$T/g.dot" &&
        grep -Eq 'dir=(forward|back)' "$T/g.dot" || no "DOT lacks the relation label or its arrow" || return 1
    "$K" build examples/ -f dot --lang en | grep -q 'label=co_founded' || no "--lang en: no label=co_founded" || return 1
    dot -Tsvg "$T/g.dot" -o "$T/g.svg" 2>"$T/err" || no "dot cannot read it: $(first_line "$T/err")" || return 1
    "$K" why 东华大学 魏桥创业院士研究院 examples/ >"$T/why" 2>"$T/err" || no "why: $(first_line "$T/err")" || return 1
    grep -q '^relation: 东华大学 co_founded 魏桥创业院士研究院$' "$T/why" || no "why does not show the relation: $(sed -n 2p "$T/why")"
}

t_deterministic_jobs() {
    # the same bytes for -j 1 and -j 4: JSON with evidence, DOT, why
    for j in 1 4; do
        "$K" build $EXAMPLES $EXAMPLES -j $j -f json -w paragraph -o "$T/j$j.json" || no "-j $j failed" || return 1
        "$K" build $EXAMPLES -j $j -f dot --measure npmi --top 30 -o "$T/j$j.dot" || no "-j $j failed" || return 1
        "$K" why -j $j --evidence 10 山东省 德州市 $EXAMPLES $EXAMPLES >"$T/j$j.why" || no "why -j $j failed" || return 1
    done
    cmp -s "$T/j1.json" "$T/j4.json" || no "JSON differs between -j 1 and -j 4" || return 1
    cmp -s "$T/j1.dot" "$T/j4.dot" || no "DOT differs between -j 1 and -j 4" || return 1
    cmp -s "$T/j1.why" "$T/j4.why" || no "why differs between -j 1 and -j 4" || return 1
    [ "$(wc -l <"$T/j1.why")" -ge 4 ] || no "why printed $(wc -l <"$T/j1.why") lines"
}

run measures_in_json
run pairs_per_window_cap
run bad_option_values
run filters_cli
run json_dot_unfiltered_by_default
run svg_default_filters
run dot_styles
run evidence_spans_tiny
run evidence_spans_examples
run evidence_limit_and_documents
run why_output
run why_errors
run build_help_states_defaults
run deterministic_jobs
run relations_examples
summary edges
