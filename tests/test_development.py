"""Tests for crm_lessons.development: hand-computed tables and a ground-truth recommender check."""

import numpy as np
import pandas as pd
import pytest

from crm_lessons import development as D


def test_cross_sell_affinity_by_hand():
    # 4 orders: {A,B}, {A,B}, {A}, {C}
    lines = pd.DataFrame(
        {"order_id": [1, 1, 2, 2, 3, 4, 4], "category": ["A", "B", "A", "B", "A", "C", "C"]}
    )
    t = D.cross_sell_affinity(lines)
    ab = t.loc[("A", "B")]
    ba = t.loc[("B", "A")]
    assert ab["support"] == 0.5  # 2 of 4 orders hold both
    assert ab["confidence"] == pytest.approx(2 / 3)  # 2 of the 3 A-orders hold B
    assert ab["lift"] == pytest.approx((2 / 3) / (2 / 4))
    assert ba["confidence"] == 1.0
    assert ba["lift"] == pytest.approx(1.0 / (3 / 4))
    assert t.loc[("A", "C"), "lift"] == 0.0  # never together
    assert t.attrs["baskets"] == 4
    # repeats in a basket (order 4 has C twice) count once
    assert t.loc[("C", "A"), "antecedent_share"] == 0.25


def test_cross_sell_filters():
    lines = pd.DataFrame({"order_id": [1, 1, 2, 2, 3], "category": ["A", "B", "A", "B", "C"]})
    assert len(D.cross_sell_affinity(lines)) == 6
    assert len(D.cross_sell_affinity(lines, min_count=1)) == 2
    assert set(D.cross_sell_affinity(lines, min_support=0.5).index) == {("A", "B"), ("B", "A")}
    with pytest.raises(ValueError, match="lacks column"):
        D.cross_sell_affinity(lines, item="product_id")


def test_estimate_wallet_rule_by_hand():
    spend = pd.Series([10.0, 20.0, 30.0, 40.0, 50.0, 100.0, 200.0], index=list("abcdefg"))
    groups = pd.Series(["x"] * 5 + ["y"] * 2, index=spend.index)
    w = D.estimate_wallet(spend, groups=groups, quantile=1.0, min_group_size=2)
    # group x: wallet = max spend in x = 50 ; group y: 200
    assert w.tolist() == [50.0] * 5 + [200.0, 200.0]
    # a group smaller than min_group_size uses the overall quantile (here max = 200)
    w2 = D.estimate_wallet(spend, groups=groups, quantile=1.0, min_group_size=3)
    assert w2.loc["f"] == 200.0 and w2.loc["a"] == 50.0
    # never below own spend
    w3 = D.estimate_wallet(spend, quantile=0.5)
    assert (w3 >= spend).all()
    assert w3.loc["a"] == 40.0  # median of the 7 spends


def test_share_of_wallet_with_given_and_estimated_wallets():
    tx = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "c", None],
            "date": pd.to_datetime(["2024-01-01", "2024-06-01", "2024-02-01", "2023-05-01"] * 1
                                   + ["2024-03-01"]),
            "amount": [30.0, 10.0, 60.0, 99.0, 50.0],
        }
    )  # fmt: skip
    out = D.share_of_wallet(
        tx,
        start="2024-01-01",
        end="2025-01-01",
        quantile=1.0,
        min_group_size=1,
        wallet=pd.Series({"a": 200.0}),
    )
    assert out.index.tolist() == ["a", "b"]  # c bought before the window; walk-in ignored
    assert out.loc["a", "wallet"] == 200.0 and out.loc["a", "wallet_source"] == "given"
    assert out.loc["a", "share_of_wallet"] == 0.2
    assert out.loc["b", "wallet"] == 60.0 and out.loc["b", "share_of_wallet"] == 1.0
    assert out.loc["a", "headroom"] == 160.0


def test_upsell_ladder_by_hand():
    lines = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "b", "c", "d", "d"],
            "date": pd.to_datetime(
                ["2024-01-01", "2024-02-01", "2024-01-01", "2024-02-01", "2024-01-01",
                 "2024-01-01", "2024-03-01"]
            ),
            "category": ["tea"] * 7,
            "price_tier": ["entry", "standard", "standard", "entry", "entry", "premium", "entry"],
        }
    )  # fmt: skip
    t = D.upsell_ladder(lines)
    entry = t.loc[("tea", "entry")]
    # entry starters a, c: a moved up, c never came back
    assert entry["customers"] == 2
    assert entry["bought_again"] == 0.5
    assert entry["moved_up"] == 0.5
    assert entry["moved_up_of_repeaters"] == 1.0
    std = t.loc[("tea", "standard")]
    assert std["customers"] == 1 and std["moved_up"] == 0.0  # b moved down
    assert np.isnan(t.loc[("tea", "premium"), "moved_up"])
    with pytest.raises(ValueError, match="not among tiers"):
        D.upsell_ladder(lines.assign(price_tier="deluxe"))


def test_recommend_by_hand():
    h = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "b", "c", "c", "d"],
            "product_id": ["x", "y", "x", "y", "x", "z", "x"],
        }
    )
    # for d (owns x; x bought by 4): conf(x->y) = 2/4, conf(x->z) = 1/4
    rec = D.recommend(h, k=2, customers=["d"])
    assert rec["item"].tolist() == ["y", "z"]
    assert rec["score"].tolist() == pytest.approx([0.5, 0.25])
    # popularity: x (4) is owned, so y (2) then z (1)
    pop = D.recommend(h, k=2, method="popularity", customers=["d"])
    assert pop["item"].tolist() == ["y", "z"]
    # unknown customers get the bestsellers
    assert D.recommend(h, k=1, customers=["new"])["item"].tolist() == ["x"]
    # nothing already owned is recommended
    allrec = D.recommend(h, k=3)
    owned = set(map(tuple, h[["customer_id", "product_id"]].to_numpy()))
    assert not any((c, i) in owned for c, i in allrec[["customer_id", "item"]].to_numpy())


def _taste_world(n=600, seed=5):
    """Two taste groups with their own product pairs: co-purchase carries real signal."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        group = i % 2
        own = ["p1", "p2", "p3"] if group == 0 else ["p4", "p5", "p6"]
        first = rng.choice(own, size=2, replace=False)
        for p in first:
            rows.append((f"c{i}", p, "2024-01-10"))
        if rng.random() < 0.3:
            rows.append((f"c{i}", "p0", "2024-01-10"))  # a bestseller for everyone
        # later: one new product, from the own group 80 % of the time
        rest = [p for p in own if p not in first]
        later = rest[0] if rng.random() < 0.8 else rng.choice(["p0", "p7"])
        rows.append((f"c{i}", later, "2024-03-01"))
    df = pd.DataFrame(rows, columns=["customer_id", "product_id", "date"])
    df["date"] = pd.to_datetime(df["date"])
    return df


def test_affinity_recommender_beats_popularity_on_taste_world():
    h = _taste_world()
    res = D.holdout_hit_rate(h, cutoff="2024-02-01", k=1)
    # true signal: 80 % of the next purchases are the missing product of the own group
    assert res.loc["affinity", "hit_rate"] > 0.7
    assert res.loc["affinity", "hit_rate"] > 2 * res.loc["popularity", "hit_rate"]
    assert res.loc["popularity", "lift_vs_popularity"] == 1.0


def test_holdout_uses_only_the_past():
    h = _taste_world(n=50)
    a = D.holdout_hit_rate(h, cutoff="2024-02-01", k=2)
    # adding future rows for customers not in the test set changes nothing
    extra = pd.DataFrame(
        {"customer_id": ["zz"], "product_id": ["p9"], "date": pd.to_datetime(["2024-03-02"])}
    )
    b = D.holdout_hit_rate(pd.concat([h, extra]), cutoff="2024-02-01", k=2)
    pd.testing.assert_frame_equal(a, b)
    with pytest.raises(ValueError, match="training"):
        D.holdout_hit_rate(h, cutoff="2023-01-01")


def test_enrich_lines_counts_returns():
    ol = pd.DataFrame({"order_id": ["o1", "o2"], "product_id": ["p1", "p1"], "quantity": [1, -1]})
    od = pd.DataFrame(
        {"order_id": ["o1", "o2"], "customer_id": ["a", "a"],
         "date": pd.to_datetime(["2024-01-01", "2024-01-05"]), "is_return": [False, True]}
    )  # fmt: skip
    pr = pd.DataFrame({"product_id": ["p1"], "category": ["tea"], "price_tier": ["entry"]})
    out = D.enrich_lines(ol, od, pr)
    assert len(out) == 1 and out.attrs["excluded_rows"] == {"return lines": 1}
    assert len(D.enrich_lines(ol, od, pr, keep_returns=True)) == 2


def test_group_popularity_by_hand():
    h = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "c", "c", "d", "e"],
            "product_id": ["tea", "scone", "tea", "latte", "muffin", "latte", "latte"],
        }
    )
    groups = pd.Series({"a": "tea lovers", "b": "tea lovers", "c": "coffee", "d": "coffee",
                        "e": "coffee", "z": "tea lovers"})  # fmt: skip
    # overall bestseller is latte (3); among tea lovers it is tea (2), then scone (1)
    rec = D.recommend(h, k=2, method="group_popularity", groups=groups, customers=["z", "e"])
    assert rec[rec["customer_id"] == "z"]["item"].tolist() == ["tea", "scone"]
    # e (coffee group, owns latte): muffin (1 in the group), then tea beats scone on overall sales
    assert rec[rec["customer_id"] == "e"]["item"].tolist() == ["muffin", "tea"]
    with pytest.raises(ValueError, match="needs groups"):
        D.recommend(h, method="group_popularity")
