#!/usr/bin/env python3
"""How many durable one-row transactions SQLite alone commits a second in DIR, with the settings
Corral's embedded store uses (journal_mode=WAL, synchronous=FULL): the yardstick of issue 19's W1
target (an awaited enqueue at 0.9 times this rate). Each round inserts COUNT rows of about 100
bytes, one transaction each, into a fresh database; prints each round's rate and their median.
With --indexes K the table has K indexes over random 16-byte values, so each commit writes K + 1
pages, as an enqueue's commit writes six (bench/disk/wal_last_commit.py lists them).
Usage: sqlite_one_row.py [DIR] [--count N] [--rounds R] [--indexes K]."""
import argparse
import os
import sqlite3
import statistics
import tempfile
import time

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("dir", nargs="?", default=".", help="a directory on the disk to measure")
parser.add_argument("--count", type=int, default=3000)
parser.add_argument("--rounds", type=int, default=3)
parser.add_argument("--indexes", type=int, default=0)
args = parser.parse_args()

rates = []
with tempfile.TemporaryDirectory(dir=args.dir, prefix="sqlite-one-row-") as work:
    for round_ in range(args.rounds):
        db = sqlite3.connect(os.path.join(work, f"round{round_}.db"), isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        keys = [f"k{i}" for i in range(args.indexes)]
        db.execute(f"CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL{''.join(f', {k} BLOB' for k in keys)})")
        for k in keys:
            db.execute(f"CREATE INDEX t_{k} ON t ({k})")
        insert = f"INSERT INTO t (body{''.join(f', {k}' for k in keys)}) VALUES (?{', randomblob(16)' * len(keys)})"
        body = "x" * 100
        start = time.perf_counter()
        for _ in range(args.count):
            db.execute("BEGIN IMMEDIATE")
            db.execute(insert, (body,))
            db.execute("COMMIT")
        rates.append(args.count / (time.perf_counter() - start))
        db.close()
        print(f"round {round_ + 1}: {rates[-1]:,.0f} transactions/s")
pages = f", {args.indexes + 1} pages each" if args.indexes else ""
print(f"median of {args.rounds}: {statistics.median(rates):,.0f} one-row durable transactions/s{pages}")
