import numpy as np
import pandas as pd
import pytest
from scipy import stats

from crm_lessons import effects as ef


def _ab():
    return pd.DataFrame(
        {
            "group": ["treatment"] * 4 + ["control"] * 4,
            "converted": [True, True, False, False, True, False, False, False],
            "revenue": [10.0, 20.0, 0.0, 0.0, 10.0, 0.0, 0.0, 0.0],
            "cost": [2.0] * 4 + [0.0] * 4,
        }
    )


def test_ab_test_conversion_by_hand():
    r = ef.ab_test(_ab()).loc["conversion rate"]
    # p_t = 2/4, p_c = 1/4; se = sqrt(.5*.5/4 + .25*.75/4) = sqrt(0.109375)
    se = np.sqrt(0.109375)
    assert r["difference"] == 0.25
    assert r["ci_low"] == pytest.approx(0.25 - 1.959964 * se, abs=1e-6)
    assert r["ci_high"] == pytest.approx(0.25 + 1.959964 * se, abs=1e-6)
    assert r["relative_lift"] == 1.0
    assert (r["n_treatment"], r["n_control"]) == (4, 4)


def test_ab_test_revenue_by_hand_and_against_scipy_welch():
    r = ef.ab_test(_ab()).loc["revenue per customer"]
    # means 7.5 and 2.5; sample variances 275/3 and 75/3
    se = np.sqrt(275 / 3 / 4 + 25 / 4)
    a, b = 275 / 3 / 4, 25 / 4
    dof = (a + b) ** 2 / (a**2 / 3 + b**2 / 3)
    q = stats.t.ppf(0.975, dof)
    assert r["difference"] == 5.0
    assert r["ci_low"] == pytest.approx(5 - q * se)
    assert r["ci_high"] == pytest.approx(5 + q * se)
    welch = stats.ttest_ind([10, 20, 0, 0], [10, 0, 0, 0], equal_var=False)
    assert r["p_value"] == pytest.approx(welch.pvalue)
    ci = welch.confidence_interval(0.95)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((ci.low, ci.high))


def test_ab_test_by_segment_and_errors():
    df = pd.concat([_ab().assign(seg="x"), _ab().assign(seg="y")])
    r = ef.ab_test(df, by="seg")
    assert r.index.names == ["seg", "metric"]
    assert r.loc[("y", "conversion rate"), "difference"] == 0.25
    with pytest.raises(ValueError, match="control='holdout'"):
        ef.ab_test(_ab(), control="holdout")
    with pytest.raises(ValueError, match="confidence"):
        ef.ab_test(_ab(), confidence=95)
    bad = _ab()
    bad.loc[0, "revenue"] = np.nan
    with pytest.raises(ValueError, match="missing"):
        ef.ab_test(bad)
    with pytest.raises(ValueError, match="lacks column"):
        ef.ab_test(_ab().drop(columns="converted"))


def test_campaign_roi_by_hand():
    r = ef.campaign_roi(_ab(), margin=0.5)
    # cost 8; treated revenue 30 -> naive (15 - 8) / 8
    assert r["cost"] == 8.0
    assert r["naive_roi"] == pytest.approx(7 / 8)
    # incremental revenue = 4 * (7.5 - 2.5) = 20 -> (10 - 8) / 8
    assert r["incremental_revenue"] == 20.0
    assert r["incremental_roi"] == pytest.approx(0.25)
    assert r["incremental_roi_low"] < r["incremental_roi"] < r["incremental_roi_high"]
    with pytest.raises(ValueError, match="margin"):
        ef.campaign_roi(_ab(), margin=1.5)


def _simulated(n=20000, seed=1):
    """A campaign with a known uplift per segment: 0.10 for 'a', 0.0 for 'b'."""
    rng = np.random.default_rng(seed)
    seg = rng.choice(["a", "b"], size=n)
    x = np.where(seg == "a", 1.0, -1.0) + rng.normal(0, 0.3, n)
    treated = rng.random(n) < 0.5
    base = np.where(seg == "a", 0.10, 0.20)
    lift = np.where(seg == "a", 0.10, 0.0)
    conv = rng.random(n) < base + treated * lift
    return pd.DataFrame(
        {
            "seg": seg,
            "x": x,
            "group": np.where(treated, "treatment", "control"),
            "converted": conv,
        }
    )


def test_two_model_uplift_recovers_known_uplift():
    df = _simulated()
    m = ef.TwoModelUplift(random_state=0).fit(
        df[["x"]], df["group"] == "treatment", df["converted"]
    )
    df["uplift"] = m.predict(df[["x"]])
    by = df.groupby("seg")["uplift"].mean()
    assert by["a"] == pytest.approx(0.10, abs=0.03)
    assert by["b"] == pytest.approx(0.0, abs=0.03)
    seg = ef.uplift_by_segment(
        df, "seg", predicted="uplift", truth=pd.Series({"a": 0.10, "b": 0.0})
    )
    assert seg["truth_in_ci"].all()
    assert seg.loc["a", "ci_low"] > 0 > seg.loc["b", "ci_low"]
    with pytest.raises(ValueError, match="not fitted"):
        ef.TwoModelUplift().predict(df[["x"]])
    with pytest.raises(ValueError, match="both treated"):
        ef.TwoModelUplift().fit(df[["x"]], np.ones(len(df), bool), df["converted"])


def test_uplift_curve_by_hand_and_targeting_gain():
    t = pd.DataFrame(
        {
            "s": [4, 3, 2, 1] * 2,
            "group": ["treatment"] * 4 + ["control"] * 4,
            "converted": [1, 1, 0, 0, 0, 0, 0, 0],
        }
    )
    c = ef.uplift_curve(t, "s", bins=2)
    # top half: s in {4, 3}: treated 2/2 convert, controls 0/2 -> uplift 1.0 on 4 customers
    assert c.loc[0.5, "uplift_top"] == 1.0
    assert c.loc[0.5, "incremental_model"] == 4.0
    assert c.loc[0.5, "incremental_random"] == 2.0
    assert c.loc[0.5, "gain_vs_random"] == 1.0
    assert c.loc[1.0, "gain_vs_random"] == 0.0
    # known world: targeting segment a (the only one that reacts) doubles the gain
    df = _simulated()
    df["score"] = (df["seg"] == "a").astype(float)
    c = ef.uplift_curve(df, "score", bins=2)
    assert c.loc[0.5, "gain_vs_random"] == pytest.approx(1.0, abs=0.35)


def test_before_after_by_hand():
    o = pd.DataFrame(
        {
            "date": pd.to_datetime(["2022-11-01", "2022-12-30", "2023-11-01", "2023-12-30"]),
            "amount": [100.0, 120.0, 110.0, 143.0],
        }
    )
    r = ef.before_after(o, change_date="2023-12-01", days=30)
    assert r.loc["around the change", "change"] == pytest.approx(0.30)
    assert r.loc["same dates a year earlier", "change"] == pytest.approx(0.20)
    assert r.loc["adjusted for season", "change"] == pytest.approx(1.3 / 1.2 - 1)
    with pytest.raises(ValueError, match="not inside the data"):
        ef.before_after(o, change_date="2023-12-01", days=60)


def test_member_spend_comparison_by_hand():
    cust = pd.DataFrame(
        {
            "customer_id": ["M", "N", "Q", "Y", "W"],
            "is_member": [True, False, True, True, True],
            "member_since": pd.to_datetime(
                ["2024-03-10", None, "2024-01-03", "2024-03-01", "2024-04-20"]
            ),
            "signup_date": pd.to_datetime(
                ["2023-12-01", "2023-12-01", "2023-12-01", "2024-03-01", "2023-12-01"]
            ),
        }
    )
    o = pd.DataFrame(
        {
            "customer_id": ["M", "M", "N", "N", "Q", "Y"],
            "date": pd.to_datetime(
                [
                    "2024-02-05",
                    "2024-04-05",
                    "2024-02-07",
                    "2024-04-07",
                    "2024-02-01",
                    "2024-04-01",
                ]
            ),
            "amount": [40.0, 60.0, 20.0, 25.0, 99.0, 50.0],
        }
    )
    r = ef.member_spend_comparison(o, cust, months=1)
    # headline: members M, Q, Y, W spend 249 over 3 + 3 + 2 + 3 customer-months (Feb-Apr)
    head = r.loc["headline: all members vs all non-members"]
    assert head["members"] == pytest.approx(249 / 11)
    assert head["non_members"] == 15.0 and head["n_members"] == 4
    assert r.loc["after joining", ["members", "non_members"]].tolist() == [60.0, 25.0]
    assert r.loc["before joining", "ratio"] == 2.0
    assert r.loc["difference-in-differences", "difference"] == 15.0
    assert r.loc["difference-in-differences", "n_members"] == 1
    assert r.attrs["excluded_members"] == {
        "member without member_since": 0,
        "joined too early for a full before window": 1,  # Q: January, before the data
        "joined too late for a full after window": 1,  # W: April, the last month
        "not a customer before the before window": 1,  # Y: signed up when joining
        "no non-member signed up in the same month": 0,
    }
    with pytest.raises(ValueError, match="months=0"):
        ef.member_spend_comparison(o, cust, months=0)
    with pytest.raises(ValueError, match="not in customers"):
        ef.member_spend_comparison(o, cust[cust["customer_id"] != "N"], months=1)


def test_member_did_recovers_known_effect_despite_selection():
    # Heavy spenders are more likely to join; joining adds exactly 10 a month.
    rng = np.random.default_rng(3)
    n, months = 3000, pd.period_range("2023-01", "2024-12", freq="M")
    level = rng.gamma(2.0, 20.0, n)
    join_p = level / level.max()
    member = rng.random(n) < join_p
    join_idx = rng.integers(8, 16, n)
    ci, mj = np.meshgrid(np.arange(n), np.arange(len(months)), indexing="ij")
    mean = level[ci] + 10.0 * (member[ci] & (mj > join_idx[ci]))
    o = pd.DataFrame(
        {
            "customer_id": [f"C{i}" for i in ci.ravel()],
            "date": months.to_timestamp()[mj.ravel()] + pd.Timedelta(days=9),
            "amount": rng.normal(mean.ravel(), 5),
        }
    )
    cust = pd.DataFrame(
        {
            "customer_id": [f"C{i}" for i in range(n)],
            "is_member": member,
            "member_since": [
                months[j].to_timestamp() + pd.Timedelta(days=3) if mb else pd.NaT
                for j, mb in zip(join_idx, member, strict=True)
            ],
            "signup_date": pd.Timestamp("2022-12-01"),
        }
    )
    r = ef.member_spend_comparison(o, cust, months=6)
    naive = r.loc["headline: all members vs all non-members", "difference"]
    did = r.loc["difference-in-differences"]
    assert naive > 20  # selection inflates the naive gap far above the true 10
    assert r.loc["before joining", "ratio"] > 1.3
    assert did["ci_low"] <= 10.0 <= did["ci_high"]
    assert did["difference"] == pytest.approx(10.0, abs=1.0)


def test_required_sample_size_textbook_value():
    # 50 % vs 60 %, alpha 5 % two-sided, power 80 %: 388 per group (normal approximation)
    assert ef.required_sample_size(0.5, 0.1) == 388
    # a quarter of the uplift needs about 16 times the customers
    assert ef.required_sample_size(0.5, 0.025) == pytest.approx(16 * 388, rel=0.03)
    with pytest.raises(ValueError, match="uplift"):
        ef.required_sample_size(0.5, 0.6)
    with pytest.raises(ValueError, match="power"):
        ef.required_sample_size(0.5, 0.1, power=80)


def _randomised(world):
    t = world.touches.merge(world.campaigns[["campaign_id", "randomised"]], on="campaign_id")
    return t[t["randomised"]]


@pytest.mark.parametrize("scenario", ["coffee_shop", "online_store", "fmcg_brand", "b2b_service"])
def test_ab_interval_contains_true_uplift_on_course_data(scenario):
    from crm_lessons.datasets import list_datasets, load_world

    if scenario not in list_datasets():
        pytest.skip(f"data set {scenario} not generated")
    w = load_world(scenario)
    r = ef.ab_test(_randomised(w), by="campaign_id").xs("conversion rate", level="metric")
    assert len(r) >= 1
    for cid, row in r.iterrows():
        truth = w.params["campaign_uplift"][cid]
        assert row["ci_low"] <= truth <= row["ci_high"], (cid, truth, row.to_dict())


@pytest.mark.slow
def test_ab_interval_coverage_over_generated_worlds():
    """Over many generated worlds, about 95 % of the intervals contain the true uplift."""
    from generators import make_world

    hits, errors = [], []
    for seed in range(10):
        for scenario in ("coffee_shop", "online_store", "fmcg_brand"):
            w = make_world(scenario, 2000, random_state=seed)
            r = ef.ab_test(_randomised(w), by="campaign_id").xs("conversion rate", level="metric")
            for cid, row in r.iterrows():
                truth = w.params["campaign_uplift"][cid]
                hits.append(row["ci_low"] <= truth <= row["ci_high"])
                errors.append(row["difference"] - truth)
    assert len(hits) == 30
    assert sum(hits) >= 25  # P(<= 24 of 30 | 95 % coverage) < 0.3 %
    assert abs(np.mean(errors)) < 0.015  # no systematic bias
