"""Marketing automation: rules as data, contact policies, effects against the known truth."""

import numpy as np
import pandas as pd
import pytest

from crm_lessons import automation as au
from crm_lessons.datasets import load_world
from generators.automation import TRUE_UPLIFT, simulate_automation
from generators.world import make_world


@pytest.fixture(scope="module")
def coffee():
    return load_world("coffee_shop")


def test_rules_are_data_and_bad_rules_are_named():
    t = au.rules_table()
    assert list(t.index) == ["welcome", "birthday", "win_back", "post_ticket",
                             "detractor_callback", "holiday_offer"]  # fmt: skip
    assert set(t["kind"]) == {"marketing", "service"}
    bad = au.Rule("x", "full_moon", "sms", "marketing", 0)
    with pytest.raises(ValueError, match="trigger='full_moon'"):
        au.trigger_events({}, [bad], start="2025-01-01", end="2025-02-01")


def test_policies_on_a_hand_example():
    ev = pd.DataFrame(
        {
            "rule": ["win_back", "holiday_offer", "birthday", "post_ticket", "win_back"],
            "customer_id": ["A", "A", "A", "B", "C"],
            "trigger_at": pd.to_datetime(["2025-03-01"] * 5),
            "due_at": pd.to_datetime(
                [
                    "2025-03-02 08:00",
                    "2025-03-03 12:00",
                    "2025-03-04 23:30",
                    "2025-03-02 22:00",
                    "2025-03-02 10:00",
                ]
            ),  # fmt: skip
        }
    )
    cu = pd.DataFrame({"customer_id": ["A", "B", "C"], "marketing_consent": [True, False, True]})
    opt = pd.Series({"C": pd.Timestamp("2025-03-01")})
    out = au.run_rules(ev, cu, cap=2, cap_days=7, opt_out_at=opt, random_state=0)
    # quiet hours: 08:00 waits until 09:00, 23:30 until 09:00 next day
    assert out["send_at"].dt.strftime("%m-%d %H:%M").tolist() == [
        "03-02 09:00", "03-03 12:00", "03-05 09:00", "03-03 09:00", "03-02 10:00"]  # fmt: skip
    status = out["status"].tolist()
    assert status[2] == "capped"  # third marketing message to A within 7 days
    assert status[3] in ("sent", "held_out")  # service message: no consent needed
    assert status[4] == "opted_out"


def test_holdout_share_and_same_seed_same_log(coffee):
    a = simulate_automation(coffee, random_state=3)
    b = simulate_automation(coffee, random_state=3)
    pd.testing.assert_frame_equal(a["sends"], b["sends"])
    s = a["sends"]
    m = s[s["status"].isin(["sent", "held_out"])]
    share = (m["group"] == "control").groupby(m["rule"]).mean()
    assert share.between(0.13, 0.27).all()
    # control events are never messaged, so they never unsubscribe or complain
    assert not s.loc[s["group"] == "control", ["unsubscribed", "complained"]].any().any()
    # nobody without consent gets a marketing message
    cons = coffee.customers.set_index("customer_id")["marketing_consent"]
    mk = s[
        s["rule"].isin(["welcome", "birthday", "win_back", "holiday_offer"])
        & (s["status"] == "sent")
    ]
    assert cons.reindex(mk["customer_id"]).all()
    assert (mk["send_at"].dt.hour >= 9).all() and (mk["send_at"].dt.hour < 21).all()


def test_world_is_untouched(coffee):
    before = pd.util.hash_pandas_object(coffee.orders, index=False).sum()
    simulate_automation(coffee, random_state=1)
    assert pd.util.hash_pandas_object(coffee.orders, index=False).sum() == before


def test_intervals_cover_the_true_effects(coffee):
    covered = total = 0
    for seed in range(6):
        sim = simulate_automation(coffee, random_state=seed)
        eff = au.rule_effects(sim["sends"])
        truth = sim["automation_truth"].set_index("rule")
        for metric, col in (("conversion rate", "true_conversion_effect"),
                            ("revenue per customer", "true_revenue_effect")):  # fmt: skip
            e = eff.xs(metric, level="metric")
            t = truth.loc[e.index, col]
            covered += int(((e["ci_low"] <= t) & (t <= e["ci_high"])).sum())
            total += len(e)
    # 95 % intervals: about 68 of 72 should cover; 62 is three standard deviations below
    assert covered >= 62, f"{covered} of {total} intervals cover the truth"


def test_truth_follows_the_uplift_table(coffee):
    sim = simulate_automation(coffee, random_state=0)
    t = sim["automation_truth"].set_index("rule")
    s = sim["sends"]
    for rule, up in TRUE_UPLIFT.items():
        m = s[(s["rule"] == rule) & s["status"].isin(["sent", "held_out"])]
        assert t.loc[rule, "true_conversion_effect"] == pytest.approx(
            up * (1 - m["baseline_converted"].mean())
        )
    # the measured added conversions of the treated equal the extra purchases drawn
    tr = s[s["status"] == "sent"]
    extra = tr["converted"] & ~tr["baseline_converted"]
    assert extra.sum() > 0
    assert np.all(tr.loc[extra, "revenue"] > tr.loc[extra, "baseline_revenue"])


def test_costs_per_segment(coffee):
    sim = simulate_automation(coffee, random_state=0)
    costs = au.rule_costs(sim["sends"])
    assert set(costs.index.get_level_values("segment")) == {"deal_seeker", "other"}
    assert (costs.loc["detractor_callback", "extra_unsubscribes_per_1000"] == 0).all()
    wb = costs.loc["win_back"]
    assert wb.loc["other", "unsubscribe_rate"] > wb.loc["deal_seeker", "unsubscribe_rate"]


def test_small_generated_world_runs():
    w = make_world("online_store", 200, random_state=4, progress=False)
    sim = simulate_automation(w, random_state=0)
    assert len(sim["sends"]) > 0
