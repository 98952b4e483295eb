#!/usr/bin/env python3
"""What GET /api/v1/jobs/{id} of a queued job costs on a server with many queues: enqueues one job
into each of QUEUES queues (q0, q1, ...), then reads the middle one GETS times over one keep-alive
connection and prints the mean microseconds per GET. A queued job's reply says why it is not
running (not_ready), read from its queue's settings and counts. Run against a fresh database.
Usage: get_job.py URL [--queues N] [--gets N]."""
import argparse
import http.client
import json
import time
import urllib.parse

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("url", help="the server, for example http://127.0.0.1:8080")
parser.add_argument("--queues", type=int, default=1000)
parser.add_argument("--gets", type=int, default=2000)
args = parser.parse_args()

target = urllib.parse.urlparse(args.url)
conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)


def call(method, path, body=None):
    conn.request(method, path, body=json.dumps(body) if body is not None else None,
                 headers={"content-type": "application/json"})
    reply = conn.getresponse()
    data = reply.read()
    if reply.status >= 300:
        raise SystemExit(f"{method} {path}: {reply.status} {data[:200]!r}")
    return json.loads(data)


ids = []
for start in range(0, args.queues, 500):
    jobs = [{"type": "t", "queue": f"q{i}"} for i in range(start, min(args.queues, start + 500))]
    ids += [job["id"] for job in call("POST", "/api/v1/jobs/batch", {"jobs": jobs})["jobs"]]
path = f"/api/v1/jobs/{ids[len(ids) // 2]}"
for _ in range(200):   # warm up: connections, prepared statements
    call("GET", path)
began = time.perf_counter()
for _ in range(args.gets):
    call("GET", path)
print(f"{(time.perf_counter() - began) / args.gets * 1e6:.0f} µs per GET")
