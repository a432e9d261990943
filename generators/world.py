"""Build a whole synthetic SME world: ``make_world`` and its pieces.

One :class:`numpy.random.Generator` is made from ``random_state`` at the top
and handed to every provider in a fixed order, so the same arguments always
give the same tables (and byte-identical files via
:meth:`crm_lessons.datasets.World.to_dir`).

Examples
--------
>>> w = make_world("coffee_shop", 200, random_state=1)
>>> list(w)[:4]
['customers', 'products', 'orders', 'order_lines']
>>> w.params["scenario"], w.params["currency"], w.params["time_unit"]
('coffee_shop', 'TWD', 'week')
>>> make_world("tea_house")
Traceback (most recent call last):
...
ValueError: scenario='tea_house' is not known; valid scenarios: b2b_service, coffee_shop, fmcg_brand, online_store
"""

from __future__ import annotations

import copy
import numbers
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from scipy import special, stats

from crm_lessons import schema
from crm_lessons.datasets import World
from generators._util import (
    Calendar,
    check_random_state,
    finalize,
    group_offsets,
    id_strings,
    round_money,
    take_strings,
    to_datetime,
)
from generators.providers import (
    identity,
    lifecycle,
    marketing,
    needs,
    purchases,
    satisfaction,
    support,
)
from generators.providers import products as products_mod
from generators.scenarios import (
    COMPETITION,
    MONEY_DECIMALS,
    PRICE_LEVEL,
    SATISFACTION_HALO,
    SCENARIOS,
    SEGMENTS,
)

__all__ = [
    "GENERATOR_VERSION",
    "OVERRIDABLE",
    "TABLE_ORDER",
    "make_campaigns",
    "make_customers",
    "make_products",
    "make_surveys",
    "make_tickets",
    "make_transactions",
    "make_world",
    "resolve_config",
]

GENERATOR_VERSION = "1.0"

TABLE_ORDER = (
    "customers",
    "products",
    "orders",
    "order_lines",
    "transactions",
    "campaigns",
    "touches",
    "surveys",
    "tickets",
    "lifecycle_events",
    "truth",
)

_LOCALE_CITIES = {"zh_TW": "taipei", "zh_CN": "china", "en_US": "us"}

#: Preset keys that may be changed through ``**overrides`` (plus the extras below).
OVERRIDABLE = tuple(
    sorted(
        (
            set(SCENARIOS["coffee_shop"])
            - {"description", "n_customers", "locale", "competition", "start", "end", "gamma_usd"}
        )
        | {"gamma", "seasonality", "competitor_entry", "money_decimals"}
    )
)

#: Perception shift per survey dimension (product, service, staff, brand): the
#: business's strengths and weaknesses that a gap analysis should find.
_DIMENSION_SHIFT = {
    "coffee_shop": (0.2, -0.5, 0.4, 0.0),  # friendly baristas, slow queue at 8 am
    "online_store": (-0.2, -0.4, 0.0, 0.1),  # late deliveries
    "fmcg_brand": (0.1, 0.0, 0.0, -0.6),  # the mass blast hurt the brand
    "b2b_service": (0.3, -0.3, 0.2, 0.0),  # good product, slow support
}


def _choices(name: str, value: Any, valid: Any) -> ValueError:
    return ValueError(
        f"{name}={value!r} is not valid; valid choices: {', '.join(map(str, valid))}"
    )


def resolve_config(
    scenario: str = "coffee_shop",
    n_customers: int | None = None,
    *,
    start: Any = None,
    end: Any = None,
    locale: str | None = None,
    currency: str | None = None,
    competition: str | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """Check the arguments and merge them with the scenario preset.

    Returns
    -------
    dict
        The full configuration (a deep copy of the preset with overrides).

    Examples
    --------
    >>> cfg = resolve_config("online_store", 10, r=0.5)
    >>> cfg["r"], cfg["currency"], cfg["gamma"]
    (0.5, 'USD', 40.0)
    >>> resolve_config("coffee_shop", 0)
    Traceback (most recent call last):
    ...
    ValueError: n_customers=0 is not valid; use a positive int (or None for the scenario default)
    >>> resolve_config("coffee_shop", bogus=1)
    Traceback (most recent call last):
    ...
    ValueError: override 'bogus' is not valid; valid overrides: a, acquisition, age_mean, ...
    """
    if scenario not in SCENARIOS:
        raise ValueError(
            f"scenario={scenario!r} is not known; valid scenarios: {', '.join(sorted(SCENARIOS))}"
        )
    cfg = copy.deepcopy(SCENARIOS[scenario])
    cfg["scenario"] = scenario
    if n_customers is not None:
        if (
            isinstance(n_customers, bool)
            or not isinstance(n_customers, numbers.Integral)
            or n_customers <= 0
        ):
            raise ValueError(
                f"n_customers={n_customers!r} is not valid; use a positive int "
                "(or None for the scenario default)"
            )
        cfg["n_customers"] = int(n_customers)
    if locale is not None:
        if locale not in schema.LOCALES:
            raise _choices("locale", locale, sorted(schema.LOCALES))
        cfg["locale"] = locale
    cfg["currency"] = schema.LOCALES[cfg["locale"]] if currency is None else currency
    if cfg["currency"] not in schema.CURRENCIES:
        raise _choices("currency", currency, schema.CURRENCIES)
    if competition is not None:
        if competition not in COMPETITION:
            raise _choices("competition", competition, list(COMPETITION))
        cfg["competition"] = competition
    for key, val in (("start", start), ("end", end)):
        if val is not None:
            try:
                cfg[key] = pd.Timestamp(val).strftime("%Y-%m-%d")
            except (ValueError, TypeError):
                raise ValueError(f"{key}={val!r} is not a date; use e.g. '2024-01-01'") from None
    if pd.Timestamp(cfg["end"]) <= pd.Timestamp(cfg["start"]):
        raise ValueError(
            f"end={cfg['end']!r} is not after start={cfg['start']!r}; end must be a later date"
        )
    for key in overrides:
        if key not in OVERRIDABLE:
            raise ValueError(
                f"override {key!r} is not valid; valid overrides: {', '.join(OVERRIDABLE)}"
            )
    cfg["seasonality"] = True
    cfg["competitor_entry"] = None
    cfg.setdefault("money_decimals", MONEY_DECIMALS[cfg["currency"]])
    cfg["gamma"] = cfg.pop("gamma_usd") * PRICE_LEVEL[cfg["currency"]]
    cfg.update(copy.deepcopy(overrides))
    for key in ("r", "alpha", "a", "b", "p", "q", "gamma"):
        v = cfg[key]
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not v > 0:
            raise ValueError(f"{key}={v!r} is not valid; use a positive number")
    if cfg["q"] <= 1:
        raise ValueError(f"q={cfg['q']!r} is not valid; use q > 1 so the mean spend exists")
    if cfg["competitor_entry"] is not None:
        try:
            entry = pd.Timestamp(cfg["competitor_entry"])
        except (ValueError, TypeError):
            raise ValueError(
                f"competitor_entry={cfg['competitor_entry']!r} is not a date; use e.g. '2025-01-01'"
            ) from None
        if not pd.Timestamp(cfg["start"]) < entry <= pd.Timestamp(cfg["end"]):
            raise ValueError(
                f"competitor_entry={cfg['competitor_entry']!r} is not valid; use a date after "
                f"start={cfg['start']} and not after end={cfg['end']}"
            )
        cfg["competitor_entry"] = entry.strftime("%Y-%m-%d")
    if cfg["campaigns"] is False:
        cfg["campaigns"] = []
    funnel = cfg["funnel"]
    if not isinstance(funnel, dict) or set(funnel) != set(cfg["acquisition"]):
        raise ValueError(
            f"funnel={funnel!r} is not valid; give (to_consideration, to_purchase) for each "
            f"acquisition channel: {', '.join(cfg['acquisition'])}"
        )
    for ch, rates in funnel.items():
        if len(rates) != 2 or not all(0.0 < float(x) <= 1.0 for x in rates):
            raise ValueError(f"funnel[{ch!r}]={rates!r} is not valid; use two shares in (0, 1]")
    wts = cfg["satisfaction_weights"]
    if not isinstance(wts, dict) or set(wts) != set(satisfaction.DIMENSIONS):
        raise ValueError(
            f"satisfaction_weights={wts!r} is not valid; give a weight for each of "
            f"{', '.join(satisfaction.DIMENSIONS)}"
        )
    satisfaction.dimension_experiences(
        np.zeros(0), [wts[d] for d in satisfaction.DIMENSIONS]
    )  # raises a ValueError on impossible weights
    return cfg


# ------------------------------------------------------------------ pieces


def make_products(scenario: str = "coffee_shop", *, currency: str | None = None) -> pd.DataFrame:
    """The product catalogue of a scenario (no randomness).

    Examples
    --------
    >>> make_products("b2b_service")["category"].unique().tolist()
    ['subscription', 'services', 'support', 'training']
    """
    cfg = resolve_config(scenario, currency=currency)
    return products_mod.make_products(cfg["products"], currency=cfg["currency"])


class _State:
    """Everything drawn so far, shared by the steps of :func:`make_world`."""


def _draw_customers(cfg: dict, rng: np.random.Generator) -> _State:
    s = _State()
    n = cfg["n_customers"]
    s.n = n
    s.cal = Calendar(
        pd.Timestamp(cfg["start"]),
        pd.Timestamp(cfg["end"]),
        weekday=cfg["weekday"],
        yearly_amplitude=cfg["yearly_amplitude"],
        yearly_peak_doy=cfg["yearly_peak_doy"],
        seasonality=cfg["seasonality"],
    )
    s.level = PRICE_LEVEL[cfg["currency"]]
    s.dec = int(cfg["money_decimals"])
    s.segment, s.needs = needs.make_needs(n, weights=cfg["segment_weights"], random_state=rng)
    lam, p = purchases.draw_btyd_parameters(
        n, r=cfg["r"], alpha=cfg["alpha"], a=cfg["a"], b=cfg["b"], random_state=rng
    )
    # convenience seekers come more often, quality seekers spend more per order;
    # rank coupling keeps each marginal exactly Gamma (see needs.rank_couple)
    s.lam = needs.rank_couple(lam, s.needs[:, 2], 0.3, rng)
    s.p = p
    nu = purchases.draw_spend_parameters(n, q=cfg["q"], gamma=cfg["gamma"], random_state=rng)
    s.nu = needs.rank_couple(nu, s.needs[:, 0] - s.needs[:, 1], 0.4, rng)
    s.mean_spend = cfg["p"] / s.nu
    u = np.clip(stats.beta.cdf(p, cfg["a"], cfg["b"]), 1e-9, 1 - 1e-9)
    s.dropout_z = special.ndtri(u)
    s.y = satisfaction.latent_satisfaction(
        p, a=cfg["a"], b=cfg["b"], competition=cfg["competition"], random_state=rng
    )
    # first purchases spread evenly over the window, customers numbered by sign-up
    s.t0 = np.sort(rng.uniform(0.0, s.cal.n_days, size=n))
    return s


def _simulate_purchases(cfg: dict, s: _State, rng: np.random.Generator) -> None:
    cal = s.cal
    n = s.n
    op0 = cal.op(s.t0)
    op_end = cal.grid_op[-1]
    s.p_end = s.p.copy()
    if cfg["competitor_entry"] is None:
        counts, times, dead = purchases.simulate_repeat_purchases(
            s.lam, s.p, op0, np.full(n, op_end), random_state=rng
        )
        cust = np.repeat(np.arange(n), counts)
        s.p_after = None
    else:
        e_day = float((pd.Timestamp(cfg["competitor_entry"]) - cal.start).days)
        op_e = cal.op(np.array([e_day]))[0]
        s.p_after = satisfaction.dropout_after_entry(
            s.y, s.p, a=cfg["a"], b=cfg["b"], random_state=rng
        )
        before = s.t0 < e_day
        c1, t1, d1 = purchases.simulate_repeat_purchases(
            s.lam, s.p, op0, np.where(before, op_e, op0), random_state=rng
        )
        alive_e = ~d1
        start2 = np.where(before, op_e, op0)
        end2 = np.where(alive_e, op_end, start2)
        c2, t2, d2 = purchases.simulate_repeat_purchases(
            s.lam, s.p_after, start2, end2, random_state=rng
        )
        cust = np.concatenate([np.repeat(np.arange(n), c1), np.repeat(np.arange(n), c2)])
        times = np.concatenate([t1, t2])
        o = np.lexsort((times, cust))
        cust, times = cust[o], times[o]
        counts = c1 + c2
        dead = d1 | (alive_e & d2)
        s.p_end = s.p_after  # the market is competitive from the entry on
    s.n_repeat = counts
    s.alive_end = ~dead
    rep_day = cal.inv(times)
    # death happens right at the last repeat purchase
    last = np.full(n, np.inf)
    has = counts > 0
    off = group_offsets(counts)
    last[has] = rep_day[off[has] + counts[has] - 1]
    s.death_day = np.where(dead, last, np.inf)
    s.org_cust = np.concatenate([np.arange(n), cust])
    s.org_day = np.concatenate([s.t0, rep_day])
    s.org_first = np.concatenate([np.ones(n, bool), np.zeros(len(cust), bool)])


def make_customers(
    n_customers: int | None = None,
    *,
    scenario: str = "coffee_shop",
    locale: str | None = None,
    random_state: Any = None,
) -> pd.DataFrame:
    """Only the ``customers`` table of a world (a convenience wrapper).

    Examples
    --------
    >>> make_customers(3, scenario="online_store", random_state=0)["city"].notna().all()
    np.True_
    """
    return make_world(scenario, n_customers, locale=locale, random_state=random_state).customers


def make_transactions(
    n_customers: int | None = None,
    *,
    scenario: str = "coffee_shop",
    random_state: Any = None,
    **overrides: Any,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Only the ``orders`` and ``order_lines`` of a world.

    Examples
    --------
    >>> orders, lines = make_transactions(50, scenario="fmcg_brand", random_state=0)
    >>> set(lines["order_id"]) <= set(orders["order_id"])
    True
    """
    w = make_world(scenario, n_customers, random_state=random_state, **overrides)
    return w.orders, w.order_lines


def make_campaigns(
    n_customers: int | None = None, *, scenario: str = "coffee_shop", random_state: Any = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Only the ``campaigns`` and ``touches`` of a world.

    Examples
    --------
    >>> camp, touches = make_campaigns(300, scenario="fmcg_brand", random_state=0)
    >>> camp["randomised"].any()
    np.True_
    """
    w = make_world(scenario, n_customers, random_state=random_state)
    return w.campaigns, w.touches


def make_surveys(
    n_customers: int | None = None, *, scenario: str = "coffee_shop", random_state: Any = None
) -> pd.DataFrame:
    """Only the ``surveys`` of a world.

    Examples
    --------
    >>> make_surveys(300, random_state=0)["nps"].between(0, 10).all()
    np.True_
    """
    return make_world(scenario, n_customers, random_state=random_state).surveys


def make_tickets(
    n_customers: int | None = None, *, scenario: str = "b2b_service", random_state: Any = None
) -> pd.DataFrame:
    """Only the ``tickets`` of a world.

    Examples
    --------
    >>> make_tickets(50, random_state=0)["rating"].dropna().between(1, 5).all()
    np.True_
    """
    return make_world(scenario, n_customers, random_state=random_state).tickets


# ------------------------------------------------------------------ the world


def _time_of_day(day: np.ndarray, hours: dict, rng: np.random.Generator) -> np.ndarray:
    h = np.array(list(hours), dtype=float)
    w = np.array(list(hours.values()), dtype=float)
    k = rng.choice(len(h), size=len(day), p=w / w.sum())
    return np.floor(day) + (h[k] + rng.random(len(day))) / 24.0


def _categorical(rng: np.random.Generator, table: dict, n: int) -> np.ndarray:
    """Indices into ``list(table)`` drawn with the table's weights."""
    w = np.array(list(table.values()), dtype=float)
    return rng.choice(len(w), size=n, p=w / w.sum())


def _str(values: Any) -> pd.Series:
    """A small array of Python strings as a pandas ``string`` Series."""
    return pd.Series(pd.array(np.asarray(values).astype(str), dtype="string"))


def make_world(
    scenario: str = "coffee_shop",
    n_customers: int | None = None,
    *,
    start: Any = None,
    end: Any = None,
    locale: str | None = None,
    currency: str | None = None,
    competition: str | None = None,
    random_state: Any = None,
    progress: bool = False,
    **overrides: Any,
) -> World:
    """Generate a synthetic SME world with hidden ground truth.

    Parameters
    ----------
    scenario : {"coffee_shop", "online_store", "fmcg_brand", "b2b_service"}
        Which business (see :mod:`generators.scenarios`).
    n_customers : int, optional
        Number of known customers; the scenario's default when omitted.
    start, end : str or Timestamp, optional
        First and last day of the observation window (default 2024-01-01 ..
        2025-12-31).
    locale : {"en_US", "zh_TW", "zh_CN"}, optional
        Language of names and places; sets the default currency.
    currency : {"USD", "TWD", "CNY"}, optional
        Currency of all money columns; prices are scaled to look local.
    competition : {"low", "medium", "high"}, optional
        How strongly satisfaction drives churn.
    random_state : None, int or numpy.random.Generator
        Seed; the same seed gives identical tables.
    progress : bool
        Show a tqdm progress bar.
    **overrides
        Any preset key (see :data:`OVERRIDABLE`), e.g. ``r=0.5``,
        ``seasonality=False``, ``campaigns=False``,
        ``competitor_entry="2025-01-01"`` (from that day the market is
        competitive: unhappy customers start to leave; nobody's dropout
        falls), ``satisfaction_weights={"product": ..., ...}`` (true drivers
        of satisfaction), ``funnel={channel: (to_consideration, to_purchase)}``
        (conversion of prospects), ``churn_observable=True`` (churn events
        in ``lifecycle_events``, as for cancelled contracts).

    Returns
    -------
    crm_lessons.datasets.World
        Tables in :data:`TABLE_ORDER`; ``params`` holds every generating
        parameter and the true campaign uplifts.

    Examples
    --------
    >>> w = make_world("b2b_service", 40, random_state=0, seasonality=False)
    >>> w.params["seasonality"], len(w.customers)
    (False, 40)
    """
    cfg = resolve_config(
        scenario,
        n_customers,
        start=start,
        end=end,
        locale=locale,
        currency=currency,
        competition=competition,
        **overrides,
    )
    rng = check_random_state(random_state)
    from tqdm.auto import tqdm

    steps = [
        "customers",
        "purchases",
        "campaigns",
        "orders",
        "order lines",
        "surveys",
        "support",
        "tables",
    ]
    bar = tqdm(total=len(steps), desc=f"{scenario}", disable=not progress, leave=False)

    def step(name: str) -> None:
        bar.set_postfix_str(name)
        bar.update(1)

    s = _draw_customers(cfg, rng)
    n = s.n
    cal = s.cal
    faker_seed = int(rng.integers(2**31))
    pools = identity.FakerPools(cfg["locale"], faker_seed)
    ident = identity.make_identities(
        n,
        locale=cfg["locale"],
        cities=_LOCALE_CITIES[cfg["locale"]],
        gender_weights=cfg["gender_weights"],
        age_mean=cfg["age_mean"],
        age_sd=cfg["age_sd"],
        ref_year=cal.start.year,
        pools=pools,
        random_state=rng,
    )
    company = identity.make_company_names(n, pools, rng) if scenario == "b2b_service" else None
    acq_channel, acq_cost = marketing.assign_acquisition(
        cfg["acquisition"], s.dropout_z, price_level=s.level, decimals=s.dec, random_state=rng
    )
    step("customers")

    _simulate_purchases(cfg, s, rng)
    # membership: frequent buyers join more often (rank of the purchase rate)
    lam_score = special.ndtri((stats.rankdata(s.lam) - 0.5) / n)
    base = special.logit(cfg["member_rate"])
    joins = rng.random(n) < special.expit(base + 1.0 * lam_score)
    member_day = s.t0 + np.where(rng.random(n) < 0.5, 0.0, rng.exponential(30.0, n))
    is_member = joins & (member_day < np.minimum(cal.n_days, s.death_day + 1.0))
    consent = rng.random(n) < np.clip(cfg["consent_rate"] + 0.15 * is_member, 0, 1)
    step("purchases")

    org_value = rng.gamma(cfg["p"], 1.0 / s.nu[s.org_cust])
    camp = marketing.run_campaigns(
        cfg["campaigns"],
        n_days=cal.n_days,
        consent=consent,
        is_member=is_member,
        member_day=member_day,
        signup_day=s.t0,
        death_day=s.death_day,
        segment=np.array(list(SEGMENTS))[s.segment],
        lam=s.lam,
        op=cal.op,
        order_cust=s.org_cust,
        order_day=s.org_day,
        order_value=org_value,
        price_level=s.level,
        random_state=rng,
    )
    ind = camp["induced"]
    ind_value = rng.gamma(cfg["p"], 1.0 / s.nu[ind["cust"]])
    step("campaigns")

    # walk-ins: anonymous sales in proportion to the card holders' sales
    n_known = len(s.org_cust) + len(ind["cust"])
    share = float(cfg["walk_in_share"])
    n_walk = int(rng.poisson(n_known * share / (1.0 - share))) if share > 0 else 0
    walk_day = cal.sample_days(n_walk, rng)
    _, walk_needs = needs.make_needs(n_walk, weights=cfg["segment_weights"], random_state=rng)
    walk_nu = rng.gamma(cfg["q"], 1.0 / cfg["gamma"], size=n_walk)
    walk_value = rng.gamma(cfg["p"], 1.0 / walk_nu)

    o_cust = np.concatenate([s.org_cust, ind["cust"], np.full(n_walk, -1)])
    o_day = np.concatenate([s.org_day, ind["day"], walk_day])
    o_value = np.concatenate([org_value, ind_value, walk_value])
    o_day = _time_of_day(o_day, cfg["open_hours"], rng)
    o_needs = np.concatenate([s.needs, walk_needs])
    o_needs_index = np.concatenate([s.org_cust, ind["cust"], n + np.arange(n_walk)])
    o_channel = _categorical(rng, cfg["order_channels"], len(o_cust))
    step("orders")

    prod = products_mod.make_products(cfg["products"], currency=cfg["currency"])
    appeal = products_mod.appeal_matrix(cfg["products"], prod)
    pop = np.where(prod["price_tier"].to_numpy() == "premium", -0.3, 0.0)
    lines = purchases.build_order_lines(
        o_value,
        o_needs,
        prod["unit_price"].to_numpy(),
        appeal,
        decimals=s.dec,
        popularity=pop,
        needs_index=o_needs_index,
        random_state=rng,
    )
    n_sales = len(o_cust)
    del o_value, o_needs, o_needs_index, org_value, ind_value, walk_value, walk_nu, walk_needs
    del s.org_cust, s.org_day, s.org_first
    # returns: the first line of a few % of sales comes back within days
    ret = np.flatnonzero(rng.random(n_sales) < cfg["return_rate"])
    ret_day = np.floor(o_day[ret] + rng.exponential(5.0, len(ret)) + 1.0)
    keep = ret_day < cal.n_days
    ret, ret_day = ret[keep], ret_day[keep]
    ret_day = _time_of_day(ret_day, cfg["open_hours"], rng)
    first_line = group_offsets(np.bincount(lines["order"], minlength=n_sales))[ret]
    step("order lines")

    # ---- order totals; refunds repeat the first line of the refunded order, negated
    fl = first_line
    sale_amount = np.bincount(lines["order"], weights=lines["amount"], minlength=n_sales)
    r_amount = -lines["amount"][fl]
    r_disc = -lines["discount"][fl]
    r_qty = -lines["quantity"][fl]
    all_amount = round_money(np.concatenate([sale_amount, r_amount]), s.dec)
    del sale_amount

    # identified sales sorted by customer, then time: gives first purchase, churn date,
    # loyalty day, and campaign conversions (one sort)
    scale = float(cal.n_days + 1000)
    sale_known = np.flatnonzero(o_cust >= 0)
    k_key = o_cust[sale_known] * scale + o_day[sale_known]
    ko = np.argsort(k_key, kind="stable")
    k_idx = sale_known[ko]
    k_key = k_key[ko]
    del sale_known, ko
    kc, kd = o_cust[k_idx], o_day[k_idx]
    touch_cum = np.concatenate([[0.0], np.cumsum(all_amount[k_idx])])
    del k_idx
    cnt = np.bincount(kc, minlength=n)
    del kc
    off = group_offsets(cnt)
    first_day = kd[off]
    last_day = kd[off + cnt - 1]
    churn_day = np.where(np.isfinite(s.death_day), last_day, np.inf)
    k_loyal = int(cfg["loyalty_after"])
    loyal_day = np.where(cnt > k_loyal, kd[np.minimum(off + k_loyal, len(kd) - 1)], np.nan)

    # campaign conversions measured on the final orders (the whole last day counts:
    # the window end is exclusive)
    specs = {c["index"]: c for c in camp["campaigns"]}
    t = camp["touches"]
    n_t = len(t["cust"])
    t_camp = t["campaign"].astype(np.int64)
    t_cust = t["cust"].astype(np.int64)
    ts = np.array([specs[k]["start_day"] for k in t_camp]) if n_t else np.array([])
    te = np.array([specs[k]["end_day"] for k in t_camp]) if n_t else np.array([])
    n_conv, rev = marketing.window_purchases(k_key, touch_cum, t_cust, ts, te + 1.0 - 1e-9, scale)
    del k_key, touch_cum, ts, te

    # ---- assemble orders (sales + refunds), ids by time
    all_cust = np.concatenate([o_cust, o_cust[ret]])
    all_day = np.concatenate([o_day, ret_day])
    del o_cust, o_day
    n_all = len(all_day)
    all_is_ret = np.concatenate([np.zeros(n_sales, bool), np.ones(len(ret), bool)])
    order_rank = np.argsort(all_day, kind="stable")
    oid_num = np.empty(n_all, dtype=np.int64)
    oid_num[order_rank] = np.arange(n_all)
    oid_col = id_strings("O", np.arange(n_all), max(6, len(str(n_all))))
    oid = pa.array(oid_col.array)
    cid = pa.array(id_strings("C", np.arange(n), max(4, len(str(n)))).array)

    def cust_ids(idx: np.ndarray) -> pd.Series:
        return take_strings(cid, np.maximum(idx, 0), idx < 0)

    camp_ids = np.array([c["id"] for c in cfg["campaigns"]] or ["-"])
    induced_orders = {
        str(camp_ids[k]): int(v)
        for k, v in enumerate(np.bincount(ind["campaign"], minlength=len(cfg["campaigns"])))
    }
    dt = to_datetime(cal.start, all_day)
    del all_day
    r = order_rank
    cols = {"order_id": oid_col}  # order ids are numbered by time: no gather needed
    del oid_col
    cols["customer_id"] = cust_ids(all_cust[r])
    cols["date"] = dt[r]
    cols["channel"] = take_strings(
        list(cfg["order_channels"]), np.concatenate([o_channel, o_channel[ret]])[r]
    )
    del o_channel
    cols["amount"] = all_amount[r]
    del all_amount
    sale_disc = np.bincount(lines["order"], weights=lines["discount"], minlength=n_sales)
    cols["discount"] = round_money(np.concatenate([sale_disc, r_disc]), s.dec)[r]
    del sale_disc
    sale_items = np.bincount(lines["order"], weights=lines["quantity"], minlength=n_sales)
    cols["n_items"] = np.concatenate([sale_items, r_qty]).astype(np.int64)[r]
    del sale_items
    cols["is_return"] = all_is_ret[r]
    orig = np.concatenate([np.full(n_sales, -1), ret])[r]
    cols["original_order_id"] = take_strings(oid, oid_num[np.maximum(orig, 0)], orig < 0)
    del orig
    orders = finalize("orders", cols)
    del cols

    # ---- order lines and transactions
    l_cnt = np.bincount(lines["order"], minlength=n_all)
    l_cnt[n_sales:] = 1
    # lines are grouped by order already: put the groups in order-id order (no sort needed)
    l_off = group_offsets(l_cnt)
    cnt_r = l_cnt[order_rank]
    lo = np.repeat(l_off[order_rank] - group_offsets(cnt_r), cnt_r)
    lo += np.arange(len(lo))
    del l_cnt, l_off, cnt_r, order_rank, r
    l_order = np.concatenate([lines["order"], n_sales + np.arange(len(ret))])[lo]
    pid = prod["product_id"].to_numpy().astype(str)
    l_oid = take_strings(oid, oid_num[l_order])
    del oid_num, oid
    l_pid = take_strings(pid, np.concatenate([lines["product"], lines["product"][fl]])[lo])
    cols = {"order_id": l_oid}
    cols["line_no"] = np.concatenate([lines["line_no"], np.ones(len(ret), np.int16)])[lo]
    cols["product_id"] = l_pid
    l_qty = pd.array(np.concatenate([lines["quantity"], r_qty])[lo], dtype="Int64")
    cols["quantity"] = l_qty
    cols["unit_price"] = np.concatenate([lines["unit_price"], lines["unit_price"][fl]])[lo]
    cols["discount"] = np.concatenate([lines["discount"], r_disc])[lo]
    l_amt = np.concatenate([lines["amount"], r_amount])[lo]
    cols["amount"] = l_amt
    del lines, lo
    order_lines = finalize("order_lines", cols)
    cols = {
        "customer_id": cust_ids(all_cust[l_order]),
        "date": dt[l_order],
        "amount": l_amt,
        "quantity": l_qty,
        "order_id": l_oid,
        "is_return": all_is_ret[l_order],
        "product_id": l_pid,
    }
    del l_order, l_amt, l_qty, l_oid, l_pid, dt, all_cust, all_is_ret
    transactions = finalize("transactions", cols)
    del cols

    # ---- customers
    member_day_final = np.maximum(member_day, first_day)
    customers = pd.DataFrame(
        {
            "customer_id": cust_ids(np.arange(n)),
            "name": ident["name"],
            "gender": ident["gender"],
            "birth_year": ident["birth_year"].to_numpy(),
            "city": ident["city"],
            "district": ident["district"],
            "phone": ident["phone"],
            "email": ident["email"],
            "signup_date": to_datetime(cal.start, first_day),
            "acquisition_channel": take_strings(list(cfg["acquisition"]), acq_channel),
            "acquisition_cost": acq_cost,
            "marketing_consent": camp["consent"],
            "is_member": is_member,
            "member_since": to_datetime(cal.start, np.where(is_member, member_day_final, np.nan)),
        }
    )
    for j, col in enumerate(needs.NEED_COLUMNS):
        customers[col] = np.round(s.needs[:, j], 4)
    if company is not None:
        customers["company"] = _str(company)
    customers = finalize("customers", customers)
    step("surveys")

    # ---- campaigns and touches (conversion measured on the final orders)
    campaigns = finalize(
        "campaigns",
        pd.DataFrame(
            {
                "campaign_id": _str(
                    np.array([c["campaign_id"] for c in camp["campaigns"]], dtype=str)
                ),
                "campaign_name": _str(
                    np.array([c["campaign_name"] for c in camp["campaigns"]], dtype=str)
                ),
                "channel": _str(np.array([c["channel"] for c in camp["campaigns"]], dtype=str)),
                "start_date": to_datetime(
                    cal.start, np.array([c["start_day"] for c in camp["campaigns"]], dtype=float)
                ),
                "end_date": to_datetime(
                    cal.start, np.array([c["end_day"] for c in camp["campaigns"]], dtype=float)
                ),
                "targeting": _str(
                    np.array([c["targeting"] for c in camp["campaigns"]], dtype=str)
                ),
                "randomised": np.array([c["randomised"] for c in camp["campaigns"]], dtype=bool),
                "cost_per_touch": np.array(
                    [c["cost_per_touch"] for c in camp["campaigns"]], dtype=float
                ),
                "n_targeted": np.array(
                    [c["n_targeted"] for c in camp["campaigns"]], dtype=np.int64
                ),
                "control_share": np.array(
                    [c["control_share"] for c in camp["campaigns"]], dtype=float
                ),
            }
        ),
    )
    t_order = np.lexsort((t_cust, t_camp))
    touches = finalize(
        "touches",
        pd.DataFrame(
            {
                "touch_id": id_strings("T", np.arange(n_t), max(6, len(str(n_t)))),
                "campaign_id": take_strings(camp_ids, t_camp[t_order]),
                "customer_id": cust_ids(t_cust[t_order]),
                "date": to_datetime(cal.start, t["day"][t_order]),
                "channel": take_strings(
                    [specs[k]["channel"] if k in specs else "-" for k in range(len(camp_ids))],
                    t_camp[t_order],
                ),
                "group": take_strings(["control", "treatment"], t["treat"].astype(int)[t_order]),
                "cost": np.round(t["cost"].astype(float)[t_order], 4),
                "opened": t["opened"].astype(bool)[t_order],
                "clicked": t["clicked"].astype(bool)[t_order],
                "converted": (n_conv > 0)[t_order],
                "revenue": round_money(rev[t_order], s.dec),
                "unsubscribed": t["unsub"].astype(bool)[t_order],
            }
        ),
    )

    # ---- surveys: a post-purchase survey after one random purchase of each respondent
    resp = np.flatnonzero(rng.random(n) < cfg["survey_rate"])
    pick = off[resp] + (rng.random(len(resp)) * cnt[resp]).astype(np.int64)
    s_day = np.minimum(kd[pick] + rng.uniform(0.02, 2.0, len(resp)), cal.n_days - 1e-3)
    del kd
    answers = satisfaction.make_survey_answers(
        s.y[resp],
        s.needs[resp],
        dimension_shift=_DIMENSION_SHIFT[scenario],
        weights=[cfg["satisfaction_weights"][d] for d in satisfaction.DIMENSIONS],
        random_state=rng,
    )
    so2 = np.argsort(s_day, kind="stable")
    surveys = pd.DataFrame(
        {
            "response_id": id_strings("R", np.arange(len(resp)), max(5, len(str(len(resp))))),
            "customer_id": cust_ids(resp[so2]),
            "date": to_datetime(cal.start, s_day[so2]),
        }
    )
    for col in answers.columns:
        surveys[col] = answers[col].to_numpy()[so2]
    surveys = finalize("surveys", surveys)

    # ---- tickets
    active_to = np.minimum(np.where(np.isfinite(churn_day), churn_day, cal.n_days), cal.n_days)
    tk = support.make_tickets(
        first_day,
        active_to,
        s.y,
        n_days=cal.n_days,
        rate_per_week=cfg["ticket_rate"],
        topics=cfg["ticket_topics"],
        hourly_cost=cfg["ticket_hours_usd"] * s.level,
        minutes=cfg["ticket_minutes"],
        decimals=s.dec,
        random_state=rng,
    )
    to_ = np.lexsort((tk["cust"], tk["opened"]))
    n_tk = len(to_)
    tickets = finalize(
        "tickets",
        pd.DataFrame(
            {
                "ticket_id": id_strings("K", np.arange(n_tk), max(5, len(str(n_tk)))),
                "customer_id": cust_ids(tk["cust"][to_]),
                "opened_at": to_datetime(cal.start, tk["opened"][to_]),
                "resolved_at": to_datetime(cal.start, tk["resolved"][to_]),
                "topic": take_strings(list(cfg["ticket_topics"]), tk["topic"][to_]),
                "cost_to_serve": tk["cost"][to_],
                "rating": pd.array(
                    np.where(tk["rating"][to_] > 0, tk["rating"][to_], 0), dtype="Int64"
                ),
            }
        ),
    )
    tickets.loc[tickets["resolved_at"].isna(), "rating"] = pd.NA
    step("support")

    # ---- lifecycle: churn is an event only where the business sees it (a cancelled
    # contract); elsewhere customers just stop buying and the date stays hidden
    ev = lifecycle.make_lifecycle(
        first_day,
        loyal_day,
        cnt - 1,
        churn_day if cfg["churn_observable"] else np.full(n, np.inf),
        loyalty_after=k_loyal,
        use_delay=tuple(cfg["use_delay_days"]),
        random_state=rng,
    )
    # prospects: aware (and some considering) people who never bought
    channels = list(cfg["acquisition"])
    funnel = np.array([cfg["funnel"][c] for c in channels], dtype=float)
    pr = lifecycle.make_prospects(
        np.bincount(acq_channel, minlength=len(channels)),
        funnel[:, 0],
        funnel[:, 1],
        n_days=cal.n_days,
        random_state=rng,
    )
    n_pr = len(pr["channel"])
    pr_cons = np.isfinite(pr["consider_day"])
    pr_cnt = 1 + pr_cons.astype(np.int64)
    pr_off = group_offsets(pr_cnt)
    pr_row = np.repeat(np.arange(n_pr), pr_cnt)
    pr_stage = np.zeros(len(pr_row), dtype=np.int8)
    pr_stage[pr_off[pr_cons] + 1] = 1
    pr_day = pr["aware_day"][pr_row]
    pr_day[pr_off[pr_cons] + 1] = pr["consider_day"][pr_cons]
    # one gather from customer ids followed by prospect ids (no copy of the customer part)
    people = pa.concat_arrays(
        [
            cid.cast(pa.large_string()),
            pa.array(id_strings("P", np.arange(n_pr), max(6, len(str(n_pr)))).array),
        ]
    )
    lifecycle_events = finalize(
        "lifecycle_events",
        {
            "customer_id": take_strings(people, np.concatenate([ev["cust"], n + pr_row])),
            "stage": take_strings(list(lifecycle.STAGES), np.concatenate([ev["stage"], pr_stage])),
            "date": to_datetime(cal.start, np.concatenate([ev["day"], pr_day])),
            "channel": take_strings(
                channels, np.concatenate([acq_channel[ev["cust"]], pr["channel"][pr_row]])
            ),
        },
    )
    del ev, pr, pr_row, pr_stage, pr_day, people

    # ---- hidden truth
    efv = s.alive_end * purchases.expected_purchases(s.lam, s.p_end, 52.0) * s.mean_spend
    truth = pd.DataFrame(
        {
            "customer_id": cust_ids(np.arange(n)),
            "need_segment": take_strings(list(SEGMENTS), s.segment),
            "purchase_rate": s.lam,
            "dropout_prob": s.p,
            "churn_date": to_datetime(
                cal.start, np.where(np.isfinite(churn_day), churn_day, np.nan)
            ),
            "alive_at_end": s.alive_end,
            "expected_future_value": round_money(efv, s.dec),
            "mean_order_value": round_money(s.mean_spend, 2),
            "satisfaction_latent": np.round(s.y, 4),
            "repeat_purchases": s.n_repeat,
        }
    )
    if s.p_after is not None:
        truth["dropout_prob_after_entry"] = s.p_after
    truth = finalize("truth", truth)

    params = {
        "generator_version": GENERATOR_VERSION,
        "scenario": scenario,
        "description": cfg["description"],
        "seed": int(random_state) if isinstance(random_state, numbers.Integral) else None,
        "n_customers": n,
        "locale": cfg["locale"],
        "currency": cfg["currency"],
        "competition": cfg["competition"],
        "satisfaction_link_rho": COMPETITION[cfg["competition"]],
        "start": cfg["start"],
        "end": cfg["end"],
        "time_unit": "week",
        "seasonality": bool(cfg["seasonality"]),
        "competitor_entry": cfg["competitor_entry"],
        "r": cfg["r"],
        "alpha": cfg["alpha"],
        "a": cfg["a"],
        "b": cfg["b"],
        "p": cfg["p"],
        "q": cfg["q"],
        "gamma": round(float(cfg["gamma"]), 6),
        "mean_order_value": round(cfg["p"] * cfg["gamma"] / (cfg["q"] - 1), 4),
        "money_decimals": s.dec,
        "price_level": s.level,
        "segments": {k: list(v) for k, v in SEGMENTS.items()},
        "segment_weights": list(cfg["segment_weights"]),
        "campaign_uplift": {k: round(v, 6) for k, v in sorted(camp["uplift"].items())},
        "campaign_induced_orders": induced_orders,
        "walk_in_share": cfg["walk_in_share"],
        "return_rate": cfg["return_rate"],
        "survey_rate": cfg["survey_rate"],
        "ticket_rate": cfg["ticket_rate"],
        "member_rate": cfg["member_rate"],
        "consent_rate": cfg["consent_rate"],
        "loyalty_after": k_loyal,
        "churn_observable": bool(cfg["churn_observable"]),
        "n_prospects": int(n_pr),
        "funnel": {
            c: {
                "to_consideration": float(cfg["funnel"][c][0]),
                "to_purchase": float(cfg["funnel"][c][1]),
                "awareness_to_purchase": round(
                    float(cfg["funnel"][c][0]) * float(cfg["funnel"][c][1]), 6
                ),
            }
            for c in channels
        },
        "satisfaction_weights": {
            d: float(cfg["satisfaction_weights"][d]) for d in satisfaction.DIMENSIONS
        },
        "satisfaction_halo": SATISFACTION_HALO,
        "member_spend_effect": 0.0,
        "member_selection": (
            "members join more often the higher their purchase rate (and only while still "
            "buying); membership itself "
            "changes neither purchase rate, dropout nor order value (only campaigns "
            "targeted at members add purchases)"
        ),
        "overrides": {k: v for k, v in sorted(overrides.items())},
        "tables": list(TABLE_ORDER),
    }
    tables = {
        "customers": customers,
        "products": prod,
        "orders": orders,
        "order_lines": order_lines,
        "transactions": transactions,
        "campaigns": campaigns,
        "touches": touches,
        "surveys": surveys,
        "tickets": tickets,
        "lifecycle_events": lifecycle_events,
        "truth": truth,
    }
    step("tables")
    bar.close()
    return World(tables, params)
