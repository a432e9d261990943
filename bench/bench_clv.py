"""Benchmark: fitting BTYD models and predicting CLV.

Times, on the CDNOW sample (2,357 customers) and on a generated world of
100,000 customers (``make_world("online_store", 100_000, random_state=1)``):

* fitting BG/NBD, Pareto/NBD (fixed start) and Gamma-Gamma
  (``crm_lessons.clv``), with the BG/NBD fit on CDNOW as the named baseline;
* Pareto/NBD from lifetimes' default random start, for comparison with the
  fixed start (same optimiser, different starting point);
* CLV prediction throughput (customers per second) of
  ``crm_lessons.clv.discounted_clv`` against the baseline lifetimes'
  ``GammaGammaFitter.customer_lifetime_value`` (12 months, weekly model), and
  of ``crm_lessons.clv.p_alive``.

Usage::

    .venv/bin/python bench/bench_clv.py            # CDNOW + 100k customers
    .venv/bin/python bench/bench_clv.py --quick    # CDNOW + 20k customers
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np

from crm_lessons import clv
from crm_lessons.datasets import load_cdnow_summary
from crm_lessons.rfm import btyd_summary

warnings.filterwarnings("ignore")


def best_of(fn, repeat: int):
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def generated_summary(n: int):
    from generators import make_world

    t0 = time.perf_counter()
    w = make_world("online_store", n, random_state=1)
    s = btyd_summary(w.transactions, freq="D")
    s["recency"] /= 7.0  # days -> weeks, purchases counted once a day
    s["T"] /= 7.0
    print(f"generated {len(s):,} customers in {time.perf_counter() - t0:.1f} s")
    return s


def bench(name: str, s, repeat: int, baseline: float | None) -> float:
    print(f"\n--- {name}: {len(s):,} customers, {int((s['frequency'] > 0).sum()):,} repeat buyers")
    t_bg, bgf = best_of(lambda: clv.fit_bgnbd(s), repeat)
    t_pn, pnf = best_of(lambda: clv.fit_pareto_nbd(s), repeat)
    t_gg, ggf = best_of(lambda: clv.fit_gamma_gamma(s), repeat)

    def pareto_random_start():
        from crm_lessons.lifetimes_compat import import_lifetimes

        lt = import_lifetimes()
        return lt.ParetoNBDFitter().fit(s["frequency"], s["recency"], s["T"])

    t_pr, _ = best_of(pareto_random_start, 1)
    base = baseline if baseline is not None else t_bg
    rows = [
        ("BG/NBD fit", t_bg),
        ("Pareto/NBD fit (fixed start)", t_pn),
        ("Pareto/NBD fit (lifetimes random start)", t_pr),
        ("Gamma-Gamma fit", t_gg),
    ]
    print(f"{'step':42s} {'seconds':>9s} {'x CDNOW BG/NBD fit':>20s}")
    for label, t in rows:
        print(f"{label:42s} {t:9.3f} {t / base:20.1f}")
    print("BG/NBD params:", bgf.params_.round(3).to_dict())
    print("Pareto/NBD params:", pnf.params_.round(3).to_dict())
    print("Gamma-Gamma params:", ggf.params_.round(3).to_dict())

    t_ours, ours = best_of(lambda: clv.discounted_clv(bgf, ggf, s, months=12), repeat)
    t_ref, ref = best_of(
        lambda: ggf.customer_lifetime_value(
            bgf, s["frequency"], s["recency"], s["T"], s["monetary_value"], time=12, freq="W"
        ),
        repeat,
    )
    t_pa, _ = best_of(lambda: clv.p_alive(bgf, s), repeat)
    assert np.allclose(ours.to_numpy(), ref.to_numpy(), rtol=1e-9)
    n = len(s)
    print(f"{'prediction (12-month CLV)':42s} {'cust/s':>12s} {'x lifetimes':>12s}")
    print(f"{'lifetimes customer_lifetime_value':42s} {n / t_ref:12,.0f} {1.0:12.2f}")
    print(f"{'crm_lessons.clv.discounted_clv':42s} {n / t_ours:12,.0f} {t_ref / t_ours:12.2f}")
    print(f"{'crm_lessons.clv.p_alive':42s} {n / t_pa:12,.0f} {'':>12s}")
    return t_bg


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="20k generated customers, not 100k")
    ap.add_argument("--full", action="store_true", help="accepted for run_all.py; same as default")
    args = ap.parse_args()
    base = bench("CDNOW sample", load_cdnow_summary(), repeat=3, baseline=None)
    n = 20_000 if args.quick else 100_000
    bench(f"generated online_store, {n:,} customers", generated_summary(n), repeat=1,
          baseline=base)  # fmt: skip


if __name__ == "__main__":
    main()
