"""What customers want: four need scores drawn from latent need segments.

Each customer belongs to one of the segments in
:data:`generators.scenarios.SEGMENTS` (a mixture model); the four scores
``need_price, need_quality, need_convenience, need_social`` are the segment's
centre plus normal noise, clipped to 0-1. Clustering the standardised scores
recovers the segments well above chance, but not perfectly, as with real data.

Examples
--------
>>> import numpy as np
>>> seg, needs = make_needs(1000, weights=(0.25, 0.25, 0.25, 0.25), random_state=0)
>>> needs.shape, np.bincount(seg).tolist()
((1000, 4), [231, 242, 260, 267])
>>> bool(needs.min() >= 0 and needs.max() <= 1)
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from generators._util import check_random_state
from generators.scenarios import SEGMENT_SD, SEGMENTS

__all__ = ["NEED_COLUMNS", "make_needs", "rank_couple"]

NEED_COLUMNS = ("need_price", "need_quality", "need_convenience", "need_social")


def make_needs(
    n_customers: int,
    *,
    weights: Any = (0.25, 0.25, 0.25, 0.25),
    sd: float = SEGMENT_SD,
    random_state: Any = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Draw need segments and need scores.

    Parameters
    ----------
    n_customers : int
        Number of customers.
    weights : sequence of 4 float
        Share of each segment, in the order of :data:`SEGMENTS`.
    sd : float
        Within-segment standard deviation of each score.
    random_state : None, int or numpy.random.Generator
        Randomness.

    Returns
    -------
    segment : numpy.ndarray of int
        Segment of each customer, as an index into ``list(SEGMENTS)``.
    needs : numpy.ndarray, shape (n_customers, 4)
        Need scores in 0-1, columns as :data:`NEED_COLUMNS`.

    Examples
    --------
    >>> seg, needs = make_needs(2, random_state=1)
    >>> needs.round(2).tolist()
    [[0.5, 0.25, 0.99, 0.27], [0.27, 0.59, 0.35, 0.89]]
    """
    rng = check_random_state(random_state)
    centres = np.array(list(SEGMENTS.values()))
    w = np.asarray(weights, dtype=float)
    k = rng.choice(len(centres), size=int(n_customers), p=w / w.sum())
    needs = np.clip(centres[k] + rng.normal(0.0, sd, size=(int(n_customers), 4)), 0.0, 1.0)
    return k, needs


def rank_couple(
    values: np.ndarray, score: np.ndarray, strength: float, rng: np.random.Generator
) -> np.ndarray:
    """Re-assign iid ``values`` to customers so they correlate with ``score``.

    The multiset of values is unchanged and customers are exchangeable, so
    each customer's value still has exactly the original marginal
    distribution (e.g. Gamma(r, alpha) for purchase rates): models that assume
    that distribution stay exact, while the values now depend on needs.

    Parameters
    ----------
    values : numpy.ndarray
        iid draws.
    score : numpy.ndarray
        What the values should follow (standardised inside).
    strength : float
        0 = independent, 1 = sorted exactly by ``score``.
    rng : numpy.random.Generator
        Randomness.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> v = rank_couple(np.arange(5.0), np.array([5, 4, 3, 2, 1.0]), 1.0, rng)
    >>> v.tolist(), sorted(v.tolist()) == [0.0, 1.0, 2.0, 3.0, 4.0]
    ([4.0, 3.0, 2.0, 1.0, 0.0], True)
    """
    s = np.asarray(score, dtype=float)
    sd = s.std()
    z = (s - s.mean()) / (sd if sd > 0 else 1.0)
    key = strength * z + np.sqrt(max(1.0 - strength**2, 0.0)) * rng.standard_normal(len(z))
    out = np.empty_like(values)
    out[np.argsort(key, kind="stable")] = np.sort(values, kind="stable")
    return out
