"""Numerically stable formulas of the buy-till-you-die models (lesson 10).

The course fits BG/NBD, MBG/NBD, Pareto/NBD and Gamma-Gamma models with
``lifetimes``. Some of lifetimes' conditional formulas break down for the
heaviest buyers: with scipy >= 1.15, ``logsumexp([a, a], b=[1, -1])`` returns
NaN (not ``-inf``) once ``a`` is large, so the Pareto/NBD ``P(alive)`` and
expected purchases are NaN exactly for the best customers (a last purchase
today and many purchases before). The BG/NBD and MBG/NBD formulas raise a
power ``((alpha + T) / (alpha + recency)) ** (r + x)`` that overflows.

This module holds the same formulas written in log space:

* :func:`log_diff_exp` computes ``log(exp(a) - exp(b))`` as
  ``a + log(-expm1(b - a))``, which is ``-inf`` (the right answer) when the
  two terms are equal, instead of a NaN;
* the Gauss hypergeometric function of the Pareto/NBD likelihood is
  evaluated after Euler's transformation, so it no longer grows like
  ``(1 - z) ** -(r + x)`` for heavy buyers;
* probabilities are computed as ``expit`` of a log-odds and expected
  purchases as ``P(alive) x (expected purchases if alive)``, so each
  factor stays in its range.

:func:`crm_lessons.lifetimes_compat.patch_lifetimes` installs them into
lifetimes' fitters, so lifetimes' own methods give the corrected values.
Every function takes the model parameters first and broadcasts them with
the customer histories: pass parameters of shape ``(k, 1)`` and histories
of shape ``(n,)`` to get ``(k, n)`` values for ``k`` parameter draws
(used by :mod:`crm_lessons.clv_uncertainty`).

References
----------
.. [1] Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). Counting your
   customers the easy way: an alternative to the Pareto/NBD model.
   Marketing Science 24(2), 275-284.
.. [2] Fader, P. S. & Hardie, B. G. S. (2005). A note on deriving the
   Pareto/NBD model and related expressions. brucehardie.com/notes/009.
.. [3] Batislam, E. P., Denizel, M. & Filiztekin, A. (2007). Empirical
   validation and comparison of models for customer base analysis.
   International Journal of Research in Marketing 24(3), 201-209 (MBG/NBD).
.. [4] Fader, P. S. & Hardie, B. G. S. (2013). The Gamma-Gamma model of
   monetary value. brucehardie.com/notes/025.

Examples
--------
>>> float(log_diff_exp(800.0, 800.0))
-inf
>>> params = (0.55, 10.58, 0.61, 11.67)  # published CDNOW Pareto/NBD
>>> round(float(pareto_nbd_expected_purchases(params, 10, 132, 200, 200)), 4)
6.2061
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.special import expit, gammaln, hyp2f1

__all__ = [
    "ParetoPairs",
    "bgnbd_expected_purchases",
    "bgnbd_log_likelihood",
    "bgnbd_p_alive",
    "gamma_gamma_expected_spend",
    "gamma_gamma_log_likelihood",
    "log_diff_exp",
    "mbgnbd_expected_purchases",
    "mbgnbd_log_likelihood",
    "mbgnbd_p_alive",
    "numerical_hessian",
    "pareto_nbd_expected_purchases",
    "pareto_nbd_log_a0",
    "pareto_nbd_log_likelihood",
    "pareto_nbd_p_alive",
]


def _f(value: Any) -> np.ndarray:
    return np.asarray(value, dtype="float64")


def _unpack(params: Sequence[Any], n: int, names: str) -> list[np.ndarray]:
    if len(params) != n:
        raise ValueError(f"params has {len(params)} value(s); give {n}: {names}")
    return [_f(p) for p in params]


def log_diff_exp(a: Any, b: Any) -> np.ndarray:
    """Return ``log(exp(a) - exp(b))`` without overflow, for ``a >= b``.

    Computed as ``a + log(-expm1(b - a))``. Where ``b >= a`` (equal terms,
    or ``b`` above ``a`` by rounding only) the difference is zero and the
    result is ``-inf``; ``a = -inf`` gives ``-inf`` too.

    Parameters
    ----------
    a, b : array-like
        Logarithms of the two terms.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> bool(np.isclose(log_diff_exp(np.log(5.0), np.log(3.0)), np.log(2.0)))
    True
    >>> log_diff_exp([1000.0, 2.0], [1000.0, 1.0]).round(4).tolist()
    [-inf, 1.5413]
    """
    a, b = np.broadcast_arrays(_f(a), _f(b))
    out = np.full(a.shape, -np.inf)
    ok = (a > b) & np.isfinite(a)
    with np.errstate(divide="ignore"):
        out[ok] = a[ok] + np.log(-np.expm1(b[ok] - a[ok]))
    return out if out.ndim else out[()]


def numerical_hessian(fun: Any, x: Sequence[float], *, step: float = 1e-4) -> np.ndarray:
    """Return the Hessian of a scalar function by central differences.

    Parameters
    ----------
    fun : callable
        ``fun(x) -> float``.
    x : sequence of float
        Point where the Hessian is taken.
    step : float, default 1e-4
        Relative step (``step * max(|x_i|, 1)``).

    Returns
    -------
    numpy.ndarray
        Symmetric ``(k, k)`` matrix.

    Examples
    --------
    >>> numerical_hessian(lambda v: v[0] ** 2 + 3 * v[0] * v[1], [1.0, 2.0]).round(6)
    array([[2., 3.],
           [3., 0.]])
    """
    x = np.asarray(x, dtype="float64")
    k = x.size
    h = step * np.maximum(np.abs(x), 1.0)
    out = np.empty((k, k))
    for i in range(k):
        for j in range(i, k):
            ei = np.zeros(k)
            ej = np.zeros(k)
            ei[i] = h[i]
            ej[j] = h[j]
            val = (fun(x + ei + ej) - fun(x + ei - ej) - fun(x - ei + ej) + fun(x - ei - ej)) / (
                4 * h[i] * h[j]
            )
            out[i, j] = out[j, i] = val
    return out


# ------------------------------------------------------------------ BG/NBD


def bgnbd_log_likelihood(params: Sequence[Any], x: Any, t_x: Any, T: Any) -> np.ndarray:  # noqa: N803
    """Return each customer's BG/NBD log-likelihood (Fader, Hardie & Lee 2005, eq. 6).

    Parameters
    ----------
    params : sequence of 4 array-likes
        ``r, alpha, a, b``.
    x, t_x, T : array-like
        Repeat purchases, time of the last purchase, age.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> round(float(bgnbd_log_likelihood((0.243, 4.414, 0.793, 2.426), 0, 0, 38.86)), 4)
    -0.5547
    """
    r, alpha, a, b = _unpack(params, 4, "r, alpha, a, b")
    x, t_x, T = _f(x), _f(t_x), _f(T)
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore"):
        a4 = np.where(
            x > 0,
            np.log(a) - np.log(b + np.maximum(x, 1) - 1) - (r + x) * np.log(alpha + t_x),
            -np.inf,
        )
    return a1 + a2 + np.logaddexp(a3, a4)


def bgnbd_p_alive(params: Sequence[Any], x: Any, t_x: Any, T: Any) -> np.ndarray:  # noqa: N803
    """Return P(alive) under BG/NBD (Fader, Hardie & Lee 2008, note 021).

    ``1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x))``
    for ``x > 0`` and 1 for ``x = 0``, computed as ``expit`` of the log-odds.

    Parameters
    ----------
    params : sequence of 4 array-likes
        ``r, alpha, a, b``.
    x, t_x, T : array-like
        Repeat purchases, time of the last purchase, age.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> bgnbd_p_alive((0.243, 4.414, 0.793, 2.426), [0, 2, 300], [0, 30.43, 10], 38.86).round(3)
    array([1.   , 0.727, 0.   ])
    """
    r, alpha, a, b = _unpack(params, 4, "r, alpha, a, b")
    x, t_x, T = _f(x), _f(t_x), _f(T)
    log_odds = (
        (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
        + np.log(a)
        - np.log(b + np.maximum(x, 1) - 1)
    )
    return np.where(x > 0, expit(-log_odds), 1.0)


def _log_hyp2f1(a: Any, b: Any, c: Any, z: Any) -> np.ndarray:
    """``log 2F1(a, b; c; z)`` for 0 <= z < 1, with Euler's transformation as fallback."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        a, b, c, z = np.broadcast_arrays(_f(a), _f(b), _f(c), _f(z))
        out = np.log(hyp2f1(a, b, c, z))
        bad = ~np.isfinite(out)
        if bad.any():
            ab, bb, cb, zb = a[bad], b[bad], c[bad], z[bad]
            out[bad] = np.log(hyp2f1(cb - ab, cb - bb, cb, zb)) + (cb - ab - bb) * np.log1p(-zb)
    return out


def bgnbd_expected_purchases(
    params: Sequence[Any],
    t: Any,
    x: Any,
    t_x: Any,
    T: Any,  # noqa: N803
) -> np.ndarray:
    """Return the expected repeat purchases in the next ``t`` under BG/NBD (eq. 10).

    Parameters
    ----------
    params : sequence of 4 array-likes
        ``r, alpha, a, b``.
    t : array-like
        Length of the forecast period.
    x, t_x, T : array-like
        Repeat purchases, time of the last purchase, age.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> p = (0.243, 4.414, 0.793, 2.426)
    >>> round(float(bgnbd_expected_purchases(p, 39, 2, 30.43, 38.86)), 3)
    1.226
    """
    return _bgnbd_if_alive(params, t, x, T) * bgnbd_p_alive(params, x, t_x, T)


def _bgnbd_if_alive(params: Sequence[Any], t: Any, x: Any, T: Any) -> np.ndarray:  # noqa: N803
    r, alpha, a, b = _unpack(params, 4, "r, alpha, a, b")
    t, x, T = _f(t), _f(x), _f(T)
    z = t / (alpha + T + t)
    log_h = _log_hyp2f1(r + x, b + x, a + b + x - 1, z)
    return (a + b + x - 1) / (a - 1) * -np.expm1(log_h + (r + x) * np.log1p(-z))


# ---------------------------------------------------------------- MBG/NBD


def mbgnbd_log_likelihood(params: Sequence[Any], x: Any, t_x: Any, T: Any) -> np.ndarray:  # noqa: N803
    """Return each customer's MBG/NBD log-likelihood (Batislam et al. 2007).

    Parameters
    ----------
    params : sequence of 4 array-likes
        ``r, alpha, a, b``.
    x, t_x, T : array-like
        Repeat purchases, time of the last purchase, age.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> round(float(mbgnbd_log_likelihood((0.525, 6.183, 0.891, 1.614), 0, 0, 38.86)), 4)
    -0.5398
    """
    r, alpha, a, b = _unpack(params, 4, "r, alpha, a, b")
    x, t_x, T = _f(x), _f(t_x), _f(T)
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x + 1) - gammaln(b) - gammaln(a + b + x + 1)
    a3 = -(r + x) * np.log(alpha + T)
    a4 = np.log(a) - np.log(b + x) + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
    return a1 + a2 + a3 + np.logaddexp(0.0, a4)


def mbgnbd_p_alive(params: Sequence[Any], x: Any, t_x: Any, T: Any) -> np.ndarray:  # noqa: N803
    """Return P(alive) under MBG/NBD: ``1 / (1 + a/(b+x) ((alpha+T)/(alpha+t_x))^(r+x))``.

    Unlike BG/NBD, a customer without repeat purchase may already be gone.

    Parameters
    ----------
    params : sequence of 4 array-likes
        ``r, alpha, a, b``.
    x, t_x, T : array-like
        Repeat purchases, time of the last purchase, age.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> mbgnbd_p_alive((0.525, 6.183, 0.891, 1.614), [0, 5000], [0, 10], [38.86, 38.86]).round(3)
    array([0.39, 0.  ])
    """
    r, alpha, a, b = _unpack(params, 4, "r, alpha, a, b")
    x, t_x, T = _f(x), _f(t_x), _f(T)
    log_odds = np.log(a) - np.log(b + x) + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
    return expit(-log_odds)


def mbgnbd_expected_purchases(
    params: Sequence[Any],
    t: Any,
    x: Any,
    t_x: Any,
    T: Any,  # noqa: N803
) -> np.ndarray:
    """Return the expected repeat purchases in the next ``t`` under MBG/NBD.

    Parameters
    ----------
    params : sequence of 4 array-likes
        ``r, alpha, a, b``.
    t : array-like
        Length of the forecast period.
    x, t_x, T : array-like
        Repeat purchases, time of the last purchase, age.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> p = (0.525, 6.183, 0.891, 1.614)
    >>> bool(0 < mbgnbd_expected_purchases(p, 39, 2, 30.43, 38.86) < 39)
    True
    """
    return _mbgnbd_if_alive(params, t, x, T) * mbgnbd_p_alive(params, x, t_x, T)


def _mbgnbd_if_alive(params: Sequence[Any], t: Any, x: Any, T: Any) -> np.ndarray:  # noqa: N803
    r, alpha, a, b = _unpack(params, 4, "r, alpha, a, b")
    t, x, T = _f(t), _f(x), _f(T)
    z = t / (alpha + T + t)
    log_h = _log_hyp2f1(r + x, b + x + 1, a + b + x, z)
    return (a + b + x) / (a - 1) * -np.expm1(log_h + (r + x) * np.log1p(-z))


# ------------------------------------------------------------- Pareto/NBD


def pareto_nbd_log_a0(params: Sequence[Any], x: Any, t_x: Any, T: Any) -> np.ndarray:  # noqa: N803
    """Return ``log A_0`` of the Pareto/NBD likelihood (Fader & Hardie 2005, eqs. 19-20).

    ``A_0 = F(q1) / q1^(r+s+x) - F(q2) / q2^(r+s+x)`` with ``q1 = max(alpha,
    beta) + t_x``, ``q2 = max(alpha, beta) + T`` and ``F(q) = 2F1(r+s+x, u;
    r+s+x+1; |alpha-beta| / q)``, where ``u = r + x`` if ``alpha < beta``
    else ``s + 1``. Each ``log F`` uses Euler's transformation
    ``2F1(A, u; A+1; z) = (1-z)^(1-u) 2F1(1, A+1-u; A+1; z)``, whose second
    factor stays moderate for heavy buyers; the difference is taken with
    :func:`log_diff_exp`, so ``t_x = T`` gives ``-inf`` (``A_0 = 0``).

    Parameters
    ----------
    params : sequence of 4 array-likes
        ``r, alpha, s, beta``.
    x, t_x, T : array-like
        Repeat purchases, time of the last purchase, age.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> float(pareto_nbd_log_a0((0.55, 10.58, 0.61, 11.67), 500, 730, 730))
    -inf
    """
    x, t_x, T = _f(x), _f(t_x), _f(T)
    return log_diff_exp(_pareto_log_term(params, x, t_x), _pareto_log_term(params, x, T))


def _pareto_log_term(params: Sequence[Any], x: Any, age: Any) -> np.ndarray:
    """``log F(q) - (r+s+x) log q`` with ``q = max(alpha, beta) + age`` (one term of A_0)."""
    r, alpha, s, beta = _unpack(params, 4, "r, alpha, s, beta")
    x, age = _f(x), _f(age)
    hi = np.maximum(alpha, beta)
    big_a = r + s + x
    u = np.where(alpha < beta, r + x, s + 1.0)
    q = hi + age
    z = np.abs(alpha - beta) / q
    with np.errstate(divide="ignore", invalid="ignore"):
        log_f = (1.0 - u) * np.log1p(-z) + np.log(hyp2f1(1.0, big_a + 1.0 - u, big_a + 1.0, z))
    return log_f - big_a * np.log(q)


class ParetoPairs:
    """Distinct ``(x, t_x)`` and ``(x, T)`` pairs of many histories, for a fast likelihood.

    ``A_0`` needs the Gauss hypergeometric function once for ``(x, t_x)`` and
    once for ``(x, T)``; customers share these pairs far more often than whole
    histories (a million weekly histories have a few thousand of each), so
    :meth:`log_likelihood` evaluates the function on the pairs only.

    Parameters
    ----------
    x, t_x, T : array-like
        The histories.

    Examples
    --------
    >>> pairs = ParetoPairs([1, 1, 2], [5.0, 5.0, 7.0], [9.0, 10.0, 10.0])
    >>> p = (0.55, 10.58, 0.61, 11.67)
    >>> bool(np.allclose(pairs.log_likelihood(p),
    ...                  pareto_nbd_log_likelihood(p, [1, 1, 2], [5, 5, 7], [9, 10, 10])))
    True
    """

    def __init__(self, x: Any, t_x: Any, T: Any) -> None:  # noqa: N803
        self.x, self.t_x, self.T = _f(x), _f(t_x), _f(T)
        self._rec = np.unique(np.stack([self.x, self.t_x]), axis=1, return_inverse=True)
        self._age = np.unique(np.stack([self.x, self.T]), axis=1, return_inverse=True)

    def log_a0(self, params: Sequence[Any]) -> np.ndarray:
        """``log A_0`` of every history."""
        (xr, tr), inv_r = self._rec[0], self._rec[1].ravel()
        (xa, ta), inv_a = self._age[0], self._age[1].ravel()
        first = _pareto_log_term(params, xr, tr)[inv_r]
        second = _pareto_log_term(params, xa, ta)[inv_a]
        return log_diff_exp(first, second)

    def log_likelihood(self, params: Sequence[Any]) -> np.ndarray:
        """Each history's log-likelihood, as :func:`pareto_nbd_log_likelihood`."""
        r, alpha, s, beta = _unpack(params, 4, "r, alpha, s, beta")
        x, T = self.x, self.T
        a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
        alive = _pareto_log_alive_part(params, x, T)
        dead = np.log(s) - np.log(r + s + x) + self.log_a0(params)
        return a1 + np.logaddexp(alive, dead)


def _pareto_log_alive_part(params: Sequence[Any], x: Any, T: Any) -> np.ndarray:  # noqa: N803
    r, alpha, s, beta = _unpack(params, 4, "r, alpha, s, beta")
    return -(r + x) * np.log(alpha + T) - s * np.log(beta + T)


def pareto_nbd_log_likelihood(params: Sequence[Any], x: Any, t_x: Any, T: Any) -> np.ndarray:  # noqa: N803
    """Return each customer's Pareto/NBD log-likelihood (Fader & Hardie 2005, eq. 18).

    Parameters
    ----------
    params : sequence of 4 array-likes
        ``r, alpha, s, beta``.
    x, t_x, T : array-like
        Repeat purchases, time of the last purchase, age.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> round(float(pareto_nbd_log_likelihood((0.55, 10.58, 0.61, 11.67), 0, 0, 38.86)), 4)
    -0.517
    """
    r, alpha, s, beta = _unpack(params, 4, "r, alpha, s, beta")
    x, t_x, T = _f(x), _f(t_x), _f(T)
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
    alive = _pareto_log_alive_part(params, x, T)
    dead = np.log(s) - np.log(r + s + x) + pareto_nbd_log_a0(params, x, t_x, T)
    return a1 + np.logaddexp(alive, dead)


def pareto_nbd_p_alive(params: Sequence[Any], x: Any, t_x: Any, T: Any) -> np.ndarray:  # noqa: N803
    """Return P(alive) under Pareto/NBD (Fader & Hardie 2005, eq. 36).

    Parameters
    ----------
    params : sequence of 4 array-likes
        ``r, alpha, s, beta``.
    x, t_x, T : array-like
        Repeat purchases, time of the last purchase, age.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> pareto_nbd_p_alive((0.55, 10.58, 0.61, 11.67), [500, 500, 0], [730, 20, 0], 730).round(3)
    array([1.   , 0.   , 0.015])
    """
    r, alpha, s, beta = _unpack(params, 4, "r, alpha, s, beta")
    x, t_x, T = _f(x), _f(t_x), _f(T)
    log_odds = (
        np.log(s)
        - np.log(r + s + x)
        + pareto_nbd_log_a0(params, x, t_x, T)
        - _pareto_log_alive_part(params, x, T)
    )
    return expit(-log_odds)


def pareto_nbd_expected_purchases(
    params: Sequence[Any],
    t: Any,
    x: Any,
    t_x: Any,
    T: Any,  # noqa: N803
) -> np.ndarray:
    """Return the expected repeat purchases in the next ``t`` under Pareto/NBD (eq. 41).

    ``P(alive) x (r + x)(beta + T) / ((alpha + T)(s - 1)) x
    [1 - ((beta + T) / (beta + T + t)) ** (s - 1)]``; for ``s = 1`` the
    limit ``(r + x)(beta + T) / (alpha + T) x log((beta + T + t) / (beta + T))``.

    Parameters
    ----------
    params : sequence of 4 array-likes
        ``r, alpha, s, beta``.
    t : array-like
        Length of the forecast period.
    x, t_x, T : array-like
        Repeat purchases, time of the last purchase, age.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> p = (0.55, 10.58, 0.61, 11.67)
    >>> pareto_nbd_expected_purchases(p, 10, [132, 133], 200, 200).round(4)
    array([6.2061, 6.2529])
    """
    return _pareto_if_alive(params, t, x, T) * pareto_nbd_p_alive(params, x, t_x, T)


def _pareto_if_alive(params: Sequence[Any], t: Any, x: Any, T: Any) -> np.ndarray:  # noqa: N803
    r, alpha, s, beta = _unpack(params, 4, "r, alpha, s, beta")
    t, x, T = _f(t), _f(x), _f(T)
    log_ratio = np.log(beta + T) - np.log(beta + T + t)  # <= 0
    sm1 = s - 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        shape = np.where(
            np.abs(sm1) > 1e-12,
            -np.expm1(sm1 * log_ratio) / np.where(sm1 == 0, 1.0, sm1),
            -log_ratio,
        )
    return (r + x) * (beta + T) / (alpha + T) * shape


# ------------------------------------------------------------- Gamma-Gamma


def gamma_gamma_log_likelihood(params: Sequence[Any], x: Any, m: Any) -> np.ndarray:
    """Return each repeat buyer's Gamma-Gamma log-likelihood of the mean spend ``m``.

    Fader & Hardie (2013), eq. (3) with ``x`` purchases of average value ``m``
    (the density of the average, so it matches lifetimes' objective).

    Parameters
    ----------
    params : sequence of 3 array-likes
        ``p, q, v`` (``v`` is the scale called gamma in the note).
    x, m : array-like
        Number of repeat purchases (> 0) and their average value (> 0).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> round(float(gamma_gamma_log_likelihood((6.25, 3.74, 15.44), 2, 30.0)), 4)
    -3.847
    """
    p, q, v = _unpack(params, 3, "p, q, v")
    x, m = _f(x), _f(m)
    return (
        gammaln(p * x + q)
        - gammaln(p * x)
        - gammaln(q)
        + q * np.log(v)
        + (p * x - 1) * np.log(m)
        + p * x * np.log(x)
        - (p * x + q) * np.log(x * m + v)
    )


def gamma_gamma_expected_spend(params: Sequence[Any], x: Any, m: Any) -> np.ndarray:
    """Return the expected spend per purchase given ``x`` repeat purchases of mean ``m``.

    A weighted average of the customer's own mean (weight ``p x / (p x + q - 1)``)
    and the population mean ``p v / (q - 1)``; customers with ``x = 0`` get
    the population mean.

    Parameters
    ----------
    params : sequence of 3 array-likes
        ``p, q, v``.
    x, m : array-like
        Number of repeat purchases and their average value.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> gamma_gamma_expected_spend((6.25, 3.74, 15.44), [0, 2, 1e9], [0, 30, 30]).round(2)
    array([35.22, 30.94, 30.  ])
    """
    p, q, v = _unpack(params, 3, "p, q, v")
    x, m = _f(x), _f(m)
    weight = p * x / (p * x + q - 1)
    return weight * np.where(x > 0, m, 0.0) + (1 - weight) * p * v / (q - 1)
