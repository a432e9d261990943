"""Customer development (顧客發展 / 顾客发展): share of wallet, cross-sell, up-sell.

Developing a customer means selling more to someone who already buys: a larger
**share of wallet** (荷包佔有率 / 荷包占有率) through **cross-selling**
(交叉銷售 / 交叉销售: other products) and **up-selling** (向上銷售 /
向上销售: a better, dearer product of the same kind). This module measures
each and tests a simple recommender honestly:

* :func:`estimate_wallet` and :func:`share_of_wallet`: what each customer
  spends with us against an *estimate* of what they spend in the category in
  total (the wallet, which we never observe; the rule is stated below);
* :func:`cross_sell_affinity`: support, confidence and lift between
  categories (or products) bought together, computed with pandas;
* :func:`upsell_ladder`: per category, how many customers who started on the
  entry or standard tier later climbed to a higher one;
* :func:`recommend` and :func:`holdout_hit_rate`: a next-product
  recommendation from co-purchases, checked on a later period against the
  "recommend the bestseller" baseline.

Examples
--------
>>> lines = pd.DataFrame({"order_id": ["o1", "o1", "o2", "o2", "o3"],
...                       "category": ["coffee", "cake", "coffee", "cake", "coffee"]})
>>> cross_sell_affinity(lines, item="category")[["support", "confidence", "lift"]].round(3)
                      support  confidence   lift
antecedent consequent
cake       coffee       0.667       1.000  1.000
coffee     cake         0.667       0.667  1.000
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crm_lessons import schema
from crm_lessons._checks import make_glossary
from crm_lessons._checks import require_columns as _require

__all__ = [
    "GLOSSARY",
    "glossary",
    "PRICE_TIERS",
    "cross_sell_affinity",
    "enrich_lines",
    "estimate_wallet",
    "holdout_hit_rate",
    "recommend",
    "share_of_wallet",
    "upsell_ladder",
]

#: The lesson's vocabulary: English, Traditional Chinese, Simplified Chinese.
GLOSSARY: tuple[tuple[str, str, str], ...] = (
    ("customer development", "顧客發展", "顾客发展"),
    ("share of wallet", "荷包佔有率", "钱包份额（荷包占有率）"),
    ("wallet (total category spend)", "顧客總支出", "顾客总支出"),
    ("cross-selling", "交叉銷售", "交叉销售"),
    ("up-selling", "向上銷售（追加銷售）", "向上销售（追加销售）"),
    ("basket", "購物籃", "购物篮"),
    ("support", "支持度", "支持度"),
    ("confidence", "信賴度", "置信度"),
    ("lift", "提升度", "提升度"),
    ("price tier", "價格層級", "价格层级"),
    ("recommendation", "推薦", "推荐"),
    ("popularity baseline (bestseller)", "熱銷品基準", "热销品基准"),
    ("hit rate", "命中率", "命中率"),
    ("time-based holdout", "依時間切分的驗證資料", "按时间切分的验证数据"),
)


#: ``glossary()`` returns :data:`GLOSSARY` as a table (English, 繁體中文, 简体中文).
glossary = make_glossary(GLOSSARY)


#: Price tiers from cheapest to dearest (the up-sell ladder).
PRICE_TIERS = ("entry", "standard", "premium")


def enrich_lines(
    order_lines: pd.DataFrame,
    orders: pd.DataFrame,
    products: pd.DataFrame,
    *,
    order_id: str = schema.ORDER_ID,
    product_id: str = schema.PRODUCT_ID,
    keep_returns: bool = False,
) -> pd.DataFrame:
    """Join order lines with their order (customer, date) and product (category, tier).

    Parameters
    ----------
    order_lines, orders, products : pandas.DataFrame
        The course tables of those names.
    order_id, product_id : str
        Join keys.
    keep_returns : bool, default False
        Keep return lines (negative quantity or a return order). By default
        they are left out and counted in ``attrs["excluded_rows"]``.

    Returns
    -------
    pandas.DataFrame
        One row per line with the order's ``customer_id`` and ``date`` and the
        product's ``category``, ``price_tier`` and ``unit_cost`` added.

    Examples
    --------
    >>> ol = pd.DataFrame({"order_id": ["o1", "o1", "o2"], "product_id": ["p1", "p2", "p1"],
    ...                    "quantity": [1, 2, -1], "amount": [3.0, 8.0, -3.0]})
    >>> od = pd.DataFrame({"order_id": ["o1", "o2"], "customer_id": ["a", "a"],
    ...                    "date": pd.to_datetime(["2024-01-01", "2024-01-02"])})
    >>> pr = pd.DataFrame({"product_id": ["p1", "p2"], "category": ["coffee", "cake"],
    ...                    "price_tier": ["entry", "premium"]})
    >>> out = enrich_lines(ol, od, pr)
    >>> out[["order_id", "customer_id", "category"]].values.tolist(), out.attrs["excluded_rows"]
    ([['o1', 'a', 'coffee'], ['o1', 'a', 'cake']], {'return lines': 1})
    """
    _require(order_lines, [order_id, product_id], "order_lines")
    _require(orders, [order_id], "orders")
    _require(products, [product_id], "products")
    o_cols = [c for c in (order_id, schema.CUSTOMER_ID, schema.DATE, "channel") if c in orders]
    if schema.IS_RETURN in orders:
        o_cols.append(schema.IS_RETURN)
    p_cols = [
        c
        for c in (product_id, "category", "price_tier", "unit_cost", "product_name")
        if c in products
    ]
    out = order_lines.merge(orders[o_cols], on=order_id, how="left", validate="many_to_one")
    out = out.merge(products[p_cols], on=product_id, how="left", validate="many_to_one")
    excluded = {}
    if not keep_returns:
        ret = np.zeros(len(out), dtype=bool)
        if schema.QUANTITY in out:
            ret = ret | (out[schema.QUANTITY] < 0).fillna(False).to_numpy(dtype=bool)
        if schema.IS_RETURN in out:
            ret = ret | out[schema.IS_RETURN].fillna(False).to_numpy(dtype=bool)
        if ret.any():
            excluded["return lines"] = int(ret.sum())
        out = out.loc[~ret]
    if schema.IS_RETURN in out and schema.IS_RETURN not in order_lines:
        out = out.drop(columns=schema.IS_RETURN)
    out = out.reset_index(drop=True)
    out.attrs["excluded_rows"] = excluded
    return out


# ------------------------------------------------------------------ share of wallet


def estimate_wallet(
    spend: pd.Series,
    *,
    groups: pd.Series | None = None,
    quantile: float = 0.9,
    min_group_size: int = 20,
) -> pd.Series:
    """Estimate each customer's total category spend (the *wallet*).

    We only see what a customer spends **with us**. The estimation rule
    (the "best customers in the peer group" rule of wallet estimation by high
    quantiles, Perlich et al. 2007):

        *a customer's wallet is the* ``quantile`` *(default 90th percentile)
        of our own spend among comparable customers (same* ``groups`` *value),
        or their own spend if that is higher.*

    The reasoning: among similar customers, the ones who spend most with us
    are taken to give us (nearly) their whole category budget, so their spend
    measures what such a customer *can* spend. Groups smaller than
    ``min_group_size`` use the quantile over all customers instead. The
    result is an estimate: say so when reporting it, and compare it with a
    survey question ("How much do you spend on coffee a month?") where you
    have one.

    Parameters
    ----------
    spend : pandas.Series
        Spend with us per customer (index = customer id), over a fixed
        window.
    groups : pandas.Series, optional
        Peer group per customer (same index), e.g. a need segment, city or
        household size; default everyone is one group.
    quantile : float, default 0.9
        Which quantile of peer spend counts as the full wallet, in (0, 1].
    min_group_size : int, default 20
        Smaller groups fall back to the overall quantile.

    Returns
    -------
    pandas.Series
        Estimated wallet per customer, named ``wallet``.

    Examples
    --------
    >>> spend = pd.Series([10.0, 20.0, 30.0, 40.0, 100.0], index=list("abcde"))
    >>> estimate_wallet(spend, quantile=0.75, min_group_size=1).tolist()
    [40.0, 40.0, 40.0, 40.0, 100.0]
    """
    if not isinstance(spend, pd.Series):
        raise TypeError("spend must be a pandas Series indexed by customer id")
    if not 0 < quantile <= 1:
        raise ValueError(f"quantile={quantile!r} must lie in (0, 1]")
    if spend.isna().any():
        raise ValueError(f"spend has {int(spend.isna().sum())} missing values; fill them first")
    overall = float(spend.quantile(quantile))
    if groups is None:
        peer = pd.Series(overall, index=spend.index)
    else:
        g = groups.reindex(spend.index)
        if g.isna().any():
            raise ValueError(
                f"groups has no value for {int(g.isna().sum())} customer(s) in spend; "
                "give every customer a group"
            )
        q = spend.groupby(g).quantile(quantile)
        n = spend.groupby(g).size()
        q = q.where(n >= min_group_size, overall)
        peer = g.map(q).astype(float)
    return np.maximum(spend.astype(float), peer).rename("wallet")


def share_of_wallet(
    transactions: pd.DataFrame,
    *,
    groups: pd.Series | None = None,
    wallet: pd.Series | None = None,
    quantile: float = 0.9,
    min_group_size: int = 20,
    start=None,
    end=None,
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
    amount: str = schema.AMOUNT,
) -> pd.DataFrame:
    """Share of wallet per customer: spend with us / estimated total category spend.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Purchases (net of refunds: negative amounts reduce the spend).
    groups : pandas.Series, optional
        Peer group per customer for :func:`estimate_wallet`.
    wallet : pandas.Series, optional
        A known wallet per customer (e.g. from a survey); customers missing
        from it get the estimate.
    quantile, min_group_size
        Passed to :func:`estimate_wallet`.
    start, end : date-like, optional
        Window of purchases counted (``start <= date < end``); use a fixed
        window (e.g. one year) so spends are comparable.
    customer_id, date, amount : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer: ``spend``, ``wallet``, ``share_of_wallet`` (in
        [0, 1]), ``headroom`` (wallet - spend: what development could still
        win) and ``wallet_source`` ("estimated" or "given").

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b", "c", "d"],
    ...                    "date": pd.to_datetime(["2024-01-01"] * 5),
    ...                    "amount": [30.0, 10.0, 20.0, 80.0, 10.0]})
    >>> share_of_wallet(tx, quantile=1.0, min_group_size=1)[["spend", "wallet", "share_of_wallet"]]
                 spend  wallet  share_of_wallet
    customer_id
    a             40.0    80.0            0.500
    b             20.0    80.0            0.250
    c             80.0    80.0            1.000
    d             10.0    80.0            0.125
    """
    _require(transactions, [customer_id, date, amount], "transactions")
    tx = transactions[transactions[customer_id].notna()]
    if start is not None:
        tx = tx[tx[date] >= pd.Timestamp(start)]
    if end is not None:
        tx = tx[tx[date] < pd.Timestamp(end)]
    if tx.empty:
        raise ValueError("no purchases by known customers in the chosen window")
    spend = tx.groupby(customer_id)[amount].sum().clip(lower=0.0).astype(float)
    est = estimate_wallet(spend, groups=groups, quantile=quantile, min_group_size=min_group_size)
    source = pd.Series("estimated", index=spend.index)
    if wallet is not None:
        given = wallet.reindex(spend.index)
        has = given.notna()
        est = est.where(~has, np.maximum(given, spend))
        source = source.where(~has, "given")
    out = pd.DataFrame({"spend": spend, "wallet": est.astype(float)})
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share_of_wallet"] = (out["spend"] / out["wallet"]).where(out["wallet"] > 0, np.nan)
    out["headroom"] = out["wallet"] - out["spend"]
    out["wallet_source"] = source
    out.index.name = customer_id
    return out


# ------------------------------------------------------------------ cross-sell


def cross_sell_affinity(
    lines: pd.DataFrame,
    *,
    basket: str = schema.ORDER_ID,
    item: str = "category",
    min_support: float = 0.0,
    min_count: int = 0,
) -> pd.DataFrame:
    """Support, confidence and lift for every ordered pair of items bought together.

    With *N* baskets (orders, or customers if ``basket="customer_id"``):

    * ``support(A → B)`` = share of baskets holding both A and B;
    * ``confidence(A → B)`` = share of baskets with A that also hold B
      (the chance a customer buying A also takes B);
    * ``lift(A → B)`` = confidence / share of baskets holding B. Above 1:
      A makes B more likely than it is anyway, a cross-sell lead; 1: no
      relation; below 1: substitutes.

    Parameters
    ----------
    lines : pandas.DataFrame
        One row per line (basket and item); repeats within a basket count once.
    basket : str, default "order_id"
        What "bought together" means: the same order, or the same customer.
    item : str, default "category"
        The item column (category or product).
    min_support : float, default 0
        Keep pairs with at least this support.
    min_count : int, default 0
        Keep pairs seen together in at least this many baskets (0 keeps
        pairs never bought together: lift 0).

    Returns
    -------
    pandas.DataFrame
        Indexed by (``antecedent``, ``consequent``), columns ``n_both``,
        ``support``, ``confidence``, ``lift``, ``antecedent_share``,
        ``consequent_share``; sorted by lift then support (highest first).

    Examples
    --------
    >>> lines = pd.DataFrame({"order_id": [1, 1, 2, 2, 3, 4],
    ...                       "category": ["tea", "cake", "tea", "cake", "coffee", "coffee"]})
    >>> t = cross_sell_affinity(lines)
    >>> t.loc[("tea", "cake"), ["support", "confidence", "lift"]].tolist()
    [0.5, 1.0, 2.0]
    """
    _require(lines, [basket, item], "lines")
    pairs = lines[[basket, item]].dropna().drop_duplicates()
    if pairs.empty:
        raise ValueError("lines has no rows with both a basket and an item")
    n_baskets = pairs[basket].nunique()
    b_codes, _ = pd.factorize(pairs[basket], sort=True)
    i_codes, items = pd.factorize(pairs[item], sort=True)
    m = np.zeros((n_baskets, len(items)), dtype=np.int64)
    m[b_codes, i_codes] = 1
    both = m.T @ m
    count = np.diag(both).astype(float)
    a_idx, c_idx = np.nonzero(~np.eye(len(items), dtype=bool))
    n_both = both[a_idx, c_idx]
    share_a = count[a_idx] / n_baskets
    share_c = count[c_idx] / n_baskets
    support = n_both / n_baskets
    confidence = n_both / count[a_idx]
    out = pd.DataFrame(
        {
            "antecedent": items[a_idx],
            "consequent": items[c_idx],
            "n_both": n_both,
            "support": support,
            "confidence": confidence,
            "lift": confidence / share_c,
            "antecedent_share": share_a,
            "consequent_share": share_c,
        }
    )
    out = out[(out["support"] >= min_support) & (out["n_both"] >= min_count)]
    out = out.sort_values(
        ["lift", "support", "antecedent", "consequent"],
        ascending=[False, False, True, True],
        kind="stable",
    )
    out.attrs["baskets"] = int(n_baskets)
    return out.set_index(["antecedent", "consequent"])


# ------------------------------------------------------------------ up-sell


def upsell_ladder(
    lines: pd.DataFrame,
    *,
    category: str = "category",
    tier: str = "price_tier",
    tiers: Sequence[str] = PRICE_TIERS,
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
) -> pd.DataFrame:
    """How many customers climbed the price ladder within a category.

    For each customer and category, the *starting tier* is the tier of their
    first purchase in the category (the highest, if several on that day) and
    the *later best tier* the highest tier bought on any later day.
    A customer **moved up** when the later best tier is above the starting
    one.

    Parameters
    ----------
    lines : pandas.DataFrame
        Purchase lines with customer, date, category and tier (see
        :func:`enrich_lines`).
    category, tier, customer_id, date : str
        Column names.
    tiers : sequence of str, default :data:`PRICE_TIERS`
        Tiers from cheapest to dearest.

    Returns
    -------
    pandas.DataFrame
        Indexed by (``category``, ``start_tier``): ``customers``,
        ``bought_again`` (share with any later purchase in the category),
        ``moved_up`` (share who later bought a higher tier) and
        ``moved_up_of_repeaters`` (the same among those who bought again).
        The top tier cannot move up, so its shares are missing.

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": ["a", "a", "b", "b", "c"],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-05",
    ...                             "2024-03-01", "2024-01-09"]),
    ...     "category": ["coffee"] * 5,
    ...     "price_tier": ["entry", "premium", "entry", "entry", "entry"]})
    >>> upsell_ladder(lines)[["customers", "bought_again", "moved_up"]].round(3)
                         customers  bought_again  moved_up
    category start_tier
    coffee   entry               3         0.667     0.333
    """
    _require(lines, [customer_id, date, category, tier], "lines")
    df = lines[[customer_id, date, category, tier]].dropna()
    unknown = sorted(set(df[tier].unique()) - set(tiers))
    if unknown:
        raise ValueError(f"column {tier!r} holds {unknown}, not among tiers={list(tiers)}")
    rank = {t: i for i, t in enumerate(tiers)}
    df = df.assign(_r=df[tier].map(rank).astype(int), _d=df[date].dt.normalize())
    first_day = df.groupby([customer_id, category])["_d"].transform("min")
    is_first = df["_d"] == first_day
    start = df[is_first].groupby([customer_id, category])["_r"].max()
    later = df[~is_first].groupby([customer_id, category])["_r"].max()
    per = pd.DataFrame({"start": start, "later": later.reindex(start.index)})
    per["again"] = per["later"].notna()
    per["up"] = per["later"] > per["start"]
    grouped = per.groupby([per.index.get_level_values(category), "start"])
    out = grouped.agg(customers=("again", "size"), again=("again", "sum"), up=("up", "sum"))
    out["bought_again"] = out["again"] / out["customers"]
    out["moved_up"] = out["up"] / out["customers"]
    out["moved_up_of_repeaters"] = (out["up"] / out["again"]).where(out["again"] > 0)
    top = out.index.get_level_values("start") == len(tiers) - 1
    out.loc[top, ["moved_up", "moved_up_of_repeaters"]] = np.nan
    out.index = pd.MultiIndex.from_arrays(
        [
            out.index.get_level_values(0),
            pd.Categorical.from_codes(
                out.index.get_level_values("start"), categories=list(tiers), ordered=True
            ),
        ],
        names=[category, "start_tier"],
    )
    return out[["customers", "bought_again", "moved_up", "moved_up_of_repeaters"]]


# ------------------------------------------------------------------ recommendation


def _matrix(history: pd.DataFrame, customer_id: str, item: str):
    pairs = history[[customer_id, item]].dropna().drop_duplicates()
    c_codes, customers = pd.factorize(pairs[customer_id], sort=True)
    i_codes, items = pd.factorize(pairs[item], sort=True)
    m = np.zeros((len(customers), len(items)), dtype=np.float64)
    m[c_codes, i_codes] = 1.0
    return m, customers, items


def recommend(
    history: pd.DataFrame,
    *,
    k: int = 3,
    method: str = "affinity",
    item: str = schema.PRODUCT_ID,
    customers: Sequence | None = None,
    groups: pd.Series | None = None,
    customer_id: str = schema.CUSTOMER_ID,
) -> pd.DataFrame:
    """Recommend ``k`` items each customer has not bought yet.

    * ``"popularity"`` (the baseline): the items bought by most customers.
    * ``"group_popularity"``: the items bought by most customers of the
      customer's own group (``groups``, e.g. a need segment from the profile);
      customers without a group get the overall bestsellers.
    * ``"affinity"``: item-to-item co-purchase. The score of item *j* for a
      customer is the sum, over the items *i* they already bought, of
      ``confidence(i → j)`` = share of the customers who bought *i* who also
      bought *j*. Ties are broken by popularity, then by item name.

    Parameters
    ----------
    history : pandas.DataFrame
        Past purchase lines with a customer and an item column.
    k : int, default 3
        Recommendations per customer.
    method : {"affinity", "popularity", "group_popularity"}
        Scoring rule.
    groups : pandas.Series, optional
        Group per customer (index = customer id), for ``"group_popularity"``.
    item, customer_id : str
        Column names.
    customers : sequence, optional
        Whom to recommend for; default everyone in ``history``. Customers
        with no history get the popular items.

    Returns
    -------
    pandas.DataFrame
        Columns ``customer_id``, ``rank`` (1 ... k), ``item`` and ``score``.

    Examples
    --------
    >>> h = pd.DataFrame({"customer_id": ["a", "a", "b", "b", "c", "c", "d"],
    ...                   "product_id": ["latte", "muffin", "latte", "muffin",
    ...                                  "tea", "scone", "latte"]})
    >>> recommend(h, k=1, customers=["d"])[["customer_id", "item"]].values.tolist()
    [['d', 'muffin']]
    >>> recommend(h, k=1, method="popularity", customers=["c"])["item"].tolist()
    ['latte']
    """
    methods = ("affinity", "popularity", "group_popularity")
    if method not in methods:
        raise ValueError(f"method={method!r} is not valid; use one of {', '.join(methods)}")
    if not isinstance(k, int | np.integer) or k < 1:
        raise ValueError(f"k={k!r} must be a whole number >= 1")
    _require(history, [customer_id, item], "history")
    m, known, items = _matrix(history, customer_id, item)
    if customers is None:
        customers = known
    target = pd.Index(customers)
    rows = known.get_indexer(target)
    owned = np.zeros((len(target), len(items)))
    has = rows >= 0
    owned[has] = m[rows[has]]
    popularity = m.sum(axis=0)
    if method == "popularity":
        score = np.tile(popularity, (len(target), 1))
    elif method == "group_popularity":
        if groups is None:
            raise ValueError("method='group_popularity' needs groups (a Series per customer)")
        g_known = groups.reindex(known).to_numpy()
        g_target = groups.reindex(target).to_numpy()
        score = np.tile(popularity, (len(target), 1)).astype(float)
        for g in pd.unique(g_target[pd.notna(g_target)]):
            counts = m[g_known == g].sum(axis=0)
            score[g_target == g] = counts + popularity / (popularity.sum() + 1.0)
    else:
        co = m.T @ m
        with np.errstate(divide="ignore", invalid="ignore"):
            conf = np.where(popularity[:, None] > 0, co / popularity[:, None], 0.0)
        np.fill_diagonal(conf, 0.0)
        score = owned @ conf
        score[~has] = popularity  # no history: fall back to the bestsellers
    score = np.where(owned > 0, -np.inf, score)
    # order: score desc, then popularity desc, then item name (items are sorted)
    order = np.lexsort((np.arange(len(items))[None, :].repeat(len(target), 0),
                        -np.tile(popularity, (len(target), 1)), -score), axis=1)  # fmt: skip
    top = order[:, :k]
    out_rows = []
    for r, cust in enumerate(target):
        for rank, j in enumerate(top[r], start=1):
            if np.isfinite(score[r, j]):
                out_rows.append((cust, rank, items[j], float(score[r, j])))
    return pd.DataFrame(out_rows, columns=[customer_id, "rank", "item", "score"])


def holdout_hit_rate(
    history: pd.DataFrame,
    *,
    cutoff,
    horizon_days: int | None = None,
    k: int = 3,
    item: str = schema.PRODUCT_ID,
    methods: Sequence[str] = ("popularity", "affinity"),
    groups: pd.Series | None = None,
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
) -> pd.DataFrame:
    """Test next-product recommendations on a later period (time-based holdout).

    Recommendations are made from purchases **before** ``cutoff`` only. They
    are scored on customers who, in ``[cutoff, cutoff + horizon_days)``,
    bought at least one item they had not bought before (the only purchases
    a "next product" recommendation could have caused). A customer is a
    **hit** when at least one of the ``k`` recommended items is among those
    new items.

    Parameters
    ----------
    history : pandas.DataFrame
        Purchase lines with customer, date and item.
    cutoff : date-like
        Training data end here; the test period starts here.
    horizon_days : int, optional
        Length of the test period; default to the end of the data.
    k : int, default 3
        Recommendations per customer.
    item, customer_id, date : str
        Column names.
    methods : sequence of str
        Methods of :func:`recommend` to compare; ``"popularity"`` is the
        baseline.
    groups : pandas.Series, optional
        Passed to :func:`recommend` (for ``"group_popularity"``).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``method``: ``customers`` (evaluated), ``hits``,
        ``hit_rate``, ``precision`` (share of the recommended items that
        were bought) and ``lift_vs_popularity`` (hit rate / popularity's).

    Examples
    --------
    Customer ``e`` bought tea before the cutoff and scone after it. The
    bestseller is muffin, but tea buyers tend to buy scones:

    >>> h = pd.DataFrame({
    ...     "customer_id": list("aabbcccddee"),
    ...     "product_id": ["latte", "muffin", "latte", "muffin", "tea", "scone", "muffin",
    ...                    "tea", "scone", "tea", "scone"],
    ...     "date": pd.to_datetime(["2024-01-01"] * 10 + ["2024-02-01"])})
    >>> holdout_hit_rate(h, cutoff="2024-01-15", k=1)[["customers", "hits", "hit_rate"]]
                customers  hits  hit_rate
    method
    popularity          1     0       0.0
    affinity            1     1       1.0
    """
    if not isinstance(k, int | np.integer) or k < 1:
        raise ValueError(f"k={k!r} must be a whole number >= 1")
    _require(history, [customer_id, item, date], "history")
    t = pd.Timestamp(cutoff)
    h = history.dropna(subset=[customer_id, item, date])
    train = h[h[date] < t]
    test = h[h[date] >= t]
    if horizon_days is not None:
        test = test[test[date] < t + pd.Timedelta(days=int(horizon_days))]
    if train.empty or test.empty:
        raise ValueError(
            f"cutoff={t.date()} leaves {len(train)} training and {len(test)} test rows; "
            "both must be non-empty"
        )
    owned = set(map(tuple, train[[customer_id, item]].drop_duplicates().to_numpy()))
    known = set(train[customer_id].unique())
    test_pairs = test[[customer_id, item]].drop_duplicates()
    is_new = [(c, i) not in owned for c, i in test_pairs.to_numpy()]
    new = test_pairs[np.array(is_new, dtype=bool) & test_pairs[customer_id].isin(known)]
    new_items = {c: set(g) for c, g in new.groupby(customer_id, sort=True)[item]}
    evaluated = pd.Index(list(new_items), name=customer_id)
    rows = []
    for method in methods:
        rec = recommend(
            train,
            k=k,
            method=method,
            item=item,
            customers=evaluated,
            groups=groups,
            customer_id=customer_id,
        )
        got = {c: set(g) for c, g in rec.groupby(customer_id)["item"]}
        n_hit_items = np.array(
            [len(got.get(c, set()) & new_items[c]) for c in evaluated], dtype=int
        )
        rows.append(
            {
                "method": method,
                "customers": len(evaluated),
                "hits": int((n_hit_items > 0).sum()),
                "hit_rate": float((n_hit_items > 0).mean()) if len(evaluated) else np.nan,
                "precision": float(n_hit_items.sum() / (k * len(evaluated)))
                if len(evaluated)
                else np.nan,
            }
        )
    out = pd.DataFrame(rows).set_index("method")
    if "popularity" in out.index and out.loc["popularity", "hit_rate"] > 0:
        out["lift_vs_popularity"] = out["hit_rate"] / out.loc["popularity", "hit_rate"]
    else:
        out["lift_vs_popularity"] = np.nan
    return out
