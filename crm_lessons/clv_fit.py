"""Own BTYD estimators on sufficient statistics, with parameter and CLV intervals (lesson 10).

lifetimes gives point estimates. A CLV of 412 for one customer is an
estimate too: fitted on a few thousand customers, the model's parameters are
uncertain, and so is every prediction built on them. This module

* fits BG/NBD, MBG/NBD, Pareto/NBD and Gamma-Gamma by maximum likelihood on
  the **distinct histories** (each ``(x, t_x, T)`` once, with the number of
  customers sharing it), with the stable formulas of :mod:`crm_lessons.btyd`
  (:func:`fit_btyd`); the estimates equal lifetimes' (tests pin them);
* gives the parameters' asymptotic covariance from the Hessian of the
  log-likelihood (:meth:`BTYDFit.confidence_intervals`), for our fits and
  for lifetimes' fitted models alike (:func:`as_btyd_fit`);
* propagates it to each customer's expected purchases, P(alive) and CLV,
  and to segment totals, by drawing parameter sets from the asymptotic
  normal distribution (on the log scale, so they stay positive) with a
  ``random_state`` (:func:`clv_intervals`).

The intervals cover the uncertainty of the *model's parameters* only: a
customer's actual purchases scatter around their expectation on top of it.

Examples
--------
>>> from crm_lessons.datasets import load_cdnow_summary
>>> fit = fit_btyd(load_cdnow_summary(), "BG/NBD")
>>> fit.params_.round(3).tolist()
[0.243, 4.414, 0.793, 2.426]
>>> fit.confidence_intervals().round(3).loc["r"].tolist()
[0.243, 0.013, 0.219, 0.268]
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats
from scipy.special import digamma, expit, gammaln

from crm_lessons import btyd
from crm_lessons._checks import require_columns

__all__ = [
    "MODELS",
    "BTYDFit",
    "CLVIntervals",
    "as_btyd_fit",
    "clv_intervals",
    "fit_btyd",
    "predict_clv",
]

#: Parameter names and formulas of each model.
MODELS: dict[str, dict[str, Any]] = {
    "BG/NBD": {
        "params": ("r", "alpha", "a", "b"),
        "loglik": btyd.bgnbd_log_likelihood,
        "p_alive": btyd.bgnbd_p_alive,
        "expected": btyd.bgnbd_expected_purchases,
        "if_alive": btyd._bgnbd_if_alive,
        "lifetimes": "BetaGeoFitter",
    },
    "MBG/NBD": {
        "params": ("r", "alpha", "a", "b"),
        "loglik": btyd.mbgnbd_log_likelihood,
        "p_alive": btyd.mbgnbd_p_alive,
        "expected": btyd.mbgnbd_expected_purchases,
        "if_alive": btyd._mbgnbd_if_alive,
        "lifetimes": "ModifiedBetaGeoFitter",
    },
    "Pareto/NBD": {
        "params": ("r", "alpha", "s", "beta"),
        "loglik": btyd.pareto_nbd_log_likelihood,
        "p_alive": btyd.pareto_nbd_p_alive,
        "expected": btyd.pareto_nbd_expected_purchases,
        "if_alive": btyd._pareto_if_alive,
        "lifetimes": "ParetoNBDFitter",
    },
    "Gamma-Gamma": {
        "params": ("p", "q", "v"),
        "loglik": btyd.gamma_gamma_log_likelihood,
        "lifetimes": "GammaGammaFitter",
    },
}
# Log-parameters are kept within +-18 (about 1e-8 to 7e7): far outside, the
# gamma-function differences of the likelihoods lose all precision and can fake a maximum.
_LOG_BOUND = 18.0
_BY_LIFETIMES = {spec["lifetimes"]: name for name, spec in MODELS.items()}


@dataclass
class BTYDFit:
    """A fitted BTYD model with its parameter covariance.

    Attributes
    ----------
    model : str
        One of :data:`MODELS`.
    params_ : pandas.Series
        Estimates.
    log_likelihood_ : float
        Maximised log-likelihood (sum over customers).
    cov_log_ : numpy.ndarray
        Asymptotic covariance of the log-parameters (inverse Hessian of the
        negative log-likelihood).
    n_customers_ : int
        Customers in the fit.
    histories_ : pandas.DataFrame
        The distinct histories and their ``count`` (Gamma-Gamma: every repeat
        buyer's ``x, m``, count 1).
    """

    model: str
    params_: pd.Series
    log_likelihood_: float
    n_customers_: int
    histories_: pd.DataFrame = field(repr=False)
    _objective: Any = field(default=None, repr=False)
    _cov: np.ndarray | None = field(default=None, repr=False)

    @property
    def cov_log_(self) -> np.ndarray:
        """Asymptotic covariance of the log-parameters, computed on first use."""
        if self._cov is None:
            obj = self._objective
            hess = obj.n * obj.hessian(np.log(self.params_.to_numpy(dtype="float64")))
            try:
                self._cov = np.linalg.inv(hess)
            except np.linalg.LinAlgError:  # pragma: no cover - flat likelihood
                self._cov = np.full(hess.shape, np.nan)
        return self._cov

    def standard_errors(self) -> pd.Series:
        """Standard errors of the parameters (delta method from the log scale)."""
        return pd.Series(
            self.params_.to_numpy() * np.sqrt(np.diag(self.cov_log_)), index=self.params_.index
        )

    def confidence_intervals(self, ci: float = 0.95) -> pd.DataFrame:
        """Return ``estimate, se, lower, upper`` per parameter (Wald on the log scale).

        Parameters
        ----------
        ci : float, default 0.95
            Confidence level.

        Returns
        -------
        pandas.DataFrame
        """
        z = _z(ci)
        est = self.params_
        se_log = np.sqrt(np.diag(self.cov_log_))
        return pd.DataFrame(
            {
                "estimate": est,
                "se": self.standard_errors(),
                "lower": est * np.exp(-z * se_log),
                "upper": est * np.exp(z * se_log),
            }
        )

    def sample_params(self, n_draws: int, random_state: Any = None) -> np.ndarray:
        """Draw parameter sets from the asymptotic normal of the log-parameters.

        Parameters
        ----------
        n_draws : int
            Number of draws.
        random_state : int, numpy.random.Generator or None
            Seed; the same seed gives the same draws.

        Returns
        -------
        numpy.ndarray
            Shape ``(n_draws, n_params)``.
        """
        if isinstance(n_draws, bool) or int(n_draws) != n_draws or n_draws < 1:
            raise ValueError(f"n_draws={n_draws!r} must be a whole number >= 1")
        rng = np.random.default_rng(random_state)
        mean = np.log(self.params_.to_numpy())
        return np.exp(rng.multivariate_normal(mean, self.cov_log_, size=int(n_draws)))


def _z(ci: float) -> float:
    if not (isinstance(ci, (int, float)) and 0 < ci < 1):
        raise ValueError(f"ci={ci!r} must be a confidence level between 0 and 1, e.g. 0.95")
    return float(stats.norm.ppf(0.5 + ci / 2))


def _histories(
    summary: pd.DataFrame, model: str, frequency: str, recency: str, T: str, monetary_value: str
) -> tuple[pd.DataFrame, int]:
    if model == "Gamma-Gamma":
        require_columns(summary, [frequency, monetary_value], "summary")
        keep = (summary[frequency] > 0) & (summary[monetary_value] > 0)
        cols = [frequency, monetary_value]
        data = summary.loc[keep, cols]
        names = ["x", "m"]
    else:
        require_columns(summary, [frequency, recency, T], "summary")
        cols = [frequency, recency, T]
        data = summary[cols]
        names = ["x", "t_x", "T"]
    if len(data) == 0:
        raise ValueError(
            f"summary has no customer to fit the {model} model on"
            + (" (it needs repeat buyers with spend > 0)" if model == "Gamma-Gamma" else "")
        )
    values = data.to_numpy(dtype="float64")
    if not np.isfinite(values).all():
        raise ValueError(f"summary has missing or infinite values in {cols}")
    if model != "Gamma-Gamma":
        x, t_x, age = values.T
        bad = (x < 0) | (t_x < 0) | (t_x > age) | ((x == 0) & (t_x > 0))
        if bad.any():
            raise ValueError(
                f"summary has {int(bad.sum())} impossible history(ies) (need frequency >= 0, "
                "0 <= recency <= T, recency = 0 when frequency = 0), e.g. "
                f"{data[bad].iloc[0].to_dict()}"
            )
    if model == "Gamma-Gamma":  # average spends are continuous: hardly any repeat
        hist = pd.DataFrame(values, columns=names)
        hist["count"] = 1.0
        return hist, len(data)
    first, _, counts = _group_rows(values)
    hist = pd.DataFrame(values[first], columns=names)
    hist["count"] = counts.astype("float64")
    hist = hist.sort_values(names, kind="stable", ignore_index=True)
    return hist, len(data)


def _group_rows(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct rows of a 2-D array: index of each one's first row, inverse map, counts.

    Each column is factorised (hashing, linear time) and the codes are combined
    into one integer key, much faster than sorting rows of floats.
    """
    key = np.zeros(len(values), dtype="int64")
    size = 1
    for j in range(values.shape[1]):
        codes, uniques = pd.factorize(values[:, j])
        size *= max(len(uniques), 1)
        if size >= 2**62:  # too many combinations for one int64: sort the rows instead
            _, first, inverse, counts = np.unique(
                values, axis=0, return_index=True, return_inverse=True, return_counts=True
            )
            return first, inverse.ravel(), counts
        key = key * len(uniques) + codes
    _, first, inverse, counts = np.unique(
        key, return_index=True, return_inverse=True, return_counts=True
    )
    return first, inverse.ravel(), counts


def _start(model: str, hist: pd.DataFrame) -> np.ndarray:
    if model == "Gamma-Gamma":
        m = np.average(hist["m"], weights=hist["count"])
        return np.log([2.0, 3.0, 2.0 * m])
    scale = float(np.average(hist["T"], weights=hist["count"]))
    return np.log([1.0, scale, 1.0, 1.0 if model != "Pareto/NBD" else scale])


def _bgnbd_grad(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:  # noqa: N803
    """Per-customer gradient of the BG/NBD log-likelihood in (r, alpha, a, b)."""
    r, alpha, a, b = params
    a3 = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore"):
        a4 = np.where(
            x > 0,
            np.log(a) - np.log(b + np.maximum(x, 1) - 1) - (r + x) * np.log(alpha + t_x),
            -np.inf,
        )
    w4 = expit(a4 - a3)
    w3 = 1.0 - w4
    d_r = digamma(r + x) - digamma(r) + np.log(alpha) - w3 * np.log(alpha + T)
    d_r -= w4 * np.log(alpha + t_x)
    d_alpha = r / alpha - (r + x) * (w3 / (alpha + T) + w4 / (alpha + t_x))
    d_a = digamma(a + b) - digamma(a + b + x) + w4 / a
    d_b = digamma(a + b) + digamma(b + x) - digamma(b) - digamma(a + b + x)
    d_b -= w4 / (b + np.maximum(x, 1) - 1)
    return np.stack([d_r, d_alpha, d_a, d_b])


def _mbgnbd_grad(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:  # noqa: N803
    """Per-customer gradient of the MBG/NBD log-likelihood in (r, alpha, a, b)."""
    r, alpha, a, b = params
    lr = np.log(alpha + T) - np.log(alpha + t_x)
    w = expit(np.log(a) - np.log(b + x) + (r + x) * lr)
    d_r = digamma(r + x) - digamma(r) + np.log(alpha) - np.log(alpha + T) + w * lr
    d_alpha = r / alpha - (r + x) / (alpha + T)
    d_alpha += w * (r + x) * (1.0 / (alpha + T) - 1.0 / (alpha + t_x))
    d_a = digamma(a + b) - digamma(a + b + x + 1) + w / a
    d_b = digamma(a + b) + digamma(b + x + 1) - digamma(b) - digamma(a + b + x + 1) - w / (b + x)
    return np.stack([d_r, d_alpha, d_a, d_b])


def _gamma_gamma_grad(params: np.ndarray, x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Per-customer gradient of the Gamma-Gamma log-likelihood in (p, q, v)."""
    p, q, v = params
    px = p * x
    d_p = x * (digamma(px + q) - digamma(px) + np.log(m) + np.log(x) - np.log(x * m + v))
    d_q = digamma(px + q) - digamma(q) + np.log(v) - np.log(x * m + v)
    d_v = q / v - (px + q) / (x * m + v)
    return np.stack([d_p, d_q, d_v])


_GRADIENTS: dict[str, Callable[..., np.ndarray]] = {
    "BG/NBD": _bgnbd_grad,
    "MBG/NBD": _mbgnbd_grad,
    "Gamma-Gamma": _gamma_gamma_grad,
}


def _wsum(w: np.ndarray, values: np.ndarray) -> float:
    """Weighted sum without BLAS (no thread start-up cost on a busy machine)."""
    return float(np.einsum("i,i->", w, values))


class _GammaGammaSums:
    """The Gamma-Gamma log-likelihood from sums: per-customer work is one log per evaluation.

    The gamma functions depend on the number of purchases only (a few hundred
    distinct values), and ``(p x - 1) log m + p x log x`` is linear in ``p``
    with sums computed once; only ``log(x m + v)`` is needed per customer.
    """

    def __init__(self, x: np.ndarray, m: np.ndarray, w: np.ndarray) -> None:
        self.ux, inv = np.unique(x, return_inverse=True)
        self.wx = np.bincount(inv.ravel(), weights=w)
        self.x, self.xm, self.w = x, x * m, w
        self.s_logm = float(np.dot(w, np.log(m)))
        self.s_xlog = float(np.dot(w, x * (np.log(m) + np.log(x))))
        self.total = float(np.sum(w))
        self._cache: tuple[float, np.ndarray] = (np.nan, np.empty(0))

    def _log_xmv(self, v: float) -> np.ndarray:
        if self._cache[0] != v:  # the search asks for value and gradient at the same point
            self._cache = (v, np.log(self.xm + v))
        return self._cache[1]

    def mean_ll(self, params: np.ndarray) -> float:
        p, q, v = params
        px = p * self.ux
        per_x = gammaln(px + q) - gammaln(px) - gammaln(q)
        log_xmv = self._log_xmv(v)
        return float(
            _wsum(self.wx, per_x)
            + self.total * q * np.log(v)
            + p * self.s_xlog
            - self.s_logm
            - _wsum(self.w, (p * self.x + q) * log_xmv)
        )

    def mean_grad(self, params: np.ndarray) -> np.ndarray:
        p, q, v = params
        px = p * self.ux
        log_xmv = self._log_xmv(v)
        d_p = (
            _wsum(self.wx, self.ux * (digamma(px + q) - digamma(px)))
            + self.s_xlog
            - _wsum(self.w, self.x * log_xmv)
        )
        d_q = (
            _wsum(self.wx, digamma(px + q) - digamma(q))
            + self.total * np.log(v)
            - _wsum(self.w, log_xmv)
        )
        d_v = self.total * q / v - _wsum(self.w, (p * self.x + q) / (self.xm + v))
        return np.array([d_p, d_q, d_v])


class _Objective:
    """Mean negative log-likelihood per customer on distinct histories, in log-parameters."""

    def __init__(self, model: str, data: list[np.ndarray], weights: np.ndarray) -> None:
        self.loglik = MODELS[model]["loglik"]
        self.analytic = _GRADIENTS.get(model)
        if model == "Pareto/NBD":  # the 2F1 only on distinct (x, t_x) and (x, T) pairs
            pairs = btyd.ParetoPairs(*data)
            self.loglik = lambda params, *_: pairs.log_likelihood(params)
        self.data = data
        self.n = float(np.sum(weights))
        self.w = weights / self.n  # mean per customer: tolerances do not depend on the size
        self._last: tuple[Any, float] = ((), np.nan)
        self._gg = _GammaGammaSums(*data, self.w) if model == "Gamma-Gamma" else None

    def _mean_ll(self, params: np.ndarray) -> float:
        if self._gg is not None:
            return self._gg.mean_ll(params)
        return float(_wsum(self.w, self.loglik(params, *self.data)))

    def _mean_grad(self, params: np.ndarray) -> np.ndarray:
        if self._gg is not None:
            return self._gg.mean_grad(params)
        return self.analytic(params, *self.data) @ self.w

    def __call__(self, log_params: np.ndarray) -> float:
        key = tuple(np.asarray(log_params, dtype="float64"))
        if key == self._last[0]:
            return self._last[1]
        if np.max(np.abs(log_params)) > _LOG_BOUND:  # a wall the line search backs off from
            return 1e300
        with np.errstate(all="ignore"):
            value = -self._mean_ll(np.exp(log_params))
        value = value if np.isfinite(value) else 1e300
        self._last = (key, value)
        return value

    def grad(self, log_params: np.ndarray, *, central: bool = False) -> np.ndarray:
        if self.analytic is None:
            # Pareto/NBD: finite differences. The 2F1 values carry ~1e-12 relative error,
            # so the steps are not tiny: forward (cheap) while searching, central to finish.
            f0 = self(log_params)
            g = np.empty_like(log_params)
            for i in range(log_params.size):
                e = np.zeros_like(log_params)
                if central:
                    e[i] = 1e-4
                    g[i] = (self(log_params + e) - self(log_params - e)) / 2e-4
                else:
                    e[i] = 1e-5
                    g[i] = (self(log_params + e) - f0) / 1e-5
            self(log_params)  # keep the cache on the current point
            return g
        params = np.exp(log_params)
        with np.errstate(all="ignore"):
            return -self._mean_grad(params) * params

    def hessian(self, log_params: np.ndarray) -> np.ndarray:
        if self.analytic is None:
            return btyd.numerical_hessian(self, log_params, step=1e-3)
        k = log_params.size
        h = np.empty((k, k))
        for i in range(k):
            e = np.zeros(k)
            e[i] = 1e-5
            h[:, i] = (self.grad(log_params + e) - self.grad(log_params - e)) / 2e-5
        return (h + h.T) / 2


def _newton_polish(obj: _Objective, x: np.ndarray, steps: int = 3) -> np.ndarray:
    """A few damped Newton steps: quadratic convergence at the end of the search."""
    for _ in range(steps):
        g = obj.grad(x, central=True)
        try:
            step = np.linalg.solve(obj.hessian(x), g)
        except np.linalg.LinAlgError:  # pragma: no cover - flat likelihood
            break
        f0 = obj(x)
        for damp in (1.0, 0.5, 0.25):
            if obj(x - damp * step) <= f0:
                x = x - damp * step
                break
        else:
            break
        if np.max(np.abs(step)) < 1e-9:
            break
    return x


def _initial(values: Any, spec: dict[str, Any]) -> np.ndarray:
    v = np.asarray(values, dtype="float64")
    if v.shape != (len(spec["params"]),) or not np.all(v > 0):
        raise ValueError(
            f"initial_params={list(np.atleast_1d(v))!r} must be {len(spec['params'])} positive "
            f"numbers ({', '.join(spec['params'])})"
        )
    return np.log(v)


def fit_btyd(
    summary: pd.DataFrame,
    model: str = "BG/NBD",
    *,
    initial_params: Any = None,
    frequency: str = "frequency",
    recency: str = "recency",
    T: str = "T",  # noqa: N803
    monetary_value: str = "monetary_value",
) -> BTYDFit:
    """Fit a BTYD model by maximum likelihood on the distinct customer histories.

    Customers with the same ``(frequency, recency, T)`` (or, for
    Gamma-Gamma, the same ``(frequency, monetary_value)``) share one
    likelihood term weighted by their number, so the work grows with the
    number of *distinct* histories, not customers. The optimiser (BFGS on
    the log-parameters, finished with Newton steps) uses the stable
    formulas of :mod:`crm_lessons.btyd`. No penalizer: add one in lifetimes
    if a fit runs off.

    Parameters
    ----------
    summary : pandas.DataFrame
        One row per customer (see :func:`crm_lessons.rfm.btyd_summary`).
    model : {"BG/NBD", "MBG/NBD", "Pareto/NBD", "Gamma-Gamma"}
        Gamma-Gamma is fitted on the repeat buyers with spend > 0.
    initial_params : sequence of float or pandas.Series, optional
        Starting values (e.g. an earlier fit's ``params_``, to refit a
        bootstrap sample quickly). Default: a fixed start, so the same data
        give the same digits.
    frequency, recency, T, monetary_value : str
        Column names.

    Returns
    -------
    BTYDFit

    Examples
    --------
    >>> from crm_lessons.datasets import load_cdnow_summary
    >>> fit_btyd(load_cdnow_summary(), "Pareto/NBD").params_.round(2).to_dict()
    {'r': 0.55, 'alpha': 10.58, 's': 0.61, 'beta': 11.67}
    """
    if model not in MODELS:
        raise ValueError(f"model={model!r} is not supported; valid: {', '.join(MODELS)}")
    hist, n = _histories(summary, model, frequency, recency, T, monetary_value)
    spec = MODELS[model]
    cols = ["x", "m"] if model == "Gamma-Gamma" else ["x", "t_x", "T"]
    data = [hist[c].to_numpy() for c in cols]
    w = hist["count"].to_numpy()

    obj = _Objective(model, data, w)
    if initial_params is not None:
        x0 = _initial(initial_params, spec)
    else:
        x0 = _start(model, hist)
    with warnings.catch_warnings():  # "precision loss" near the optimum: Newton finishes
        warnings.simplefilter("ignore", RuntimeWarning)
        res = optimize.minimize(obj, x0, jac=obj.grad, method="BFGS", options={"gtol": 1e-6})
    # Newton steps finish the search (Pareto/NBD: one, with a numerical Hessian)
    x = _newton_polish(obj, res.x, steps=3 if obj.analytic is not None else 2)
    if np.any(np.abs(x) > _LOG_BOUND - 1):
        raise ValueError(
            f"the {model} fit ran off to extreme parameters {np.exp(x).round(6).tolist()}; "
            "check the time unit (weeks for summaries over years) or use lifetimes with a "
            "small penalizer"
        )
    if obj(x) >= 1e300:  # pragma: no cover - data dependent
        raise ValueError(
            f"the {model} fit did not converge; check the time unit (weeks) and the summary"
        )
    return BTYDFit(
        model=model,
        params_=pd.Series(np.exp(x), index=list(spec["params"])),
        log_likelihood_=-obj(x) * obj.n,
        n_customers_=n,
        histories_=hist,
        _objective=obj,
    )


def as_btyd_fit(
    fitter: Any,
    summary: pd.DataFrame,
    *,
    frequency: str = "frequency",
    recency: str = "recency",
    T: str = "T",  # noqa: N803
    monetary_value: str = "monetary_value",
) -> BTYDFit:
    """Attach the Hessian covariance to a fitted lifetimes model (or return a BTYDFit as is).

    lifetimes gives no standard errors for Pareto/NBD and computes the
    others on its internal time scale; this evaluates the Hessian of our
    log-likelihood at lifetimes' estimates, for any of the four models.

    Parameters
    ----------
    fitter : lifetimes fitter or BTYDFit
        Fitted on ``summary``.
    summary : pandas.DataFrame
        The data it was fitted on.
    frequency, recency, T, monetary_value : str
        Column names.

    Returns
    -------
    BTYDFit

    Examples
    --------
    >>> from crm_lessons.clv import fit_pareto_nbd
    >>> from crm_lessons.datasets import load_cdnow_summary
    >>> s = load_cdnow_summary()
    >>> as_btyd_fit(fit_pareto_nbd(s), s).standard_errors().round(2).to_dict()
    {'r': 0.05, 'alpha': 0.84, 's': 0.19, 'beta': 6.21}
    """
    if isinstance(fitter, BTYDFit):
        return fitter
    name = _BY_LIFETIMES.get(type(fitter).__name__)
    if name is None or not hasattr(fitter, "params_"):
        raise TypeError(
            f"fitter must be a fitted lifetimes BG/NBD, MBG/NBD, Pareto/NBD or Gamma-Gamma "
            f"model or a BTYDFit, got {type(fitter).__name__}"
        )
    spec = MODELS[name]
    hist, n = _histories(summary, name, frequency, recency, T, monetary_value)
    cols = ["x", "m"] if name == "Gamma-Gamma" else ["x", "t_x", "T"]
    data = [hist[c].to_numpy() for c in cols]
    w = hist["count"].to_numpy()
    params = fitter.params_[list(spec["params"])].to_numpy(dtype="float64")

    obj = _Objective(name, data, w)
    x = np.log(params)
    return BTYDFit(
        model=name,
        params_=pd.Series(params, index=list(spec["params"])),
        log_likelihood_=-obj(x) * obj.n,
        n_customers_=n,
        histories_=hist,
        _objective=obj,
    )


# ------------------------------------------------------------------ CLV intervals


@dataclass
class CLVIntervals:
    """Per-customer predictions with intervals from :func:`clv_intervals`.

    Attributes
    ----------
    customers : pandas.DataFrame
        One row per customer: ``expected_purchases``, ``p_alive``, ``clv`` (at
        the estimates) and ``*_lower`` / ``*_upper`` bounds.
    clv_draws : numpy.ndarray
        ``(n_draws, n_customers)`` CLV under each parameter draw, for segment
        totals and decisions.
    ci : float
        Confidence level of the bounds.
    """

    customers: pd.DataFrame
    clv_draws: np.ndarray = field(repr=False)
    ci: float

    def segment_totals(self, segment: pd.Series, ci: float | None = None) -> pd.DataFrame:
        """Total CLV per segment with its interval.

        The interval of a total is **not** the sum of the customers'
        intervals: all customers share the same parameter draw, so the total
        is computed draw by draw and its quantiles taken.

        Parameters
        ----------
        segment : pandas.Series
            Segment label per customer (aligned on the index).
        ci : float, optional
            Confidence level; default the one of :func:`clv_intervals`.

        Returns
        -------
        pandas.DataFrame
            Index segment; ``customers, clv, clv_lower, clv_upper``.
        """
        ci = self.ci if ci is None else ci
        _z(ci)
        labels = segment.reindex(self.customers.index)
        if labels.isna().any():
            raise ValueError(f"segment has no label for {int(labels.isna().sum())} customer(s)")
        codes, uniques = pd.factorize(labels, sort=True)
        k = len(uniques)
        totals = np.zeros((self.clv_draws.shape[0], k))
        for j in range(k):
            totals[:, j] = self.clv_draws[:, codes == j].sum(axis=1)
        lo, hi = np.quantile(totals, [(1 - ci) / 2, (1 + ci) / 2], axis=0)
        point = self.customers.groupby(codes)["clv"].sum().to_numpy()
        return pd.DataFrame(
            {
                "customers": np.bincount(codes, minlength=k),
                "clv": point,
                "clv_lower": lo,
                "clv_upper": hi,
            },
            index=pd.Index(uniques, name=segment.name or "segment"),
        )

    def versus_cost(self, cost: float | pd.Series) -> pd.DataFrame:
        """Compare each customer's CLV interval with the cost of an offer.

        Parameters
        ----------
        cost : float or pandas.Series
            Cost of the offer (same money unit as the CLV).

        Returns
        -------
        pandas.DataFrame
            ``clv, clv_lower, clv_upper, cost, p_clv_above_cost`` and
            ``decision``: ``"worth it"`` (whole interval above the cost),
            ``"not worth it"`` (whole interval below) or ``"uncertain"``
            (the interval straddles the cost).
        """
        c = self.customers
        cost_s = (
            cost.reindex(c.index).astype("float64")
            if isinstance(cost, pd.Series)
            else pd.Series(float(cost), index=c.index)
        )
        out = c[["clv", "clv_lower", "clv_upper"]].copy()
        out["cost"] = cost_s
        out["p_clv_above_cost"] = (self.clv_draws > cost_s.to_numpy()).mean(axis=0)
        out["decision"] = np.where(
            out["clv_lower"] > out["cost"],
            "worth it",
            np.where(out["clv_upper"] < out["cost"], "not worth it", "uncertain"),
        )
        return out


def clv_intervals(
    transaction_model: Any,
    spend_model: Any,
    summary: pd.DataFrame,
    *,
    months: int = 12,
    discount_rate: float = 0.01,
    margin: float = 1.0,
    freq: str = "W",
    n_draws: int = 300,
    ci: float = 0.9,
    frequency: str = "frequency",
    recency: str = "recency",
    T: str = "T",  # noqa: N803
    monetary_value: str = "monetary_value",
    random_state: Any = None,
) -> CLVIntervals:
    """Expected purchases, P(alive) and discounted CLV per customer, with intervals.

    Parameter sets are drawn from the asymptotic normal distribution of each
    model's log-parameters (:meth:`BTYDFit.sample_params`); for each draw
    the predictions are recomputed for every customer; the bounds are the
    quantiles over the draws. The CLV is the same monthly sum as
    :func:`crm_lessons.clv.discounted_clv`.

    Parameters
    ----------
    transaction_model : lifetimes BG/NBD, MBG/NBD or Pareto/NBD model, or BTYDFit
        Fitted on ``summary``.
    spend_model : lifetimes GammaGammaFitter, BTYDFit or None
        ``None`` uses each customer's own ``monetary_value``.
    summary : pandas.DataFrame
        Columns ``frequency, recency, T, monetary_value``.
    months : int, default 12
        Horizon in months.
    discount_rate : float, default 0.01
        Discount rate per month.
    margin : float, default 1.0
        Share of spend kept as profit.
    freq : {"D", "W", "M"}, default "W"
        Time unit of the summary.
    n_draws : int, default 300
        Parameter draws.
    ci : float, default 0.9
        Confidence level of the bounds.
    frequency, recency, T, monetary_value : str
        Column names.
    random_state : int, numpy.random.Generator or None
        Seed of the parameter draws.

    Returns
    -------
    CLVIntervals

    Examples
    --------
    >>> from crm_lessons.clv import fit_bgnbd, fit_gamma_gamma
    >>> from crm_lessons.datasets import load_cdnow_summary
    >>> s = load_cdnow_summary()
    >>> res = clv_intervals(fit_bgnbd(s), fit_gamma_gamma(s), s, n_draws=100, random_state=1)
    >>> row = res.customers.iloc[0]
    >>> bool(row["clv_lower"] < row["clv"] < row["clv_upper"])
    True
    """
    from crm_lessons.clv import PERIODS_PER_MONTH

    require_columns(summary, [frequency, recency, T, monetary_value], "summary")
    if freq not in PERIODS_PER_MONTH:
        raise ValueError(f"freq={freq!r} is not supported; valid: {', '.join(PERIODS_PER_MONTH)}")
    if int(months) != months or months < 1:
        raise ValueError(f"months={months!r} must be a whole number of months >= 1")
    if not discount_rate > -1:
        raise ValueError(f"discount_rate={discount_rate!r} must be greater than -1 (e.g. 0.01)")
    _z(ci)
    rng = np.random.default_rng(random_state)
    kw = {"frequency": frequency, "recency": recency, "T": T, "monetary_value": monetary_value}
    tfit = as_btyd_fit(transaction_model, summary, **kw)
    if tfit.model == "Gamma-Gamma":
        raise ValueError("transaction_model is a Gamma-Gamma model; pass it as spend_model")
    spec = MODELS[tfit.model]
    x = summary[frequency].to_numpy(dtype="float64")
    t_x = summary[recency].to_numpy(dtype="float64")
    age = summary[T].to_numpy(dtype="float64")
    m = summary[monetary_value].to_numpy(dtype="float64")
    draws_t = np.vstack([tfit.params_.to_numpy(), tfit.sample_params(n_draws, rng)])
    if spend_model is None:
        spend = np.broadcast_to(m, (draws_t.shape[0], m.size))
    else:
        sfit = as_btyd_fit(spend_model, summary, **kw)
        draws_s = np.vstack([sfit.params_.to_numpy(), sfit.sample_params(n_draws, rng)])
        spend = btyd.gamma_gamma_expected_spend([draws_s[:, [i]] for i in range(3)], x, m)
    step = PERIODS_PER_MONTH[freq]
    n = len(summary)
    clv = np.zeros((draws_t.shape[0], n))
    purchases = np.zeros_like(clv)
    alive = np.zeros_like(clv)
    for k, par in enumerate(draws_t):
        with np.errstate(all="ignore"):
            alive[k] = spec["p_alive"](par, x, t_x, age)
            previous = np.zeros(n)
            for i in range(1, int(months) + 1):
                cumulative = alive[k] * spec["if_alive"](par, i * step, x, age)
                clv[k] += spend[k] * (cumulative - previous) / (1.0 + discount_rate) ** i
                previous = cumulative
            purchases[k] = previous
    clv *= margin
    q = [(1 - ci) / 2, (1 + ci) / 2]
    out = pd.DataFrame(index=summary.index)
    for name, arr in (("expected_purchases", purchases), ("p_alive", alive), ("clv", clv)):
        lo, hi = np.quantile(arr[1:], q, axis=0)
        out[name] = arr[0]
        out[f"{name}_lower"] = lo
        out[f"{name}_upper"] = hi
    return CLVIntervals(customers=out, clv_draws=clv[1:], ci=float(ci))


def _model_and_params(model: Any) -> tuple[str, np.ndarray]:
    if isinstance(model, BTYDFit):
        return model.model, model.params_.to_numpy(dtype="float64")
    name = _BY_LIFETIMES.get(type(model).__name__)
    if name is None or not hasattr(model, "params_"):
        raise TypeError(
            f"model must be a fitted lifetimes BG/NBD, MBG/NBD, Pareto/NBD or Gamma-Gamma model "
            f"or a BTYDFit, got {type(model).__name__}"
        )
    return name, model.params_[list(MODELS[name]["params"])].to_numpy(dtype="float64")


def predict_clv(
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
) -> pd.DataFrame:
    """P(alive), expected purchases, expected spend and discounted CLV for every customer, fast.

    The same numbers as :func:`crm_lessons.clv.p_alive` and
    :func:`crm_lessons.clv.discounted_clv`, computed once per **distinct**
    ``(frequency, recency, T)`` history and then spread to the customers
    (the expected spend is per customer). For a million customers with
    weekly summaries this is a few ten thousand histories.

    Parameters
    ----------
    transaction_model : fitted lifetimes BG/NBD, MBG/NBD or Pareto/NBD model, or BTYDFit
    spend_model : fitted lifetimes GammaGammaFitter, BTYDFit or None
        ``None`` uses each customer's own ``monetary_value``.
    summary : pandas.DataFrame
        Columns ``frequency, recency, T, monetary_value``.
    months : int, default 12
        Horizon in months.
    discount_rate : float, default 0.01
        Discount rate per month.
    margin : float, default 1.0
        Share of spend kept as profit.
    freq : {"D", "W", "M"}, default "W"
        Time unit of the summary.
    frequency, recency, T, monetary_value : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``summary``: ``p_alive, expected_purchases,
        expected_spend, clv``.

    Examples
    --------
    >>> from crm_lessons.clv import discounted_clv, fit_bgnbd, fit_gamma_gamma
    >>> from crm_lessons.datasets import load_cdnow_summary
    >>> s = load_cdnow_summary()
    >>> bg, gg = fit_bgnbd(s), fit_gamma_gamma(s)
    >>> out = predict_clv(bg, gg, s)
    >>> bool(np.allclose(out["clv"], discounted_clv(bg, gg, s), rtol=1e-9))
    True
    """
    from crm_lessons.clv import PERIODS_PER_MONTH

    require_columns(summary, [frequency, recency, T, monetary_value], "summary")
    if freq not in PERIODS_PER_MONTH:
        raise ValueError(f"freq={freq!r} is not supported; valid: {', '.join(PERIODS_PER_MONTH)}")
    if int(months) != months or months < 1:
        raise ValueError(f"months={months!r} must be a whole number of months >= 1")
    if not discount_rate > -1:
        raise ValueError(f"discount_rate={discount_rate!r} must be greater than -1 (e.g. 0.01)")
    name, params = _model_and_params(transaction_model)
    if name == "Gamma-Gamma":
        raise ValueError("transaction_model is a Gamma-Gamma model; pass it as spend_model")
    spec = MODELS[name]
    hist = summary[[frequency, recency, T]].to_numpy(dtype="float64")
    first, inverse, _ = _group_rows(hist)
    x, t_x, age = hist[first].T
    step = PERIODS_PER_MONTH[freq]
    with np.errstate(all="ignore"):
        alive = spec["p_alive"](params, x, t_x, age)
        factor = np.zeros(len(first))
        previous = np.zeros(len(first))
        for i in range(1, int(months) + 1):
            cumulative = alive * spec["if_alive"](params, i * step, x, age)
            factor += (cumulative - previous) / (1.0 + discount_rate) ** i
            previous = cumulative
    m = summary[monetary_value].to_numpy(dtype="float64")
    if spend_model is None:
        spend = m
    else:
        s_name, s_params = _model_and_params(spend_model)
        if s_name != "Gamma-Gamma":
            raise ValueError(f"spend_model must be a Gamma-Gamma model, got {s_name}")
        spend = btyd.gamma_gamma_expected_spend(s_params, hist[:, 0], m)
    return pd.DataFrame(
        {
            "p_alive": alive[inverse],
            "expected_purchases": previous[inverse],
            "expected_spend": spend,
            "clv": factor[inverse] * spend * margin,
        },
        index=summary.index,
    )
