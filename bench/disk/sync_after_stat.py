#!/usr/bin/env python3
"""Whether reading a file's times between two syncs makes the next sync slower, as it does on
Linux 6.13 and later (a file whose change time was read gets a fine-grained time at its next
write, so its inode is dirtied and fdatasync writes it too). Like a WAL between checkpoints, the
file does not grow: each step overwrites PAGES 4 KiB pages of an 8 MiB file, then fdatasync; then,
by mode, nothing, a stat() (asks for the times), or a statx() of the size alone (what the WAL bound
does, sqlite/wal_bound.cpp). Modes alternate each round; prints each round's p50 and p90 in µs.
Usage: sync_after_stat.py [DIR] [--count N] [--pages P] [--rounds R]."""
import argparse
import ctypes
import os
import tempfile
import time

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("dir", nargs="?", default=".", help="a directory on the disk to measure")
parser.add_argument("--count", type=int, default=600, help="syncs per mode and round")
parser.add_argument("--pages", type=int, default=8, help="4 KiB pages written before each sync")
parser.add_argument("--rounds", type=int, default=3)
args = parser.parse_args()

libc = ctypes.CDLL(None, use_errno=True)
AT_FDCWD, AT_STATX_DONT_SYNC, STATX_SIZE = -100, 0x4000, 0x200
statx_buffer = ctypes.create_string_buffer(256)   # struct statx is 256 bytes


def size_alone(path):
    if libc.statx(AT_FDCWD, path.encode(), AT_STATX_DONT_SYNC, STATX_SIZE, statx_buffer) != 0:
        raise OSError(ctypes.get_errno(), "statx")


FILE_BYTES = 8 << 20
page = b"x" * 4096
fd, path = tempfile.mkstemp(dir=args.dir, prefix="sync-after-stat-")
try:
    os.write(fd, b"\0" * FILE_BYTES)
    os.fsync(fd)
    between = {"nothing": lambda: None, "stat": lambda: os.stat(path), "statx size": lambda: size_alone(path)}
    offset = 0
    for round_ in range(args.rounds):
        for mode, act in between.items():
            took = []
            for _ in range(args.count):
                start = time.perf_counter()
                for _ in range(args.pages):
                    if offset + 4096 > FILE_BYTES:
                        offset = 0
                    os.pwrite(fd, page, offset)
                    offset += 4096
                os.fdatasync(fd)
                took.append((time.perf_counter() - start) * 1e6)
                act()
            took.sort()
            print(f"round {round_ + 1} {mode:>10}: p50 {took[len(took) // 2]:.0f} µs, p90 {took[len(took) * 9 // 10]:.0f} µs")
finally:
    os.close(fd)
    os.unlink(path)
