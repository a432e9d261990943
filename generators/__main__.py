"""Command line: ``python -m generators SCENARIO --customers N --seed S --out DIR``.

``python -m generators --all-defaults`` rewrites every committed course data set
and its datacard under ``datasets/``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from crm_lessons import schema
from generators.datacards import write_all_defaults, write_dataset
from generators.scenarios import SCENARIOS
from generators.world import make_world

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m generators",
        description="Generate a synthetic SME world (customers, orders, campaigns, "
        "surveys, tickets ...) with hidden ground truth.",
    )
    ap.add_argument("scenario", nargs="?", choices=sorted(SCENARIOS), help="which business")
    ap.add_argument("--customers", type=int, default=None, help="number of known customers")
    ap.add_argument("--seed", type=int, default=None, help="random seed (same seed, same bytes)")
    ap.add_argument("--locale", choices=sorted(schema.LOCALES), default=None)
    ap.add_argument("--currency", choices=list(schema.CURRENCIES), default=None)
    ap.add_argument("--competition", choices=["low", "medium", "high"], default=None)
    ap.add_argument("--start", default=None, help="first day, e.g. 2024-01-01")
    ap.add_argument("--end", default=None, help="last day, e.g. 2025-12-31")
    ap.add_argument("--competitor-entry", default=None, help="date a competitor enters")
    ap.add_argument("--no-seasonality", action="store_true", help="switch seasonality off")
    ap.add_argument("--out", default=None, help="output folder (default: out/<scenario>)")
    ap.add_argument("--format", choices=["csv", "parquet"], default="csv")
    ap.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    ap.add_argument(
        "--all-defaults",
        action="store_true",
        help="rewrite every committed data set and datacard under --out (default datasets/)",
    )
    return ap


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    t0 = time.perf_counter()
    if args.all_defaults:
        root = Path(args.out or "datasets")
        digests = write_all_defaults(root, progress=not args.no_progress)
        for sc, files in digests.items():
            print(f"{sc}: {len(files)} files in {root / sc}")
        print(f"done in {time.perf_counter() - t0:.1f} s")
        return 0
    if args.scenario is None:
        _parser().error("give a SCENARIO or --all-defaults")
    overrides = {}
    if args.competitor_entry:
        overrides["competitor_entry"] = args.competitor_entry
    if args.no_seasonality:
        overrides["seasonality"] = False
    try:
        world = make_world(
            args.scenario,
            args.customers,
            start=args.start,
            end=args.end,
            locale=args.locale,
            currency=args.currency,
            competition=args.competition,
            random_state=args.seed,
            progress=not args.no_progress,
            **overrides,
        )
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    out = Path(args.out or f"out/{args.scenario}")
    write_dataset(world, out, fmt=args.format)
    seconds = time.perf_counter() - t0
    rows = sum(len(df) for df in world.values())
    print(f"{args.scenario}: wrote {len(world)} tables to {out} in {seconds:.1f} s")
    for name, df in world.items():
        print(f"  {name:<17} {len(df):>12,} rows")
    print(f"  {'total':<17} {rows:>12,} rows ({rows / seconds:,.0f} rows/s)")
    p = world.params
    print(
        f"  true BG/NBD r={p['r']} alpha={p['alpha']} a={p['a']} b={p['b']}; "
        f"Gamma-Gamma p={p['p']} q={p['q']} gamma={p['gamma']:g} {p['currency']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
