"""Customer profile and customer knowledge: the first two Cs.

* :func:`customer_view` builds the *single customer view* (顧客 360 度視圖):
  one row per customer joining the profile table with orders, order lines,
  surveys, tickets and campaign touches. It separates **explicit** attributes,
  which the customer told us or which are plain records (age, gender, city,
  membership, spend history), from **implicit** ones read from behaviour
  (preferred category, weekday vs weekend buyer, price sensitivity from
  discount use, preferred channel, time of day).
* :func:`knowledge_rules` turns the view into checkable rules of thumb
  ("customers whose favourite category is pastry come back ... N % of the
  time") with **support** and **confidence**, computed from the data.
* :func:`first_purchase_rules` is the classic example: how often customers
  come back within ``window_days`` after a first purchase in each category.
* :func:`portrait` describes a group (for example the best customers) against
  everyone: the customer portrait (顧客畫像).

Examples
--------
>>> import pandas as pd
>>> customers = pd.DataFrame({"customer_id": ["A", "B"], "birth_year": [1990, 1970],
...                           "gender": ["F", "M"]})
>>> orders = pd.DataFrame({"customer_id": ["A", "A", "B"],
...     "date": pd.to_datetime(["2024-03-02", "2024-03-09", "2024-03-04"]),
...     "amount": [100.0, 50.0, 80.0], "discount": [0.0, 10.0, 0.0],
...     "channel": ["store", "app", "store"]})
>>> v = customer_view(customers, orders, as_of="2024-03-31")
>>> v[["age", "n_orders", "total_spend", "buyer_day", "discount_share"]]
             age  n_orders  total_spend buyer_day  discount_share
customer_id
A             34         2        150.0   weekend             0.5
B             54         1         80.0   weekday             0.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from crm_lessons import schema
from crm_lessons._checks import require_columns as _need

__all__ = [
    "EXPLICIT",
    "IMPLICIT",
    "customer_view",
    "customer_view_from_world",
    "first_purchase_rules",
    "first_purchase_table",
    "knowledge_rules",
    "orders_from_lines",
    "portrait",
]

#: Columns of :func:`customer_view` that are explicit (stated or recorded).
EXPLICIT = (
    "gender",
    "age",
    "city",
    "district",
    "is_member",
    "signup_date",
    "acquisition_channel",
    "n_orders",
    "total_spend",
    "avg_order_value",
    "first_purchase",
    "last_purchase",
    "days_since_last",
    "n_returns",
)
#: Columns of :func:`customer_view` that are implicit (read from behaviour).
IMPLICIT = (
    "preferred_category",
    "preferred_category_share",
    "weekend_share",
    "buyer_day",
    "discount_share",
    "price_sensitivity",
    "preferred_channel",
    "daypart",
)

_DAYPARTS = [(0, "morning"), (11, "midday"), (14, "afternoon"), (17, "evening")]


def _mode(s: pd.Series, by: pd.Series) -> pd.Series:
    """Most frequent value of ``s`` per group ``by`` (ties: alphabetical)."""
    counts = pd.DataFrame({"g": by.to_numpy(), "v": s.to_numpy()}).dropna()
    counts = counts.groupby(["g", "v"]).size().rename("n").reset_index()
    counts = counts.sort_values(["g", "n", "v"], ascending=[True, False, True])
    return counts.drop_duplicates("g").set_index("g")["v"]


def customer_view(
    customers: pd.DataFrame | None,
    orders: pd.DataFrame,
    *,
    as_of: str | pd.Timestamp,
    order_lines: pd.DataFrame | None = None,
    products: pd.DataFrame | None = None,
    surveys: pd.DataFrame | None = None,
    tickets: pd.DataFrame | None = None,
    touches: pd.DataFrame | None = None,
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
    amount: str = schema.AMOUNT,
) -> pd.DataFrame:
    """Build the single customer view: one row per customer, explicit and implicit.

    Parameters
    ----------
    customers : pandas.DataFrame or None
        Profile table (``customers`` in :mod:`crm_lessons.schema`); any of
        ``gender``, ``birth_year``, ``city``, ``district``, ``is_member``,
        ``signup_date``, ``acquisition_channel`` that are present are used.
        None when only transactions are known: the view then has one row per
        customer found in ``orders``.
    orders : pandas.DataFrame
        One row per order (or per transaction line) with ``customer_id``,
        ``date`` and ``amount``; optional ``discount``, ``channel``,
        ``is_return``, ``order_id``. Orders after ``as_of`` and walk-in orders
        (no customer) are ignored.
    as_of : str or pandas.Timestamp
        The date of the view.
    order_lines, products : pandas.DataFrame, optional
        Together they give each customer's preferred category (largest share
        of spend). Without them, a ``category`` column in ``orders`` is used
        if present.
    surveys, tickets, touches : pandas.DataFrame, optional
        Feedback (``nps``, ``csat``), service (``cost_to_serve``) and
        marketing contact (``group``, ``opened``, ``clicked``,
        ``unsubscribed``).
    customer_id, date, amount : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id``, every customer of ``customers`` (those who
        never bought have ``n_orders`` 0). Columns: :data:`EXPLICIT`, then
        :data:`IMPLICIT`, then feedback and contact columns (``n_surveys``,
        ``last_nps``, ``mean_csat``, ``n_tickets``, ``service_cost``,
        ``n_messages``, ``open_rate``, ``click_rate``, ``unsubscribed``) where
        the tables were given. Rules: ``buyer_day`` is "weekend" when at least
        half the orders fall on Saturday or Sunday, "weekday" when at most
        15 %, else "mixed"; ``price_sensitivity`` is "high" when at least half
        the orders used a discount, "low" at most 10 %, else "medium".
    """
    as_of_ts = pd.Timestamp(as_of)
    _need(orders, [customer_id, date, amount], "orders")
    if customers is None:
        ids = orders.loc[orders[date] <= as_of_ts, customer_id].dropna().astype("string")
        customers = pd.DataFrame({customer_id: np.sort(ids.unique())}).astype("string")
    _need(customers, [customer_id], "customers")
    view = pd.DataFrame(index=pd.Index(customers[customer_id].astype("string"), name=customer_id))
    if not view.index.is_unique:
        raise ValueError("customers has duplicated customer ids; one row per customer is needed")
    prof = customers.set_index(customers[customer_id].astype("string"))
    for col in ("gender", "city", "district", "is_member", "signup_date", "acquisition_channel"):
        if col in prof.columns:
            view[col] = prof[col]
    if "birth_year" in prof.columns:
        view.insert(
            1 if "gender" in view.columns else 0, "age", as_of_ts.year - prof["birth_year"]
        )

    o = orders[orders[customer_id].notna() & (orders[date] <= as_of_ts)].copy()
    o[customer_id] = o[customer_id].astype("string")
    if "is_return" in o.columns:
        ret = o["is_return"].fillna(False).astype(bool)
    else:
        ret = o[amount] < 0
    buys = o[~ret.to_numpy()]
    g = buys.groupby(customer_id)
    view["n_orders"] = g.size().reindex(view.index, fill_value=0).astype("int64")
    view["total_spend"] = (
        o.groupby(customer_id)[amount].sum().reindex(view.index, fill_value=0.0).astype(float)
    )
    view["avg_order_value"] = (view["total_spend"] / view["n_orders"].replace(0, np.nan)).round(2)
    view["first_purchase"] = g[date].min().reindex(view.index)
    view["last_purchase"] = g[date].max().reindex(view.index)
    view["days_since_last"] = (as_of_ts - view["last_purchase"]).dt.days.astype("Int64")
    view["n_returns"] = (
        o[ret.to_numpy()].groupby(customer_id).size().reindex(view.index, fill_value=0)
    ).astype("int64")

    # Implicit: preferred category.
    cat = None
    if order_lines is not None and products is not None and "order_id" in buys.columns:
        lines = order_lines.merge(products[["product_id", "category"]], on="product_id")
        lines = lines.merge(buys[["order_id", customer_id]], on="order_id")
        cat = lines.groupby([customer_id, "category"])[amount].sum()
    elif "category" in buys.columns:
        cat = buys.groupby([customer_id, "category"])[amount].sum()
    if cat is not None and len(cat):
        share = cat / cat.groupby(level=0).transform("sum")
        best = share.reset_index().sort_values(
            [customer_id, amount, "category"], ascending=[True, False, True]
        )
        best = best.drop_duplicates(customer_id).set_index(customer_id)
        view["preferred_category"] = best["category"].reindex(view.index)
        view["preferred_category_share"] = best[amount].reindex(view.index).round(3)
    # Weekday vs weekend, discount use, channel, time of day.
    weekend = buys[date].dt.day_of_week >= 5
    view["weekend_share"] = weekend.groupby(buys[customer_id]).mean().reindex(view.index).round(3)
    view["buyer_day"] = np.select(
        [view["weekend_share"] >= 0.5, view["weekend_share"] <= 0.15],
        ["weekend", "weekday"],
        default="mixed",
    )
    view.loc[view["weekend_share"].isna(), "buyer_day"] = None
    if "discount" in buys.columns:
        used = buys["discount"].fillna(0) > 0
        view["discount_share"] = (
            used.groupby(buys[customer_id]).mean().reindex(view.index).round(3)
        )
        view["price_sensitivity"] = np.select(
            [view["discount_share"] >= 0.5, view["discount_share"] <= 0.1],
            ["high", "low"],
            default="medium",
        )
        view.loc[view["discount_share"].isna(), "price_sensitivity"] = None
    if "channel" in buys.columns:
        view["preferred_channel"] = _mode(buys["channel"], buys[customer_id]).reindex(view.index)
    hours = buys[date].dt.hour
    part = pd.Series("morning", index=buys.index)
    for start, name in _DAYPARTS[1:]:
        part[hours >= start] = name
    if (hours > 0).any():  # dates without times carry no time-of-day information
        view["daypart"] = _mode(part, buys[customer_id]).reindex(view.index)

    # Feedback, service, contact.
    if surveys is not None:
        s = surveys[surveys[date] <= as_of_ts].sort_values(date)
        sg = s.groupby(s[customer_id].astype("string"))
        view["n_surveys"] = sg.size().reindex(view.index, fill_value=0).astype("int64")
        if "nps" in s.columns:
            view["last_nps"] = sg["nps"].last().reindex(view.index)
        if "csat" in s.columns:
            view["mean_csat"] = sg["csat"].mean().astype(float).round(2).reindex(view.index)
    if tickets is not None:
        when = "opened_at" if "opened_at" in tickets.columns else date
        t = tickets[tickets[when] <= as_of_ts]
        tg = t.groupby(t[customer_id].astype("string"))
        view["n_tickets"] = tg.size().reindex(view.index, fill_value=0).astype("int64")
        if "cost_to_serve" in t.columns:
            view["service_cost"] = tg["cost_to_serve"].sum().reindex(view.index, fill_value=0.0)
    if touches is not None:
        m = touches[touches[date] <= as_of_ts]
        if "group" in m.columns:
            m = m[m["group"] == "treatment"]
        mg = m.groupby(m[customer_id].astype("string"))
        view["n_messages"] = mg.size().reindex(view.index, fill_value=0).astype("int64")
        for src, dst in (("opened", "open_rate"), ("clicked", "click_rate")):
            if src in m.columns:
                rate = m[src].astype(float).groupby(m[customer_id].astype("string")).mean()
                view[dst] = rate.round(3).reindex(view.index)
        if "unsubscribed" in m.columns:
            unsub = m["unsubscribed"].fillna(False).astype(bool)
            view["unsubscribed"] = (
                unsub.groupby(m[customer_id].astype("string")).any().reindex(view.index)
            )
            view["unsubscribed"] = view["unsubscribed"].fillna(False).astype(bool)
    return view


def orders_from_lines(
    lines: pd.DataFrame,
    *,
    order_id: str = schema.ORDER_ID,
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
    amount: str = schema.AMOUNT,
    category: str | None = None,
) -> pd.DataFrame:
    """Roll transaction lines up to one row per order (receipt).

    A till exports one line per product; the profile counts visits, so lines
    of one receipt are added up. Lines without an order number are taken as
    orders of their own.

    Parameters
    ----------
    lines : pandas.DataFrame
        Transaction lines, e.g. ``load_transactions(...).clean``.
    order_id, customer_id, date, amount : str
        Column names.
    category : str, optional
        A column (product, category ...) whose value with the largest spend
        becomes the order's ``category``.

    Returns
    -------
    pandas.DataFrame
        Columns ``order_id``, ``customer_id``, ``date`` (first line's),
        ``amount`` (sum), ``n_lines``, ``is_return`` (the order's amount is
        negative, or all its lines are returns) and, with ``category``,
        ``category``. In order of date.

    Examples
    --------
    >>> lines = pd.DataFrame({"order_id": ["o1", "o1", "o2", None],
    ...     "customer_id": ["A", "A", "B", "A"],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-02", "2024-01-03"]),
    ...     "amount": [50.0, 20.0, -30.0, 10.0], "item": ["tea", "cake", "tea", "tea"]})
    >>> orders_from_lines(lines, category="item")
      order_id customer_id       date  amount  n_lines  is_return category
    0       o1           A 2024-01-01    70.0        2      False      tea
    1       o2           B 2024-01-02   -30.0        1       True      tea
    2   line 4           A 2024-01-03    10.0        1      False      tea
    """
    _need(lines, [customer_id, date, amount], "lines")
    df = lines.reset_index(drop=True)
    if order_id in df.columns:
        oid = df[order_id].astype("string")
    else:
        oid = pd.Series(pd.NA, index=df.index, dtype="string")
    oid = oid.fillna(pd.Series([f"line {i + 1}" for i in range(len(df))], dtype="string"))
    g = df.groupby(oid.to_numpy(), sort=False)
    ret_line = df["is_return"].fillna(False).astype(bool) if "is_return" in df.columns else None
    out = pd.DataFrame(
        {
            "order_id": pd.array(list(g.groups), dtype="string"),
            customer_id: g[customer_id].first().to_numpy(),
            date: g[date].min().to_numpy(),
            amount: g[amount].sum().to_numpy(),
            "n_lines": g.size().to_numpy(),
        }
    )
    neg = out[amount] < 0
    if ret_line is not None:
        neg |= ret_line.groupby(oid.to_numpy(), sort=False).all().to_numpy()
    out["is_return"] = neg.to_numpy()
    if category is not None:
        _need(lines, [category], "lines")
        spend = df.assign(_o=oid.to_numpy()).groupby(["_o", category], sort=False)[amount].sum()
        spend = spend.reset_index().sort_values(
            ["_o", amount, category], ascending=[True, False, True]
        )
        main = spend.drop_duplicates("_o").set_index("_o")[category]
        out["category"] = out["order_id"].map(main).to_numpy()
    out[customer_id] = out[customer_id].astype("string")
    return out.sort_values(date, kind="stable").reset_index(drop=True)


def customer_view_from_world(
    world: Any, *, as_of: str | pd.Timestamp | None = None
) -> pd.DataFrame:
    """Build :func:`customer_view` from a course :class:`~crm_lessons.datasets.World`.

    Parameters
    ----------
    world : crm_lessons.datasets.World
        Needs ``customers`` and ``orders``; uses ``order_lines``,
        ``products``, ``surveys``, ``tickets`` and ``touches`` when present.
    as_of : str or pandas.Timestamp, optional
        Default: the world's ``params["end"]``.

    Returns
    -------
    pandas.DataFrame
    """
    if as_of is None:
        as_of = world.params.get("end")
        if as_of is None:
            raise ValueError("as_of is needed: the world's params have no 'end' date")
    opt = {
        k: world[k]
        for k in ("order_lines", "products", "surveys", "tickets", "touches")
        if k in world
    }
    return customer_view(world["customers"], world["orders"], as_of=as_of, **opt)


def knowledge_rules(
    table: pd.DataFrame,
    *,
    if_: str,
    then: str,
    min_count: int = 1,
) -> pd.DataFrame:
    """Rules "if <if_> is X then <then>" with support, confidence and lift.

    For each value X of the column ``if_`` (rows where it is missing are left
    out) and the yes/no column ``then``:

    * ``n``: customers with ``if_ == X``;
    * ``support``: share of all customers who have X *and* the outcome;
    * ``confidence``: share of customers with X who have the outcome,
      P(then | X);
    * ``lift``: confidence divided by the outcome's overall rate (1 means X
      tells you nothing; 2 means twice as likely as average).

    Parameters
    ----------
    table : pandas.DataFrame
        One row per customer, e.g. :func:`customer_view` or
        :func:`first_purchase_table`.
    if_ : str
        Categorical column for the condition.
    then : str
        Boolean column for the outcome.
    min_count : int, default 1
        Leave out values held by fewer customers (small groups give
        unreliable confidence).

    Returns
    -------
    pandas.DataFrame
        Index: the values X; columns ``n``, ``hits``, ``support``,
        ``confidence``, ``lift``, ``rule`` (in words), sorted by lift.

    Examples
    --------
    >>> t = pd.DataFrame({"first": ["cake", "cake", "tea", "tea", "tea"],
    ...                   "back": [True, True, True, False, False]})
    >>> knowledge_rules(t, if_="first", then="back")[["n", "hits", "support", "confidence", "lift"]]
          n  hits  support  confidence   lift
    first
    cake  2     2      0.4       1.000  1.667
    tea   3     1      0.2       0.333  0.556
    """
    _need(table, [if_, then], "table")
    if min_count < 1:
        raise ValueError(f"min_count={min_count!r} is not valid; use 1 or more")
    t = table[[if_, then]].dropna(subset=[if_])
    if not len(t):
        raise ValueError(f"no row has a value in {if_!r}")
    outcome = t[then].fillna(False).astype(bool)
    base = outcome.mean()
    g = outcome.groupby(t[if_])
    out = pd.DataFrame({"n": g.size(), "hits": g.sum().astype("int64")})
    out["support"] = (out["hits"] / len(t)).round(3)
    out["confidence"] = (out["hits"] / out["n"]).round(3)
    out["lift"] = (out["hits"] / out["n"] / base).round(3) if base > 0 else np.nan
    out = out[out["n"] >= min_count].sort_values(["lift", "n"], ascending=[False, False])
    out.index.name = if_
    out["rule"] = [
        f"if {if_} = {x} then {then}: {c:.0%} of {n:,} customers (lift {lf:.2f})"
        for x, c, n, lf in zip(out.index, out["confidence"], out["n"], out["lift"], strict=True)
    ]
    return out


def first_purchase_table(
    orders: pd.DataFrame,
    *,
    as_of: str | pd.Timestamp,
    window_days: int = 30,
    order_lines: pd.DataFrame | None = None,
    products: pd.DataFrame | None = None,
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
    amount: str = schema.AMOUNT,
) -> pd.DataFrame:
    """Each customer's first purchase, its main category, and whether they came back.

    Only customers whose first purchase is at least ``window_days`` before
    ``as_of`` are included: for later ones we cannot yet know whether they
    will come back within the window (counting them as "not back" would
    bias the rate down).

    Parameters
    ----------
    orders : pandas.DataFrame
        ``customer_id``, ``date``, ``amount``; ``order_id`` (and
        ``order_lines`` + ``products``) or a ``category`` column give the
        category. Returns (``is_return`` or negative amount) and walk-ins are
        ignored.
    as_of : str or pandas.Timestamp
        The date of the analysis.
    window_days : int, default 30
        "Came back" means a second purchase on a later day within this many
        days after the first.
    order_lines, products : pandas.DataFrame, optional
        To find the category with the most spend in the first order.
    customer_id, date, amount : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Index ``customer_id``; columns ``first_date``, ``first_category``,
        ``came_back`` (bool), ``days_to_return`` (Int64, missing if not back).

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["A", "A", "B", "C", "C"],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-20", "2024-01-05",
    ...                             "2024-01-02", "2024-03-01"]),
    ...     "amount": [1, 1, 1, 1, 1], "category": ["cake", "tea", "tea", "cake", "cake"]})
    >>> first_purchase_table(o, as_of="2024-03-31", window_days=30)
                first_date first_category  came_back  days_to_return
    customer_id
    A           2024-01-01           cake       True              19
    B           2024-01-05            tea      False            <NA>
    C           2024-01-02           cake      False              59
    """
    if int(window_days) != window_days or window_days < 1:
        raise ValueError(f"window_days={window_days!r} is not valid; use a whole number >= 1")
    as_of_ts = pd.Timestamp(as_of)
    _need(orders, [customer_id, date, amount], "orders")
    o = orders[orders[customer_id].notna() & (orders[date] <= as_of_ts)]
    ret = o["is_return"].fillna(False).astype(bool) if "is_return" in o.columns else o[amount] < 0
    o = o[~ret.to_numpy()].sort_values([customer_id, date], kind="stable")
    if not len(o):
        raise ValueError("orders has no purchase by a known customer before as_of")
    first = o.drop_duplicates(customer_id)
    day = o[date].dt.normalize()
    first_day = day.groupby(o[customer_id]).transform("min")
    later = o[day > first_day]
    next_day = later.groupby(customer_id)[date].min()
    out = pd.DataFrame(
        {"first_date": first[date].to_numpy()},
        index=pd.Index(first[customer_id].astype("string").to_numpy(), name=customer_id),
    )
    if "category" in first.columns:
        out["first_category"] = first["category"].to_numpy()
    elif order_lines is not None and products is not None and "order_id" in first.columns:
        lines = order_lines.merge(products[["product_id", "category"]], on="product_id")
        lines = lines[lines["order_id"].isin(first["order_id"])]
        spend = lines.groupby(["order_id", "category"])[amount].sum().reset_index()
        spend = spend.sort_values(["order_id", amount, "category"], ascending=[True, False, True])
        main = spend.drop_duplicates("order_id").set_index("order_id")["category"]
        out["first_category"] = first["order_id"].map(main).to_numpy()
    else:
        raise ValueError(
            "a category is needed: give orders a 'category' column, or order_id plus "
            "order_lines and products"
        )
    nd = next_day.reindex(out.index)
    gap = (nd.dt.normalize() - out["first_date"].dt.normalize()).dt.days
    out["days_to_return"] = gap.astype("Int64")
    out["came_back"] = (gap <= window_days).fillna(False).astype(bool)
    out = out[["first_date", "first_category", "came_back", "days_to_return"]]
    cutoff = as_of_ts.normalize() - pd.Timedelta(days=window_days)
    return out[out["first_date"].dt.normalize() <= cutoff]


def first_purchase_rules(
    orders: pd.DataFrame,
    *,
    as_of: str | pd.Timestamp,
    window_days: int = 30,
    order_lines: pd.DataFrame | None = None,
    products: pd.DataFrame | None = None,
    min_count: int = 1,
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
    amount: str = schema.AMOUNT,
) -> pd.DataFrame:
    """Rules "customers whose first purchase is X come back within N days p % of the time".

    :func:`first_purchase_table` followed by :func:`knowledge_rules`.

    Parameters
    ----------
    orders, as_of, window_days, order_lines, products, customer_id, date, amount
        As in :func:`first_purchase_table`.
    min_count : int, default 1
        As in :func:`knowledge_rules`.

    Returns
    -------
    pandas.DataFrame
        As :func:`knowledge_rules`, with ``rule`` in words.

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["A", "A", "B", "C"],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-20", "2024-01-05", "2024-01-02"]),
    ...     "amount": [1, 1, 1, 1], "category": ["cake", "tea", "tea", "cake"]})
    >>> first_purchase_rules(o, as_of="2024-03-31")["rule"].tolist()
    ['customers whose first purchase is cake come back within 30 days 50% of the time (2 customers)', 'customers whose first purchase is tea come back within 30 days 0% of the time (1 customers)']
    """
    table = first_purchase_table(
        orders,
        as_of=as_of,
        window_days=window_days,
        order_lines=order_lines,
        products=products,
        customer_id=customer_id,
        date=date,
        amount=amount,
    )
    rules = knowledge_rules(table, if_="first_category", then="came_back", min_count=min_count)
    rules["rule"] = [
        f"customers whose first purchase is {x} come back within {window_days} days "
        f"{c:.0%} of the time ({n:,} customers)"
        for x, c, n in zip(rules.index, rules["confidence"], rules["n"], strict=True)
    ]
    return rules


def portrait(view: pd.DataFrame, members: pd.Series | Sequence[Any]) -> pd.DataFrame:
    """Describe a group of customers against everyone: the customer portrait.

    Numbers are summarised by their median, yes/no columns by their share of
    yes, text columns by the most common value and its share.

    Parameters
    ----------
    view : pandas.DataFrame
        One row per customer, e.g. :func:`customer_view`.
    members : boolean Series aligned with ``view``, or a list of index labels
        The group.

    Returns
    -------
    pandas.DataFrame
        Index: the attributes; columns ``group`` and ``everyone`` (text, ready
        to show).

    Examples
    --------
    >>> v = pd.DataFrame({"age": [20, 30, 40, 50], "gender": ["F", "F", "M", "F"],
    ...                   "is_member": [True, True, False, False]}, index=list("ABCD"))
    >>> portrait(v, ["A", "B"])
                     group   everyone
    age                 25         35
    gender     F (100%)    F (75%)
    is_member       100%        50%
    """
    if isinstance(members, pd.Series) and members.dtype == bool:
        mask = members.reindex(view.index, fill_value=False).to_numpy()
    else:
        wanted = set(members)
        unknown = wanted - set(view.index)
        if unknown:
            raise ValueError(f"members not in the view: {sorted(map(str, unknown))[:5]}")
        mask = view.index.isin(list(wanted))
    if not mask.any():
        raise ValueError("members is empty: the group has no customer")
    rows = {}
    for col in view.columns:
        s = view[col]
        if pd.api.types.is_bool_dtype(s.dtype):
            rows[col] = [f"{s[mask].astype(float).mean():.0%}", f"{s.astype(float).mean():.0%}"]
        elif pd.api.types.is_numeric_dtype(s.dtype):
            rows[col] = [_num(s[mask].median()), _num(s.median())]
        elif pd.api.types.is_datetime64_any_dtype(s.dtype):
            continue
        else:
            rows[col] = [_top(s[mask]), _top(s)]
    return pd.DataFrame.from_dict(rows, orient="index", columns=["group", "everyone"])


def _num(v: float) -> str:
    if pd.isna(v):
        return "-"
    if abs(v) >= 10 or float(v).is_integer():
        return f"{v:,.0f}"
    return f"{v:,.2f}"


def _top(s: pd.Series) -> str:
    vc = s.dropna().value_counts()
    if not len(vc):
        return "-"
    top = vc[vc == vc.max()].sort_index().index[0]
    return f"{top} ({vc.max() / len(s.dropna()):.0%})"
