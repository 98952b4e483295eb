#!/usr/bin/env python3
"""How many durable one-row transactions SQLite alone commits a second in DIR, with the settings
Corral's embedded store uses (journal_mode=WAL, synchronous=FULL): the yardstick of issue 19's W1
target (an awaited enqueue at 0.9 times this rate). Each round inserts COUNT rows of about 100
bytes, one transaction each, into a fresh database; prints each round's rate and their median.
Usage: sqlite_one_row.py [DIR] [--count N] [--rounds R]."""
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
args = parser.parse_args()

rates = []
with tempfile.TemporaryDirectory(dir=args.dir, prefix="sqlite-one-row-") as work:
    for round_ in range(args.rounds):
        db = sqlite3.connect(os.path.join(work, f"round{round_}.db"), isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        body = "x" * 100
        start = time.perf_counter()
        for _ in range(args.count):
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO t (body) VALUES (?)", (body,))
            db.execute("COMMIT")
        rates.append(args.count / (time.perf_counter() - start))
        db.close()
        print(f"round {round_ + 1}: {rates[-1]:,.0f} transactions/s")
print(f"median of {args.rounds}: {statistics.median(rates):,.0f} one-row durable transactions/s")
