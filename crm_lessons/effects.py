"""Measuring CRM effects properly (效果評估 / 效果评估).

Claims such as "CRM raises sales 20-30 %" or "targeting lifts response
15-25 %" are only worth something when they compare what happened with what
*would* have happened without the action. This module gives the three tools a
small business needs to make that comparison:

* **A/B test with a control group** (對照組 / 对照组): :func:`ab_test` compares
  the customers who got a campaign with randomly held-out customers who did
  not, on conversion and on revenue per customer, with confidence intervals;
  :func:`campaign_roi` turns the revenue difference into an incremental ROI
  and shows how far the naive ROI (all revenue of the treated) is off.
* **Uplift by segment** (分群提升 / 分群提升): :class:`TwoModelUplift` (one
  model on the treated, one on the controls; the uplift is the difference of
  their predictions), :func:`uplift_by_segment` (observed and predicted uplift
  per segment) and :func:`uplift_curve` (what targeting the customers with the
  highest predicted uplift gains over targeting at random).
* **Before/after traps**: :func:`before_after` shows how a "sales rose X %
  after we started CRM" figure mixes in seasonality and corrects it with the
  same dates a year earlier; :func:`member_spend_comparison` shows the
  selection trap of loyalty programmes (members already spent more before they
  joined) and estimates the programme's effect by difference-in-differences.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"group": ["treatment"] * 4 + ["control"] * 4,
...                   "converted": [1, 1, 0, 0, 1, 0, 0, 0],
...                   "revenue": [10.0, 20.0, 0.0, 0.0, 10.0, 0.0, 0.0, 0.0]})
>>> ab_test(t)["difference"].tolist()
[0.25, 5.0]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from crm_lessons import schema
from crm_lessons._checks import require_columns as _check_frame

__all__ = [
    "TwoModelUplift",
    "ab_test",
    "before_after",
    "campaign_roi",
    "member_spend_comparison",
    "placebo_before_after",
    "required_sample_size",
    "uplift_by_segment",
    "uplift_curve",
]


def _check_confidence(confidence: float) -> float:
    if not isinstance(confidence, float | int) or not 0 < confidence < 1:
        raise ValueError(f"confidence={confidence!r} is not valid; use a number between 0 and 1")
    return float(confidence)


def _arms(
    df: pd.DataFrame, group: str, treatment: str, control: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    values = set(df[group].dropna().astype(str))
    for label, arg in ((treatment, "treatment"), (control, "control")):
        if label not in values:
            raise ValueError(
                f"{arg}={label!r} does not occur in column {group!r}; values found: "
                f"{sorted(values)}"
            )
    g = df[group].astype(str)
    return df[g == treatment], df[g == control]


def _diff_ci(
    x_t: np.ndarray, x_c: np.ndarray, confidence: float, binary: bool
) -> dict[str, float]:
    """Difference of means with a Welch (or normal, for 0/1 data) interval."""
    n_t, n_c = len(x_t), len(x_c)
    m_t, m_c = float(np.mean(x_t)), float(np.mean(x_c))
    if binary:
        var_t, var_c = m_t * (1 - m_t), m_c * (1 - m_c)
    else:
        var_t = float(np.var(x_t, ddof=1)) if n_t > 1 else np.nan
        var_c = float(np.var(x_c, ddof=1)) if n_c > 1 else np.nan
    se = float(np.sqrt(var_t / n_t + var_c / n_c))
    diff = m_t - m_c
    if binary:
        q = float(stats.norm.ppf(0.5 + confidence / 2))
        p = float(2 * stats.norm.sf(abs(diff) / se)) if se > 0 else np.nan
    else:
        a, b = var_t / n_t, var_c / n_c
        dof = (a + b) ** 2 / (a**2 / (n_t - 1) + b**2 / (n_c - 1)) if (a + b) > 0 else np.inf
        q = float(stats.t.ppf(0.5 + confidence / 2, dof))
        p = float(2 * stats.t.sf(abs(diff) / se, dof)) if se > 0 else np.nan
    return {
        "treatment": m_t,
        "control": m_c,
        "difference": diff,
        "ci_low": diff - q * se,
        "ci_high": diff + q * se,
        "relative_lift": diff / m_c if m_c != 0 else np.nan,
        "p_value": p,
        "n_treatment": n_t,
        "n_control": n_c,
    }


def ab_test(
    df: pd.DataFrame,
    *,
    by: str | None = None,
    confidence: float = 0.95,
    group: str = "group",
    converted: str = "converted",
    revenue: str = "revenue",
    treatment: str = "treatment",
    control: str = "control",
) -> pd.DataFrame:
    """Compare a treated group with a random control group on conversion and revenue.

    One row per customer (e.g. the ``touches`` table of one campaign):
    ``group`` says whether the customer got the message (``treatment``) or was
    held out (``control``), ``converted`` whether they bought in the campaign
    window and ``revenue`` how much.

    Definitions (for each metric, ``t`` treated, ``c`` control):

    * conversion rate: share of customers with ``converted`` true.
    * revenue per customer: mean ``revenue`` over **all** customers of the
      group, buyers or not (so it combines conversion and basket size).
    * difference: ``t - c``: the campaign's average effect per targeted
      customer, because the control group shows what the treated would have
      done anyway (randomisation makes the two groups alike).
    * interval: for the conversion difference the normal (Wald) interval
      ``d +- z * sqrt(p_t(1-p_t)/n_t + p_c(1-p_c)/n_c)``; for revenue Welch's
      interval ``d +- t_dof * sqrt(s_t^2/n_t + s_c^2/n_c)`` with
      Welch-Satterthwaite degrees of freedom. ``p_value`` is the matching
      two-sided test of "no difference".
    * relative lift: ``difference / c``, the "+x %" figure.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per customer with the columns below.
    by : str, optional
        Column to split by (e.g. ``"campaign_id"`` or a segment); one block of
        rows per value.
    confidence : float, default 0.95
        Confidence level of the intervals.
    group, converted, revenue : str
        Column names.
    treatment, control : str
        The values of ``group`` marking the two arms.

    Returns
    -------
    pandas.DataFrame
        Index ``metric`` (``conversion rate``, ``revenue per customer``), or
        ``(by, metric)``; columns ``treatment, control, difference, ci_low,
        ci_high, relative_lift, p_value, n_treatment, n_control``.

    Examples
    --------
    >>> t = pd.DataFrame({"group": ["treatment"] * 4 + ["control"] * 4,
    ...                   "converted": [1, 1, 0, 0, 1, 0, 0, 0],
    ...                   "revenue": [10.0, 20.0, 0.0, 0.0, 10.0, 0.0, 0.0, 0.0]})
    >>> r = ab_test(t)
    >>> r.loc["conversion rate", ["treatment", "control", "relative_lift"]].tolist()
    [0.5, 0.25, 1.0]
    >>> r.loc["conversion rate", ["ci_low", "ci_high"]].round(4).tolist()
    [-0.3982, 0.8982]
    """
    confidence = _check_confidence(confidence)
    _check_frame(df, [group, converted, revenue] + ([by] if by else []), "df")
    if by is not None:
        parts = []
        for key, sub in df.groupby(by, sort=True, observed=True):
            r = ab_test(
                sub,
                confidence=confidence,
                group=group,
                converted=converted,
                revenue=revenue,
                treatment=treatment,
                control=control,
            )
            parts.append(r.assign(**{by: key}).set_index(by, append=True).swaplevel())
        return pd.concat(parts)
    t, c = _arms(df, group, treatment, control)
    rows = {}
    for name, col, binary in (
        ("conversion rate", converted, True),
        ("revenue per customer", revenue, False),
    ):
        xt = t[col].astype("float64").to_numpy()
        xc = c[col].astype("float64").to_numpy()
        n_missing = int(np.isnan(xt).sum() + np.isnan(xc).sum())
        if n_missing:
            raise ValueError(
                f"column {col!r} has {n_missing} missing value(s); fill them (0 for no "
                "purchase) or drop those customers explicitly before the test"
            )
        rows[name] = _diff_ci(xt, xc, confidence, binary)
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "metric"
    return out


def campaign_roi(
    df: pd.DataFrame,
    *,
    margin: float = 1.0,
    confidence: float = 0.95,
    group: str = "group",
    revenue: str = "revenue",
    cost: str = "cost",
    treatment: str = "treatment",
    control: str = "control",
) -> pd.Series:
    """Return a campaign's naive and incremental return on investment.

    * cost: sum of ``cost`` over the treated customers.
    * naive ROI: ``(margin * revenue of all treated - cost) / cost``: counts
      every purchase of a treated customer as caused by the campaign.
    * incremental revenue: ``n_treated * (mean revenue treated - mean revenue
      control)``: only the purchases the campaign added.
    * incremental ROI: ``(margin * incremental revenue - cost) / cost``, with
      the interval carried over from the revenue difference of :func:`ab_test`.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per customer, as for :func:`ab_test`, with a ``cost`` column.
    margin : float, default 1.0
        Gross margin on revenue (1.0 counts revenue as profit).
    confidence : float, default 0.95
        Confidence level.
    group, revenue, cost, treatment, control : str
        Column names and group labels.

    Returns
    -------
    pandas.Series
        ``n_treated, cost, revenue_treated, naive_roi, incremental_revenue,
        incremental_revenue_low, incremental_revenue_high, incremental_roi,
        incremental_roi_low, incremental_roi_high``.

    Examples
    --------
    >>> t = pd.DataFrame({"group": ["treatment"] * 2 + ["control"] * 2,
    ...                   "revenue": [30.0, 10.0, 10.0, 10.0], "cost": [2.0, 2.0, 0.0, 0.0]})
    >>> r = campaign_roi(t)
    >>> r[["cost", "naive_roi", "incremental_revenue", "incremental_roi"]].tolist()
    [4.0, 9.0, 20.0, 4.0]
    """
    if not isinstance(margin, float | int) or not 0 < margin <= 1:
        raise ValueError(f"margin={margin!r} is not valid; use a share between 0 and 1")
    _check_frame(df, [group, revenue, cost], "df")
    t, c = _arms(df, group, treatment, control)
    d = _diff_ci(
        t[revenue].astype("float64").to_numpy(),
        c[revenue].astype("float64").to_numpy(),
        _check_confidence(confidence),
        binary=False,
    )
    n_t = len(t)
    spend = float(t[cost].sum())
    if spend <= 0:
        raise ValueError(f"the treated customers' {cost!r} sums to {spend}; ROI needs a cost > 0")
    inc, lo, hi = (n_t * d[k] for k in ("difference", "ci_low", "ci_high"))
    return pd.Series(
        {
            "n_treated": float(n_t),
            "cost": spend,
            "revenue_treated": float(t[revenue].sum()),
            "naive_roi": (margin * float(t[revenue].sum()) - spend) / spend,
            "incremental_revenue": inc,
            "incremental_revenue_low": lo,
            "incremental_revenue_high": hi,
            "incremental_roi": (margin * inc - spend) / spend,
            "incremental_roi_low": (margin * lo - spend) / spend,
            "incremental_roi_high": (margin * hi - spend) / spend,
        }
    )


def required_sample_size(
    p_control: float, uplift: float, *, alpha: float = 0.05, power: float = 0.8
) -> int:
    """Customers needed **per group** to detect a conversion uplift with a two-sided test.

    The usual normal-approximation formula for two proportions
    ``p1 = p_control`` and ``p2 = p_control + uplift``::

        n = (z_(1-alpha/2) sqrt(2 pbar (1 - pbar)) + z_power sqrt(p1 q1 + p2 q2))^2 / uplift^2

    with ``pbar = (p1 + p2) / 2``, rounded up. Halving the uplift you want to
    see multiplies the customers needed by about four.

    Parameters
    ----------
    p_control : float
        Expected conversion without the campaign (0-1).
    uplift : float
        The smallest uplift worth detecting, in percentage points as a share
        (0.02 = +2 points).
    alpha : float, default 0.05
        Chance of a false alarm (two-sided).
    power : float, default 0.8
        Chance of detecting a real uplift of that size.

    Returns
    -------
    int

    Examples
    --------
    >>> required_sample_size(0.5, 0.1)
    388
    >>> required_sample_size(0.05, 0.02)
    2213
    """
    for name, v in (("p_control", p_control), ("alpha", alpha), ("power", power)):
        if not isinstance(v, float | int) or not 0 < v < 1:
            raise ValueError(f"{name}={v!r} is not valid; use a number between 0 and 1")
    p2 = p_control + uplift
    if uplift == 0 or not 0 < p2 < 1:
        raise ValueError(
            f"uplift={uplift!r} is not valid: it must be non-zero and keep "
            f"p_control + uplift = {p2} between 0 and 1"
        )
    pbar = (p_control + p2) / 2
    za = stats.norm.ppf(1 - alpha / 2)
    zb = stats.norm.ppf(power)
    top = za * np.sqrt(2 * pbar * (1 - pbar)) + zb * np.sqrt(
        p_control * (1 - p_control) + p2 * (1 - p2)
    )
    return int(np.ceil(top**2 / uplift**2))


class TwoModelUplift:
    """Uplift model with two learners: one for treated customers, one for controls.

    The predicted uplift of a customer is ``f_t(x) - f_c(x)``: the chance (or
    expected revenue) if treated minus the chance if not, each learned from
    the group that really was treated or not. Simple and easy to explain; its
    weakness is that each model is fitted on half the data and their errors
    do not cancel, so check it on held-out customers (:func:`uplift_curve`).

    Parameters
    ----------
    estimator : sklearn estimator, optional
        Cloned for each arm. Classifiers use ``predict_proba[:, 1]``,
        regressors ``predict``. Default: a logistic regression.
    random_state : int, numpy.random.Generator or None
        Passed to the cloned estimators that take a ``random_state``.

    Attributes
    ----------
    model_treatment_, model_control_ : fitted estimators

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(4000, 1))
    >>> treated = rng.random(4000) < 0.5
    >>> p = 0.2 + 0.2 * treated * (x[:, 0] > 0)   # only customers with x > 0 react
    >>> y = rng.random(4000) < p
    >>> m = TwoModelUplift().fit(x, treated, y)
    >>> u = m.predict(np.array([[-1.5], [1.5]]))
    >>> bool(u[1] > 0.15 and abs(u[0]) < 0.1)
    True
    """

    def __init__(self, estimator: object | None = None, *, random_state: object = None):
        self.estimator = estimator
        self.random_state = random_state

    def _make(self, seed: int) -> object:
        from sklearn.base import clone
        from sklearn.linear_model import LogisticRegression

        est = clone(self.estimator) if self.estimator is not None else LogisticRegression()
        if "random_state" in est.get_params():
            est.set_params(random_state=seed)
        return est

    def fit(self, X: object, treatment: object, y: object) -> TwoModelUplift:
        """Fit one model on the treated rows and one on the control rows.

        Parameters
        ----------
        X : array-like or DataFrame, shape (n, k)
            Customer features (measured before the campaign).
        treatment : array-like of bool, shape (n,)
            True for treated customers.
        y : array-like, shape (n,)
            Outcome (0/1 conversion, or revenue with a regressor).

        Returns
        -------
        TwoModelUplift
            The fitted model.
        """
        rng = np.random.default_rng(self.random_state)  # type: ignore[arg-type]
        tr = np.asarray(treatment).astype(bool)
        yy = np.asarray(y)
        if tr.ndim != 1 or len(tr) != len(yy):
            raise ValueError(
                f"treatment has shape {tr.shape} and y {yy.shape}; both must be 1-D of length n"
            )
        if tr.all() or not tr.any():
            raise ValueError("treatment must contain both treated (True) and control (False) rows")
        Xa = X.iloc if isinstance(X, pd.DataFrame) else np.asarray(X)
        seeds = rng.integers(0, 2**31 - 1, size=2)
        self.model_treatment_ = self._make(int(seeds[0])).fit(Xa[tr], yy[tr])
        self.model_control_ = self._make(int(seeds[1])).fit(Xa[~tr], yy[~tr])
        return self

    @staticmethod
    def _score(model: object, X: object) -> np.ndarray:
        if hasattr(model, "predict_proba"):
            return model.predict_proba(X)[:, 1]
        return model.predict(X)

    def predict(self, X: object) -> np.ndarray:
        """Predicted uplift ``f_t(x) - f_c(x)`` per row.

        Parameters
        ----------
        X : array-like or DataFrame, shape (n, k)
            Customer features, same columns as in :meth:`fit`.

        Returns
        -------
        numpy.ndarray, shape (n,)
        """
        if not hasattr(self, "model_control_"):
            raise ValueError("this TwoModelUplift is not fitted yet; call fit(X, treatment, y)")
        return self._score(self.model_treatment_, X) - self._score(self.model_control_, X)


def uplift_by_segment(
    df: pd.DataFrame,
    segment: str,
    *,
    predicted: str | None = None,
    truth: pd.Series | None = None,
    outcome: str = "converted",
    confidence: float = 0.95,
    group: str = "group",
    treatment: str = "treatment",
    control: str = "control",
) -> pd.DataFrame:
    """Observed uplift per segment with its interval, beside predicted and true uplift.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per customer with ``group``, ``outcome`` and ``segment``.
    segment : str
        Column holding the segment label.
    predicted : str, optional
        Column with a per-customer predicted uplift (e.g. from
        :class:`TwoModelUplift`); its mean per segment is shown.
    truth : pandas.Series, optional
        True uplift per segment (index: segment labels), when known.
    outcome : str, default "converted"
        The outcome compared (0/1 or money).
    confidence : float, default 0.95
        Confidence level.
    group, treatment, control : str
        Column name and group labels.

    Returns
    -------
    pandas.DataFrame
        Per segment: ``n_treatment, n_control, treatment, control,
        observed_uplift, ci_low, ci_high`` (+ ``predicted_uplift``,
        ``true_uplift``, ``truth_in_ci`` when given).

    Examples
    --------
    >>> t = pd.DataFrame({"seg": ["a"] * 4 + ["b"] * 4,
    ...                   "group": ["treatment", "treatment", "control", "control"] * 2,
    ...                   "converted": [1, 1, 0, 0, 1, 0, 1, 0]})
    >>> uplift_by_segment(t, "seg")["observed_uplift"].tolist()
    [1.0, 0.0]
    """
    confidence = _check_confidence(confidence)
    cols = [group, outcome, segment] + ([predicted] if predicted else [])
    _check_frame(df, cols, "df")
    binary = set(pd.unique(df[outcome].astype("float64").dropna())) <= {0.0, 1.0}
    rows = {}
    for key, sub in df.groupby(segment, sort=True, observed=True):
        t, c = _arms(sub, group, treatment, control)
        d = _diff_ci(
            t[outcome].astype("float64").to_numpy(),
            c[outcome].astype("float64").to_numpy(),
            confidence,
            binary,
        )
        row = {
            "n_treatment": d["n_treatment"],
            "n_control": d["n_control"],
            "treatment": d["treatment"],
            "control": d["control"],
            "observed_uplift": d["difference"],
            "ci_low": d["ci_low"],
            "ci_high": d["ci_high"],
        }
        if predicted:
            row["predicted_uplift"] = float(sub[predicted].mean())
        rows[key] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = segment
    if truth is not None:
        out["true_uplift"] = truth.reindex(out.index).astype("float64")
        out["truth_in_ci"] = (out["ci_low"] <= out["true_uplift"]) & (
            out["true_uplift"] <= out["ci_high"]
        )
    return out


def uplift_curve(
    df: pd.DataFrame,
    score: str,
    *,
    outcome: str = "converted",
    bins: int = 10,
    group: str = "group",
    treatment: str = "treatment",
    control: str = "control",
) -> pd.DataFrame:
    """What targeting the top-scored customers gains over targeting at random.

    Customers are sorted by ``score`` (highest predicted uplift first) and cut
    into ``bins`` equal slices. For the top ``k`` slices the uplift is
    estimated from the treated and control customers inside them, and the
    *incremental outcome* of treating only those is ``uplift_top * n_top``.
    Targeting the same number of customers at random would gain
    ``uplift_all * n_top``. Use customers the model did **not** learn from.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per customer with ``group``, ``outcome`` and ``score``.
    score : str
        Column with the predicted uplift.
    outcome : str, default "converted"
        Column with the outcome.
    bins : int, default 10
        Number of slices.
    group, treatment, control : str
        Column name and group labels.

    Returns
    -------
    pandas.DataFrame
        Per ``share_targeted`` (0.1, 0.2, ... 1.0): ``customers``,
        ``uplift_top``, ``incremental_model``, ``incremental_random`` and
        ``gain_vs_random`` (``incremental_model / incremental_random - 1``).

    Examples
    --------
    >>> t = pd.DataFrame({"s": [4, 3, 2, 1] * 2,
    ...                   "group": ["treatment"] * 4 + ["control"] * 4,
    ...                   "converted": [1, 1, 0, 0, 0, 0, 0, 0]})
    >>> c = uplift_curve(t, "s", bins=2)
    >>> c[["uplift_top", "incremental_model", "incremental_random"]].to_numpy().tolist()
    [[1.0, 4.0, 2.0], [0.5, 4.0, 4.0]]
    """
    _check_frame(df, [group, outcome, score], "df")
    if isinstance(bins, bool) or not isinstance(bins, int) or bins < 1:
        raise ValueError(f"bins={bins!r} is not valid; use a whole number >= 1")
    t_all, c_all = _arms(df, group, treatment, control)
    uplift_all = float(t_all[outcome].astype("float64").mean()) - float(
        c_all[outcome].astype("float64").mean()
    )
    order = df.sort_values(score, ascending=False, kind="stable").reset_index(drop=True)
    n = len(order)
    rows = []
    for k in range(1, bins + 1):
        top = order.iloc[: int(round(n * k / bins))]
        is_t = top[group].astype(str) == treatment
        is_c = top[group].astype(str) == control
        if not is_t.any() or not is_c.any():
            up = np.nan
        else:
            y = top[outcome].astype("float64")
            up = float(y[is_t].mean() - y[is_c].mean())
        inc_model = up * len(top)
        inc_random = uplift_all * len(top)
        rows.append(
            {
                "share_targeted": k / bins,
                "customers": len(top),
                "uplift_top": up,
                "incremental_model": inc_model,
                "incremental_random": inc_random,
                "gain_vs_random": inc_model / inc_random - 1 if inc_random else np.nan,
            }
        )
    return pd.DataFrame(rows).set_index("share_targeted")


def _daily_sales(orders: pd.DataFrame, date: str, amount: str) -> pd.Series:
    d = pd.to_datetime(orders[date]).dt.normalize()
    return orders[amount].astype("float64").groupby(d).sum()


def before_after(
    orders: pd.DataFrame,
    *,
    change_date: str | pd.Timestamp,
    days: int = 90,
    compare_year: bool = True,
    date: str = schema.DATE,
    amount: str = schema.AMOUNT,
) -> pd.DataFrame:
    """The naive "sales rose x % after the change" figure, and the same with seasons removed.

    Compares sales in the ``days`` days before ``change_date`` with the
    ``days`` days from it on; then does the same for the dates one year
    earlier, when nothing changed. If sales also "rose" then, the rise is
    (partly) the season. The season-adjusted change is the ratio of the two
    ratios minus one: ``(after / before) / (after_ly / before_ly) - 1``.

    Parameters
    ----------
    orders : pandas.DataFrame
        Orders or transactions with ``date`` and ``amount`` (refunds negative).
    change_date : str or pandas.Timestamp
        First day of the change (e.g. the CRM launch).
    days : int, default 90
        Length of each window.
    compare_year : bool, default True
        Add the two rows for the same dates a year earlier (needs a year of
        data before the *before* window).
    date, amount : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Rows ``around the change``, ``same dates a year earlier`` and
        ``adjusted for season`` (only the first without ``compare_year``);
        columns ``before``, ``after``, ``change`` (as a share: 0.25 = +25 %).

    Examples
    --------
    >>> o = pd.DataFrame({"date": pd.to_datetime(["2022-11-01", "2022-12-30",
    ...                                           "2023-11-01", "2023-12-30"]),
    ...                   "amount": [100.0, 120.0, 110.0, 143.0]})
    >>> before_after(o, change_date="2023-12-01", days=30)["change"].round(3).tolist()
    [0.3, 0.2, 0.083]
    """
    _check_frame(orders, [date, amount], "orders")
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValueError(f"days={days!r} is not valid; use a whole number of days >= 1")
    start = pd.Timestamp(change_date).normalize()
    daily = _daily_sales(orders, date, amount)
    first, last = daily.index.min(), daily.index.max()

    def window(s: pd.Timestamp) -> tuple[float, float]:
        lo, hi = s - pd.Timedelta(days=days), s + pd.Timedelta(days=days)
        if lo < first or hi - pd.Timedelta(days=1) > last:
            raise ValueError(
                f"the windows {lo.date()} .. {(hi - pd.Timedelta(days=1)).date()} are not "
                f"inside the data ({first.date()} .. {last.date()}); move change_date or "
                "shorten days"
            )
        before = float(daily[(daily.index >= lo) & (daily.index < s)].sum())
        after = float(daily[(daily.index >= s) & (daily.index < hi)].sum())
        return before, after

    b, a = window(start)
    if not compare_year:
        return pd.DataFrame(
            {"before": [b], "after": [a], "change": [a / b - 1]},
            index=pd.Index(["around the change"], name="comparison"),
        )
    b0, a0 = window(start - pd.DateOffset(years=1))
    out = pd.DataFrame(
        {
            "before": [b, b0, np.nan],
            "after": [a, a0, np.nan],
            "change": [a / b - 1, a0 / b0 - 1, (a / b) / (a0 / b0) - 1],
        },
        index=pd.Index(
            ["around the change", "same dates a year earlier", "adjusted for season"],
            name="comparison",
        ),
    )
    return out


def placebo_before_after(
    orders: pd.DataFrame,
    *,
    days: int = 90,
    dates: Sequence[str | pd.Timestamp] | None = None,
    date: str = schema.DATE,
    amount: str = schema.AMOUNT,
) -> pd.Series:
    """The naive before/after change for many "pretend" change dates (a placebo test).

    If a before/after comparison around dates when **nothing** changed gives
    rises as large as the one claimed for the real change, the claim shows
    nothing but the usual ups and downs (season, growth of the customer base).

    Parameters
    ----------
    orders : pandas.DataFrame
        Orders with ``date`` and ``amount``.
    days : int, default 90
        Window length, as in :func:`before_after`.
    dates : sequence of dates, optional
        Pretend change dates; default every first of a month whose two windows
        fit inside the data.
    date, amount : str
        Column names.

    Returns
    -------
    pandas.Series
        Naive change (``after / before - 1``) per pretend date.

    Examples
    --------
    >>> o = pd.DataFrame({"date": pd.date_range("2024-01-01", "2024-12-31"), "amount": 1.0})
    >>> placebo_before_after(o, days=30).round(3).tolist()[:2]
    [0.0, 0.0]
    """
    _check_frame(orders, [date, amount], "orders")
    t = pd.to_datetime(orders[date])
    if dates is None:
        lo = t.min().normalize() + pd.Timedelta(days=days)
        hi = t.max().normalize() - pd.Timedelta(days=days - 1)
        dates = [d for d in pd.date_range(lo, hi, freq="MS")]
    out = {
        pd.Timestamp(d): float(
            before_after(
                orders, change_date=d, days=days, compare_year=False, date=date, amount=amount
            ).loc["around the change", "change"]
        )
        for d in dates
    }
    s = pd.Series(out, name="naive_change")
    s.index.name = "pretend_change_date"
    return s


def member_spend_comparison(
    orders: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    months: int = 3,
    confidence: float = 0.95,
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
    amount: str = schema.AMOUNT,
    is_member: str = "is_member",
    member_since: str = "member_since",
    signup_date: str = "signup_date",
) -> pd.DataFrame:
    """Show the loyalty-programme selection trap and estimate the real effect.

    Calendar months are the unit (months are counted from the first month
    with an order). For a member who joined in month ``m``, the ``months``
    months before ``m`` are *before* and the ``months`` months after ``m`` are
    *after*; the joining month itself is left out. A member is used only if

    * both windows lie inside the data, and
    * they were a customer for at least one month before the *before* window
      (signed up in an earlier month), so the window holds ordinary months,
      not the first purchase that made them a customer.

    Each member is compared with the **non-members who signed up in the same
    month** (same cohort, 同期顧客 / 同期顾客), over the same calendar months:
    customers of the same age, so the comparison is not skewed by how spend
    changes as customers get older. Members left out are counted, with the
    reason, in ``attrs["excluded_members"]``.

    Returned rows (monthly spend per customer):

    * ``headline: all members vs all non-members``: spend per customer-month
      from sign-up (or the start of the data) to the end: the usual "members
      spend twice as much" figure.
    * ``after joining``: the eligible members in their *after* window, beside
      their cohort's non-members in the same months.
    * ``before joining``: the same customers before they joined. If members
      already spent much more then, the headline is mostly **selection**: the
      programme attracts customers who were better to begin with.
    * ``difference-in-differences``: members' change (after - before) minus
      their cohort non-members' change: the programme's effect on monthly
      spend per member, with a t interval over members.

    Parameters
    ----------
    orders : pandas.DataFrame
        Orders with ``customer_id``, ``date``, ``amount`` (refunds negative).
    customers : pandas.DataFrame
        With ``customer_id``, ``is_member``, ``member_since``, ``signup_date``.
    months : int, default 3
        Length of the before and after windows. Short windows keep more
        members when they join soon after signing up.
    confidence : float, default 0.95
        Confidence level of the difference-in-differences interval.
    customer_id, date, amount, is_member, member_since, signup_date : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Index as above; columns ``members``, ``non_members``, ``difference``,
        ``ratio``, ``ci_low``, ``ci_high`` (interval on the last row only) and
        ``n_members`` (members behind each row).

    Examples
    --------
    >>> cust = pd.DataFrame({"customer_id": ["M", "N"], "is_member": [True, False],
    ...     "member_since": pd.to_datetime(["2024-03-10", None]),
    ...     "signup_date": pd.to_datetime(["2023-12-01", "2023-12-01"])})
    >>> o = pd.DataFrame({"customer_id": ["M", "M", "N", "N"],
    ...     "date": pd.to_datetime(["2024-02-05", "2024-04-05", "2024-02-07", "2024-04-07"]),
    ...     "amount": [40.0, 60.0, 20.0, 25.0]})
    >>> r = member_spend_comparison(o, cust, months=1)
    >>> r[["members", "non_members", "difference"]].round(2).to_numpy().tolist()
    [[33.33, 15.0, 18.33], [60.0, 25.0, 35.0], [40.0, 20.0, 20.0], [20.0, 5.0, 15.0]]
    """
    _check_frame(orders, [customer_id, date, amount], "orders")
    _check_frame(customers, [customer_id, is_member, member_since, signup_date], "customers")
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        raise ValueError(f"months={months!r} is not valid; use a whole number >= 1")
    confidence = _check_confidence(confidence)

    o = orders.dropna(subset=[customer_id])
    d = pd.to_datetime(o[date])
    mi = (d.dt.year * 12 + d.dt.month - 1).to_numpy()  # month number
    first_m, last_m = int(mi.min()), int(mi.max())
    n_months = last_m - first_m + 1
    cust = customers.drop_duplicates(customer_id).set_index(customer_id)
    row = pd.Index(cust.index).get_indexer(o[customer_id])
    unknown = int((row < 0).sum())
    if unknown:
        raise ValueError(
            f"orders has {unknown} row(s) whose {customer_id!r} is not in customers; "
            "pass the full customers table"
        )
    spend = np.zeros((len(cust), n_months))
    np.add.at(spend, (row, mi - first_m), o[amount].astype("float64").to_numpy())

    def month_no(col: str) -> np.ndarray:
        t = pd.to_datetime(cust[col])
        return (t.dt.year * 12 + t.dt.month - 1 - first_m).to_numpy(dtype="float64")

    signup = month_no(signup_date)
    join = month_no(member_since)
    member = cust[is_member].fillna(False).astype(bool).to_numpy()
    cols = np.arange(n_months)

    # headline: spend per customer-month since sign-up (within the data)
    active = (signup[:, None] <= cols[None, :]) | np.isnan(signup)[:, None]
    cm = active.sum(axis=1)
    head_m = float(spend[member].sum() / max(cm[member].sum(), 1))
    head_n = float(spend[~member].sum() / max(cm[~member].sum(), 1))

    # non-member mean spend per (sign-up cohort, calendar month)
    nm = ~member & ~np.isnan(signup)
    cohorts, cohort_idx = np.unique(signup[nm], return_inverse=True)
    sums = np.zeros((len(cohorts), n_months))
    np.add.at(sums, cohort_idx, spend[nm])
    nm_mean = sums / np.bincount(cohort_idx, minlength=len(cohorts))[:, None]

    no_date = member & np.isnan(join)
    early = member & ~no_date & (join - months < 0)
    late = member & ~no_date & ~early & (join + months >= n_months)
    ok = member & ~no_date & ~early & ~late
    not_before = ok & ~(signup < join - months)
    ok &= ~not_before
    pos = np.searchsorted(cohorts, signup)
    has_cohort = np.zeros(len(cust), dtype=bool)
    valid = ok & (pos < len(cohorts))
    has_cohort[valid] = cohorts[pos[valid]] == signup[valid]
    no_cohort = ok & ~has_cohort
    ok &= has_cohort
    excluded = {
        "member without member_since": int(no_date.sum()),
        "joined too early for a full before window": int(early.sum()),
        "joined too late for a full after window": int(late.sum()),
        "not a customer before the before window": int(not_before.sum()),
        "no non-member signed up in the same month": int(no_cohort.sum()),
    }
    if not ok.any():
        raise ValueError(
            f"no member has {months} month(s) of data before and after joining; "
            f"excluded: {excluded}. Use fewer months."
        )
    j = join[ok].astype(int)
    offs = np.arange(1, months + 1)
    before_idx = j[:, None] - offs[None, :]
    after_idx = j[:, None] + offs[None, :]
    r = np.arange(len(j))[:, None]
    sp = spend[ok]
    coh = pos[ok][:, None]
    m_before = sp[r, before_idx].mean(axis=1)
    m_after = sp[r, after_idx].mean(axis=1)
    n_before = nm_mean[coh, before_idx].mean(axis=1)
    n_after = nm_mean[coh, after_idx].mean(axis=1)
    did = (m_after - m_before) - (n_after - n_before)
    n = len(did)
    se = float(np.std(did, ddof=1) / np.sqrt(n)) if n > 1 else np.nan
    q = float(stats.t.ppf(0.5 + confidence / 2, max(n - 1, 1)))
    out = pd.DataFrame(
        {
            "members": [head_m, m_after.mean(), m_before.mean(), (m_after - m_before).mean()],
            "non_members": [head_n, n_after.mean(), n_before.mean(), (n_after - n_before).mean()],
        },
        index=pd.Index(
            [
                "headline: all members vs all non-members",
                "after joining",
                "before joining",
                "difference-in-differences",
            ],
            name="comparison",
        ),
    )
    out["difference"] = out["members"] - out["non_members"]
    out["ratio"] = out["members"] / out["non_members"]
    out.loc["difference-in-differences", "ratio"] = np.nan
    out["ci_low"] = [np.nan, np.nan, np.nan, did.mean() - q * se]
    out["ci_high"] = [np.nan, np.nan, np.nan, did.mean() + q * se]
    out["n_members"] = [int(member.sum()), n, n, n]
    out.attrs["excluded_members"] = excluded
    return out
