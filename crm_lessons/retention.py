"""Customer retention (顧客保留率 / 顾客保留率) and churn (顧客流失 / 顾客流失).

Keeping a customer is the seventh-to-ninth "end" of the 10C framework: the
business earns a customer's lifetime value only while the customer stays. This
module measures and predicts staying and leaving:

* **rates** in the two settings the literature distinguishes:

  - *contractual* (a subscription, a service contract, a B2B account): the
    customer tells you when they leave, so churn is **observed**.
    :func:`contract_retention` counts, per period, the customers under
    contract at the start and those whose contract ended during the period.
  - *non-contractual* (a shop, a café, a web store): customers just stop
    coming, so churn must be **defined** from inactivity.
    :func:`period_retention` calls a customer retained in period *t* when they
    bought in period *t-1* and again in period *t*;
    :func:`inactivity_churn` calls a customer churned when they have not
    bought for ``inactivity_days``.

* **cohorts**: :func:`cohort_matrix` and :func:`plot_cohort_heatmap` follow
  each acquisition month (or week, quarter) through time;
* **survival**: :func:`kaplan_meier` (implemented here, with Greenwood
  confidence bands) on the lifetimes from :func:`time_to_churn` or
  :func:`contract_lifetimes`;
* **early warning**: :func:`churn_dataset` builds features up to a cutoff
  and the label from the window after it (nothing leaks from the future),
  :func:`churn_models` gives two calibrated scikit-learn pipelines
  (:func:`fit_churn_models` fits them), and
  :func:`evaluate_churn_model`, :func:`reliability_table`,
  :func:`precision_recall_at_k` and :func:`lift_table` judge them;
* **win-back** (挽回): :func:`win_back_targets` ranks customers by the
  expected value an offer saves, not by churn probability alone.

Examples
--------
>>> tx = pd.DataFrame({
...     "customer_id": ["a", "a", "b", "b", "c"],
...     "date": pd.to_datetime(
...         ["2024-01-03", "2024-02-10", "2024-01-20", "2024-03-02", "2024-02-05"]),
...     "amount": [10.0, 12.0, 5.0, 7.0, 9.0]})
>>> period_retention(tx, freq="M")[["active", "retained", "retention_rate"]]
         active  retained  retention_rate
period
2024-01       2      <NA>             NaN
2024-02       2         1             0.5
2024-03       1         0             0.0
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from crm_lessons import schema
from crm_lessons._checks import as_timestamp as _as_timestamp
from crm_lessons._checks import make_glossary, require_columns

__all__ = [
    "GLOSSARY",
    "churn_dataset",
    "churn_features",
    "churn_labels",
    "churn_models",
    "cohort_matrix",
    "contract_lifetimes",
    "contract_retention",
    "evaluate_churn_model",
    "fit_churn_models",
    "glossary",
    "inactivity_churn",
    "kaplan_meier",
    "lift_table",
    "period_retention",
    "plot_cohort_heatmap",
    "plot_lift",
    "plot_survival",
    "precision_recall_at_k",
    "reliability_table",
    "time_to_churn",
    "win_back_targets",
]

#: The lesson's vocabulary: English, Traditional Chinese, Simplified Chinese.
GLOSSARY: tuple[tuple[str, str, str], ...] = (
    ("customer retention", "顧客保留率", "顾客保留率"),
    ("churn (attrition)", "顧客流失", "顾客流失"),
    ("churn rate", "流失率", "流失率"),
    ("retention rate", "保留率（留存率）", "保留率（留存率）"),
    ("contractual setting", "契約型情境", "契约型情境"),
    ("non-contractual setting", "非契約型情境", "非契约型情境"),
    ("inactivity rule", "不活躍門檻", "不活跃门槛"),
    ("cohort analysis", "同期群分析", "同期群分析"),
    ("survival curve", "存活曲線", "存活曲线"),
    ("censoring", "設限（截尾）", "删失"),
    ("Kaplan-Meier estimator", "Kaplan-Meier 估計量", "Kaplan-Meier 估计量"),
    ("churn early warning", "流失預警", "流失预警"),
    ("data leakage", "資料洩漏", "数据泄漏"),
    ("calibration", "機率校準", "概率校准"),
    ("precision / recall", "精確率／召回率", "精确率／召回率"),
    ("lift", "提升度", "提升度"),
    ("win-back offer", "挽回優惠", "挽回优惠"),
    ("expected value saved", "預期挽回價值", "预期挽回价值"),
)


#: ``glossary()`` returns :data:`GLOSSARY` as a table (English, 繁體中文, 简体中文).
glossary = make_glossary(GLOSSARY)


_FREQS = ("W", "M", "Q", "Y")


# ------------------------------------------------------------------ helpers


def _check_freq(freq: str) -> str:
    if freq not in _FREQS:
        raise ValueError(f"freq={freq!r} is not supported; use one of {', '.join(_FREQS)}")
    return freq


def _purchases(
    transactions: pd.DataFrame,
    customer_id: str,
    date: str,
    *,
    amount: str = schema.AMOUNT,
    is_return: str = schema.IS_RETURN,
    arg: str = "transactions",
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Keep the rows that are purchases by a known customer; count the others and why."""
    _require(transactions, [customer_id, date], arg)
    no_id = transactions[customer_id].isna().to_numpy()
    no_date = transactions[date].isna().to_numpy() & ~no_id
    if is_return in transactions.columns:
        ret = transactions[is_return].fillna(False).to_numpy(dtype=bool)
    elif amount in transactions.columns:
        ret = (transactions[amount] < 0).fillna(False).to_numpy(dtype=bool)
    else:
        ret = np.zeros(len(transactions), dtype=bool)
    ret = ret & ~no_id & ~no_date
    excluded = {
        "no customer id (walk-in sales)": int(no_id.sum()),
        "no date": int(no_date.sum()),
        "returns and refunds": int(ret.sum()),
    }
    excluded = {k: v for k, v in excluded.items() if v}
    out = transactions.loc[~(no_id | no_date | ret)]
    if not pd.api.types.is_datetime64_any_dtype(out[date]):
        raise TypeError(
            f"column {date!r} must hold datetimes, got dtype {out[date].dtype}; "
            "convert it with pandas.to_datetime"
        )
    return out, excluded


# ------------------------------------------------------------------ rates


def period_retention(
    transactions: pd.DataFrame,
    *,
    freq: str = "M",
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
) -> pd.DataFrame:
    """Retention and churn rate per period in a non-contractual setting.

    Definition (non-contractual, activity based): a customer is *active* in a
    period when they bought at least once in it. The **retention rate** of
    period *t* is the share of the customers active in period *t-1* who are
    active again in period *t*; the **churn rate** is one minus it. Customers
    who skip a period and come back count as churned in the skipped period and
    as *reactivated* when they return, so this rate is strict; choose ``freq``
    longer than the usual gap between purchases (a café: a month; a furniture
    store: a year).

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per purchase (or line). Rows without a customer id are
        ignored, with a warning saying how many.
    freq : {"W", "M", "Q", "Y"}, default "M"
        Length of a period.
    customer_id, date : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``period`` (every period from the first to the last
        purchase, including empty ones), with columns ``active``, ``new``
        (first purchase in this period), ``retained`` (active in *t-1* and
        *t*), ``reactivated`` (active now, not in *t-1*, not new),
        ``retention_rate`` and ``churn_rate``. The first period has no
        previous one, so its rates are missing.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"],
    ...                    "date": pd.to_datetime(["2024-01-05", "2024-03-01", "2024-01-09"])})
    >>> period_retention(tx)[["active", "new", "reactivated", "churn_rate"]]
            active  new  reactivated  churn_rate
    period
    2024-01       2    2            0         NaN
    2024-02       0    0            0         1.0
    2024-03       1    0            1         NaN
    """
    _check_freq(freq)
    tx, excluded = _purchases(transactions, customer_id, date)
    if tx.empty:
        raise ValueError("transactions has no rows with a customer id and a date")
    per = tx[date].dt.to_period(freq)
    pairs = pd.DataFrame({"c": tx[customer_id].to_numpy(), "p": per.array.asi8})
    pairs = pairs.drop_duplicates()
    first = pairs.groupby("c")["p"].min()
    lo, hi = int(pairs["p"].min()), int(pairs["p"].max())
    ordinals = np.arange(lo, hi + 1)
    active_sets = {p: set(g) for p, g in pairs.groupby("p")["c"]}
    new_counts = first.value_counts().to_dict()
    rows = []
    prev: set | None = None
    for o in ordinals:
        cur = active_sets.get(o, set())
        new = int(new_counts.get(o, 0))
        if prev is None:
            retained, reactivated = pd.NA, 0
            rate = np.nan
        else:
            retained = len(cur & prev)
            reactivated = len(cur) - retained - new
            rate = retained / len(prev) if prev else np.nan
        rows.append((len(cur), new, retained, reactivated, rate))
        prev = cur
    out = pd.DataFrame(
        rows, columns=["active", "new", "retained", "reactivated", "retention_rate"]
    )
    out["retained"] = out["retained"].astype("Int64")
    out["churn_rate"] = 1.0 - out["retention_rate"]
    out.index = pd.PeriodIndex.from_ordinals(ordinals, freq=freq).rename("period")
    out.attrs["excluded_rows"] = excluded
    return out


def contract_retention(
    contracts: pd.DataFrame,
    *,
    freq: str = "M",
    as_of=None,
    start: str = "start_date",
    end: str = "end_date",
    customer_id: str = schema.CUSTOMER_ID,
) -> pd.DataFrame:
    """Retention and churn rate per period in a contractual setting.

    Definition (contractual, observed churn): a customer is *under contract*
    at the start of a period when their contract started before the period
    and had not ended. The **churn rate** of a period is the share of those
    customers whose contract ended during the period; the **retention rate**
    is one minus it. Customers who sign during the period do not enter its
    denominator (they start counting the next period).

    Parameters
    ----------
    contracts : pandas.DataFrame
        One row per customer with a start date and an end date (missing while
        the contract runs).
    freq : {"W", "M", "Q", "Y"}, default "M"
        Length of a period.
    as_of : date-like, optional
        Last day observed; defaults to the latest start or end date. Periods
        run from the first start to the period holding ``as_of``.
    start, end, customer_id : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``period``, columns ``at_start``, ``new``, ``churned``,
        ``at_end``, ``churn_rate``, ``retention_rate``.

    Examples
    --------
    >>> c = pd.DataFrame({"customer_id": ["a", "b", "c", "d"],
    ...     "start_date": pd.to_datetime(["2024-01-10", "2024-01-20", "2024-02-03", "2024-02-11"]),
    ...     "end_date": pd.to_datetime([None, "2024-02-15", "2024-03-09", None])})
    >>> contract_retention(c, as_of="2024-03-31")
             at_start  new  churned  at_end  churn_rate  retention_rate
    period
    2024-01         0    2        0       2         NaN             NaN
    2024-02         2    2        1       3    0.500000        0.500000
    2024-03         3    0        1       2    0.333333        0.666667
    """
    _check_freq(freq)
    _require(contracts, [customer_id, start, end], "contracts")
    if contracts[start].isna().any():
        n = int(contracts[start].isna().sum())
        raise ValueError(f"contracts: {n} row(s) have no {start!r}; every contract needs a start")
    s = contracts[start].dt.to_period(freq).array.asi8
    e_per = contracts[end].dt.to_period(freq)
    ended = contracts[end].notna().to_numpy()
    e = np.where(ended, e_per.array.asi8, np.iinfo(np.int64).max)
    bad = ended & (contracts[end] < contracts[start]).to_numpy()
    if bad.any():
        raise ValueError(f"contracts: {int(bad.sum())} row(s) end before they start")
    last = (
        _as_timestamp(as_of, "as_of")
        if as_of is not None
        else max(contracts[start].max(), contracts[end].max())
    )
    lo, hi = int(s.min()), int(pd.Period(last, freq=freq).ordinal)
    rows = []
    for o in range(lo, hi + 1):
        at_start = int(((s < o) & (e >= o)).sum())
        new = int((s == o).sum())
        churned = int(((s < o) & (e == o)).sum())
        at_end = int(((s <= o) & (e > o)).sum())
        rate = churned / at_start if at_start else np.nan
        rows.append((at_start, new, churned, at_end, rate))
    out = pd.DataFrame(rows, columns=["at_start", "new", "churned", "at_end", "churn_rate"])
    out["retention_rate"] = 1.0 - out["churn_rate"]
    out.index = pd.PeriodIndex.from_ordinals(np.arange(lo, hi + 1), freq=freq).rename("period")
    return out


def inactivity_churn(
    transactions: pd.DataFrame,
    *,
    as_of,
    inactivity_days: int = 90,
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
) -> pd.DataFrame:
    """Who has churned by a date under the rule "no purchase for ``inactivity_days``".

    Definition (non-contractual): a customer whose last purchase on or
    before ``as_of`` lies more than ``inactivity_days`` days before
    ``as_of`` is counted as churned. Purchases after ``as_of`` are ignored.
    The churn rate is the share of customers known by ``as_of`` who are
    churned.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Purchases.
    as_of : date-like
        The day the question is asked.
    inactivity_days : int, default 90
        Days without purchase after which a customer counts as churned.
    customer_id, date : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer, columns ``first_purchase``, ``last_purchase``,
        ``days_since_last`` and ``churned`` (bool). ``.attrs["churn_rate"]``
        holds the share churned.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b", "c"],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-05-20", "2024-02-01", "2024-06-01"])})
    >>> out = inactivity_churn(tx, as_of="2024-06-30", inactivity_days=90)
    >>> out[["days_since_last", "churned"]]
                 days_since_last  churned
    customer_id
    a                         41    False
    b                        150     True
    c                         29    False
    >>> round(out.attrs["churn_rate"], 3)
    0.333
    """
    if not isinstance(inactivity_days, int | np.integer) or inactivity_days <= 0:
        raise ValueError(f"inactivity_days={inactivity_days!r} must be a positive whole number")
    t = _as_timestamp(as_of, "as_of")
    tx, excluded = _purchases(transactions, customer_id, date)
    tx = tx[tx[date] <= t]
    if tx.empty:
        raise ValueError(f"no purchase on or before as_of={t.date()}")
    g = tx.groupby(customer_id, sort=True)[date]
    out = pd.DataFrame({"first_purchase": g.min(), "last_purchase": g.max()})
    out["days_since_last"] = (t - out["last_purchase"]).dt.days
    out["churned"] = out["days_since_last"] > inactivity_days
    out.attrs["churn_rate"] = float(out["churned"].mean())
    out.attrs["excluded_rows"] = excluded
    return out


# ------------------------------------------------------------------ cohorts


def cohort_matrix(
    transactions: pd.DataFrame,
    *,
    freq: str = "M",
    metric: str = "retention",
    acquisition_dates: pd.Series | None = None,
    as_of=None,
    max_periods: int | None = None,
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
    amount: str = schema.AMOUNT,
) -> pd.DataFrame:
    """Cohort table: rows are acquisition periods, columns periods since acquisition.

    A customer's cohort is the period of their first purchase (or of
    ``acquisition_dates``, e.g. ``customers.signup_date``). Cell (*c*, *k*)
    describes the customers of cohort *c*, *k* periods later: column 0 is the
    acquisition period itself. Cells not yet observable (after ``as_of``) are
    missing, so the table is a triangle.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Purchases.
    freq : {"W", "M", "Q", "Y"}, default "M"
        Cohort and period length.
    metric : {"retention", "active", "revenue", "revenue_per_customer"}
        ``"active"``: customers of the cohort who bought in the period;
        ``"retention"``: that count divided by the cohort size;
        ``"revenue"``: the cohort's spend in the period;
        ``"revenue_per_customer"``: revenue divided by the cohort size.
    acquisition_dates : pandas.Series, optional
        Acquisition date per customer (index = customer id). Customers with
        purchases but no acquisition date fall back to their first purchase.
    as_of : date-like, optional
        Last observed day; defaults to the last purchase.
    max_periods : int, optional
        Keep columns 0 ... ``max_periods``.
    customer_id, date, amount : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Index ``cohort`` (periods), columns ``0, 1, ...``; attribute
        ``attrs["cohort_size"]`` holds the number of customers per cohort.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b", "c", "c"],
    ...     "date": pd.to_datetime(["2024-01-03", "2024-02-10", "2024-01-20",
    ...                             "2024-02-05", "2024-03-01"]),
    ...     "amount": [10.0, 12.0, 5.0, 9.0, 4.0]})
    >>> cohort_matrix(tx)
    periods_since    0    1    2
    cohort
    2024-01        1.0  0.5  0.0
    2024-02        1.0  1.0  NaN
    >>> cohort_matrix(tx, metric="revenue")
    periods_since     0     1    2
    cohort
    2024-01        15.0  12.0  0.0
    2024-02         9.0   4.0  NaN
    """
    _check_freq(freq)
    metrics = ("retention", "active", "revenue", "revenue_per_customer")
    if metric not in metrics:
        raise ValueError(f"metric={metric!r} is not valid; use one of {', '.join(metrics)}")
    tx, excluded = _purchases(transactions, customer_id, date)
    if metric.startswith("revenue"):
        _require(tx, [amount])
    if tx.empty:
        raise ValueError("transactions has no rows with a customer id and a date")
    per = tx[date].dt.to_period(freq).array.asi8
    frame = pd.DataFrame({"c": tx[customer_id].to_numpy(), "p": per})
    frame["v"] = tx[amount].to_numpy(dtype=float) if metric.startswith("revenue") else 1.0
    first = frame.groupby("c")["p"].min()
    if acquisition_dates is not None:
        if not isinstance(acquisition_dates, pd.Series):
            raise TypeError("acquisition_dates must be a pandas Series indexed by customer id")
        acq = acquisition_dates.dropna().dt.to_period(freq)
        acq = pd.Series(acq.array.asi8, index=acq.index)
        first = acq.combine_first(first).astype("int64")
    frame["cohort"] = frame["c"].map(first).to_numpy()
    frame["k"] = frame["p"] - frame["cohort"]
    n_before = int((frame["k"] < 0).sum())
    if n_before:
        excluded["purchases dated before the acquisition date"] = n_before
        frame = frame[frame["k"] >= 0]
    last = (
        pd.Period(_as_timestamp(as_of, "as_of"), freq=freq).ordinal
        if as_of is not None
        else int(frame["p"].max())
    )
    frame = frame[frame["p"] <= last]
    size = first[first <= last].value_counts().sort_index()
    if metric in ("retention", "active"):
        cells = frame.drop_duplicates(["c", "p"]).groupby(["cohort", "k"]).size()
    else:
        cells = frame.groupby(["cohort", "k"])["v"].sum()
    cohorts = size.index.to_numpy()
    width = int(last - cohorts.min()) + 1
    table = cells.unstack("k").reindex(index=cohorts, columns=range(width)).astype(float)
    table = table.fillna(0.0)
    ages = np.arange(width)[None, :]
    table = table.mask(cohorts[:, None] + ages > last)
    if metric in ("retention", "revenue_per_customer"):
        table = table.div(size.to_numpy(), axis=0)
    if max_periods is not None:
        table = table.loc[:, : int(max_periods)]
    table.index = pd.PeriodIndex.from_ordinals(cohorts, freq=freq).rename("cohort")
    table.columns = pd.Index(table.columns, name="periods_since")
    table.attrs["cohort_size"] = pd.Series(size.to_numpy(), index=table.index, name="customers")
    table.attrs["metric"] = metric
    table.attrs["excluded_rows"] = excluded
    return table


def plot_cohort_heatmap(
    table: pd.DataFrame,
    *,
    ax: plt.Axes | None = None,
    title: str | None = None,
    annot: bool | None = None,
) -> plt.Axes:
    """Draw a cohort table from :func:`cohort_matrix` as a heatmap.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`cohort_matrix`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    title : str, optional
        Figure title; a plain-words default from the metric.
    annot : bool, optional
        Write the numbers in the cells; default when the table is small.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"],
    ...     "date": pd.to_datetime(["2024-01-03", "2024-02-10", "2024-01-20"])})
    >>> ax = plot_cohort_heatmap(cohort_matrix(tx))
    >>> ax.get_xlabel()
    'Months since first purchase'
    >>> plt.close("all")
    """
    import seaborn as sns

    if ax is None:
        _, ax = plt.subplots(figsize=(9, 5))
    metric = table.attrs.get("metric", "retention")
    unit = {"W": "Weeks", "M": "Months", "Q": "Quarters", "Y": "Years"}
    freqstr = getattr(table.index, "freqstr", "M")[0]
    if annot is None:
        annot = table.shape[0] <= 14 and table.shape[1] <= 14
    is_share = metric == "retention"
    shown = table.copy()
    shown.index = shown.index.astype(str)
    sns.heatmap(
        shown,
        ax=ax,
        cmap="Blues",
        annot=annot,
        fmt=".0%" if is_share else ".0f",
        vmin=0,
        vmax=1 if is_share else None,
        cbar_kws={"label": {
            "retention": "Share of the cohort still buying",
            "active": "Customers buying",
            "revenue": "Revenue",
            "revenue_per_customer": "Revenue per cohort customer",
        }[metric]},
        annot_kws={"fontsize": 8},
    )  # fmt: skip
    ax.set_xlabel(f"{unit.get(freqstr, 'Periods')} since first purchase")
    ax.set_ylabel("Cohort (first purchase)")
    ax.set_title(title or "Cohort retention: who is still buying?")
    return ax


# ------------------------------------------------------------------ survival


def kaplan_meier(
    durations: Sequence[float] | pd.Series | np.ndarray,
    observed: Sequence[bool] | pd.Series | np.ndarray | None = None,
    *,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Kaplan–Meier estimate of the survival curve S(t) = P(lifetime > t).

    At each time *t* with at least one event, ``S`` is multiplied by
    ``1 - d_t / n_t`` where ``d_t`` is the number of events (churns) at *t*
    and ``n_t`` the number still at risk just before *t*. Customers whose
    lifetime is *censored* (still active when observation stopped) count in
    ``n_t`` up to their censoring time and then leave without an event: the
    estimator uses what we know about them without pretending they churned.
    The confidence band uses Greenwood's variance on the log(-log) scale
    (as lifelines does), so it stays within [0, 1].

    Parameters
    ----------
    durations : array-like of float
        Time from start to churn (event) or to the end of observation
        (censored). Must be non-negative.
    observed : array-like of bool, optional
        True when the churn was observed, False when censored. Default: all
        observed.
    alpha : float, default 0.05
        One minus the confidence level of the band.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``time`` (0 and every distinct duration), columns
        ``at_risk``, ``events``, ``censored``, ``survival``, ``lower``,
        ``upper``.

    Examples
    --------
    >>> km = kaplan_meier([1, 2, 2, 3, 4, 5], [True, True, False, True, False, True])
    >>> km[["at_risk", "events", "censored", "survival"]].round(4)
          at_risk  events  censored  survival
    time
    0.0         6       0         0    1.0000
    1.0         6       1         0    0.8333
    2.0         5       1         1    0.6667
    3.0         3       1         0    0.4444
    4.0         2       0         1    0.4444
    5.0         1       1         0    0.0000
    """
    from scipy.stats import norm

    d = np.asarray(durations, dtype=float)
    if d.ndim != 1 or d.size == 0:
        raise ValueError("durations must be a non-empty one-dimensional array")
    if np.isnan(d).any() or (d < 0).any():
        raise ValueError(
            f"durations must be non-negative numbers; found {int(np.isnan(d).sum())} missing "
            f"and {int((d < 0).sum())} negative"
        )
    if observed is None:
        e = np.ones_like(d, dtype=bool)
    else:
        e = np.asarray(observed)
        if e.shape != d.shape:
            raise ValueError(
                f"observed has {e.size} values but durations has {d.size}; give one per customer"
            )
        if not (e.dtype == bool or set(np.unique(e)).issubset({0, 1})):
            raise ValueError("observed must hold True/False (or 1/0) values")
        e = e.astype(bool)
    if not 0 < alpha < 1:
        raise ValueError(f"alpha={alpha!r} must lie strictly between 0 and 1")
    times = np.unique(np.concatenate([[0.0], d]))
    events = np.array([np.sum(e & (d == t)) for t in times])
    censored = np.array([np.sum(~e & (d == t)) for t in times])
    at_risk = np.array([np.sum(d >= t) for t in times])
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(at_risk > 0, 1.0 - events / at_risk, 1.0)
        surv = np.cumprod(factor)
        term = np.where((at_risk - events) > 0, events / (at_risk * (at_risk - events)), np.inf)
        term = np.where(events == 0, 0.0, term)
        gw = np.cumsum(term)
        # log(-log) transformed interval
        z = norm.ppf(1 - alpha / 2)
        log_s = np.log(surv)
        se = np.sqrt(gw) / np.abs(log_s)
        lower = surv ** np.exp(z * se)
        upper = surv ** np.exp(-z * se)
    lower = np.where((surv >= 1.0) | np.isnan(lower), surv, lower)
    upper = np.where((surv >= 1.0) | np.isnan(upper), 1.0, upper)
    lower = np.where(surv <= 0.0, 0.0, lower)
    upper = np.where(surv <= 0.0, 0.0, upper)
    return pd.DataFrame(
        {
            "at_risk": at_risk,
            "events": events,
            "censored": censored,
            "survival": surv,
            "lower": lower,
            "upper": upper,
        },
        index=pd.Index(times, name="time"),
    )


def time_to_churn(
    transactions: pd.DataFrame,
    *,
    as_of,
    inactivity_days: int = 90,
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
) -> pd.DataFrame:
    """Active lifetimes for survival analysis in a non-contractual setting.

    A customer's *active lifetime* is the number of days from their first to
    their last purchase (on or before ``as_of``). It counts as **observed**
    (the customer churned) when more than ``inactivity_days`` have passed
    since the last purchase; otherwise it is **censored**: the customer is
    still active and their lifetime will be at least this long.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Purchases.
    as_of : date-like
        End of observation.
    inactivity_days : int, default 90
        The churn rule of :func:`inactivity_churn`.
    customer_id, date : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer, columns ``duration_days`` and ``churned``, ready
        for ``kaplan_meier(df.duration_days, df.churned)``.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b", "c", "c"],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-01-15",
    ...                             "2024-02-01", "2024-06-20"])})
    >>> time_to_churn(tx, as_of="2024-06-30", inactivity_days=60)
                 duration_days  churned
    customer_id
    a                       60     True
    b                        0     True
    c                      140    False
    """
    ch = inactivity_churn(
        transactions,
        as_of=as_of,
        inactivity_days=inactivity_days,
        customer_id=customer_id,
        date=date,
    )
    out = pd.DataFrame(
        {
            "duration_days": (ch["last_purchase"] - ch["first_purchase"]).dt.days,
            "churned": ch["churned"],
        }
    )
    return out


def contract_lifetimes(
    contracts: pd.DataFrame,
    *,
    as_of,
    start: str = "start_date",
    end: str = "end_date",
    customer_id: str = schema.CUSTOMER_ID,
) -> pd.DataFrame:
    """Contract lifetimes for survival analysis in a contractual setting.

    Duration runs from ``start`` to ``end`` when the contract ended on or
    before ``as_of`` (observed churn), otherwise from ``start`` to ``as_of``
    (censored).

    Parameters
    ----------
    contracts : pandas.DataFrame
        One row per customer with start and (possibly missing) end dates.
    as_of : date-like
        End of observation.
    start, end, customer_id : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer, columns ``duration_days`` and ``churned``.

    Examples
    --------
    >>> c = pd.DataFrame({"customer_id": ["a", "b"],
    ...     "start_date": pd.to_datetime(["2024-01-01", "2024-02-01"]),
    ...     "end_date": pd.to_datetime(["2024-03-01", None])})
    >>> contract_lifetimes(c, as_of="2024-04-01")
                 duration_days  churned
    customer_id
    a                       60     True
    b                       60    False
    """
    t = _as_timestamp(as_of, "as_of")
    _require(contracts, [customer_id, start, end], "contracts")
    c = contracts[contracts[start] <= t]
    ended = c[end].notna() & (c[end] <= t)
    stop = c[end].where(ended, t)
    out = pd.DataFrame(
        {
            "duration_days": (stop - c[start]).dt.days.to_numpy(),
            "churned": ended.to_numpy(),
        },
        index=pd.Index(c[customer_id].to_numpy(), name=customer_id),
    )
    return out


def plot_survival(
    curves: pd.DataFrame | dict[str, pd.DataFrame],
    *,
    ax: plt.Axes | None = None,
    time_unit: str = "days",
    title: str = "How long do customers stay?",
) -> plt.Axes:
    """Plot one or more Kaplan–Meier curves (step functions with bands).

    Parameters
    ----------
    curves : pandas.DataFrame or dict of str to pandas.DataFrame
        Output(s) of :func:`kaplan_meier`; a dict draws one labelled curve per
        entry.
    ax : matplotlib.axes.Axes, optional
        Where to draw.
    time_unit : str, default "days"
        Used in the x-axis label.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_survival(kaplan_meier([1, 2, 3], [True, False, True]))
    >>> ax.get_ylabel()
    'Share of customers still active'
    >>> plt.close("all")
    """
    if ax is None:
        _, ax = plt.subplots()
    items = curves.items() if isinstance(curves, dict) else [(None, curves)]
    for label, km in items:
        (line,) = ax.step(km.index, km["survival"], where="post", label=label)
        ax.fill_between(
            km.index, km["lower"], km["upper"], step="post", alpha=0.2, color=line.get_color()
        )
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(f"Time since first purchase ({time_unit})")
    ax.set_ylabel("Share of customers still active")
    ax.set_title(title)
    if isinstance(curves, dict):
        ax.legend()
    return ax


# ------------------------------------------------------------------ early warning


def churn_features(
    transactions: pd.DataFrame,
    *,
    cutoff,
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
    amount: str = schema.AMOUNT,
    windows: Sequence[int] = (30, 90),
) -> pd.DataFrame:
    """Behaviour features per customer from purchases strictly before ``cutoff``.

    Starts from the RFM table of :func:`crm_lessons.rfm.rfm_table` (as of the
    cutoff) and adds what an early-warning model needs: tenure, the usual
    gap between purchases, how overdue the customer is compared with that
    gap, and recent activity in the last ``windows`` days.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Purchases (refunds may have negative amounts).
    cutoff : date-like
        Only rows dated before this day are used: the model must not see the
        future it will predict.
    customer_id, date, amount : str
        Column names.
    windows : sequence of int, default (30, 90)
        Look-back windows (days) for recent purchase counts and spend.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer (those with a purchase before ``cutoff``), columns
        ``recency_days``, ``frequency``, ``monetary``, ``tenure_days``,
        ``mean_gap_days`` (missing for one-time buyers), ``overdue_ratio``
        (recency / mean gap; missing for one-time buyers), then
        ``purchases_<w>d`` and ``spend_<w>d`` for each window.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "a", "b"],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-11", "2024-01-31", "2024-01-20"]),
    ...     "amount": [10.0, 20.0, 30.0, 5.0]})
    >>> f = churn_features(tx, cutoff="2024-02-10", windows=(30,))
    >>> f[["recency_days", "tenure_days", "mean_gap_days", "overdue_ratio"]]
                 recency_days  tenure_days  mean_gap_days  overdue_ratio
    customer_id
    a                      10           40           15.0       0.666667
    b                      21           21            NaN            NaN
    >>> f["purchases_30d"].tolist(), f["spend_30d"].tolist()
    ([2, 1], [50.0, 5.0])
    """
    from crm_lessons.rfm import rfm_table

    t = _as_timestamp(cutoff, "cutoff")
    tx, excluded = _purchases(transactions, customer_id, date)
    _require(tx, [amount])
    tx = tx[tx[date] < t]
    if tx.empty:
        raise ValueError(f"no purchase before cutoff={t.date()}")
    rfm = rfm_table(tx, as_of=t, customer_id=customer_id, date=date, amount=amount)
    rfm = rfm[["recency_days", "frequency", "monetary"]].copy()
    rfm.index = rfm.index.astype(tx[customer_id].dtype)
    g = tx.groupby(customer_id)[date]
    first, last = g.min(), g.max()
    n_days = tx.assign(_d=tx[date].dt.normalize()).groupby(customer_id)["_d"].nunique()
    feats = rfm.reindex(first.index)
    feats.index.name = customer_id
    feats["tenure_days"] = (t - first).dt.days
    span = (last - first).dt.days.astype(float)
    gaps = span / (n_days - 1).where(n_days > 1)
    feats["mean_gap_days"] = gaps.astype(float)
    feats["overdue_ratio"] = feats["recency_days"] / feats["mean_gap_days"].where(
        feats["mean_gap_days"] > 0
    )
    for w in windows:
        if not isinstance(w, int | np.integer) or w <= 0:
            raise ValueError(f"windows must hold positive whole numbers of days; got {w!r}")
        recent = tx[tx[date] >= t - pd.Timedelta(days=int(w))]
        rg = recent.groupby(customer_id)
        feats[f"purchases_{w}d"] = (
            rg[date].apply(lambda s: s.dt.normalize().nunique()).reindex(feats.index).fillna(0)
        ).astype("int64")
        feats[f"spend_{w}d"] = rg[amount].sum().reindex(feats.index).fillna(0.0).astype(float)
    feats = feats.sort_index()
    feats.attrs["excluded_rows"] = excluded
    return feats


def churn_labels(
    transactions: pd.DataFrame,
    *,
    cutoff,
    horizon_days: int,
    customers: Sequence | pd.Index | None = None,
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
) -> pd.Series:
    """Label = True when the customer makes **no** purchase in the horizon after ``cutoff``.

    The window is ``cutoff <= date < cutoff + horizon_days``. The label is
    only meaningful when the data run to the end of the window, so a window
    ending after the last purchase in ``transactions`` raises an error.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Purchases.
    cutoff : date-like
        Start of the label window.
    horizon_days : int
        Length of the label window in days.
    customers : sequence, optional
        Whom to label; default every customer with a purchase before
        ``cutoff``.
    customer_id, date : str
        Column names.

    Returns
    -------
    pandas.Series
        Boolean, indexed by customer, named ``churned``.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b", "c"],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-02-15", "2024-01-20", "2024-03-30"])})
    >>> churn_labels(tx, cutoff="2024-02-01", horizon_days=30).to_dict()
    {'a': False, 'b': True}
    """
    if not isinstance(horizon_days, int | np.integer) or horizon_days <= 0:
        raise ValueError(f"horizon_days={horizon_days!r} must be a positive whole number")
    t = _as_timestamp(cutoff, "cutoff")
    tx, excluded = _purchases(transactions, customer_id, date)
    end = t + pd.Timedelta(days=int(horizon_days))
    last_seen = tx[date].max()
    if end - pd.Timedelta(days=1) > last_seen.normalize() + pd.Timedelta(days=1):
        raise ValueError(
            f"the label window {t.date()} to {end.date()} runs past the last purchase in the "
            f"data ({last_seen.date()}); choose an earlier cutoff or a shorter horizon_days"
        )
    if customers is None:
        customers = pd.Index(tx.loc[tx[date] < t, customer_id].unique()).sort_values()
    idx = pd.Index(customers, name=customer_id)
    window = tx[(tx[date] >= t) & (tx[date] < end)]
    bought = idx.isin(window[customer_id].unique())
    out = pd.Series(~bought, index=idx, name="churned")
    out.attrs["excluded_rows"] = excluded
    return out


def churn_dataset(
    transactions: pd.DataFrame,
    *,
    cutoff,
    horizon_days: int = 90,
    active_within_days: int | None = None,
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
    amount: str = schema.AMOUNT,
    windows: Sequence[int] = (30, 90),
) -> tuple[pd.DataFrame, pd.Series]:
    """Features up to ``cutoff`` and the churn label from the window after it.

    This is the time-based split that keeps the future out of the features:
    everything in ``X`` is computed from rows dated before ``cutoff``; ``y``
    only looks at rows in ``[cutoff, cutoff + horizon_days)``. Train on one
    cutoff and test on a later one.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Purchases.
    cutoff : date-like
        The moment the prediction is made.
    horizon_days : int, default 90
        Label window: churned = no purchase within this many days.
    active_within_days : int, optional
        Keep only customers who bought in the last ``active_within_days``
        before the cutoff (the base you are trying to keep); default: all
        customers seen before the cutoff.
    customer_id, date, amount : str
        Column names.
    windows : sequence of int
        Passed to :func:`churn_features`.

    Returns
    -------
    X : pandas.DataFrame
        Output of :func:`churn_features`.
    y : pandas.Series
        Output of :func:`churn_labels` for the same customers.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b", "c"],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-02-15", "2024-01-20", "2024-03-30"]),
    ...     "amount": [1.0, 2.0, 3.0, 4.0]})
    >>> X, y = churn_dataset(tx, cutoff="2024-02-01", horizon_days=30)
    >>> X.index.tolist(), y.tolist()
    (['a', 'b'], [False, True])
    """
    X = churn_features(
        transactions,
        cutoff=cutoff,
        customer_id=customer_id,
        date=date,
        amount=amount,
        windows=windows,
    )
    if active_within_days is not None:
        X = X[X["recency_days"] <= active_within_days]
    y = churn_labels(
        transactions,
        cutoff=cutoff,
        horizon_days=horizon_days,
        customers=X.index,
        customer_id=customer_id,
        date=date,
    )
    return X, y


def churn_models(*, calibrate: bool = True, random_state=None) -> dict:
    """Two churn early-warning models as scikit-learn pipelines (not yet fitted).

    * ``"logistic regression"``: impute missing values (median), ``log1p``,
      standardise, then :class:`~sklearn.linear_model.LogisticRegression`;
      readable coefficients, a strong baseline.
    * ``"gradient boosting"``:
      :class:`~sklearn.ensemble.HistGradientBoostingClassifier`, which
      handles missing values and non-linear effects itself.

    With ``calibrate=True`` each pipeline is wrapped in
    :class:`~sklearn.calibration.CalibratedClassifierCV` (sigmoid, 3 folds)
    so its scores can be read as probabilities, which the win-back
    calculation needs.

    Parameters
    ----------
    calibrate : bool, default True
        Wrap each model in a probability calibrator.
    random_state : int, numpy.random.Generator or None
        Seeds the gradient-boosting model.

    Returns
    -------
    dict of str to estimator

    Examples
    --------
    >>> sorted(churn_models(random_state=0))
    ['gradient boosting', 'logistic regression']
    """
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    rng = np.random.default_rng(random_state)
    seed = int(rng.integers(2**31 - 1))
    logit = Pipeline(
        [
            ("impute", SimpleImputer(strategy="median")),
            ("log", FunctionTransformer(_signed_log1p, feature_names_out="one-to-one")),
            ("scale", StandardScaler()),
            ("model", LogisticRegression(max_iter=2000)),
        ]
    )
    gbm = Pipeline(
        [
            (
                "model",
                HistGradientBoostingClassifier(
                    max_iter=100,
                    learning_rate=0.1,
                    max_leaf_nodes=15,
                    min_samples_leaf=40,
                    l2_regularization=1.0,
                    random_state=seed,
                ),
            )
        ]
    )
    models = {"logistic regression": logit, "gradient boosting": gbm}
    if calibrate:
        models = {k: CalibratedClassifierCV(m, method="sigmoid", cv=3) for k, m in models.items()}
    return models


def fit_churn_models(
    X: pd.DataFrame,
    y: pd.Series,
    *,
    calibrate: bool = True,
    random_state=None,
    progress: bool = False,
) -> dict:
    """Fit the models of :func:`churn_models` on one training set.

    The fits run on one thread: on data of this size that is as fast as
    several, and it avoids the large slow-down of competing OpenMP threads
    on a busy shared machine.

    Parameters
    ----------
    X, y : pandas.DataFrame, pandas.Series
        Features and labels, e.g. from :func:`churn_dataset` at a training
        cutoff.
    calibrate : bool, default True
        Passed to :func:`churn_models`.
    random_state : int, numpy.random.Generator or None
        Passed to :func:`churn_models`.
    progress : bool, default False
        Show a progress bar over the models.

    Returns
    -------
    dict of str to fitted estimator

    Examples
    --------
    >>> X = pd.DataFrame({"recency_days": [1, 50, 3, 60, 2, 70] * 40})
    >>> y = pd.Series([False, True, False, True, False, True] * 40)
    >>> models = fit_churn_models(X, y, random_state=0)
    >>> [round(float(m.predict_proba(X.iloc[[1]])[0, 1]), 1) > 0.5 for m in models.values()]
    [True, True]
    """
    from threadpoolctl import threadpool_limits
    from tqdm.auto import tqdm

    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)}; they must match")
    models = churn_models(calibrate=calibrate, random_state=random_state)
    with threadpool_limits(limits=1):
        for model in tqdm(models.values(), disable=not progress, desc="fitting churn models"):
            model.fit(X, y)
    return models


def _signed_log1p(x):
    return np.sign(x) * np.log1p(np.abs(x))


def _scores(y_true, score) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y_true).astype(bool)
    s = np.asarray(score, dtype=float)
    if y.shape != s.shape:
        raise ValueError(f"y_true has {y.size} values but score has {s.size}; they must match")
    if y.size == 0:
        raise ValueError("y_true is empty")
    if np.isnan(s).any():
        raise ValueError(f"score has {int(np.isnan(s).sum())} missing values")
    return y, s


def _order(score: np.ndarray) -> np.ndarray:
    # highest score first; ties keep input order (stable), so results are reproducible
    return np.argsort(-score, kind="stable")


def precision_recall_at_k(y_true, score, k: int | float) -> dict[str, float]:
    """Precision and recall when the ``k`` highest-scored customers are contacted.

    Parameters
    ----------
    y_true : array-like of bool
        True for customers who really churned.
    score : array-like of float
        Model score or probability (higher = more at risk).
    k : int or float
        Number of customers contacted, or a share of them if ``0 < k < 1``.

    Returns
    -------
    dict
        ``k`` (count), ``precision`` (share of contacted who churned),
        ``recall`` (share of all churners who were contacted) and ``lift``
        (precision / overall churn rate).

    Examples
    --------
    >>> precision_recall_at_k([1, 0, 1, 0, 0], [0.9, 0.8, 0.7, 0.2, 0.1], k=2)
    {'k': 2, 'precision': 0.5, 'recall': 0.5, 'lift': 1.25}
    """
    y, s = _scores(y_true, score)
    n = y.size
    if isinstance(k, float) and 0 < k < 1:
        k = int(round(k * n))
    if not isinstance(k, int | np.integer) or not 1 <= k <= n:
        raise ValueError(f"k={k!r} must be a count between 1 and {n} or a share between 0 and 1")
    top = y[_order(s)[: int(k)]]
    base = y.mean()
    precision = float(top.mean())
    recall = float(top.sum() / y.sum()) if y.sum() else float("nan")
    lift = precision / base if base > 0 else float("nan")
    return {"k": int(k), "precision": precision, "recall": recall, "lift": float(lift)}


def lift_table(y_true, score, *, n_bins: int = 10) -> pd.DataFrame:
    """Lift (gains) table: customers sorted by score and cut into equal groups.

    Parameters
    ----------
    y_true : array-like of bool
        True for churners.
    score : array-like of float
        Higher = more at risk.
    n_bins : int, default 10
        Number of groups (10 = deciles).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``group`` (1 = highest scores), columns ``customers``,
        ``churners``, ``churn_rate``, ``lift`` (rate / overall rate),
        ``cum_share_contacted``, ``cum_share_of_churners`` (the gains curve)
        and ``cum_lift``.

    Examples
    --------
    >>> t = lift_table([1, 1, 0, 1, 0, 0], [.9, .8, .7, .6, .5, .4], n_bins=3)
    >>> t[["customers", "churners", "lift", "cum_share_of_churners", "cum_lift"]].round(3)
           customers  churners  lift  cum_share_of_churners  cum_lift
    group
    1              2         2   2.0                  0.667       2.0
    2              2         1   1.0                  1.000       1.5
    3              2         0   0.0                  1.000       1.0
    """
    y, s = _scores(y_true, score)
    if not isinstance(n_bins, int | np.integer) or not 1 <= n_bins <= y.size:
        raise ValueError(f"n_bins={n_bins!r} must be a whole number between 1 and {y.size}")
    ys = y[_order(s)]
    groups = np.array_split(ys, n_bins)
    base = y.mean()
    rows = []
    for g in groups:
        rows.append((g.size, int(g.sum())))
    out = pd.DataFrame(rows, columns=["customers", "churners"])
    out.index = pd.RangeIndex(1, n_bins + 1, name="group")
    out["churn_rate"] = out["churners"] / out["customers"]
    out["lift"] = out["churn_rate"] / base if base > 0 else np.nan
    out["cum_share_contacted"] = out["customers"].cumsum() / y.size
    total = y.sum()
    out["cum_share_of_churners"] = out["churners"].cumsum() / total if total else np.nan
    out["cum_lift"] = out["cum_share_of_churners"] / out["cum_share_contacted"]
    return out


def reliability_table(y_true, probability, *, n_bins: int = 10, strategy: str = "quantile"):
    """Calibration check: do customers given a 30 % churn risk leave 30 % of the time.

    Parameters
    ----------
    y_true : array-like of bool
        Observed outcome.
    probability : array-like of float
        Predicted probabilities in [0, 1].
    n_bins : int, default 10
        Number of bins.
    strategy : {"quantile", "uniform"}, default "quantile"
        Bins with equal numbers of customers, or of equal width.

    Returns
    -------
    pandas.DataFrame
        One row per non-empty bin: ``customers``, ``mean_predicted``,
        ``observed_rate`` and their ``gap`` (observed - predicted).

    Examples
    --------
    >>> reliability_table([0, 0, 1, 1], [0.1, 0.2, 0.7, 0.9], n_bins=2)
         customers  mean_predicted  observed_rate   gap
    bin
    1            2            0.15            0.0 -0.15
    2            2            0.80            1.0  0.20
    """
    y, p = _scores(y_true, probability)
    if (p < 0).any() or (p > 1).any():
        raise ValueError("probability must lie in [0, 1]; pass predict_proba(X)[:, 1]")
    if strategy == "quantile":
        order = np.argsort(p, kind="stable")
        bins = np.empty(p.size, dtype=int)
        for i, chunk in enumerate(np.array_split(order, n_bins)):
            bins[chunk] = i + 1
    elif strategy == "uniform":
        bins = np.clip(np.floor(p * n_bins).astype(int), 0, n_bins - 1) + 1
    else:
        raise ValueError(f"strategy={strategy!r} is not valid; use 'quantile' or 'uniform'")
    df = pd.DataFrame({"bin": bins, "p": p, "y": y.astype(float)})
    out = df.groupby("bin").agg(customers=("y", "size"), mean_predicted=("p", "mean"),
                                observed_rate=("y", "mean"))  # fmt: skip
    out["gap"] = out["observed_rate"] - out["mean_predicted"]
    return out


def evaluate_churn_model(y_true, probability, *, k: int | float = 0.1) -> dict[str, float]:
    """Summary scores of a churn model on a later (test) period.

    Parameters
    ----------
    y_true : array-like of bool
        Observed churn in the test window (or the true churn from the
        generator's ``truth`` table).
    probability : array-like of float
        Predicted churn probabilities.
    k : int or float, default 0.1
        Contact list size for precision/recall at k (count or share).

    Returns
    -------
    dict
        ``auc`` (chance of ranking a random churner above a random stayer;
        0.5 = guessing), ``brier`` (mean squared error of the probabilities),
        ``churn_rate``, ``mean_predicted``, ``precision_at_k``,
        ``recall_at_k``, ``lift_at_k``.

    Examples
    --------
    >>> evaluate_churn_model([1, 0, 1, 0], [0.8, 0.3, 0.6, 0.4], k=2)["auc"]
    1.0
    """
    from sklearn.metrics import brier_score_loss, roc_auc_score

    y, p = _scores(y_true, probability)
    at_k = precision_recall_at_k(y, p, k)
    return {
        "auc": float(roc_auc_score(y, p)),
        "brier": float(brier_score_loss(y, p)),
        "churn_rate": float(y.mean()),
        "mean_predicted": float(p.mean()),
        "precision_at_k": at_k["precision"],
        "recall_at_k": at_k["recall"],
        "lift_at_k": at_k["lift"],
    }


def plot_lift(
    tables: pd.DataFrame | dict[str, pd.DataFrame],
    *,
    ax: plt.Axes | None = None,
    title: str = "How many churners does the call list catch?",
) -> plt.Axes:
    """Cumulative gains chart from :func:`lift_table` output(s), with the random line.

    Parameters
    ----------
    tables : pandas.DataFrame or dict of str to pandas.DataFrame
        One lift table, or several labelled ones (e.g. per model).
    ax : matplotlib.axes.Axes, optional
        Where to draw.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_lift(lift_table([1, 0, 1, 0], [.9, .8, .7, .1], n_bins=2))
    >>> ax.get_xlabel()
    'Share of customers contacted (highest risk first)'
    >>> plt.close("all")
    """
    if ax is None:
        _, ax = plt.subplots()
    items = tables.items() if isinstance(tables, dict) else [("model", tables)]
    for label, t in items:
        x = np.concatenate([[0.0], t["cum_share_contacted"].to_numpy()])
        y = np.concatenate([[0.0], t["cum_share_of_churners"].to_numpy()])
        ax.plot(x, y, marker="o", label=label)
    ax.plot([0, 1], [0, 1], ls="--", color="grey", label="random list")
    ax.set_xlabel("Share of customers contacted (highest risk first)")
    ax.set_ylabel("Share of all churners reached")
    ax.set_title(title)
    ax.legend()
    return ax


# ------------------------------------------------------------------ win-back


def win_back_targets(
    scores: pd.DataFrame,
    *,
    p_churn: str = "p_churn",
    value: str = "value",
    save_rate: float | str = 0.3,
    offer_cost: float | str = 0.0,
    budget: float | None = None,
) -> pd.DataFrame:
    """Rank customers by the expected value a retention offer saves.

    ``expected_saved = P(churn) x value x save_rate - offer_cost``

    where *value* is what the customer is worth if they stay (e.g. next
    year's margin or CLV) and *save_rate* the chance the offer keeps a
    customer who would otherwise leave. A customer almost sure to leave but
    worth little is not worth an offer; a valuable customer with a moderate
    risk may be. Ranking by churn probability alone ignores both.

    Parameters
    ----------
    scores : pandas.DataFrame
        One row per customer, with a churn probability and a value column.
    p_churn, value : str
        Column names.
    save_rate : float or str, default 0.3
        A share in [0, 1], or the name of a per-customer column.
    offer_cost : float or str, default 0
        Cost of one offer, or the name of a per-customer column.
    budget : float, optional
        Money available for offers; customers are taken in rank order while
        the cumulative offer cost fits.

    Returns
    -------
    pandas.DataFrame
        ``scores`` sorted by ``expected_saved`` (highest first) with columns
        ``expected_saved``, ``rank`` and ``target`` (True when the expected
        saving is positive and within the budget).

    Examples
    --------
    >>> s = pd.DataFrame({"p_churn": [0.9, 0.5, 0.2], "value": [10.0, 150.0, 500.0]},
    ...                  index=pd.Index(["a", "b", "c"], name="customer_id"))
    >>> win_back_targets(s, save_rate=0.5, offer_cost=8.0)
                 p_churn  value  expected_saved  rank  target
    customer_id
    c                0.2  500.0            42.0     1    True
    b                0.5  150.0            29.5     2    True
    a                0.9   10.0            -3.5     3   False
    """
    _require(scores, [p_churn, value], "scores")

    def _col_or_scalar(x, name, lo=None, hi=None):
        if isinstance(x, str):
            _require(scores, [x], "scores")
            v = scores[x].astype(float)
        else:
            v = pd.Series(float(x), index=scores.index)
        if (lo is not None and (v < lo).any()) or (hi is not None and (v > hi).any()):
            raise ValueError(f"{name} must lie between {lo} and {hi}; got {x!r}")
        return v

    p = scores[p_churn].astype(float)
    if ((p < 0) | (p > 1)).any():
        raise ValueError(f"column {p_churn!r} must hold probabilities in [0, 1]")
    rate = _col_or_scalar(save_rate, "save_rate", 0.0, 1.0)
    cost = _col_or_scalar(offer_cost, "offer_cost", 0.0, None)
    out = scores.copy()
    out["expected_saved"] = p * scores[value].astype(float) * rate - cost
    out["_cost"] = cost
    out = out.sort_values("expected_saved", ascending=False, kind="stable")
    out["rank"] = np.arange(1, len(out) + 1)
    target = out["expected_saved"] > 0
    if budget is not None:
        if budget < 0:
            raise ValueError(f"budget={budget!r} must be zero or positive")
        target &= out["_cost"].where(target, 0.0).cumsum() <= budget
    out["target"] = target
    return out.drop(columns="_cost")


def _require(df: object, cols: Sequence[str], arg: str = "transactions") -> None:
    require_columns(df, cols, arg)
