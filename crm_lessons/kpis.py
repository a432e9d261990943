"""The CRM KPI scorecard (關鍵績效指標 / 关键绩效指标): one table, two periods.

:func:`kpi_scorecard` computes the standard measures of a CRM programme for a
period and the period it is compared with (the one just before, or the same
dates a year earlier), with the change. :data:`KPI_DEFINITIONS` spells out
every definition; :func:`kpi_definitions` shows them as a table, with the
Chinese names.

Definitions (period ``P`` = ``start`` .. ``end``, both days included; a
*purchase* is an order by a known customer with a positive amount that is not
a return):

========================== ===================================================
satisfaction               mean ``overall_satisfaction`` (1-7) of survey
                           responses dated in P
NPS                        100 x (share of ``nps`` 9-10 - share 0-6) among
                           survey responses in P
active customers           customers with at least one purchase in P
new customers              customers whose first purchase ever is in P
churned customers          customers *active at the start* (a purchase in the
                           ``churn_days`` days before P) with no purchase in
                           the ``churn_days`` days up to the end of P
churn rate                 churned customers / customers active at the start
repeat rate                share of active customers with 2+ purchases in P
average order value        purchase revenue in P / number of purchases in P
sales                      net sales in P: all orders, refunds (negative)
                           and walk-in sales included
sales growth               sales in P / sales in the period before P - 1
CLV (simple)               :func:`crm_lessons.clv.retention_clv` with the
                           margin per period = margin x purchase revenue per
                           active customer in P, retention r = 1 - churn
                           rate and discount rate d: ``m r / (1 + d - r)``,
                           the value of the periods still to come
campaign ROI (naive)       (margin x revenue of treated customers - cost) /
                           cost, over messages sent in P
campaign ROI (incremental) the same with only the revenue above the control
                           group: sum over campaigns of n_treated x (mean
                           revenue treated - mean revenue control); only
                           campaigns with a control group
complaints                 support tickets opened in P
complaints per 100 active  complaints / active customers x 100
========================== ===================================================

Examples
--------
>>> import pandas as pd
>>> orders = pd.DataFrame({"customer_id": ["A", "A", "B"],
...     "date": pd.to_datetime(["2024-01-05", "2024-02-05", "2024-02-10"]),
...     "amount": [10.0, 20.0, 40.0]})
>>> k = kpi_scorecard(orders, start="2024-02-01", end="2024-02-29")
>>> k.loc[["active customers", "new customers", "average order value"], "current"].tolist()
[2.0, 1.0, 30.0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crm_lessons import schema
from crm_lessons._checks import as_timestamp
from crm_lessons.clv import retention_clv

__all__ = ["KPI_DEFINITIONS", "kpi_definitions", "kpi_scorecard", "period_kpis"]

#: KPI -> (繁體中文, 简体中文, definition). Order is the scorecard's row order.
KPI_DEFINITIONS: dict[str, tuple[str, str, str]] = {
    "satisfaction": ("滿意度", "满意度", "mean overall satisfaction (1-7) of survey responses in the period"),
    "NPS": ("淨推薦值", "净推荐值", "100 x (share scoring 9-10 - share scoring 0-6) on the recommend question"),
    "active customers": ("活躍顧客數", "活跃顾客数", "customers with at least one purchase in the period"),
    "new customers": ("新顧客數", "新顾客数", "customers whose first purchase ever is in the period"),
    "churned customers": ("流失顧客數", "流失顾客数", "active at the start, no purchase in the churn window up to the end"),
    "churn rate": ("流失率", "流失率", "churned customers / customers active at the start"),
    "repeat rate": ("回購率", "回购率", "share of active customers with 2+ purchases in the period"),
    "average order value": ("平均訂單金額", "平均订单金额", "purchase revenue / number of purchases"),
    "sales": ("銷售額", "销售额", "net sales: all orders incl. refunds and walk-in sales"),
    "sales growth": ("銷售成長率", "销售增长率", "sales / sales of the period before - 1"),
    "CLV (simple)": ("顧客終身價值", "顾客终身价值", "m r / (1 + d - r): m = margin x revenue per active customer, r = 1 - churn rate"),
    "campaign ROI (naive)": ("活動投資報酬率（粗估）", "活动投资回报率（粗估）", "(margin x revenue of treated - cost) / cost"),
    "campaign ROI (incremental)": ("活動投資報酬率（增量）", "活动投资回报率（增量）", "(margin x revenue above control - cost) / cost"),
    "complaints": ("客訴數", "客诉数", "support tickets opened in the period"),
    "complaints per 100 active": ("每百位活躍顧客客訴", "每百位活跃顾客客诉", "complaints / active customers x 100"),
}  # fmt: skip


def kpi_definitions() -> pd.DataFrame:
    """Return the KPI names (English, 繁體中文, 简体中文) and definitions.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> kpi_definitions().loc["churn rate", "繁體中文"]
    '流失率'
    """
    df = pd.DataFrame.from_dict(
        KPI_DEFINITIONS, orient="index", columns=["繁體中文", "简体中文", "definition"]
    )
    df.index.name = "kpi"
    return df


def _day(value: object, arg: str) -> pd.Timestamp:
    return as_timestamp(value, arg).normalize()


def _in(ts: pd.Series, lo: pd.Timestamp, hi_incl: pd.Timestamp) -> pd.Series:
    t = pd.to_datetime(ts)
    return (t >= lo) & (t < hi_incl + pd.Timedelta(days=1))


def period_kpis(
    orders: pd.DataFrame,
    *,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    surveys: pd.DataFrame | None = None,
    tickets: pd.DataFrame | None = None,
    touches: pd.DataFrame | None = None,
    churn_days: int = 90,
    margin: float = 1.0,
    discount_rate: float = 0.0,
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
    amount: str = schema.AMOUNT,
    is_return: str = schema.IS_RETURN,
) -> pd.Series:
    """Compute the KPIs of one period (``start`` .. ``end``, both days included).

    See the module docstring for the definitions; a KPI whose table is not
    given (surveys, tickets, touches) is NaN, never a made-up 0.

    Parameters
    ----------
    orders : pandas.DataFrame
        All orders (history before the period is needed for new and churned
        customers): ``customer_id``, ``date``, ``amount``, optional ``is_return``.
    start, end : str or pandas.Timestamp
        First and last day of the period.
    surveys : pandas.DataFrame, optional
        ``date``, ``overall_satisfaction``, ``nps``.
    tickets : pandas.DataFrame, optional
        ``opened_at``.
    touches : pandas.DataFrame, optional
        ``campaign_id``, ``date``, ``group``, ``cost``, ``revenue``.
    churn_days : int, default 90
        A customer without a purchase for more than this many days is churned.
    margin : float, default 1.0
        Gross margin used by CLV and campaign ROI.
    discount_rate : float, default 0.0
        Discount rate per period for CLV.
    customer_id, date, amount, is_return : str
        Column names of ``orders`` (``date`` also for surveys and touches).

    Returns
    -------
    pandas.Series
        Indexed by the KPI names of :data:`KPI_DEFINITIONS` except
        ``sales growth`` (which needs a second period).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["A", "A", "B", "C"],
    ...     "date": pd.to_datetime(["2023-12-20", "2024-01-10", "2023-12-05", "2024-01-15"]),
    ...     "amount": [10.0, 30.0, 5.0, 50.0]})
    >>> k = period_kpis(orders, start="2024-01-01", end="2024-01-31", churn_days=30)
    >>> k[["active customers", "churned customers", "churn rate", "sales"]].tolist()
    [2.0, 1.0, 0.5, 80.0]
    """
    s, e = _day(start, "start"), _day(end, "end")
    if e < s:
        raise ValueError(f"end={end!r} is before start={start!r}; end must be on or after start")
    if isinstance(churn_days, bool) or not isinstance(churn_days, int) or churn_days < 1:
        raise ValueError(f"churn_days={churn_days!r} is not valid; use a whole number >= 1")
    if not isinstance(margin, float | int) or not 0 < margin <= 1:
        raise ValueError(f"margin={margin!r} is not valid; use a share between 0 and 1")
    if not isinstance(discount_rate, float | int) or not 0 <= discount_rate < 1:
        raise ValueError(f"discount_rate={discount_rate!r} is not valid; use e.g. 0.01 per period")
    for col in (customer_id, date, amount):
        if col not in orders.columns:
            raise ValueError(f"orders lacks column {col!r}; it has {list(orders.columns)}")

    t = pd.to_datetime(orders[date])
    in_p = _in(t, s, e)
    ret = orders[is_return].fillna(False).astype(bool) if is_return in orders else False
    is_buy = orders[customer_id].notna() & (orders[amount] > 0) & ~ret
    buys = orders.loc[is_buy, [customer_id]].assign(_t=t[is_buy], _a=orders.loc[is_buy, amount])
    buys_p = buys[in_p[is_buy]]

    k: dict[str, float] = {}
    if surveys is not None:
        sv = surveys[_in(surveys[date], s, e)]
        k["satisfaction"] = float(sv["overall_satisfaction"].astype("float64").mean())
        nps = sv["nps"].astype("float64").dropna()
        k["NPS"] = float(100 * ((nps >= 9).mean() - (nps <= 6).mean())) if len(nps) else np.nan
    else:
        k["satisfaction"] = k["NPS"] = np.nan

    active = buys_p[customer_id].nunique()
    k["active customers"] = float(active)
    first = buys.groupby(customer_id)["_t"].min()
    k["new customers"] = float(_in(first, s, e).sum())
    win = pd.Timedelta(days=churn_days)
    at_start = set(buys.loc[(buys["_t"] >= s - win) & (buys["_t"] < s), customer_id])
    end_excl = e + pd.Timedelta(days=1)
    at_end = set(buys.loc[(buys["_t"] >= end_excl - win) & (buys["_t"] < end_excl), customer_id])
    churned = len(at_start - at_end)
    k["churned customers"] = float(churned)
    k["churn rate"] = churned / len(at_start) if at_start else np.nan
    per_cust = buys_p.groupby(customer_id).size()
    k["repeat rate"] = float((per_cust >= 2).mean()) if active else np.nan
    revenue = float(buys_p["_a"].sum())
    k["average order value"] = revenue / len(buys_p) if len(buys_p) else np.nan
    k["sales"] = float(orders.loc[in_p, amount].sum())
    rate = k["churn rate"]
    k["CLV (simple)"] = np.nan
    if active and not np.isnan(rate) and (rate > 0 or discount_rate > 0):
        k["CLV (simple)"] = retention_clv(margin * revenue / active, 1.0 - rate, discount_rate)

    if touches is not None:
        tc = touches[_in(touches[date], s, e)]
        treated = tc[tc["group"].astype(str) == "treatment"]
        cost = float(treated["cost"].sum())
        naive = (margin * float(treated["revenue"].sum()) - cost) / cost if cost > 0 else np.nan
        inc_rev, inc_cost = 0.0, 0.0
        for _, camp in tc.groupby("campaign_id", sort=True):
            g = camp["group"].astype(str)
            if (g == "control").any() and (g == "treatment").any():
                rt = camp.loc[g == "treatment", "revenue"].astype("float64")
                rc = camp.loc[g == "control", "revenue"].astype("float64")
                inc_rev += len(rt) * (rt.mean() - rc.mean())
                inc_cost += float(camp.loc[g == "treatment", "cost"].sum())
        k["campaign ROI (naive)"] = naive
        k["campaign ROI (incremental)"] = (
            (margin * inc_rev - inc_cost) / inc_cost if inc_cost > 0 else np.nan
        )
    else:
        k["campaign ROI (naive)"] = k["campaign ROI (incremental)"] = np.nan

    if tickets is not None:
        n_t = float(_in(tickets["opened_at"], s, e).sum())
        k["complaints"] = n_t
        k["complaints per 100 active"] = 100 * n_t / active if active else np.nan
    else:
        k["complaints"] = k["complaints per 100 active"] = np.nan
    order = [name for name in KPI_DEFINITIONS if name != "sales growth"]
    return pd.Series(k, dtype="float64").reindex(order)


def kpi_scorecard(
    orders: pd.DataFrame,
    *,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    compare: str = "previous",
    surveys: pd.DataFrame | None = None,
    tickets: pd.DataFrame | None = None,
    touches: pd.DataFrame | None = None,
    churn_days: int = 90,
    margin: float = 1.0,
    discount_rate: float = 0.0,
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
    amount: str = schema.AMOUNT,
    is_return: str = schema.IS_RETURN,
) -> pd.DataFrame:
    """The CRM scorecard for a period, compared with an earlier period.

    Parameters
    ----------
    orders : pandas.DataFrame
        All orders (see :func:`period_kpis`).
    start, end : str or pandas.Timestamp
        First and last day of the period (both included).
    compare : {"previous", "year"}, default "previous"
        Compare with the period of equal length just before (``previous``) or
        with the same dates a year earlier (``year``, which removes the
        season from the comparison).
    surveys, tickets, touches : pandas.DataFrame, optional
        Tables for satisfaction/NPS, complaints and campaign ROI.
    churn_days : int, default 90
        Days without a purchase after which a customer counts as churned.
    margin : float, default 1.0
        Gross margin for CLV and ROI.
    discount_rate : float, default 0.0
        Discount rate per period for CLV.
    customer_id, date, amount, is_return : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Index: the KPIs of :data:`KPI_DEFINITIONS`; columns ``previous``,
        ``current``, ``change`` (current - previous) and ``change_pct``
        (change / |previous|). ``attrs`` holds the two periods' dates.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["A", "B", "A", "C"],
    ...     "date": pd.to_datetime(["2024-01-10", "2024-01-20", "2024-02-05", "2024-02-07"]),
    ...     "amount": [10.0, 30.0, 20.0, 40.0]})
    >>> k = kpi_scorecard(orders, start="2024-02-01", end="2024-02-29")
    >>> k.loc["sales", ["previous", "current", "change", "change_pct"]].tolist()
    [40.0, 60.0, 20.0, 0.5]
    >>> k.attrs["previous"]
    ('2024-01-03', '2024-01-31')
    """
    s, e = _day(start, "start"), _day(end, "end")
    if e < s:
        raise ValueError(f"end={end!r} is before start={start!r}; end must be on or after start")
    length = e - s + pd.Timedelta(days=1)
    if compare == "previous":
        ps, pe = s - length, s - pd.Timedelta(days=1)
    elif compare == "year":
        ps, pe = s - pd.DateOffset(years=1), e - pd.DateOffset(years=1)
    else:
        raise ValueError(f"compare={compare!r} is not valid; use 'previous' or 'year'")
    kw = {
        "surveys": surveys,
        "tickets": tickets,
        "touches": touches,
        "churn_days": churn_days,
        "margin": margin,
        "discount_rate": discount_rate,
        "customer_id": customer_id,
        "date": date,
        "amount": amount,
        "is_return": is_return,
    }
    cur = period_kpis(orders, start=s, end=e, **kw)
    prev = period_kpis(orders, start=ps, end=pe, **kw)

    def sales_before(a: pd.Timestamp, b: pd.Timestamp) -> float:
        n = b - a + pd.Timedelta(days=1)
        return float(orders.loc[_in(orders[date], a - n, a - pd.Timedelta(days=1)), amount].sum())

    def growth(a: float, b: float) -> float:
        return a / b - 1 if b else np.nan

    cur["sales growth"] = growth(cur["sales"], sales_before(s, e))
    prev["sales growth"] = growth(prev["sales"], sales_before(ps, pe))
    out = pd.DataFrame({"previous": prev, "current": cur}).reindex(list(KPI_DEFINITIONS))
    out["change"] = out["current"] - out["previous"]
    out["change_pct"] = out["change"] / out["previous"].abs().replace(0, np.nan)
    out.index.name = "kpi"
    out.attrs["current"] = (str(s.date()), str(e.date()))
    out.attrs["previous"] = (str(ps.date()), str(pe.date()))
    return out
