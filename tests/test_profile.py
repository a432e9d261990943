import pandas as pd
import pytest

from crm_lessons.datasets import list_datasets, load_world
from crm_lessons.profile import (
    customer_view,
    customer_view_from_world,
    first_purchase_rules,
    first_purchase_table,
    knowledge_rules,
    orders_from_lines,
    portrait,
)


@pytest.fixture
def tiny():
    customers = pd.DataFrame(
        {
            "customer_id": ["A", "B", "C"],
            "gender": ["F", "M", "F"],
            "birth_year": [1990, 1980, 2000],
            "is_member": [True, False, True],
        }
    )
    # 2024-03-02 and 03-09 are Saturdays; 03-04, 03-05 Monday, Tuesday.
    orders = pd.DataFrame(
        {
            "order_id": ["o1", "o2", "o3", "o4", "o5", "o6"],
            "customer_id": ["A", "A", "B", "B", "B", None],
            "date": pd.to_datetime(
                [
                    "2024-03-02 08:00",
                    "2024-03-09 18:30",
                    "2024-03-04 12:00",
                    "2024-03-05 12:30",
                    "2024-03-06 09:00",
                    "2024-03-06 10:00",
                ]
            ),
            "amount": [100.0, 60.0, 80.0, -80.0, 40.0, 999.0],
            "discount": [0.0, 10.0, 5.0, 0.0, 5.0, 0.0],
            "channel": ["store", "app", "app", "app", "store", "store"],
            "is_return": [False, False, False, True, False, False],
        }
    )
    lines = pd.DataFrame(
        {
            "order_id": ["o1", "o1", "o2", "o3", "o5"],
            "product_id": ["P1", "P2", "P2", "P1", "P1"],
            "amount": [70.0, 30.0, 60.0, 80.0, 40.0],
        }
    )
    products = pd.DataFrame({"product_id": ["P1", "P2"], "category": ["coffee", "cake"]})
    return customers, orders, lines, products


def test_customer_view_by_hand(tiny):
    customers, orders, lines, products = tiny
    v = customer_view(customers, orders, as_of="2024-03-31", order_lines=lines, products=products)
    assert v.index.tolist() == ["A", "B", "C"]
    assert v["age"].tolist() == [34, 44, 24]
    assert v["n_orders"].tolist() == [2, 2, 0]  # the return and the walk-in are not orders
    assert v["total_spend"].tolist() == [160.0, 40.0, 0.0]  # net of the refund
    assert v.loc["A", "avg_order_value"] == 80.0
    assert v["n_returns"].tolist() == [0, 1, 0]
    assert v.loc["A", "days_since_last"] == 21
    # A: coffee 70, cake 90 -> cake 90/160; B: coffee only.
    assert v.loc["A", "preferred_category"] == "cake"
    assert v.loc["A", "preferred_category_share"] == pytest.approx(0.5625, abs=1e-3)
    assert v.loc["B", "preferred_category"] == "coffee"
    assert v.loc["A", "buyer_day"] == "weekend" and v.loc["B", "buyer_day"] == "weekday"
    assert v["discount_share"].tolist()[:2] == [0.5, 1.0]
    assert v["price_sensitivity"].tolist()[:2] == ["high", "high"]
    assert pd.isna(v.loc["C", "price_sensitivity"])
    # ties are broken alphabetically: A used app once and store once
    assert v["preferred_channel"].tolist()[:2] == ["app", "app"]
    assert v.loc["A", "daypart"] == "evening"  # tie morning/evening -> alphabetical
    assert v.loc["B", "daypart"] == "midday"


def test_customer_view_feedback_tables(tiny):
    customers, orders, _, _ = tiny
    surveys = pd.DataFrame(
        {
            "customer_id": ["A", "A", "B"],
            "date": pd.to_datetime(["2024-03-03", "2024-03-10", "2024-04-30"]),
            "nps": [6, 9, 10],
            "csat": [3, 5, 1],
        }
    )
    tickets = pd.DataFrame(
        {
            "customer_id": ["B", "B"],
            "opened_at": pd.to_datetime(["2024-03-05", "2024-03-06"]),
            "cost_to_serve": [50.0, 70.0],
        }
    )
    touches = pd.DataFrame(
        {
            "customer_id": ["A", "A", "B"],
            "date": pd.to_datetime(["2024-03-01"] * 3),
            "group": ["treatment", "treatment", "control"],
            "opened": [True, False, False],
            "clicked": [False, False, False],
            "unsubscribed": [False, True, False],
        }
    )
    v = customer_view(
        customers, orders, as_of="2024-03-31", surveys=surveys, tickets=tickets, touches=touches
    )
    assert v["n_surveys"].tolist() == [2, 0, 0]  # B's survey is after as_of
    assert v.loc["A", "last_nps"] == 9 and v.loc["A", "mean_csat"] == 4.0
    assert v["n_tickets"].tolist() == [0, 2, 0] and v.loc["B", "service_cost"] == 120.0
    assert v["n_messages"].tolist() == [2, 0, 0]  # control is not a message
    assert v.loc["A", "open_rate"] == 0.5
    assert v["unsubscribed"].tolist() == [True, False, False]


def test_knowledge_rules_by_hand():
    t = pd.DataFrame(
        {
            "cat": ["cake", "cake", "tea", "tea", "tea", None],
            "back": [True, True, True, False, False, True],
        }
    )
    r = knowledge_rules(t, if_="cat", then="back")
    # 5 rows with a category, 3 came back: base rate 0.6
    assert r.index.tolist() == ["cake", "tea"]
    assert r["n"].tolist() == [2, 3]
    assert r["support"].tolist() == [0.4, 0.2]
    assert r["confidence"].tolist() == [1.0, 0.333]
    assert r["lift"].tolist() == [
        pytest.approx(1 / 0.6, abs=1e-3),
        pytest.approx(1 / 3 / 0.6, abs=1e-3),
    ]
    assert knowledge_rules(t, if_="cat", then="back", min_count=3).index.tolist() == ["tea"]
    with pytest.raises(ValueError, match="lacks column"):
        knowledge_rules(t, if_="nope", then="back")


def test_first_purchase_table_censoring_and_returns(tiny):
    _, orders, lines, products = tiny
    t = first_purchase_table(
        orders, as_of="2024-03-31", window_days=7, order_lines=lines, products=products
    )
    # A: first 03-02 (o1: coffee 70 vs cake 30 -> coffee), back 03-09 = 7 days -> True.
    # B: first 03-04 (coffee), next purchase 03-06 (the 03-05 line is a refund) -> 2 days.
    assert t.index.tolist() == ["A", "B"]
    assert t["first_category"].tolist() == ["coffee", "coffee"]
    assert t["days_to_return"].tolist() == [7, 2]
    assert t["came_back"].tolist() == [True, True]
    # With as_of 03-08 and a 7-day window only A (first 03-02 <= 03-01? no) ... nobody qualifies
    t2 = first_purchase_table(
        orders, as_of="2024-03-10", window_days=7, order_lines=lines, products=products
    )
    assert t2.index.tolist() == ["A"]


def test_first_purchase_rules_text():
    o = pd.DataFrame(
        {
            "customer_id": ["A", "A", "B", "C"],
            "date": pd.to_datetime(["2024-01-01", "2024-01-20", "2024-01-05", "2024-01-02"]),
            "amount": [1, 1, 1, 1],
            "category": ["cake", "tea", "tea", "cake"],
        }
    )
    r = first_purchase_rules(o, as_of="2024-03-31")
    assert r.loc["cake", "confidence"] == 0.5 and r.loc["tea", "confidence"] == 0.0
    assert r.loc["cake", "rule"].startswith("customers whose first purchase is cake come back")
    with pytest.raises(ValueError, match="window_days"):
        first_purchase_rules(o, as_of="2024-03-31", window_days=0)


def test_portrait_by_hand():
    v = pd.DataFrame(
        {
            "age": [20, 30, 40, 50],
            "spend": [1.0, 2.0, 3.0, 4.0],
            "member": [True, True, False, False],
            "cat": ["tea", "tea", "cake", "cake"],
        },
        index=list("ABCD"),
    )
    p = portrait(v, v["spend"] >= 3)
    assert p.loc["age"].tolist() == ["45", "35"]
    assert p.loc["member"].tolist() == ["0%", "50%"]
    assert p.loc["cat"].tolist() == ["cake (100%)", "cake (50%)"]
    with pytest.raises(ValueError, match="not in the view"):
        portrait(v, ["Z"])


@pytest.mark.skipif("coffee_shop" not in list_datasets(), reason="course data not built")
def test_world_view_matches_world_tables():
    w = load_world("coffee_shop")
    v = customer_view_from_world(w)
    assert len(v) == len(w.customers) and v.index.is_unique
    end = pd.Timestamp(w.params["end"])
    o = w.orders[w.orders["customer_id"].notna() & (w.orders["date"] <= end)]
    assert v["total_spend"].sum() == pytest.approx(o["amount"].sum())
    assert v["n_orders"].sum() == int((~o["is_return"].astype(bool)).sum())
    assert set(v["buyer_day"].dropna()) <= {"weekday", "weekend", "mixed"}


def test_orders_from_lines_and_view_without_profile():
    lines = pd.DataFrame(
        {
            "order_id": ["o1", "o1", "o2", "o3", None],
            "customer_id": ["A", "A", "A", "B", "B"],
            "date": pd.to_datetime(
                [
                    "2024-03-02 09:00",
                    "2024-03-02 09:00",
                    "2024-03-04 10:00",
                    "2024-03-05 10:00",
                    "2024-03-09 10:00",
                ]
            ),
            "amount": [50.0, 20.0, 30.0, -15.0, 10.0],
            "product": ["latte", "cake", "cake", "tea", "tea"],
        }
    )
    orders = orders_from_lines(lines, category="product")
    assert orders["order_id"].tolist() == ["o1", "o2", "o3", "line 5"]
    assert orders["amount"].tolist() == [70.0, 30.0, -15.0, 10.0]
    assert orders["is_return"].tolist() == [False, False, True, False]
    assert orders["category"].tolist() == ["latte", "cake", "tea", "tea"]
    v = customer_view(None, orders, as_of="2024-03-31")
    assert v.index.tolist() == ["A", "B"]
    assert v["n_orders"].tolist() == [2, 1]
    assert v["total_spend"].tolist() == [100.0, -5.0]
    # A: orders o1 (main item latte, 70) and o2 (cake, 30) -> latte
    assert v["preferred_category"].tolist() == ["latte", "tea"]
