"""Customer acquisition (顧客贏取率 / 顾客赢取率): channels, costs, payback, the funnel.

Winning a customer costs money; the customer pays it back only if they stay
and buy. This module puts numbers on both halves:

* :func:`acquisition_rate`: how many customers are won per period, and how
  fast that grows the base;
* :func:`cac_by_channel`: customer acquisition cost (CAC, 獲客成本 /
  获客成本) per channel;
* :func:`value_curves` and :func:`channel_economics`: the margin customers
  bring after they are won, by channel, giving **ROI** (投資報酬率 /
  投资回报率) and the **payback period** (回收期), the number of months until
  a channel's customers have paid back what they cost;
* :func:`funnel_conversion`: the acquisition funnel (漏斗) awareness →
  consideration → purchase → use → loyalty;
* :func:`simulate_twin_engines` and :func:`compare_budget_splits`: the
  "twin engines" (雙引擎 / 双引擎) of acquisition and retention. The same
  budget is split between winning new customers and keeping existing ones,
  and a seeded simulation follows the customer base and profit over time.
  :func:`engine_params` estimates the simulation's inputs from a
  business's own data, so the e-commerce failure (heavy acquisition, no
  retention) can be replayed on the ``online_store`` world.

Examples
--------
>>> customers = pd.DataFrame({
...     "customer_id": ["a", "b", "c", "d"],
...     "acquisition_channel": ["search", "search", "social", "referral"],
...     "acquisition_cost": [30.0, 50.0, 20.0, 0.0]})
>>> cac_by_channel(customers)
                     customers  total_cost   cac
acquisition_channel
search                       2        80.0  40.0
social                       1        20.0  20.0
referral                     1         0.0   0.0
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from crm_lessons import schema
from crm_lessons._checks import make_glossary
from crm_lessons._checks import require_columns as _require

__all__ = [
    "GLOSSARY",
    "glossary",
    "FUNNEL_STAGES",
    "acquisition_rate",
    "cac_by_channel",
    "channel_economics",
    "compare_budget_splits",
    "engine_params",
    "funnel_conversion",
    "message_funnel",
    "plot_budget_splits",
    "plot_funnel",
    "simulate_twin_engines",
    "value_curves",
]

#: The lesson's vocabulary: English, Traditional Chinese, Simplified Chinese.
GLOSSARY: tuple[tuple[str, str, str], ...] = (
    ("customer acquisition", "顧客贏取率", "顾客赢取率"),
    ("acquisition channel", "獲客管道", "获客渠道"),
    ("customer acquisition cost (CAC)", "顧客取得成本（獲客成本）", "获客成本"),
    ("return on investment (ROI)", "投資報酬率", "投资回报率"),
    ("payback period", "回收期", "回收期"),
    ("conversion rate", "轉換率", "转化率"),
    ("funnel", "漏斗", "漏斗"),
    ("awareness / consideration / purchase", "認知／考慮／購買", "认知／考虑／购买"),
    ("use / loyalty / churn", "使用／忠誠／流失", "使用／忠诚／流失"),
    (
        "search engine optimisation / marketing (SEO / SEM)",
        "搜尋引擎優化／行銷",
        "搜索引擎优化／营销",
    ),
    ("referral", "推薦（轉介紹）", "推荐（转介绍）"),
    ("twin engines (acquisition and retention)", "雙引擎（贏取與保留）", "双引擎（赢取与保留）"),
    ("leaky bucket", "漏水的桶", "漏水的桶"),
    ("gross margin", "毛利率", "毛利率"),
)


#: ``glossary()`` returns :data:`GLOSSARY` as a table (English, 繁體中文, 简体中文).
glossary = make_glossary(GLOSSARY)


#: The acquisition funnel, in order (lifecycle stages before churn).
FUNNEL_STAGES = ("awareness", "consideration", "purchase", "use", "loyalty")

_FREQS = ("W", "M", "Q", "Y")


def _check_freq(freq: str) -> None:
    if freq not in _FREQS:
        raise ValueError(f"freq={freq!r} is not supported; use one of {', '.join(_FREQS)}")


# ------------------------------------------------------------------ rate and cost


def acquisition_rate(
    customers: pd.DataFrame,
    *,
    freq: str = "M",
    signup: str = "signup_date",
    as_of=None,
) -> pd.DataFrame:
    """New customers per period and the acquisition rate.

    Definition: the **acquisition rate** of a period is the number of
    customers won in it divided by the number of customers the business had
    already won before the period started (how much acquisition alone grows
    the customer list). The first period has no base, so its rate is missing.
    For the rate at which prospects turn into customers, see
    :func:`funnel_conversion`.

    Parameters
    ----------
    customers : pandas.DataFrame
        One row per customer with the date they were won.
    freq : {"W", "M", "Q", "Y"}, default "M"
        Period length.
    signup : str, default "signup_date"
        Column with the acquisition date. Rows without one are not counted
        (``attrs["excluded_rows"]`` says how many).
    as_of : date-like, optional
        Last day to include; default the latest acquisition date.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``period``: ``base_at_start``, ``new_customers``,
        ``acquisition_rate``.

    Examples
    --------
    >>> c = pd.DataFrame({"signup_date": pd.to_datetime(
    ...     ["2024-01-02", "2024-01-20", "2024-02-03", "2024-03-05", "2024-03-09"])})
    >>> acquisition_rate(c)
             base_at_start  new_customers  acquisition_rate
    period
    2024-01              0              2               NaN
    2024-02              2              1          0.500000
    2024-03              3              2          0.666667
    """
    _check_freq(freq)
    _require(customers, [signup], "customers")
    dates = customers[signup]
    n_missing = int(dates.isna().sum())
    dates = dates.dropna()
    if as_of is not None:
        dates = dates[dates <= pd.Timestamp(as_of)]
    if dates.empty:
        raise ValueError(f"customers has no {signup!r} dates to count")
    per = dates.dt.to_period(freq).array.asi8
    lo = int(per.min())
    hi = int(pd.Period(pd.Timestamp(as_of), freq=freq).ordinal) if as_of else int(per.max())
    ords = np.arange(lo, hi + 1)
    new = pd.Series(per).value_counts().reindex(ords, fill_value=0).to_numpy()
    base = np.concatenate([[0], np.cumsum(new)[:-1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(base > 0, new / np.where(base > 0, base, 1), np.nan)
    out = pd.DataFrame(
        {"base_at_start": base, "new_customers": new, "acquisition_rate": rate},
        index=pd.PeriodIndex.from_ordinals(ords, freq=freq).rename("period"),
    )
    out.attrs["excluded_rows"] = {f"no {signup}": n_missing} if n_missing else {}
    return out


def cac_by_channel(
    customers: pd.DataFrame,
    *,
    channel: str = "acquisition_channel",
    cost: str = "acquisition_cost",
) -> pd.DataFrame:
    """Customer acquisition cost (CAC) per channel.

    ``CAC = money spent on the channel / customers it won``. Here the spend
    is the sum of the per-customer ``acquisition_cost``, so CAC is its mean.

    Parameters
    ----------
    customers : pandas.DataFrame
        One row per customer.
    channel, cost : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Indexed by channel (largest number of customers first):
        ``customers``, ``total_cost``, ``cac``.

    Examples
    --------
    >>> c = pd.DataFrame({"acquisition_channel": ["ads", "ads", "walk-in"],
    ...                   "acquisition_cost": [12.0, 18.0, 0.0]})
    >>> cac_by_channel(c)["cac"].to_dict()
    {'ads': 15.0, 'walk-in': 0.0}
    """
    _require(customers, [channel, cost], "customers")
    if customers[channel].isna().any():
        n = int(customers[channel].isna().sum())
        raise ValueError(f"{n} customer(s) have no {channel!r}; fill it (e.g. 'unknown') first")
    if customers[cost].isna().any() or (customers[cost] < 0).any():
        raise ValueError(f"column {cost!r} must hold non-negative amounts with no gaps")
    out = customers.groupby(channel, sort=False).agg(
        customers=(cost, "size"), total_cost=(cost, "sum")
    )
    out["cac"] = out["total_cost"] / out["customers"]
    return out.sort_values(["customers", "total_cost"], ascending=False, kind="stable")


# ------------------------------------------------------------------ value, ROI, payback


def _margin_rows(
    transactions: pd.DataFrame,
    *,
    customer_id: str,
    date: str,
    amount: str,
    gross_margin: float | str,
) -> pd.DataFrame:
    _require(transactions, [customer_id, date, amount], "transactions")
    tx = transactions[transactions[customer_id].notna()]
    if isinstance(gross_margin, str):
        _require(tx, [gross_margin], "transactions")
        margin = tx[gross_margin].astype(float)
    else:
        if not 0 <= float(gross_margin) <= 1:
            raise ValueError(
                f"gross_margin={gross_margin!r} must be a share between 0 and 1 "
                "or the name of a margin column"
            )
        margin = tx[amount].astype(float) * float(gross_margin)
    return pd.DataFrame({"c": tx[customer_id].to_numpy(), "d": tx[date].to_numpy(), "m": margin})


def value_curves(
    customers: pd.DataFrame,
    transactions: pd.DataFrame,
    *,
    by: str | None = "acquisition_channel",
    gross_margin: float | str = 1.0,
    freq: str = "M",
    max_periods: int = 24,
    as_of=None,
    customer_id: str = schema.CUSTOMER_ID,
    signup: str = "signup_date",
    date: str = schema.DATE,
    amount: str = schema.AMOUNT,
) -> pd.DataFrame:
    """Average cumulative margin per acquired customer, by periods since acquisition.

    Cell (*k*, *g*) is the margin the customers of group *g* brought in
    their first *k* + 1 periods (period 0 = the acquisition period), averaged
    over the customers observed for that long, so recent customers do not
    drag the later points down. Customers who never bought count with zero:
    acquisition cost was spent on them too. Refunds reduce the margin.

    Parameters
    ----------
    customers : pandas.DataFrame
        One row per customer with acquisition date (and group column).
    transactions : pandas.DataFrame
        Purchases (and refunds as negative amounts).
    by : str or None, default "acquisition_channel"
        Group column in ``customers``; None for one curve over everyone.
    gross_margin : float or str, default 1.0
        Share of the amount that is margin, or a margin column in
        ``transactions``. 1.0 gives revenue.
    freq : {"W", "M", "Q", "Y"}, default "M"
        Period length.
    max_periods : int, default 24
        Last period since acquisition to show.
    as_of : date-like, optional
        End of observation; default the last transaction date.
    customer_id, signup, date, amount : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Index ``periods_since`` (0 ... ``max_periods``), one column per group;
        ``attrs["observed_customers"]`` holds how many customers each cell
        averages.

    Examples
    --------
    >>> cust = pd.DataFrame({"customer_id": ["a", "b"], "acquisition_channel": ["x", "x"],
    ...     "signup_date": pd.to_datetime(["2024-01-05", "2024-02-10"])})
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"],
    ...     "date": pd.to_datetime(["2024-01-06", "2024-03-01", "2024-02-11"]),
    ...     "amount": [10.0, 20.0, 40.0]})
    >>> value_curves(cust, tx, gross_margin=0.5, max_periods=2)
    acquisition_channel     x
    periods_since
    0                    12.5
    1                    12.5
    2                    15.0
    """
    _check_freq(freq)
    cols = [customer_id, signup] + ([by] if by else [])
    _require(customers, cols, "customers")
    if not isinstance(max_periods, int | np.integer) or max_periods < 0:
        raise ValueError(f"max_periods={max_periods!r} must be a whole number >= 0")
    rows = _margin_rows(
        transactions, customer_id=customer_id, date=date, amount=amount, gross_margin=gross_margin
    )
    cust = customers.dropna(subset=[signup])
    end = pd.Timestamp(as_of) if as_of is not None else rows["d"].max()
    end_ord = pd.Period(end, freq=freq).ordinal
    start_ord = pd.Series(cust[signup].dt.to_period(freq).array.asi8, index=cust[customer_id])
    group = (
        pd.Series(cust[by].to_numpy(), index=cust[customer_id])
        if by
        else pd.Series("all customers", index=cust[customer_id])
    )
    rows = rows[rows["c"].isin(start_ord.index) & (rows["d"] <= end)]
    rows["k"] = (
        pd.Series(rows["d"]).dt.to_period(freq).array.asi8
        - start_ord.reindex(rows["c"]).to_numpy()
    )
    rows = rows[(rows["k"] >= 0) & (rows["k"] <= max_periods)]
    per_cust = rows.groupby(["c", "k"])["m"].sum().unstack("k")
    per_cust = per_cust.reindex(index=start_ord.index, columns=range(max_periods + 1))
    per_cust = per_cust.fillna(0.0).cumsum(axis=1)
    observed_for = end_ord - start_ord  # full periods seen after the acquisition period
    mask = np.arange(max_periods + 1)[None, :] <= observed_for.to_numpy()[:, None]
    per_cust = per_cust.where(mask)
    per_cust["_g"] = group.reindex(per_cust.index).to_numpy()
    curves = per_cust.groupby("_g", sort=False).mean().T
    counts = per_cust.drop(columns="_g").notna().groupby(per_cust["_g"], sort=False).sum().T
    curves.index = pd.RangeIndex(max_periods + 1, name="periods_since")
    curves.columns.name = by if by else None
    counts.index = curves.index
    curves.attrs["observed_customers"] = counts
    return curves


def channel_economics(
    customers: pd.DataFrame,
    transactions: pd.DataFrame,
    *,
    horizon_periods: int = 12,
    gross_margin: float | str = 1.0,
    freq: str = "M",
    max_periods: int = 36,
    as_of=None,
    channel: str = "acquisition_channel",
    cost: str = "acquisition_cost",
    customer_id: str = schema.CUSTOMER_ID,
    signup: str = "signup_date",
    date: str = schema.DATE,
    amount: str = schema.AMOUNT,
) -> pd.DataFrame:
    """CAC, value, ROI and payback period per acquisition channel.

    * ``value_per_customer``: average cumulative margin in the first
      ``horizon_periods`` periods after acquisition (from
      :func:`value_curves`, so only customers observed that long count);
    * ``roi = (value_per_customer - cac) / cac``: margin earned per unit of
      acquisition money, net of that money (missing when CAC is 0);
    * ``payback_periods``: the first period since acquisition at which the
      average cumulative margin reaches CAC (0 = paid back in the
      acquisition period); missing when not reached within ``max_periods``
      periods, or within the periods observed.

    Parameters
    ----------
    customers, transactions : pandas.DataFrame
        As for :func:`value_curves`; ``customers`` also needs ``cost``.
    horizon_periods : int, default 12
        Horizon for value and ROI (12 months = first-year ROI).
    gross_margin : float or str, default 1.0
        Margin share or margin column (see :func:`value_curves`).
    freq : {"W", "M", "Q", "Y"}, default "M"
        Period length.
    max_periods : int, default 36
        Longest payback searched.
    as_of : date-like, optional
        End of observation.
    channel, cost, customer_id, signup, date, amount : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Indexed by channel: ``customers``, ``cac``, ``value_per_customer``,
        ``profit_per_customer``, ``roi``, ``payback_periods``.

    Examples
    --------
    >>> cust = pd.DataFrame({"customer_id": ["a", "b"], "acquisition_channel": ["ads", "friends"],
    ...     "acquisition_cost": [30.0, 0.0],
    ...     "signup_date": pd.to_datetime(["2024-01-05", "2024-01-10"])})
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "a", "b"],
    ...     "date": pd.to_datetime(["2024-01-06", "2024-02-01", "2024-03-01", "2024-01-11"]),
    ...     "amount": [20.0, 20.0, 40.0, 10.0]})
    >>> e = channel_economics(cust, tx, gross_margin=0.5, horizon_periods=2, max_periods=2)
    >>> e[["cac", "value_per_customer", "roi", "payback_periods"]]
                          cac  value_per_customer       roi  payback_periods
    acquisition_channel
    ads                  30.0                40.0  0.333333                2
    friends               0.0                 5.0       NaN                0
    """
    _require(customers, [channel, cost], "customers")
    if not isinstance(horizon_periods, int | np.integer) or horizon_periods < 0:
        raise ValueError(f"horizon_periods={horizon_periods!r} must be a whole number >= 0")
    cac = cac_by_channel(customers, channel=channel, cost=cost)
    curves = value_curves(
        customers,
        transactions,
        by=channel,
        gross_margin=gross_margin,
        freq=freq,
        max_periods=max(max_periods, horizon_periods),
        as_of=as_of,
        customer_id=customer_id,
        signup=signup,
        date=date,
        amount=amount,
    )
    out = cac[["customers", "cac"]].copy()
    value = curves.loc[horizon_periods].reindex(out.index)
    out["value_per_customer"] = value.astype(float)
    out["profit_per_customer"] = out["value_per_customer"] - out["cac"]
    out["roi"] = (out["profit_per_customer"] / out["cac"]).where(out["cac"] > 0)
    payback = {}
    for ch in out.index:
        curve = curves[ch].dropna() if ch in curves else pd.Series(dtype=float)
        curve = curve.loc[:max_periods]
        reached = curve.index[curve >= out.loc[ch, "cac"]]
        payback[ch] = int(reached[0]) if len(reached) else pd.NA
    out["payback_periods"] = pd.Series(payback, dtype="Int64")
    return out


def funnel_conversion(
    events: pd.DataFrame,
    *,
    stages: Sequence[str] = FUNNEL_STAGES,
    by: pd.Series | None = None,
    customer_id: str = schema.CUSTOMER_ID,
    stage: str = "stage",
) -> pd.DataFrame:
    """Customers reaching each funnel stage and the conversion between stages.

    A customer *reaches* a stage when they have an event for it (any date).
    ``step_conversion`` = customers at this stage / customers at the previous
    stage; ``overall_conversion`` = customers at this stage / customers at
    the first stage. The step from awareness to purchase is the usual
    prospect-to-customer acquisition rate.

    Parameters
    ----------
    events : pandas.DataFrame
        Lifecycle events, one row per customer and stage entered.
    stages : sequence of str, default :data:`FUNNEL_STAGES`
        The funnel, in order.
    by : pandas.Series, optional
        A group per customer (index = customer id), e.g. acquisition channel;
        the funnel is then computed per group.
    customer_id, stage : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Rows in funnel order (``stage``, and the group first when ``by`` is
        given), columns ``customers``, ``step_conversion``,
        ``overall_conversion``.

    Examples
    --------
    >>> ev = pd.DataFrame({"customer_id": list("abcdabcab"),
    ...     "stage": ["awareness"] * 4 + ["consideration"] * 3 + ["purchase"] * 2})
    >>> funnel_conversion(ev, stages=["awareness", "consideration", "purchase"])
                   customers  step_conversion  overall_conversion
    stage
    awareness              4              NaN                1.00
    consideration          3         0.750000                0.75
    purchase               2         0.666667                0.50
    """
    _require(events, [customer_id, stage], "events")
    stages = list(stages)
    unknown = sorted(set(stages) - set(events[stage].dropna().unique()))
    if len(unknown) == len(stages):
        raise ValueError(
            f"none of stages={stages} occurs in column {stage!r}; "
            f"it holds {sorted(events[stage].dropna().unique())}"
        )
    ev = events[[customer_id, stage]].dropna().drop_duplicates()
    ev = ev[ev[stage].isin(stages)]
    if by is not None:
        ev = ev.assign(_g=by.reindex(ev[customer_id]).to_numpy())
        groups = list(pd.unique(ev["_g"].dropna()))
    else:
        ev = ev.assign(_g="all")
        groups = ["all"]
    frames = []
    for g in groups:
        sub = ev[ev["_g"] == g]
        counts = sub.groupby(stage)[customer_id].nunique().reindex(stages, fill_value=0)
        prev = counts.shift(1)
        t = pd.DataFrame(
            {
                "customers": counts.astype("int64"),
                "step_conversion": counts / prev.where(prev > 0),
                "overall_conversion": counts / counts.iloc[0] if counts.iloc[0] else np.nan,
            }
        )
        t.index.name = stage
        if by is not None:
            t = pd.concat({g: t}, names=[by.name or "group"])
        frames.append(t)
    return frames[0] if by is None else pd.concat(frames)


def message_funnel(
    touches: pd.DataFrame,
    *,
    by: str | None = "channel",
    steps: Sequence[str] = ("opened", "clicked", "converted"),
    group: str | None = "group",
    treated: str = "treatment",
) -> pd.DataFrame:
    """Funnel of marketing messages: sent → opened → clicked → converted.

    Only messages really sent count (``group == "treatment"``; held-out
    control customers got nothing). In the course data ``converted`` means
    "bought within the campaign window", clicked or not, so that step can
    exceed the one before it: it is not a strict funnel step. Each step's share is of the step before
    (``step_conversion``) and of all messages sent (``overall_conversion``).

    Parameters
    ----------
    touches : pandas.DataFrame
        One row per message, with boolean step columns.
    by : str or None, default "channel"
        Group column (e-mail, SMS, ...); None for one funnel.
    steps : sequence of str
        Boolean columns, in funnel order, after "sent".
    group, treated : str
        Column and value marking messages really sent; ``group=None`` uses
        every row.

    Returns
    -------
    pandas.DataFrame
        Indexed by (group, ``step``) or ``step``: ``messages``,
        ``step_conversion``, ``overall_conversion``.

    Examples
    --------
    >>> t = pd.DataFrame({"channel": ["sms"] * 4, "group": ["treatment"] * 4,
    ...                   "opened": [True, True, True, False], "clicked": [True, True, False, False],
    ...                   "converted": [True, False, False, False]})
    >>> message_funnel(t, by=None)
              messages  step_conversion  overall_conversion
    step
    sent             4              NaN                1.00
    opened           3         0.750000                0.75
    clicked          2         0.666667                0.50
    converted        1         0.500000                0.25
    """
    cols = list(steps) + ([by] if by else []) + ([group] if group else [])
    _require(touches, cols, "touches")
    sent = touches[touches[group] == treated] if group else touches
    if sent.empty:
        raise ValueError(f"no messages with {group} == {treated!r} in touches")

    def one(df: pd.DataFrame) -> pd.DataFrame:
        counts = [len(df)] + [int(df[s].fillna(False).astype(bool).sum()) for s in steps]
        c = pd.Series(counts, index=pd.Index(["sent", *steps], name="step"), dtype="int64")
        prev = c.shift(1)
        return pd.DataFrame(
            {
                "messages": c,
                "step_conversion": c / prev.where(prev > 0),
                "overall_conversion": c / c.iloc[0],
            }
        )

    if by is None:
        return one(sent)
    parts = {g: one(df) for g, df in sent.groupby(by, sort=True)}
    return pd.concat(parts, names=[by])


def plot_funnel(funnel: pd.DataFrame, *, ax: plt.Axes | None = None, title=None) -> plt.Axes:
    """Horizontal bar chart of a funnel from :func:`funnel_conversion` (no groups).

    Parameters
    ----------
    funnel : pandas.DataFrame
        Output of :func:`funnel_conversion` without ``by``.
    ax : matplotlib.axes.Axes, optional
        Where to draw.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ev = pd.DataFrame({"customer_id": list("aab"), "stage": ["awareness", "purchase", "awareness"]})
    >>> ax = plot_funnel(funnel_conversion(ev, stages=["awareness", "purchase"]))
    >>> ax.get_xlabel()
    'Customers'
    >>> plt.close("all")
    """
    if ax is None:
        _, ax = plt.subplots()
    labels = [str(s) for s in funnel.index][::-1]
    values = funnel["customers"].to_numpy()[::-1]
    ax.barh(labels, values, color="C0")
    shares = funnel["overall_conversion"].to_numpy()[::-1]
    for y, (v, r) in enumerate(zip(values, shares, strict=True)):
        ax.text(v, y, f"  {v:,} ({r:.0%})", va="center")
    ax.set_xlabel("Customers")
    ax.set_title(title or "Acquisition funnel: how many make it to each stage?")
    ax.set_xlim(0, values.max() * 1.25 if len(values) else 1)
    return ax


# ------------------------------------------------------------------ twin engines


def _retention_from_spend(spend_per_customer, base, ceiling, half_spend):
    gap = ceiling - base
    return ceiling - gap * np.exp(-np.log(2.0) * spend_per_customer / half_spend)


def simulate_twin_engines(
    *,
    budget_per_period: float,
    acquisition_share: float,
    periods: int = 36,
    start_customers: int = 1000,
    cac: float = 50.0,
    base_retention: float = 0.8,
    max_retention: float = 0.95,
    half_effect_spend: float = 2.0,
    margin_per_customer: float = 20.0,
    cac_elasticity: float = 0.0,
    reference_spend: float | None = None,
    random_state=None,
) -> pd.DataFrame:
    """Simulate a customer base when a budget is split between acquisition and retention.

    Each period, with ``N`` customers at the start and budget ``B``:

    * acquisition gets ``A = a·B`` and wins ``Poisson(A / cac_A)`` new
      customers, where ``cac_A = cac`` (constant) or, with a
      ``cac_elasticity`` *e* > 0,
      ``cac_A = cac · (A / reference_spend)^e``: the CAC is ``cac`` at the
      reference spend and rises as more is bought (the cheap prospects are
      reached first). With *e* = 0.5, tripling the spend makes each customer
      √3 ≈ 1.7 times dearer;
    * retention gets ``(1-a)·B``, i.e. ``s = (1-a)·B / N`` per customer,
      which raises the retention rate from ``base_retention`` towards
      ``max_retention`` with diminishing returns:
      ``r = max - (max - base)·2^(-s / half_effect_spend)``
      (spending ``half_effect_spend`` per customer closes half the gap);
    * ``Binomial(N, r)`` customers stay;
    * profit = (stayers + new customers) × margin per customer − ``B``.

    Parameters
    ----------
    budget_per_period : float
        Marketing money per period (≥ 0).
    acquisition_share : float
        Share of the budget spent on acquisition, in [0, 1]; the rest goes
        to retention.
    periods : int, default 36
        Number of periods simulated.
    start_customers : int, default 1000
        Customers at the start.
    cac : float, default 50
        Cost to win one customer.
    base_retention : float, default 0.8
        Share who stay each period with no retention spending.
    max_retention : float, default 0.95
        The most any spending can achieve (some customers move away, etc.).
    half_effect_spend : float, default 2
        Retention spending per customer and period that closes half the gap
        between ``base_retention`` and ``max_retention``.
    margin_per_customer : float, default 20
        Margin one customer brings per period.
    cac_elasticity : float, default 0
        How fast the CAC rises with acquisition spend (0 = constant CAC).
    reference_spend : float, optional
        Monthly acquisition spend at which the CAC equals ``cac`` (needed
        when ``cac_elasticity`` > 0; usually today's spend).
    random_state : int, numpy.random.Generator or None
        Seed; the same seed gives the same path.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``period`` (1 ... ``periods``): ``customers_start``,
        ``retention_rate``, ``kept``, ``lost``, ``new``, ``customers_end``,
        ``margin``, ``spend``, ``profit``, ``cumulative_profit``.

    Examples
    --------
    >>> sim = simulate_twin_engines(budget_per_period=5000, acquisition_share=1.0,
    ...                             periods=3, random_state=1)
    >>> sim[["customers_start", "retention_rate", "new", "customers_end"]]
            customers_start  retention_rate  new  customers_end
    period
    1                  1000             0.8   94            897
    2                   897             0.8  101            810
    3                   810             0.8   94            747
    """
    rng = np.random.default_rng(random_state)
    if budget_per_period < 0:
        raise ValueError(f"budget_per_period={budget_per_period!r} must be zero or positive")
    if not 0 <= acquisition_share <= 1:
        raise ValueError(f"acquisition_share={acquisition_share!r} must lie between 0 and 1")
    if not isinstance(periods, int | np.integer) or periods < 1:
        raise ValueError(f"periods={periods!r} must be a whole number >= 1")
    if not 0 <= base_retention <= max_retention <= 1:
        raise ValueError(
            f"need 0 <= base_retention ({base_retention}) <= max_retention ({max_retention}) <= 1"
        )
    if cac <= 0 or half_effect_spend <= 0:
        raise ValueError(f"cac={cac!r} and half_effect_spend={half_effect_spend!r} must be > 0")
    if start_customers < 0:
        raise ValueError(f"start_customers={start_customers!r} must be zero or positive")
    if cac_elasticity < 0:
        raise ValueError(f"cac_elasticity={cac_elasticity!r} must be >= 0")
    if cac_elasticity > 0 and (reference_spend is None or reference_spend <= 0):
        raise ValueError(
            f"reference_spend={reference_spend!r}: give the (positive) spend at which the "
            "CAC equals cac when cac_elasticity > 0"
        )
    acq = acquisition_share * budget_per_period
    ret = budget_per_period - acq
    cac_now = cac * (acq / reference_spend) ** cac_elasticity if cac_elasticity > 0 else cac
    cac_now = max(cac_now, 1e-12)
    n = int(start_customers)
    rows = []
    cum = 0.0
    for _ in range(periods):
        s = ret / n if n else 0.0
        r = float(_retention_from_spend(s, base_retention, max_retention, half_effect_spend))
        kept = int(rng.binomial(n, r)) if n else 0
        new = int(rng.poisson(acq / cac_now))
        end = kept + new
        margin = end * margin_per_customer
        profit = margin - budget_per_period
        cum += profit
        rows.append((n, r, kept, n - kept, new, end, margin, budget_per_period, profit, cum))
        n = end
    out = pd.DataFrame(
        rows,
        columns=[
            "customers_start", "retention_rate", "kept", "lost", "new", "customers_end",
            "margin", "spend", "profit", "cumulative_profit",
        ],
        index=pd.RangeIndex(1, periods + 1, name="period"),
    )  # fmt: skip
    return out


def compare_budget_splits(
    shares: Sequence[float] = (0.0, 0.25, 0.5, 0.75, 1.0),
    *,
    n_runs: int = 20,
    random_state=None,
    progress: bool = False,
    **params,
) -> pd.DataFrame:
    """Run :func:`simulate_twin_engines` for several budget splits and summarise.

    Every split is run ``n_runs`` times with the same seeds (common random
    numbers), so differences between splits come from the split, not the
    luck of the draw.

    Parameters
    ----------
    shares : sequence of float
        Acquisition shares to compare.
    n_runs : int, default 20
        Simulations per share.
    random_state : int, numpy.random.Generator or None
        Seed.
    progress : bool, default False
        Show a progress bar.
    **params
        Passed to :func:`simulate_twin_engines` (``budget_per_period`` is
        required).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``acquisition_share``: mean ``final_customers``,
        ``total_new``, ``total_lost``, ``mean_retention_rate``,
        ``cumulative_profit`` and its 5th and 95th percentiles.

    Examples
    --------
    >>> t = compare_budget_splits([0.0, 1.0], budget_per_period=5000, n_runs=5,
    ...                           periods=12, random_state=0)
    >>> t["mean_retention_rate"].round(3).tolist()
    [0.937, 0.8]
    """
    if "acquisition_share" in params:
        raise TypeError("pass the shares to compare as `shares`, not acquisition_share")
    if not isinstance(n_runs, int | np.integer) or n_runs < 1:
        raise ValueError(f"n_runs={n_runs!r} must be a whole number >= 1")
    rng = np.random.default_rng(random_state)
    seeds = rng.integers(2**32 - 1, size=n_runs)
    from tqdm.auto import tqdm

    rows = []
    for a in tqdm(list(shares), disable=not progress, desc="budget splits"):
        runs = [
            simulate_twin_engines(acquisition_share=float(a), random_state=int(s), **params)
            for s in seeds
        ]
        profit = np.array([r["cumulative_profit"].iloc[-1] for r in runs])
        rows.append(
            {
                "acquisition_share": float(a),
                "final_customers": float(np.mean([r["customers_end"].iloc[-1] for r in runs])),
                "total_new": float(np.mean([r["new"].sum() for r in runs])),
                "total_lost": float(np.mean([r["lost"].sum() for r in runs])),
                "mean_retention_rate": float(np.mean([r["retention_rate"].mean() for r in runs])),
                "cumulative_profit": float(profit.mean()),
                "profit_p05": float(np.quantile(profit, 0.05)),
                "profit_p95": float(np.quantile(profit, 0.95)),
            }
        )
    return pd.DataFrame(rows).set_index("acquisition_share")


def plot_budget_splits(
    paths: dict[str, pd.DataFrame],
    *,
    currency: str = "USD",
    title: str = "Same budget, different split: customers and profit",
) -> plt.Figure:
    """Two panels: customer base and cumulative profit over time, one line per split.

    Parameters
    ----------
    paths : dict of str to pandas.DataFrame
        Label -> output of :func:`simulate_twin_engines`.
    currency : str, default "USD"
        For the profit axis.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> sim = simulate_twin_engines(budget_per_period=100, acquisition_share=0.5,
    ...                             periods=4, random_state=0)
    >>> fig = plot_budget_splits({"half and half": sim})
    >>> len(fig.axes)
    2
    >>> plt.close("all")
    """
    from crm_lessons.plotting import money_axis

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    for label, sim in paths.items():
        ax1.plot(sim.index, sim["customers_end"], label=label)
        ax2.plot(sim.index, sim["cumulative_profit"], label=label)
    ax1.set_xlabel("Month")
    ax1.set_ylabel("Customers")
    ax1.set_title("Customer base")
    ax2.set_xlabel("Month")
    ax2.set_ylabel("Cumulative profit")
    ax2.set_title("Cumulative profit after marketing spend")
    ax2.axhline(0, color="grey", lw=0.8)
    money_axis(ax2, currency)
    ax1.legend(fontsize=8)
    fig.suptitle(title, fontweight="bold")
    fig.tight_layout()
    return fig


def engine_params(
    customers: pd.DataFrame,
    transactions: pd.DataFrame,
    *,
    gross_margin: float | str = 1.0,
    freq: str = "M",
    recent_periods: int | None = 12,
    customer_id: str = schema.CUSTOMER_ID,
    cost: str = "acquisition_cost",
    date: str = schema.DATE,
    amount: str = schema.AMOUNT,
) -> dict[str, float]:
    """Estimate the twin-engines inputs from a business's own data.

    * ``cac``: mean acquisition cost of the customers with a positive cost
      (paid channels);
    * ``base_retention``: the median over periods of *returning customers
      per active customer of the previous period*,
      ``(active_t - new_t) / active_(t-1)`` from
      :func:`crm_lessons.retention.period_retention`, skipping the first
      period (no previous one) and using the last ``recent_periods`` only
      (a young business's first months are not typical). It counts
      customers who skipped a period and
      came back as kept, which is what the simulation's
      ``customers_t = kept + new`` needs: its steady state
      ``new / (1 - base_retention)`` then matches the data's active base;
    * ``margin_per_customer``: median margin per active customer per period;
    * ``start_customers``: customers active in the last complete period;
    * ``budget_per_period``: acquisition money spent per period on average.

    Parameters
    ----------
    customers, transactions : pandas.DataFrame
        The customer table (with ``cost``) and the purchases.
    gross_margin : float or str, default 1.0
        Share of the amount that is margin, or a margin column.
    freq : {"W", "M", "Q", "Y"}, default "M"
        Period length of the simulation.
    recent_periods : int or None, default 12
        Estimate the retention from the last this many periods (None: all).
    customer_id, cost, date, amount : str
        Column names.

    Returns
    -------
    dict of str to float

    Examples
    --------
    >>> cust = pd.DataFrame({"customer_id": ["a", "b", "c"], "acquisition_cost": [10.0, 30.0, 0.0]})
    >>> tx = pd.DataFrame({"customer_id": ["a", "b", "a", "b", "c", "a", "c"],
    ...     "date": pd.to_datetime(["2024-01-03", "2024-01-05", "2024-02-03", "2024-02-09",
    ...                             "2024-02-10", "2024-03-01", "2024-03-02"]),
    ...     "amount": [10.0, 20.0, 10.0, 20.0, 30.0, 10.0, 30.0]})
    >>> p = engine_params(cust, tx, gross_margin=0.5)
    >>> p["cac"], round(p["base_retention"], 3), p["margin_per_customer"]
    (20.0, 0.833, 10.0)
    """
    from crm_lessons.retention import period_retention

    _require(customers, [customer_id, cost], "customers")
    rows = _margin_rows(
        transactions, customer_id=customer_id, date=date, amount=amount, gross_margin=gross_margin
    )
    pr = period_retention(transactions, freq=freq, customer_id=customer_id, date=date)
    prev = pr["active"].shift(1)
    returning = ((pr["active"] - pr["new"]) / prev.where(prev > 0)).iloc[1:]
    if recent_periods is not None:
        returning = returning.iloc[-int(recent_periods) :]
    returning = returning.dropna()
    if returning.empty:
        raise ValueError("need purchases in at least two periods to estimate retention")
    rows["p"] = pd.Series(rows["d"]).dt.to_period(freq).array.asi8
    per_active = rows.groupby(["p", "c"])["m"].sum().groupby("p").mean()
    paid = customers.loc[customers[cost] > 0, cost]
    n_periods = max(len(pr), 1)
    return {
        "cac": float(paid.mean()) if len(paid) else 0.0,
        "base_retention": float(returning.median()),
        "margin_per_customer": float(per_active.median()),
        "start_customers": int(pr["active"].iloc[-2] if len(pr) > 1 else pr["active"].iloc[-1]),
        "budget_per_period": float(customers[cost].sum() / n_periods),
    }
