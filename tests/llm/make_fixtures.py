#!/usr/bin/env python3
"""Writes the LLM-loop test fixtures (deterministic; run from tests/llm/ to regenerate).

cpu.csv          576 samples (2 days at 5 min) of a daily-seasonal CPU series with two
                 anomalies: rows 200-205 near 96 (window A) and rows 420-424 near 87 (window B)
cpu_windows.csv  the two labelled windows (rows 196-210 and 416-430)
shop.csv         400 rows of a linear chain db -> checkout -> frontend (latencies) and an
                 unrelated cache/hits column
"""
import datetime as dt
import math
import random

rng = random.Random(7)
t0 = dt.datetime(2024, 1, 1)
step = dt.timedelta(minutes=5)


def ts(i):
    return (t0 + i * step).strftime("%Y-%m-%d %H:%M:%S")


with open("cpu.csv", "w") as f:
    f.write('timestamp,cpu_utilization{instance="i-1"}\n')
    for i in range(576):
        v = 40 + 8 * math.sin(2 * math.pi * i / 288) + rng.gauss(0, 1.5)
        if 200 <= i <= 205:
            v = 95 + rng.uniform(0, 2)
        if 420 <= i <= 424:
            v = 86 + rng.uniform(0, 2)
        f.write(f"{ts(i)},{v:.2f}\n")

with open("cpu_windows.csv", "w") as f:
    f.write("start,end\n")
    f.write(f"{ts(196)},{ts(210)}\n")
    f.write(f"{ts(416)},{ts(430)}\n")

with open("shop.csv", "w") as f:
    f.write("time,db/latency,checkout/latency,frontend/latency,cache/hits\n")
    for i in range(400):
        db = rng.gauss(0, 1)
        checkout = 0.8 * db + rng.gauss(0, 0.6)
        frontend = 0.8 * checkout + rng.gauss(0, 0.6)
        cache = rng.gauss(0, 1)
        f.write(f"{1704067200 + 60 * i},{db:.4f},{checkout:.4f},{frontend:.4f},{cache:.4f}\n")
