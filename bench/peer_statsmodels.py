"""The analyst's peer of bench-studies' 500 x 1 study: pandas + statsmodels on the same synthetic bars.

Reads one CSV per symbol (date,close) from a folder, fits each firm's market model with statsmodels OLS on the
estimation offsets, and computes at day 0 the AAR, the cross-sectional t and the BMP t (shared/methods/cross-section.md
sections 1-4 and 7 (1), (3): simple returns, OLS market model with s^2 = SSR / (L1 - 2), the forecast-error correction).
Prints one JSON line: the numbers and the milliseconds from the first CSV read to the last statistic (the interpreter
and its imports are not counted).

usage: python3 peer_statsmodels.py FOLDER BENCHMARK EVENT_DATE E1 E2 MIN_OBS
"""

import json
import os
import sys
import time

import numpy as np
import pandas as pd
import statsmodels.api as sm


def main() -> None:
    folder, benchmark, event_date, e1, e2, min_obs = sys.argv[1:7]
    e1, e2, min_obs = int(e1), int(e2), int(min_obs)
    started = time.perf_counter()
    series = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith(".csv"):
            frame = pd.read_csv(os.path.join(folder, name), parse_dates=["date"], index_col="date")
            series[name[:-4]] = frame["close"].pct_change()
    market = series.pop(benchmark)
    day0 = pd.Timestamp(event_date)
    ars, sars = [], []
    for symbol, r in series.items():
        dates = r.index
        k0 = int(dates.searchsorted(day0))  # the first bar dated on or after the event's date
        offsets = np.arange(len(dates)) - k0
        frame = pd.DataFrame({"y": r.values, "x": market.reindex(dates).values}, index=offsets)
        est = frame.loc[e1:e2].dropna()
        if len(est) < max(min_obs, 3) or 0 not in frame.index or frame.loc[0].isna().any():
            continue
        fit = sm.OLS(est["y"], sm.add_constant(est["x"])).fit()
        alpha, beta = fit.params["const"], fit.params["x"]
        s = np.sqrt(fit.ssr / (len(est) - 2))
        x0, y0 = frame.loc[0, "x"], frame.loc[0, "y"]
        ar = y0 - alpha - beta * x0
        xbar = est["x"].mean()
        c = 1 + 1 / len(est) + (x0 - xbar) ** 2 / ((est["x"] - xbar) ** 2).sum()
        ars.append(ar)
        sars.append(ar / (s * np.sqrt(c)))
    ars, sars = np.array(ars), np.array(sars)
    n = len(ars)
    aar = ars.mean()
    csect_t = aar / (ars.std(ddof=1) / np.sqrt(n))
    bmp_t = sars.mean() / (sars.std(ddof=1) / np.sqrt(n))
    ms = (time.perf_counter() - started) * 1000
    print(json.dumps({"n": n, "aar": aar, "csectT": csect_t, "bmpT": bmp_t, "ms": ms}))


if __name__ == "__main__":
    main()
