#!/bin/sh
# Speed and memory of kgraph against the reference Python pipeline
# (../shared/bench/baseline_ac.py), on the same synthetic corpus, in one run;
# then check that both produce the same graph.
#
# usage: sh tests/bench/run.sh [--quick]      (or: make bench)
#   --quick               10 MB corpus instead of 100 MB, for a fast sanity run
#   KGRAPH_SHARED         shared folder (default: ../shared from the project root)
#   KGRAPH_BENCH_MB       corpus size in MB (default 100)
#   KGRAPH_BENCH_DIR      corpus cache (default /tmp/kgbench, /tmp/kgbench-<MB>mb
#                         for other sizes); reused when it has dict.tsv and docs/
# Exit status: 0 same graph, 1 graphs differ or a run failed, 2 missing prerequisite.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
shared=${KGRAPH_SHARED:-$root/../shared}
py=/usr/bin/python3
mb=${KGRAPH_BENCH_MB:-100}
case ${1:-} in
  --quick) mb=10 ;;
  '') ;;
  *) echo "usage: sh tests/bench/run.sh [--quick]" >&2; exit 2 ;;
esac
if [ "$mb" = 100 ]; then dflt=/tmp/kgbench; else dflt=/tmp/kgbench-${mb}mb; fi
# --quick must never reuse a full-size cache named by KGRAPH_BENCH_DIR
if [ "${1:-}" = --quick ]; then dir=$dflt; else dir=${KGRAPH_BENCH_DIR:-$dflt}; fi

die() { echo "bench: $*" >&2; exit 2; }

# --- prerequisites -------------------------------------------------------
for f in bench/make_corpus.py bench/baseline_ac.py corpus gold; do
  [ -e "$shared/$f" ] || die "$shared/$f not found; set KGRAPH_SHARED to the shared folder"
done
[ -x "$root/kgraph" ] || die "$root/kgraph not built; run 'make kgraph' first"
[ -x "$py" ] || die "$py not found (Debian package python3)"

apt_install() {
  echo "bench: installing Debian packages: $*" >&2
  sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get install -y -q "$@" >/dev/null ||
    { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q "$@" >/dev/null; } ||
    die "could not install $*"
}
"$py" -c 'import ahocorasick' 2>/dev/null || apt_install python3-ahocorasick
"$py" -c 'import networkx' 2>/dev/null || apt_install python3-networkx
[ -x /usr/bin/time ] || apt_install time

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kgbench-run.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# --- corpus (generated into a temp name and renamed, so an interrupted
# generation never passes for a cached corpus) -----------------------------
if [ ! -f "$dir/dict.tsv" ] || [ ! -d "$dir/docs" ]; then
  echo "bench: making a $mb MB corpus in $dir (about $((mb * 3 / 10 + 1)) s)" >&2
  rm -rf "$dir.part"
  "$py" "$shared/bench/make_corpus.py" --texts "$shared/corpus" --gold "$shared/gold" \
      --out "$dir.part" --mb "$mb" --docs 2000 --seed 1 >&2
  rm -rf "$dir"; mv "$dir.part" "$dir"
fi

# Reading the whole corpus puts it in the page cache before each timed run,
# so neither side pays for cold disk reads. The first read also counts it.
warm() { find "$dir/docs" -type f -exec cat {} + >/dev/null; }
# shellcheck disable=SC2046  # split "CHARS BYTES" into $1 $2
set -- $(find "$dir/docs" -type f -exec cat {} + | LC_ALL=C.UTF-8 wc -mc)
chars=$1 bytes=$2

# timed NAME CMD...: run CMD under /usr/bin/time -v; its output goes to $tmp/NAME.*
timed() {
  name=$1; shift
  warm
  if ! /usr/bin/time -v -o "$tmp/$name.time" "$@" >"$tmp/$name.log" 2>&1; then
    echo "bench: $name failed:" >&2; tail -n 20 "$tmp/$name.log" "$tmp/$name.time" >&2; exit 1
  fi
}
timed baseline "$py" "$shared/bench/baseline_ac.py" --dict "$dir/dict.tsv" \
    --out "$tmp/baseline.json" "$dir/docs"
timed kgraph "$root/kgraph" build --no-default-rules -r "$dir/dict.tsv" -f json \
    -o "$tmp/kgraph.json" "$dir/docs"

# --- same graph? ----------------------------------------------------------
status=0
"$py" "$root/tests/bench/compare.py" "$tmp/baseline.json" "$tmp/kgraph.json" || status=1

# --- table ------------------------------------------------------------------
# stats FILE: "wall cpu peakMB" from a GNU time -v report (wall is h:mm:ss or m:ss)
stats() {
  awk '/Elapsed \(wall clock\)/ { n = split($NF, p, ":"); w = 0
                                  for (i = 1; i <= n; i++) w = w * 60 + p[i] }
       /User time/   { c += $NF }
       /System time/ { c += $NF }
       /Maximum resident set size/ { m = $NF / 1024 }
       END { printf "%.2f %.2f %.1f\n", w, c, m }' "$1"
}
files=$(find "$dir/docs" -type f | wc -l)
printf '%s %s\n' "$(stats "$tmp/baseline.time")" "$(stats "$tmp/kgraph.time")" |
awk -v files="$files" -v bytes="$bytes" -v chars="$chars" '{
  bw = $1; bc = $2; bm = $3; kw = $4; kc = $5; km = $6
  if (kw <= 0) kw = 0.01          # GNU time has 10 ms resolution
  printf "corpus: %d files, %.1f MiB, %.1f M chars\n", files, bytes / 1048576, chars / 1e6
  printf "%-9s %9s %9s %9s\n", "", "wall s", "cpu s", "peak MiB"
  printf "%-9s %9.2f %9.2f %9.1f\n", "baseline", bw, bc, bm
  printf "%-9s %9.2f %9.2f %9.1f\n", "kgraph", kw, kc, km
  printf "speed-up %.1fx, memory ratio %.1fx (baseline/kgraph); kgraph %.1f MiB/s, %.2f M chars/s\n",
         bw / kw, (km > 0 ? bm / km : 0), bytes / 1048576 / kw, chars / 1e6 / kw
}'
exit $status
