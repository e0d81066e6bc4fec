"""Dev-only reference for `npm run bench:ratings` (never used by the product).

The method FastChat (Chatbot Arena) uses today, written here from its description: votes reduced
to unique (model a, model b, outcome) matchups with counts, a Bradley-Terry fit by SciPy's L-BFGS-B
on the weighted logistic loss (ties as half a win), and a 1,000-round bootstrap that draws the
matchup counts from a multinomial and refits each round, spread over a process pool with one
worker per CPU. Reads pair counts as JSON from argv[1]; prints one JSON line with the wall times
and the point ratings and 95% percentile bounds (Elo, mean 1000) for a cross-check.

Usage: .venv-blender/bin/python scripts/ratings-reference.py counts.json [rounds]
"""
import json
import math
import multiprocessing as mp
import os
import sys
import time
from functools import partial

# Its best configuration: one BLAS thread per process. OpenBLAS's own threads on 1,305-element
# vectors, in a pool that already fills every core, made each L-BFGS fit ~35x slower here.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import numpy as np  # noqa: E402
from scipy.optimize import minimize  # noqa: E402

SCALE = 400 / math.log(10)


def matchups_of(data):
    """Unique matchups: one row per (pair, outcome) with a non-zero count; tie/both_bad as y = 0.5."""
    rows, ys, counts = [], [], []
    for p in data["pairs"]:
        for y, n in ((1.0, p["winsI"]), (0.0, p["winsJ"]), (0.5, p["ties"] + p["bothBad"])):
            if n > 0:
                rows.append((p["i"], p["j"]))
                ys.append(y)
                counts.append(n)
    return np.array(rows, dtype=np.int64), np.array(ys), np.array(counts, dtype=np.float64)


def loss_and_grad(theta, matchups, ys, weights):
    d = theta[matchups[:, 0]] - theta[matchups[:, 1]]
    # log sigmoid without overflow
    log_p = -np.logaddexp(0.0, -d)
    log_q = -np.logaddexp(0.0, d)
    loss = -np.sum(weights * (ys * log_p + (1.0 - ys) * log_q))
    g = weights * (np.exp(log_p) - ys)
    grad = np.bincount(matchups[:, 0], weights=g, minlength=theta.size) - np.bincount(matchups[:, 1], weights=g, minlength=theta.size)
    return loss, grad


def fit(weights, matchups, ys, n):
    res = minimize(loss_and_grad, np.zeros(n), args=(matchups, ys, weights), jac=True, method="L-BFGS-B", options={"gtol": 1e-6, "maxiter": 200})
    theta = res.x - res.x.mean()
    return theta


def main():
    with open(sys.argv[1]) as f:
        data = json.load(f)
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    n = len(data["ids"])
    matchups, ys, counts = matchups_of(data)
    total = int(counts.sum())

    t0 = time.perf_counter()
    theta = fit(counts / total, matchups, ys, n)
    t1 = time.perf_counter()
    rng = np.random.default_rng(0)
    draws = rng.multinomial(total, counts / total, size=rounds).astype(np.float64) / total
    with mp.Pool(os.cpu_count()) as pool:
        samples = np.array(pool.map(partial(fit, matchups=matchups, ys=ys, n=n), list(draws)))
    t2 = time.perf_counter()
    low, high = np.quantile(samples, [0.025, 0.975], axis=0)
    print(json.dumps({
        "fitMs": (t1 - t0) * 1000,
        "bootstrapMs": (t2 - t1) * 1000,
        "totalMs": (t2 - t0) * 1000,
        "workers": os.cpu_count(),
        "matchups": int(len(ys)),
        "elo": (1000 + SCALE * theta).tolist(),
        "ciLow": (1000 + SCALE * low).tolist(),
        "ciHigh": (1000 + SCALE * high).tolist(),
    }))


if __name__ == "__main__":
    main()
