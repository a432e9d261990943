"""Write datasets/messy_pos_export_big5.csv: a deliberately messy point-of-sale export.

It is cut from the committed coffee_shop world (the 2025 transactions of 45
randomly chosen members plus some walk-in sales) and then written the way a
Taiwanese till exports it: Big5 encoding, Chinese headers, ``NT$1,234``
amounts, slash dates, refunds as negative lines. Known problems are planted
on purpose, so the lesson "Your own data" and the tests can check that the
loader finds each of them:

* a title line above the header and a blank line in the middle;
* 3 exact duplicate lines (a till that exported one batch twice);
* 1 line dated in 2026, after the export date;
* 1 impossible date (31 September) and 1 amount written as text;
* a ``合計`` (total) line at the bottom.

Run ``python tests/bad_inputs/make_messy_sample.py``; the output is
byte-identical for the same world.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from crm_lessons.datasets import datasets_dir, load_world

SEED = 20251231
OUT_NAME = "messy_pos_export_big5.csv"
HEADER = ["交易日期", "會員編號", "發票號碼", "品名", "數量", "金額"]


def build(seed: int = SEED) -> str:
    rng = np.random.default_rng(seed)
    w = load_world("coffee_shop")
    tx = w.transactions.merge(w.products[["product_id", "product_name"]], on="product_id")
    tx = tx[(tx["date"] >= "2025-01-01") & (tx["date"] <= "2025-12-31")]
    members = tx["customer_id"].dropna().unique()
    chosen = set(rng.choice(np.sort(members), size=45, replace=False))
    walk_in = tx[tx["customer_id"].isna()]
    walk_in = walk_in.iloc[np.sort(rng.choice(len(walk_in), size=60, replace=False))]
    part = pd.concat([tx[tx["customer_id"].isin(chosen)], walk_in])
    # A till prints one line per product and order: merge repeated products.
    part = (
        part.groupby(["order_id", "product_id"], sort=False, dropna=False)
        .agg(
            customer_id=("customer_id", "first"),
            date=("date", "first"),
            product_name=("product_name", "first"),
            quantity=("quantity", "sum"),
            amount=("amount", "sum"),
        )
        .reset_index()
        .sort_values(["date", "order_id", "product_id"], kind="stable")
    )
    # Invoice numbers in the Taiwanese style: two letters and eight digits.
    digits = part["order_id"].str.slice(1).astype(int)
    invoice = "AB" + (10_000_000 + digits).astype(str)
    rows = pd.DataFrame(
        {
            "交易日期": part["date"].dt.strftime("%Y/%m/%d %H:%M"),
            "會員編號": part["customer_id"].fillna("").astype(str),
            "發票號碼": invoice.to_numpy(),
            "品名": part["product_name"].to_numpy(),
            "數量": part["quantity"].astype(int).astype(str).to_numpy(),
            "金額": [f"NT${v:,.0f}" for v in part["amount"]],
        }
    ).reset_index(drop=True)
    lines = [",".join(f'"{v}"' if "," in v else v for v in r) for r in rows.to_numpy()]
    n = len(lines)
    # Planted problems (positions drawn from the seeded generator, fixed order).
    pos = np.sort(rng.choice(np.arange(5, n - 5), size=6, replace=False))
    dup_src = pos[:3]
    bad_date, bad_amount, future = pos[3], pos[4], pos[5]
    lines[bad_date] = "2025/09/31 10:00" + lines[bad_date][16:]
    fields = lines[bad_amount].rsplit(",", 1)
    lines[bad_amount] = fields[0] + ",約120元"
    lines[future] = "2026/01/15" + lines[future][10:]
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        if i in dup_src:
            out.append(line)
        if i == n // 2:
            out.append("")
    total = part["amount"].sum()
    text = "\n".join(
        ["咖啡店 POS 銷售明細匯出 2025", ",".join(HEADER), *out, f'合計,,,,,"NT${total:,.0f}"']
    )
    return text + "\n"


def main() -> Path:
    path = datasets_dir() / OUT_NAME
    path.write_bytes(build().encode("cp950"))
    print(f"wrote {path}")
    return path


if __name__ == "__main__":
    main()
