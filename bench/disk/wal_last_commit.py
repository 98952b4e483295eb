#!/usr/bin/env python3
"""The pages the last transaction committed to an SQLite database's WAL wrote, each named by the
table or index it belongs to: what one commit costs in pages. Run it while the server that owns
DB is up (a stopped server checkpoints and empties its WAL); it only reads.
Usage: wal_last_commit.py DB   (e.g. after one `curl -X POST .../api/v1/jobs`)."""
import sqlite3
import struct
import sys

if len(sys.argv) != 2:
    sys.exit(__doc__)
path = sys.argv[1]
with open(path + "-wal", "rb") as f:
    wal = f.read()
page_size = struct.unpack(">I", wal[8:12])[0]
salt = wal[16:24]
# Each frame: a 24-byte header (page number, the database's size in pages if the frame ends a
# commit, else 0, and the WAL's salt), then the page. Frames of an older generation keep an old salt.
frames = []
for offset in range(32, len(wal) - 24 - page_size + 1, 24 + page_size):
    page, ends_commit = struct.unpack(">II", wal[offset : offset + 8])
    if wal[offset + 8 : offset + 16] != salt:
        break
    frames.append((page, ends_commit != 0))
ends = [i for i, (_, end) in enumerate(frames) if end]
if not ends:
    sys.exit("no committed frame in the WAL")
first = ends[-2] + 1 if len(ends) > 1 else 0
db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
owner = {page: name for name, page in db.execute("SELECT name, pageno FROM dbstat")}
last = [page for page, _ in frames[first : ends[-1] + 1]]
print(f"{len(last)} pages: " + ", ".join(f"{page} ({owner.get(page, 'free')})" for page in last))
