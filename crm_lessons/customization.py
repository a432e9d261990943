"""Customization: next-best-offer and mass vs segment vs one-to-one marketing.

Customization (顧客化 / 客製化) moves from one message for everyone (mass
marketing), to one message per segment, to one message per customer
(one-to-one). This module provides the pieces and a measured comparison.

Affinity
    :func:`category_shares` counts what each customer bought, per product
    category. :func:`segment_affinity` turns that into a segment x category
    table: the **lift** is the segment's share of purchases in a category
    divided by the share of all customers (1 = average, 2 = twice as likely).

Next-best-offer
    :func:`next_best_offer` gives each customer the category with the highest
    lift for their segment among those they have not bought yet (a cross-sell:
    "customers like you buy pastry; you never have"). A customer who already
    bought every category gets the segment's top category.

The simulation (:func:`simulate_marketing`)
    On a generated course world the truth is known, so three strategies can be
    scored on what really would happen, not on what the marketer estimates:

    * **mass**: every customer who allows marketing gets the best-selling
      category's offer;
    * **segment**: customers are grouped by need cluster (k-means on the need
      scores) and by whether they are probably still active (BG/NBD
      P(alive) >= 0.5, fitted on the weekly :func:`~crm_lessons.rfm.btyd_summary`);
      each group gets its top category, and only groups whose *estimated*
      profit per message is positive are contacted;
    * **one-to-one**: each customer gets the category with the highest
      estimated response for them (their own purchase shares, shrunk
      towards their need cluster's, times their own P(alive)), and only
      customers with a positive estimated profit are contacted.

    The **true response** of customer *i* to an offer of category *c* is

    ``p_ic = min(1, base_rate * K * s_ic * alive_i)``

    where ``K`` is the number of categories, ``alive_i`` is the hidden
    ``truth.alive_at_end`` (a customer who has left never responds) and
    ``s_ic`` is the customer's true preference for the category: the
    need-matching part of the world's own product-choice rule (the softmax of
    ``need_weight * needs_i . appeal_j`` over the products ``j``, summed over
    the products of category ``c``; see
    ``generators.providers.purchases.build_order_lines``). An offer that fits
    an average customer's taste (``s = 1/K``) converts ``base_rate`` of the
    live customers. A responder spends their true mean order value
    (``truth.mean_order_value``) and the business keeps the category's gross
    margin; each message costs ``cost_per_contact``.

    The strategies only see what a business sees (transactions, need
    scores from the profile, consent); the truth is used to score them. The
    estimate they use has the same form with observed quantities: estimated
    shares instead of ``s_ic`` and estimated activity instead of ``alive_i``.

Examples
--------
>>> import pandas as pd
>>> shares = pd.DataFrame({"coffee": [0.8, 0.2], "pastry": [0.2, 0.8]}, index=["s1", "s2"])
>>> shares.div(shares.mean())
    coffee  pastry
s1     1.6     0.4
s2     0.4     1.6
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from crm_lessons import schema

__all__ = [
    "category_shares",
    "next_best_offer",
    "segment_affinity",
    "simulate_marketing",
    "true_category_preference",
]


def _purchases(
    transactions: pd.DataFrame,
    products: pd.DataFrame,
    *,
    customer_id: str,
    product_id: str,
    category: str,
) -> pd.DataFrame:
    for col in (customer_id, product_id):
        if col not in transactions.columns:
            raise ValueError(f"{col!r} is not a column of transactions")
    if category not in products.columns or product_id not in products.columns:
        raise ValueError(f"products needs columns {product_id!r} and {category!r}")
    tx = transactions[transactions[customer_id].notna()]
    if schema.AMOUNT in tx.columns:
        tx = tx[tx[schema.AMOUNT] >= 0]
    if schema.IS_RETURN in tx.columns:
        tx = tx[~tx[schema.IS_RETURN].fillna(False).astype(bool)]
    cat = products.set_index(product_id)[category]
    out = pd.DataFrame(
        {"customer_id": tx[customer_id].to_numpy(), "category": tx[product_id].map(cat).to_numpy()}
    )
    unknown = out["category"].isna().sum()
    if unknown:
        raise ValueError(f"{unknown} transaction lines have a product_id not found in products")
    return out


def category_shares(
    transactions: pd.DataFrame,
    products: pd.DataFrame,
    *,
    customer_id: str = schema.CUSTOMER_ID,
    product_id: str = schema.PRODUCT_ID,
    category: str = "category",
    counts: bool = False,
) -> pd.DataFrame:
    """Share of each customer's purchase lines in each product category.

    Walk-in lines (no customer id) and returns are left out: they say nothing
    about a known customer's taste.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Transaction lines with a product id.
    products : pandas.DataFrame
        The product table with a category column.
    customer_id, product_id, category : str
        Column names.
    counts : bool, default False
        Return line counts instead of shares.

    Returns
    -------
    pandas.DataFrame
        Index customer, one column per category (all categories of
        ``products``, sorted); rows sum to 1 (or to the line count).

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["A", "A", "A", "B"], "product_id": ["p1", "p1", "p2", "p2"]})
    >>> products = pd.DataFrame({"product_id": ["p1", "p2"], "category": ["coffee", "pastry"]})
    >>> category_shares(tx, products).round(2)
    category     coffee  pastry
    customer_id
    A              0.67    0.33
    B              0.00    1.00
    """
    p = _purchases(
        transactions, products, customer_id=customer_id, product_id=product_id, category=category
    )
    cats = sorted(products[category].dropna().unique())
    tab = pd.crosstab(p["customer_id"], p["category"]).reindex(columns=cats, fill_value=0)
    tab.index.name = customer_id
    tab.columns.name = "category"
    if counts:
        return tab
    return tab.div(tab.sum(axis=1), axis=0)


def segment_affinity(shares: pd.DataFrame, segments: pd.Series) -> pd.DataFrame:
    """Lift of each category in each segment: segment share / overall share.

    Parameters
    ----------
    shares : pandas.DataFrame
        Customer x category purchase counts or shares (:func:`category_shares`).
        Counts weight heavy buyers more, shares weight every customer equally.
    segments : pandas.Series
        Segment of each customer (index = customer).

    Returns
    -------
    pandas.DataFrame
        Segment x category lift (1 = as likely as the average customer).

    Examples
    --------
    >>> counts = pd.DataFrame({"coffee": [4, 0, 1], "pastry": [0, 4, 3]}, index=["A", "B", "C"])
    >>> segment_affinity(counts, pd.Series(["s1", "s2", "s2"], index=["A", "B", "C"])).round(2)
    category  coffee  pastry
    segment
    s1           2.4     0.0
    s2           0.3     1.5
    """
    if not isinstance(segments, pd.Series):
        raise TypeError(f"segments must be a pandas Series, got {type(segments).__name__}")
    seg = segments.reindex(shares.index)
    if seg.isna().any():
        raise ValueError(
            f"{int(seg.isna().sum())} customers of shares have no segment; "
            "give segments the same index as shares"
        )
    seg_tot = shares.groupby(seg.to_numpy(), observed=True).sum()
    seg_share = seg_tot.div(seg_tot.sum(axis=1), axis=0)
    overall = shares.sum() / shares.to_numpy().sum()
    out = seg_share.div(overall.replace(0, np.nan), axis=1).fillna(0.0)
    out.index.name = "segment"
    out.columns.name = "category"
    return out


def next_best_offer(
    segments: pd.Series,
    affinity: pd.DataFrame,
    *,
    owned: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Pick each customer's next-best-offer from segment x category affinity.

    The offer is the category with the highest lift in the customer's segment
    among the categories the customer has not bought (``owned`` false). When
    the customer has bought every category, the segment's top category.

    Parameters
    ----------
    segments : pandas.Series
        Segment per customer.
    affinity : pandas.DataFrame
        Segment x category lift from :func:`segment_affinity`.
    owned : pandas.DataFrame, optional
        Customer x category, truthy where the customer already bought the
        category (e.g. ``category_shares(...) > 0``). Customers missing from
        it own nothing.

    Returns
    -------
    pandas.DataFrame
        Index customer; columns ``segment``, ``offer`` (category), ``lift``
        and ``cross_sell`` (True when the offer is a category new to them).

    Examples
    --------
    >>> aff = pd.DataFrame({"coffee": [2.0, 0.5], "pastry": [1.2, 1.5]}, index=["s1", "s2"])
    >>> owned = pd.DataFrame({"coffee": [True, False], "pastry": [False, False]}, index=["A", "B"])
    >>> next_best_offer(pd.Series({"A": "s1", "B": "s1", "C": "s2"}), aff, owned=owned)
      segment   offer  lift  cross_sell
    A      s1  pastry   1.2        True
    B      s1  coffee   2.0        True
    C      s2  pastry   1.5        True
    """
    if not isinstance(segments, pd.Series):
        raise TypeError(f"segments must be a pandas Series, got {type(segments).__name__}")
    missing = set(segments.dropna().unique()) - set(affinity.index)
    if missing:
        raise ValueError(f"segments {sorted(map(str, missing))} are not rows of affinity")
    cats = list(affinity.columns)
    lift = affinity.reindex(segments.to_numpy()).to_numpy(dtype="float64")
    if owned is not None:
        own = owned.reindex(index=segments.index, columns=cats).fillna(False).to_numpy(dtype=bool)
    else:
        own = np.zeros_like(lift, dtype=bool)
    masked = np.where(own, -np.inf, lift)
    all_owned = own.all(axis=1)
    pick = np.where(all_owned, lift.argmax(axis=1), masked.argmax(axis=1))
    rows = np.arange(len(pick))
    return pd.DataFrame(
        {
            "segment": segments.to_numpy(),
            "offer": np.asarray(cats, dtype=object)[pick],
            "lift": lift[rows, pick],
            "cross_sell": ~own[rows, pick],
        },
        index=segments.index,
    )


# --------------------------------------------------------------------------- simulation


def _need_weight() -> float:
    from generators.providers.purchases import build_order_lines

    return float(inspect.signature(build_order_lines).parameters["need_weight"].default)


def true_category_preference(world: Any) -> pd.DataFrame:
    """The hidden truth: each customer's preference share for each category.

    Softmax over products of ``need_weight * needs . appeal`` (the
    need-matching part of the generator's product choice), summed per
    category. Uses the generator's product appeal table, so it needs the
    ``generators`` package.

    Parameters
    ----------
    world : crm_lessons.datasets.World
        A generated course world.

    Returns
    -------
    pandas.DataFrame
        Customer x category, rows summing to 1.
    """
    from generators.providers.needs import NEED_COLUMNS
    from generators.providers.products import appeal_matrix
    from generators.scenarios import SCENARIOS

    scenario = world.params.get("scenario")
    if scenario not in SCENARIOS:
        raise ValueError(f"world.params['scenario']={scenario!r} is not a generated scenario")
    products = world.products
    appeal = appeal_matrix(SCENARIOS[scenario]["products"], products)
    cust = world.customers.set_index(schema.CUSTOMER_ID)
    needs = cust[list(NEED_COLUMNS)].to_numpy(dtype="float64")
    util = _need_weight() * needs @ appeal.T
    util -= util.max(axis=1, keepdims=True)
    w = np.exp(util)
    w /= w.sum(axis=1, keepdims=True)
    per_product = pd.DataFrame(w, index=cust.index, columns=products["category"].to_numpy())
    out = per_product.T.groupby(level=0).sum().T
    out.columns.name = "category"
    return out[sorted(out.columns)]


def simulate_marketing(
    world: Any,
    *,
    base_rate: float = 0.05,
    cost_per_contact: float | Sequence[float] | None = None,
    unsubscribe_rate: float = 0.05,
    prior_weight: float = 5.0,
    n_clusters: int = 4,
    random_state: Any = None,
) -> pd.DataFrame:
    """Score mass, segment and one-to-one marketing on a generated world.

    See the module docstring for the three strategies and for how the true
    response is defined from the world's hidden truth.

    Parameters
    ----------
    world : crm_lessons.datasets.World
        A generated course world (needs ``customers``, ``products``,
        ``transactions``, ``truth`` and ``params["scenario"]``).
    base_rate : float, default 0.05
        True response of a live customer to an offer of average fit.
    cost_per_contact : float or sequence of float, optional
        Cost of one message; default the median non-zero ``cost_per_touch``
        of the world's campaigns. A sequence scores every strategy at each
        cost (the estimates are computed once).
    unsubscribe_rate : float, default 0.05
        Chance that a message with an offer the customer does not care for at
        all (true preference 0) makes them unsubscribe; it falls linearly to 0
        for an offer of average fit (``s = 1/K``) and stays 0 above.
    prior_weight : float, default 5.0
        One-to-one shares: a customer's own purchases count against this many
        pseudo-purchases at their need cluster's shares.
    n_clusters : int, default 4
        Number of need clusters.
    random_state : int, numpy.random.Generator or None
        Seeds the clustering and the simulated responses.

    Returns
    -------
    pandas.DataFrame
        Index strategy (``mass``, ``segment``, ``one_to_one``), or
        (``cost_per_contact``, strategy) when several costs are given; columns
        ``contacted``, ``expected_responses``, ``response_rate``,
        ``expected_revenue``, ``expected_margin``, ``cost``,
        ``expected_profit``, ``expected_unsubscribes`` (from the true
        probabilities) and
        ``simulated_responses``, ``simulated_profit`` (one random draw of
        who responds).
    """
    from crm_lessons.clv import fit_bgnbd, p_alive
    from crm_lessons.rfm import ExcludedRowsWarning, btyd_summary
    from crm_lessons.segmentation import need_pipeline

    if not 0 < base_rate < 1:
        raise ValueError(f"base_rate={base_rate!r} must be between 0 and 1")
    rng = np.random.default_rng(random_state)
    customers = world.customers.set_index(schema.CUSTOMER_ID)
    truth = world.truth.set_index(schema.CUSTOMER_ID).reindex(customers.index)
    products = world.products
    if cost_per_contact is None:
        costs = world.campaigns["cost_per_touch"]
        cost_per_contact = float(costs[costs > 0].median()) if (costs > 0).any() else 0.0
    costs_list = [float(c) for c in np.atleast_1d(cost_per_contact)]
    if any(c < 0 for c in costs_list):
        raise ValueError(f"cost_per_contact={cost_per_contact!r} must not be negative")

    # --- what the business sees
    counts = category_shares(world.transactions, products, counts=True)
    cats = list(counts.columns)
    k = len(cats)
    counts = counts.reindex(customers.index, fill_value=0)
    tx = world.transactions
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExcludedRowsWarning)  # walk-ins, returns: in attrs
        summary = btyd_summary(tx, freq="W").reindex(customers.index)
    bought = summary["frequency"].notna()
    palive = pd.Series(np.nan, index=customers.index)
    if bought.any():
        fitted = summary[bought]
        palive[bought] = p_alive(fit_bgnbd(fitted, penalizer=0.001), fitted)
    palive = palive.fillna(float(palive.median()) if bought.any() else 0.0).to_numpy()
    needs = customers[["need_price", "need_quality", "need_convenience", "need_social"]]
    cluster = need_pipeline(n_clusters, random_state=int(rng.integers(2**31 - 1))).fit_predict(
        needs
    )
    cluster = pd.Series(cluster, index=customers.index)
    spend = tx[tx[schema.AMOUNT] > 0].groupby(schema.CUSTOMER_ID)[schema.AMOUNT].sum()
    orders = summary["frequency"] + 1
    order_value = (spend.reindex(customers.index) / orders).where(bought)
    cat_margin = (
        (1 - products["unit_cost"] / products["unit_price"])
        .groupby(products["category"])
        .mean()[cats]
        .to_numpy()
    )
    overall_share = counts.sum().to_numpy() / max(counts.to_numpy().sum(), 1)
    clus_counts = counts.groupby(cluster.to_numpy()).sum()
    clus_share = clus_counts.div(clus_counts.sum(axis=1).replace(0, 1), axis=0)
    own_n = counts.sum(axis=1).to_numpy()
    prior = clus_share.reindex(cluster.to_numpy()).to_numpy()
    own_share = (counts.to_numpy() + prior_weight * prior) / (own_n + prior_weight)[:, None]

    consent = customers["marketing_consent"].fillna(False).to_numpy(dtype=bool)
    n = len(customers)
    mean_value = float(np.nanmean(order_value)) if bought.any() else 0.0
    own_val = order_value.fillna(mean_value).to_numpy()

    # mass: everyone with consent gets the best-seller
    mass_offer = np.full(n, int(np.argmax(overall_share)))

    # segment: need cluster x (P(alive) >= 0.5); each cell gets its top category and is
    # contacted when the cell's estimated profit per message is positive
    cell = cluster.to_numpy() * 2 + (palive >= 0.5).astype(int)
    seg_offer = np.zeros(n, dtype=int)
    seg_est = np.zeros(n)
    for c in np.unique(cell):
        m = cell == c
        share = counts.to_numpy()[m].sum(axis=0)
        share = share / max(share.sum(), 1)
        best = int(np.argmax(share))
        est_p = min(1.0, base_rate * k * share[best] * palive[m].mean())
        est = est_p * own_val[m].mean() * cat_margin[best]
        seg_offer[m] = best
        seg_est[m] = est

    # one-to-one: own shares (shrunk to the cluster's), own P(alive), own order value
    est_p = np.minimum(1.0, base_rate * k * own_share * palive[:, None])
    est_profit = est_p * own_val[:, None] * cat_margin[None, :]
    one_offer = est_profit.argmax(axis=1)
    one_est = est_profit.max(axis=1)

    # --- the truth
    pref = true_category_preference(world).reindex(customers.index)[cats].to_numpy()
    alive = truth["alive_at_end"].fillna(False).to_numpy(dtype=bool)
    true_value = truth["mean_order_value"].fillna(0.0).to_numpy()
    u = rng.random(n)  # one draw per customer, shared by all strategies (common random numbers)
    idx = np.arange(n)
    rows = []
    for cpc in costs_list:
        for name, offer, contact in (
            ("mass", mass_offer, consent),
            ("segment", seg_offer, consent & (seg_est > cpc)),
            ("one_to_one", one_offer, consent & (one_est > cpc)),
        ):
            fit = pref[idx, offer]
            p = np.minimum(1.0, base_rate * k * fit * alive) * contact
            margin = true_value * cat_margin[offer]
            responded = u < p
            cost = contact.sum() * cpc
            unsub = unsubscribe_rate * np.clip(1 - k * fit, 0, 1) * contact
            rows.append(
                {
                    "cost_per_contact": cpc,
                    "strategy": name,
                    "contacted": int(contact.sum()),
                    "expected_responses": float(p.sum()),
                    "response_rate": float(p.sum() / max(contact.sum(), 1)),
                    "expected_revenue": float((p * true_value).sum()),
                    "expected_margin": float((p * margin).sum()),
                    "cost": float(cost),
                    "expected_profit": float((p * margin).sum() - cost),
                    "expected_unsubscribes": float(unsub.sum()),
                    "simulated_responses": int(responded.sum()),
                    "simulated_profit": float(margin[responded].sum() - cost),
                }
            )
    if np.ndim(cost_per_contact) == 0:
        out = pd.DataFrame(rows).drop(columns="cost_per_contact").set_index("strategy")
    else:
        out = pd.DataFrame(rows).set_index(["cost_per_contact", "strategy"])
    out.attrs["cost_per_contact"] = cost_per_contact
    out.attrs["categories"] = cats
    return out
