#!/bin/sh
# tests/e2e_install.sh: make install, as a user or a packager runs it.
# Installs into a temporary DESTDIR, checks every file is there, builds a
# small program (tests/data/install/count.c) against the installed library
# with nothing but `pkg-config --cflags --libs kgraph` (shared, then
# --static) and runs it; runs the installed kgraph; installs with another
# PREFIX after a plain build; checks the man page with groff and that the
# bash completion knows every option each command's --help lists. Prints
# "ok NAME" or "FAIL NAME: why" per test and ends with "install: N passed,
# N failed". Needs make, cc, pkg-config and groff (make deps).
#
# It installs the normal build (make install builds it): the sanitizer
# build has no install.

ROOT=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$ROOT" || exit 2
. tests/lib.sh
need_kgraph install
PREFIX=/usr/local
D=$T/dest
LIB=$D$PREFIX/lib
# pkg-config reads the staged kgraph.pc and puts DESTDIR before its paths
export PKG_CONFIG_PATH=$LIB/pkgconfig PKG_CONFIG_SYSROOT_DIR=$D
ARTICLE=examples/000_a8bf9349f94f38d1.txt
RULES=$D$PREFIX/share/kgraph/rules

# make_quiet ARGS…: make in the project, its output in $T/make.log.
make_quiet() {
    make -s --no-print-directory "$@" >"$T/make.log" 2>&1 ||
        { no "make $*: $(tail -n 3 "$T/make.log" | tr '\n' ' ')"; return 1; }
}

t_destdir_install() {
    make_quiet install DESTDIR="$D" || return 1
    for f in bin/kgraph share/kgraph/rules/patterns.rules share/kgraph/rules/places.tsv \
             share/kgraph/rules/lexicon.txt $(cd rules && ls rules-*.kgc lexicon-*.kgc | sed 's|^|share/kgraph/rules/|') \
             include/kgraph.h lib/libkgraph.a \
             lib/libkgraph.so.$VERSION lib/libkgraph.so.0 lib/libkgraph.so lib/pkgconfig/kgraph.pc \
             share/man/man1/kgraph.1 share/bash-completion/completions/kgraph; do
        [ -e "$D$PREFIX/$f" ] || { no "$PREFIX/$f not installed"; return 1; }
    done
    soname=$(readelf -d "$LIB/libkgraph.so.$VERSION" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
    [ "$soname" = libkgraph.so.0 ] || { no "soname '$soname', expected libkgraph.so.0"; return 1; }
    grep -q "^prefix=$PREFIX\$" "$LIB/pkgconfig/kgraph.pc" || no "kgraph.pc names no prefix=$PREFIX"
}

# compile_count NAME PKG_CONFIG_ARGS…: build count.c as $T/NAME.
compile_count() {
    name=$1
    shift
    flags=$(pkg-config "$@" kgraph) || { no "pkg-config $* kgraph failed"; return 1; }
    # shellcheck disable=SC2086 # the flags are words
    cc -o "$T/$name" tests/data/install/count.c $flags 2>"$T/cc.err" ||
        { no "cc ... $flags: $(first_line "$T/cc.err")"; return 1; }
}

t_program_with_pkg_config() {
    compile_count count --cflags --libs || return 1
    readelf -d "$T/count" | grep -q 'NEEDED.*\[libkgraph.so.0\]' ||
        { no "count does not need libkgraph.so.0"; return 1; }
    LD_LIBRARY_PATH=$LIB "$T/count" "$RULES" "$ARTICLE" >"$T/count.out" 2>"$T/err" ||
        { no "count: $(first_line "$T/err")"; return 1; }
    grep -q "^kgraph $VERSION: [1-9][0-9]* nodes, [1-9][0-9]* edges\$" "$T/count.out" ||
        { no "count printed: $(first_line "$T/count.out")"; return 1; }
    # the same graph the tool builds
    "$K" build --no-corpus-short-forms -f json "$ARTICLE" >"$T/tool.json" 2>/dev/null
    tail -n +2 "$T/count.out" >"$T/count.json"
    "$PY" -c 'import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
ids = lambda d: sorted(n["id"] for n in d["nodes"])
sys.exit(ids(a) != ids(b))' "$T/count.json" "$T/tool.json" || no "count's nodes differ from kgraph build's"
}

# libkgraph.a, with the libraries kgraph links shared, as README.md says
# (pkg-config --static would also want static builds of igraph's own
# dependencies, glpk and others, which Debian's libigraph-dev does not pull in).
t_program_static() {
    flags=$(pkg-config --cflags --libs kgraph $(pkg-config --print-requires-private kgraph)) ||
        { no "pkg-config of kgraph's requirements failed"; return 1; }
    # shellcheck disable=SC2086
    cc -o "$T/count-static" tests/data/install/count.c \
        $(echo "$flags" | sed 's/-lkgraph/-Wl,-Bstatic -lkgraph -Wl,-Bdynamic/') -lpthread -lm 2>"$T/cc.err" ||
        { no "static link: $(first_line "$T/cc.err")"; return 1; }
    readelf -d "$T/count-static" | grep -q 'libkgraph' && { no "linked libkgraph.so, not .a"; return 1; }
    "$T/count-static" "$RULES" "$ARTICLE" >/dev/null 2>"$T/err" || no "count-static: $(first_line "$T/err")"
}

# The staged binary finds nothing at PREFIX yet: KGRAPH_RULES points it at
# the staged rules, and it draws what ./kgraph draws.
t_installed_tool_runs() {
    KGRAPH_RULES=$RULES "$D$PREFIX/bin/kgraph" build -f json $EXAMPLES >"$T/a.json" 2>"$T/err" ||
        { no "installed kgraph: $(first_line "$T/err")"; return 1; }
    "$ROOT/kgraph" build -f json $EXAMPLES >"$T/b.json" 2>/dev/null
    cmp -s "$T/a.json" "$T/b.json" || no "installed kgraph's JSON differs from ./kgraph's"
}

# After a plain build, make install PREFIX=… rebuilds with that prefix: the
# binary finds its rules there, run from anywhere (the issue: "built-in
# rules not found"). Then the tree is built back with the default prefix.
t_other_prefix_after_build() {
    make_quiet install PREFIX="$T/p" || return 1
    (cd / && "$T/p/bin/kgraph" mentions "$ROOT/$ARTICLE") >"$T/out" 2>"$T/err"
    status=$?
    make_quiet kgraph libkgraph.so.$VERSION kgraph.pc || return 1
    [ "$status" = 0 ] && [ -s "$T/out" ] || { no "kgraph from PREFIX=$T/p: $(first_line "$T/err")"; return 1; }
    grep -q "^prefix=$PREFIX\$" kgraph.pc || no "kgraph.pc not made again for $PREFIX"
}

t_man_page() {
    page=$D$PREFIX/share/man/man1/kgraph.1
    head -n 1 "$page" | grep -q '^\.TH KGRAPH 1 ' || { no "no .TH KGRAPH 1 line"; return 1; }
    groff -k -man -Tutf8 -ww -z "$page" 2>"$T/groff.err"
    grep -v 'cannot adjust line' "$T/groff.err" >"$T/groff.warn"
    [ -s "$T/groff.warn" ] && { no "groff: $(first_line "$T/groff.warn")"; return 1; }
    grep -q '^\.SH "EXIT STATUSES"' "$page" || no "no EXIT STATUSES section"
}

# Every option that a command's --help lists is one the completion offers
# for that command, and every format kgraph knows is one it offers after -f.
t_completion_knows_every_option() {
    comp=$D$PREFIX/share/bash-completion/completions/kgraph
    for cmd in build mentions explain map combine reduce suggest why compile; do
        "$K" $cmd --help | sed -n 's/^  \(-[a-zA-Z], \)\{0,1\}\(--[a-z-]*\).*/\1\2/p' |
            tr -d ',' | tr ' ' '\n' | grep . >"$T/opts" || { no "$cmd --help lists no options"; return 1; }
        while read -r opt; do
            bash -c ". '$comp'; COMP_WORDS=(kgraph $cmd -); COMP_CWORD=2; _kgraph; printf '%s\n' \"\${COMPREPLY[@]}\"" \
                >"$T/offered" 2>&1
            grep -qx -- "$opt" "$T/offered" || { no "completion misses $opt for $cmd"; return 1; }
        done <"$T/opts"
    done
    bash -c ". '$comp'; COMP_WORDS=(kgraph build -f ''); COMP_CWORD=3; _kgraph; echo \"\${COMPREPLY[*]}\"" >"$T/formats"
    "$K" build -f nosuch 2>&1 | sed -n "s/.*unknown format 'nosuch' (\(.*\)).*/\1/p" | tr -d ',' | tr ' ' '\n' |
        while read -r f; do grep -qw -- "$f" "$T/formats" || { echo "$f"; break; }; done >"$T/missing"
    [ -s "$T/missing" ] && no "completion misses format $(cat "$T/missing")"
    return 0
}

VERSION=$(sed -n 's/^#define KGRAPH_VERSION "\(.*\)"/\1/p' src/kgraph.h)
run destdir_install
run program_with_pkg_config
run program_static
run installed_tool_runs
run other_prefix_after_build
run man_page
run completion_knows_every_option
summary install
