"""kgraph map, combine and reduce on a Dask cluster (docs/cli.md, "On a cluster").

usage: dask_mapreduce.py SCHEDULER_FILE KGRAPH OUTPUT PARTS [-- MAP_AND_REDUCE_ARGS...]

PARTS is a file with one part per line, each part the document paths one
mapper reads, separated by tabs. Each part is one task on the cluster's
workers: `kgraph map ARGS PATHS...`, its lines sorted bytewise in the worker
(as a Hadoop mapper sorts its spill) and put through `kgraph combine` (the
combiner). The client merges the combined runs (the shuffle) into `kgraph
reduce ARGS -f json -o OUTPUT`, and prints the bytes shuffled, those the
sorted map lines would have been without the combiner, and the bytes of
text mapped:

  shuffled C bytes with the combiner (Rx the text), U without (Rx); T bytes of text, ...

Any failure is an exception and a non-zero exit status.

A script that starts Dask work must guard with `if __name__ == "__main__"`:
worker processes import the main module again.
"""
import heapq
import os
import subprocess
import sys

from distributed import Client


def run(command, data=None):
    """Run a command (its input data); its output, or an exception."""
    done = subprocess.run(command, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          check=False)
    if done.returncode != 0:
        raise RuntimeError(" ".join(command[:2]) + " failed: " + done.stderr.decode(errors="replace"))
    return done.stdout


def map_part(kgraph, args, paths):
    """Run on a worker: one mapper's output sorted, then combined; the
    sorted lines' size; and its text's."""
    lines = run([kgraph, "map", *args, *paths]).splitlines(keepends=True)
    lines.sort()
    spill = b"".join(lines)
    combined = run([kgraph, "combine"], spill)
    return combined, len(spill), sum(os.path.getsize(p) for p in paths)


def reduce(kgraph, args, runs, output):
    """The sorted runs merged into kgraph reduce, which writes output."""
    process = subprocess.Popen([kgraph, "reduce", *args, "-f", "json", "-o", output],
                               stdin=subprocess.PIPE)
    for line in heapq.merge(*(run_.splitlines(keepends=True) for run_ in runs)):
        process.stdin.write(line)
    process.stdin.close()
    if process.wait() != 0:
        raise RuntimeError("kgraph reduce failed")


def main():
    argv = sys.argv[1:]
    args = []
    if "--" in argv:
        args = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    scheduler_file, kgraph, output, parts_file = argv
    with open(parts_file, encoding="utf-8") as f:
        parts = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    with Client(scheduler_file=scheduler_file, timeout="60s") as client:
        client.wait_for_workers(2, timeout=120)
        workers = client.scheduler_info()["workers"]
        futures = [client.submit(map_part, kgraph, args, part, pure=False) for part in parts]
        results = client.gather(futures)
    text = sum(size for _, _, size in results)
    combined = sum(len(out) for out, _, _ in results)
    reduce(kgraph, args, [out for out, _, _ in results], output)
    spills = sum(size for _, size, _ in results)
    print("shuffled %d bytes with the combiner (%.2fx the text), %d without (%.2fx); %d bytes of "
          "text, %d parts on %d workers" % (combined, combined / text if text else 0.0, spills,
                                            spills / text if text else 0.0, text, len(parts),
                                            len(workers)))


if __name__ == "__main__":
    main()
