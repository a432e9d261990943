"""The customer lifecycle: awareness, consideration, purchase, use, loyalty, churn.

* awareness and consideration happen before the first purchase (exponential
  lead times: a couple of weeks to hear of the business, days to compare);
* purchase is the first purchase (sign-up);
* use starts after a scenario-specific delay (on the spot for coffee, after
  delivery online, after onboarding for B2B);
* loyalty is reached at the k-th repeat purchase;
* churn is the dropout date, only if it falls inside the window **and the
  business can see it** (a cancelled contract). Where customers just stop
  buying the caller passes ``inf`` so no churn event is written: the true
  dropout date then stays hidden in the ``truth`` table.

:func:`make_prospects` adds the people who heard of the business but never
bought (the funnel's losses), so that conversion rates can be measured.

Examples
--------
>>> import numpy as np
>>> ev = make_lifecycle(np.array([10.0]), np.array([12.0]), np.array([1]),
...     np.array([np.inf]), loyalty_after=1, use_delay=(0.0, 0.0), random_state=0)
>>> [STAGES[i] for i in ev["stage"]]
['awareness', 'consideration', 'purchase', 'use', 'loyalty']
"""

from __future__ import annotations

from typing import Any

import numpy as np

from generators._util import check_random_state

__all__ = ["STAGES", "make_lifecycle", "make_prospects"]

STAGES = ("awareness", "consideration", "purchase", "use", "loyalty", "churn")


def make_lifecycle(
    first_day: np.ndarray,
    loyal_day: np.ndarray,
    n_repeat: np.ndarray,
    churn_day: np.ndarray,
    *,
    loyalty_after: int,
    use_delay: tuple[float, float],
    awareness_days: float = 21.0,
    consideration_days: float = 5.0,
    random_state: Any = None,
) -> dict[str, np.ndarray]:
    """Stage entry days per customer, long format.

    Parameters
    ----------
    first_day : numpy.ndarray
        Day of the first purchase per customer.
    loyal_day : numpy.ndarray
        Day of the ``loyalty_after``-th repeat purchase (``nan`` when there is none).
    n_repeat : numpy.ndarray
        Repeat purchases per customer.
    churn_day : numpy.ndarray
        True dropout day (``inf`` when alive at the end).
    loyalty_after : int
        Repeat purchases that make a customer "loyal".
    use_delay : (float, float)
        Range of days from first purchase to first use.
    awareness_days, consideration_days : float
        Mean lead times before the first purchase.
    random_state : None, int or numpy.random.Generator
        Randomness.

    Returns
    -------
    dict of numpy.ndarray
        ``cust``, ``stage`` (index into :data:`STAGES`), ``day``.
    """
    rng = check_random_state(random_state)
    n = len(first_day)
    consider = first_day - rng.exponential(consideration_days, n)
    aware = consider - rng.exponential(awareness_days, n)
    use = first_day + rng.uniform(use_delay[0], use_delay[1], n) if use_delay[1] > 0 else first_day
    loyal_ok = n_repeat >= loyalty_after
    churn_ok = np.isfinite(churn_day)
    # lay the events out customer by customer, stages in order: no sort needed
    count = 4 + loyal_ok.astype(np.int64) + churn_ok
    off = np.concatenate([[0], np.cumsum(count)[:-1]])
    total = int(count.sum())
    cust = np.repeat(np.arange(n, dtype=np.int64), count)
    stage = np.empty(total, dtype=np.int8)
    day = np.empty(total)
    for j, values in enumerate((aware, consider, first_day, use)):
        stage[off + j] = j
        day[off + j] = values
    li = off[loyal_ok] + 4
    stage[li] = 4
    day[li] = loyal_day[loyal_ok]
    ci = off[churn_ok] + 4 + loyal_ok[churn_ok]
    stage[ci] = 5
    day[ci] = churn_day[churn_ok]
    return {"cust": cust, "stage": stage, "day": day}


def make_prospects(
    customers_per_channel: np.ndarray,
    to_consideration: np.ndarray,
    to_purchase: np.ndarray,
    *,
    n_days: float,
    awareness_days: float = 21.0,
    consideration_days: float = 5.0,
    random_state: Any = None,
) -> dict[str, np.ndarray]:
    """Prospects: people who became aware of the business but never bought.

    In channel ``c`` each aware person considers buying with probability
    ``to_consideration[c]`` and then buys with probability ``to_purchase[c]``,
    so a share ``k_c = to_consideration[c] * to_purchase[c]`` of the aware
    become customers. Given the ``n_c`` customers the channel actually
    brought, the aware people who did not buy are negative-binomial
    ``NB(n_c, k_c)`` (the failures before the ``n_c``-th success), which makes
    the measured conversion ``n_c / (n_c + prospects_c)`` an estimate of
    ``k_c``. A prospect considered with probability
    ``to_consideration * (1 - to_purchase) / (1 - k)``. Their dates are laid
    out like the customers': a would-be purchase day uniform in the window,
    consideration and awareness exponential lead times before it.

    Parameters
    ----------
    customers_per_channel : numpy.ndarray of int
        Customers each acquisition channel brought.
    to_consideration, to_purchase : numpy.ndarray
        Per channel: share of the aware who consider; share of those who buy.
    n_days : float
        Length of the window in days.
    awareness_days, consideration_days : float
        Mean lead times before the (would-be) purchase.
    random_state : None, int or numpy.random.Generator
        Randomness.

    Returns
    -------
    dict of numpy.ndarray
        Per prospect, ordered by awareness day: ``channel`` (index),
        ``aware_day``, ``consider_day`` (``nan`` if they never considered).

    Examples
    --------
    >>> out = make_prospects(np.array([3000, 0]), np.array([0.5, 0.5]), np.array([0.4, 0.4]),
    ...     n_days=365, random_state=0)
    >>> k = 3000 / (3000 + len(out["channel"]))  # measured conversion, about 0.5 * 0.4
    >>> bool(0.18 < k < 0.22), set(out["channel"].tolist())
    (True, {0})
    >>> bool(np.nanmax(out["consider_day"]) <= 365)
    True
    """
    rng = check_random_state(random_state)
    n_c = np.asarray(customers_per_channel, dtype=np.int64)
    a = np.asarray(to_consideration, float)
    b = np.asarray(to_purchase, float)
    k = a * b
    lost = np.zeros(len(n_c), dtype=np.int64)
    has = n_c > 0
    lost[has] = rng.negative_binomial(n_c[has], k[has])
    channel = np.repeat(np.arange(len(n_c), dtype=np.int64), lost)
    m = len(channel)
    p_consider = np.where(k < 1.0, a * (1.0 - b) / np.maximum(1.0 - k, 1e-12), 0.0)
    considered = rng.random(m) < p_consider[channel]
    would_buy = rng.uniform(0.0, n_days, m)
    consider = would_buy - rng.exponential(consideration_days, m)
    aware = consider - rng.exponential(awareness_days, m)
    order = np.argsort(aware, kind="stable")
    return {
        "channel": channel[order],
        "aware_day": aware[order],
        "consider_day": np.where(considered, consider, np.nan)[order],
    }
