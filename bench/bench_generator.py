"""Speed and memory of the synthetic world generator.

Runs each size in a fresh process (so the peak memory is that size's own) and
prints rows per second, peak resident memory and two ratios:

* against the **Faker per-row baseline**: building each customer's identity
  with a Faker call per row, the naive way (customers per second);
* against the **smallest run**: seconds per customer relative to 10k
  customers, so growth that is worse than linear shows up.

Usage::

    python bench/bench_generator.py               # 10k and 100k customers, course data sets
    python bench/bench_generator.py --full        # also 1,000,000 customers
    python bench/bench_generator.py --full --update-readme   # write figures to datasets/README.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "datasets" / "README.md"
SECTION = "## Generator speed"


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def child_world(n: int, scenario: str, walk_ins: bool, extra: str = "") -> dict:
    from generators import make_world

    overrides = {} if walk_ins else {"walk_in_share": 0.0}
    for item in filter(None, extra.split(",")):
        key, value = item.split("=")
        overrides[key] = float(value)
    t0 = time.perf_counter()
    w = make_world(scenario, n, random_state=0, **overrides)
    secs = time.perf_counter() - t0
    rows = sum(len(df) for df in w.values())
    return {
        "customers": n,
        "orders": len(w.orders),
        "order_lines": len(w.order_lines),
        "rows": rows,
        "seconds": secs,
        "peak_mb": _peak_rss_mb(),
    }


def child_defaults() -> dict:
    from generators.datacards import write_all_defaults

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        write_all_defaults(tmp, index=False)
        secs = time.perf_counter() - t0
    return {"seconds": secs, "peak_mb": _peak_rss_mb()}


def child_faker(n: int) -> dict:
    from faker import Faker

    fake = Faker("zh_TW")
    fake.seed_instance(0)
    t0 = time.perf_counter()
    for _ in range(n):
        fake.name(), fake.phone_number(), fake.email(), fake.city()
    secs = time.perf_counter() - t0
    return {"per_second": n / secs}


def _run(args: list[str]) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="include 1,000,000 customers")
    ap.add_argument("--scenario", default="coffee_shop")
    ap.add_argument(
        "--walk-ins",
        action="store_true",
        help="keep anonymous walk-in sales (default: card holders only, ~12 lines/customer)",
    )
    ap.add_argument(
        "--update-readme", action="store_true", help="write datasets/README.md section"
    )
    ap.add_argument(
        "--override",
        action="append",
        default=[],
        help="numeric scenario override KEY=VALUE, e.g. alpha=2.0 (repeatable)",
    )
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        kind = args.child[0]
        if kind == "world":
            extra = args.child[4] if len(args.child) > 4 else ""
            res = child_world(int(args.child[1]), args.child[2], args.child[3] == "1", extra)
        elif kind == "defaults":
            res = child_defaults()
        else:
            res = child_faker(int(args.child[1]))
        print(json.dumps(res))
        return 0

    sizes = [10_000, 100_000] + ([1_000_000] if args.full else [])
    faker = _run(["faker", "2000"])
    print(f"baseline: Faker per row, {faker['per_second']:,.0f} identities/s")
    defaults = _run(["defaults"])
    print(
        f"all four course data sets (generate + write CSV + datacards): "
        f"{defaults['seconds']:.1f} s, peak {defaults['peak_mb']:,.0f} MB"
    )
    rows = []
    header = (
        f"{'customers':>10} {'orders':>11} {'order lines':>12} {'all rows':>12} "
        f"{'seconds':>8} {'rows/s':>10} {'peak MB':>8} {'x Faker':>8} {'s/cust vs 10k':>13}"
    )
    label = f"{'' if args.walk_ins else ' (card holders only)'} {' '.join(args.override)}"
    print(f"scenario {args.scenario}{label}")
    print(header)
    base = None
    for n in sizes:
        r = _run(
            [
                "world",
                str(n),
                args.scenario,
                "1" if args.walk_ins else "0",
                ",".join(args.override),
            ]
        )
        per_cust = r["seconds"] / n
        base = base or per_cust
        r["x_faker"] = (n / r["seconds"]) / faker["per_second"]
        r["growth"] = per_cust / base
        rows.append(r)
        print(
            f"{n:>10,} {r['orders']:>11,} {r['order_lines']:>12,} {r['rows']:>12,} "
            f"{r['seconds']:>8.1f} {r['rows'] / r['seconds']:>10,.0f} {r['peak_mb']:>8,.0f} "
            f"{r['x_faker']:>8.1f} {r['growth']:>13.2f}",
            flush=True,
        )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f}, {platform.python_version()}")
    if args.update_readme:
        _update_readme(rows, defaults, faker, args, load)
    return 0


def _update_readme(rows, defaults, faker, args, load) -> None:
    lines = [
        SECTION,
        "",
        f"Measured with `python bench/bench_generator.py{' --full' if args.full else ''}"
        f"{''.join(' --override ' + o for o in args.override)}` on a "
        f"{os.cpu_count()}-core machine (load average {load:.1f} while measuring; timings "
        "vary with other work on the machine). Scenario "
        f"`{args.scenario}`{'' if args.walk_ins else ', card holders only (no walk-ins)'}"
        f"{''.join(', ' + o for o in args.override)}; "
        "time is generation in memory, peak is the process's resident memory.",
        "",
        f"- all four course data sets, generated and written with datacards: "
        f"{defaults['seconds']:.1f} s",
        f"- baseline, Faker called per row: {faker['per_second']:,.0f} identities/s",
        "",
        "| customers | orders | order lines | all rows | seconds | rows/s | peak MB "
        "| customers/s vs Faker per row | seconds per customer vs 10k |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['customers']:,} | {r['orders']:,} | {r['order_lines']:,} | {r['rows']:,} | "
            f"{r['seconds']:.1f} | {r['rows'] / r['seconds']:,.0f} | {r['peak_mb']:,.0f} | "
            f"{r['x_faker']:.1f}x | {r['growth']:.2f} |"
        )
    text = README.read_text(encoding="utf-8") if README.exists() else "# Course data sets\n"
    if SECTION in text:
        text = text[: text.index(SECTION)].rstrip() + "\n"
    README.write_text(text.rstrip() + "\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"updated {README}")


if __name__ == "__main__":
    sys.exit(main())
