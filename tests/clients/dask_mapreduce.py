"""kgraph map and reduce on a Dask cluster (docs/cli.md, "On a cluster").

usage: dask_mapreduce.py SCHEDULER_FILE KGRAPH OUTPUT PARTS [-- MAP_AND_REDUCE_ARGS...]

PARTS is a file with one part per line, each part the document paths one
mapper reads, separated by tabs. Each part is one task on the cluster's
workers: `kgraph map ARGS PATHS...`, its lines sorted bytewise in the worker
(as a Hadoop mapper sorts its spill). The client merges the sorted runs (the
shuffle) into `kgraph reduce ARGS -f json -o OUTPUT`, and prints the bytes
shuffled and the bytes of text mapped. Any failure is an exception and a
non-zero exit status.

A script that starts Dask work must guard with `if __name__ == "__main__"`:
worker processes import the main module again.
"""
import heapq
import os
import subprocess
import sys

from distributed import Client


def map_part(kgraph, args, paths):
    """Run on a worker: one mapper's output, sorted; and its text's bytes."""
    done = subprocess.run([kgraph, "map", *args, *paths], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, check=False)
    if done.returncode != 0:
        raise RuntimeError("kgraph map failed: " + done.stderr.decode(errors="replace"))
    lines = done.stdout.splitlines(keepends=True)
    lines.sort()
    return b"".join(lines), sum(os.path.getsize(p) for p in paths)


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
    runs = [out.splitlines(keepends=True) for out, _ in results]
    shuffled = sum(len(out) for out, _ in results)
    text = sum(size for _, size in results)
    reduce = subprocess.Popen([kgraph, "reduce", *args, "-f", "json", "-o", output],
                              stdin=subprocess.PIPE)
    for line in heapq.merge(*runs):
        reduce.stdin.write(line)
    reduce.stdin.close()
    if reduce.wait() != 0:
        raise RuntimeError("kgraph reduce failed")
    print("shuffled %d bytes for %d bytes of text (%.2fx), %d parts on %d workers"
          % (shuffled, text, shuffled / text if text else 0.0, len(parts), len(workers)))


if __name__ == "__main__":
    main()
