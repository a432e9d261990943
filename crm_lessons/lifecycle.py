"""Customer lifecycle management (客戶生命週期管理 / 客户生命周期管理).

A customer moves through six stages: **awareness** (認知), **consideration**
(考慮), **purchase** (購買), **use** (使用), **loyalty** (忠誠) and **churn**
(流失). Each stage has its own need and its own tactics (see
:data:`LIFECYCLE_PLAYBOOK`). This module

* assigns every known customer a stage at any as-of date from events and
  purchase behaviour (:func:`assign_stages`, rules below),
* repeats that month by month (:func:`stage_history`) and turns it into a
  stage-to-stage transition matrix, the *Markov view* of the customer base
  (:func:`transition_counts`, :func:`transition_matrix`),
* measures how long customers stay in each stage (:func:`time_in_stage`,
  :func:`expected_months_in_stage`),
* forecasts stage sizes a few months ahead from the matrix
  (:func:`forecast_stage_sizes`),
* turns stages into an action list with the stage's need and tactics
  (:func:`playbook`, :func:`stage_actions`, :func:`customer_actions`),
* draws the stage sizes and the flow between stages (:func:`plot_stage_sizes`,
  :func:`plot_stage_flow`).

The stage rules
---------------
:func:`assign_stages` looks only at what happened **on or before** the as-of
day and applies the first rule that fits:

1. **churn**: the customer has bought before, but the last purchase is more
   than ``churn_days`` days ago.
2. **loyalty**: at least ``loyal_orders`` purchases in the last
   ``loyal_days`` days.
3. **purchase**: the first purchase ever was at most ``new_days`` days ago
   (a new buyer who needs a smooth first experience).
4. **use**: has bought, is not lapsed, not new and not (yet) loyal.
5. **consideration**: has never bought, but has shown interest: a
   ``consideration`` event in ``events`` (e.g. a product page visit or a
   clicked message) on or before the as-of day.
6. **awareness**: has never bought and shown no interest, but is known to the
   business (signed up, or an ``awareness`` event).

A customer the business does not know yet at the as-of day (no sign-up, no
event, no purchase) gets no row. A purchase is an order with a customer id, a
positive amount and not flagged as a return; the other rows are counted in
``result.attrs["excluded_rows"]``, never dropped silently. Stages recorded in
``events`` other than awareness and consideration are not used: those stages
are derived from behaviour, which is what the business can check.

Examples
--------
>>> import pandas as pd
>>> orders = pd.DataFrame({
...     "customer_id": ["A", "A", "A", "B", "C"],
...     "date": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-03-01",
...                             "2024-03-20", "2023-10-01"]),
...     "amount": [10.0, 12.0, 9.0, 30.0, 15.0]})
>>> assign_stages(orders, as_of="2024-03-31")["stage"].tolist()
['loyalty', 'purchase', 'churn']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from crm_lessons import schema
from crm_lessons._checks import as_timestamp
from crm_lessons._checks import require_columns as _check_columns

__all__ = [
    "LIFECYCLE_PLAYBOOK",
    "STAGES",
    "StageInfo",
    "assign_stages",
    "customer_actions",
    "entrants",
    "expected_months_in_stage",
    "forecast_stage_sizes",
    "playbook",
    "plot_stage_flow",
    "plot_stage_sizes",
    "stage_actions",
    "stage_counts",
    "stage_history",
    "time_in_stage",
    "transition_counts",
    "transition_matrix",
]

#: The six lifecycle stages, in their natural order.
STAGES: tuple[str, ...] = ("awareness", "consideration", "purchase", "use", "loyalty", "churn")
_STAGE_DTYPE = pd.CategoricalDtype(list(STAGES), ordered=True)
_PRE_PURCHASE = ("awareness", "consideration")


@dataclass(frozen=True)
class StageInfo:
    """One lifecycle stage with the customer's need and the tactics that serve it."""

    stage: str
    zh_tw: str
    zh_cn: str
    need: str
    need_zh_tw: str
    tactics: tuple[str, ...]
    tactics_zh_tw: str
    watch: str


#: Stage -> customer need -> tactics (the course's domain digest, section 4),
#: plus the number to watch at each stage.
LIFECYCLE_PLAYBOOK: tuple[StageInfo, ...] = (
    StageInfo("awareness", "認知", "认知",
              "basic information, a good first impression", "基本資訊、第一印象",
              ("content marketing", "social media"), "內容行銷、社群媒體",
              "share of known contacts who show interest"),
    StageInfo("consideration", "考慮", "考虑",
              "compare and evaluate the options", "比較與評估",
              ("comparison material", "customer reviews"), "比較資料、顧客評價",
              "share of interested contacts who buy"),
    StageInfo("purchase", "購買", "购买",
              "a smooth first transaction", "順暢的首次交易",
              ("simpler checkout", "live support"), "簡化結帳流程、即時客服",
              "share of first-time buyers who buy a second time"),
    StageInfo("use", "使用", "使用",
              "a good experience and after-sales service", "良好體驗、售後服務",
              ("usage guides", "follow-up contact", "ask for feedback"),
              "使用指南、定期回訪、收集意見",
              "purchase frequency, satisfaction, complaints"),
    StageInfo("loyalty", "忠誠", "忠诚",
              "continued value and member benefits", "持續的價值、會員福利",
              ("membership programme", "personalised recommendations"),
              "會員制度、個人化推薦",
              "share of wallet, referrals, churn of loyal customers"),
    StageInfo("churn", "流失", "流失",
              "problems solved, renewed attention", "問題得到解決、重新被重視",
              ("churn early-warning", "win-back offers"), "流失預警、挽回優惠",
              "share of lapsed customers won back"),
)  # fmt: skip


def playbook(*, chinese: bool = True) -> pd.DataFrame:
    """Return the stage -> need -> tactics table.

    Parameters
    ----------
    chinese : bool, default True
        Include the Chinese stage names, need and tactics.

    Returns
    -------
    pandas.DataFrame
        Indexed by stage (in lifecycle order); columns ``繁體中文``, ``简体中文``,
        ``need``, ``需求``, ``tactics``, ``策略``, ``watch`` (the number to
        follow at that stage).

    Examples
    --------
    >>> pb = playbook()
    >>> pb.loc["churn", "繁體中文"], pb.loc["churn", "tactics"]
    ('流失', 'churn early-warning; win-back offers')
    >>> list(playbook(chinese=False).columns)
    ['need', 'tactics', 'watch']
    """
    rows = [
        {
            "stage": s.stage,
            "繁體中文": s.zh_tw,
            "简体中文": s.zh_cn,
            "need": s.need,
            "需求": s.need_zh_tw,
            "tactics": "; ".join(s.tactics),
            "策略": s.tactics_zh_tw,
            "watch": s.watch,
        }
        for s in LIFECYCLE_PLAYBOOK
    ]
    df = pd.DataFrame(rows).set_index("stage")
    if not chinese:
        df = df[["need", "tactics", "watch"]]
    return df


def _check_positive_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"{name}={value!r} is not valid; use a whole number of days >= 1")
    return int(value)


def _purchases(
    orders: pd.DataFrame,
    *,
    customer_id: str,
    date: str,
    amount: str,
    is_return: str,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Keep the rows that are purchases by a known customer; count the rest."""
    _check_columns(orders, [customer_id, date, amount], "orders")
    no_id = orders[customer_id].isna()
    ret = orders[is_return].fillna(False).astype(bool) if is_return in orders else False
    not_positive = ~(orders[amount] > 0)
    excluded = {
        "no customer id (walk-in sale)": int(no_id.sum()),
        "return, refund or zero amount": int((~no_id & (ret | not_positive)).sum()),
    }
    keep = ~no_id & ~ret & ~not_positive
    out = orders.loc[keep, [customer_id, date]].copy()
    out[date] = pd.to_datetime(out[date]).dt.normalize()
    return out, excluded


def assign_stages(
    orders: pd.DataFrame,
    *,
    as_of: str | pd.Timestamp,
    customers: pd.DataFrame | None = None,
    events: pd.DataFrame | None = None,
    churn_days: int = 90,
    new_days: int = 30,
    loyal_orders: int = 3,
    loyal_days: int = 180,
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
    amount: str = schema.AMOUNT,
    is_return: str = schema.IS_RETURN,
    signup_date: str = "signup_date",
    stage: str = "stage",
) -> pd.DataFrame:
    """Give every customer known at ``as_of`` a lifecycle stage.

    The rules are in the module docstring; in short, the first that fits of:
    churn (last purchase > ``churn_days`` ago), loyalty (>= ``loyal_orders``
    purchases in the last ``loyal_days``), purchase (first purchase <=
    ``new_days`` ago), use (any other buyer), consideration (never bought,
    showed interest), awareness (never bought, known).

    Parameters
    ----------
    orders : pandas.DataFrame
        One row per order (or transaction): ``customer_id``, ``date``,
        ``amount`` and optionally ``is_return``.
    as_of : str or pandas.Timestamp
        The day the stages are taken; everything that happened on or before
        that day counts, nothing after it.
    customers : pandas.DataFrame, optional
        With ``customer_id`` and ``signup_date``: customers known to the
        business (e.g. signed up for the newsletter) before they buy.
    events : pandas.DataFrame, optional
        Lifecycle events with ``customer_id``, ``stage`` and ``date``; only
        ``awareness`` and ``consideration`` events are used.
    churn_days : int, default 90
        Days without a purchase after which a buyer counts as churned. Pick it
        from the business's normal gap between purchases (a cafe: weeks; a
        furniture shop: years).
    new_days : int, default 30
        How long after the first purchase a buyer counts as new (purchase stage).
    loyal_orders, loyal_days : int, default 3 and 180
        Purchases needed within the last ``loyal_days`` days to count as loyal.
    customer_id, date, amount, is_return, signup_date, stage : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        One row per known customer, sorted by ``customer_id``: ``customer_id``,
        ``stage`` (ordered categorical), ``orders_total``, ``orders_recent``
        (in the last ``loyal_days``), ``days_since_first`` and
        ``days_since_last`` purchase (missing for non-buyers).
        ``attrs["excluded_rows"]`` counts order rows that are not purchases.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["A", "B", "B", None],
    ...     "date": pd.to_datetime(["2024-01-10", "2023-06-01", "2024-01-02", "2024-01-03"]),
    ...     "amount": [5.0, 8.0, 7.0, 4.0]})
    >>> customers = pd.DataFrame({"customer_id": ["A", "B", "C", "D"],
    ...     "signup_date": pd.to_datetime(["2024-01-01", "2023-05-01", "2023-12-01",
    ...                                     "2024-06-01"])})
    >>> events = pd.DataFrame({"customer_id": ["C"], "stage": ["consideration"],
    ...                        "date": pd.to_datetime(["2024-01-15"])})
    >>> st = assign_stages(orders, as_of="2024-01-31", customers=customers, events=events)
    >>> st[["customer_id", "stage", "days_since_last"]]
      customer_id          stage  days_since_last
    0           A       purchase             21.0
    1           B            use             29.0
    2           C  consideration              NaN
    >>> st.attrs["excluded_rows"]["no customer id (walk-in sale)"]
    1
    """
    churn_days = _check_positive_int(churn_days, "churn_days")
    new_days = _check_positive_int(new_days, "new_days")
    loyal_orders = _check_positive_int(loyal_orders, "loyal_orders")
    loyal_days = _check_positive_int(loyal_days, "loyal_days")
    day = as_timestamp(as_of, "as_of").normalize()

    buys, excluded = _purchases(
        orders, customer_id=customer_id, date=date, amount=amount, is_return=is_return
    )
    buys = buys[buys[date] <= day]
    g = buys.groupby(customer_id, observed=True)[date]
    stats = pd.DataFrame(
        {
            "orders_total": g.size(),
            "first": g.min(),
            "last": g.max(),
            "orders_recent": buys[buys[date] > day - pd.Timedelta(days=loyal_days)]
            .groupby(customer_id, observed=True)
            .size(),
        }
    )

    known = set(stats.index)
    considered: set = set()
    if customers is not None:
        _check_columns(customers, [customer_id, signup_date], "customers")
        signed = customers.loc[
            pd.to_datetime(customers[signup_date]).dt.normalize() <= day, customer_id
        ]
        known |= set(signed.dropna())
    if events is not None:
        _check_columns(events, [customer_id, stage, date], "events")
        ev = events[pd.to_datetime(events[date]).dt.normalize() <= day]
        ev = ev[ev[stage].isin(_PRE_PURCHASE)]
        known |= set(ev[customer_id].dropna())
        considered = set(ev.loc[ev[stage] == "consideration", customer_id].dropna())

    out = pd.DataFrame(index=pd.Index(sorted(known), name=customer_id))
    out = out.join(stats)
    out["orders_total"] = out["orders_total"].fillna(0).astype("int64")
    out["orders_recent"] = out["orders_recent"].fillna(0).astype("int64")
    out["days_since_first"] = (day - out["first"]).dt.days.astype("float64")
    out["days_since_last"] = (day - out["last"]).dt.days.astype("float64")

    bought = out["orders_total"] > 0
    conditions = [
        bought & (out["days_since_last"] > churn_days),
        bought & (out["orders_recent"] >= loyal_orders),
        bought & (out["days_since_first"] <= new_days),
        bought,
        out.index.isin(list(considered)),
    ]
    choices = ["churn", "loyalty", "purchase", "use", "consideration"]
    labels = np.select(conditions, choices, default="awareness")
    out[stage] = pd.Categorical(labels, dtype=_STAGE_DTYPE)
    out = out.reset_index()[
        [
            customer_id,
            stage,
            "orders_total",
            "orders_recent",
            "days_since_first",
            "days_since_last",
        ]
    ]
    out[customer_id] = out[customer_id].astype("string")
    out.attrs["excluded_rows"] = excluded
    out.attrs["as_of"] = str(day.date())
    return out


def stage_history(
    orders: pd.DataFrame,
    *,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    freq: str = "ME",
    progress: bool = False,
    customer_id: str = schema.CUSTOMER_ID,
    stage: str = "stage",
    **rules: object,
) -> pd.DataFrame:
    """Assign stages at every period end between ``start`` and ``end``.

    Parameters
    ----------
    orders : pandas.DataFrame
        As for :func:`assign_stages`.
    start, end : str or pandas.Timestamp
        First and last as-of dates are the period ends falling in this range.
    freq : str, default "ME"
        pandas frequency of the snapshots ("ME" month end, "W" weekly, ...).
    progress : bool, default False
        Show a progress bar.
    customer_id, stage : str
        Column names.
    **rules
        Passed to :func:`assign_stages` (``customers``, ``events``,
        ``churn_days``, other column names ...).

    Returns
    -------
    pandas.DataFrame
        Long table ``period, customer_id, stage`` (one row per customer known
        at that period end).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["A", "A", "B"],
    ...     "date": pd.to_datetime(["2024-01-10", "2024-02-10", "2024-02-20"]),
    ...     "amount": [5.0, 6.0, 7.0]})
    >>> h = stage_history(orders, start="2024-01-01", end="2024-03-31")
    >>> h.pivot(index="customer_id", columns="period", values="stage").to_numpy().tolist()
    [['purchase', 'use', 'use'], [nan, 'purchase', 'use']]
    """
    periods = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq=freq)
    if len(periods) == 0:
        raise ValueError(
            f"no {freq!r} period end between start={start!r} and end={end!r}; "
            "widen the range or change freq"
        )
    iterator: Iterable = periods
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(periods, desc="stages", unit="period")
    frames = []
    for p in iterator:
        st = assign_stages(
            orders,
            as_of=p,
            customer_id=customer_id,
            stage=stage,
            **rules,  # type: ignore[arg-type]
        )
        frames.append(pd.DataFrame({"period": p, customer_id: st[customer_id], stage: st[stage]}))
    out = pd.concat(frames, ignore_index=True)
    out[stage] = out[stage].astype(_STAGE_DTYPE)
    return out


def stage_counts(
    history: pd.DataFrame, *, period: str = "period", stage: str = "stage"
) -> pd.DataFrame:
    """Count customers per stage and period (periods as rows, stages as columns).

    Parameters
    ----------
    history : pandas.DataFrame
        From :func:`stage_history`.
    period, stage : str
        Column names.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> h = pd.DataFrame({"period": [1, 1, 2], "customer_id": ["A", "B", "A"],
    ...                   "stage": ["use", "churn", "use"]})
    >>> stage_counts(h).loc[1].tolist()
    [0, 0, 0, 1, 0, 1]
    """
    _check_columns(history, [period, stage], "history")
    st = history[stage].astype(_STAGE_DTYPE)
    return pd.crosstab(history[period], st, dropna=False).reindex(
        columns=list(STAGES), fill_value=0
    )


def _pairs(
    history: pd.DataFrame, *, period: str, customer_id: str, stage: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    _check_columns(history, [period, customer_id, stage], "history")
    periods = np.sort(history[period].unique())
    nxt = dict(zip(periods[:-1], periods[1:], strict=True))
    h = history[[period, customer_id, stage]].copy()
    h[stage] = h[stage].astype(str)
    unknown = sorted(set(h[stage]) - set(STAGES))
    if unknown:
        raise ValueError(f"history[{stage!r}] has unknown stage(s) {unknown}; valid: {STAGES}")
    h["_next"] = h[period].map(nxt)
    merged = h.dropna(subset=["_next"]).merge(
        h[[period, customer_id, stage]].rename(columns={period: "_next", stage: "_to"}),
        on=["_next", customer_id],
        how="right",
    )
    # rows with no "from" stage are customers first seen in that period: entrants
    moves = merged.dropna(subset=[stage])
    new = merged[merged[stage].isna()]
    new = new[new["_next"] != periods[0]]
    return moves, new


def transition_counts(
    history: pd.DataFrame,
    *,
    period: str = "period",
    customer_id: str = schema.CUSTOMER_ID,
    stage: str = "stage",
) -> pd.DataFrame:
    """Count moves from each stage (rows) to each stage (columns) one period later.

    Only customers present in two consecutive periods count; customers seen
    for the first time are counted by :func:`entrants` instead.

    Parameters
    ----------
    history : pandas.DataFrame
        From :func:`stage_history`.
    period, customer_id, stage : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        6 x 6 counts, index "from" stage, columns "to" stage, in lifecycle order.

    Examples
    --------
    >>> h = pd.DataFrame({"period": [1, 1, 2, 2, 2],
    ...                   "customer_id": ["A", "B", "A", "B", "C"],
    ...                   "stage": ["purchase", "use", "use", "churn", "awareness"]})
    >>> c = transition_counts(h)
    >>> int(c.loc["purchase", "use"]), int(c.loc["use", "churn"]), int(c.to_numpy().sum())
    (1, 1, 2)
    """
    moves, _ = _pairs(history, period=period, customer_id=customer_id, stage=stage)
    ct = pd.crosstab(
        pd.Categorical(moves[stage], categories=list(STAGES)),
        pd.Categorical(moves["_to"], categories=list(STAGES)),
        dropna=False,
    )
    ct = ct.reindex(index=list(STAGES), columns=list(STAGES), fill_value=0)
    ct.index.name, ct.columns.name = "from", "to"
    return ct


def entrants(
    history: pd.DataFrame,
    *,
    period: str = "period",
    customer_id: str = schema.CUSTOMER_ID,
    stage: str = "stage",
) -> pd.DataFrame:
    """Count customers seen for the first time in each period, by their first stage.

    The first period is left out (everyone is "new" there).

    Parameters
    ----------
    history : pandas.DataFrame
        From :func:`stage_history`.
    period, customer_id, stage : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Periods as rows, stages as columns.

    Examples
    --------
    >>> h = pd.DataFrame({"period": [1, 1, 2, 2, 2],
    ...                   "customer_id": ["A", "B", "A", "B", "C"],
    ...                   "stage": ["purchase", "use", "use", "churn", "awareness"]})
    >>> entrants(h).loc[2, "awareness"].item()
    1
    """
    _, new = _pairs(history, period=period, customer_id=customer_id, stage=stage)
    ct = pd.crosstab(
        new["_next"], pd.Categorical(new["_to"], categories=list(STAGES)), dropna=False
    )
    periods = np.sort(history[period].unique())[1:]
    ct = ct.reindex(index=periods, columns=list(STAGES), fill_value=0)
    ct.index.name, ct.columns.name = period, "stage"
    return ct


def transition_matrix(
    history: pd.DataFrame,
    *,
    period: str = "period",
    customer_id: str = schema.CUSTOMER_ID,
    stage: str = "stage",
) -> pd.DataFrame:
    """Estimate the one-period transition probabilities between stages.

    Row ``i`` gives, for a customer in stage ``i`` now, the chance of being in
    each stage one period later (rows sum to 1): the maximum-likelihood
    estimate of a Markov chain, counts divided by row totals. A stage never
    observed as a "from" stage gets a row that stays put (1 on the diagonal),
    so the matrix is always a valid Markov matrix; check
    :func:`transition_counts` for how much data each row rests on.

    Parameters
    ----------
    history : pandas.DataFrame
        From :func:`stage_history`.
    period, customer_id, stage : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        6 x 6 probabilities.

    Examples
    --------
    >>> h = pd.DataFrame({"period": [1, 1, 1, 2, 2, 2],
    ...                   "customer_id": ["A", "B", "C", "A", "B", "C"],
    ...                   "stage": ["use", "use", "use", "use", "loyalty", "churn"]})
    >>> transition_matrix(h).loc["use"].round(3).tolist()
    [0.0, 0.0, 0.0, 0.333, 0.333, 0.333]
    >>> transition_matrix(h).loc["awareness", "awareness"].item()
    1.0
    """
    counts = transition_counts(history, period=period, customer_id=customer_id, stage=stage)
    totals = counts.sum(axis=1)
    probs = counts.div(totals.replace(0, np.nan), axis=0).astype("float64")
    for s in totals.index[totals == 0]:
        probs.loc[s] = 0.0
        probs.loc[s, s] = 1.0
    return probs


def expected_months_in_stage(matrix: pd.DataFrame) -> pd.Series:
    """Expected periods a customer stays in each stage once there: ``1 / (1 - p_ii)``.

    Under the Markov view the stay in a stage is geometric: each period the
    customer stays with probability ``p_ii``. A stage with ``p_ii = 1`` (no
    way out) gets infinity.

    Parameters
    ----------
    matrix : pandas.DataFrame
        From :func:`transition_matrix`.

    Returns
    -------
    pandas.Series

    Examples
    --------
    >>> m = pd.DataFrame([[0.75, 0.25], [0.0, 1.0]], index=["use", "churn"],
    ...                  columns=["use", "churn"])
    >>> expected_months_in_stage(m).tolist()
    [4.0, inf]
    """
    stay = pd.Series(np.diag(matrix.to_numpy(dtype="float64")), index=matrix.index)
    with np.errstate(divide="ignore"):
        out = 1.0 / (1.0 - stay)
    return out.rename("expected_periods")


def time_in_stage(
    history: pd.DataFrame,
    *,
    period: str = "period",
    customer_id: str = schema.CUSTOMER_ID,
    stage: str = "stage",
) -> pd.DataFrame:
    """Measure how many periods customers spend in each stage.

    A *spell* is an unbroken run of periods in one stage. A spell still going
    at the last period is *censored*: its true length is at least what we see,
    so the mean of observed spells understates the stay when many are
    censored. Spells already under way at the first period are censored on the
    left in the same way.

    Parameters
    ----------
    history : pandas.DataFrame
        From :func:`stage_history`.
    period, customer_id, stage : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Per stage: ``spells``, ``mean_periods``, ``median_periods``,
        ``max_periods`` and ``share_censored`` (share of spells cut by the
        start or end of the data).

    Examples
    --------
    >>> h = pd.DataFrame({"period": [1, 2, 3, 4, 1, 2, 3, 4],
    ...                   "customer_id": list("AAAABBBB"),
    ...                   "stage": ["purchase", "use", "use", "churn",
    ...                             "use", "use", "use", "loyalty"]})
    >>> t = time_in_stage(h)
    >>> t.loc["use", ["spells", "mean_periods", "share_censored"]].tolist()
    [2.0, 2.5, 0.5]
    """
    _check_columns(history, [period, customer_id, stage], "history")
    h = history[[customer_id, period, stage]].sort_values([customer_id, period])
    h = h.assign(_st=h[stage].astype(str))
    first_p, last_p = h[period].min(), h[period].max()
    ids = h[customer_id].to_numpy(dtype=object)
    st = h["_st"].to_numpy(dtype=object)
    new_spell = np.ones(len(h), dtype=bool)
    new_spell[1:] = (st[1:] != st[:-1]) | (ids[1:] != ids[:-1])
    h["_spell"] = new_spell.cumsum()
    spells = h.groupby("_spell").agg(
        stage=("_st", "first"),
        periods=(period, "size"),
        start=(period, "min"),
        end=(period, "max"),
    )
    spells["censored"] = (spells["start"] == first_p) | (spells["end"] == last_p)
    g = spells.groupby("stage")
    out = pd.DataFrame(
        {
            "spells": g.size().astype("float64"),
            "mean_periods": g["periods"].mean(),
            "median_periods": g["periods"].median(),
            "max_periods": g["periods"].max().astype("float64"),
            "share_censored": g["censored"].mean(),
        }
    ).reindex(list(STAGES))
    out["spells"] = out["spells"].fillna(0.0)
    out.index.name = "stage"
    return out


def forecast_stage_sizes(
    current: pd.Series,
    matrix: pd.DataFrame,
    *,
    periods: int = 3,
    inflow: pd.Series | None = None,
) -> pd.DataFrame:
    """Project stage sizes ahead with the transition matrix: ``n[t+1] = n[t] P + inflow``.

    Parameters
    ----------
    current : pandas.Series
        Customers per stage now (index: stage names; missing stages are 0).
    matrix : pandas.DataFrame
        From :func:`transition_matrix`.
    periods : int, default 3
        How many periods ahead.
    inflow : pandas.Series, optional
        New customers expected to enter each stage per period (e.g. the mean
        of :func:`entrants`); none when omitted.

    Returns
    -------
    pandas.DataFrame
        Rows ``0`` (now) to ``periods``, columns stages, expected counts.

    Examples
    --------
    >>> m = pd.DataFrame(0.0, index=list(STAGES), columns=list(STAGES))
    >>> for s in STAGES:
    ...     m.loc[s, s] = 1.0
    >>> m.loc["use"] = 0.0
    >>> m.loc["use", ["use", "churn"]] = [0.8, 0.2]
    >>> f = forecast_stage_sizes(pd.Series({"use": 100, "churn": 0}), m, periods=2,
    ...                          inflow=pd.Series({"purchase": 10}))
    >>> f[["purchase", "use", "churn"]].to_numpy().tolist()
    [[0.0, 100.0, 0.0], [10.0, 80.0, 20.0], [20.0, 64.0, 36.0]]
    """
    if isinstance(periods, bool) or not isinstance(periods, int | np.integer) or periods < 1:
        raise ValueError(f"periods={periods!r} is not valid; use a whole number >= 1")
    if list(matrix.index) != list(STAGES) or list(matrix.columns) != list(STAGES):
        raise ValueError(
            f"matrix must have the stages {STAGES} as index and columns in that order "
            "(use transition_matrix)"
        )
    p = matrix.to_numpy(dtype="float64")
    if np.any(p < 0) or not np.allclose(p.sum(axis=1), 1.0):
        raise ValueError("matrix rows must be probabilities summing to 1")
    for name, s in (("current", current), ("inflow", inflow)):
        if s is not None:
            extra = sorted(set(map(str, s.index)) - set(STAGES))
            if extra:
                raise ValueError(f"{name} has unknown stage(s) {extra}; valid: {STAGES}")
    n = current.reindex(list(STAGES), fill_value=0).to_numpy(dtype="float64")
    add = (
        np.zeros(len(STAGES))
        if inflow is None
        else inflow.reindex(list(STAGES), fill_value=0).to_numpy(dtype="float64")
    )
    rows = [n]
    for _ in range(int(periods)):
        n = n @ p + add
        rows.append(n)
    out = pd.DataFrame(rows, columns=list(STAGES))
    out.index.name = "periods_ahead"
    return out


def stage_actions(stages: pd.DataFrame, *, stage: str = "stage") -> pd.DataFrame:
    """Turn a stage assignment into an action list: one row per stage.

    Parameters
    ----------
    stages : pandas.DataFrame
        From :func:`assign_stages` (or any table with a ``stage`` column).
    stage : str
        Column name.

    Returns
    -------
    pandas.DataFrame
        Per stage (lifecycle order): ``繁體中文``, ``customers``, ``share``,
        ``need``, ``tactics`` and ``watch``.

    Examples
    --------
    >>> st = pd.DataFrame({"customer_id": ["A", "B", "C", "D"],
    ...                    "stage": ["use", "use", "churn", "loyalty"]})
    >>> a = stage_actions(st)
    >>> int(a.loc["use", "customers"]), float(a.loc["use", "share"])
    (2, 0.5)
    >>> a.loc["churn", "tactics"]
    'churn early-warning; win-back offers'
    """
    _check_columns(stages, [stage], "stages")
    counts = stages[stage].astype(str).value_counts().reindex(list(STAGES), fill_value=0)
    pb = playbook()
    out = pd.DataFrame(
        {
            "繁體中文": pb["繁體中文"],
            "customers": counts.astype("int64"),
            "share": (counts / max(len(stages), 1)).round(4),
            "need": pb["need"],
            "tactics": pb["tactics"],
            "watch": pb["watch"],
        }
    )
    out.index.name = "stage"
    return out


def customer_actions(
    stages: pd.DataFrame,
    *,
    customer_id: str = schema.CUSTOMER_ID,
    stage: str = "stage",
) -> pd.DataFrame:
    """Attach each customer's stage need and tactics: a to-do list per customer.

    Parameters
    ----------
    stages : pandas.DataFrame
        From :func:`assign_stages`.
    customer_id, stage : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        ``customer_id, stage, need, tactics``, sorted by stage then customer.

    Examples
    --------
    >>> st = pd.DataFrame({"customer_id": ["B", "A"], "stage": ["churn", "purchase"]})
    >>> customer_actions(st)["tactics"].tolist()
    ['simpler checkout; live support', 'churn early-warning; win-back offers']
    """
    _check_columns(stages, [customer_id, stage], "stages")
    pb = playbook(chinese=False)
    out = stages[[customer_id, stage]].copy()
    out[stage] = out[stage].astype(_STAGE_DTYPE)
    out["need"] = out[stage].astype(str).map(pb["need"])
    out["tactics"] = out[stage].astype(str).map(pb["tactics"])
    return out.sort_values([stage, customer_id]).reset_index(drop=True)


def plot_stage_sizes(
    history: pd.DataFrame,
    *,
    ax: plt.Axes | None = None,
    share: bool = False,
    period: str = "period",
    stage: str = "stage",
) -> plt.Axes:
    """Stacked area chart of how many customers are in each stage over time.

    Parameters
    ----------
    history : pandas.DataFrame
        From :func:`stage_history`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when omitted.
    share : bool, default False
        Show shares of the known customers instead of counts.
    period, stage : str
        Column names.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> h = pd.DataFrame({"period": pd.to_datetime(["2024-01-31"] * 2 + ["2024-02-29"] * 2),
    ...                   "customer_id": ["A", "B"] * 2,
    ...                   "stage": ["purchase", "use", "use", "churn"]})
    >>> ax = plot_stage_sizes(h)
    >>> len(ax.collections)
    6
    >>> plt.close(ax.figure)
    """
    counts = stage_counts(history, period=period, stage=stage)
    if share:
        counts = counts.div(counts.sum(axis=1), axis=0)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4.5))
    colors = _stage_colors()
    ax.stackplot(
        counts.index,
        *[counts[s].to_numpy(dtype="float64") for s in STAGES],
        labels=[_label(s) for s in STAGES],
        colors=[colors[s] for s in STAGES],
        alpha=0.9,
    )
    ax.set_title("Customers in each lifecycle stage")
    ax.set_xlabel("Month end")
    ax.set_ylabel("Share of known customers" if share else "Customers")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return ax


_ZH = {s.stage: s.zh_tw for s in LIFECYCLE_PLAYBOOK}


def _label(stage: str, sep: str = " ") -> str:
    """Stage name with its Chinese name when a font that can show it is installed."""
    return f"{stage}{sep}{_ZH[stage]}" if _cjk_font_available() else stage


def _cjk_font_available() -> bool:
    from matplotlib import font_manager

    from crm_lessons.plotting import _CJK_FONTS

    names = {f.name for f in font_manager.fontManager.ttflist}
    return any(name in names for name in _CJK_FONTS)


def _stage_colors() -> dict[str, tuple]:
    import seaborn as sns

    pal = sns.color_palette("colorblind", 8)
    return {
        "awareness": pal[7],
        "consideration": pal[4],
        "purchase": pal[1],
        "use": pal[0],
        "loyalty": pal[2],
        "churn": pal[3],
    }


def plot_stage_flow(
    counts: pd.DataFrame,
    *,
    ax: plt.Axes | None = None,
    min_share: float = 0.01,
    sizes: pd.Series | None = None,
) -> plt.Axes:
    """Draw the stages as circles and the monthly moves between them as arrows.

    Stages stand in lifecycle order from left to right; forward moves arc
    above the row, backward moves (e.g. churn -> use, a win-back) below it.
    An arrow's width is proportional to the number of customers making the
    move; its label is the share of the "from" stage making it each period.
    The share staying put is written under each circle.

    Parameters
    ----------
    counts : pandas.DataFrame
        From :func:`transition_counts`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when omitted.
    min_share : float, default 0.01
        Moves made by less than this share of the "from" stage are not drawn.
    sizes : pandas.Series, optional
        Customers per stage, for the circle sizes (default: row totals of
        ``counts``).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> c = pd.DataFrame(0, index=list(STAGES), columns=list(STAGES))
    >>> c.loc["purchase", "use"], c.loc["use", "use"], c.loc["use", "churn"] = 10, 50, 5
    >>> ax = plot_stage_flow(c)
    >>> len(ax.patches)
    2
    >>> plt.close(ax.figure)
    """
    from matplotlib.patches import FancyArrowPatch

    if list(counts.index) != list(STAGES) or list(counts.columns) != list(STAGES):
        raise ValueError(f"counts must have the stages {STAGES} as index and columns")
    c = counts.to_numpy(dtype="float64")
    totals = c.sum(axis=1)
    if sizes is None:
        sizes = pd.Series(totals, index=list(STAGES))
    sizes = sizes.reindex(list(STAGES), fill_value=0).astype("float64")
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 4.8))
    colors = _stage_colors()
    x = np.arange(len(STAGES), dtype="float64") * 2.0
    biggest = max(float(sizes.max()), 1.0)
    off_diag = c.copy()
    np.fill_diagonal(off_diag, 0.0)
    max_flow = max(float(off_diag.max()), 1.0)
    for i, s in enumerate(STAGES):
        ax.scatter(
            x[i], 0, s=300 + 2700 * sizes[s] / biggest, color=colors[s], zorder=3, alpha=0.9
        )
        ax.text(x[i], 0.0, _label(s, "\n"), ha="center", va="center", fontsize=9, zorder=4)
        stay = c[i, i] / totals[i] if totals[i] else np.nan
        label = f"n={int(sizes[s]):,}" + ("" if np.isnan(stay) else f"\nstay {stay:.0%}")
        ax.text(x[i], -0.42, label, ha="center", va="top", fontsize=8, color="0.25")
    for i in range(len(STAGES)):
        for j in range(len(STAGES)):
            if i == j or c[i, j] <= 0 or totals[i] == 0 or c[i, j] / totals[i] < min_share:
                continue
            forward = j > i
            y0 = 0.18 if forward else -0.18
            arrow = FancyArrowPatch(
                (x[i], y0),
                (x[j], y0),
                connectionstyle="arc3,rad=-0.35",
                arrowstyle="-|>",
                mutation_scale=12,
                linewidth=0.8 + 7.0 * c[i, j] / max_flow,
                color=colors[STAGES[j]] if forward else "0.45",
                alpha=0.75,
                zorder=2,
            )
            ax.add_patch(arrow)
            xm = (x[i] + x[j]) / 2
            height = abs(x[j] - x[i]) * 0.35 / 2
            ym = y0 + height if forward else y0 - height
            ax.text(
                xm,
                ym,
                f"{c[i, j] / totals[i]:.0%}",
                ha="center",
                va="bottom" if forward else "top",
                fontsize=8,
            )
    ax.set_xlim(x[0] - 1.0, x[-1] + 1.0)
    ax.set_ylim(-2.2, 2.2)
    ax.axis("off")
    ax.set_title("How customers move between lifecycle stages each month")
    return ax
