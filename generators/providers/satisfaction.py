"""How satisfied customers are, how that ties to churn, and what surveys show.

The dropout probability ``p ~ Beta(a, b)`` is drawn first, so BG/NBD stays
exact. Its quantile ``u = BetaCDF(p)`` is turned into a loyalty z-score
``z = Phi^-1(1 - u)`` (standard normal: high = stays long), and the latent
satisfaction is ``y = rho * z + sqrt(1 - rho^2) * e`` with ``e`` standard normal.
``rho`` depends on competition (:data:`generators.scenarios.COMPETITION`):
close to 1 in a competitive market (unhappy customers leave), close to 0 in a
sheltered one (they stay anyway: false loyalty).

The link from satisfaction to churn is non-linear by construction: the Beta
quantile function is flat in the middle and steep in the tails, and survey
answers cut ``y`` at unequal thresholds. So customers around the average
differ little in churn, while "completely satisfied" (top box) customers
stay much longer than the merely "satisfied" where competition is high.

Surveys ask about four dimensions (product, service, staff, brand). Each
respondent's experience of a dimension is drawn given ``y`` from a driver
model, ``y = w @ q + e`` (:func:`dimension_experiences`), with per-scenario
weights ``w`` (``satisfaction_weights`` in :mod:`generators.scenarios`), so
importance-performance and driver analyses have real, known importances to
find.

When a competitor enters, the market becomes competitive: each customer
gets a second dropout probability drawn from their satisfaction with the
high-competition ``rho`` (as if the market had always been competitive), and
keeps the larger of the two. Entry can only take customers away: nobody
becomes more loyal because a rival opened, the satisfied lose little, and the
falsely loyal unhappy customers start to leave.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> p = rng.beta(0.7, 3.0, size=50_000)
>>> y_hi = latent_satisfaction(p, a=0.7, b=3.0, competition="high", random_state=rng)
>>> y_lo = latent_satisfaction(p, a=0.7, b=3.0, competition="low", random_state=rng)
>>> from scipy.stats import spearmanr
>>> bool(spearmanr(y_hi, p)[0] < -0.8), bool(abs(spearmanr(y_lo, p)[0]) < 0.2)
(True, True)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats

from generators._util import check_random_state
from generators.scenarios import COMPETITION, SATISFACTION_CUTS, SATISFACTION_HALO

__all__ = [
    "DIMENSIONS",
    "dimension_experiences",
    "dropout_after_entry",
    "latent_satisfaction",
    "likert",
    "make_survey_answers",
]

#: The four survey dimensions, in the order of weights and shifts.
DIMENSIONS = ("product", "service", "staff", "brand")
#: Survey points the perception moves per standard deviation of experience.
PERCEPTION_LOADING = 1.3
#: Answer noise of a perception (survey points, before rounding to 1-7).
PERCEPTION_NOISE = 0.5


def latent_satisfaction(
    p: np.ndarray, *, a: float, b: float, competition: str, random_state: Any = None
) -> np.ndarray:
    """Latent satisfaction (standard normal) tied to the dropout probability ``p``.

    Parameters
    ----------
    p : numpy.ndarray
        Dropout probabilities drawn from Beta(a, b).
    a, b : float
        The Beta parameters.
    competition : {"low", "medium", "high"}
        How strongly satisfaction and staying are tied.
    random_state : None, int or numpy.random.Generator
        Randomness.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> latent_satisfaction(np.array([0.01, 0.9]), a=1, b=3, competition="high",
    ...     random_state=0).round(2).tolist()
    [1.78, -2.89]
    """
    rng = check_random_state(random_state)
    rho = COMPETITION[competition]
    u = np.clip(stats.beta.cdf(p, a, b), 1e-9, 1 - 1e-9)
    z = special.ndtri(1.0 - u)
    return rho * z + np.sqrt(1.0 - rho**2) * rng.standard_normal(len(z))


def dropout_after_entry(
    y: np.ndarray, p: np.ndarray, *, a: float, b: float, random_state: Any = None
) -> np.ndarray:
    """Dropout probabilities once a competitor has entered the market.

    A competitive-market dropout ``p_high`` is drawn from the latent
    satisfaction ``y`` with the high-competition link (its marginal is
    Beta(a, b)); the customer's new dropout is ``max(p, p_high)``, so entry
    never makes anyone more loyal. Unhappy customers (low ``y``, high
    ``p_high``) lose much more than happy ones.

    Parameters
    ----------
    y : numpy.ndarray
        Latent satisfaction of each customer.
    p : numpy.ndarray
        Dropout probability before the entry.
    a, b : float
        The Beta parameters.
    random_state : None, int or numpy.random.Generator
        Randomness.

    Returns
    -------
    numpy.ndarray
        Dropout probability after the entry, never below ``p``.

    Examples
    --------
    >>> dropout_after_entry(np.array([2.0, -2.0]), np.array([0.05, 0.05]), a=1, b=3,
    ...     random_state=0).round(3).tolist()
    [0.05, 0.692]
    """
    rng = check_random_state(random_state)
    rho = COMPETITION["high"]
    z = rho * np.asarray(y, float) + np.sqrt(1.0 - rho**2) * rng.standard_normal(len(y))
    return np.maximum(np.asarray(p, float), stats.beta.ppf(special.ndtr(-z), a, b))


def likert(x: np.ndarray, cuts: Any = SATISFACTION_CUTS) -> np.ndarray:
    """Cut a latent score into answers 1 .. len(cuts) + 1.

    Examples
    --------
    >>> likert(np.array([-3.0, 0.5, 2.0])).tolist()
    [1, 6, 7]
    """
    return np.searchsorted(np.asarray(cuts), x, side="right") + 1


def dimension_experiences(
    y: np.ndarray, weights: Any, *, halo: float = SATISFACTION_HALO, random_state: Any = None
) -> np.ndarray:
    """Each respondent's experience on product, service, staff, brand, given ``y``.

    The model is a driver model: the four experiences ``q`` are standard
    normal with correlation ``halo`` between any two (people who like one
    part of a business tend to like the others), and latent satisfaction is
    ``y = weights @ q + e`` with ``e`` independent noise. Since ``y`` is drawn
    first (it is tied to dropout), ``q`` is drawn from its conditional
    distribution given ``y``: ``q | y ~ N(S w y, S - S w w' S)`` with ``S``
    the correlation matrix of ``q``. A regression of ``y`` on ``q`` therefore
    returns ``weights`` exactly (in the population): they are the true
    standardised importances of the four dimensions.

    Parameters
    ----------
    y : numpy.ndarray
        Latent satisfaction (standard normal).
    weights : sequence of 4 float
        Importance of product, service, staff, brand; non-negative, with
        ``w' S w < 1`` so that ``y`` has unit variance.
    halo : float
        Correlation between any two dimensions' experiences (0 <= halo < 1).
    random_state : None, int or numpy.random.Generator
        Randomness.

    Returns
    -------
    numpy.ndarray, shape (n, 4)

    Examples
    --------
    >>> q = dimension_experiences(np.zeros(2), (0.5, 0.3, 0.2, 0.1), random_state=0)
    >>> q.shape
    (2, 4)
    >>> dimension_experiences(np.zeros(1), (0.9, 0.9, 0.9, 0.9))
    Traceback (most recent call last):
    ...
    ValueError: weights=(0.9, 0.9, 0.9, 0.9) is not valid; use 4 non-negative numbers whose explained variance w'Sw (here 7.128) is below 1
    """
    rng = check_random_state(random_state)
    w = np.asarray(weights, float)
    sig = (1.0 - halo) * np.eye(4) + halo * np.ones((4, 4))
    explained = float(w @ sig @ w) if w.shape == (4,) else float("nan")
    if w.shape != (4,) or (w < 0).any() or not explained < 1.0:
        raise ValueError(
            f"weights={tuple(weights)!r} is not valid; use 4 non-negative numbers whose "
            f"explained variance w'Sw (here {explained:.3f}) is below 1"
        )
    cov_qy = sig @ w
    chol = np.linalg.cholesky(sig - np.outer(cov_qy, cov_qy))
    y = np.asarray(y, float)
    return y[:, None] * cov_qy[None, :] + rng.standard_normal((len(y), 4)) @ chol.T


def make_survey_answers(
    y: np.ndarray,
    needs: np.ndarray,
    *,
    dimension_shift: Any = None,
    weights: Any = (0.25, 0.25, 0.25, 0.25),
    halo: float = SATISFACTION_HALO,
    random_state: Any = None,
) -> pd.DataFrame:
    """Survey answers for respondents with latent satisfaction ``y`` and ``needs``.

    Expectations (1-7) rise with the matching need: product with quality,
    service with convenience, staff with social, brand with quality and social.
    Perception = expectation + a gap that grows with the respondent's
    experience of that dimension (:func:`dimension_experiences`), so
    perception minus expectation tracks satisfaction (Kotler's definition)
    and each dimension matters as much as its weight says. Overall
    satisfaction (1-7), NPS (0-10) and CSAT (1-5) are noisy readings of ``y``.

    Parameters
    ----------
    y : numpy.ndarray
        Latent satisfaction of each respondent.
    needs : numpy.ndarray, shape (n, 4)
        Need scores of each respondent.
    dimension_shift : sequence of 4 float, optional
        Business-specific perception gap on product, service, staff, brand
        (e.g. friendly staff, slow service).
    weights : sequence of 4 float
        True importance of product, service, staff, brand in satisfaction.
    halo : float
        Correlation between the dimensions' experiences.
    random_state : None, int or numpy.random.Generator
        Randomness.

    Returns
    -------
    pandas.DataFrame
        The answer columns of the ``surveys`` table.

    Examples
    --------
    >>> ans = make_survey_answers(np.array([2.0, -2.0]), np.full((2, 4), 0.5), random_state=0)
    >>> ans["overall_satisfaction"].tolist(), ans["nps"].between(0, 10).all()
    ([7, 1], np.True_)
    """
    rng = check_random_state(random_state)
    y = np.asarray(y, float)
    n = len(y)
    shift = np.zeros(4) if dimension_shift is None else np.asarray(dimension_shift, float)
    q = dimension_experiences(y, weights, halo=halo, random_state=rng)
    need_for_dim = np.column_stack(
        [needs[:, 1], needs[:, 2], needs[:, 3], 0.5 * (needs[:, 1] + needs[:, 3])]
    )
    exp_c = 4.8 + 2.4 * (need_for_dim - 0.5) + rng.normal(0, 0.7, size=(n, 4))
    perc_c = (
        exp_c
        + shift[None, :]
        + PERCEPTION_LOADING * q
        - 0.3
        + rng.normal(0, PERCEPTION_NOISE, size=(n, 4))
    )
    exp_ = np.clip(np.round(exp_c), 1, 7).astype(int)
    perc = np.clip(np.round(perc_c), 1, 7).astype(int)
    overall = likert(y + rng.normal(0, 0.3, n))
    nps = np.clip(np.round(7.2 + 2.0 * (y + rng.normal(0, 0.4, n))), 0, 10).astype(int)
    csat = np.clip(np.round(3.9 + 0.8 * (y + rng.normal(0, 0.6, n))), 1, 5).astype(int)
    out = {}
    for j, dim in enumerate(DIMENSIONS):
        out[f"exp_{dim}"] = exp_[:, j]
        out[f"perc_{dim}"] = perc[:, j]
    out["overall_satisfaction"] = overall
    out["nps"] = nps
    out["csat"] = csat
    return pd.DataFrame(out)
