"""Customer service: support tickets, their cost to serve and their rating.

Each customer raises tickets at a Poisson rate per week while active (from
sign-up to dropout or the end of the window); unhappy customers raise more
(rate times ``exp(-0.5 * satisfaction)``). Resolution time is log-normal around
the topic's median; the cost to serve is staff time at the scenario's hourly
cost. Ratings (1-5) rise with satisfaction and fall with slow resolution.
Tickets still open at the end of the window have no resolution time and no
rating.

Examples
--------
>>> import numpy as np
>>> t = make_tickets(np.zeros(3), np.full(3, 70.0), np.zeros(3), n_days=80, rate_per_week=0.5,
...     topics={"bug": (1.0, 24.0)}, hourly_cost=10.0, minutes=30, decimals=2, random_state=0)
>>> sorted(t)
['cost', 'cust', 'opened', 'rating', 'resolved', 'topic']
"""

from __future__ import annotations

from typing import Any

import numpy as np

from generators._util import check_random_state

__all__ = ["make_tickets"]


def make_tickets(
    active_from: np.ndarray,
    active_to: np.ndarray,
    satisfaction: np.ndarray,
    *,
    n_days: int,
    rate_per_week: float,
    topics: dict[str, tuple[float, float]],
    hourly_cost: float,
    minutes: float,
    decimals: int,
    random_state: Any = None,
) -> dict[str, np.ndarray]:
    """Generate support tickets for all customers at once.

    Parameters
    ----------
    active_from, active_to : numpy.ndarray
        Per customer, the days between which tickets can be raised.
    satisfaction : numpy.ndarray
        Latent satisfaction (standard normal).
    n_days : int
        Window length; resolutions after it are left open.
    rate_per_week : float
        Tickets per active customer-week at average satisfaction.
    topics : dict
        ``topic -> (share, median hours to resolve)``.
    hourly_cost : float
        Staff cost per hour in the local currency.
    minutes : float
        Median staff minutes spent on a ticket.
    decimals : int
        Money decimals.
    random_state : None, int or numpy.random.Generator
        Randomness.

    Returns
    -------
    dict of numpy.ndarray
        ``cust, opened, resolved (nan if open), topic (index into
        ``list(topics)``), cost, rating (0 if none)``.
    """
    rng = check_random_state(random_state)
    span = np.maximum(np.asarray(active_to, float) - np.asarray(active_from, float), 0.0)
    rate = rate_per_week * np.exp(-0.5 * np.asarray(satisfaction, float))
    counts = rng.poisson(rate * span / 7.0)
    cust = np.repeat(np.arange(len(counts)), counts)
    opened = np.repeat(np.asarray(active_from, float), counts) + rng.random(len(cust)) * np.repeat(
        span, counts
    )
    # office hours: move the time of day to 8:00-20:00
    opened = np.floor(opened) + (8 + 12 * rng.random(len(cust))) / 24.0
    share = np.array([v[0] for v in topics.values()], float)
    median_h = np.array([v[1] for v in topics.values()], float)
    k = rng.choice(len(share), size=len(cust), p=share / share.sum())
    hours = median_h[k] * rng.lognormal(0.0, 0.8, size=len(cust))
    resolved = opened + hours / 24.0
    still_open = resolved >= n_days
    resolved = np.where(still_open, np.nan, resolved)
    work_h = minutes / 60.0 * rng.lognormal(0.0, 0.5, size=len(cust)) * (1 + 0.1 * np.log1p(hours))
    cost = np.round(work_h * hourly_cost, decimals) + 0.0
    y = np.asarray(satisfaction, float)[cust]
    score = 3.6 + 0.8 * y - 0.5 * np.log(hours / median_h[k]) + rng.normal(0, 0.7, len(cust))
    rating = np.where(still_open, 0, np.clip(np.round(score), 1, 5)).astype(int)
    return {
        "cust": cust,
        "opened": opened,
        "resolved": resolved,
        "topic": k,
        "cost": cost,
        "rating": rating,
    }
