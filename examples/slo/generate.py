#!/usr/bin/env python3
"""Generates requests.csv for examples/slo: synthetic HTTP request counters (Prometheus-style
cumulative counters, one series per region and status code, one sample every 5 minutes for
2 days from 2024-03-01T00:00:00Z). Deterministic (fixed seed), standard library only.

Incidents:
  * eu: from 2024-03-02T10:00Z for 2h, 3% of requests fail with 500 (30x the 0.1% budget).
  * us: a 503 counter first appears at 2024-03-02T12:00Z already at 40,000 (a new pod
    exporting an old count) and then grows slowly (0.05% of requests: half the budget).
"""
import random
from datetime import datetime, timedelta, timezone

random.seed(7)
start = datetime(2024, 3, 1, tzinfo=timezone.utc)
step = timedelta(minutes=5)
n = 2 * 24 * 12
counters = {}
rows = []
for i in range(n + 1):
    t = start + i * step
    ts = t.strftime("%Y-%m-%dT%H:%M:%SZ")
    for region, base in (("eu", 6000), ("us", 9000)):
        total = int(base * (1 + 0.3 * ((i % 288) / 288)) + random.randint(-200, 200))
        bad500 = 0
        if region == "eu" and datetime(2024, 3, 2, 10, tzinfo=timezone.utc) <= t < datetime(2024, 3, 2, 12, tzinfo=timezone.utc):
            bad500 = int(total * 0.03)
        bad503 = int(total * 0.0005) if region == "us" and t >= datetime(2024, 3, 2, 12, tzinfo=timezone.utc) else 0
        for code, inc in (("200", total - bad500 - bad503), ("500", bad500), ("503", bad503)):
            key = (region, code)
            if code == "503" and (region != "us" or t < datetime(2024, 3, 2, 12, tzinfo=timezone.utc)):
                continue  # no such series yet
            if key not in counters:
                counters[key] = 40000 if code == "503" else 0  # the 503 appears with an old count
            counters[key] += inc
            rows.append(f'{ts},http_requests_total,region={region};code={code},{counters[key]}')
with open("requests.csv", "w") as f:
    f.write("timestamp,series,labels,value\n")
    f.write("\n".join(rows) + "\n")
