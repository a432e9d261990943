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

When a competitor enters, the market becomes competitive: each alive
customer's dropout quantile is redrawn from their satisfaction with the
high-competition ``rho`` (the marginal stays Beta(a, b)), so the falsely loyal
unhappy customers start to leave.

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
from generators.scenarios import COMPETITION, SATISFACTION_CUTS

__all__ = [
    "dropout_after_entry",
    "latent_satisfaction",
    "likert",
    "make_survey_answers",
]


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
    y: np.ndarray, *, a: float, b: float, random_state: Any = None
) -> np.ndarray:
    """Dropout probabilities once a competitor has entered (high-competition link).

    Examples
    --------
    >>> dropout_after_entry(np.array([2.0, -2.0]), a=1, b=3, random_state=0).round(3).tolist()
    [0.01, 0.692]
    """
    rng = check_random_state(random_state)
    rho = COMPETITION["high"]
    z = rho * np.asarray(y, float) + np.sqrt(1.0 - rho**2) * rng.standard_normal(len(y))
    return stats.beta.ppf(special.ndtr(-z), a, b)


def likert(x: np.ndarray, cuts: Any = SATISFACTION_CUTS) -> np.ndarray:
    """Cut a latent score into answers 1 .. len(cuts) + 1.

    Examples
    --------
    >>> likert(np.array([-3.0, 0.5, 2.0])).tolist()
    [1, 6, 7]
    """
    return np.searchsorted(np.asarray(cuts), x, side="right") + 1


def make_survey_answers(
    y: np.ndarray, needs: np.ndarray, *, dimension_shift: Any = None, random_state: Any = None
) -> pd.DataFrame:
    """Survey answers for respondents with latent satisfaction ``y`` and ``needs``.

    Expectations (1-7) rise with the matching need: product with quality,
    service with convenience, staff with social, brand with quality and social.
    Perception = expectation + a gap that grows with satisfaction, so
    perception minus expectation tracks overall satisfaction (Kotler's
    definition), with answer noise. Overall satisfaction (1-7), NPS (0-10) and
    CSAT (1-5) are noisy readings of ``y``.

    Parameters
    ----------
    y : numpy.ndarray
        Latent satisfaction of each respondent.
    needs : numpy.ndarray, shape (n, 4)
        Need scores of each respondent.
    dimension_shift : sequence of 4 float, optional
        Business-specific perception gap on product, service, staff, brand
        (e.g. friendly staff, slow service).
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
    need_for_dim = np.column_stack(
        [needs[:, 1], needs[:, 2], needs[:, 3], 0.5 * (needs[:, 1] + needs[:, 3])]
    )
    exp_c = 4.8 + 2.4 * (need_for_dim - 0.5) + rng.normal(0, 0.7, size=(n, 4))
    perc_c = exp_c + shift[None, :] + 0.9 * y[:, None] - 0.3 + rng.normal(0, 0.7, size=(n, 4))
    exp_ = np.clip(np.round(exp_c), 1, 7).astype(int)
    perc = np.clip(np.round(perc_c), 1, 7).astype(int)
    overall = likert(y + rng.normal(0, 0.3, n))
    nps = np.clip(np.round(7.2 + 2.0 * (y + rng.normal(0, 0.4, n))), 0, 10).astype(int)
    csat = np.clip(np.round(3.9 + 0.8 * (y + rng.normal(0, 0.6, n))), 1, 5).astype(int)
    out = {}
    for j, dim in enumerate(("product", "service", "staff", "brand")):
        out[f"exp_{dim}"] = exp_[:, j]
        out[f"perc_{dim}"] = perc[:, j]
    out["overall_satisfaction"] = overall
    out["nps"] = nps
    out["csat"] = csat
    return pd.DataFrame(out)
