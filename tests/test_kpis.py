import numpy as np
import pandas as pd
import pytest

from crm_lessons import kpis


def _orders():
    rows = [
        ("A", "2024-01-10", 10.0, False),
        ("A", "2024-02-05", 20.0, False),
        ("A", "2024-02-20", 30.0, False),
        ("A", "2024-02-21", -10.0, True),  # refund: in sales, not a purchase
        ("B", "2024-01-20", 30.0, False),
        ("C", "2024-02-07", 40.0, False),
        ("D", "2023-12-15", 50.0, False),
        (None, "2024-02-10", 5.0, False),  # walk-in: in sales only
    ]
    df = pd.DataFrame(rows, columns=["customer_id", "date", "amount", "is_return"])
    df["date"] = pd.to_datetime(df["date"])
    return df


def _surveys():
    return pd.DataFrame(
        {
            "date": pd.to_datetime(["2024-02-01", "2024-02-15", "2024-02-29", "2024-01-15"]),
            "overall_satisfaction": [6, 4, 5, 1],
            "nps": [10, 9, 3, 0],
        }
    )


def _tickets():
    return pd.DataFrame({"opened_at": pd.to_datetime(["2024-02-02", "2024-02-28", "2024-03-01"])})


def _touches():
    return pd.DataFrame(
        {
            "campaign_id": ["K1"] * 4 + ["K2"],
            "date": pd.to_datetime(["2024-02-03"] * 4 + ["2024-02-10"]),
            "group": ["treatment", "treatment", "control", "control", "treatment"],
            "cost": [1.0, 1.0, 0.0, 0.0, 1.0],
            "revenue": [30.0, 0.0, 10.0, 0.0, 8.0],
        }
    )


def _card(**kw):
    return kpis.kpi_scorecard(
        _orders(),
        start="2024-02-01",
        end="2024-02-29",
        surveys=_surveys(),
        tickets=_tickets(),
        touches=_touches(),
        churn_days=30,
        **kw,
    )


def test_current_period_by_hand():
    cur = _card()["current"]
    assert cur["satisfaction"] == 5.0
    assert cur["NPS"] == pytest.approx(100 / 3)
    assert cur["active customers"] == 2  # A, C
    assert cur["new customers"] == 1  # C
    assert cur["churned customers"] == 1  # B: active at start, not at end
    assert cur["churn rate"] == 0.5
    assert cur["repeat rate"] == 0.5  # A bought twice
    assert cur["average order value"] == 30.0  # (20 + 30 + 40) / 3
    assert cur["sales"] == 85.0  # 90 - 10 refund + 5 walk-in
    assert cur["sales growth"] == pytest.approx(85 / 40 - 1)
    # retention_clv: m r / (1 + d - r) with m = 45 per active customer, r = 0.5, d = 0
    assert cur["CLV (simple)"] == 45.0
    assert cur["campaign ROI (naive)"] == pytest.approx((38 - 3) / 3)
    assert cur["campaign ROI (incremental)"] == pytest.approx((2 * (15 - 5) - 2) / 2)
    assert cur["complaints"] == 2
    assert cur["complaints per 100 active"] == 100.0


def test_previous_period_and_change_by_hand():
    card = _card()
    prev = card["previous"]
    assert card.attrs["previous"] == ("2024-01-03", "2024-01-31")
    assert prev["active customers"] == 2 and prev["new customers"] == 2
    assert prev["churned customers"] == 1 and prev["churn rate"] == 1.0  # D
    assert prev["average order value"] == 20.0
    assert prev["CLV (simple)"] == 0.0  # churn rate 1: no future periods
    assert prev["sales growth"] == pytest.approx(40 / 50 - 1)
    assert prev["satisfaction"] == 1.0 and prev["NPS"] == -100.0
    assert np.isnan(prev["campaign ROI (naive)"])
    assert card.loc["sales", "change"] == 45.0
    assert card.loc["sales", "change_pct"] == pytest.approx(45 / 40)
    assert card.loc["churn rate", "change"] == -0.5
    assert list(card.index) == list(kpis.KPI_DEFINITIONS)


def test_margin_and_year_compare():
    card = _card(margin=0.5, compare="year")
    assert card.attrs["previous"] == ("2023-02-01", "2023-02-28")
    assert card.loc["CLV (simple)", "current"] == 22.5
    assert np.isnan(card.loc["CLV (simple)", "previous"])  # no customers in Feb 2023
    assert card.loc["campaign ROI (naive)", "current"] == pytest.approx((19 - 3) / 3)
    assert card.loc["sales", "previous"] == 0.0
    assert np.isnan(card.loc["sales", "change_pct"])


def test_missing_tables_give_nan_not_zero():
    card = kpis.kpi_scorecard(_orders(), start="2024-02-01", end="2024-02-29")
    for k in ("satisfaction", "NPS", "campaign ROI (naive)", "complaints"):
        assert np.isnan(card.loc[k, "current"])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"start": "2024-03-01", "end": "2024-02-01"}, "before start"),
        ({"start": "soon", "end": "2024-02-01"}, "start='soon'"),
        ({"start": "2024-02-01", "end": "2024-02-29", "compare": "month"}, "compare"),
        ({"start": "2024-02-01", "end": "2024-02-29", "margin": 0}, "margin"),
        ({"start": "2024-02-01", "end": "2024-02-29", "churn_days": -3}, "churn_days"),
    ],
)
def test_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        kpis.kpi_scorecard(_orders(), **kwargs)


def test_definitions_table():
    d = kpis.kpi_definitions()
    assert d.loc["NPS", "繁體中文"] == "淨推薦值"
    assert d.index.tolist() == list(kpis.KPI_DEFINITIONS)
