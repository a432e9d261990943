r"""Contractual retention: the shifted-beta-geometric (sBG) model (lesson 10).

In a *contractual* setting (subscriptions, service contracts, memberships)
you see when a customer leaves: they cancel. The question is then not "is
this customer still alive?" (as in the BTYD models of
:mod:`crm_lessons.clv`) but "how many of today's customers will still be
with us in 1, 2, 5 years?".

The sBG model (Fader & Hardie 2007) gives the answer in two numbers:

* at each renewal a customer leaves with their own probability ``theta``,
  the same at every renewal;
* ``theta`` varies across customers like a ``Beta(alpha, beta)``
  distribution.

The customers most likely to leave go first, so the *cohort's* retention
rate rises over time although no one's own rate changes. This is why a
straight line or an exponential curve fitted to the first years projects far
too few survivors; the sBG projects the ``Beta`` mix correctly.

Formulas (period ``t = 1, 2, ...``):

.. math::

   P(T = t) = \frac{B(\alpha + 1, \beta + t - 1)}{B(\alpha, \beta)}, \quad
   S(t) = \frac{B(\alpha, \beta + t)}{B(\alpha, \beta)}, \quad
   r(t) = \frac{S(t)}{S(t-1)} = \frac{\beta + t - 1}{\alpha + \beta + t - 1}

and, with discount rate ``d`` per period, the discounted expected lifetime
of a new customer (in periods, counting the first one) and the discounted
expected *residual* lifetime of a customer who has renewed ``n`` times
(Fader & Hardie 2010):

.. math::

   DEL = {}_2F_1(1, \beta; \alpha + \beta; \tfrac{1}{1 + d}), \quad
   DERL(n) = \frac{\beta + n}{\alpha + \beta + n}\,
   {}_2F_1(1, \beta + n + 1; \alpha + \beta + n + 1; \tfrac{1}{1 + d}).

References
----------
.. [1] Fader, P. S. & Hardie, B. G. S. (2007). How to project customer
   retention. Journal of Interactive Marketing 21(1), 76-90.
.. [2] Fader, P. S. & Hardie, B. G. S. (2010). Customer-base valuation in a
   contractual setting: the perils of ignoring heterogeneity. Marketing
   Science 29(1), 85-93.

Examples
--------
>>> fit = fit_sbg(PUBLISHED_SBG["regular"]["survivors"][:8])
>>> round(fit.alpha, 3), round(fit.beta, 3)
(0.704, 1.182)
>>> fit.survival([8, 12]).round(3).tolist()
[0.22, 0.17]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize
from scipy.special import betaln, hyp2f1

from crm_lessons._checks import as_timestamp
from crm_lessons.btyd import numerical_hessian
from crm_lessons.clv_fit import _z

__all__ = [
    "PUBLISHED_SBG",
    "SBGFit",
    "contract_durations",
    "fit_sbg",
    "fit_sbg_durations",
    "numerical_hessian",
    "published_sbg_vs_ours",
]

#: The two cohorts of Fader & Hardie (2007), Table 1: customers still under
#: contract at the start of years 0-12 out of 1,000 who signed up in year 0,
#: and the published maximum-likelihood estimates from years 1-7.
PUBLISHED_SBG: dict[str, dict[str, Any]] = {
    "regular": {
        "survivors": (1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173),
        "params": {"alpha": 0.704, "beta": 1.182},
    },
    "high_end": {
        "survivors": (1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394),
        "params": {"alpha": 0.668, "beta": 3.806},
    },
}
PUBLISHED_SBG_SOURCE = (
    "Fader, P. S. & Hardie, B. G. S. (2007). 'How to project customer retention'. "
    "Journal of Interactive Marketing 21(1), 76-90: Table 1 (survivors) and Section 4 "
    "(estimates from years 1-7)."
)


def _sbg_loglik(alpha: float, beta: float, t: np.ndarray, churned: np.ndarray,
                w: np.ndarray) -> float:  # fmt: skip
    """Sum of weighted log P(T = t) (churned) or log S(t) (still a customer after t)."""
    base = betaln(alpha, beta)
    log_p = betaln(alpha + 1.0, beta + t - 1.0) - base
    log_s = betaln(alpha, beta + t) - base
    return float(np.sum(w * np.where(churned, log_p, log_s)))


@dataclass(frozen=True)
class SBGFit:
    """A fitted shifted-beta-geometric model (see :func:`fit_sbg`).

    Attributes
    ----------
    alpha, beta : float
        Parameters of the Beta distribution of the churn probability.
    log_likelihood : float
        Maximised log-likelihood.
    n_customers : float
        Customers in the fit.
    periods_observed : int
        Longest tenure (periods) in the data.
    covariance : numpy.ndarray
        Asymptotic covariance of ``(alpha, beta)`` (inverse Hessian of the
        negative log-likelihood, by the delta method from the log scale).
    """

    alpha: float
    beta: float
    log_likelihood: float
    n_customers: float
    periods_observed: int
    covariance: np.ndarray = field(repr=False)

    @property
    def params_(self) -> pd.Series:
        """``alpha`` and ``beta`` as a Series."""
        return pd.Series({"alpha": self.alpha, "beta": self.beta})

    @property
    def mean_churn(self) -> float:
        """Average churn probability per period among new customers, ``alpha/(alpha+beta)``."""
        return self.alpha / (self.alpha + self.beta)

    def standard_errors(self) -> pd.Series:
        """Asymptotic standard errors of ``alpha`` and ``beta``."""
        return pd.Series(np.sqrt(np.diag(self.covariance)), index=["alpha", "beta"])

    def confidence_intervals(self, ci: float = 0.95) -> pd.DataFrame:
        """Wald intervals on the log scale (so they stay positive).

        Parameters
        ----------
        ci : float, default 0.95
            Confidence level.

        Returns
        -------
        pandas.DataFrame
            Index ``alpha, beta``; columns ``estimate, lower, upper``.
        """
        z = _z(ci)
        est = self.params_
        se_log = self.standard_errors() / est
        return pd.DataFrame(
            {
                "estimate": est,
                "lower": est * np.exp(-z * se_log),
                "upper": est * np.exp(z * se_log),
            }
        )

    def survival(self, t: Any) -> np.ndarray:
        """Share of a new cohort still a customer after ``t`` periods, ``S(t)``."""
        t = np.asarray(t, dtype="float64")
        return np.exp(betaln(self.alpha, self.beta + t) - betaln(self.alpha, self.beta))

    def churn_probability(self, t: Any) -> np.ndarray:
        """Share of a new cohort that leaves exactly at period ``t``, ``P(T = t)``."""
        t = np.asarray(t, dtype="float64")
        return np.exp(
            betaln(self.alpha + 1.0, self.beta + t - 1.0) - betaln(self.alpha, self.beta)
        )

    def retention_rate(self, t: Any) -> np.ndarray:
        """Share of the customers of period ``t - 1`` who renew at ``t``, ``r(t)``."""
        t = np.asarray(t, dtype="float64")
        return (self.beta + t - 1.0) / (self.alpha + self.beta + t - 1.0)

    def projection(self, periods: int, survivors: Sequence[float] | None = None) -> pd.DataFrame:
        """Return the projected survival curve, optionally next to observed survivors.

        Parameters
        ----------
        periods : int
            Last period shown (0 ... periods).
        survivors : sequence of float, optional
            Observed survivors from period 0 on (may be shorter or longer).

        Returns
        -------
        pandas.DataFrame
            Columns ``period, survival, retention_rate`` and, with
            ``survivors``, ``observed`` (share of period 0; NaN where not
            observed) and ``in_fit`` (period within the fitted range).
        """
        if int(periods) != periods or periods < 1:
            raise ValueError(f"periods={periods!r} must be a whole number >= 1")
        t = np.arange(int(periods) + 1, dtype="float64")
        out = pd.DataFrame(
            {
                "period": t.astype("int64"),
                "survival": self.survival(t),
                "retention_rate": np.where(t > 0, self.retention_rate(np.maximum(t, 1)), np.nan),
            }
        )
        if survivors is not None:
            obs = np.asarray(survivors, dtype="float64")
            share = np.full(len(t), np.nan)
            k = min(len(obs), len(t))
            share[:k] = obs[:k] / obs[0]
            out["observed"] = share
            out["in_fit"] = out["period"] <= self.periods_observed
        return out

    def expected_lifetime(self, discount_rate: float = 0.0) -> float:
        """Discounted expected lifetime of a new customer, in periods (DEL).

        ``sum_{t>=0} S(t) / (1 + d)^t``: the first period counts fully, later
        ones discounted. Multiply by the margin per period for a CLV. With
        ``discount_rate=0`` it is the mean lifetime, infinite when
        ``alpha <= 1``.

        Parameters
        ----------
        discount_rate : float, default 0.0
            Discount rate per period.

        Returns
        -------
        float
        """
        if not discount_rate >= 0:
            raise ValueError(f"discount_rate={discount_rate!r} must be >= 0 (e.g. 0.1)")
        if discount_rate == 0:
            return (
                float(np.inf)
                if self.alpha <= 1
                else (self.alpha + self.beta - 1) / (self.alpha - 1)
            )
        return float(hyp2f1(1.0, self.beta, self.alpha + self.beta, 1.0 / (1.0 + discount_rate)))

    def residual_lifetime(self, renewals: int, discount_rate: float) -> float:
        """Discounted expected residual lifetime of a customer after ``renewals`` renewals (DERL).

        Counts the coming renewal fully and later ones discounted, in
        periods (Fader & Hardie 2010, eq. 6 with ``n - 1 = renewals``).

        Parameters
        ----------
        renewals : int
            Renewals already made (0 for a customer in their first period).
        discount_rate : float
            Discount rate per period, > 0.

        Returns
        -------
        float
        """
        if int(renewals) != renewals or renewals < 0:
            raise ValueError(f"renewals={renewals!r} must be a whole number >= 0")
        if not discount_rate > 0:
            raise ValueError(f"discount_rate={discount_rate!r} must be > 0 (e.g. 0.1)")
        n = float(renewals)
        a, b = self.alpha, self.beta
        return float(
            (b + n)
            / (a + b + n)
            * hyp2f1(1.0, b + n + 1.0, a + b + n + 1.0, 1 / (1 + discount_rate))
        )


def _fit(t: np.ndarray, churned: np.ndarray, w: np.ndarray) -> SBGFit:
    if t.size == 0:
        raise ValueError("no customer to fit; give at least one duration")

    def nll(log_params: np.ndarray) -> float:
        a, b = np.exp(log_params)
        return -_sbg_loglik(a, b, t, churned, w)

    best = None
    for start in ([0.0, 0.0], [-1.0, 1.0], [1.0, 2.0]):
        res = optimize.minimize(nll, np.array(start), method="BFGS", options={"gtol": 1e-9})
        if best is None or res.fun < best.fun:
            best = res
    if best is None or not np.isfinite(best.fun):  # pragma: no cover - defensive
        raise ValueError("the sBG fit failed; check that durations are whole periods >= 0")
    a, b = np.exp(best.x)

    def nll_ab(v: np.ndarray) -> float:
        return -_sbg_loglik(v[0], v[1], t, churned, w)

    hess = numerical_hessian(nll_ab, [a, b])
    try:
        cov = np.linalg.inv(hess)
    except np.linalg.LinAlgError:  # pragma: no cover - flat likelihood
        cov = np.full((2, 2), np.nan)
    return SBGFit(
        alpha=float(a),
        beta=float(b),
        log_likelihood=float(-best.fun),
        n_customers=float(w.sum()),
        periods_observed=int(t.max()),
        covariance=cov,
    )


def fit_sbg(survivors: Sequence[float]) -> SBGFit:
    """Fit the sBG model to a cohort's survivors, period by period.

    Parameters
    ----------
    survivors : sequence of numbers
        Customers still under contract at the start of periods 0, 1, ..., k
        (period 0 is the cohort size). Must not increase.

    Returns
    -------
    SBGFit

    Examples
    --------
    >>> fit = fit_sbg([1000, 869, 743, 653, 593, 551, 517, 491])
    >>> fit.params_.round(3).to_dict()
    {'alpha': 0.668, 'beta': 3.806}
    """
    n = np.asarray(survivors, dtype="float64")
    if n.ndim != 1 or n.size < 2:
        raise ValueError(
            f"survivors={list(np.atleast_1d(n))!r} must list at least two periods (0 and 1)"
        )
    if not (np.all(np.isfinite(n)) and n[0] > 0 and np.all(n >= 0)):
        raise ValueError(f"survivors={n.tolist()!r} must be counts >= 0 with a positive start")
    if np.any(np.diff(n) > 0):
        raise ValueError(
            f"survivors={n.tolist()!r} increase somewhere; a cohort can only shrink "
            "(count each customer in the cohort they joined)"
        )
    k = n.size - 1
    t = np.concatenate([np.arange(1, k + 1), [k]]).astype("float64")
    churned = np.concatenate([np.ones(k, dtype=bool), [False]])
    w = np.concatenate([n[:-1] - n[1:], [n[-1]]])
    keep = w > 0
    return _fit(t[keep], churned[keep], w[keep])


def fit_sbg_durations(durations: Any, churned: Any, *, weights: Any | None = None) -> SBGFit:
    """Fit the sBG model to individual customers, some still under contract (censored).

    Parameters
    ----------
    durations : array-like of int
        For a customer who left: the period in which they left (1 = did not
        renew after the first period). For a customer still under contract:
        the number of renewals seen so far (0 = still in the first period).
    churned : array-like of bool
        True if the customer left.
    weights : array-like, optional
        Number of customers each row stands for.

    Returns
    -------
    SBGFit

    Examples
    --------
    >>> # the high-end cohort of Fader & Hardie (2007) as 1,000 individual customers
    >>> surv = [1000, 869, 743, 653, 593, 551, 517, 491]
    >>> left = np.repeat(np.arange(1, 8), -np.diff(surv))
    >>> t = np.concatenate([left, np.full(491, 7)])
    >>> fit = fit_sbg_durations(t, np.arange(1000) < left.size)
    >>> round(fit.alpha, 3), round(fit.beta, 3)
    (0.668, 3.806)
    """
    t = np.asarray(durations, dtype="float64")
    c = np.asarray(churned, dtype=bool)
    w = np.ones(t.shape) if weights is None else np.asarray(weights, dtype="float64")
    if not (t.ndim == 1 and t.shape == c.shape == w.shape):
        raise ValueError(
            f"durations, churned and weights must be 1-D of the same length; got shapes "
            f"{t.shape}, {c.shape}, {w.shape}"
        )
    bad = ~np.isfinite(t) | (t != np.round(t)) | (t < 0) | (c & (t < 1))
    if bad.any():
        raise ValueError(
            f"durations has {int(bad.sum())} invalid value(s) (e.g. {t[bad][0]!r}): use whole "
            "periods, >= 1 for customers who left and >= 0 for those still under contract"
        )
    return _fit(t, c, w)


def contract_durations(
    start: pd.Series,
    end: pd.Series,
    *,
    as_of: Any,
    period_months: int = 3,
) -> pd.DataFrame:
    """Turn contract start and cancellation dates into sBG durations.

    A contract runs in periods of ``period_months`` months from its start
    (a quarterly contract: ``period_months=3``). A customer who cancels
    during period ``k`` (``k = 1`` is the first period) has ``duration = k``
    and ``churned = True``; a customer still under contract at ``as_of``
    has ``duration`` = completed periods (renewals) and ``churned = False``.
    Contracts starting after ``as_of`` are left out; their number is in
    ``.attrs["n_after_as_of"]``.

    Parameters
    ----------
    start : pandas.Series
        Contract start per customer (datetime-like), indexed by customer.
    end : pandas.Series
        Cancellation date per customer, NaT if still a customer; aligned on
        ``start``'s index.
    as_of : date-like
        Analysis date.
    period_months : int, default 3
        Contract period in months.

    Returns
    -------
    pandas.DataFrame
        Index like ``start``; columns ``duration`` (int) and ``churned`` (bool).

    Examples
    --------
    >>> s = pd.Series(pd.to_datetime(["2024-01-01", "2024-01-01", "2024-06-15"]), index=list("ABC"))
    >>> e = pd.Series(pd.to_datetime(["2024-05-10", None, None]), index=list("ABC"))
    >>> contract_durations(s, e, as_of="2024-12-31")
       duration  churned
    A         2     True
    B         3    False
    C         2    False
    """
    if int(period_months) != period_months or period_months < 1:
        raise ValueError(f"period_months={period_months!r} must be a whole number of months >= 1")
    as_of_ts = as_timestamp(as_of, "as_of")
    st = pd.to_datetime(start)
    en = pd.to_datetime(end).reindex(st.index)
    if st.isna().any():
        raise ValueError(
            f"start has {int(st.isna().sum())} missing date(s); every contract needs one"
        )
    early = en.notna() & (en < st)
    if early.any():
        raise ValueError(
            f"end is before start for {int(early.sum())} customer(s), e.g. "
            f"{early[early].index[0]!r}; check the cancellation dates"
        )
    after = st > as_of_ts
    st, en = st[~after], en[~after]
    churned = en.notna() & (en <= as_of_ts)
    stop = en.where(churned, as_of_ts)
    months = (stop.dt.year - st.dt.year) * 12 + (stop.dt.month - st.dt.month)
    months = months - (stop.dt.day < st.dt.day).astype("int64")  # completed months
    completed = (months // period_months).astype("int64")
    duration = np.where(churned, completed + 1, completed)
    out = pd.DataFrame({"duration": duration.astype("int64"), "churned": churned.to_numpy()},
                       index=st.index)  # fmt: skip
    out.attrs["n_after_as_of"] = int(after.sum())
    return out


def published_sbg_vs_ours(fit_periods: int = 7) -> pd.DataFrame:
    """Return the published sBG estimates of Fader & Hardie (2007) next to ours.

    Parameters
    ----------
    fit_periods : int, default 7
        Years of data used for the fit (the paper uses years 1-7).

    Returns
    -------
    pandas.DataFrame
        One row per cohort and parameter: ``cohort, parameter, published,
        ours, difference_pct, within_1pct``.

    Examples
    --------
    >>> t = published_sbg_vs_ours()
    >>> bool(t["within_1pct"].all()), len(t)
    (True, 4)
    """
    rows = []
    for cohort, spec in PUBLISHED_SBG.items():
        fit = fit_sbg(spec["survivors"][: fit_periods + 1])
        for par, pub in spec["params"].items():
            ours = float(getattr(fit, par))
            diff = 100.0 * (ours - pub) / pub
            rows.append((cohort, par, pub, round(ours, 4), round(diff, 2), abs(diff) <= 1.0))
    out = pd.DataFrame(
        rows, columns=["cohort", "parameter", "published", "ours", "difference_pct", "within_1pct"]
    )
    out.attrs["source"] = PUBLISHED_SBG_SOURCE
    return out
