"""B2B pipeline: generator truth, stage analytics, forecast and lead scoring."""

import hashlib

import numpy as np
import pandas as pd
import pytest

from crm_lessons import crmdb
from crm_lessons import pipeline as pl
from crm_lessons.datasets import load_world
from generators.pipeline import ADVANCE, make_pipeline
from generators.world import make_world


@pytest.fixture(scope="module")
def big():
    world = make_world("b2b_service", 2000, random_state=11, progress=False)
    return world, make_pipeline(world, random_state=5)


def _digest(world) -> str:
    h = hashlib.sha256()
    for name, df in world.items():
        h.update(name.encode())
        h.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    return h.hexdigest()


def test_same_seed_same_tables_and_world_untouched():
    world = load_world("b2b_service")
    before = _digest(world)
    a = make_pipeline(world, random_state=3)
    b = make_pipeline(world, random_state=3)
    c = make_pipeline(world, random_state=4)
    assert _digest(world) == before
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])
    assert not a["leads"].equals(c["leads"])


def test_tables_fit_the_database_keys():
    world = load_world("b2b_service")
    p = make_pipeline(world, random_state=0)
    con = crmdb.build_database(world, extra_tables=dict(p))
    n = con.execute(
        "SELECT count(*) FROM leads l JOIN tickets t USING (ticket_id) WHERE l.source = 'support_ticket'"
    ).fetchone()[0]
    assert n == int(p["leads"]["source"].eq("support_ticket").sum()) > 0
    back = crmdb.read_table(con, "opportunities")
    pd.testing.assert_frame_equal(back, p["opportunities"])


def test_win_rate_and_stage_conversion_recover_the_truth(big):
    _, p = big
    opps, stages, truth = p["opportunities"], p["opportunity_stages"], p["pipeline_truth"]
    closed = opps[opps["stage"].isin(["won", "lost"])].merge(truth, on="lead_id")
    # the observed win rate of closed deals matches the mean true chance of winning
    assert pl.win_rate(opps) == pytest.approx(closed["p_win"].mean(), abs=0.03)
    conv = pl.stage_conversion(stages)
    q = closed["quality"].to_numpy()
    from scipy import special

    # first stage: every closed deal was there; the true mean advance chance
    p_q = special.expit(special.logit(ADVANCE["qualification"]) + 0.5 * q).mean()
    assert conv.loc["qualification", "conversion"] == pytest.approx(p_q, abs=0.04)
    assert (conv["entered"].diff().dropna() <= 0).all()


def test_lead_scoring_beats_the_source_baseline_and_not_the_truth(big):
    _, p = big
    res = pl.score_leads(p["leads"], split="2025-01-01", truth=p["pipeline_truth"])
    assert res["auc_model"] > res["auc_baseline"] + 0.03
    assert res["auc_model"] <= res["auc_truth"] + 0.02
    assert res["top_decile_rate_model"] > res["base_rate"]
    with pytest.raises(ValueError, match="split="):
        pl.score_leads(p["leads"], split="2030-01-01")


def test_forecast_uses_only_the_past_and_counts_actual_bookings(big):
    _, p = big
    opps, stages = p["opportunities"], p["opportunity_stages"]
    fc = pl.forecast_quarter(opps, stages, quarter_start="2025-04-01")
    won = opps[
        (opps["stage"] == "won") & opps["closed_at"].between("2025-04-01", "2025-06-30 23:59:59")
    ]
    assert fc["actual"] == pytest.approx(won["amount"].sum())
    assert fc["forecast"] == pytest.approx(fc["open_pipeline_forecast"] + fc["new_deals_forecast"])
    assert abs(fc["error_share"]) < 0.35
    # changing what happens after the quarter starts does not change the forecast
    later = stages["entered_at"] >= pd.Timestamp("2025-04-01")
    shuffled = stages.copy()
    shuffled.loc[later, "entered_at"] = shuffled.loc[later, "entered_at"] + pd.Timedelta(days=3)
    fc2 = pl.forecast_quarter(opps, shuffled, quarter_start="2025-04-01")
    assert fc2["open_pipeline_forecast"] == pytest.approx(fc["open_pipeline_forecast"])


def test_velocity_hand_example():
    opps = pd.DataFrame(
        {
            "opportunity_id": ["A", "B", "C"],
            "created_at": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-10"]),
            "amount": [100.0, 50.0, 70.0],
            "stage": ["won", "lost", "proposal"],
            "closed_at": pd.to_datetime(["2024-01-11", "2024-01-05", None]),
        }
    )
    stages = pd.DataFrame(
        {
            "opportunity_id": ["A", "A", "A", "A", "B", "C", "C"],
            "stage": [
                "qualification",
                "proposal",
                "negotiation",
                "won",
                "qualification",
                "qualification",
                "proposal",
            ],  # fmt: skip
            "entered_at": pd.to_datetime(
                [
                    "2024-01-01",
                    "2024-01-03",
                    "2024-01-07",
                    "2024-01-11",
                    "2024-01-01",
                    "2024-01-10",
                    "2024-01-12",
                ]
            ),  # fmt: skip
        }
    )
    v = pl.velocity(opps, stages)
    assert v["cycle_days"] == 10 and v["win_rate"] == 0.5 and v["open_deals"] == 1
    assert v["velocity_per_day"] == pytest.approx(1 * 0.5 * 100 / 10)
    assert v["days_in_stage"]["qualification"] == 2  # A: 2 days (B has no next stage entry)
    assert np.isclose(v["days_in_stage"]["negotiation"], 4)
