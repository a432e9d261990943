"""Tests for crm_lessons.customization."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crm_lessons.customization import (
    category_shares,
    next_best_offer,
    segment_affinity,
    simulate_marketing,
    true_category_preference,
)
from crm_lessons.datasets import list_datasets, load_world

has_world = pytest.mark.skipif("coffee_shop" not in list_datasets(), reason="no course data")


@pytest.fixture
def small():
    products = pd.DataFrame(
        {"product_id": ["p1", "p2", "p3"], "category": ["coffee", "pastry", "beans"]}
    )
    tx = pd.DataFrame(
        {
            "customer_id": pd.array(["A", "A", "A", "B", None, "B"], dtype="string"),
            "product_id": ["p1", "p1", "p2", "p2", "p3", "p3"],
            "amount": [3.0, 3.0, 4.0, 4.0, 9.0, -9.0],
        }
    )
    return tx, products


def test_category_shares_by_hand(small):
    tx, products = small
    counts = category_shares(tx, products, counts=True)
    # walk-in (None) and the return (-9) are left out; beans column kept with zeros
    assert counts.columns.tolist() == ["beans", "coffee", "pastry"]
    assert counts.loc["A"].tolist() == [0, 2, 1]
    assert counts.loc["B"].tolist() == [0, 0, 1]
    shares = category_shares(tx, products)
    assert shares.loc["A", "coffee"] == pytest.approx(2 / 3)


def test_unknown_product_raises(small):
    tx, products = small
    with pytest.raises(ValueError, match="not found in products"):
        category_shares(tx.assign(product_id="zz"), products)


def test_segment_affinity_and_next_best_offer_by_hand():
    counts = pd.DataFrame(
        {"coffee": [4, 0, 1], "pastry": [0, 4, 3], "beans": [0, 0, 4]}, index=["A", "B", "C"]
    )
    seg = pd.Series(["s1", "s2", "s2"], index=counts.index)
    aff = segment_affinity(counts, seg)
    # overall shares: coffee 5/16, pastry 7/16, beans 4/16
    # s1 = all coffee: lift 16/5 = 3.2; s2: coffee 1/12 / (5/16) = 0.2667
    assert aff.loc["s1", "coffee"] == pytest.approx(3.2)
    assert aff.loc["s2", "coffee"] == pytest.approx((1 / 12) / (5 / 16))
    assert aff.loc["s2", "beans"] == pytest.approx((4 / 12) / (4 / 16))
    nbo = next_best_offer(seg, aff, owned=counts > 0)
    # A (s1) owns coffee: best remaining in s1 is a 0-lift tie -> first column order
    assert nbo.loc["B", "offer"] == "beans"  # s2's best not yet owned by B
    assert bool(nbo.loc["B", "cross_sell"])
    # C owns everything: gets s2's top category (pastry, lift 1.52 > beans 1.33)
    assert nbo.loc["C", "offer"] == "pastry" and not nbo.loc["C", "cross_sell"]
    with pytest.raises(ValueError, match="not rows of affinity"):
        next_best_offer(pd.Series(["s9"], index=["Z"]), aff)
    with pytest.raises(ValueError, match="have no segment"):
        segment_affinity(counts, seg.iloc[:2])


@has_world
def test_true_preference_matches_what_customers_buy():
    w = load_world("coffee_shop")
    pref = true_category_preference(w)
    np.testing.assert_allclose(pref.sum(axis=1), 1.0)
    shares = category_shares(w.transactions, w.products, counts=True)
    heavy = shares[shares.sum(axis=1) >= 30]
    obs = heavy.div(heavy.sum(axis=1), axis=0)
    # the true preference (need match only) should rank categories like real purchases do:
    # correlation across customers of the share of each category is clearly positive
    corr = [np.corrcoef(obs[c], pref.loc[obs.index, c])[0, 1] for c in obs.columns]
    assert np.nanmean(corr) > 0.3, corr


@has_world
@pytest.mark.slow
def test_simulation_targeting_raises_response_rate():
    w = load_world("coffee_shop")
    out = simulate_marketing(w, cost_per_contact=10.0, random_state=0)
    assert out.index.tolist() == ["mass", "segment", "one_to_one"]
    # mass contacts every consenting customer
    assert out.loc["mass", "contacted"] == int(w.customers["marketing_consent"].sum())
    # when a message is expensive, targeted strategies have a higher response rate and
    # lose less money than mass marketing (true probabilities, not estimates)
    assert out.loc["one_to_one", "response_rate"] > out.loc["mass", "response_rate"]
    assert out.loc["segment", "response_rate"] > out.loc["mass", "response_rate"]
    assert out.loc["one_to_one", "expected_profit"] > out.loc["mass", "expected_profit"]
    # same seed, same numbers
    again = simulate_marketing(w, cost_per_contact=10.0, random_state=0)
    pd.testing.assert_frame_equal(out, again)
    with pytest.raises(ValueError, match="base_rate=2"):
        simulate_marketing(w, base_rate=2)
