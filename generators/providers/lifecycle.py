"""The customer lifecycle: awareness, consideration, purchase, use, loyalty, churn.

* awareness and consideration happen before the first purchase (exponential
  lead times: a couple of weeks to hear of the business, days to compare);
* purchase is the first purchase (sign-up);
* use starts after a scenario-specific delay (on the spot for coffee, after
  delivery online, after onboarding for B2B);
* loyalty is reached at the k-th repeat purchase;
* churn is the true dropout date, only if it falls inside the window.

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

__all__ = ["STAGES", "make_lifecycle"]

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
