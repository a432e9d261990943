import pandas as pd
import pytest

from crm_lessons import value


@pytest.fixture
def surveys():
    return pd.DataFrame(
        {
            "customer_id": ["A", "A", "B", "C"],
            "date": pd.to_datetime(["2024-01-01", "2024-06-01", "2024-02-01", "2024-03-01"]),
            "exp_product": [6, 6, 5, 7],
            "perc_product": [4, 7, 5, 6],
            "exp_service": [5, 5, 6, 6],
            "perc_service": [5, 6, 3, 6],
            "exp_staff": [4, 4, 4, 4],
            "perc_staff": [7, 7, 1, 4],
            "exp_brand": [5, 5, 5, 5],
            "perc_brand": [5, 5, 5, None],
            "nps": [6, 10, 2, 9],
        }
    )


def test_value_bundle_by_hand(surveys):
    b = value.value_bundle(surveys)
    # product: expected (6+6+5+7)/4 = 6, perceived (4+7+5+6)/4 = 5.5
    assert b.loc["product", "expected"] == 6.0
    assert b.loc["product", "perceived"] == 5.5
    assert b.loc["product", "gap"] == -0.5
    assert b.loc["product", "share_met"] == 0.5  # 7>=6 and 5>=5
    # staff: perceived (7+7+1+4)/4 = 4.75 vs 4 -> +0.75, the only positive gap
    assert b.loc["staff", "gap"] == 0.75
    # brand: C's missing score leaves 3 answers
    assert b.loc["brand", "n_responses"] == 3
    assert b.index[-1] == "staff"  # sorted worst first
    assert b.index[0] == "product"


def test_value_bundle_rejects_missing_columns(surveys):
    with pytest.raises(ValueError, match="exp_brand"):
        value.value_bundle(surveys.drop(columns="exp_brand"))


def test_customer_bundle_uses_latest_answer(surveys):
    cb = value.customer_bundle(surveys, dimensions=["product", "staff"])
    assert cb.loc["A", "product"] == 1.0  # (7 - 1) / 6 from June, not January's 4
    assert cb.loc["B", "staff"] == 0.0
    assert cb.loc["C", "perceived_gains"] == pytest.approx((5 / 6 + 3 / 6) / 2)


def test_perceived_value_weights():
    df = pd.DataFrame({"q": [1.0, 0.0], "s": [0.0, 1.0], "price": [0.5, 0.5]})
    pv = value.perceived_value(df, gains=["q", "s"], losses=["price"], weights={"q": 3.0})
    assert pv.tolist() == [0.75 - 0.5, 0.25 - 0.5]
    with pytest.raises(ValueError, match="neither gains nor losses"):
        value.perceived_value(df, gains=["q"], losses=["price"], weights={"zzz": 1})
    with pytest.raises(ValueError, match="must both be given"):
        value.perceived_value(df, gains=["q"], losses=[])


def test_customer_perceived_value_by_hand(surveys):
    orders = pd.DataFrame(
        {
            "customer_id": ["A", "B", "B", "C", None],
            "amount": [30.0, 10.0, 10.0, 60.0, 5.0],
            "n_items": [3, 1, 1, 2, 1],
        }
    )
    tickets = pd.DataFrame({"customer_id": ["B", "B"], "cost_to_serve": [1.0, 1.0]})
    pv = value.customer_perceived_value(surveys, orders, tickets)
    # price per item: A 10, B 10, C 30 -> ranks (pct, average ties) 0.5, 0.5, 1
    assert pv["price_burden"].to_dict() == {"A": 0.5, "B": 0.5, "C": 1.0}
    # tickets per order: A 0, B 1, C 0 -> 0.5, 1, 0.5
    assert pv["hassle"].to_dict() == {"A": 0.5, "B": 1.0, "C": 0.5}
    # A's latest answer: product 7, service 6, staff 7, brand 5 -> (6+5+6+4)/24
    assert pv.loc["A", "perceived_gains"] == pytest.approx(21 / 24)
    assert pv.loc["A", "perceived_value"] == pytest.approx(21 / 24 - 0.5)
    assert pv.loc["B", "perceived_value"] < pv.loc["A", "perceived_value"]


def test_firm_value_by_hand(surveys):
    customers = pd.DataFrame(
        {
            "customer_id": ["A", "B", "C", "D"],
            "acquisition_channel": ["ads", "word_of_mouth", "ads", "referral"],
        }
    )
    orders = pd.DataFrame(
        {
            "customer_id": ["A", "A", "B", "D", "D", None],
            "date": pd.to_datetime(
                [
                    "2024-01-01",
                    "2024-01-09",
                    "2024-01-02",
                    "2024-01-03",
                    "2024-02-01",
                    "2024-01-01",
                ]
            ),
            "amount": [100.0, 40.0, 20.0, 60.0, 20.0, 99.0],
        }
    )
    tickets = pd.DataFrame({"customer_id": ["B"], "cost_to_serve": [3.0]})
    fv = value.firm_value(
        orders,
        customers=customers,
        surveys=surveys,
        tickets=tickets,
        margin=0.5,
        value_per_feedback=2.0,
    )
    assert fv.index.tolist() == ["A", "B", "C", "D"]
    assert fv["economic_value"].tolist() == [70.0, 10.0, 0.0, 40.0]
    assert fv["loyalty_value"].tolist() == [20.0, 0.0, 0.0, 10.0]
    # referred customers B and D are worth (10 + 40) / 2 = 25 each; promoters are
    # A (latest NPS 10) and C (9): 2 referrals / 2 promoters = 1 each -> 25
    assert fv.attrs["value_per_referral"] == 25.0
    assert fv.attrs["referrals_per_promoter"] == 1.0
    assert fv["referral_value"].tolist() == [25.0, 0.0, 25.0, 0.0]
    # feedback: A 2 surveys, B 1 survey + 1 ticket, C 1 survey -> x 2
    assert fv["innovation_value"].tolist() == [4.0, 4.0, 2.0, 0.0]
    assert fv["total_value"].tolist() == [99.0, 14.0, 27.0, 40.0]
    assert fv.attrs["n_anonymous_orders"] == 1


def test_firm_value_rejects_bad_input(surveys):
    customers = pd.DataFrame({"customer_id": ["A"], "acquisition_channel": ["ads"]})
    orders = pd.DataFrame(
        {"customer_id": ["A"], "date": pd.to_datetime(["2024-01-01"]), "amount": [1.0]}
    )
    with pytest.raises(ValueError, match="margin=-0.1"):
        value.firm_value(orders, customers=customers, margin=-0.1)
    with pytest.raises(ValueError, match="acquisition_channel"):
        value.firm_value(orders, customers=customers[["customer_id"]], margin=0.5)
    with pytest.raises(ValueError, match="value_per_feedback=-1"):
        value.firm_value(orders, customers=customers, margin=0.5, value_per_feedback=-1)


def test_customer_perceived_value_counts_customers_it_leaves_out(surveys):
    orders = pd.DataFrame(
        {
            "customer_id": ["A", "B", "C"],
            "amount": [30.0, -10.0, 60.0],
            "n_items": [3, 0, 2],  # B only has a refund: no price per item
        }
    )
    pv = value.customer_perceived_value(surveys.iloc[:3], orders)  # C has no survey here
    assert pv.index.tolist() == ["A"]
    assert pv.attrs["n_without_price"] == 1
    assert pv.attrs["n_without_orders"] == 0
