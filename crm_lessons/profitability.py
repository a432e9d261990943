"""Customer profitability (顧客獲利率 / 顾客获利率): who earns us money, who costs us money.

A customer's profit over a period is::

    profit = revenue × margin (or revenue − cost of goods)
             − marketing cost (messages sent to them, optionally what it cost to win them)
             − cost to serve (support tickets, order handling)

Ranking customers by profit and adding it up gives the **whale curve**
(:func:`whale_curve`): cumulative profit rises above 100 % of the total
with the best customers, then sinks back because the last customers
*destroy* value. :func:`cost_to_serve_drivers` shows where the service cost
comes from, :func:`profit_by` compares groups (e.g. acquisition channels),
and :func:`stop_courting` estimates what happens to profit if the business
stops spending marketing and service effort on the value destroyers.

Examples
--------
>>> orders = pd.DataFrame({"customer_id": ["A", "A", "B"], "amount": [100.0, 50.0, 20.0]})
>>> tickets = pd.DataFrame({"customer_id": ["B"], "cost_to_serve": [30.0]})
>>> customer_profit(orders, tickets=tickets, margin=0.4)["profit"].tolist()
[60.0, -22.0]
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from crm_lessons import schema
from crm_lessons._checks import require_columns as _need

__all__ = [
    "StopCourting",
    "cost_to_serve_drivers",
    "customer_profit",
    "plot_whale_curve",
    "profit_by",
    "stop_courting",
    "whale_curve",
    "whale_summary",
]


def customer_profit(
    orders: pd.DataFrame,
    *,
    order_lines: pd.DataFrame | None = None,
    products: pd.DataFrame | None = None,
    touches: pd.DataFrame | None = None,
    tickets: pd.DataFrame | None = None,
    customers: pd.DataFrame | None = None,
    margin: float | None = None,
    include_acquisition_cost: bool = False,
    cost_per_order: float = 0.0,
    customer_id: str = schema.CUSTOMER_ID,
    amount: str = schema.AMOUNT,
    order_id: str = schema.ORDER_ID,
) -> pd.DataFrame:
    """Return each customer's revenue, costs and profit.

    Parameters
    ----------
    orders : pandas.DataFrame
        One row per order (refunds negative) with ``customer_id`` and
        ``amount``. Anonymous orders (missing ``customer_id``) belong to no
        customer; they are counted in ``result.attrs["n_anonymous_orders"]``.
    order_lines, products : pandas.DataFrame, optional
        Give both (and no ``margin``) to compute the cost of goods from
        ``quantity × unit_cost``; gross profit = revenue − cost of goods.
    touches : pandas.DataFrame, optional
        Marketing messages with ``customer_id`` and ``cost``.
    tickets : pandas.DataFrame, optional
        Support tickets with ``customer_id`` and ``cost_to_serve``.
    customers : pandas.DataFrame, optional
        When given, every customer in it gets a row (even with no order),
        and ``include_acquisition_cost`` can use its ``acquisition_cost``.
    margin : float, optional
        Gross margin as a share of revenue, used instead of product costs.
    include_acquisition_cost : bool, default False
        Subtract what it cost to win the customer (needs ``customers``).
    cost_per_order : float, default 0.0
        Handling cost of each order (picking, packing, payment fees).
    customer_id, amount, order_id : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Index ``customer_id``; columns ``n_orders, revenue, gross_profit,
        marketing_cost, acquisition_cost, n_tickets, ticket_cost,
        order_handling_cost, cost_to_serve, profit``, sorted by profit,
        highest first.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["A", "A", "B", None],
    ...                        "amount": [100.0, 50.0, 20.0, 9.0]})
    >>> touches = pd.DataFrame({"customer_id": ["A", "B"], "cost": [1.0, 1.0]})
    >>> p = customer_profit(orders, touches=touches, margin=0.4, cost_per_order=2.0)
    >>> p[["revenue", "gross_profit", "marketing_cost", "cost_to_serve", "profit"]]
                 revenue  gross_profit  marketing_cost  cost_to_serve  profit
    customer_id
    A              150.0          60.0             1.0            4.0    55.0
    B               20.0           8.0             1.0            2.0     5.0
    >>> p.attrs["n_anonymous_orders"]
    1
    """
    _need(orders, [customer_id, amount], "orders")
    if margin is not None and not (0 <= margin <= 1):
        raise ValueError(f"margin={margin!r} must be a share of revenue between 0 and 1")
    if margin is None and (order_lines is None or products is None):
        raise ValueError(
            "give margin= (a share of revenue) or both order_lines= and products= "
            "so the cost of goods can be computed"
        )
    if cost_per_order < 0:
        raise ValueError(f"cost_per_order={cost_per_order!r} must be >= 0")
    anon = orders[customer_id].isna()
    known = orders[~anon]
    ids: set = set(known[customer_id])
    if customers is not None:
        _need(customers, [customer_id], "customers")
        ids |= set(customers[customer_id])
    if touches is not None:
        _need(touches, [customer_id, "cost"], "touches")
        ids |= set(touches[customer_id].dropna())
    if tickets is not None:
        _need(tickets, [customer_id, "cost_to_serve"], "tickets")
        ids |= set(tickets[customer_id].dropna())
    index = pd.Index(sorted(ids), name=customer_id)

    def per_customer(df: pd.DataFrame | None, col: str, how: str = "sum") -> pd.Series:
        if df is None or len(df) == 0:
            return pd.Series(0.0, index=index)
        g = df.groupby(customer_id)[col]
        s = g.sum() if how == "sum" else g.size()
        return s.reindex(index, fill_value=0).astype("float64")

    out = pd.DataFrame(index=index)
    out["n_orders"] = per_customer(known, amount, "size").astype("int64")
    out["revenue"] = per_customer(known, amount)
    if margin is not None:
        out["gross_profit"] = out["revenue"] * margin
    else:
        _need(order_lines, [order_id, schema.PRODUCT_ID, schema.QUANTITY], "order_lines")
        _need(products, [schema.PRODUCT_ID, "unit_cost"], "products")
        _need(orders, [order_id], "orders")
        unit_cost = products.set_index(schema.PRODUCT_ID)["unit_cost"]
        lines = order_lines[[order_id, schema.PRODUCT_ID, schema.QUANTITY]].copy()
        lines["unit_cost"] = lines[schema.PRODUCT_ID].map(unit_cost)
        n_unknown = int(lines["unit_cost"].isna().sum())
        if n_unknown:
            raise ValueError(
                f"order_lines has {n_unknown} line(s) whose {schema.PRODUCT_ID} is not in "
                "products; fix the product table or pass margin="
            )
        lines["cogs"] = lines[schema.QUANTITY].astype("float64") * lines["unit_cost"]
        cogs_per_order = lines.groupby(order_id)["cogs"].sum()
        k = known[[customer_id, order_id]].copy()
        k["cogs"] = k[order_id].map(cogs_per_order).fillna(0.0)
        out["gross_profit"] = out["revenue"] - per_customer(k, "cogs")
    out["marketing_cost"] = per_customer(touches, "cost")
    if include_acquisition_cost:
        if customers is None or "acquisition_cost" not in customers.columns:
            raise ValueError(
                "include_acquisition_cost=True needs customers= with an 'acquisition_cost' column"
            )
        out["acquisition_cost"] = per_customer(customers, "acquisition_cost")
    else:
        out["acquisition_cost"] = 0.0
    out["n_tickets"] = per_customer(tickets, "cost_to_serve", "size").astype("int64")
    out["ticket_cost"] = per_customer(tickets, "cost_to_serve")
    out["order_handling_cost"] = out["n_orders"] * float(cost_per_order)
    out["cost_to_serve"] = out["ticket_cost"] + out["order_handling_cost"]
    out["profit"] = (
        out["gross_profit"]
        - out["marketing_cost"]
        - out["acquisition_cost"]
        - out["cost_to_serve"]
    )
    out = out.sort_values(["profit"], ascending=False, kind="stable")
    out.attrs["n_anonymous_orders"] = int(anon.sum())
    out.attrs["anonymous_revenue"] = float(orders.loc[anon, amount].sum())
    return out


def whale_curve(profit: pd.Series | pd.DataFrame, *, column: str = "profit") -> pd.DataFrame:
    """Return the whale curve: cumulative profit with customers ranked best first.

    Parameters
    ----------
    profit : pandas.Series or pandas.DataFrame
        Profit per customer (a DataFrame uses ``column``).
    column : str, default "profit"
        Column to use when ``profit`` is a DataFrame.

    Returns
    -------
    pandas.DataFrame
        One row per customer in rank order: ``rank``, ``customer_id``,
        ``profit``, ``cumulative_profit``, ``share_of_customers`` (0-1) and
        ``cumulative_share_of_profit`` (cumulative profit / total profit;
        it peaks above 1 when some customers destroy value).

    Examples
    --------
    >>> p = pd.Series({"A": 50.0, "B": -10.0, "C": 20.0, "D": -10.0})
    >>> whale_curve(p)[["customer_id", "cumulative_profit", "cumulative_share_of_profit"]]
      customer_id  cumulative_profit  cumulative_share_of_profit
    0           A               50.0                         1.0
    1           C               70.0                         1.4
    2           B               60.0                         1.2
    3           D               50.0                         1.0
    """
    if isinstance(profit, pd.DataFrame):
        _need(profit, [column], "profit")
        s = profit[column]
    elif isinstance(profit, pd.Series):
        s = profit
    else:
        raise TypeError(f"profit must be a Series or DataFrame, got {type(profit).__name__}")
    n_missing = int(s.isna().sum())
    if n_missing:
        raise ValueError(f"profit has {n_missing} missing value(s); fill or drop them first")
    if len(s) == 0:
        raise ValueError("profit is empty; the whale curve needs at least one customer")
    s = s.astype("float64").sort_values(ascending=False, kind="stable")
    total = float(s.sum())
    cum = s.cumsum()
    name = s.index.name or schema.CUSTOMER_ID
    out = pd.DataFrame(
        {
            "rank": np.arange(1, len(s) + 1),
            name: s.index.to_numpy(),
            "profit": s.to_numpy(),
            "cumulative_profit": cum.to_numpy(),
            "share_of_customers": np.arange(1, len(s) + 1) / len(s),
        }
    )
    out["cumulative_share_of_profit"] = (
        out["cumulative_profit"] / total if total != 0 else np.nan
    ).round(12)
    if name != schema.CUSTOMER_ID:
        out = out.rename(columns={name: schema.CUSTOMER_ID})
    return out


def whale_summary(curve: pd.DataFrame) -> dict[str, float]:
    """Summarise a whale curve in the numbers a manager quotes.

    Parameters
    ----------
    curve : pandas.DataFrame
        Output of :func:`whale_curve`.

    Returns
    -------
    dict
        ``n_customers``, ``total_profit``, ``peak_profit`` (the most the
        business would earn keeping only its profitable customers),
        ``peak_share_of_total`` (peak / total, e.g. 1.5 = 150 %),
        ``share_of_customers_at_peak``, ``share_value_destroyers`` (profit
        < 0) and ``profit_destroyed`` (sum of the negative profits, a
        negative number).

    Examples
    --------
    >>> p = pd.Series({"A": 50.0, "B": -10.0, "C": 20.0, "D": -10.0})
    >>> whale_summary(whale_curve(p))["peak_share_of_total"]
    1.4
    """
    _need(curve, ["profit", "cumulative_profit", "share_of_customers"], "curve")
    peak_i = int(curve["cumulative_profit"].to_numpy().argmax())
    total = float(curve["cumulative_profit"].iloc[-1])
    peak = float(curve["cumulative_profit"].iloc[peak_i])
    neg = curve["profit"] < 0
    return {
        "n_customers": int(len(curve)),
        "total_profit": total,
        "peak_profit": peak,
        "peak_share_of_total": round(peak / total, 6) if total else float("nan"),
        "share_of_customers_at_peak": float(curve["share_of_customers"].iloc[peak_i]),
        "share_value_destroyers": float(neg.mean()),
        "profit_destroyed": float(curve.loc[neg, "profit"].sum()),
    }


def plot_whale_curve(
    curve: pd.DataFrame, *, ax: plt.Axes | None = None, title: str | None = None
) -> plt.Axes:
    """Draw the whale curve (cumulative share of profit vs share of customers).

    Parameters
    ----------
    curve : pandas.DataFrame
        Output of :func:`whale_curve`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.axes.Axes
    """
    s = whale_summary(curve)
    if ax is None:
        _, ax = plt.subplots()
    x = 100 * curve["share_of_customers"]
    y = 100 * curve["cumulative_share_of_profit"]
    ax.plot(x, y, lw=2.5, label="cumulative profit")
    ax.axhline(100, color="grey", ls="--", lw=1, label="total profit (100 %)")
    ax.scatter(
        [100 * s["share_of_customers_at_peak"]],
        [100 * s["peak_share_of_total"]],
        color="C3",
        zorder=3,
        label="peak: the value destroyers start here",
    )
    ax.set_xlabel("Customers ranked from most to least profitable (% of customers)")
    ax.set_ylabel("Cumulative profit (% of total)")
    ax.set_title(title or "Whale curve: a few customers earn more than all the profit")
    ax.legend(loc="lower right")
    return ax


def cost_to_serve_drivers(
    tickets: pd.DataFrame,
    *,
    by: str = "topic",
    customer_id: str = schema.CUSTOMER_ID,
) -> pd.DataFrame:
    """Show what drives the cost to serve: tickets grouped by a column (default topic).

    Parameters
    ----------
    tickets : pandas.DataFrame
        Support tickets with ``cost_to_serve`` and the ``by`` column.
    by : str, default "topic"
        Column to group by.
    customer_id : str
        Column name.

    Returns
    -------
    pandas.DataFrame
        Index ``by``; columns ``n_tickets, n_customers, total_cost,
        mean_cost, share_of_cost``, largest total first.

    Examples
    --------
    >>> t = pd.DataFrame({"customer_id": ["A", "A", "B"], "topic": ["late", "late", "refund"],
    ...                   "cost_to_serve": [10.0, 20.0, 50.0]})
    >>> cost_to_serve_drivers(t)
            n_tickets  n_customers  total_cost  mean_cost  share_of_cost
    topic
    refund          1            1        50.0       50.0          0.625
    late            2            1        30.0       15.0          0.375
    """
    _need(tickets, [customer_id, "cost_to_serve", by], "tickets")
    g = tickets.groupby(by, dropna=False)
    out = pd.DataFrame(
        {
            "n_tickets": g.size().astype("int64"),
            "n_customers": g[customer_id].nunique().astype("int64"),
            "total_cost": g["cost_to_serve"].sum().astype("float64"),
        }
    )
    out["mean_cost"] = out["total_cost"] / out["n_tickets"]
    total = out["total_cost"].sum()
    out["share_of_cost"] = out["total_cost"] / total if total else np.nan
    return out.sort_values(["total_cost"], ascending=False, kind="stable")


def profit_by(profit_table: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Compare revenue, costs and profit across groups of customers.

    Parameters
    ----------
    profit_table : pandas.DataFrame
        Output of :func:`customer_profit`.
    groups : pandas.Series
        Group label per customer (indexed by customer id), e.g. the
        acquisition channel. Customers without a label form the group
        ``"(unknown)"``.

    Returns
    -------
    pandas.DataFrame
        One row per group: ``n_customers``, totals of ``revenue,
        gross_profit, marketing_cost, acquisition_cost, cost_to_serve,
        profit``, plus ``profit_per_customer`` and ``share_value_destroyers``;
        sorted by profit per customer, highest first.

    Examples
    --------
    >>> pt = pd.DataFrame({"revenue": [10.0, 5.0, 8.0], "gross_profit": [4.0, 2.0, 3.0],
    ...     "marketing_cost": [1.0, 3.0, 0.0], "acquisition_cost": [0.0, 0.0, 0.0],
    ...     "cost_to_serve": [0.0, 0.0, 1.0], "profit": [3.0, -1.0, 2.0]},
    ...     index=pd.Index(["A", "B", "C"], name="customer_id"))
    >>> profit_by(pt, pd.Series({"A": "ads", "B": "ads", "C": "friends"}))[
    ...     ["n_customers", "profit", "profit_per_customer", "share_value_destroyers"]]
             n_customers  profit  profit_per_customer  share_value_destroyers
    group
    friends            1     2.0                  2.0                     0.0
    ads                2     2.0                  1.0                     0.5
    """
    cols = ["revenue", "gross_profit", "marketing_cost", "acquisition_cost", "cost_to_serve"]
    _need(profit_table, [*cols, "profit"], "profit_table")
    if not isinstance(groups, pd.Series):
        raise TypeError(f"groups must be a pandas Series, got {type(groups).__name__}")
    label = groups.reindex(profit_table.index).astype("object").fillna("(unknown)")
    df = profit_table[[*cols, "profit"]].assign(group=label.to_numpy())
    g = df.groupby("group")
    out = g[[*cols, "profit"]].sum()
    out.insert(0, "n_customers", g.size().astype("int64"))
    out["profit_per_customer"] = out["profit"] / out["n_customers"]
    out["share_value_destroyers"] = g["profit"].apply(lambda s: float((s < 0).mean()))
    return out.sort_values("profit_per_customer", ascending=False, kind="stable")


@dataclass
class StopCourting:
    """What happens if the business stops courting its value destroyers.

    Attributes
    ----------
    customers : pandas.DataFrame
        The selected customers with their ``profit`` now and
        ``profit_after``.
    summary : dict
        ``n_customers``, ``share_of_customers``, ``profit_before``,
        ``profit_after``, ``change`` (for the whole base) and the
        assumptions used.
    """

    customers: pd.DataFrame
    summary: dict


def stop_courting(
    profit_table: pd.DataFrame,
    *,
    threshold: float = 0.0,
    marketing_saved: float = 1.0,
    serve_cost_saved: float = 0.5,
    gross_profit_lost: float = 0.2,
) -> StopCourting:
    """Estimate the profit effect of no longer courting customers below ``threshold``.

    "Stop courting" does not mean turning customers away: it means no more
    marketing spend on them and a cheaper service level (self-service,
    standard delivery). Some of them will buy less as a result. For each
    selected customer, next period's profit is assumed to change by::

        + marketing_saved   × marketing cost
        + serve_cost_saved  × cost to serve
        − gross_profit_lost × gross profit

    What it cost to win them (acquisition cost) is already spent: it is sunk
    and cannot be saved, so it plays no part in the change (it still counts
    in ``profit_before`` when ``profit_table`` includes it). It assumes next
    period looks like the one measured. Check the result with a test group
    before applying it to everyone.

    Parameters
    ----------
    profit_table : pandas.DataFrame
        Output of :func:`customer_profit`.
    threshold : float, default 0.0
        Customers with profit below this are selected.
    marketing_saved : float, default 1.0
        Share of their marketing cost no longer spent.
    serve_cost_saved : float, default 0.5
        Share of their cost to serve saved by a cheaper service level.
    gross_profit_lost : float, default 0.2
        Share of their gross profit lost because they buy less.

    Returns
    -------
    StopCourting

    Examples
    --------
    >>> pt = pd.DataFrame({"gross_profit": [100.0, 10.0], "marketing_cost": [5.0, 8.0],
    ...     "acquisition_cost": [0.0, 0.0], "cost_to_serve": [5.0, 12.0],
    ...     "profit": [90.0, -10.0]}, index=["A", "B"])
    >>> r = stop_courting(pt)   # B: +8 + 0.5*12 - 0.2*10 = +12
    >>> r.summary["profit_before"], r.summary["profit_after"], r.summary["change"]
    (80.0, 92.0, 12.0)
    """
    cols = ["gross_profit", "marketing_cost", "acquisition_cost", "cost_to_serve", "profit"]
    _need(profit_table, cols, "profit_table")
    for name, v in (
        ("marketing_saved", marketing_saved),
        ("serve_cost_saved", serve_cost_saved),
        ("gross_profit_lost", gross_profit_lost),
    ):
        if not (0 <= v <= 1):
            raise ValueError(f"{name}={v!r} must be a share between 0 and 1")
    sel = profit_table[profit_table["profit"] < threshold][cols].copy()
    sel["change"] = (
        marketing_saved * sel["marketing_cost"]
        + serve_cost_saved * sel["cost_to_serve"]
        - gross_profit_lost * sel["gross_profit"]
    )
    sel["profit_after"] = sel["profit"] + sel["change"]
    before = float(profit_table["profit"].sum())
    change = float(sel["change"].sum())
    summary = {
        "n_customers": int(len(sel)),
        "share_of_customers": float(len(sel) / len(profit_table)) if len(profit_table) else 0.0,
        "profit_before": round(before, 6),
        "profit_after": round(before + change, 6),
        "change": round(change, 6),
        "assumptions": {
            "threshold": threshold,
            "marketing_saved": marketing_saved,
            "serve_cost_saved": serve_cost_saved,
            "gross_profit_lost": gross_profit_lost,
        },
    }
    return StopCourting(customers=sel, summary=summary)
