#!/usr/bin/python3
"""Python baselines for rule (b) of bench/core: rolling z-score over the last 60 samples
(population stddev, partial windows at the start, like Omen's mean/stddev over 60m),
|z| > 3, and `for 5m` at 1-minute spacing (firing once the condition has held for 6
consecutive samples). Two implementations a Python user would pick: numpy with cumulative
sums, and pandas rolling. Input: float64 series-major file written by omen_core_bench.

Prints one line per implementation:  RESULT <name> <median seconds> <pending> <firing>
(seconds of thread CPU time, median of --reps runs after one warm-up run)
where pending = number of activations (runs of true) and firing = runs reaching 6 samples,
to compare with Omen's alert events. Run with Debian's /usr/bin/python3 (numpy, pandas).
"""
import argparse
import time

import numpy as np
import pandas as pd

W, THRESHOLD, FOR_SAMPLES = 60, 3.0, 6


def events(cond):
    """(pending, firing) counts from a boolean [series, samples] array."""
    starts = np.count_nonzero(cond[:, 0]) + np.count_nonzero(cond[:, 1:] & ~cond[:, :-1])
    n = cond.shape[1]
    idx = np.arange(n)
    last_false = np.where(cond, -1, idx)
    np.maximum.accumulate(last_false, axis=1, out=last_false)
    run = idx - last_false  # length of the current run of true values
    return int(starts), int(np.count_nonzero(run == FOR_SAMPLES))


def numpy_cumsum(x):
    n = x.shape[1]
    c1 = np.cumsum(x, axis=1)
    c2 = np.cumsum(x * x, axis=1)
    s1 = c1.copy()
    s1[:, W:] -= c1[:, :-W]
    s2 = c2.copy()
    s2[:, W:] -= c2[:, :-W]
    cnt = np.minimum(np.arange(1, n + 1), W).astype(np.float64)
    mean = s1 / cnt
    var = np.maximum(s2 / cnt - mean * mean, 0.0)
    z = np.abs((x - mean) / (np.sqrt(var) + 1e-9))
    return events(z > THRESHOLD)


def pandas_rolling(x):
    df = pd.DataFrame(x.T)  # one column per series
    r = df.rolling(W, min_periods=1)
    z = ((df - r.mean()) / (r.std(ddof=0) + 1e-9)).abs()
    cond = z > THRESHOLD
    pending = int((cond & ~cond.shift(1, fill_value=False)).to_numpy().sum())
    held = cond.astype(np.int8).rolling(FOR_SAMPLES).sum() == FOR_SAMPLES
    firing = int((held & ~held.shift(1, fill_value=False)).to_numpy().sum())
    return pending, firing


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", required=True)
    ap.add_argument("--series", type=int, required=True)
    ap.add_argument("--samples", type=int, required=True)
    ap.add_argument("--reps", type=int, default=5)
    a = ap.parse_args()
    x = np.fromfile(a.file, dtype=np.float64).reshape(a.series, a.samples)
    for name, fn in (("numpy_cumsum", numpy_cumsum), ("pandas_rolling", pandas_rolling)):
        result = fn(x)  # warm-up (page faults, first-call costs)
        times = []
        for _ in range(a.reps):
            t0 = time.thread_time()  # CPU time of this thread, like omen_core_bench
            result = fn(x)
            times.append(time.thread_time() - t0)
        print(f"RESULT {name} {float(np.median(times)):.6f} {result[0]} {result[1]}", flush=True)


if __name__ == "__main__":
    main()
