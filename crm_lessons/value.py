"""Customer value (顧客價值 / 顾客价值) seen from both sides.

**What the customer gets.** Customers buy a *bundle* of benefits: product
value, service value, staff (employee-friendliness) value and brand value.
:func:`value_bundle` reads them from survey answers (expected vs perceived,
1-7) and shows where the business falls short. Against the benefits stand
the customer's costs: money, time, effort, hassle.
**Perceived value = perceived gains − perceived losses**
(:func:`perceived_value`, :func:`customer_perceived_value`). A business can
raise value by adding gains or by cutting the customer's losses.

**What the customer is worth to the firm** (customer value management):
:func:`firm_value` splits each customer's worth into

* economic value: the gross profit they bring;
* loyalty value: the part of it that exists only because they came back
  (margin on repeat orders);
* referral (word-of-mouth) value: new customers they are likely to bring,
  estimated from promoters (NPS 9-10) and what referred customers are worth;
* innovation (feedback) value: survey answers and tickets that tell the
  business what to improve, priced at what a market-research answer costs.

Examples
--------
>>> df = pd.DataFrame({"quality": [0.8, 0.5], "price_paid": [0.3, 0.6]})
>>> perceived_value(df, gains=["quality"], losses=["price_paid"]).round(2).tolist()
[0.5, -0.1]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from crm_lessons import schema
from crm_lessons._checks import require_columns as _need

__all__ = [
    "BUNDLE_DIMENSIONS",
    "REFERRAL_CHANNELS",
    "customer_bundle",
    "customer_perceived_value",
    "firm_value",
    "perceived_value",
    "value_bundle",
]

#: The four parts of the customer value bundle and how they are named in the
#: ``surveys`` table (``exp_<name>`` and ``perc_<name>``).
BUNDLE_DIMENSIONS: dict[str, str] = {
    "product": "Product value (產品價值)",
    "service": "Service value (服務價值)",
    "staff": "Staff friendliness value (人員價值)",
    "brand": "Brand value (品牌價值)",
}

#: Acquisition channels through which customers arrive recommended by others.
REFERRAL_CHANNELS: tuple[str, ...] = ("word_of_mouth", "referral", "friend_referral")


def _bundle_cols(dimensions: Sequence[str]) -> list[str]:
    return [f"{p}_{d}" for d in dimensions for p in ("exp", "perc")]


def value_bundle(
    surveys: pd.DataFrame, *, dimensions: Sequence[str] = tuple(BUNDLE_DIMENSIONS)
) -> pd.DataFrame:
    """Summarise the value bundle: expected vs perceived score per dimension.

    Parameters
    ----------
    surveys : pandas.DataFrame
        Survey answers with ``exp_<dimension>`` and ``perc_<dimension>``
        columns (scores 1-7).
    dimensions : sequence of str
        Bundle parts to show; default product, service, staff, brand.

    Returns
    -------
    pandas.DataFrame
        Index ``dimension``; columns ``n_responses``, ``expected``,
        ``perceived`` (means), ``gap`` (perceived − expected; negative means
        the business falls short) and ``share_met`` (share of answers with
        perceived >= expected). Sorted by gap, worst first. Answers missing a
        score are left out of that dimension only (``n_responses`` shows how
        many were used).

    Examples
    --------
    >>> s = pd.DataFrame({"exp_product": [6, 5], "perc_product": [5, 6],
    ...                   "exp_service": [6, 6], "perc_service": [4, 5]})
    >>> value_bundle(s, dimensions=["product", "service"])
               n_responses  expected  perceived  gap  share_met
    dimension
    service              2       6.0        4.5 -1.5        0.0
    product              2       5.5        5.5  0.0        0.5
    """
    _need(surveys, _bundle_cols(dimensions), "surveys")
    rows = []
    for d in dimensions:
        pair = surveys[[f"exp_{d}", f"perc_{d}"]].dropna().astype("float64")
        e, p = pair[f"exp_{d}"], pair[f"perc_{d}"]
        rows.append(
            (d, len(pair), e.mean(), p.mean(), p.mean() - e.mean(), float((p >= e).mean()))
        )
    out = pd.DataFrame(
        rows, columns=["dimension", "n_responses", "expected", "perceived", "gap", "share_met"]
    ).set_index("dimension")
    out["gap"] = out["gap"].round(12)
    return out.sort_values("gap", kind="stable")


def customer_bundle(
    surveys: pd.DataFrame,
    *,
    dimensions: Sequence[str] = tuple(BUNDLE_DIMENSIONS),
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
) -> pd.DataFrame:
    """Return each customer's latest perceived bundle, as 0-1 scores.

    Parameters
    ----------
    surveys : pandas.DataFrame
        Survey answers (see :func:`value_bundle`) with ``customer_id`` and
        ``date``.
    dimensions : sequence of str
        Bundle parts.
    customer_id, date : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Index ``customer_id``; one column per dimension with the perceived
        score rescaled from 1-7 to 0-1, and ``perceived_gains``, their mean.
        Only each customer's most recent answer is used.

    Examples
    --------
    >>> s = pd.DataFrame({"customer_id": ["A", "A", "B"],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-02-01"]),
    ...     "perc_product": [1, 7, 4], "perc_service": [1, 4, 4],
    ...     "exp_product": [5, 5, 5], "exp_service": [5, 5, 5]})
    >>> customer_bundle(s, dimensions=["product", "service"])
                 product  service  perceived_gains
    customer_id
    A                1.0      0.5             0.75
    B                0.5      0.5             0.50
    """
    _need(surveys, [customer_id, date, *[f"perc_{d}" for d in dimensions]], "surveys")
    latest = (
        surveys.dropna(subset=[customer_id])
        .sort_values([customer_id, date], kind="stable")
        .groupby(customer_id)
        .tail(1)
        .set_index(customer_id)
    )
    out = pd.DataFrame(index=latest.index.rename(customer_id))
    for d in dimensions:
        out[d] = (latest[f"perc_{d}"].astype("float64") - 1.0) / 6.0
    out["perceived_gains"] = out[list(dimensions)].mean(axis=1)
    return out.sort_index()


def perceived_value(
    df: pd.DataFrame,
    *,
    gains: Sequence[str],
    losses: Sequence[str],
    weights: Mapping[str, float] | None = None,
) -> pd.Series:
    """Perceived value = perceived gains − perceived losses (weighted averages).

    Parameters
    ----------
    df : pandas.DataFrame
        One row per customer (or offer) with gain and loss columns on a
        common scale (e.g. 0-1).
    gains, losses : sequence of str
        Column names of the gains (what the customer gets) and the losses
        (price, time, effort, hassle).
    weights : mapping, optional
        Weight per column; default equal weights within gains and within
        losses.

    Returns
    -------
    pandas.Series
        Named ``perceived_value``.

    Examples
    --------
    >>> df = pd.DataFrame({"quality": [0.8, 0.4], "service": [0.6, 0.4],
    ...                    "price": [0.5, 0.2], "hassle": [0.1, 0.0]})
    >>> perceived_value(df, gains=["quality", "service"], losses=["price", "hassle"]).tolist()
    [0.4, 0.3]
    """
    if not gains or not losses:
        raise ValueError(f"gains={list(gains)!r} and losses={list(losses)!r} must both be given")
    _need(df, [*gains, *losses], "df")
    w = dict(weights or {})
    unknown = sorted(set(w) - set(gains) - set(losses))
    if unknown:
        raise ValueError(f"weights names {unknown}, which are neither gains nor losses")

    def wavg(cols: Sequence[str]) -> pd.Series:
        ws = np.array([w.get(c, 1.0) for c in cols], dtype="float64")
        if ws.sum() <= 0:
            raise ValueError(f"weights of {list(cols)} must add up to more than 0")
        return (df[list(cols)].astype("float64") * ws).sum(axis=1) / ws.sum()

    return (wavg(gains) - wavg(losses)).round(12).rename("perceived_value")


def customer_perceived_value(
    surveys: pd.DataFrame,
    orders: pd.DataFrame,
    tickets: pd.DataFrame | None = None,
    *,
    dimensions: Sequence[str] = tuple(BUNDLE_DIMENSIONS),
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
    amount: str = schema.AMOUNT,
) -> pd.DataFrame:
    """Estimate each surveyed customer's perceived gains, losses and value (all 0-1).

    * Gains: the latest perceived bundle (:func:`customer_bundle`).
    * Losses, each as a percentile rank among the surveyed customers (0 =
      lowest burden, 1 = highest): ``price_burden``, the average amount per
      order (``amount / n_items`` when ``n_items`` exists); and
      ``hassle``, support tickets per order.
    * ``perceived_value`` = gains − mean of the two losses.

    This is a teaching index, not a measured quantity: it ranks customers
    on the same idea (what they get minus what it costs them), with every
    ingredient visible.

    Parameters
    ----------
    surveys, orders : pandas.DataFrame
        The world's survey answers and orders.
    tickets : pandas.DataFrame, optional
        Support tickets (no tickets means no hassle).
    dimensions : sequence of str
        Bundle parts.
    customer_id, date, amount : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Index ``customer_id`` (surveyed customers with at least one order);
        columns ``perceived_gains, price_burden, hassle, perceived_losses,
        perceived_value``. Surveyed customers without an order are counted
        in ``.attrs["n_without_orders"]``, those whose orders hold no item
        (only refunds) in ``.attrs["n_without_price"]``; both are left out.

    Examples
    --------
    >>> s = pd.DataFrame({"customer_id": ["A", "B"], "date": pd.to_datetime(["2024-01-01"] * 2),
    ...                   "perc_product": [7, 4]})
    >>> o = pd.DataFrame({"customer_id": ["A", "B", "B"], "amount": [10.0, 20.0, 20.0]})
    >>> t = pd.DataFrame({"customer_id": ["B"], "cost_to_serve": [5.0]})
    >>> pv = customer_perceived_value(s, o, t, dimensions=["product"])
    >>> pv[["perceived_gains", "price_burden", "hassle", "perceived_value"]]
                 perceived_gains  price_burden  hassle  perceived_value
    customer_id
    A                        1.0           0.5     0.5              0.5
    B                        0.5           1.0     1.0             -0.5
    """
    gains = customer_bundle(surveys, dimensions=dimensions, customer_id=customer_id, date=date)
    _need(orders, [customer_id, amount], "orders")
    o = orders.dropna(subset=[customer_id])
    g = o.groupby(customer_id)
    n_orders = g.size()
    if "n_items" in o.columns:
        items = g["n_items"].sum().astype("float64")
        price = g[amount].sum() / items.where(items > 0)
    else:
        price = g[amount].mean()
    n_tickets = (
        tickets.dropna(subset=[customer_id]).groupby(customer_id).size()
        if tickets is not None and len(tickets)
        else pd.Series(dtype="float64")
    )
    have = gains.index.intersection(n_orders.index)
    no_price = price.reindex(have).isna()
    n_without_price = int(no_price.sum())
    have = have[~no_price.to_numpy()]
    out = pd.DataFrame(index=have.rename(customer_id))
    out["perceived_gains"] = gains.loc[have, "perceived_gains"]
    out["price_burden"] = price.reindex(have).rank(pct=True)
    hassle = n_tickets.reindex(have, fill_value=0).astype("float64") / n_orders.reindex(have)
    out["hassle"] = hassle.rank(pct=True)
    out["perceived_losses"] = out[["price_burden", "hassle"]].mean(axis=1)
    out["perceived_value"] = perceived_value(
        out, gains=["perceived_gains"], losses=["price_burden", "hassle"]
    )
    out = out.sort_index()
    out.attrs["n_without_orders"] = int(len(gains.index.difference(n_orders.index)))
    out.attrs["n_without_price"] = n_without_price
    return out


def firm_value(
    orders: pd.DataFrame,
    *,
    customers: pd.DataFrame,
    surveys: pd.DataFrame | None = None,
    tickets: pd.DataFrame | None = None,
    margin: float,
    value_per_feedback: float = 0.0,
    referral_channels: Sequence[str] = REFERRAL_CHANNELS,
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
    amount: str = schema.AMOUNT,
) -> pd.DataFrame:
    """Split each customer's worth to the firm into four kinds of value.

    * ``economic_value`` = revenue × margin.
    * ``loyalty_value`` = margin on the orders after the first one: what
      the business earns only because the customer came back. It is the
      part of the economic value owed to loyalty, so it is shown but not
      added again to the total.
    * ``referral_value``: promoters (latest NPS answer 9-10) are credited
      with ``referred customers ÷ promoters`` new customers each (referred
      customers = those whose ``acquisition_channel`` is in
      ``referral_channels``), each worth the average economic value of a
      referred customer. Everyone else gets 0. It credits promoters as a
      group; nobody in the data says who referred whom.
    * ``innovation_value`` = (survey answers + support tickets) ×
      ``value_per_feedback``: what the same feedback would cost from a
      market-research panel (a parameter, default 0: set your own).

    Parameters
    ----------
    orders : pandas.DataFrame
        Orders (``customer_id``, ``date``, ``amount``); anonymous orders are
        counted in ``.attrs["n_anonymous_orders"]`` and left out.
    customers : pandas.DataFrame
        Every customer, with ``acquisition_channel``.
    surveys : pandas.DataFrame, optional
        Survey answers with ``nps`` (needed for referral value).
    tickets : pandas.DataFrame, optional
        Support tickets (counted as feedback).
    margin : float
        Gross margin as a share of revenue.
    value_per_feedback : float, default 0.0
        Money value of one piece of feedback.
    referral_channels : sequence of str
        Acquisition channels that mean "recommended by someone".
    customer_id, date, amount : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Index ``customer_id`` (all customers); columns ``economic_value,
        loyalty_value, referral_value, innovation_value, total_value``
        (total = economic + referral + innovation).
        ``.attrs`` hold ``referrals_per_promoter`` and
        ``value_per_referral``.

    Examples
    --------
    >>> cust = pd.DataFrame({"customer_id": ["A", "B", "C"],
    ...                      "acquisition_channel": ["ads", "referral", "ads"]})
    >>> orders = pd.DataFrame({"customer_id": ["A", "A", "B", "C"],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-05", "2024-01-09"]),
    ...     "amount": [100.0, 50.0, 40.0, 10.0]})
    >>> surveys = pd.DataFrame({"customer_id": ["A", "C"], "date": pd.to_datetime(["2024-03-01"] * 2),
    ...                         "nps": [10, 3]})
    >>> fv = firm_value(orders, customers=cust, surveys=surveys, margin=0.5, value_per_feedback=1)
    >>> fv[["economic_value", "loyalty_value", "referral_value", "innovation_value"]]
                 economic_value  loyalty_value  referral_value  innovation_value
    customer_id
    A                      75.0           25.0            20.0               1.0
    B                      20.0            0.0             0.0               0.0
    C                       5.0            0.0             0.0               1.0
    >>> fv["total_value"].tolist()
    [96.0, 20.0, 6.0]
    """
    _need(orders, [customer_id, date, amount], "orders")
    _need(customers, [customer_id, "acquisition_channel"], "customers")
    if not (0 <= margin <= 1):
        raise ValueError(f"margin={margin!r} must be a share of revenue between 0 and 1")
    if value_per_feedback < 0:
        raise ValueError(f"value_per_feedback={value_per_feedback!r} must be >= 0")
    index = pd.Index(sorted(customers[customer_id].dropna().unique()), name=customer_id)
    anon = orders[customer_id].isna()
    o = orders[~anon].sort_values([customer_id, date], kind="stable")
    revenue = o.groupby(customer_id)[amount].sum()
    first = o.groupby(customer_id).head(1).groupby(customer_id)[amount].sum()
    out = pd.DataFrame(index=index)
    out["economic_value"] = revenue.reindex(index, fill_value=0.0).astype("float64") * margin
    out["loyalty_value"] = (revenue - first).reindex(index, fill_value=0.0).astype(
        "float64"
    ) * margin
    referred = customers.set_index(customer_id)["acquisition_channel"].isin(referral_channels)
    referred = referred.reindex(index, fill_value=False)
    value_per_referral = (
        float(out.loc[referred, "economic_value"].mean()) if referred.any() else 0.0
    )
    out["referral_value"] = 0.0
    per_promoter = 0.0
    if surveys is not None:
        _need(surveys, [customer_id, date, "nps"], "surveys")
        latest = (
            surveys.dropna(subset=[customer_id, "nps"])
            .sort_values([customer_id, date], kind="stable")
            .groupby(customer_id)["nps"]
            .last()
        )
        promoters = latest[latest >= 9].index.intersection(index)
        if len(promoters):
            per_promoter = float(referred.sum()) / len(promoters)
            out.loc[promoters, "referral_value"] = per_promoter * value_per_referral
    n_feedback = pd.Series(0.0, index=index)
    for df in (surveys, tickets):
        if df is not None and len(df):
            n_feedback = n_feedback.add(
                df.dropna(subset=[customer_id]).groupby(customer_id).size(), fill_value=0.0
            ).reindex(index)
    out["innovation_value"] = n_feedback.fillna(0.0) * value_per_feedback
    # loyalty value is the part of the economic value owed to coming back: not added twice
    out["total_value"] = out[["economic_value", "referral_value", "innovation_value"]].sum(axis=1)
    out.attrs["n_anonymous_orders"] = int(anon.sum())
    out.attrs["referrals_per_promoter"] = per_promoter
    out.attrs["value_per_referral"] = value_per_referral
    return out
