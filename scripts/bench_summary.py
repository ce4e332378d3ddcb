#!/usr/bin/env python3
"""The summary of scripts/bench-scale: for each backend and request, the best
round at the largest size against the best at the smallest. Reads the
script's results (backend, size, label, requests/s, p99, failures; tab
separated; `RSS` lines carry resident memory in MiB).

    scripts/bench_summary.py RESULTS_TSV
"""

import collections, sys
best = collections.defaultdict(dict)
for line in open(sys.argv[1], encoding="utf-8"):
    backend, size, label, *values = line.rstrip("\n").split("\t")
    size = int(size)
    if label == "RSS":
        best[(backend, label)][size] = values
        continue
    try:
        rps = float(values[0])
    except ValueError:
        rps = 0.0
    kept = best[(backend, label)].get(size)
    if kept is None or rps > float(kept[0] or 0):
        best[(backend, label)][size] = values
for (backend, label), by_size in best.items():
    small, large = min(by_size), max(by_size)
    if small == large:
        continue
    a, b = by_size[small], by_size[large]
    if label == "RSS":
        print(f"{backend:8} {'resident memory':64} {int(b[0]) / int(a[0]):8.2f}x  ({a[0]} -> {b[0]} MiB)")
        continue
    def ratio(x, y):
        try:
            return f"{float(y) / float(x):6.2f}x"
        except (ValueError, ZeroDivisionError):
            return "     -"
    print(f"{backend:8} {label:64} cost {ratio(b[0], a[0])}  p99 {ratio(a[1], b[1])}"
          f"   ({a[0]} -> {b[0]} req/s; {small} -> {large})")
