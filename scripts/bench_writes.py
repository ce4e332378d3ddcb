#!/usr/bin/env python3
"""The writes of scripts/bench-scale, one request at a time as an editor
sends them: creates (POST) and merge-patch corrections (PATCH with If-Match).
Prints one line per kind of request: label, requests/s, p99 in ms, non-2xx.

    scripts/bench_writes.py BASE_URL TOKEN SAMPLE_JSON COUNT [--skip N]

--skip N patches the sample's notices from the N-th on, so that each round of
a benchmark corrects notices no earlier round has (their revision is 1).
"""

import argparse
import datetime as dt
import http.client
import json
import time
import urllib.parse

AREAS = ["helsetjenester", "kommuneoverlege", "barnevern-og-familievern"]


def p99(latencies):
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


class Client:
    def __init__(self, base, token):
        url = urllib.parse.urlparse(base)
        self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        self.auth = {"Authorization": f"Bearer {token}"}

    def send(self, method, path, body=None, headers=None):
        all_headers = dict(self.auth, **(headers or {}))
        payload = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        started = time.perf_counter()
        self.conn.request(method, path, payload, all_headers)
        response = self.conn.getresponse()
        data = response.read()
        return response, data, time.perf_counter() - started


def report(label, latencies, failures, wall):
    print(f"{label}\t{len(latencies) / wall:.1f}\t{p99(latencies):.2f}\t{failures}", flush=True)


def creates(client, count):
    latencies, failures = [], 0
    # A deadline three months ahead, whatever the day.
    deadline = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=90)).replace(microsecond=0)
    wall = time.perf_counter()
    for i in range(count):
        notice = {
            "kind": "grant",
            "title": f"Tilskudd til lokalt folkehelsearbeid i kommunene, runde {i}",
            "summary": "Kommunene kan søke om tilskudd til tiltak for folkehelse, demens og rus.",
            "areas": [AREAS[i % len(AREAS)]],
            "grant": {"deadline": deadline.isoformat(), "amount_nok": 500000,
                      "applicants": ["kommuner"]},
        }
        response, _, seconds = client.send("POST", "/api/v1/admin/notices", notice,
                                           {"Content-Type": "application/json"})
        latencies.append(seconds)
        failures += response.status != 201
    report("POST /api/v1/admin/notices", latencies, failures, time.perf_counter() - wall)


def patches(client, notices, revisions):
    latencies, failures = [], 0
    wall = time.perf_counter()
    for i, notice in enumerate(notices):
        patch = {"summary": f"Rettet sammendrag nummer {i}: søknadsfristen er flyttet."}
        response, seconds = patch_one(client, notice["id"], patch, revisions)
        latencies.append(seconds)
        failures += response.status != 200
    report("PATCH /api/v1/admin/notices/{id}", latencies, failures, time.perf_counter() - wall)


def patch_one(client, notice_id, patch, revisions):
    revision = revisions.get(notice_id, 1)
    response, _, seconds = client.send(
        "PATCH", f"/api/v1/admin/notices/{notice_id}", patch,
        {"Content-Type": "application/merge-patch+json", "If-Match": f'"rev-{revision}"'})
    if response.status == 200:
        revisions[notice_id] = revision + 1
    return response, seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("token")
    parser.add_argument("sample")
    parser.add_argument("count", type=int)
    parser.add_argument("--skip", type=int, default=0)
    args = parser.parse_args()
    with open(args.sample, encoding="utf-8") as f:
        public = json.load(f)["public"]
    client = Client(args.base, args.token)
    revisions = {}
    creates(client, args.count)
    patches(client, public[args.skip : args.skip + args.count], revisions)


if __name__ == "__main__":
    main()
