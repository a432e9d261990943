import matplotlib.pyplot as plt
import pandas as pd
import pytest

from crm_lessons import profitability as pf


@pytest.fixture
def world_bits():
    """A 3-customer world small enough to check on paper."""
    orders = pd.DataFrame(
        {
            "order_id": ["o1", "o2", "o3", "o4", "o5"],
            "customer_id": ["A", "A", "B", "C", None],
            "amount": [100.0, 60.0, 30.0, -10.0, 20.0],
        }
    )
    order_lines = pd.DataFrame(
        {
            "order_id": ["o1", "o2", "o3", "o4", "o5"],
            "product_id": ["P1", "P2", "P1", "P2", "P1"],
            "quantity": [2, 3, 1, -1, 1],
        }
    )
    products = pd.DataFrame({"product_id": ["P1", "P2"], "unit_cost": [20.0, 10.0]})
    touches = pd.DataFrame({"customer_id": ["A", "B", "B", "D"], "cost": [1.0, 2.0, 2.0, 3.0]})
    tickets = pd.DataFrame(
        {
            "customer_id": ["B", "B", "C"],
            "topic": ["delivery", "refund", "refund"],
            "cost_to_serve": [15.0, 25.0, 5.0],
        }
    )
    customers = pd.DataFrame(
        {"customer_id": ["A", "B", "C", "D", "E"], "acquisition_cost": [5.0, 0.0, 0.0, 4.0, 1.0]}
    )
    return orders, order_lines, products, touches, tickets, customers


def test_customer_profit_from_product_costs_by_hand(world_bits):
    orders, lines, products, touches, tickets, customers = world_bits
    p = pf.customer_profit(
        orders,
        order_lines=lines,
        products=products,
        touches=touches,
        tickets=tickets,
        customers=customers,
        include_acquisition_cost=True,
        cost_per_order=1.0,
    )
    # A: revenue 160, cogs 2*20 + 3*10 = 70, gross 90, marketing 1, acq 5, serve 2*1 -> 82
    # B: revenue 30, cogs 20, gross 10, marketing 4, tickets 40, handling 1 -> -35
    # C: revenue -10 (a refund), cogs -10, gross 0, tickets 5, handling 1 -> -6
    # D: only marketing 3 + acquisition 4 -> -7 ; E: acquisition 1 -> -1
    assert p.loc["A", "gross_profit"] == 90.0
    assert p["profit"].to_dict() == {"A": 82.0, "E": -1.0, "C": -6.0, "D": -7.0, "B": -35.0}
    assert p.loc["B", "cost_to_serve"] == 41.0
    assert p.loc["B", "n_tickets"] == 2
    assert p.loc["E", "n_orders"] == 0
    assert p.attrs["n_anonymous_orders"] == 1
    assert p.attrs["anonymous_revenue"] == 20.0


def test_customer_profit_with_margin(world_bits):
    orders, _, _, touches, tickets, _ = world_bits
    p = pf.customer_profit(orders, touches=touches, tickets=tickets, margin=0.5)
    assert set(p.index) == {"A", "B", "C", "D"}  # customers come from every table
    assert p.loc["A", "profit"] == 160 * 0.5 - 1
    assert p.loc["B", "profit"] == 30 * 0.5 - 4 - 40
    assert (p["acquisition_cost"] == 0).all()


def test_customer_profit_rejects_bad_input(world_bits):
    orders, lines, products, *_ = world_bits
    with pytest.raises(ValueError, match="give margin="):
        pf.customer_profit(orders)
    with pytest.raises(ValueError, match="margin=2"):
        pf.customer_profit(orders, margin=2)
    with pytest.raises(ValueError, match="lacks column"):
        pf.customer_profit(orders.drop(columns="amount"), margin=0.5)
    with pytest.raises(ValueError, match="2 line"):
        pf.customer_profit(orders, order_lines=lines, products=products.iloc[:1])
    with pytest.raises(ValueError, match="acquisition_cost"):
        pf.customer_profit(orders, margin=0.5, include_acquisition_cost=True)
    with pytest.raises(TypeError, match="orders must be a pandas DataFrame"):
        pf.customer_profit([1], margin=0.5)


def test_whale_curve_and_summary_by_hand():
    p = pd.Series({"A": 50.0, "B": -10.0, "C": 20.0, "D": -10.0})
    c = pf.whale_curve(p)
    assert c["customer_id"].tolist() == ["A", "C", "B", "D"]
    assert c["cumulative_profit"].tolist() == [50.0, 70.0, 60.0, 50.0]
    assert c["share_of_customers"].tolist() == [0.25, 0.5, 0.75, 1.0]
    assert c["cumulative_share_of_profit"].tolist() == [1.0, 1.4, 1.2, 1.0]
    s = pf.whale_summary(c)
    assert s == {
        "n_customers": 4,
        "total_profit": 50.0,
        "peak_profit": 70.0,
        "peak_share_of_total": 1.4,
        "share_of_customers_at_peak": 0.5,
        "share_value_destroyers": 0.5,
        "profit_destroyed": -20.0,
    }


def test_whale_curve_from_profit_table_and_bad_input(world_bits):
    orders, _, _, touches, tickets, _ = world_bits
    table = pf.customer_profit(orders, touches=touches, tickets=tickets, margin=0.5)
    c = pf.whale_curve(table)
    assert c["customer_id"].iloc[0] == "A"
    with pytest.raises(ValueError, match="missing"):
        pf.whale_curve(pd.Series([1.0, None]))
    with pytest.raises(TypeError, match="Series or DataFrame"):
        pf.whale_curve([1, 2])
    with pytest.raises(ValueError, match="empty"):
        pf.whale_curve(pd.Series([], dtype="float64"))


def test_plot_whale_curve_labels():
    ax = pf.plot_whale_curve(pf.whale_curve(pd.Series({"A": 5.0, "B": -1.0})))
    assert "Cumulative profit" in ax.get_ylabel()
    plt.close("all")


def test_cost_to_serve_drivers_by_hand(world_bits):
    tickets = world_bits[4]
    d = pf.cost_to_serve_drivers(tickets)
    assert d.index.tolist() == ["refund", "delivery"]
    assert d.loc["refund", "total_cost"] == 30.0
    assert d.loc["refund", "n_customers"] == 2
    assert d.loc["refund", "mean_cost"] == 15.0
    assert d["share_of_cost"].tolist() == pytest.approx([30 / 45, 15 / 45])


def test_profit_by_group(world_bits):
    orders, _, _, touches, tickets, _ = world_bits
    table = pf.customer_profit(orders, touches=touches, tickets=tickets, margin=0.5)
    g = pf.profit_by(table, pd.Series({"A": "web", "B": "web", "C": "shop"}))
    # D has no label
    assert g.loc["(unknown)", "n_customers"] == 1
    assert g.loc["web", "profit"] == (80 - 1) + (15 - 4 - 40)
    assert g.loc["web", "share_value_destroyers"] == 0.5


def test_stop_courting_by_hand():
    pt = pd.DataFrame(
        {
            "gross_profit": [100.0, 10.0, 0.0],
            "marketing_cost": [5.0, 8.0, 2.0],
            "acquisition_cost": [0.0, 0.0, 0.0],
            "cost_to_serve": [5.0, 12.0, 4.0],
            "profit": [90.0, -10.0, -6.0],
        },
        index=["A", "B", "C"],
    )
    r = pf.stop_courting(pt, marketing_saved=1.0, serve_cost_saved=0.5, gross_profit_lost=0.2)
    # B: +8 + 6 - 2 = 12 ; C: +2 + 2 - 0 = 4
    assert r.customers["change"].to_dict() == {"B": 12.0, "C": 4.0}
    assert r.summary["n_customers"] == 2
    assert r.summary["profit_before"] == 74.0
    assert r.summary["profit_after"] == 90.0
    # losing all of their gross profit and saving nothing makes it a loss
    r2 = pf.stop_courting(pt, marketing_saved=0, serve_cost_saved=0, gross_profit_lost=1)
    assert r2.summary["change"] == -10.0
    with pytest.raises(ValueError, match="serve_cost_saved=1.5"):
        pf.stop_courting(pt, serve_cost_saved=1.5)
