"""When customers buy and how much: BG/NBD timing, Gamma-Gamma spend, order lines.

Timing is exactly the BG/NBD process of Fader, Hardie & Lee (2005): while
alive a customer buys at Poisson rate ``lambda ~ Gamma(r, alpha)`` (per week);
after each *repeat* purchase they drop out for good with probability
``p ~ Beta(a, b)``. The first purchase happens at sign-up. Seasonality
stretches calendar time ("operational time" of :class:`generators._util.Calendar`)
without changing the counts, and is off with ``seasonality=False``.

The simulation is vectorised: a customer's number of repeat purchases is
``min(J, N)`` with ``J ~ Geometric(p)`` (purchases until dropout) and
``N ~ Poisson(lambda * T)`` (purchases if never dropping out); their times are
the first ``min(J, N)`` order statistics of ``N`` uniforms, generated from
cumulated exponentials, so the work is proportional to the purchases made.

Order value follows the Gamma-Gamma model: ``nu ~ Gamma(q, rate=gamma)`` per
customer, ``z ~ Gamma(p, rate=nu)`` per order. Orders are then filled with
products chosen to match the customer's needs and the order value; the order
amount equals ``z`` up to rounding to the currency unit.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> lam, p = draw_btyd_parameters(5, r=0.5, alpha=2.0, a=1.0, b=3.0, random_state=rng)
>>> x, times, dead = simulate_repeat_purchases(lam, p, np.zeros(5), np.full(5, 52.0), random_state=rng)
>>> bool(len(times) == x.sum()), bool((np.diff(times[: x[0]]) >= 0).all())
(True, True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from generators._util import check_random_state, group_offsets, round_money

__all__ = [
    "build_order_lines",
    "draw_btyd_parameters",
    "draw_spend_parameters",
    "expected_purchases",
    "simulate_repeat_purchases",
]


def draw_btyd_parameters(
    n_customers: int, *, r: float, alpha: float, a: float, b: float, random_state: Any = None
) -> tuple[np.ndarray, np.ndarray]:
    """Draw each customer's purchase rate (per week) and dropout probability.

    Parameters
    ----------
    n_customers : int
        Number of customers.
    r, alpha : float
        Shape and rate of the Gamma distribution of purchase rates (per week).
    a, b : float
        Parameters of the Beta distribution of dropout probabilities.
    random_state : None, int or numpy.random.Generator
        Randomness.

    Returns
    -------
    lam, p : numpy.ndarray

    Examples
    --------
    >>> lam, p = draw_btyd_parameters(100_000, r=2.0, alpha=4.0, a=1.0, b=3.0, random_state=0)
    >>> round(float(lam.mean()), 2), round(float(p.mean()), 2)
    (0.5, 0.25)
    """
    rng = check_random_state(random_state)
    lam = rng.gamma(r, 1.0 / alpha, size=int(n_customers))
    p = rng.beta(a, b, size=int(n_customers))
    return lam, p


def draw_spend_parameters(
    n_customers: int, *, q: float, gamma: float, random_state: Any = None
) -> np.ndarray:
    """Draw each customer's Gamma-Gamma rate ``nu ~ Gamma(q, rate=gamma)``.

    The customer's true mean order value is ``p / nu``.

    Examples
    --------
    >>> nu = draw_spend_parameters(200_000, q=5.0, gamma=100.0, random_state=0)
    >>> round(float(np.mean(6.0 / nu)), -1)  # p * gamma / (q - 1) = 150
    150.0
    """
    rng = check_random_state(random_state)
    return rng.gamma(q, 1.0 / gamma, size=int(n_customers))


def simulate_repeat_purchases(
    lam: np.ndarray,
    p: np.ndarray,
    t_start: np.ndarray,
    t_end: np.ndarray,
    *,
    random_state: Any = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Simulate BG/NBD repeat purchases of alive customers between two times.

    Parameters
    ----------
    lam : numpy.ndarray
        Purchase rates (per time unit).
    p : numpy.ndarray
        Dropout probability after each purchase.
    t_start, t_end : numpy.ndarray
        Per-customer start and end of the period (same unit as ``1 / lam``);
        customers are alive at ``t_start``.
    random_state : None, int or numpy.random.Generator
        Randomness.

    Returns
    -------
    counts : numpy.ndarray of int
        Repeat purchases per customer.
    times : numpy.ndarray
        Purchase times, grouped by customer in input order, ascending within.
    dead : numpy.ndarray of bool
        True when the customer dropped out (at their last purchase) before ``t_end``.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> counts, times, dead = simulate_repeat_purchases(
    ...     np.full(20_000, 1.0), np.full(20_000, 0.0), np.zeros(20_000), np.full(20_000, 3.0),
    ...     random_state=rng)
    >>> round(float(counts.mean()), 1), bool(dead.any())  # Poisson(3), nobody drops out with p=0
    (3.0, False)
    """
    rng = check_random_state(random_state)
    length = np.maximum(np.asarray(t_end, float) - np.asarray(t_start, float), 0.0)
    n_if_alive = rng.poisson(lam * length)
    until_dropout = rng.geometric(np.clip(p, 1e-12, 1.0))
    counts = np.minimum(until_dropout, n_if_alive)
    dead = until_dropout <= n_if_alive
    total = int(counts.sum())
    e = rng.standard_exponential(total)
    cs = np.cumsum(e)
    off = group_offsets(counts)
    has = counts > 0
    before = np.zeros(len(counts))
    before[has & (off > 0)] = cs[off[has & (off > 0)] - 1]
    s = cs - np.repeat(before, counts)  # within-customer cumulative sums S_1..S_x
    s_last = np.zeros(len(counts))
    s_last[has] = s[off[has] + counts[has] - 1]
    g = rng.gamma(np.maximum(n_if_alive + 1 - counts, 1).astype(float))
    denom = s_last + g
    times = np.repeat(np.asarray(t_start, float), counts) + np.repeat(length / denom, counts) * s
    return counts.astype(np.int64), times, dead


def expected_purchases(lam: np.ndarray, p: np.ndarray, weeks: float) -> np.ndarray:
    """Expected purchases in the next ``weeks`` of a customer alive now.

    Dropping out after a purchase with probability ``p`` means the time to
    dropout is exponential with rate ``lam * p``, so the expectation is
    ``(1 - exp(-lam * p * weeks)) / p``.

    Examples
    --------
    >>> expected_purchases(np.array([1.0]), np.array([0.5]), 2.0).round(3).tolist()
    [1.264]
    """
    lam = np.asarray(lam, float)
    p = np.asarray(p, float)
    small = p < 1e-9
    safe = np.where(small, 1.0, p)
    return np.where(small, lam * weeks, -np.expm1(-lam * safe * weeks) / safe)


def build_order_lines(
    order_value: np.ndarray,
    order_needs: np.ndarray,
    prices: np.ndarray,
    appeal: np.ndarray,
    *,
    decimals: int,
    popularity: np.ndarray | None = None,
    need_weight: float = 4.0,
    price_fit: float = 2.0,
    max_lines: int = 5,
    needs_index: np.ndarray | None = None,
    chunk: int = 1_000_000,
    random_state: Any = None,
) -> dict[str, np.ndarray]:
    """Fill orders of given values with products that match the customer's needs.

    Each order gets ``1 + Poisson`` lines (more for bigger orders); each line's
    product is drawn with probability proportional to
    ``exp(need_weight * needs @ appeal - price_fit * log(price / target)^2)``
    where ``target`` is the order value per line. The first line's quantity is
    the largest that keeps the list value below the order value (one more, with
    a discount, when the gap is large); the rest is a higher charged price per
    item (size upgrades, add-ons) or a discount (list value above the order
    value). Line amounts add up to the order value
    rounded to ``decimals``.

    Parameters
    ----------
    order_value : numpy.ndarray
        Target value of each order (local currency).
    order_needs : numpy.ndarray, shape (n_orders, 4)
        Needs of the buyer of each order (or a table of needs, see ``needs_index``).
    prices : numpy.ndarray
        List price per product.
    appeal : numpy.ndarray, shape (n_products, 4)
        Appeal of each product to each need.
    decimals : int
        Money decimals.
    popularity : numpy.ndarray, optional
        Extra log-weight per product.
    need_weight, price_fit : float
        Strength of need matching and of price fit.
    max_lines : int
        Cap on lines per order.
    needs_index : numpy.ndarray of int, optional
        Row of ``order_needs`` for each order (saves copying needs per order).
    chunk : int
        Orders processed at once (bounds the memory used).
    random_state : None, int or numpy.random.Generator
        Randomness.

    Returns
    -------
    dict of numpy.ndarray
        ``order`` (index into the orders), ``line_no``, ``product`` (index into
        the products), ``quantity``, ``unit_price``, ``discount``, ``amount``.

    Examples
    --------
    >>> out = build_order_lines(np.array([10.0, 3.0]), np.full((2, 4), 0.5),
    ...     np.array([2.0, 5.0]), np.full((2, 4), 0.5), decimals=2, random_state=0)
    >>> [round(float(out["amount"][out["order"] == i].sum()), 2) for i in range(2)]
    [10.0, 3.0]
    """
    rng = check_random_state(random_state)
    z_all = np.asarray(order_value, float)
    n_orders = len(z_all)
    prices = np.asarray(prices, float)
    ref_price = float(np.median(prices))
    extra = rng.poisson(0.5 * np.maximum(z_all / ref_price - 1.0, 0.0))
    n_lines_all = (1 + np.minimum(extra, max_lines - 1)).astype(np.int64)
    del extra
    log_price = np.log(prices)
    pop = np.zeros(len(prices)) if popularity is None else np.asarray(popularity, float)
    # Choice probabilities depend on (needs, target price). Both are put on a fine grid
    # (4 levels per need, 0.1 wide bins of log target) and a table of cumulative
    # probabilities is built once per grid cell; each line then needs one binary search.
    levels = 4
    centre = (np.arange(levels) + 0.5) / levels
    grid = np.stack(np.meshgrid(*[centre] * 4, indexing="ij"), axis=-1).reshape(-1, 4)
    lo_t, width = log_price.min() - 1.0, 0.1
    n_bins = int(np.ceil((log_price.max() + 1.0 - lo_t) / width)) + 1
    t_centre = lo_t + (np.arange(n_bins) + 0.5) * width
    gap = log_price[None, :] - t_centre[:, None]  # bins x products
    price_part = -price_fit * gap**2 - np.where(gap > 0.0, 30.0, 0.0)  # cannot afford
    need_part = need_weight * grid @ np.asarray(appeal, float).T + pop[None, :]  # cells x products
    util = need_part[:, None, :] + price_part[None, :, :]
    util -= util.max(axis=2, keepdims=True)
    cum = np.cumsum(np.exp(util), axis=2)
    cum /= cum[:, :, -1:]
    n_prod = len(prices)
    flat = cum.ravel()
    lv = np.clip((np.asarray(order_needs) * levels).astype(np.int64), 0, levels - 1)
    cell_all = ((lv[:, 0] * levels + lv[:, 1]) * levels + lv[:, 2]) * levels + lv[:, 3]
    del lv
    parts: dict[str, list[np.ndarray]] = {
        k: []
        for k in ("order", "line_no", "product", "quantity", "unit_price", "discount", "amount")
    }
    for a in range(0, max(n_orders, 1), chunk):  # chunks of orders bound the memory
        b = min(a + chunk, n_orders)
        z = z_all[a:b]
        n_lines = n_lines_all[a:b]
        cell = cell_all[a:b] if needs_index is None else cell_all[needs_index[a:b]]
        local = np.repeat(np.arange(b - a), n_lines)
        off = group_offsets(n_lines)
        line_no = (np.arange(len(local)) - off[local] + 1).astype(np.int16)
        target = np.log(z / n_lines)[local]
        t_bin = np.clip(((target - lo_t) / width).astype(np.int64), 0, n_bins - 1)
        del target
        base = (cell[local] * n_bins + t_bin) * n_prod
        del t_bin
        u = rng.random(len(local))
        # binary search within each line's row of cumulative probabilities
        lo = np.zeros(len(local), dtype=np.int64)
        hi = np.full(len(local), n_prod - 1, dtype=np.int64)
        for _ in range(int(np.ceil(np.log2(n_prod))) if n_prod > 1 else 0):
            mid = (lo + hi) >> 1
            right = flat[base + mid] < u
            lo = np.where(right, mid + 1, lo)
            hi = np.where(right, hi, mid)
        del base, u, hi, mid, right
        product = lo
        list_price = prices[product]
        qty = np.ones(len(local), dtype=np.int32)
        basket = np.bincount(local, weights=list_price, minlength=b - a)
        p1 = list_price[off]
        # as many items of the first product as fit; one more (with a discount) only when
        # the charged price per item would otherwise rise by more than 35 %
        q1 = np.clip(np.floor((z - (basket - p1)) / p1), 1, 50)
        q1 = np.where(z / (basket + (q1 - 1) * p1) > 1.35, np.minimum(q1 + 1, 50), q1)
        qty[off] = q1
        list_value = list_price * qty
        total = np.bincount(local, weights=list_value, minlength=b - a)
        m = (z / total)[local]
        up = m >= 1.0
        unit_price = np.where(up, round_money(list_price * m, decimals), list_price)
        discount = np.where(up, 0.0, round_money(list_value * (1.0 - m), decimals))
        amount = round_money(qty * unit_price - discount, decimals)
        for key, val in (
            ("order", local + a),
            ("line_no", line_no),
            ("product", product.astype(np.int16)),
            ("quantity", qty),
            ("unit_price", unit_price),
            ("discount", discount),
            ("amount", amount),
        ):
            parts[key].append(val)
        del local, line_no, product, list_price, qty, list_value, m, up
        del unit_price, discount, amount
    return {k: np.concatenate(v) for k, v in parts.items()}
