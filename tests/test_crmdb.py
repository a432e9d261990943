"""The CRM database: round trip, keys, constraints, and SQL summaries equal to crm_lessons'."""

import warnings

import duckdb
import pandas as pd
import pytest

from crm_lessons import crmdb, rfm
from crm_lessons.datasets import list_datasets, load_world
from generators.world import make_world

COMMITTED = list_datasets()


@pytest.fixture(scope="module", params=COMMITTED)
def built(request):
    world = load_world(request.param)
    con = crmdb.build_database(world)
    yield world, con
    con.close()


def test_every_committed_world_is_listed():
    assert {"coffee_shop", "online_store", "fmcg_brand", "b2b_service"} <= set(COMMITTED)


def test_round_trip_gives_the_same_tables(built):
    world, con = built
    for table in crmdb.STORED_TABLES:
        back = crmdb.read_table(con, table)
        expected = world[table].sort_values(list(crmdb.KEYS[table].primary))
        pd.testing.assert_frame_equal(back, expected.reset_index(drop=True), obj=table)


def test_transactions_view_equals_the_world_table(built):
    world, con = built
    keys = ["order_id", "product_id", "amount"]
    back = crmdb.read_table(con, "transactions", order_by=keys)
    expected = world["transactions"].sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(back, expected)


def test_sql_rfm_and_btyd_equal_crm_lessons(built):
    world, con = built
    as_of = world.params["end"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rfm.ExcludedRowsWarning)
        expected_rfm = rfm.rfm_table(world["transactions"], as_of=as_of)
        expected = {f: rfm.btyd_summary(world["transactions"], as_of=as_of, freq=f) for f in "WD"}
    got_rfm = crmdb.rfm_table_sql(con, as_of=as_of)
    pd.testing.assert_index_equal(got_rfm.index, expected_rfm.index)
    # whole numbers are identical; money sums may differ only in summation order
    pd.testing.assert_frame_equal(
        got_rfm[["recency_days", "frequency"]], expected_rfm[["recency_days", "frequency"]]
    )
    pd.testing.assert_series_equal(
        got_rfm["monetary"], expected_rfm["monetary"], check_exact=False, rtol=1e-12
    )
    for freq, exp in expected.items():
        got = crmdb.btyd_summary_sql(con, as_of=as_of, freq=freq)
        pd.testing.assert_frame_equal(
            got[["frequency", "recency", "T"]], exp[["frequency", "recency", "T"]]
        )
        pd.testing.assert_series_equal(
            got["monetary_value"], exp["monetary_value"], check_exact=False, rtol=1e-12
        )


def test_sql_summaries_at_an_earlier_date():
    world = load_world("coffee_shop")
    con = crmdb.build_database(world)
    as_of = "2025-03-16 12:00"  # a Sunday, mid-day: purchases later that day still count
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rfm.ExcludedRowsWarning)
        pd.testing.assert_frame_equal(
            crmdb.rfm_table_sql(con, as_of=as_of), rfm.rfm_table(world.transactions, as_of=as_of)
        )
        exp = rfm.btyd_summary(world.transactions, as_of=as_of, freq="W")
    pd.testing.assert_frame_equal(crmdb.btyd_summary_sql(con, as_of=as_of, freq="W"), exp)


def test_single_customer_view_matches_pandas():
    world = load_world("online_store")
    con = crmdb.build_database(world)
    scv = con.sql("SELECT * FROM single_customer_view ORDER BY customer_id").df()
    assert len(scv) == len(world.customers)
    o = world.orders[~world.orders.is_return]
    exp = o.groupby("customer_id")["amount"].agg(["size", "sum"])
    got = scv.set_index("customer_id").loc[exp.index]
    assert (got["n_orders"].to_numpy() == exp["size"].to_numpy()).all()
    assert got["revenue"].to_numpy() == pytest.approx(exp["sum"].to_numpy())
    n_t = world.tickets.groupby("customer_id").size()
    assert (scv.set_index("customer_id").loc[n_t.index, "n_tickets"].to_numpy() == n_t).all()


def test_duplicate_id_is_rejected_with_a_clear_error():
    world = make_world("coffee_shop", 80, random_state=3, progress=False)
    tables = dict(world)
    cust = tables["customers"]
    tables["customers"] = pd.concat([cust, cust.iloc[[5]]], ignore_index=True)
    dup_id = cust["customer_id"].iloc[5]
    with pytest.raises(crmdb.DuplicateKeyError, match=f"customer_id '{dup_id}' appears 2 times"):
        crmdb.build_database(tables)


def test_database_itself_enforces_keys_and_checks():
    world = make_world("coffee_shop", 80, random_state=3, progress=False)
    con = crmdb.build_database(world)
    cid = world.customers["customer_id"].iloc[0]
    with pytest.raises(duckdb.ConstraintException, match="(?i)duplicate key"):
        con.execute("INSERT INTO customers SELECT * FROM customers WHERE customer_id = ?", [cid])
    with pytest.raises(duckdb.ConstraintException, match="(?i)foreign key"):
        con.execute(
            "INSERT INTO tickets SELECT 'K-new', 'NOBODY', opened_at, resolved_at, topic, "
            "cost_to_serve, rating FROM tickets LIMIT 1"
        )
    with pytest.raises(duckdb.ConstraintException, match="(?i)check"):
        con.execute(
            "UPDATE surveys SET nps = 11 WHERE response_id = (SELECT min(response_id) FROM surveys)"
        )
    # a row that breaks a check through write_table names the table
    bad = world.surveys.head(3).copy()
    bad["response_id"] = ["X1", "X2", "X3"]
    bad["csat"] = pd.array([1, 9, 2], dtype="Int64")
    with pytest.raises(crmdb.DuplicateKeyError, match="table 'surveys'.*csat"):
        crmdb.write_table(con, "surveys", bad, create=False)


def test_not_null_and_nullable_columns():
    ddl = crmdb.create_table_sql("orders")
    assert "customer_id VARCHAR," in ddl  # walk-ins have no customer
    assert "order_id VARCHAR NOT NULL" in ddl
    assert "nps BIGINT NOT NULL CHECK (nps BETWEEN 0 AND 10)" in crmdb.create_table_sql("surveys")


def test_file_database_and_command_line(tmp_path, capsys):
    out = tmp_path / "crm.duckdb"
    assert crmdb.main(["build", "--world", "b2b_service", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "opportunities" in text and "customers" in text
    con = duckdb.connect(str(out), read_only=True)
    n = con.execute("SELECT count(*) FROM customers").fetchone()[0]
    assert n == len(load_world("b2b_service").customers)
    con.close()
    # refuses to overwrite silently
    assert crmdb.main(["build", "--world", "b2b_service", "--out", str(out)]) == 2
    assert "overwrite" in capsys.readouterr().err
    gen = tmp_path / "gen.duckdb"
    assert crmdb.main(["build", "--scenario", "online_store", "--customers", "60",
                       "--seed", "4", "--out", str(gen)]) == 0  # fmt: skip
    con = duckdb.connect(str(gen), read_only=True)
    assert con.execute("SELECT count(*) FROM customers").fetchone()[0] == 60
    con.close()


def test_er_diagram_follows_the_keys():
    text = crmdb.er_diagram_mermaid()
    for table, keys in crmdb.KEYS.items():
        assert f"    {table} {{" in text
        for col, (ref, _) in keys.foreign.items():
            assert f'{ref} ||--o{{ {table} : "{col}"' in text
    ax = crmdb.plot_er_diagram()
    labels = " ".join(t.get_text() for t in ax.texts)
    assert all(t in labels for t in crmdb.STORED_TABLES)


def test_sql_summaries_on_a_five_row_table():
    # the five rows of crm_lessons.rfm's docstring, checked on paper there
    tx = pd.DataFrame(
        {
            "customer_id": ["A", "A", "A", "B", "C"],
            "date": pd.to_datetime(
                ["2024-01-01", "2024-01-01", "2024-01-20", "2024-01-30", "2024-02-05"]
            ),
            "amount": [10.0, 5.0, 20.0, 8.0, 99.0],
            "is_return": [False] * 5,
        }
    )
    con = duckdb.connect()
    con.register("tx", tx)
    r = crmdb.rfm_table_sql(con, as_of="2024-01-31", source="tx")
    assert r.loc["A"].tolist() == [11, 2, 35.0]
    assert r.loc["B"].tolist() == [1, 1, 8.0]
    assert "C" not in r.index
    b = crmdb.btyd_summary_sql(con, as_of="2024-01-31", freq="D", source="tx")
    assert b.loc["A"].tolist() == [1.0, 19.0, 30.0, 20.0]
    assert b.loc["B"].tolist() == [0.0, 0.0, 1.0, 0.0]
