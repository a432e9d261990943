"""Customer lifetime value (顧客終身價值): from simple formulas to buy-till-you-die models.

The module walks the path a small business takes:

1. **Historical value** (:func:`historical_value`): what each customer has
   already spent and earned us. No model, no forecast.
2. **The simple retention formula** (:func:`retention_clv`):
   ``margin × r / (1 + d − r)``, the value of a customer who gives the same
   margin every period and stays each period with probability ``r``.
   Its assumptions are listed in :data:`RETENTION_CLV_ASSUMPTIONS`.
3. **Buy-till-you-die (BTYD) models** fitted with ``lifetimes``:
   BG/NBD (:func:`fit_bgnbd`), Pareto/NBD (:func:`fit_pareto_nbd`, with
   *fixed* starting values so the fit is the same on every run) for the
   number of future purchases, and Gamma-Gamma (:func:`fit_gamma_gamma`) for
   the spend per purchase. :func:`published_vs_ours` compares our CDNOW fits
   with the published numbers in :data:`PUBLISHED_CDNOW`.
4. **Discounted CLV over a horizon** (:func:`discounted_clv`).
5. **An honest test** (:func:`holdout_evaluation`): fit on a calibration
   period, predict a holdout period, and compare the models with naive
   baselines. If a baseline wins, the result says so.
6. **P(alive)** (:func:`p_alive`, :func:`p_alive_action`): the chance a
   customer is still "alive", turned into an action rule with its expected
   value.
7. **Fit diagnostics** (:func:`fit_diagnostics`): did the fit converge, are
   the parameters plausible, and what to do if not;
   :func:`crm_lessons.clv_checks.check_model` adds the matrices, the
   repeat-purchase histogram and the holdout check in one call.
8. **Intervals** (:mod:`crm_lessons.clv_fit`): parameter standard errors
   from the Hessian and, propagated, intervals for each customer's expected
   purchases, P(alive) and CLV and for segment totals.
9. **Contracts** (:mod:`crm_lessons.contractual`): the shifted-beta-geometric
   retention curve for subscriptions and contracts.

The conditional formulas run through :mod:`crm_lessons.btyd` (stable in log
space; installed into lifetimes by
:func:`crm_lessons.lifetimes_compat.patch_lifetimes`, which every fit here
calls), so the heaviest buyers get numbers, not NaN.

All BTYD functions take a *summary* table with one row per customer and the
columns ``frequency, recency, T, monetary_value`` (the names used by
lifetimes and pymc-marketing; see :data:`crm_lessons.schema.BTYD_COLUMNS`).
Build it from transactions with :func:`crm_lessons.rfm.btyd_summary`.

Examples
--------
>>> round(retention_clv(100, 0.8, 0.1), 2)
266.67
>>> from crm_lessons.datasets import load_cdnow_summary
>>> bgf = fit_bgnbd(load_cdnow_summary())
>>> bgf.params_.round(3).tolist()
[0.243, 4.414, 0.793, 2.426]
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from crm_lessons import schema
from crm_lessons._checks import require_columns

__all__ = [
    "PARETO_NBD_INITIAL_PARAMS",
    "PERIODS_PER_MONTH",
    "PUBLISHED_CDNOW",
    "RETENTION_CLV_ASSUMPTIONS",
    "HoldoutEvaluation",
    "discounted_clv",
    "fit_bgnbd",
    "fit_diagnostics",
    "fit_gamma_gamma",
    "fit_pareto_nbd",
    "historical_value",
    "holdout_evaluation",
    "p_alive",
    "p_alive_action",
    "p_alive_threshold",
    "published_vs_ours",
    "retention_clv",
    "retention_clv_table",
]

#: Published parameter estimates on the 2,357-customer CDNOW sample
#: (39-week calibration period, time in weeks).
PUBLISHED_CDNOW: dict[str, dict[str, Any]] = {
    "BG/NBD": {
        "params": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426},
        "source": (
            "Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). 'Counting your customers "
            "the easy way: an alternative to the Pareto/NBD model'. Marketing Science "
            "24(2), 275-284, Table 1 / Section 5."
        ),
    },
    "Pareto/NBD": {
        "params": {"r": 0.55, "alpha": 10.58, "s": 0.61, "beta": 11.67},
        "source": (
            "Fader, P. S. & Hardie, B. G. S. (2005). 'A note on deriving the Pareto/NBD "
            "model and related expressions', brucehardie.com/notes/009, and Fader, "
            "Hardie & Lee (2005), Marketing Science 24(2), 275-284."
        ),
    },
    "Gamma-Gamma": {
        "params": {"p": 6.25, "q": 3.74, "v": 15.44},
        "source": (
            "Fader, P. S. & Hardie, B. G. S. (2013). 'The Gamma-Gamma model of monetary "
            "value', brucehardie.com/notes/025 (946 repeat buyers of the CDNOW sample; "
            "the scale parameter gamma is called v in lifetimes)."
        ),
    },
}

#: Starting values of the Pareto/NBD optimiser, in lifetimes' internal time
#: scale (time divided by the largest ``T``): ``r, alpha, s, beta``. Fixed so
#: that the fit gives the same digits on every run (lifetimes draws random
#: starting values from the global NumPy state when none are given).
PARETO_NBD_INITIAL_PARAMS: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0)

#: How many time units of a BTYD summary make one month (as in lifetimes).
PERIODS_PER_MONTH: dict[str, float] = {"D": 30.0, "W": 4.345, "M": 1.0}

#: What the simple retention formula assumes, in plain words.
RETENTION_CLV_ASSUMPTIONS: tuple[str, ...] = (
    "Every period the customer brings the same margin (no growth, no cross-selling).",
    "The customer stays from one period to the next with the same probability r, "
    "whatever their age or history (constant retention).",
    "Once gone, a customer never comes back (no win-back).",
    "Margin arrives at the end of each period and is discounted at rate d per period.",
    "The customer is counted from the next period on: today's margin is already banked "
    "(add it if you want the value including the current period).",
    "The horizon is infinite unless you give one; retention r must be below 1 + d.",
)

_PUBLISHED_CDNOW_MODELS = tuple(PUBLISHED_CDNOW)


def _lifetimes():
    """Return lifetimes with the course's fixes installed (stable conditional formulas)."""
    from crm_lessons.lifetimes_compat import patch_lifetimes

    return patch_lifetimes()


def _check_summary(summary: Any, needed: Sequence[str], name: str = "summary") -> None:
    require_columns(summary, needed, name)
    if len(summary) == 0:
        raise ValueError(f"{name} is empty; it needs at least one customer")


# ---------------------------------------------------------------- historical value


def historical_value(
    transactions: pd.DataFrame,
    *,
    margin: float | None = None,
    as_of: str | pd.Timestamp | None = None,
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
    amount: str = schema.AMOUNT,
) -> pd.DataFrame:
    """Return what each customer has already spent: the backward-looking value.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per purchase (or purchase line).
    margin : float, optional
        Gross margin as a share of revenue (0-1). When given, a
        ``gross_profit`` column is added.
    as_of : date-like, optional
        Ignore purchases after this date (default: keep all).
    customer_id, date, amount : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Index ``customer_id``; columns ``n_purchases`` (distinct purchase
        days), ``revenue``, ``first_purchase``, ``last_purchase``,
        ``tenure_days`` and, with ``margin``, ``gross_profit``. Sorted by
        revenue, highest first.

    Examples
    --------
    >>> tx = pd.DataFrame({
    ...     "customer_id": ["A", "A", "B", "A", "C"],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-05",
    ...                             "2024-02-01", "2024-03-01"]),
    ...     "amount": [10.0, 5.0, 40.0, 20.0, 8.0]})
    >>> historical_value(tx, margin=0.5)[["n_purchases", "revenue", "gross_profit"]]
                 n_purchases  revenue  gross_profit
    customer_id
    B                      1     40.0          20.0
    A                      2     35.0          17.5
    C                      1      8.0           4.0
    """
    _check_summary(transactions, [customer_id, date, amount], "transactions")
    if margin is not None and not (0 <= margin <= 1):
        raise ValueError(f"margin={margin!r} must be a share of revenue between 0 and 1")
    tx = transactions[[customer_id, date, amount]].copy()
    tx[date] = pd.to_datetime(tx[date])
    n_missing = int(tx[customer_id].isna().sum())
    if n_missing:
        raise ValueError(
            f"transactions has {n_missing} row(s) with a missing {customer_id!r} "
            "(anonymous sales); drop them explicitly before computing customer value"
        )
    if as_of is not None:
        tx = tx[tx[date] <= pd.Timestamp(as_of)]
    g = tx.groupby(customer_id, sort=True)
    out = pd.DataFrame(
        {
            "n_purchases": g[date].agg(lambda s: s.dt.normalize().nunique()).astype("int64"),
            "revenue": g[amount].sum().astype("float64"),
            "first_purchase": g[date].min(),
            "last_purchase": g[date].max(),
        }
    )
    out["tenure_days"] = (out["last_purchase"] - out["first_purchase"]).dt.days.astype("int64")
    if margin is not None:
        out["gross_profit"] = out["revenue"] * margin
    out.index.name = customer_id
    return out.sort_values(["revenue"], ascending=False, kind="stable")


# ---------------------------------------------------------------- simple formula


def _check_rates(retention: float, discount_rate: float) -> None:
    if not (0 <= retention <= 1):
        raise ValueError(f"retention={retention!r} must be a probability between 0 and 1")
    if not (-1 < discount_rate):
        raise ValueError(f"discount_rate={discount_rate!r} must be greater than -1 (e.g. 0.1)")
    if retention >= 1 + discount_rate:
        raise ValueError(
            f"retention={retention!r} with discount_rate={discount_rate!r}: the value is "
            "infinite; retention must be below 1 + discount_rate"
        )


def retention_clv(
    margin: float,
    retention: float,
    discount_rate: float,
    *,
    horizon: int | None = None,
) -> float:
    """Return the simple retention-based CLV: ``margin × r / (1 + d − r)``.

    The value today of a customer who brings ``margin`` at the end of each
    future period and stays from one period to the next with probability
    ``retention`` (see :data:`RETENTION_CLV_ASSUMPTIONS`). With a finite
    ``horizon`` the sum stops after that many periods:
    ``Σ_{t=1..H} margin × r^t / (1 + d)^t``.

    Parameters
    ----------
    margin : float
        Margin per period (money).
    retention : float
        Chance of staying each period, 0-1.
    discount_rate : float
        Discount rate per period (0.1 = 10 %).
    horizon : int, optional
        Number of periods; default infinite.

    Returns
    -------
    float

    Examples
    --------
    >>> round(retention_clv(100, 0.8, 0.1), 2)
    266.67
    >>> round(retention_clv(100, 0.8, 0.1, horizon=2), 2)   # 100*.8/1.1 + 100*.64/1.21
    125.62
    """
    _check_rates(retention, discount_rate)
    if horizon is None:
        return float(margin * retention / (1 + discount_rate - retention))
    if int(horizon) != horizon or horizon < 0:
        raise ValueError(f"horizon={horizon!r} must be a whole number of periods >= 0")
    return float(
        retention_clv_table(margin, retention, discount_rate, horizon=horizon)[
            "discounted_margin"
        ].sum()
    )


def retention_clv_table(
    margin: float,
    retention: float,
    discount_rate: float,
    *,
    horizon: int = 10,
) -> pd.DataFrame:
    """Return the period-by-period build-up of the retention CLV.

    Parameters
    ----------
    margin, retention, discount_rate : float
        As in :func:`retention_clv`.
    horizon : int, default 10
        Number of periods to show.

    Returns
    -------
    pandas.DataFrame
        One row per period ``1 ... horizon``: ``still_customer`` (r^t),
        ``discount_factor`` (1 / (1 + d)^t), ``expected_margin``,
        ``discounted_margin`` and ``cumulative_clv``.

    Examples
    --------
    >>> retention_clv_table(100, 0.5, 0.0, horizon=3)["cumulative_clv"].tolist()
    [50.0, 75.0, 87.5]
    """
    _check_rates(retention, discount_rate)
    if int(horizon) != horizon or horizon < 0:
        raise ValueError(f"horizon={horizon!r} must be a whole number of periods >= 0")
    t = np.arange(1, int(horizon) + 1)
    alive = retention**t
    disc = 1.0 / (1.0 + discount_rate) ** t
    out = pd.DataFrame(
        {
            "period": t,
            "still_customer": alive,
            "discount_factor": disc,
            "expected_margin": margin * alive,
            "discounted_margin": margin * alive * disc,
        }
    )
    out["cumulative_clv"] = out["discounted_margin"].cumsum()
    return out


# ---------------------------------------------------------------- BTYD fits


def _convergence_advice(model: str) -> str:
    return (
        f"the {model} fit did not converge. Check the time unit (weeks, not days, for "
        "summaries over years), that frequency counts REPEAT purchases, that recency <= T; "
        "then try a small penalizer (0.001, then 0.01)"
    )


def fit_bgnbd(
    summary: pd.DataFrame,
    *,
    penalizer: float = 0.0,
    frequency: str = "frequency",
    recency: str = "recency",
    T: str = "T",  # noqa: N803
):
    """Fit the BG/NBD model (Fader, Hardie & Lee 2005) with lifetimes.

    Intuition: while "alive", each customer buys at their own steady rate
    (rates vary across customers like a gamma distribution); after each
    purchase they may drop out for good with their own probability (which
    varies like a beta distribution).

    Parameters
    ----------
    summary : pandas.DataFrame
        One row per customer with repeat-purchase ``frequency``, ``recency``
        (age at last purchase) and age ``T``.
    penalizer : float, default 0.0
        L2 penalty on the parameters; raise it (0.001, 0.01) if the fit does
        not converge.
    frequency, recency, T : str
        Column names.

    Returns
    -------
    lifetimes.BetaGeoFitter
        Fitted; ``params_`` holds ``r, alpha, a, b``.

    Examples
    --------
    >>> from crm_lessons.datasets import load_cdnow_summary
    >>> fit_bgnbd(load_cdnow_summary()).params_.round(2).to_dict()
    {'r': 0.24, 'alpha': 4.41, 'a': 0.79, 'b': 2.43}
    """
    _check_summary(summary, [frequency, recency, T])
    lt = _lifetimes()
    try:
        return lt.BetaGeoFitter(penalizer_coef=penalizer).fit(
            summary[frequency], summary[recency], summary[T]
        )
    except lt.utils.ConvergenceError as err:  # pragma: no cover - depends on data
        raise ValueError(_convergence_advice("BG/NBD") + f" (penalizer={penalizer})") from err


def fit_pareto_nbd(
    summary: pd.DataFrame,
    *,
    penalizer: float = 0.0,
    initial_params: Sequence[float] = PARETO_NBD_INITIAL_PARAMS,
    tol: float = 1e-6,
    maxiter: int = 4000,
    compress: bool = True,
    frequency: str = "frequency",
    recency: str = "recency",
    T: str = "T",  # noqa: N803
):
    """Fit the Pareto/NBD model (Schmittlein, Morrison & Colombo 1987) deterministically.

    Like BG/NBD, but a customer can drop out at *any* moment (an exponential
    lifetime whose rate varies like a gamma distribution), not only just
    after a purchase.

    lifetimes' ``ParetoNBDFitter`` starts its optimiser (Nelder-Mead) from
    random values drawn from the global NumPy state, so the last digits of
    the estimates change from run to run. Here the start is fixed
    (:data:`PARETO_NBD_INITIAL_PARAMS`), so the same data give the same
    numbers every time.

    Parameters
    ----------
    summary : pandas.DataFrame
        Columns ``frequency, recency, T``.
    penalizer : float, default 0.0
        L2 penalty on the parameters.
    initial_params : sequence of 4 floats
        Starting ``r, alpha, s, beta`` in lifetimes' internal time scale
        (time divided by the largest ``T``).
    tol : float, default 1e-6
        Tolerance of the optimiser.
    maxiter : int, default 4000
        Largest number of optimiser iterations.
    compress : bool, default True
        Fit on the distinct ``(frequency, recency, T)`` histories, each
        weighted by how many customers share it (as Fader & Hardie do). Same
        estimates, about twice as fast; ``fitter.data`` then holds the
        distinct histories with their ``weights``.
    frequency, recency, T : str
        Column names.

    Returns
    -------
    lifetimes.ParetoNBDFitter
        Fitted; ``params_`` holds ``r, alpha, s, beta``.

    Examples
    --------
    >>> from crm_lessons.datasets import load_cdnow_summary
    >>> fit_pareto_nbd(load_cdnow_summary()).params_.round(2).to_dict()
    {'r': 0.55, 'alpha': 10.58, 's': 0.61, 'beta': 11.67}
    """
    _check_summary(summary, [frequency, recency, T])
    init = np.asarray(initial_params, dtype="float64")
    if init.shape != (4,) or not np.all(init > 0):
        raise ValueError(
            f"initial_params={list(initial_params)!r} must be 4 positive numbers (r, alpha, s, beta)"
        )
    lt = _lifetimes()
    data = summary[[frequency, recency, T]]
    weights = None
    if compress:
        grouped = data.groupby([frequency, recency, T], sort=True).size()
        data = grouped.index.to_frame(index=False)
        weights = grouped.to_numpy()
    return lt.ParetoNBDFitter(penalizer_coef=penalizer).fit(
        data[frequency],
        data[recency],
        data[T],
        weights=weights,
        initial_params=init,
        tol=tol,
        maxiter=maxiter,
    )


def fit_gamma_gamma(
    summary: pd.DataFrame,
    *,
    penalizer: float = 0.0,
    frequency: str = "frequency",
    monetary_value: str = "monetary_value",
):
    """Fit the Gamma-Gamma spend model on the repeat buyers.

    Intuition: each customer has their own typical spend per purchase;
    individual purchases scatter around it. With few purchases we trust the
    population average more, with many purchases the customer's own
    average. The model needs customers with at least one *repeat* purchase
    (``frequency > 0``) and positive ``monetary_value``; the others are left
    out of the fit (the count is in ``fitter.n_excluded_``).

    The optimiser works on spend divided by its mean (``fitter.monetary_scale_``)
    and the scale parameter ``v`` is converted back afterwards: the same
    estimates, but no loss of precision when amounts are in the hundreds or
    thousands (NT$, yen). A penalizer therefore acts on the rescaled problem.

    Parameters
    ----------
    summary : pandas.DataFrame
        Columns ``frequency`` and ``monetary_value`` (average value of the
        repeat purchases).
    penalizer : float, default 0.0
        L2 penalty on the parameters.
    frequency, monetary_value : str
        Column names.

    Returns
    -------
    lifetimes.GammaGammaFitter
        Fitted; ``params_`` holds ``p, q, v`` (v is the scale, called gamma
        in the papers).

    Examples
    --------
    >>> from crm_lessons.datasets import load_cdnow_summary
    >>> ggf = fit_gamma_gamma(load_cdnow_summary())
    >>> ggf.params_.round(2).to_dict(), ggf.n_excluded_
    ({'p': 6.25, 'q': 3.74, 'v': 15.45}, 1411)
    """
    _check_summary(summary, [frequency, monetary_value])
    keep = (summary[frequency] > 0) & (summary[monetary_value] > 0)
    if not keep.any():
        raise ValueError(
            "summary has no customer with frequency > 0 and monetary_value > 0; "
            "the Gamma-Gamma model needs repeat buyers"
        )
    m = summary.loc[keep, monetary_value].astype("float64")
    scale = float(m.mean())
    lt = _lifetimes()
    ggf = lt.GammaGammaFitter(penalizer_coef=penalizer)
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # lifetimes prints failed fits
            ggf.fit(summary.loc[keep, frequency], m / scale, index=m.index)
    except lt.utils.ConvergenceError as err:
        raise ValueError(
            _convergence_advice("Gamma-Gamma")
            + " and look for extreme monetary values (refunds, bulk orders)"
        ) from err
    # v is a scale parameter: spend divided by c gives v divided by c, p and q unchanged
    ggf.params_["v"] *= scale
    ggf.data["monetary_value"] = m.to_numpy()
    ggf.variance_matrix_ = ggf._compute_variance_matrix()
    ggf.standard_errors_ = ggf._compute_standard_errors()
    ggf.confidence_intervals_ = ggf._compute_confidence_intervals()
    ggf.monetary_scale_ = scale
    ggf.n_excluded_ = int((~keep).sum())
    return ggf


def _model_name(fitter: Any) -> str:
    name = type(fitter).__name__
    return {
        "BetaGeoFitter": "BG/NBD",
        "ParetoNBDFitter": "Pareto/NBD",
        "GammaGammaFitter": "Gamma-Gamma",
        "ModifiedBetaGeoFitter": "MBG/NBD",
    }.get(name, name)


def published_vs_ours(summary: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the published CDNOW estimates next to ours, parameter by parameter.

    Parameters
    ----------
    summary : pandas.DataFrame, optional
        The CDNOW summary; default :func:`crm_lessons.datasets.load_cdnow_summary`.

    Returns
    -------
    pandas.DataFrame
        Columns ``model, parameter, published, ours, difference_pct,
        within_1pct``; the citations are in ``.attrs["sources"]``.

    Examples
    --------
    >>> t = published_vs_ours()
    >>> bool(t["within_1pct"].all()), len(t)
    (True, 11)
    """
    if summary is None:
        from crm_lessons.datasets import load_cdnow_summary

        summary = load_cdnow_summary()
    fits = {
        "BG/NBD": fit_bgnbd(summary),
        "Pareto/NBD": fit_pareto_nbd(summary),
        "Gamma-Gamma": fit_gamma_gamma(summary),
    }
    rows = []
    for model in _PUBLISHED_CDNOW_MODELS:
        for par, pub in PUBLISHED_CDNOW[model]["params"].items():
            ours = float(fits[model].params_[par])
            diff = 100.0 * (ours - pub) / pub
            rows.append((model, par, pub, round(ours, 4), round(diff, 2), abs(diff) <= 1.0))
    out = pd.DataFrame(
        rows,
        columns=["model", "parameter", "published", "ours", "difference_pct", "within_1pct"],
    )
    out.attrs["sources"] = {m: PUBLISHED_CDNOW[m]["source"] for m in _PUBLISHED_CDNOW_MODELS}
    return out


# ---------------------------------------------------------------- forward-looking CLV


def discounted_clv(
    transaction_model: Any,
    spend_model: Any,
    summary: pd.DataFrame,
    *,
    months: int = 12,
    discount_rate: float = 0.01,
    margin: float = 1.0,
    freq: str = "W",
    frequency: str = "frequency",
    recency: str = "recency",
    T: str = "T",  # noqa: N803
    monetary_value: str = "monetary_value",
) -> pd.Series:
    """Return each customer's expected, discounted margin over the next ``months``.

    For month ``i = 1 ... months``: expected purchases in that month (from
    the BG/NBD or Pareto/NBD model) × expected spend per purchase (from the
    Gamma-Gamma model) × ``margin``, discounted by ``(1 + discount_rate)^i``.
    This is the same sum lifetimes' ``customer_lifetime_value`` computes,
    written out so each step can be read.

    Parameters
    ----------
    transaction_model : fitted BetaGeoFitter or ParetoNBDFitter
        Predicts purchase counts.
    spend_model : fitted GammaGammaFitter or None
        Predicts spend per purchase. ``None`` uses each customer's own
        ``monetary_value`` as is.
    summary : pandas.DataFrame
        Columns ``frequency, recency, T, monetary_value``, time in ``freq``
        units.
    months : int, default 12
        Horizon in months.
    discount_rate : float, default 0.01
        Discount rate per **month** (0.01 is about 12.7 % a year).
    margin : float, default 1.0
        Share of spend kept as profit (1.0 gives expected discounted revenue).
    freq : {"D", "W", "M"}, default "W"
        Time unit of the summary.
    frequency, recency, T, monetary_value : str
        Column names.

    Returns
    -------
    pandas.Series
        Named ``clv``, indexed like ``summary``.

    Examples
    --------
    >>> from crm_lessons.datasets import load_cdnow_summary
    >>> s = load_cdnow_summary()
    >>> clv = discounted_clv(fit_bgnbd(s), fit_gamma_gamma(s), s, months=12)
    >>> round(float(clv.sum()), -2)
    71500.0
    """
    _check_summary(summary, [frequency, recency, T, monetary_value])
    if freq not in PERIODS_PER_MONTH:
        raise ValueError(f"freq={freq!r} is not supported; valid: {', '.join(PERIODS_PER_MONTH)}")
    if int(months) != months or months < 1:
        raise ValueError(f"months={months!r} must be a whole number of months >= 1")
    if not (discount_rate > -1):
        raise ValueError(f"discount_rate={discount_rate!r} must be greater than -1 (e.g. 0.01)")
    f = summary[frequency].to_numpy(dtype="float64")
    r = summary[recency].to_numpy(dtype="float64")
    age = summary[T].to_numpy(dtype="float64")
    if spend_model is None:
        spend = summary[monetary_value].to_numpy(dtype="float64")
    else:
        spend = np.asarray(
            spend_model.conditional_expected_average_profit(f, summary[monetary_value].to_numpy()),
            dtype="float64",
        )
    step = PERIODS_PER_MONTH[freq]
    predict = transaction_model.conditional_expected_number_of_purchases_up_to_time
    total = np.zeros(len(summary))
    previous = np.zeros(len(summary))
    for i in range(1, int(months) + 1):
        cumulative = np.asarray(predict(i * step, f, r, age), dtype="float64")
        total += spend * (cumulative - previous) / (1.0 + discount_rate) ** i
        previous = cumulative
    return pd.Series(total * margin, index=summary.index, name="clv")


# ---------------------------------------------------------------- P(alive)


def p_alive(
    model: Any,
    summary: pd.DataFrame,
    *,
    frequency: str = "frequency",
    recency: str = "recency",
    T: str = "T",  # noqa: N803
) -> pd.Series:
    """Return each customer's probability of still being an active customer.

    In plain words: a customer who used to buy every few weeks and has not
    bought for a long time is probably gone; a customer who buys rarely and
    has been quiet for the same time may well still be around. P(alive)
    weighs the silence against the customer's own usual rhythm.

    Parameters
    ----------
    model : fitted BetaGeoFitter or ParetoNBDFitter
    summary : pandas.DataFrame
        Columns ``frequency, recency, T``.
    frequency, recency, T : str
        Column names.

    Returns
    -------
    pandas.Series
        Named ``p_alive``, values in [0, 1], indexed like ``summary``.

    Examples
    --------
    >>> from crm_lessons.datasets import load_cdnow_summary
    >>> s = load_cdnow_summary()
    >>> p_alive(fit_bgnbd(s), s).round(3).iloc[:3].tolist()
    [0.727, 0.212, 1.0]
    """
    _check_summary(summary, [frequency, recency, T])
    p = model.conditional_probability_alive(
        summary[frequency].to_numpy(dtype="float64"),
        summary[recency].to_numpy(dtype="float64"),
        summary[T].to_numpy(dtype="float64"),
    )
    return pd.Series(np.clip(np.asarray(p, dtype="float64"), 0, 1), index=summary.index,
                     name="p_alive")  # fmt: skip


def p_alive_threshold(value_if_won_back: float, cost: float, success_rate: float) -> float:
    """Return the P(alive) below which a win-back offer pays for itself.

    Sending the offer costs ``cost``. If the customer is already gone
    (probability ``1 − P(alive)``), the offer brings them back with
    probability ``success_rate`` and earns ``value_if_won_back``. If the
    customer is still active the offer changes nothing (they would have
    bought anyway). So the expected value of acting is
    ``(1 − P(alive)) × success_rate × value_if_won_back − cost``, positive
    when ``P(alive) < 1 − cost / (success_rate × value_if_won_back)``.

    Parameters
    ----------
    value_if_won_back : float
        Margin a won-back customer brings (e.g. their CLV if alive).
    cost : float
        Cost of one offer (message plus the discount given).
    success_rate : float
        Share of lapsed customers the offer brings back, 0-1.

    Returns
    -------
    float
        The threshold in [0, 1]; 0 means "never worth it".

    Examples
    --------
    >>> p_alive_threshold(value_if_won_back=200, cost=10, success_rate=0.1)
    0.5
    """
    if not (0 <= success_rate <= 1):
        raise ValueError(f"success_rate={success_rate!r} must be between 0 and 1")
    if cost < 0:
        raise ValueError(f"cost={cost!r} must be >= 0")
    gain = success_rate * value_if_won_back
    if gain <= 0:
        return 0.0
    return float(max(0.0, 1.0 - cost / gain))


def p_alive_action(
    p_alive: pd.Series,
    value_if_won_back: float | pd.Series,
    *,
    cost: float,
    success_rate: float,
) -> pd.DataFrame:
    """Turn P(alive) into a per-customer decision: send a win-back offer or not.

    The rule (see :func:`p_alive_threshold`): act when the expected value
    ``(1 − P(alive)) × success_rate × value_if_won_back − cost`` is positive.

    Parameters
    ----------
    p_alive : pandas.Series
        P(alive) per customer.
    value_if_won_back : float or pandas.Series
        Margin a won-back customer brings, one number or one per customer
        (aligned on the index).
    cost : float
        Cost of one offer.
    success_rate : float
        Share of lapsed customers the offer brings back.

    Returns
    -------
    pandas.DataFrame
        Columns ``p_alive, value_if_won_back, expected_value, act``, sorted by
        expected value, highest first.

    Examples
    --------
    >>> p = pd.Series([0.9, 0.2, 0.5], index=["A", "B", "C"])
    >>> p_alive_action(p, 200.0, cost=10, success_rate=0.1)
       p_alive  value_if_won_back  expected_value    act
    B      0.2              200.0             6.0   True
    C      0.5              200.0             0.0  False
    A      0.9              200.0            -8.0  False
    """
    if not isinstance(p_alive, pd.Series):
        raise TypeError(f"p_alive must be a pandas Series, got {type(p_alive).__name__}")
    bad = int(((p_alive < 0) | (p_alive > 1) | p_alive.isna()).sum())
    if bad:
        raise ValueError(f"p_alive has {bad} value(s) outside [0, 1] or missing")
    if not (0 <= success_rate <= 1):
        raise ValueError(f"success_rate={success_rate!r} must be between 0 and 1")
    if isinstance(value_if_won_back, pd.Series):
        value = value_if_won_back.reindex(p_alive.index)
        n_missing = int(value.isna().sum())
        if n_missing:
            raise ValueError(
                f"value_if_won_back has no value for {n_missing} customer(s) of p_alive"
            )
    else:
        value = pd.Series(float(value_if_won_back), index=p_alive.index)
    out = pd.DataFrame({"p_alive": p_alive.astype("float64"), "value_if_won_back": value})
    out["expected_value"] = (1 - out["p_alive"]) * success_rate * out["value_if_won_back"] - cost
    out["expected_value"] = out["expected_value"].round(10)
    out["act"] = out["expected_value"] > 0
    return out.sort_values("expected_value", ascending=False, kind="stable")


# ---------------------------------------------------------------- diagnostics


def fit_diagnostics(
    fitter: Any,
    summary: pd.DataFrame | None = None,
    *,
    frequency: str = "frequency",
    monetary_value: str = "monetary_value",
) -> pd.DataFrame:
    """Check a fitted BTYD model and say what to do when something looks wrong.

    Checks: the log-likelihood is finite; every parameter is positive and
    between 1e-4 and 1e4 (values outside usually mean the optimiser ran
    off, often because of a wrong time unit); standard errors, where
    lifetimes gives them, are not larger than the estimate; the implied
    averages are sensible (BG/NBD: mean drop-out chance after a purchase
    ``a / (a + b)`` below 0.9 and ``a > 1`` for a finite expected number
    of purchases; Gamma-Gamma: ``q > 1`` so that the mean spend exists,
    and spend per purchase not strongly correlated with frequency (the
    model assumes independence; needs ``summary``).

    Parameters
    ----------
    fitter : fitted lifetimes model
        BG/NBD, Pareto/NBD or Gamma-Gamma.
    summary : pandas.DataFrame, optional
        The data it was fitted on (for the Gamma-Gamma independence check).
    frequency, monetary_value : str
        Column names in ``summary``.

    Returns
    -------
    pandas.DataFrame
        One row per check: ``check, value, ok, what_to_do``.

    Examples
    --------
    >>> from crm_lessons.datasets import load_cdnow_summary
    >>> s = load_cdnow_summary()
    >>> d = fit_diagnostics(fit_gamma_gamma(s), s)
    >>> d[["check", "ok"]].to_string(index=False)
    '...q > 1 (mean spend exists)  True...'
    """
    if not hasattr(fitter, "params_"):
        raise TypeError(f"fitter must be a fitted lifetimes model, got {type(fitter).__name__}")
    model = _model_name(fitter)
    params = fitter.params_.astype("float64")
    rows: list[tuple[str, float, bool, str]] = []
    nll = float(getattr(fitter, "_negative_log_likelihood_", np.nan))
    rows.append(
        (
            "log-likelihood is finite",
            -nll,
            bool(np.isfinite(nll)),
            "refit with a small penalizer (0.001) and check the summary for bad rows",
        )
    )
    for name, v in params.items():
        ok = bool(1e-4 < v < 1e4)
        rows.append(
            (
                f"{name} in a plausible range",
                float(v),
                ok,
                "an extreme value usually means a wrong time unit (use weeks) or too little "
                "data; add a penalizer (0.001-0.1) or collect more history",
            )
        )
    se = None
    try:
        se = fitter.standard_errors_
    except Exception:  # lifetimes raises for models without a Hessian
        se = None
    if se is not None:
        ratio = float((pd.Series(se, index=params.index) / params).max())
        rows.append(
            (
                "largest standard error / estimate below 1",
                ratio,
                bool(np.isfinite(ratio) and ratio < 1),
                "parameters are poorly pinned down: more customers or a longer calibration period",
            )
        )
    if model == "BG/NBD":
        a, b = params["a"], params["b"]
        rows.append(
            (
                "mean drop-out chance a/(a+b) below 0.9",
                float(a / (a + b)),
                bool(a / (a + b) < 0.9),
                "almost everyone seems to leave after each purchase: check that frequency "
                "counts repeat purchases and the time unit",
            )
        )
        rows.append(
            (
                "a > 1 (finite expected purchases)",
                float(a),
                bool(a > 1),
                "with a <= 1 the expected lifetime number of purchases is infinite: long-"
                "horizon forecasts are unreliable; keep the horizon short",
            )
        )
    if model == "Gamma-Gamma":
        q = params["q"]
        rows.append(
            (
                "q > 1 (mean spend exists)",
                float(q),
                bool(q > 1),
                "the average spend is not defined: look for extreme order values (refunds, "
                "B2B orders) and cap or remove them with a note",
            )
        )
        if summary is not None:
            rep = summary[summary[frequency] > 0]
            corr = float(rep[[frequency, monetary_value]].corr().iloc[0, 1])
            rows.append(
                (
                    "|corr(frequency, spend)| below 0.3",
                    corr,
                    bool(abs(corr) < 0.3),
                    "spend depends on frequency, against the model's assumption: model spend "
                    "by segment or use the customer's own average",
                )
            )
    return pd.DataFrame(rows, columns=["check", "value", "ok", "what_to_do"])


# ---------------------------------------------------------------- holdout test


@dataclass
class HoldoutEvaluation:
    """Result of :func:`holdout_evaluation`.

    Attributes
    ----------
    predictions : pandas.DataFrame
        One row per customer: ``actual`` holdout purchases and one column per
        method with its prediction.
    metrics : pandas.DataFrame
        One row per method: ``mae, rmse, total_predicted, total_actual,
        total_error_pct``, sorted by MAE.
    verdict : str
        Plain-words conclusion, naming the winner even when it is a baseline.
    summary : pandas.DataFrame
        The calibration/holdout summary the models were fitted on.
    """

    predictions: pd.DataFrame
    metrics: pd.DataFrame
    verdict: str
    summary: pd.DataFrame


def _metrics(pred: pd.DataFrame, actual: str = "actual") -> pd.DataFrame:
    rows = []
    for col in pred.columns:
        if col == actual:
            continue
        err = pred[col] - pred[actual]
        tot_p, tot_a = float(pred[col].sum()), float(pred[actual].sum())
        rows.append(
            (
                col,
                float(err.abs().mean()),
                float(np.sqrt((err**2).mean())),
                tot_p,
                tot_a,
                100.0 * (tot_p - tot_a) / tot_a if tot_a else np.nan,
            )
        )
    out = pd.DataFrame(
        rows,
        columns=["method", "mae", "rmse", "total_predicted", "total_actual", "total_error_pct"],
    ).set_index("method")
    return out.sort_values("mae", kind="stable")


def _tercile(s: pd.Series) -> pd.Series:
    """Score 1-3 by rank (ties share the lower score); higher is better."""
    if s.nunique() < 2:
        return pd.Series(2, index=s.index)
    ranks = s.rank(method="min", pct=True)
    return pd.Series(np.where(ranks <= 1 / 3, 1, np.where(ranks <= 2 / 3, 2, 3)), index=s.index)


def _repeat_days_in_window(
    tx: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, customer_id: str, date: str
) -> pd.Series:
    """Distinct purchase days in (start, end], not counting each customer's first day."""
    first = tx.groupby(customer_id)[date].min()
    days = tx[[customer_id, date]].drop_duplicates()
    days = days[(days[date] > start) & (days[date] <= end)]
    days = days[days[date] > days[customer_id].map(first)]
    return days.groupby(customer_id).size()


def _rfm_scores(tx: pd.DataFrame, as_of: pd.Timestamp, customer_id: str, date: str,
                amount: str) -> pd.Series:  # fmt: skip
    from crm_lessons.rfm import rfm_table

    rfm = rfm_table(tx[tx[date] <= as_of], as_of=as_of, customer_id=customer_id, date=date,
                    amount=amount)  # fmt: skip
    cell = (
        _tercile(-rfm["recency_days"]).astype(str)
        + _tercile(rfm["frequency"]).astype(str)
        + _tercile(rfm["monetary"]).astype(str)
    )
    return cell


def _verdict(metrics: pd.DataFrame, models: Sequence[str]) -> str:
    best = metrics.index[0]
    model_rows = [m for m in metrics.index if m in models]
    base_rows = [m for m in metrics.index if m not in models]
    mae = metrics["mae"]
    if not model_rows:
        return f"Best baseline: '{best}' (MAE {mae[best]:.3f}); no model was fitted."
    if best in models:
        return (
            f"{best} predicts individual holdout purchases best (MAE {mae[best]:.3f} vs "
            f"{mae[base_rows[0]]:.3f} for the best baseline, '{base_rows[0]}')."
        )
    return (
        f"A naive baseline wins: '{best}' has the lowest MAE ({mae[best]:.3f}) vs "
        f"{mae[model_rows[0]]:.3f} for {model_rows[0]}. Prefer the simpler method here, or "
        "find out why the model misses (e.g. seasonality, a changing customer base)."
    )


def holdout_evaluation(
    transactions: pd.DataFrame,
    *,
    calibration_end: str | pd.Timestamp,
    observation_end: str | pd.Timestamp | None = None,
    freq: str = "D",
    freq_multiplier: int = 7,
    models: Sequence[str] = ("BG/NBD", "Pareto/NBD"),
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
    amount: str = schema.AMOUNT,
) -> HoldoutEvaluation:
    """Fit on a calibration period, predict the holdout, and compare with naive baselines.

    Only customers whose first purchase falls in the calibration period are
    scored. Purchases are counted as distinct purchase days (``freq="D"``)
    and time is measured in weeks (``freq_multiplier=7``), as in Fader,
    Hardie & Lee (2005). The holdout "actual" is the number of purchase days
    in the holdout period.

    Methods compared:

    * the BTYD models named in ``models``;
    * ``last period``: "the next period will be like the last one": each
      customer's repeat purchase days in the last stretch of the calibration
      period as long as the holdout (scaled up if the calibration period is
      shorter);
    * ``rate so far``: the customer's repeat purchases per week so far × the
      holdout length in weeks;
    * ``RFM-cell average``: customers are scored 1-3 on recency, frequency
      and monetary value (27 cells); at an earlier cut-off (one holdout
      length before ``calibration_end``, or half-way if that is too early)
      we learn how many repeat purchase days each cell made in the following
      stretch, and predict that cell average (scaled to the holdout length)
      for the cell each customer is in at ``calibration_end``. No holdout
      data is used.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per purchase.
    calibration_end : date-like
        Last day of the calibration period.
    observation_end : date-like, optional
        Last day of the holdout period; default the last purchase date.
    freq : str, default "D"
        Period used to count purchases (as in lifetimes).
    freq_multiplier : int, default 7
        Periods per model time unit (7 days = 1 week).
    models : sequence of {"BG/NBD", "Pareto/NBD"}
        BTYD models to fit.
    customer_id, date, amount : str
        Column names.

    Returns
    -------
    HoldoutEvaluation

    Examples
    --------
    >>> from crm_lessons.datasets import load_cdnow_sample_transactions
    >>> ev = holdout_evaluation(load_cdnow_sample_transactions(), calibration_end="1997-09-30",
    ...                         observation_end="1998-06-30")
    >>> len(ev.predictions), round(float(ev.predictions["actual"].sum()))
    (2357, 1882)
    """
    from crm_lessons.lifetimes_compat import calibration_and_holdout_data

    _check_summary(transactions, [customer_id, date, amount], "transactions")
    valid_models = ("BG/NBD", "Pareto/NBD")
    for m in models:
        if m not in valid_models:
            raise ValueError(f"models contains {m!r}; valid: {', '.join(valid_models)}")
    tx = transactions[[customer_id, date, amount]].copy()
    tx[date] = pd.to_datetime(tx[date])
    n_anon = int(tx[customer_id].isna().sum())
    if n_anon:
        raise ValueError(
            f"transactions has {n_anon} row(s) with a missing {customer_id!r}; "
            "drop anonymous sales explicitly first"
        )
    cal_end = pd.Timestamp(calibration_end)
    obs_end = pd.Timestamp(observation_end) if observation_end is not None else tx[date].max()
    if not (tx[date].min() < cal_end < obs_end):
        raise ValueError(
            f"calibration_end={cal_end.date()} must lie between the first purchase "
            f"({tx[date].min().date()}) and observation_end ({obs_end.date()})"
        )
    tx = tx[tx[date] <= obs_end]
    cal = calibration_and_holdout_data(
        tx,
        customer_id,
        date,
        calibration_period_end=cal_end,
        observation_period_end=obs_end,
        freq=freq,
        freq_multiplier=freq_multiplier,
        monetary_value_col=amount,
    )
    summary = cal.rename(
        columns={
            "frequency_cal": "frequency",
            "recency_cal": "recency",
            "T_cal": "T",
            "monetary_value_cal": "monetary_value",
        }
    )
    summary.index = summary.index.astype(tx[customer_id].dtype)
    duration = float(summary["duration_holdout"].iloc[0])
    pred = pd.DataFrame({"actual": summary["frequency_holdout"].astype("float64")})
    for m in models:
        fitter = fit_bgnbd(summary) if m == "BG/NBD" else fit_pareto_nbd(summary)
        pred[m] = np.asarray(
            fitter.conditional_expected_number_of_purchases_up_to_time(
                duration,
                summary["frequency"].to_numpy(dtype="float64"),
                summary["recency"].to_numpy(dtype="float64"),
                summary["T"].to_numpy(dtype="float64"),
            ),
            dtype="float64",
        )
    # baselines ----------------------------------------------------------
    day = pd.Timedelta(days=1)
    holdout_days = (obs_end - cal_end) / day
    cal_tx = tx[tx[date] <= cal_end].copy()
    cal_tx[date] = cal_tx[date].dt.normalize()
    start = cal_tx[date].min()
    window_days = min(holdout_days, (cal_end - start) / day)
    last = _repeat_days_in_window(
        cal_tx, cal_end - window_days * day, cal_end, customer_id, date
    ).reindex(summary.index, fill_value=0)
    pred["last period"] = last.to_numpy(dtype="float64") * holdout_days / window_days
    rate = np.where(
        summary["T"] > 0, summary["frequency"] / summary["T"].where(summary["T"] > 0), 0.0
    )
    pred["rate so far"] = rate * duration
    cut = cal_end - holdout_days * day
    if cut <= start + (cal_end - start) / 2:
        cut = start + (cal_end - start) / 2
    stretch_days = (cal_end - cut) / day
    cells_then = _rfm_scores(cal_tx, cut, customer_id, date, amount)
    outcome = _repeat_days_in_window(cal_tx, cut, cal_end, customer_id, date).reindex(
        cells_then.index, fill_value=0
    )
    cell_mean = outcome.groupby(cells_then).mean() * holdout_days / stretch_days
    overall = float(outcome.mean() * holdout_days / stretch_days)
    cells_now = _rfm_scores(cal_tx, cal_end, customer_id, date, amount).reindex(summary.index)
    pred["RFM-cell average"] = cells_now.map(cell_mean).fillna(overall).to_numpy(dtype="float64")
    metrics = _metrics(pred)
    verdict = _verdict(metrics, models)
    return HoldoutEvaluation(predictions=pred, metrics=metrics, verdict=verdict, summary=summary)
