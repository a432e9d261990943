import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from crm_lessons import lifecycle as lc

AS_OF = "2024-06-30"


def _orders():
    # One customer per rule, with dates chosen on the rule boundaries.
    rows = [
        # L: 3 purchases within the last 180 days -> loyalty
        ("L", "2024-01-05", 10.0),
        ("L", "2024-03-01", 10.0),
        ("L", "2024-06-01", 10.0),
        # C: last purchase 91 days before as-of (2024-03-31) -> churn
        ("C", "2023-06-01", 10.0),
        ("C", "2024-03-31", 10.0),
        # K: last purchase exactly 90 days before (2024-04-01) -> still use
        ("K", "2024-04-01", 10.0),
        ("K", "2023-12-01", 10.0),
        # P: first purchase exactly 30 days before (2024-05-31) -> purchase
        ("P", "2024-05-31", 20.0),
        # U: first purchase 31 days before -> use
        ("U", "2024-05-30", 20.0),
        # Z: a purchase after the as-of day does not count -> awareness (signed up)
        ("Z", "2024-07-02", 30.0),
        # R: only a return -> never bought -> consideration (event)
        ("R", "2024-05-01", -15.0),
        # walk-in sale, no customer id
        (None, "2024-06-10", 5.0),
    ]
    df = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    df["date"] = pd.to_datetime(df["date"])
    df["customer_id"] = df["customer_id"].astype("string")
    return df


def _customers():
    return pd.DataFrame(
        {
            "customer_id": ["L", "C", "K", "P", "U", "Z", "R", "A", "F"],
            "signup_date": pd.to_datetime(
                [
                    "2024-01-01",
                    "2023-06-01",
                    "2023-12-01",
                    "2024-05-31",
                    "2024-05-30",
                    "2024-06-01",
                    "2024-04-01",
                    "2024-06-15",
                    "2024-08-01",  # F signs up after the as-of day: not known yet
                ]
            ),
        }
    )


def _events():
    return pd.DataFrame(
        {
            "customer_id": ["R", "A", "Z", "A"],
            "stage": ["consideration", "awareness", "consideration", "loyalty"],
            "date": pd.to_datetime(["2024-04-20", "2024-06-15", "2024-07-01", "2024-06-20"]),
        }
    )


def test_assign_stages_rules_on_hand_table():
    st = lc.assign_stages(_orders(), as_of=AS_OF, customers=_customers(), events=_events())
    got = dict(zip(st["customer_id"], st["stage"].astype(str), strict=True))
    assert got == {
        "A": "awareness",  # known, awareness event; the 'loyalty' event is ignored
        "C": "churn",
        "K": "use",
        "L": "loyalty",
        "P": "purchase",
        "R": "consideration",
        "U": "use",
        "Z": "awareness",  # consideration event and purchase only after as-of
    }
    row = st.set_index("customer_id").loc["C"]
    assert row["days_since_last"] == 91 and row["orders_total"] == 2
    assert st.set_index("customer_id").loc["L", "orders_recent"] == 3
    assert st.attrs["excluded_rows"] == {
        "no customer id (walk-in sale)": 1,
        "return, refund or zero amount": 1,
    }
    assert list(st["stage"].cat.categories) == list(lc.STAGES)


def test_assign_stages_thresholds_move_customers():
    st = lc.assign_stages(_orders(), as_of=AS_OF, churn_days=91, loyal_orders=4)
    got = dict(zip(st["customer_id"], st["stage"].astype(str), strict=True))
    assert got["C"] == "use"  # 91 days is no longer more than churn_days
    assert got["L"] == "use"  # 3 orders are not enough for loyalty now
    # without customers/events only buyers are known
    assert set(got) == {"C", "K", "L", "P", "U"}


def test_is_return_flag_excludes_positive_refund_rows():
    o = pd.DataFrame(
        {
            "customer_id": ["A", "A"],
            "date": pd.to_datetime(["2024-01-01", "2024-01-02"]),
            "amount": [10.0, 10.0],
            "is_return": [False, True],
        }
    )
    st = lc.assign_stages(o, as_of="2024-01-10")
    assert st["orders_total"].tolist() == [1]
    assert st.attrs["excluded_rows"]["return, refund or zero amount"] == 1


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"as_of": "not a date"}, "as_of"),
        ({"as_of": AS_OF, "churn_days": 0}, "churn_days=0"),
        ({"as_of": AS_OF, "loyal_orders": 2.5}, "loyal_orders"),
        ({"as_of": AS_OF, "amount": "value"}, "value"),
    ],
)
def test_assign_stages_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        lc.assign_stages(_orders(), **kwargs)


def test_assign_stages_type_error():
    with pytest.raises(TypeError, match="orders"):
        lc.assign_stages([1, 2], as_of=AS_OF)


def _history():
    # 3 periods, customers A-D, E appears in period 2.
    rows = [
        (1, "A", "purchase"),
        (2, "A", "use"),
        (3, "A", "use"),
        (1, "B", "use"),
        (2, "B", "churn"),
        (3, "B", "use"),
        (1, "C", "use"),
        (2, "C", "use"),
        (3, "C", "loyalty"),
        (1, "D", "awareness"),
        (2, "D", "awareness"),
        (3, "D", "consideration"),
        (2, "E", "purchase"),
        (3, "E", "churn"),
    ]
    df = pd.DataFrame(rows, columns=["period", "customer_id", "stage"])
    # the course data sets load text as pandas "string" columns: use them here too
    return df.astype({"customer_id": "string", "stage": "string"})


def test_transition_counts_and_matrix_by_hand():
    c = lc.transition_counts(_history())
    assert int(c.to_numpy().sum()) == 9  # 4 + 5 moves
    assert int(c.loc["use", "use"]) == 2  # C 1->2, A 2->3
    assert int(c.loc["use", "churn"]) == 1
    assert int(c.loc["churn", "use"]) == 1
    assert int(c.loc["purchase", "use"]) == 1 and int(c.loc["purchase", "churn"]) == 1
    m = lc.transition_matrix(_history())
    # from use: C->use, B->churn, A->use, C->loyalty: 4 moves
    assert m.loc["use"].tolist() == [0, 0, 0, 0.5, 0.25, 0.25]
    np.testing.assert_allclose(m.sum(axis=1), 1.0)
    assert m.loc["loyalty", "loyalty"] == 1.0  # never a "from" stage: stays put


def test_entrants():
    e = lc.entrants(_history())
    assert e.index.tolist() == [2, 3]
    assert e.loc[2].tolist() == [0, 0, 1, 0, 0, 0]
    assert e.loc[3].sum() == 0


def test_time_in_stage_by_hand():
    t = lc.time_in_stage(_history())
    # use spells: A (2 periods, right-censored), B first (1, left-censored),
    # B second (1, right-censored), C (2, left-censored)
    assert t.loc["use", "spells"] == 4
    assert t.loc["use", "mean_periods"] == 1.5
    assert t.loc["use", "share_censored"] == 1.0
    # churn spells: B period 2 only (not censored), E period 3 (censored)
    assert t.loc["churn", "spells"] == 2
    assert t.loc["churn", "share_censored"] == 0.5
    assert t.loc["awareness", "max_periods"] == 2


def test_expected_months_in_stage():
    m = lc.transition_matrix(_history())
    e = lc.expected_months_in_stage(m)
    assert e["use"] == 2.0  # p_stay = 0.5
    assert np.isinf(e["loyalty"])


def test_forecast_by_hand():
    m = lc.transition_matrix(_history())
    now = pd.Series({"use": 10, "purchase": 4})
    f = lc.forecast_stage_sizes(now, m, periods=1, inflow=pd.Series({"awareness": 2}))
    one = f.loc[1]
    # purchase (4): 1/2 -> use, 1/2 -> churn; use (10): .5 use, .25 loyalty, .25 churn
    assert one["use"] == pytest.approx(2 + 5)
    assert one["churn"] == pytest.approx(2 + 2.5)
    assert one["loyalty"] == pytest.approx(2.5)
    assert one["awareness"] == pytest.approx(2)
    assert f.loc[0].sum() == 14 and one.sum() == pytest.approx(16)


def test_forecast_bad_input():
    m = lc.transition_matrix(_history())
    with pytest.raises(ValueError, match="periods"):
        lc.forecast_stage_sizes(pd.Series({"use": 1}), m, periods=0)
    with pytest.raises(ValueError, match="unknown stage"):
        lc.forecast_stage_sizes(pd.Series({"fan": 1}), m)
    with pytest.raises(ValueError, match="sum"):
        lc.forecast_stage_sizes(pd.Series({"use": 1}), m * 2)


def test_stage_history_matches_assign_stages():
    o = _orders()
    h = lc.stage_history(o, start="2024-04-01", end="2024-06-30", customers=_customers())
    assert sorted(h["period"].dt.strftime("%m-%d").unique()) == ["04-30", "05-31", "06-30"]
    last = h[h["period"] == "2024-06-30"].set_index("customer_id")["stage"].astype(str)
    direct = lc.assign_stages(o, as_of=AS_OF, customers=_customers())
    assert last.to_dict() == dict(
        zip(direct["customer_id"], direct["stage"].astype(str), strict=True)
    )
    with pytest.raises(ValueError, match="no 'ME' period end"):
        lc.stage_history(o, start="2024-04-02", end="2024-04-03")


def test_playbook_matches_domain_table():
    pb = lc.playbook()
    assert pb.index.tolist() == list(lc.STAGES)
    assert pb["繁體中文"].tolist() == ["認知", "考慮", "購買", "使用", "忠誠", "流失"]
    assert pb["简体中文"].tolist() == ["认知", "考虑", "购买", "使用", "忠诚", "流失"]
    assert "win-back offers" in pb.loc["churn", "tactics"]
    assert "membership" in pb.loc["loyalty", "tactics"]


def test_actions():
    st = lc.assign_stages(_orders(), as_of=AS_OF, customers=_customers(), events=_events())
    a = lc.stage_actions(st)
    assert a["customers"].tolist() == [2, 1, 1, 2, 1, 1]
    assert a["share"].sum() == pytest.approx(1.0)
    ca = lc.customer_actions(st)
    assert ca.iloc[0]["stage"] == "awareness"
    assert ca.set_index("customer_id").loc["C", "tactics"] == (
        "churn early-warning; win-back offers"
    )


def test_plots_draw():
    h = _history().assign(
        period=lambda d: pd.Timestamp("2024-01-31") + pd.to_timedelta(d["period"] * 30, "D")
    )
    ax = lc.plot_stage_sizes(h, share=True)
    assert ax.get_ylabel() == "Share of known customers"
    plt.close(ax.figure)
    ax = lc.plot_stage_flow(lc.transition_counts(_history()))
    # off-diagonal moves: purchase->use, purchase->churn, use->churn, use->loyalty,
    # churn->use, awareness->consideration
    assert len(ax.patches) == 6
    plt.close(ax.figure)
