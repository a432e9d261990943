"""How customers are won and messaged: acquisition channels and campaigns.

Acquisition: each channel brings customers of a different quality. A channel's
*dropout tilt* shifts which customers it brings (by their dropout quantile),
so paid ads can bring customers who leave sooner without changing the overall
Beta(a, b) distribution of dropout.

Campaigns: each message goes to a target group chosen from what the business
can see (consent, membership, recency, past spend). In a randomised campaign a
share of the target group is held out as a control (not sent, cost 0). A sent
message is opened, clicked and may cause an *extra* purchase in the campaign
window (with probability ``uplift_click`` after a click, ``uplift_base``
otherwise), but only for customers still alive. Conversion is then measured
like a business would: any purchase in the window, so organic purchases count
too. The true effect on the conversion rate of the target group is

``mean_i alive_i * P(no organic purchase in window)_i * E[uplift_i]``

which is stored in ``params["campaign_uplift"]`` so lessons can check an
A/B-test estimate against it.

Examples
--------
>>> import numpy as np
>>> spec = {"a": (0.5, 10.0, 1.0), "b": (0.5, 0.0, -1.0)}
>>> ch, cost = assign_acquisition(spec, np.array([-2.0, 2.0]), price_level=1.0, decimals=2,
...     random_state=0)
>>> ch.tolist(), bool((cost >= 0).all())
([1, 0], True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from generators._util import check_random_state, group_offsets

__all__ = ["assign_acquisition", "run_campaigns", "window_purchases"]


def assign_acquisition(
    channels: dict[str, tuple[float, float, float]],
    dropout_z: np.ndarray,
    *,
    price_level: float,
    decimals: int,
    random_state: Any = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Pick each customer's acquisition channel and its cost.

    Parameters
    ----------
    channels : dict
        ``channel -> (share, cost at US price level, dropout tilt)``.
    dropout_z : numpy.ndarray
        Standard-normal score of each customer's dropout quantile (high = leaves sooner).
    price_level : float
        Currency multiplier.
    decimals : int
        Money decimals.
    random_state : None, int or numpy.random.Generator
        Randomness.

    Returns
    -------
    channel : numpy.ndarray of int
        Index into ``list(channels)``.
    cost : numpy.ndarray of float
    """
    rng = check_random_state(random_state)
    share = np.array([v[0] for v in channels.values()], float)
    cost = np.array([v[1] for v in channels.values()], float)
    tilt = np.array([v[2] for v in channels.values()], float)
    logw = np.log(share)[None, :] + tilt[None, :] * np.asarray(dropout_z, float)[:, None]
    w = np.exp(logw - logw.max(axis=1, keepdims=True))
    cw = np.cumsum(w, axis=1)
    k = (cw < (rng.random(len(w)) * cw[:, -1])[:, None]).sum(axis=1)
    k = np.minimum(k, len(share) - 1)
    c = cost[k] * price_level * rng.lognormal(0.0, 0.3, size=len(k))
    return k, np.round(c, decimals) + 0.0


def window_purchases(
    keys_sorted: np.ndarray,
    cum_amount: np.ndarray,
    cust: np.ndarray,
    t0: np.ndarray,
    t1: np.ndarray,
    scale: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Count and sum purchases of customers ``cust`` with time in ``[t0, t1]``.

    ``keys_sorted`` are ``customer * scale + time`` of all purchases, sorted;
    ``cum_amount`` is the running total of their amounts with a leading 0.

    Examples
    --------
    >>> keys = np.array([0 * 100 + 1.0, 0 * 100 + 5.0, 1 * 100 + 2.0])
    >>> cum = np.array([0.0, 10.0, 30.0, 35.0])
    >>> window_purchases(keys, cum, np.array([0, 1]), np.array([0.0, 3.0]), np.array([4.0, 9.0]), 100)
    (array([1, 0]), array([10.,  0.]))
    """
    lo = np.searchsorted(keys_sorted, cust * scale + t0, side="left")
    hi = np.searchsorted(keys_sorted, cust * scale + t1, side="right")
    return hi - lo, cum_amount[hi] - cum_amount[lo]


def run_campaigns(
    specs: list[dict],
    *,
    n_days: int,
    consent: np.ndarray,
    is_member: np.ndarray,
    member_day: np.ndarray,
    signup_day: np.ndarray,
    death_day: np.ndarray,
    segment: np.ndarray,
    lam: np.ndarray,
    op: Any,
    order_cust: np.ndarray,
    order_day: np.ndarray,
    order_value: np.ndarray,
    price_level: float,
    random_state: Any = None,
) -> dict[str, Any]:
    """Target, send and respond to each campaign, in date order.

    Customers who unsubscribe drop out of later campaigns' consented targets.

    Parameters
    ----------
    specs : list of dict
        Campaign presets (see :mod:`generators.scenarios`).
    n_days : int
        Length of the window in days.
    consent, is_member : numpy.ndarray of bool
        Per customer.
    member_day, signup_day, death_day : numpy.ndarray
        Day of joining the programme, of the first purchase, and of dropout
        (``inf`` if never in the window).
    segment : numpy.ndarray of str
        Need segment (decides how relevant a message is).
    lam : numpy.ndarray
        Purchase rate per week.
    op : callable
        Calendar time (days) to operational time (weeks).
    order_cust, order_day, order_value : numpy.ndarray
        Organic orders made so far (customer index, day, amount).
    price_level : float
        Currency multiplier for message costs.
    random_state : None, int or numpy.random.Generator
        Randomness.

    Returns
    -------
    dict
        ``campaigns`` (list of row dicts), ``touches`` (dict of arrays),
        ``induced`` (dict of arrays: customer, day, campaign), ``uplift``
        (campaign id -> true uplift), ``consent`` (after unsubscribes).
    """
    rng = check_random_state(random_state)
    consent = consent.copy()
    n = len(consent)
    scale = float(n_days + 1000)
    keys = order_cust * scale + order_day
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    day_sorted = order_day[order]
    cum = np.concatenate([[0.0], np.cumsum(order_value[order])])
    start_of = group_offsets(np.bincount(order_cust, minlength=n))
    campaigns, uplift = [], {}
    t_parts: dict[str, list] = {
        k: [] for k in ("campaign", "cust", "day", "treat", "opened", "clicked", "unsub", "cost")
    }
    ind_c, ind_d, ind_k = [], [], []
    for k, spec in sorted(enumerate(specs), key=lambda kv: kv[1]["at"]):
        ts = float(np.floor(spec["at"] * n_days))
        te = min(ts + spec["days"], float(n_days - 1))  # last day counted
        w_end = te + 1.0  # conversions are counted up to the end of the last day
        known = signup_day < ts
        # what the business knows at ts: orders before ts
        lo = start_of
        hi = np.searchsorted(keys, np.arange(n) * scale + ts, side="left")
        n_before = hi - lo
        last_day = np.where(n_before > 0, day_sorted[np.maximum(hi - 1, 0)], -np.inf)
        spend_before = cum[hi] - cum[lo]
        rule = spec["targeting"]
        if rule == "all_consented":
            target = known & consent
        elif rule == "members":
            target = known & is_member & (member_day < ts)
        elif rule.startswith("lapsed_"):
            gap = float(rule.split("_")[1])
            target = known & consent & (n_before > 0) & (last_day <= ts - gap)
        elif rule == "top_spenders":
            cut = np.quantile(spend_before[known], 0.8) if known.any() else np.inf
            target = known & consent & (spend_before >= cut)
        else:  # pragma: no cover - presets are fixed
            raise ValueError(f"targeting={rule!r} is not known")
        idx = np.flatnonzero(target)
        m = len(idx)
        treat = np.ones(m, dtype=bool)
        if spec.get("randomised"):
            treat = rng.random(m) >= spec.get("control_share", 0.5)
        relevant = segment[idx] == spec["relevant_segment"]
        mis = spec.get("mistargeted", False)
        mult_open = np.where(relevant, 3.0 if mis else 1.6, 0.6 if mis else 0.85)
        mult_unsub = np.where(relevant, 0.5, 1.3 if mis else 1.0)
        if m:
            mult_open = mult_open / mult_open.mean()
            mult_unsub = mult_unsub / mult_unsub.mean()
        p_open = np.clip(spec["open"] * mult_open, 0, 1)
        p_unsub = np.clip(spec["unsub"] * mult_unsub, 0, 1)
        opened = treat & (rng.random(m) < p_open)
        clicked = opened & (rng.random(m) < spec["click"])
        unsub = treat & (rng.random(m) < p_unsub)
        alive = death_day[idx] > ts
        tau = np.where(clicked, spec["uplift_click"], spec["uplift_base"])
        induced = treat & alive & (rng.random(m) < tau)
        # true effect on conversion of the target group (see module docstring)
        expected_tau = (
            p_open * spec["click"] * spec["uplift_click"]
            + (1 - p_open * spec["click"]) * spec["uplift_base"]
        )
        p_none = np.exp(-lam[idx] * (op(np.array([w_end]))[0] - op(np.array([ts]))[0]))
        uplift[spec["id"]] = float(np.mean(alive * p_none * expected_tau)) if m else 0.0
        ii = idx[induced]
        lim = np.minimum(w_end, death_day[ii])
        ind_day = ts + rng.random(len(ii)) * np.maximum(lim - ts, 0.0)
        ind_c.append(ii)
        ind_d.append(ind_day)
        ind_k.append(np.full(len(ii), k))
        send = ts + (9.5 + rng.normal(0, 1.0, size=m).clip(-2, 2)) / 24.0
        for key, val in (
            ("campaign", np.full(m, k)),
            ("cust", idx),
            ("day", send),
            ("treat", treat),
            ("opened", opened),
            ("clicked", clicked),
            ("unsub", unsub),
            ("cost", np.where(treat, spec["cost_usd"] * price_level, 0.0)),
        ):
            t_parts[key].append(val)
        consent[idx[unsub]] = False
        campaigns.append(
            {
                "index": k,
                "campaign_id": spec["id"],
                "campaign_name": spec["name"],
                "channel": spec["channel"],
                "start_day": ts,
                "end_day": te,
                "targeting": _TARGETING_WORDS[rule.split("_")[0]].format(
                    gap=rule.split("_")[1] if "_" in rule and rule != "all_consented" else ""
                ),
                "randomised": bool(spec.get("randomised", False)),
                "cost_per_touch": round(spec["cost_usd"] * price_level, 4),
                "n_targeted": int(m),
                "control_share": float(spec.get("control_share", 0.0))
                if spec.get("randomised")
                else 0.0,
            }
        )
    touches = {k: (np.concatenate(v) if v else np.array([])) for k, v in t_parts.items()}
    induced = {
        "cust": np.concatenate(ind_c) if ind_c else np.array([], dtype=np.int64),
        "day": np.concatenate(ind_d) if ind_d else np.array([]),
        "campaign": np.concatenate(ind_k) if ind_k else np.array([], dtype=np.int64),
    }
    return {
        "campaigns": campaigns,
        "touches": touches,
        "induced": induced,
        "uplift": uplift,
        "consent": consent,
    }


_TARGETING_WORDS = {
    "all": "all customers with marketing consent",
    "members": "loyalty members",
    "lapsed": "consenting customers with no purchase in the last {gap} days",
    "top": "consenting customers in the top 20 % by spend so far",
}
