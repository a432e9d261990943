"""Benchmark: the course's BTYD summary against lifetimes' summary_data_from_transaction_data.

Builds seeded synthetic transaction tables (string customer ids as in the course schema,
about ten rows per customer over three years, timestamps with seconds), times

* the baseline ``lifetimes.utils.summary_data_from_transaction_data`` (weekly periods),
* ``crm_lessons.rfm.btyd_summary`` on the DataFrame (numpy engine),
* ``crm_lessons.rfm.btyd_summary`` on the same data written to a Parquet file (DuckDB),

checks that all give the same numbers and prints the speed ratios.

Usage::

    .venv/bin/python bench/bench_summary.py           # 100k and 1M rows
    .venv/bin/python bench/bench_summary.py --full    # also 10M rows (needs ~6 GB RAM, ~1 min)
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from crm_lessons.lifetimes_compat import import_lifetimes
from crm_lessons.rfm import btyd_summary

AS_OF = "2024-12-29"  # a Sunday: the end of a weekly period


def make_transactions(n_rows: int, random_state: int = 0, long_ids: bool = False) -> pd.DataFrame:
    """Seeded transactions: ~n_rows/10 customers, three years, amounts with cents.

    Ids are "C" + 7 digits (8 characters, one 64-bit word per id), or with ``long_ids``
    random 16-digit hex codes (every character varies: two words per id, hashed together
    and checked for collisions).
    """
    rng = np.random.default_rng(random_state)
    n_customers = max(n_rows // 10, 10)
    cust = rng.integers(0, n_customers, n_rows)
    start = np.datetime64("2022-01-01T00:00:00", "s")
    secs = rng.integers(0, 3 * 365 * 86400, n_rows)
    dates = (start + secs.astype("timedelta64[s]")).astype("datetime64[ns]")
    amount = np.round(rng.gamma(2.0, 15.0, n_rows), 2)
    if long_ids:  # random 16-hex-digit ids: every position varies
        codes = rng.integers(0, 2**63, n_customers)
        ids = np.array([f"{v:016x}" for v in codes])[cust]
    else:
        ids = np.char.add("C", np.char.zfill(cust.astype(str), 7))
    return pd.DataFrame(
        {"customer_id": pd.array(ids, dtype="str"), "date": dates, "amount": amount}
    )


def best_of(fn, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def same_numbers(a: pd.DataFrame, b: pd.DataFrame) -> str:
    if list(a.index) != list(b.index) or list(a.columns) != list(b.columns):
        return "DIFFERENT customers or columns"
    exact = ["frequency", "recency", "T"]
    if not (a[exact].to_numpy() == b[exact].to_numpy()).all():
        return "DIFFERENT frequency/recency/T"
    rel = np.abs(a["monetary_value"].to_numpy() - b["monetary_value"].to_numpy()) / np.maximum(
        np.abs(b["monetary_value"].to_numpy()), 1e-300
    )
    worst = float(np.max(rel, initial=0.0))
    if worst > 1e-12:
        return f"DIFFERENT monetary_value (max rel. diff {worst:.1e})"
    return f"identical (monetary_value max rel. diff {worst:.0e})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also run 10M rows")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    parser.add_argument("--long-ids", action="store_true", help="random 16-character hex ids")
    args = parser.parse_args()
    lifetimes = import_lifetimes()
    sizes = [100_000, 1_000_000] + ([10_000_000] if args.full else [])
    print("customer ids:", "random 16 hex digits" if args.long_ids else "C + 7 digits")
    print(
        f"{'rows':>12} {'lifetimes s':>12} {'numpy s':>9} {'ratio':>7} {'duckdb s':>9} "
        f"{'ratio':>7}  numbers"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            tx = make_transactions(n, random_state=42, long_ids=args.long_ids)
            repeat = args.repeat if n < 10_000_000 else max(1, args.repeat - 1)
            t_ref, ref = best_of(
                lambda tx=tx: lifetimes.utils.summary_data_from_transaction_data(
                    tx, "customer_id", "date", "amount", observation_period_end=AS_OF, freq="W"
                ),
                repeat,
            )
            t_np, ours = best_of(lambda tx=tx: btyd_summary(tx, as_of=AS_OF, freq="W"), repeat)
            path = Path(tmp) / f"tx_{n}.parquet"
            tx.to_parquet(path, index=False)
            del tx
            gc.collect()
            t_db, db = best_of(lambda p=path: btyd_summary(p, as_of=AS_OF, freq="W"), repeat)
            verdict = same_numbers(ours, ref)
            verdict_db = same_numbers(db, ref)
            print(
                f"{n:>12,} {t_ref:>12.2f} {t_np:>9.2f} {t_ref / t_np:>6.1f}x {t_db:>9.2f} "
                f"{t_ref / t_db:>6.1f}x  numpy: {verdict}; parquet/duckdb: {verdict_db}",
                flush=True,
            )
            del ref, ours, db
            gc.collect()


if __name__ == "__main__":
    main()
