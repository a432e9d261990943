"""Write the course's default data sets and their README datacards.

:data:`DEFAULTS` fixes the scenario, size and seed of every committed data
set; :func:`write_all_defaults` regenerates all of them byte for byte.

Examples
--------
>>> sorted(DEFAULTS)
['b2b_service', 'coffee_shop', 'fmcg_brand', 'online_store']
>>> DEFAULTS["coffee_shop"]
{'n_customers': 3000, 'seed': 2024}
>>> command("coffee_shop")
'python -m generators coffee_shop --customers 3000 --seed 2024 --out datasets/coffee_shop --format csv'
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from crm_lessons import schema
from crm_lessons.datasets import World

__all__ = [
    "DEFAULTS",
    "EXTRA_COLUMNS",
    "command",
    "render_datacard",
    "render_index",
    "write_all_defaults",
    "write_dataset",
]

#: Scenario -> size and seed of the committed data set.
DEFAULTS: dict[str, dict[str, int]] = {
    "coffee_shop": {"n_customers": 3000, "seed": 2024},
    "online_store": {"n_customers": 3000, "seed": 2024},
    "fmcg_brand": {"n_customers": 3000, "seed": 2024},
    "b2b_service": {"n_customers": 600, "seed": 2024},
}

#: Columns the generator writes beyond :mod:`crm_lessons.schema`: table -> column -> Column.
EXTRA_COLUMNS: dict[str, dict[str, schema.Column]] = {
    "customers": {
        "company": schema.Column("string", "", "Company name of the account (b2b_service only)"),
    },
    "orders": {
        "original_order_id": schema.Column(
            "string", "", "For a refund (is_return True): the order being refunded"
        ),
    },
    "transactions": {
        "product_id": schema.Column("string", "", "Product of the line (one row per order line)"),
    },
    "campaigns": {
        "n_targeted": schema.Column("Int64", "customers", "Customers in the target group"),
        "control_share": schema.Column(
            "float64", "share", "Share of the target group held out as control (0 if none)"
        ),
    },
    "lifecycle_events": {
        "channel": schema.Column(
            "string", "", "Acquisition channel of the customer or prospect (funnel analysis)"
        ),
    },
    "truth": {
        "mean_order_value": schema.Column(
            "float64", "currency", "True mean value of the customer's orders (p / nu)"
        ),
        "satisfaction_latent": schema.Column(
            "float64", "z-score", "True latent satisfaction (standard normal; surveys read it)"
        ),
        "repeat_purchases": schema.Column(
            "Int64", "purchases", "Repeat purchases made in the window (without campaign extras)"
        ),
        "dropout_prob_after_entry": schema.Column(
            "float64", "probability", "Dropout probability after a competitor entered (if set)"
        ),
    },
}

_TABLE_NOTES = {
    "customers": "One row per known customer (loyalty card / account), numbered by sign-up.",
    "products": "The catalogue: list price and unit cost in the local currency.",
    "orders": "One row per order or refund; walk-in sales have no customer_id.",
    "order_lines": "One row per line of an order; refunds have negative quantity and amount.",
    "transactions": "The canonical analysis table: one row per order line with the order's "
    "customer, date and return flag.",
    "campaigns": "One row per marketing campaign.",
    "touches": "One row per targeted customer and campaign; control rows were not sent.",
    "surveys": "One row per survey response (a subset of customers answer once).",
    "tickets": "One row per support ticket.",
    "lifecycle_events": "One row per person and lifecycle stage reached. Customers (`C...`) "
    "have awareness, consideration, purchase, use and, if reached, loyalty; churn only where "
    "the business can see it (see *What the data can and cannot show*). Prospects (`P...`, "
    "not in `customers`) heard of the business, some considered it, none bought.",
    "truth": "HIDDEN GROUND TRUTH. Never use as a model input; only to check models.",
}


def command(scenario: str, out: str | None = None) -> str:
    """The command line that writes a default data set."""
    d = DEFAULTS[scenario]
    out = out or f"datasets/{scenario}"
    return (
        f"python -m generators {scenario} --customers {d['n_customers']} --seed {d['seed']} "
        f"--out {out} --format csv"
    )


def _columns_table(name: str, df: pd.DataFrame) -> str:
    spec = dict(schema.TABLES.get(name, {}))
    spec.update(EXTRA_COLUMNS.get(name, {}))
    lines = ["| column | dtype | unit | meaning |", "|---|---|---|---|"]
    for col in df.columns:
        c = spec.get(col, schema.Column(str(df[col].dtype), "", ""))
        extra = " (generator extra)" if col in EXTRA_COLUMNS.get(name, {}) else ""
        lines.append(f"| `{col}` | {c.dtype} | {c.unit} | {c.description}{extra} |")
    return "\n".join(lines)


def render_datacard(world: World, digests: dict[str, str], *, fmt: str = "csv") -> str:
    """Render a data set's README datacard as Markdown.

    Parameters
    ----------
    world : crm_lessons.datasets.World
        The generated world.
    digests : dict
        File name -> SHA-256, as returned by :meth:`World.to_dir`.
    fmt : str
        File format of the tables.

    Returns
    -------
    str
    """
    p = world.params
    sc = p["scenario"]
    cmd = command(sc) if sc in DEFAULTS and p.get("seed") == DEFAULTS[sc]["seed"] else ""
    out = [
        f"# {sc}: synthetic course data set",
        "",
        p["description"],
        "",
        "All people, companies and numbers are synthetic. The generating parameters, "
        "including the true model parameters, are in `params.json`; the `truth` table "
        "holds each customer's hidden true state. Lessons use them only to check models.",
        "",
        "## How it was made",
        "",
        f"- scenario `{sc}`, seed `{p['seed']}`, {p['n_customers']:,} customers, "
        f"locale `{p['locale']}`, currency `{p['currency']}`, competition `{p['competition']}`",
        f"- window {p['start']} to {p['end']} (time unit of the models: {p['time_unit']})",
        f"- seasonality: {'on' if p['seasonality'] else 'off'}; competitor entry: "
        f"{p['competitor_entry'] or 'none'}",
    ]
    if cmd:
        out += [
            "",
            "```bash",
            cmd,
            "```",
            "",
            "or, for all data sets: `python -m generators --all-defaults`.",
        ]
    out += [
        "",
        "## True model parameters",
        "",
        "| model | parameter | value | meaning |",
        "|---|---|---|---|",
        f"| BG/NBD | r | {p['r']} | shape of the purchase-rate distribution |",
        f"| BG/NBD | alpha | {p['alpha']} | rate of the purchase-rate distribution (weeks) |",
        f"| BG/NBD | a | {p['a']} | Beta parameter of the dropout probability |",
        f"| BG/NBD | b | {p['b']} | Beta parameter of the dropout probability |",
        f"| Gamma-Gamma | p | {p['p']} | shape of the order-value distribution |",
        f"| Gamma-Gamma | q | {p['q']} | shape of the customers' spend-rate distribution |",
        f"| Gamma-Gamma | gamma | {p['gamma']:g} | rate of the spend-rate distribution "
        f"(mean order value {p['mean_order_value']:g} {p['currency']}) |",
    ]
    for cid, u in p["campaign_uplift"].items():
        out.append(
            f"| campaign | {cid} | {u:.4f} | true uplift in conversion rate of the target group |"
        )
    for dim, wt in p["satisfaction_weights"].items():
        out.append(
            f"| satisfaction | weight {dim} | {wt:g} | true standardised effect of the "
            f"{dim} experience on overall satisfaction |"
        )
    out.append(
        f"| membership | member_spend_effect | {p['member_spend_effect']:g} | true causal "
        "effect of membership on spending |"
    )
    out += _hidden_truths(p)
    out += ["", "## Files", "", "| file | rows | SHA-256 |", "|---|---|---|"]
    for name in p["tables"]:
        f = f"{name}.{fmt}"
        out.append(f"| `{f}` | {len(world[name]):,} | `{digests.get(f, '')}` |")
    out.append(f"| `params.json` | | `{digests.get('params.json', '')}` |")
    out += ["", "## Tables", ""]
    for name in p["tables"]:
        out += [
            f"### `{name}`",
            "",
            _TABLE_NOTES.get(name, ""),
            "",
            _columns_table(name, world[name]),
            "",
        ]
    return "\n".join(out).rstrip() + "\n"


def _hidden_truths(p: dict[str, Any]) -> list[str]:
    """The datacard section on what the tables reveal and what stays hidden."""
    if p["churn_observable"]:
        churn = (
            "Churn is observable here: an account that leaves cancels its contract, so "
            "`lifecycle_events` has a `churn` row on the day of the last invoice (the same "
            "date as `truth.churn_date`)."
        )
    else:
        churn = (
            "Churn is NOT observable here: customers simply stop buying, nobody cancels. "
            "`lifecycle_events` therefore has no `churn` rows; the true dropout date is only "
            "in `truth.churn_date` and has to be inferred (e.g. with BG/NBD's P(alive))."
        )
    w = p["satisfaction_weights"]
    order = " > ".join(sorted(w, key=lambda d: -w[d]))
    out = [
        "",
        "## What the data can and cannot show",
        "",
        f"- **Churn.** {churn}",
        f"- **Prospects.** {p['n_prospects']:,} people who heard of the business but never "
        "bought are in `lifecycle_events` with ids `P...` (they are not in `customers`): "
        "an `awareness` row and, for some, a `consideration` row. Conversion by acquisition "
        "channel (`channel` column) can be measured; the true rates are below.",
        f"- **Satisfaction drivers.** The four experiences drive satisfaction in the order "
        f"{order} (weights above; experiences correlate {p['satisfaction_halo']:g} with each "
        "other). A regression of `overall_satisfaction` on the four `perc_*` answers "
        "recovers the order on enough responses; the estimates are smaller than the "
        "weights because answers are noisy and mixed with expectations.",
        "- **Membership.** Members join more often the more often they buy (and only while "
        "still buying), but membership itself changes nothing: `member_spend_effect` = "
        f"{p['member_spend_effect']:g}. Members do spend more than non-members; that gap is "
        "selection, not an effect of the programme (campaigns aimed at members add a few "
        "purchases of their own, see the campaign uplifts).",
    ]
    if p["competitor_entry"]:
        out.append(
            f"- **Competitor entry** on {p['competitor_entry']}: from then on each customer's "
            "dropout is the larger of the old one and a competitive-market one drawn from "
            "their satisfaction (`truth.dropout_prob_after_entry`); the unhappy leave, "
            "nobody becomes more loyal."
        )
    out += [
        "",
        "True conversion rates of the funnel (share of the aware who consider; share of "
        "those who buy; their product):",
        "",
        "| channel | awareness to consideration | consideration to purchase | "
        "awareness to purchase |",
        "|---|---|---|---|",
    ]
    for ch, f in p["funnel"].items():
        out.append(
            f"| {ch} | {f['to_consideration']:.2f} | {f['to_purchase']:.2f} | "
            f"{f['awareness_to_purchase']:.3f} |"
        )
    return out


def write_dataset(world: World, out: str | os.PathLike, *, fmt: str = "csv") -> dict[str, str]:
    """Write a world's tables, ``params.json`` and ``README.md`` into ``out``.

    Returns
    -------
    dict
        File name -> SHA-256 of the tables and ``params.json``.
    """
    digests = world.to_dir(out, format=fmt)
    (Path(out) / "README.md").write_text(
        render_datacard(world, digests, fmt=fmt), encoding="utf-8"
    )
    return digests


def render_index(summary: dict[str, dict[str, Any]], bench_md: str = "") -> str:
    """Render ``datasets/README.md``: one line per data set, then benchmark figures."""
    out = [
        "# Course data sets",
        "",
        "Synthetic small-business worlds made by `generators` (see each folder's README "
        "datacard). Load one with `crm_lessons.datasets.load_world(name)`. Regenerate all "
        "of them, byte for byte, with `python -m generators --all-defaults`; "
        "`tests/test_datasets_reproduce.py` checks that the committed files match.",
        "",
        "| data set | customers | orders | transaction lines | locale | currency | competition | size |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, row in summary.items():
        out.append(
            f"| [{name}]({name}/README.md) | {row['customers']:,} | {row['orders']:,} | "
            f"{row['transactions']:,} | {row['locale']} | {row['currency']} | "
            f"{row['competition']} | {row['size_mb']:.1f} MB |"
        )
    out += [
        "",
        "Files whose name contains `messy` are deliberately dirty samples for the data "
        "cleaning lesson; they are not made by the generator.",
    ]
    if bench_md:
        out += ["", bench_md.strip()]
    return "\n".join(out) + "\n"


_BENCH_START = "## Generator speed"


def write_all_defaults(
    root: str | os.PathLike = "datasets", *, progress: bool = False, index: bool = True
) -> dict[str, dict[str, str]]:
    """(Re)write every default data set and its datacard under ``root``.

    The benchmark section of an existing ``datasets/README.md`` is kept.

    Returns
    -------
    dict
        Scenario -> file name -> SHA-256.
    """
    from generators.world import make_world

    root = Path(root)
    all_digests, summary = {}, {}
    for sc, d in DEFAULTS.items():
        w = make_world(sc, d["n_customers"], random_state=d["seed"], progress=progress)
        folder = root / sc
        all_digests[sc] = write_dataset(w, folder)
        size = sum(f.stat().st_size for f in folder.iterdir() if f.is_file())
        summary[sc] = {
            "customers": len(w.customers),
            "orders": len(w.orders),
            "transactions": len(w.transactions),
            "locale": w.params["locale"],
            "currency": w.params["currency"],
            "competition": w.params["competition"],
            "size_mb": size / 1e6,
        }
    if index:
        bench = ""
        idx = root / "README.md"
        if idx.exists():
            text = idx.read_text(encoding="utf-8")
            if _BENCH_START in text:
                bench = text[text.index(_BENCH_START) :]
        idx.write_text(render_index(summary, bench), encoding="utf-8")
    return all_digests
