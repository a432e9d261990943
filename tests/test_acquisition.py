"""Tests for crm_lessons.acquisition: hand-computed CAC, ROI, payback, funnel; the simulation."""

import numpy as np
import pandas as pd
import pytest

from crm_lessons import acquisition as A
from crm_lessons.datasets import list_datasets, load_world


@pytest.fixture
def shop():
    customers = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d", "e"],
            "acquisition_channel": ["ads", "ads", "ads", "friends", "friends"],
            "acquisition_cost": [40.0, 50.0, 60.0, 0.0, 10.0],
            "signup_date": pd.to_datetime(
                ["2024-01-05", "2024-01-20", "2024-02-03", "2024-01-10", "2024-03-01"]
            ),
        }
    )
    tx = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "c", "d", "d", "e", None],
            "date": pd.to_datetime(
                ["2024-01-05", "2024-03-10", "2024-01-20", "2024-02-03", "2024-01-10",
                 "2024-02-10", "2024-03-01", "2024-03-02"]
            ),
            "amount": [100.0, 100.0, 40.0, 60.0, 20.0, 20.0, 30.0, 999.0],
        }
    )  # fmt: skip
    return customers, tx


def test_cac_by_hand(shop):
    customers, _ = shop
    t = A.cac_by_channel(customers)
    assert t.loc["ads", "customers"] == 3
    assert t.loc["ads", "total_cost"] == 150.0
    assert t.loc["ads", "cac"] == 50.0
    assert t.loc["friends", "cac"] == 5.0
    with pytest.raises(ValueError, match="non-negative"):
        A.cac_by_channel(customers.assign(acquisition_cost=-1.0))


def test_acquisition_rate_by_hand(shop):
    customers, _ = shop
    t = A.acquisition_rate(customers)
    # Jan: a, b, d (3 new, base 0) ; Feb: c (base 3) ; Mar: e (base 4)
    assert t["new_customers"].tolist() == [3, 1, 1]
    assert t["base_at_start"].tolist() == [0, 3, 4]
    assert np.isnan(t["acquisition_rate"].iloc[0])
    assert t["acquisition_rate"].tolist()[1:] == pytest.approx([1 / 3, 1 / 4])


def test_value_curves_and_payback_by_hand(shop):
    customers, tx = shop
    curves = A.value_curves(customers, tx, gross_margin=0.5, max_periods=2)
    ads = curves["ads"]
    # ads, margin 50 %: a: month0 50, month2 +50 ; b: month0 20 ; c: month0 30
    # month 0: (50 + 20 + 30) / 3 ; month 1: same (a, b observed >= 1 month; c too, data end Mar)
    assert ads.loc[0] == pytest.approx(100 / 3)
    assert ads.loc[1] == pytest.approx(100 / 3)
    # month 2: only a and b are observed for 2 months after their month: (100 + 20) / 2
    assert ads.loc[2] == pytest.approx(60.0)
    assert curves.attrs["observed_customers"]["ads"].tolist() == [3, 3, 2]
    econ = A.channel_economics(customers, tx, gross_margin=0.5, horizon_periods=2, max_periods=2)
    assert econ.loc["ads", "value_per_customer"] == pytest.approx(60.0)
    assert econ.loc["ads", "roi"] == pytest.approx((60 - 50) / 50)
    assert econ.loc["ads", "payback_periods"] == 2  # 33.3 < 50 until month 2 (60)
    # friends: d 10 + 10 (month 1), e 15 ; CAC 5 -> paid back in month 0
    assert econ.loc["friends", "payback_periods"] == 0


def test_payback_missing_when_never_reached(shop):
    customers, tx = shop
    dear = customers.assign(acquisition_cost=1000.0)
    econ = A.channel_economics(dear, tx, horizon_periods=1, max_periods=2)
    assert econ["payback_periods"].isna().all()
    assert (econ["roi"] < 0).all()


def test_funnel_by_hand():
    ev = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d", "a", "b", "c", "a", "b", "a", "a"],
            "stage": ["awareness"] * 4 + ["consideration"] * 3 + ["purchase"] * 2
            + ["loyalty", "loyalty"],
        }
    )  # fmt: skip
    f = A.funnel_conversion(ev, stages=["awareness", "consideration", "purchase", "loyalty"])
    assert f["customers"].tolist() == [4, 3, 2, 1]  # a's two loyalty rows count once
    assert f["step_conversion"].tolist()[1:] == pytest.approx([3 / 4, 2 / 3, 1 / 2])
    assert f["overall_conversion"].tolist() == pytest.approx([1, 0.75, 0.5, 0.25])
    by = pd.Series({"a": "x", "b": "x", "c": "y", "d": "y"}, name="channel")
    g = A.funnel_conversion(ev, stages=["awareness", "purchase"], by=by)
    assert g.loc[("x", "purchase"), "overall_conversion"] == 1.0
    assert g.loc[("y", "purchase"), "customers"] == 0
    with pytest.raises(ValueError, match="none of stages"):
        A.funnel_conversion(ev, stages=["lead"])


def test_simulation_is_seeded_and_follows_its_rules():
    kw = dict(budget_per_period=3000.0, periods=24, cac=30.0, start_customers=500)
    a = A.simulate_twin_engines(acquisition_share=0.5, random_state=42, **kw)
    b = A.simulate_twin_engines(acquisition_share=0.5, random_state=42, **kw)
    pd.testing.assert_frame_equal(a, b)
    # book-keeping
    assert (a["customers_end"] == a["kept"] + a["new"]).all()
    assert (a["customers_start"].iloc[1:].to_numpy() == a["customers_end"].iloc[:-1]).all()
    assert a["profit"].tolist() == pytest.approx((a["customers_end"] * 20.0 - 3000.0).tolist())
    # all to acquisition: retention stays at its base; no acquisition: nobody new
    acq = A.simulate_twin_engines(acquisition_share=1.0, random_state=1, **kw)
    assert (acq["retention_rate"] == 0.8).all()
    ret = A.simulate_twin_engines(acquisition_share=0.0, random_state=1, **kw)
    assert (ret["new"] == 0).all()
    # the retention curve: spending half_effect_spend per customer closes half the gap
    one = A.simulate_twin_engines(
        budget_per_period=1000.0, acquisition_share=0.0, periods=1, start_customers=500,
        half_effect_spend=2.0, random_state=0,
    )  # fmt: skip
    assert one["retention_rate"].iloc[0] == pytest.approx(0.95 - 0.15 / 2)


def test_simulation_expected_steady_state():
    # all acquisition: customers -> new / (1 - r) = (5000/50) / 0.2 = 500
    sim = A.simulate_twin_engines(
        budget_per_period=5000.0, acquisition_share=1.0, periods=120, random_state=3
    )
    assert sim["customers_end"].iloc[60:].mean() == pytest.approx(500, rel=0.05)


def test_twin_engines_need_both():
    t = A.compare_budget_splits(
        [0.0, 0.6, 1.0], budget_per_period=5000, n_runs=5, periods=36, random_state=0
    )
    best = t["cumulative_profit"].idxmax()
    assert best == 0.6
    assert t.loc[1.0, "total_new"] > t.loc[0.6, "total_new"]  # more acquisition, more new ...
    assert t.loc[1.0, "total_lost"] > t.loc[0.6, "total_lost"]  # ... and more lost


def test_simulation_bad_input():
    with pytest.raises(ValueError, match="acquisition_share"):
        A.simulate_twin_engines(budget_per_period=1, acquisition_share=1.5)
    with pytest.raises(ValueError, match="base_retention"):
        A.simulate_twin_engines(budget_per_period=1, acquisition_share=0.5, base_retention=0.99)


@pytest.mark.skipif("online_store" not in list_datasets(), reason="course data not built")
def test_engine_params_from_online_store_match_its_data():
    w = load_world("online_store")
    p = A.engine_params(w.customers, w.transactions, gross_margin=0.5)
    paid = w.customers.loc[w.customers["acquisition_cost"] > 0, "acquisition_cost"]
    assert p["cac"] == pytest.approx(paid.mean())
    assert 0 < p["base_retention"] < 1
    # one step of the simulation's rule, customers_t = r * customers_(t-1) + new_t,
    # reproduces the active base of the data month by month
    from crm_lessons.retention import period_retention

    pr = period_retention(w.transactions).iloc[-12:]
    pred = p["base_retention"] * pr["active"].shift(1) + pr["new"]
    err = ((pred - pr["active"]).abs() / pr["active"]).iloc[1:]
    assert err.mean() < 0.1, err.mean()


def test_budget_widget_twin_matches_the_simulation():
    import matplotlib.pyplot as plt

    from crm_lessons.widgets.acquisition import budget_split_simulator, budget_split_view

    table, fig = budget_split_view(0.6, budget_per_period=5000, periods=24, random_state=4)
    sim = A.simulate_twin_engines(
        budget_per_period=5000, acquisition_share=0.6, periods=24, random_state=4
    )
    row = table.loc["your split (60% acquisition)"]
    assert row["final_customers"] == sim["customers_end"].iloc[-1]
    assert row["cumulative_profit"] == sim["cumulative_profit"].iloc[-1]
    assert table.loc["all on retention", "total_new"] == 0
    assert len(fig.axes) == 2
    with pytest.raises(ValueError, match="acquisition_share"):
        budget_split_view(2.0)
    box = budget_split_simulator(periods=6)
    assert len(box.children) == 3
    plt.close("all")


def test_cac_rises_with_spend_when_asked():
    # elasticity 0.5, reference 1000: spending 4000 makes the CAC 50 * 2 = 100 -> 40 new a month
    kw = dict(acquisition_share=1.0, periods=200, cac=50.0, start_customers=0, random_state=2)
    flat = A.simulate_twin_engines(budget_per_period=4000.0, **kw)
    dear = A.simulate_twin_engines(
        budget_per_period=4000.0, cac_elasticity=0.5, reference_spend=1000.0, **kw
    )
    same = A.simulate_twin_engines(
        budget_per_period=1000.0, cac_elasticity=0.5, reference_spend=1000.0, **kw
    )
    assert flat["new"].mean() == pytest.approx(80, rel=0.05)
    assert dear["new"].mean() == pytest.approx(40, rel=0.05)
    assert same["new"].mean() == pytest.approx(20, rel=0.08)  # at the reference: CAC = 50
    with pytest.raises(ValueError, match="reference_spend"):
        A.simulate_twin_engines(budget_per_period=1.0, acquisition_share=1.0, cac_elasticity=0.5)


def test_message_funnel_by_hand():
    t = pd.DataFrame(
        {
            "channel": ["sms", "sms", "sms", "email", "email", "email"],
            "group": ["treatment", "treatment", "control", "treatment", "treatment", "treatment"],
            "opened": [True, False, True, True, True, False],
            "clicked": [True, False, True, False, True, False],
            "converted": [False, False, True, False, True, False],
        }
    )
    f = A.message_funnel(t)
    # control row (not sent) is left out: sms sent 2, opened 1, clicked 1, converted 0
    assert f.loc["sms", "messages"].tolist() == [2, 1, 1, 0]
    assert f.loc[("email", "converted"), "overall_conversion"] == pytest.approx(1 / 3)
    assert f.loc[("email", "clicked"), "step_conversion"] == pytest.approx(1 / 2)
