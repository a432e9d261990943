"""Tests for crm_lessons.segmentation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crm_lessons.datasets import list_datasets, load_world
from crm_lessons.segmentation import (
    RFM_SEGMENTS,
    TIER_LABELS,
    choose_k,
    cluster_stability,
    need_pipeline,
    profile_clusters,
    recovery_ari,
    rfm_scores,
    rfm_segments,
    segment_grid,
    segment_label,
    segment_summary,
    tie_scores,
    value_tiers,
)

NEEDS = ["need_price", "need_quality", "need_convenience", "need_social"]
has_world = pytest.mark.skipif("coffee_shop" not in list_datasets(), reason="no course data")


# --------------------------------------------------------------- scores


def test_tie_scores_by_hand():
    # 10 customers; 6 one-time buyers (60 %) all get 1; next value beats 60 % -> 1 + 3 = 4
    f = [1, 1, 1, 1, 1, 1, 2, 2, 5, 9]
    assert tie_scores(f).tolist() == [1, 1, 1, 1, 1, 1, 4, 4, 5, 5]
    # distinct values: plain quintiles
    assert tie_scores(range(10)).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    # recency in days: fewer is better
    assert tie_scores([3, 30, 300], higher_is_better=False).tolist() == [4, 2, 1]
    # equal values always share a score, whatever their order
    v = np.array([5, 1, 5, 3, 5, 1])
    s = tie_scores(v)
    for x in np.unique(v):
        assert len(set(s[v == x])) == 1


def test_tie_scores_bad_input():
    with pytest.raises(ValueError, match="n_bins=1"):
        tie_scores([1, 2], n_bins=1)
    with pytest.raises(ValueError, match="1 missing"):
        tie_scores([1.0, np.nan])


@pytest.fixture
def rfm5():
    return pd.DataFrame(
        {
            "recency_days": [5, 40, 40, 200, 400],
            "frequency": [9, 1, 1, 2, 1],
            "monetary": [300.0, 20.0, 25.0, 80.0, 10.0],
        },
        index=pd.Index(list("ABCDE"), name="customer_id"),
    )


def test_rfm_scores_by_hand(rfm5):
    s = rfm_scores(rfm5)
    # R: A beats 4/5 -> 5; B, C beat 2/5 (D, E) -> 3; D beats 1/5 -> 2; E -> 1
    assert s["r_score"].tolist() == [5, 3, 3, 2, 1]
    # F: three one-time buyers -> 1; D beats 3/5 -> 4; A beats 4/5 -> 5
    assert s["f_score"].tolist() == [5, 1, 1, 4, 1]
    assert s["m_score"].tolist() == [5, 2, 3, 4, 1]
    assert s["rfm_cell"].tolist() == ["555", "312", "313", "244", "111"]
    assert s["segment"].astype(str).tolist() == [
        "champions",
        "about_to_sleep",
        "about_to_sleep",
        "at_risk",
        "lost",
    ]
    assert s.index.equals(rfm5.index)


def test_rfm_scores_with_cutoffs(rfm5):
    s = rfm_scores(rfm5, cutoffs={"recency_days": [30, 90, 180, 365], "frequency": [2, 3, 5, 8]})
    # recency 5 <= 30 -> 5; 40 -> 4; 200 -> 2; 400 -> 1
    assert s["r_score"].tolist() == [5, 4, 4, 2, 1]
    # frequency 9 >= 8 -> 5; 2 -> 2; 1 -> 1
    assert s["f_score"].tolist() == [5, 1, 1, 2, 1]


def test_rfm_scores_bad_input(rfm5):
    with pytest.raises(ValueError, match="must hold n_bins - 1 = 4"):
        rfm_scores(rfm5, cutoffs={"frequency": [1, 2]})
    with pytest.raises(ValueError, match="strictly increasing"):
        rfm_scores(rfm5, cutoffs={"frequency": [1, 3, 2, 4]})
    with pytest.raises(ValueError, match="cutoffs has keys"):
        rfm_scores(rfm5, cutoffs={"spend": [1, 2, 3, 4]})
    with pytest.raises(ValueError, match="monetary='spend' is not a column"):
        rfm_scores(rfm5, monetary="spend")
    with pytest.raises(TypeError):
        rfm_scores(rfm5.to_numpy())


def test_segment_map_is_a_partition_of_the_grid():
    r, f = np.meshgrid(range(1, 6), range(1, 6))
    seg = rfm_segments(pd.DataFrame({"r_score": r.ravel(), "f_score": f.ravel()}))
    assert seg.notna().all()
    assert set(seg.astype(str)) == set(RFM_SEGMENTS.index)  # every segment reachable
    grid = segment_grid("zh_tw")
    assert grid.loc[5, 5] == "冠軍顧客" and grid.loc[1, 1] == "已流失顧客"
    assert segment_grid("zh_cn").loc[1, 5] == "不能失去的顾客"
    with pytest.raises(ValueError, match="outside 1-5"):
        rfm_segments(pd.DataFrame({"r_score": [6], "f_score": [1]}))


def test_labels_in_three_languages():
    for table in (RFM_SEGMENTS, TIER_LABELS):
        assert table[["en", "zh_tw", "zh_cn"]].notna().all().all()
    assert segment_label("champions", "zh_cn") == "冠军顾客"
    assert segment_label(pd.Series(["lost", "high"]), "zh_tw").tolist() == [
        "已流失顧客",
        "高價值顧客",
    ]
    with pytest.raises(ValueError, match="lang='fr'"):
        segment_label("lost", "fr")
    with pytest.raises(ValueError, match="unknown"):
        segment_label("vip")


def test_segment_summary_by_hand(rfm5):
    s = rfm_scores(rfm5)
    out = segment_summary(s, extra=["recency_days"])
    row = out.loc["about_to_sleep"]
    assert row["customers"] == 2
    assert row["value"] == 45.0
    assert row["share_value"] == pytest.approx(45 / 435)
    assert row["mean_recency_days"] == 40
    assert out.loc["loyal", "customers"] == 0  # empty segments kept
    assert out["customers"].sum() == 5


# --------------------------------------------------------------- value tiers


def test_value_tiers_by_hand():
    v = pd.Series([100, 80, 50, 40, 30, 20, 10, 5, 5, 0], index=list("ABCDEFGHIJ"))
    t = value_tiers(v)
    assert t["tier"].astype(str).tolist() == ["high"] * 2 + ["medium"] * 3 + ["low"] * 5
    assert t.attrs["cuts"] == {"high": 80.0, "medium": 30.0}
    # ties share a tier, so a tier can hold more than its share: three customers tie at
    # the top (0 % above them: high); 30 % are above the 1s, less than 20 % + 30 %: medium
    t2 = value_tiers(pd.Series([9, 9, 9, 1, 1, 1, 1, 1, 1, 1]), high=0.2, medium=0.3)
    assert t2["tier"].astype(str).tolist() == ["high"] * 3 + ["medium"] * 7


def test_value_tiers_bad_input():
    with pytest.raises(ValueError, match="high \\+ medium < 1"):
        value_tiers(pd.Series([1.0, 2.0]), high=0.6, medium=0.5)
    with pytest.raises(TypeError):
        value_tiers([1, 2])
    with pytest.raises(ValueError, match="potential is missing"):
        value_tiers(
            pd.Series([1.0, 2.0], index=["a", "b"]), potential=pd.Series([1.0], index=["a"])
        )


@has_world
def test_high_potential_tier_finds_future_value_on_generated_world():
    from crm_lessons.rfm import rfm_table

    w = load_world("coffee_shop")
    tx = w.transactions
    with pytest.warns(UserWarning):
        rfm = rfm_table(tx, as_of=tx["date"].max())
    truth = w.truth.set_index("customer_id").reindex(rfm.index)
    t = value_tiers(rfm["monetary"], potential=truth["expected_future_value"])
    fut = truth["expected_future_value"].groupby(t["tier"], observed=True).mean()
    # the high-potential customers are worth more in future than medium and low ones
    assert fut["high_potential"] > fut["medium"] > fut["low"]


# --------------------------------------------------------------- need-based


def blobs(seed=0, n=60):
    rng = np.random.default_rng(seed)
    centres = np.array([[0.8, 0.2, 0.5, 0.3], [0.2, 0.85, 0.4, 0.4], [0.4, 0.4, 0.9, 0.2]])
    truth = np.repeat(np.arange(3), n)
    X = pd.DataFrame(centres[truth] + rng.normal(0, 0.05, (3 * n, 4)), columns=NEEDS)
    return X, truth


def test_pipeline_recovers_well_separated_groups():
    X, truth = blobs()
    for method in ("kmeans", "gmm"):
        labels = need_pipeline(3, method=method, random_state=1).fit_predict(X)
        assert recovery_ari(labels, truth) == 1.0
    with pytest.raises(ValueError, match="method='dbscan'"):
        need_pipeline(3, method="dbscan")


def test_choose_k_finds_three_groups():
    X, _ = blobs()
    t = choose_k(X, range(2, 6), random_state=0)
    assert int(t["silhouette"].idxmax()) == 3
    assert t["inertia"].is_monotonic_decreasing
    g = choose_k(X, range(2, 5), method="gmm", random_state=0)
    assert int(g["bic"].idxmin()) == 3
    with pytest.raises(ValueError, match="k_values"):
        choose_k(X, [1, 2])


def test_profile_names_clusters_by_their_strongest_need():
    X, truth = blobs()
    prof = profile_clusters(X, truth, extra=pd.DataFrame({"spend": np.arange(len(X))}))
    assert prof["name"].tolist() == ["Bargain hunters", "Quality seekers", "Convenience seekers"]
    assert prof["customers"].tolist() == [60, 60, 60]
    assert prof.loc[0, "mean_spend"] == pytest.approx(29.5)
    # duplicate names get the second need in brackets
    dup = profile_clusters(X, np.where(truth == 2, 0, truth) + (np.arange(len(X)) % 2) * 10)
    assert dup["name"].is_unique


def test_stability_high_for_clear_groups():
    X, _ = blobs()
    st = cluster_stability(X, 3, n_seeds=3, random_state=0)
    assert len(st) == 3 and st["ari"].min() == 1.0


@has_world
@pytest.mark.slow
def test_need_segments_recovered_on_generated_world():
    w = load_world("coffee_shop")
    X = w.customers.set_index("customer_id")[NEEDS]
    truth = w.truth.set_index("customer_id").loc[X.index, "need_segment"]
    labels = need_pipeline(4, random_state=0).fit_predict(X)
    ari = recovery_ari(labels, truth)
    assert ari > 0.6, ari
    prof = profile_clusters(X, labels)
    # each found cluster is named after the true segment most of its members come from
    words = {
        "price_seekers": "Bargain",
        "quality_seekers": "Quality",
        "convenience_seekers": "Convenience",
        "social_seekers": "Social",
    }
    majority = pd.crosstab(labels, truth.to_numpy()).idxmax(axis=1)
    for c, seg in majority.items():
        assert prof.loc[c, "name"].startswith(words[seg])


# --------------------------------------------------------------- widgets (headless twins)


@pytest.mark.filterwarnings("ignore:Glyph")
def test_rfm_explorer_view_by_hand(rfm5):
    import matplotlib.pyplot as plt

    from crm_lessons.widgets.segmentation import rfm_explorer_view

    table, fig = rfm_explorer_view(
        rfm5, recency_cutoffs=[30, 90, 180, 365], frequency_cutoffs=[2, 3, 5, 8], lang="zh_tw"
    )
    # R: 5, 4, 4, 2, 1; F: 5, 1, 1, 2, 1 -> champions, promising x2, hibernating, lost
    sizes = table.loc[table["customers"] > 0, "customers"].to_dict()
    assert sizes == {"champions": 1, "promising": 2, "hibernating": 1, "lost": 1}
    assert table.loc["promising", "value"] == 45.0
    assert table.loc["champions", "label"] == "冠軍顧客"
    assert len(fig.axes) == 1
    plt.close(fig)


def test_k_chooser_view_marks_k_and_profiles():
    import matplotlib.pyplot as plt

    from crm_lessons.widgets.segmentation import k_chooser_view

    X, truth = blobs()
    scores, profile, fig = k_chooser_view(X, 3, k_values=range(2, 5))
    assert scores.index.tolist() == [2, 3, 4]
    assert len(profile) == 3 and profile["customers"].sum() == len(X)
    assert [ln.get_xdata()[0] for ln in fig.axes[0].lines if ln.get_linestyle() == "--"] == [3]
    plt.close(fig)


def test_widgets_build_without_a_browser(rfm5):
    pytest.importorskip("ipywidgets")
    import matplotlib.pyplot as plt

    from crm_lessons.widgets.segmentation import k_chooser, rfm_explorer

    box = rfm_explorer(rfm5)
    assert len(box.children) == 3
    X, _ = blobs(n=20)
    kbox = k_chooser(X, k_values=range(2, 5))
    assert kbox.children[0].value == 3  # starts at the best silhouette
    plt.close("all")
