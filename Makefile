# kgraph — build, demo, tests and benchmark.
#
#   make demo    install missing Debian packages, build, and render the
#                shipped examples into examples/out/graph.{svg,dot,json}
#   make test    install missing packages, build, run every test (the
#                browser tests install playwright-core with npm)
#   make bench   speed and memory against the reference Python pipeline
#                (needs ../shared/bench; see docs/design.md; with
#                KGRAPH_BENCH_1GB=1 also a 1 GB corpus)
#   make check-asan, check-valgrind, fuzz: sanitizers, valgrind, libFuzzer
#                (docs/design.md, "Proof: sanitizers, valgrind, fuzzing");
#                fuzz-seeds: the lexicon's compiled seeds, after a format change
#   make install PREFIX=/usr/local [DESTDIR=/staging]: the tool, rules,
#                kgraph.h, libkgraph.a and .so, kgraph.pc, kgraph(1), bash
#                completion

PKGS     := libcgraph libgvc libutf8proc libcjson igraph
PREFIX   ?= /usr/local
DATADIR  := $(PREFIX)/share/kgraph
LIBDIR   := $(PREFIX)/lib
# The shared library's ABI version: its soname is libkgraph.so.$(SOMAJOR).
SOMAJOR  := 0
VERSION  := $(shell sed -n 's/^\#define KGRAPH_VERSION "\(.*\)"/\1/p' src/kgraph.h)
CC       ?= cc
CFLAGS   ?= -O2 -g
# -fPIC: the same objects make libkgraph.a and libkgraph.so.
CFLAGS   += -std=c11 -D_GNU_SOURCE -fPIC -Wall -Wextra -Wshadow -Wno-unused-parameter \
            -DKGRAPH_DATADIR='"$(DATADIR)"' $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
            $(SANITIZE)
LDLIBS   += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

# Debian packages the build and the demo need (python3: the explorer's
# assets and the man page are made with it; libigraph-dev: communities and
# centralities, src/analysis.c; libopencc-dev: Traditional Chinese,
# src/convert.c; a CJK font for the pictures).
DEMO_PACKAGES := gcc make pkg-config graphviz libgraphviz-dev libutf8proc-dev \
                 libcjson-dev libigraph-dev libopencc-dev fonts-wqy-microhei python3
# and those only the tests need (chromium: the browser tests,
# tests/e2e_browser.sh, which also run npm ci in tests/browser;
# poppler-utils: comparing PDFs by their words and boxes, tests/lib.sh;
# python3-networkx, python3-igraph: reading the exports and recomputing the
# analysis, tests/clients/; python3-distributed: Dask, the cluster engine
# tests/e2e_mapreduce.sh runs map and reduce on; opencc: the examples
# turned Traditional, tests/e2e_input.sh; raptor2-utils and python3-rdflib:
# parsing and querying the Turtle, tests/e2e_exports.sh; groff-base:
# checking the man page, tests/e2e_install.sh; clang, its runtimes and
# valgrind: the sanitizer, fuzzing and valgrind targets).
TEST_PACKAGES := python3-networkx chromium poppler-utils python3-igraph python3-distributed \
                 opencc raptor2-utils python3-rdflib groff-base \
                 clang libclang-rt-dev valgrind
DEB_PACKAGES := $(DEMO_PACKAGES) $(TEST_PACKAGES)

LIB_SRC := src/util.c src/spool.c src/cache.c src/compile.c src/source.c src/decode.c src/meta.c src/dates.c src/lexicon.c src/rules.c src/lint.c src/automaton.c src/match.c src/extract.c \
           src/cooccur.c src/evidence.c src/measure.c src/filter.c src/analysis.c src/graph.c src/graph_gv.c src/pipeline.c \
           src/render.c src/render_chunks.c src/render_dot.c src/render_gv.c src/render_json.c src/render_html.c \
           src/render_fields.c src/render_xml.c src/render_graphml.c src/render_gexf.c \
           src/render_cyjs.c src/render_csv.c src/render_neo4j.c src/render_ttl.c src/shortform.c src/corpus.c src/explain.c src/suggest.c \
           src/relation.c src/merge.c src/mapblock.c src/mapreduce.c src/combine.c src/style.c src/convert.c \
           src/text_width.c
# B: the folder prefix of everything a build writes. Empty for the normal
# build; the sanitizer and fuzzing builds (below) set it and SANITIZE, so
# their objects never mix with the normal build's.
B        :=
SANITIZE :=
LIB_OBJ := $(addprefix $(B),$(LIB_SRC:.c=.o))
HEADERS := $(filter-out src/explorer_assets.h src/hanzi_variants.h,$(wildcard src/*.h))

all: kgraph rules/.compiled

# The command line: main.c dispatches to a file per subcommand (cmd_*.c),
# which share cli.c (and cli_graph.c, the options of the commands that make
# a graph); progress.c: the terminal's progress line.
CLI_SRC := src/main.c src/cli.c src/cli_graph.c src/progress.c $(wildcard src/cmd_*.c)
$(B)kgraph: $(addprefix $(B),$(CLI_SRC:.c=.o)) $(B)libkgraph.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(B)libkgraph.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

# The shared library, named by its full version, with the soname a
# program linked against it records (libkgraph.so.0).
$(B)libkgraph.so.$(VERSION): $(LIB_OBJ)
	$(CC) $(CFLAGS) -shared -Wl,-soname,libkgraph.so.$(SOMAJOR) -o $@ $^ $(LDLIBS)

# The rules folder the binary looks in last is compiled in (src/rules.c):
# prefix.stamp holds the PREFIX of the last build, rewritten only when it
# changes, so `make install PREFIX=/opt/k` after a plain `make` rebuilds
# what it must instead of installing a binary that looks in /usr/local.
prefix.stamp: FORCE
	@[ "$$(cat $@ 2>/dev/null)" = "$(PREFIX)" ] || echo "$(PREFIX)" >$@
$(B)src/rules.o: prefix.stamp
FORCE:

$(B)src/%.o: src/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

# The built-in rules' compiled form, and their lexicon's (src/compile.h),
# made by the tool just built and named by their content: a run with the
# built-in rules maps them instead of parsing (make install puts them
# beside the installed rules). Forms of earlier rules are removed first.
rules/.compiled: kgraph $(wildcard rules/*.rules rules/*.tsv) rules/lexicon.txt
	rm -f rules/*.kgc
	KGRAPH_RULES=rules ./kgraph compile -q -o rules/
	touch $@

# The explorer's skeleton, style sheet and script (src/explorer/) as C
# strings for render_html.c: each line quoted, with \ " and ? escaped (?
# because ?? starts a trigraph in ISO C); and the style sheet's and the
# script's SHA-256 (base64), which the page's Content-Security-Policy
# allows instead of 'unsafe-inline'.
EXPLORER_ASSETS := src/explorer/explorer.html src/explorer/explorer.css src/explorer/explorer.js
SHA256_BASE64 := python3 -c 'import base64, hashlib, sys; \
    print(base64.b64encode(hashlib.sha256(open(sys.argv[1], "rb").read()).digest()).decode())'

src/explorer_assets.h: $(EXPLORER_ASSETS) Makefile
	{ echo '/* Made by make from src/explorer/: edit those files, not this one. */'; \
	  for f in $(EXPLORER_ASSETS); do \
	    echo "static const char $$(basename $$f | tr . _)[] ="; \
	    sed -e 's/[\\"?]/\\&/g' -e 's/^/    "/' -e 's/$$/\\n"/' $$f; \
	    echo '    ;'; \
	  done; \
	  for f in src/explorer/explorer.css src/explorer/explorer.js; do \
	    echo "static const char $$(basename $$f | tr . _)_sha256[] = \"$$($(SHA256_BASE64) $$f)\";"; \
	  done; } >$@.tmp && mv $@.tmp $@

$(B)src/render_html.o: src/explorer_assets.h

# Which characters are Traditional-only and which Simplified-only, asked of
# the OpenCC installed (src/make_variants.c), for src/convert.c.
src/make_variants: src/make_variants.c
	$(CC) -O2 -Wall -Wextra -o $@ $< $(shell pkg-config --cflags --libs opencc)

src/hanzi_variants.h: src/make_variants
	src/make_variants >$@.tmp && mv $@.tmp $@

# OpenCC is loaded by src/convert.c when a document is first converted,
# not linked (see there): its header at compile time, its soname to load.
OPENCC_SONAME := $(shell readelf -d $$(pkg-config --variable=libdir opencc 2>/dev/null)/libopencc.so \
                   2>/dev/null | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
$(B)src/convert.o: src/hanzi_variants.h
$(B)src/convert.o: CFLAGS += $(shell pkg-config --cflags opencc 2>/dev/null) \
                             -DKG_OPENCC_SONAME='"$(or $(OPENCC_SONAME),libopencc.so)"'

# tests/unit: the harness, the shared fixtures and a file of tests per
# src module, every tests/unit*.c (tests/unit.h: each module registers
# itself); it also replays tests/fuzz/corpus/ through the fuzz targets.
FUZZ_SRC := tests/fuzz/targets.c tests/fuzz/targets.h
UNIT_SRC := $(wildcard tests/unit*.c) tests/fuzz/targets.c
UNIT_OBJ := $(addprefix $(B),$(UNIT_SRC:.c=.o))

$(B)tests/%.o: tests/%.c tests/unit.h tests/fuzz/targets.h $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isrc -c -o $@ $<

$(B)tests/unit: $(UNIT_OBJ) $(B)libkgraph.a
	$(CC) $(CFLAGS) -o $@ $(UNIT_OBJ) $(B)libkgraph.a $(LDLIBS)

# The compiled rule set's unit tests (src/compile.c), a small binary of
# their own; they replay tests/fuzz/corpus/compiled/ through its target.
$(B)tests/unit_compile: tests/unit_compile.c $(FUZZ_SRC) $(B)libkgraph.a $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isrc -Itests -o $@ tests/unit_compile.c tests/fuzz/targets.c $(B)libkgraph.a $(LDLIBS)

# Install whatever of DEB_PACKAGES is missing (apt-get; sudo when not root).
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  echo "kgraph: installing Debian packages:" $$missing; \
	  sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing >/dev/null || exit 1; \
	fi

# Only what the build and the demo need: the test packages (chromium, clang,
# valgrind …: some 600 MB) come with make test.
deps-demo:
	@$(MAKE) --no-print-directory deps DEB_PACKAGES='$(DEMO_PACKAGES)'

demo: deps-demo
	$(MAKE) kgraph
	mkdir -p examples/out
	./kgraph build examples/*.txt -f svg -o examples/out/graph.svg
	./kgraph build examples/*.txt -f dot -o examples/out/graph.dot
	./kgraph build examples/*.txt -f json -o examples/out/graph.json
	@echo "kgraph: wrote examples/out/graph.svg, graph.dot and graph.json"

# Every test twice: with the normal build, then with the sanitizer build.
test: deps
	$(MAKE) kgraph rules/.compiled libkgraph.so.$(VERSION) kgraph.pc kgraph.1 tests/unit asan
	sh tests/run.sh . build-asan

# The tool and tests/unit in build-asan/, built with AddressSanitizer (and
# its LeakSanitizer) and UBSan, the first finding fatal. The rules/ link
# lets build-asan/kgraph find the built-in rules beside it as ./kgraph does.
ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# The generated header is made here, once: the builds' own makes would
# both write it when run side by side (make -j).
asan fuzz-build: src/explorer_assets.h src/hanzi_variants.h

asan:
	$(MAKE) B=build-asan/ CC=clang SANITIZE='$(ASAN_FLAGS)' build-asan/kgraph build-asan/tests/unit
	ln -sfn ../rules build-asan/rules

# Every test with the sanitizer build only.
check-asan: deps
	$(MAKE) asan
	sh tests/run.sh build-asan

# kgraph's commands under valgrind's memcheck, leaks "definitely lost"
# included (about a minute, so not part of make test).
check-valgrind: deps
	$(MAKE) kgraph
	sh tests/valgrind.sh

# make fuzz: each libFuzzer target (tests/fuzz/targets.h) for FUZZ_SECONDS,
# from its seeds and finds in tests/fuzz/corpus/TARGET/ and its dictionary.
# New inputs go to build-fuzz/corpus/TARGET/ (make fuzz-merge keeps those
# that add coverage), a crash to build-fuzz/TARGET-crash-*, the targets'
# temporary folders to build-fuzz/tmp (libFuzzer ends with _Exit, so they
# stay). tests/unit replays tests/fuzz/corpus/ in every make test.
FUZZ_TARGETS := rules tsv doc filter reduce render lexicon compiled
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
                -fno-sanitize-recover=all

$(B)fuzz-%: tests/fuzz/fuzz.c $(FUZZ_SRC) $(B)libkgraph.a $(HEADERS)
	$(CC) $(CFLAGS) -fsanitize=fuzzer -Isrc -DFUZZ_TARGET=kg_fuzz_$* -o $@ \
	    tests/fuzz/fuzz.c tests/fuzz/targets.c $(B)libkgraph.a $(LDLIBS)

fuzz-build:
	$(MAKE) B=build-fuzz/ CC=clang SANITIZE='$(FUZZ_FLAGS)' $(FUZZ_TARGETS:%=build-fuzz/fuzz-%)

fuzz: deps
	$(MAKE) fuzz-build
	mkdir -p build-fuzz/tmp
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p build-fuzz/corpus/$$t && \
	  TMPDIR=$(CURDIR)/build-fuzz/tmp build-fuzz/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -max_len=4096 \
	      -dict=tests/fuzz/$$t.dict -artifact_prefix=build-fuzz/$$t- \
	      build-fuzz/corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

# The lexicon target's compiled seeds, made again from its text seed by the
# library (tests/fuzz/make_lexicon_seeds.c): after a change of the
# lexicon's compiled format.
$(B)tests/fuzz/make_lexicon_seeds: tests/fuzz/make_lexicon_seeds.c $(B)libkgraph.a $(HEADERS)
	$(CC) $(CFLAGS) -Isrc -o $@ $< $(B)libkgraph.a $(LDLIBS)

fuzz-seeds: $(B)tests/fuzz/make_lexicon_seeds
	./$(B)tests/fuzz/make_lexicon_seeds tests/fuzz/corpus/lexicon/seed-text.lex tests/fuzz/corpus/lexicon

# Only inputs that reach a new edge (not a new hit count): a few hundred
# small files rather than thousands.
fuzz-merge: fuzz-build
	for t in $(FUZZ_TARGETS); do \
	  build-fuzz/fuzz-$$t -merge=1 -use_counters=0 tests/fuzz/corpus/$$t build-fuzz/corpus/$$t || exit 1; \
	done

bench: kgraph
	sh tests/bench/run.sh

# kgraph(1): docs/cli.md as a manual page (docs/make_man.py).
kgraph.1: docs/cli.md docs/make_man.py src/kgraph.h
	python3 docs/make_man.py docs/cli.md $(VERSION) >$@.tmp && mv $@.tmp $@

# pkg-config's file: the libraries kgraph links with are private (needed
# only to link statically, pkg-config --static), so a program linked
# against libkgraph.so names only -lkgraph.
kgraph.pc: Makefile src/kgraph.h prefix.stamp
	printf '%s\n' 'prefix=$(PREFIX)' 'includedir=$${prefix}/include' 'libdir=$(LIBDIR)' '' \
	    'Name: kgraph' 'Description: Chinese news to a knowledge graph of co-occurring entities' \
	    'Version: $(VERSION)' 'Requires.private: $(PKGS)' 'Cflags: -I$${includedir}' \
	    'Libs: -L$${libdir} -lkgraph' 'Libs.private: -lpthread -lm' >$@

# DESTDIR stages the files (a package build, tests/e2e_install.sh): they
# are written below it, and name PREFIX as where they will be.
install: kgraph rules/.compiled libkgraph.a libkgraph.so.$(VERSION) kgraph.pc kgraph.1
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)/rules $(DESTDIR)$(PREFIX)/include \
	    $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 755 kgraph $(DESTDIR)$(PREFIX)/bin/kgraph
	install -m 644 rules/*.rules rules/*.tsv rules/lexicon.txt rules/*.kgc $(DESTDIR)$(DATADIR)/rules/
	install -m 644 src/kgraph.h $(DESTDIR)$(PREFIX)/include/kgraph.h
	install -m 644 libkgraph.a $(DESTDIR)$(LIBDIR)/libkgraph.a
	install -m 755 libkgraph.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libkgraph.so.$(VERSION)
	ln -sfn libkgraph.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libkgraph.so.$(SOMAJOR)
	ln -sfn libkgraph.so.$(SOMAJOR) $(DESTDIR)$(LIBDIR)/libkgraph.so
	install -m 644 kgraph.pc $(DESTDIR)$(LIBDIR)/pkgconfig/kgraph.pc
	install -m 644 kgraph.1 $(DESTDIR)$(PREFIX)/share/man/man1/kgraph.1
	install -m 644 src/kgraph.bash \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions/kgraph

clean:
	rm -f kgraph libkgraph.a libkgraph.so.* kgraph.pc kgraph.1 prefix.stamp src/*.o tests/*.o \
	    tests/fuzz/*.o tests/fuzz/make_lexicon_seeds tests/unit src/explorer_assets.h src/hanzi_variants.h src/make_variants \
	    rules/*.kgc rules/.compiled
	rm -rf build-asan build-fuzz

.PHONY: FORCE all deps deps-demo demo test asan check-asan check-valgrind fuzz-build fuzz fuzz-merge fuzz-seeds bench install clean
