# kgraph — build, demo, tests and benchmark.
#
#   make demo    install missing Debian packages, build, and render the
#                shipped examples into examples/out/graph.{svg,dot,json}
#   make test    install missing packages, build, run every test (the
#                browser tests install playwright-core with npm)
#   make bench   speed and memory against the reference Python pipeline
#                (needs ../shared/bench; see docs/design.md)
#   make check-asan, check-valgrind, fuzz: sanitizers, valgrind, libFuzzer
#                (docs/design.md, "Proof: sanitizers, valgrind, fuzzing")
#   make install PREFIX=/usr/local

PKGS     := libcgraph libgvc libutf8proc libcjson igraph
PREFIX   ?= /usr/local
DATADIR  := $(PREFIX)/share/kgraph
CC       ?= cc
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wno-unused-parameter \
            -DKGRAPH_DATADIR='"$(DATADIR)"' $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
            $(SANITIZE)
LDLIBS   += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

# Debian packages the build, the demo and the tests need (chromium: the
# browser tests, tests/e2e_browser.sh, which also run npm ci in tests/browser;
# poppler-utils: comparing PDFs by their words and boxes, tests/lib.sh;
# libigraph-dev: communities and centralities, src/analysis.c; python3-igraph:
# the test that recomputes them from the GraphML, tests/clients/;
# python3-distributed: Dask, the cluster engine tests/e2e_mapreduce.sh runs
# map and reduce on).
DEB_PACKAGES := gcc make pkg-config graphviz libgraphviz-dev libutf8proc-dev \
                libcjson-dev fonts-wqy-microhei python3 python3-networkx chromium poppler-utils \
                libigraph-dev python3-igraph python3-distributed \
                clang libclang-rt-dev valgrind

LIB_SRC := src/util.c src/source.c src/decode.c src/meta.c src/lexicon.c src/rules.c src/lint.c src/match.c src/extract.c \
           src/cooccur.c src/evidence.c src/measure.c src/filter.c src/analysis.c src/graph.c src/graph_gv.c src/pipeline.c \
           src/render.c src/render_dot.c src/render_gv.c src/render_json.c src/render_html.c \
           src/render_fields.c src/render_xml.c src/render_graphml.c src/render_gexf.c \
           src/render_cyjs.c src/render_csv.c src/shortform.c src/corpus.c src/explain.c src/suggest.c \
           src/relation.c src/merge.c src/mapreduce.c src/style.c
# B: the folder prefix of everything a build writes. Empty for the normal
# build; the sanitizer and fuzzing builds (below) set it and SANITIZE, so
# their objects never mix with the normal build's.
B        :=
SANITIZE :=
LIB_OBJ := $(addprefix $(B),$(LIB_SRC:.c=.o))
HEADERS := $(filter-out src/explorer_assets.h,$(wildcard src/*.h))

all: kgraph

$(B)kgraph: $(B)src/main.o $(B)libkgraph.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(B)libkgraph.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(B)src/%.o: src/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

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

# The unit tests also replay tests/fuzz/corpus/ through the fuzz targets.
FUZZ_SRC := tests/fuzz/targets.c tests/fuzz/targets.h

$(B)tests/unit: tests/unit.c $(FUZZ_SRC) $(B)libkgraph.a $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isrc -o $@ tests/unit.c tests/fuzz/targets.c $(B)libkgraph.a $(LDLIBS)

# The analysis stage's unit tests (src/analysis.c), a small binary of their own.
$(B)tests/unit_analysis: tests/unit_analysis.c $(B)libkgraph.a $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isrc -o $@ tests/unit_analysis.c $(B)libkgraph.a $(LDLIBS)

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

demo: deps
	$(MAKE) kgraph
	mkdir -p examples/out
	./kgraph build examples/*.txt -f svg -o examples/out/graph.svg
	./kgraph build examples/*.txt -f dot -o examples/out/graph.dot
	./kgraph build examples/*.txt -f json -o examples/out/graph.json
	@echo "kgraph: wrote examples/out/graph.svg, graph.dot and graph.json"

# Every test twice: with the normal build, then with the sanitizer build.
test: deps
	$(MAKE) kgraph tests/unit tests/unit_analysis asan
	sh tests/run.sh . build-asan

# The tool and tests/unit in build-asan/, built with AddressSanitizer (and
# its LeakSanitizer) and UBSan, the first finding fatal. The rules/ link
# lets build-asan/kgraph find the built-in rules beside it as ./kgraph does.
ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# The generated header is made here, once: the builds' own makes would
# both write it when run side by side (make -j).
asan fuzz-build: src/explorer_assets.h

asan:
	$(MAKE) B=build-asan/ CC=clang SANITIZE='$(ASAN_FLAGS)' build-asan/kgraph build-asan/tests/unit \
	    build-asan/tests/unit_analysis
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
FUZZ_TARGETS := rules tsv doc filter reduce render lexicon
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

# Only inputs that reach a new edge (not a new hit count): a few hundred
# small files rather than thousands.
fuzz-merge: fuzz-build
	for t in $(FUZZ_TARGETS); do \
	  build-fuzz/fuzz-$$t -merge=1 -use_counters=0 tests/fuzz/corpus/$$t build-fuzz/corpus/$$t || exit 1; \
	done

bench: kgraph
	sh tests/bench/run.sh

install: kgraph
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)/rules
	install -m 755 kgraph $(DESTDIR)$(PREFIX)/bin/kgraph
	install -m 644 rules/*.rules rules/*.tsv rules/lexicon.txt $(DESTDIR)$(DATADIR)/rules/

clean:
	rm -f kgraph libkgraph.a src/*.o tests/unit tests/unit_analysis src/explorer_assets.h
	rm -rf build-asan build-fuzz

.PHONY: all deps demo test asan check-asan check-valgrind fuzz-build fuzz fuzz-merge bench install clean
