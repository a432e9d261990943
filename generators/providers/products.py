"""What is sold: catalogues with categories, price tiers, prices and costs.

Prices are written at a US price level and scaled to the local currency (see
:data:`generators.scenarios.PRICE_LEVEL`), then rounded to local price points.
Each product also has an *appeal* vector matching the four needs (price,
quality, convenience, social); customers choose products whose appeal matches
their needs, so cross-sell and up-sell patterns differ by segment.

Examples
--------
>>> p = make_products("coffee", currency="TWD")
>>> row = p.set_index("product_name").loc["Latte"]
>>> float(row["unit_price"]), row["price_tier"]
(120.0, 'standard')
>>> sorted(p["category"].unique())
['beans', 'coffee', 'merchandise', 'pastry', 'tea']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from generators._util import finalize, make_ids, nice_price
from generators.scenarios import PRICE_LEVEL

__all__ = ["CATALOGUES", "CATEGORY_APPEAL", "TIER_APPEAL", "make_products", "appeal_matrix"]

#: tier -> (price appeal, quality appeal)
TIER_APPEAL = {"entry": (0.9, 0.2), "standard": (0.5, 0.5), "premium": (0.1, 0.95)}

#: catalogue -> category -> (convenience appeal, social appeal, cost ratio).
#: Cost ratios are cost of goods / price: ~25-30 % for brewed drinks, ~45 % for
#: pastry, ~55 % for retail beans (typical cafe P&L shares); e-commerce and FMCG
#: gross margins 40-60 %; services mostly staff time.
CATEGORY_APPEAL = {
    "coffee": {
        "coffee": (0.85, 0.40, 0.28),
        "tea": (0.75, 0.50, 0.25),
        "pastry": (0.50, 0.85, 0.45),
        "beans": (0.30, 0.20, 0.55),
        "merchandise": (0.20, 0.60, 0.50),
    },
    "lifestyle": {
        "home": (0.40, 0.40, 0.55),
        "kitchen": (0.60, 0.30, 0.55),
        "beauty": (0.50, 0.60, 0.40),
        "apparel": (0.40, 0.70, 0.45),
        "gifts": (0.30, 0.90, 0.50),
    },
    "snacks": {
        "beverages": (0.85, 0.40, 0.45),
        "snacks": (0.75, 0.60, 0.40),
        "instant_food": (0.90, 0.20, 0.50),
        "gift_boxes": (0.20, 0.90, 0.55),
    },
    "b2b": {
        "subscription": (0.60, 0.30, 0.20),
        "services": (0.30, 0.50, 0.60),
        "support": (0.80, 0.30, 0.35),
        "training": (0.30, 0.80, 0.50),
    },
}

#: catalogue -> list of (product name, category, tier, price at US price level).
CATALOGUES: dict[str, list[tuple[str, str, str, float]]] = {
    "coffee": [
        ("Drip coffee", "coffee", "entry", 2.0),
        ("Americano", "coffee", "entry", 2.5),
        ("Latte", "coffee", "standard", 4.0),
        ("Cappuccino", "coffee", "standard", 4.0),
        ("Flat white", "coffee", "standard", 4.5),
        ("Cold brew", "coffee", "standard", 4.5),
        ("Single-origin pour-over", "coffee", "premium", 6.5),
        ("Black tea", "tea", "entry", 2.0),
        ("Bubble milk tea", "tea", "standard", 3.0),
        ("Oolong tea", "tea", "premium", 4.5),
        ("Matcha latte", "tea", "premium", 5.0),
        ("Cookie", "pastry", "entry", 1.2),
        ("Muffin", "pastry", "entry", 2.0),
        ("Croissant", "pastry", "standard", 2.5),
        ("Sandwich", "pastry", "standard", 4.5),
        ("Cheesecake slice", "pastry", "premium", 4.0),
        ("Drip bags (box of 10)", "beans", "entry", 8.0),
        ("House blend beans 250 g", "beans", "standard", 12.0),
        ("Single-origin beans 250 g", "beans", "premium", 18.0),
        ("Geisha beans 100 g", "beans", "premium", 30.0),
        ("Mug", "merchandise", "entry", 10.0),
        ("Tumbler", "merchandise", "standard", 15.0),
        ("Gift set", "merchandise", "premium", 35.0),
    ],
    "lifestyle": [
        ("Scented candle", "home", "entry", 14.0),
        ("Throw blanket", "home", "standard", 45.0),
        ("Linen bedding set", "home", "premium", 180.0),
        ("Storage baskets (set of 3)", "home", "standard", 35.0),
        ("Chef's knife", "kitchen", "premium", 95.0),
        ("Ceramic bowls (set of 4)", "kitchen", "standard", 32.0),
        ("Silicone utensils", "kitchen", "entry", 12.0),
        ("Pour-over kettle", "kitchen", "standard", 48.0),
        ("Hand cream", "beauty", "entry", 9.0),
        ("Face serum", "beauty", "premium", 58.0),
        ("Bath set", "beauty", "standard", 28.0),
        ("Cotton T-shirt", "apparel", "entry", 18.0),
        ("Knit sweater", "apparel", "standard", 65.0),
        ("Wool coat", "apparel", "premium", 220.0),
        ("Socks (3 pairs)", "apparel", "entry", 12.0),
        ("Greeting cards (pack)", "gifts", "entry", 8.0),
        ("Gift hamper", "gifts", "premium", 120.0),
        ("Photo frame", "gifts", "standard", 25.0),
    ],
    "snacks": [
        ("Bottled green tea", "beverages", "entry", 0.6),
        ("Sparkling water (6-pack)", "beverages", "standard", 2.2),
        ("Cold-pressed juice", "beverages", "premium", 2.8),
        ("Oolong milk tea (can)", "beverages", "standard", 0.9),
        ("Potato chips", "snacks", "entry", 1.0),
        ("Spicy dried tofu", "snacks", "entry", 0.8),
        ("Mixed nuts (daily packs)", "snacks", "standard", 4.0),
        ("Beef jerky", "snacks", "premium", 5.5),
        ("Seaweed snacks", "snacks", "standard", 1.5),
        ("Instant noodles (5-pack)", "instant_food", "entry", 2.0),
        ("Self-heating hot pot", "instant_food", "standard", 3.8),
        ("Premium noodle bowl", "instant_food", "premium", 2.6),
        ("Festival gift box", "gift_boxes", "premium", 20.0),
        ("Snack sampler box", "gift_boxes", "standard", 9.0),
    ],
    "b2b": [
        ("Basic plan (month)", "subscription", "entry", 300.0),
        ("Pro plan (month)", "subscription", "standard", 800.0),
        ("Enterprise plan (month)", "subscription", "premium", 2500.0),
        ("Extra user seats (5)", "subscription", "entry", 150.0),
        ("Onboarding package", "services", "standard", 1500.0),
        ("Consulting day", "services", "premium", 1200.0),
        ("Data migration", "services", "standard", 2000.0),
        ("Premium support (month)", "support", "premium", 400.0),
        ("Standard support (month)", "support", "entry", 100.0),
        ("Admin training workshop", "training", "standard", 900.0),
        ("E-learning licence (user)", "training", "entry", 60.0),
    ],
}


def appeal_matrix(catalogue: str, products: pd.DataFrame) -> np.ndarray:
    """Appeal of each product to the four needs, shape (n_products, 4).

    Examples
    --------
    >>> appeal_matrix("coffee", make_products("coffee"))[0].tolist()
    [0.9, 0.2, 0.85, 0.4]
    """
    cat = CATEGORY_APPEAL[catalogue]
    tier = products["price_tier"].to_numpy()
    category = products["category"].to_numpy()
    out = np.empty((len(products), 4))
    out[:, 0] = [TIER_APPEAL[t][0] for t in tier]
    out[:, 1] = [TIER_APPEAL[t][1] for t in tier]
    out[:, 2] = [cat[c][0] for c in category]
    out[:, 3] = [cat[c][1] for c in category]
    return out


def make_products(catalogue: str = "coffee", *, currency: str = "USD") -> pd.DataFrame:
    """Build a scenario's product catalogue in ``currency``.

    The catalogue is fixed (no randomness): the same products and prices in
    every world of a scenario, so lessons can refer to them by name.

    Parameters
    ----------
    catalogue : {"coffee", "lifestyle", "snacks", "b2b"}
        Which catalogue.
    currency : {"USD", "TWD", "CNY"}
        Currency of prices and costs.

    Returns
    -------
    pandas.DataFrame
        The ``products`` table (see :mod:`crm_lessons.schema`).

    Examples
    --------
    >>> first = make_products("b2b").iloc[0]
    >>> first["product_id"], float(first["unit_price"]), float(first["unit_cost"])
    ('P01', 300.0, 66.0)
    """
    if catalogue not in CATALOGUES:
        raise ValueError(
            f"catalogue={catalogue!r} is not known; valid: {', '.join(sorted(CATALOGUES))}"
        )
    if currency not in PRICE_LEVEL:
        raise ValueError(
            f"currency={currency!r} is not supported; valid: {', '.join(sorted(PRICE_LEVEL))}"
        )
    rows = CATALOGUES[catalogue]
    names = [r[0] for r in rows]
    categories = [r[1] for r in rows]
    tiers = [r[2] for r in rows]
    base = np.array([r[3] for r in rows])
    price = nice_price(base * PRICE_LEVEL[currency], currency)
    whole = catalogue == "b2b"  # B2B price lists and invoices are in whole tens
    if whole:
        price = np.round(price, -1)
    ratio = np.array([CATEGORY_APPEAL[catalogue][c][2] for c in categories])
    # premium products carry a higher margin (lower cost ratio), entry products a lower one
    tier_adj = np.array([{"entry": 1.1, "standard": 1.0, "premium": 0.85}[t] for t in tiers])
    decimals = 0 if currency == "TWD" or whole else 2
    cost = np.round(price * ratio * tier_adj, decimals)
    df = pd.DataFrame(
        {
            "product_id": make_ids("P", np.arange(len(rows)), width=2),
            "product_name": names,
            "category": categories,
            "price_tier": tiers,
            "unit_price": price,
            "unit_cost": cost,
        }
    )
    return finalize("products", df)
