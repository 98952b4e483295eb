#!/usr/bin/env python3
"""How long this disk takes to make a small append durable, as a durable job server needs at every
commit: appends of SIZE bytes, each followed by fdatasync, at RATE per second; prints p50, p90, p99
and max. Usage: sync_latency.py [DIR] [--count N] [--size BYTES] [--rate PER_S]."""
import argparse
import os
import tempfile
import time

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("dir", nargs="?", default=".", help="a directory on the disk to measure")
parser.add_argument("--count", type=int, default=2000)
parser.add_argument("--size", type=int, default=16384, help="bytes per append (a one-job commit is 4 to 9 pages)")
parser.add_argument("--rate", type=float, default=200.0, help="appends per second (0: back to back)")
args = parser.parse_args()

fd, path = tempfile.mkstemp(dir=args.dir, prefix="sync-latency-")
try:
    block = b"x" * args.size
    gap = 1.0 / args.rate if args.rate > 0 else 0.0
    took = []
    for _ in range(args.count):
        os.write(fd, block)
        start = time.perf_counter()
        os.fdatasync(fd)
        took.append((time.perf_counter() - start) * 1000.0)
        if gap:
            time.sleep(gap)
    took.sort()
    pick = lambda q: took[min(len(took) - 1, int(q * len(took)))]
    print(f"fdatasync after a {args.size}-byte append, {args.count} times at {args.rate:g}/s: "
          f"p50 {pick(0.5):.3f} ms  p90 {pick(0.9):.3f} ms  p99 {pick(0.99):.3f} ms  max {took[-1]:.3f} ms")
finally:
    os.close(fd)
    os.remove(path)
