"""Tests of the synthetic world generator: pieces by hand, the world against its truth."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from crm_lessons import schema
from generators import make_world
from generators._util import Calendar, make_ids, nice_price, round_money
from generators.datacards import EXTRA_COLUMNS
from generators.providers import lifecycle, marketing, purchases, satisfaction
from generators.scenarios import SCENARIOS

SCENARIO_NAMES = sorted(SCENARIOS)


@pytest.fixture(scope="module")
def worlds():
    return {sc: make_world(sc, 400, random_state=7) for sc in SCENARIO_NAMES}


# ----------------------------------------------------------- small pieces by hand


def test_ids_money_and_prices_by_hand():
    assert make_ids("C", np.array([0, 9, 99]), 3).tolist() == ["C001", "C010", "C100"]
    assert round_money(np.array([1.005, 2.4]), 0).tolist() == [1.0, 2.0]
    # NT$ to the nearest 5, US$ quarters below $10 and .99 above, ¥ .9 endings
    assert nice_price(np.array([118.0, 122.6]), "TWD").tolist() == [120.0, 125.0]
    assert nice_price(np.array([2.6, 45.2]), "USD").tolist() == [2.5, 44.99]
    assert nice_price(np.array([27.6]), "CNY").tolist() == [27.9]


def test_calendar_without_seasonality_is_calendar_weeks():
    cal = Calendar(pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-28"), seasonality=False)
    assert cal.n_days == 28 and cal.weeks == 4.0
    assert cal.op(np.array([0.0, 3.5, 28.0])).tolist() == [0.0, 0.5, 4.0]
    assert cal.inv(np.array([2.0])).tolist() == [14.0]


def test_calendar_seasonality_keeps_total_and_shifts_busy_days():
    cal = Calendar(
        pd.Timestamp("2024-01-01"),  # a Monday
        pd.Timestamp("2024-01-14"),
        weekday=(2, 1, 1, 1, 1, 1, 1),
        seasonality=True,
    )
    assert cal.op(np.array([14.0]))[0] == pytest.approx(2.0)  # total unchanged
    # Mondays weigh 2, other days 1: mean 8/7, so Monday = 2 / (8/7) / 7 = 0.25 weeks
    assert cal.op(np.array([1.0]))[0] == pytest.approx(0.25)


def test_expected_purchases_by_hand():
    # alive, rate 2/week, p = 0.25, 1 week: (1 - exp(-0.5)) / 0.25 = 1.5739
    got = purchases.expected_purchases(np.array([2.0, 2.0]), np.array([0.25, 0.0]), 1.0)
    assert got.tolist() == pytest.approx([1.57388, 2.0], abs=1e-5)


def test_repeat_purchases_respect_dropout_and_window():
    rng = np.random.default_rng(0)
    n = 5
    # p = 1: everyone drops out at the first repeat purchase
    counts, times, dead = purchases.simulate_repeat_purchases(
        np.full(n, 50.0), np.ones(n), np.zeros(n), np.full(n, 10.0), random_state=rng
    )
    assert counts.tolist() == [1, 1, 1, 1, 1] and dead.all()
    assert ((times > 0) & (times < 10)).all()
    # rate 0: nobody buys, nobody can drop out
    counts, times, dead = purchases.simulate_repeat_purchases(
        np.zeros(n), np.full(n, 0.5), np.zeros(n), np.full(n, 10.0), random_state=rng
    )
    assert counts.sum() == 0 and len(times) == 0 and not dead.any()


def test_repeat_purchases_match_poisson_when_nobody_drops_out():
    rng = np.random.default_rng(3)
    n = 40_000
    counts, times, _ = purchases.simulate_repeat_purchases(
        np.full(n, 0.5), np.zeros(n), np.zeros(n), np.full(n, 8.0), random_state=rng
    )
    assert counts.mean() == pytest.approx(4.0, abs=0.05)  # Poisson(0.5 * 8)
    assert times.mean() == pytest.approx(4.0, abs=0.05)  # uniform on [0, 8]


def test_order_lines_add_up_to_order_values():
    out = purchases.build_order_lines(
        np.array([100.0, 35.0, 400.0]),
        np.full((3, 4), 0.5),
        np.array([30.0, 60.0, 120.0]),
        np.full((3, 4), 0.5),
        decimals=0,
        random_state=1,
    )
    totals = np.bincount(out["order"], weights=out["amount"])
    assert totals.tolist() == pytest.approx([100.0, 35.0, 400.0], abs=3.0)
    amount = out["quantity"] * out["unit_price"] - out["discount"]
    assert np.allclose(amount, out["amount"])
    assert (out["quantity"] >= 1).all() and (out["discount"] >= 0).all()


def test_window_purchases_by_hand():
    keys = np.array([0 * 100 + 1.0, 0 * 100 + 5.0, 1 * 100 + 2.0])
    cum = np.array([0.0, 10.0, 30.0, 35.0])
    n, rev = marketing.window_purchases(
        keys, cum, np.array([0, 0, 1]), np.array([0.0, 2.0, 0.0]), np.array([9.0, 4.0, 9.0]), 100
    )
    assert n.tolist() == [2, 0, 1] and rev.tolist() == [30.0, 0.0, 5.0]


def test_likert_cuts_by_hand():
    # cuts -1.88, -1.41, -0.99, -0.58, 0.0, 0.84; a score on a cut gets the upper answer
    x = np.array([-5.0, -1.0, -0.1, 0.0, 0.9, 5.0])
    assert satisfaction.likert(x).tolist() == [1, 3, 5, 6, 7, 7]


# ------------------------------------------------------------------ schema


@pytest.mark.parametrize("scenario", SCENARIO_NAMES)
def test_tables_follow_the_schema(worlds, scenario):
    w = worlds[scenario]
    assert list(w) == w.params["tables"]
    for name, df in w.items():
        spec = schema.TABLES[name]
        present = [c for c in spec if c in df.columns]
        assert [c for c in spec if spec[c].required] == [c for c in present if spec[c].required], (
            name
        )  # every required column is there
        assert list(df.columns[: len(present)]) == present, name  # schema columns first
        for col in present:
            c = spec[col]
            want = "datetime64[ns]" if c.dtype.startswith("datetime") else c.dtype
            assert str(df[col].dtype) == want, (name, col, df[col].dtype)
        extras = set(df.columns[len(present) :])
        assert extras <= set(EXTRA_COLUMNS.get(name, {})), (name, extras)


# ------------------------------------------------------------ consistency


@pytest.mark.parametrize("scenario", SCENARIO_NAMES)
def test_world_is_internally_consistent(worlds, scenario):
    w = worlds[scenario]
    o, lines, tx = w.orders, w.order_lines, w.transactions
    assert o["order_id"].is_unique and w.customers["customer_id"].is_unique
    # order amount = sum of its lines; line amount = quantity x unit price - discount
    sums = lines.groupby("order_id")["amount"].sum()
    assert np.allclose(o.set_index("order_id")["amount"].loc[sums.index], sums, atol=0.011)
    assert np.allclose(
        lines["quantity"].astype(float) * lines["unit_price"] - lines["discount"],
        lines["amount"],
        atol=0.011,
    )
    # transactions are the order lines with the order's customer, date and return flag
    assert len(tx) == len(lines)
    assert (tx["order_id"].to_numpy() == lines["order_id"].to_numpy()).all()
    merged = tx.merge(o[["order_id", "date", "is_return"]], on="order_id", suffixes=("", "_o"))
    assert (merged["date"] == merged["date_o"]).all()
    assert (merged["is_return"] == merged["is_return_o"]).all()
    # refunds are negative and point to an earlier order of the same customer
    ret = o[o["is_return"]]
    assert (ret["amount"] <= 0).all() and (o.loc[~o["is_return"], "amount"] > 0).all()
    orig = o.set_index("order_id").loc[ret["original_order_id"]]
    assert (orig["date"].to_numpy() < ret["date"].to_numpy()).all()
    # first purchase at sign-up; nothing bought after the true churn date
    sales = o[~o["is_return"] & o["customer_id"].notna()]
    first = sales.groupby("customer_id")["date"].min()
    cust = w.customers.set_index("customer_id")
    assert (first.loc[cust.index] == cust["signup_date"]).all()
    truth = w.truth.set_index("customer_id")
    last = sales.groupby("customer_id")["date"].max()
    dead = truth[~truth["alive_at_end"]]
    assert (last.loc[dead.index] == dead["churn_date"]).all()
    assert truth.loc[truth["alive_at_end"], "churn_date"].isna().all()
    assert (truth.loc[~truth["alive_at_end"], "expected_future_value"] == 0).all()
    # dates inside the window
    start, end = pd.Timestamp(w.params["start"]), pd.Timestamp(w.params["end"])
    assert o["date"].min() >= start and o["date"].max() < end + pd.Timedelta(days=1)
    # walk-ins only where the scenario has them
    assert o["customer_id"].isna().any() == (SCENARIOS[scenario]["walk_in_share"] > 0)
    # control rows were not sent and cost nothing
    ctrl = w.touches[w.touches["group"] == "control"]
    assert (ctrl["cost"] == 0).all() and not ctrl["opened"].any()
    # lifecycle: every customer has awareness, consideration, purchase, use
    le = w.lifecycle_events
    known = le[le["customer_id"].str.startswith("C")]
    counts = known.groupby("stage")["customer_id"].nunique()
    assert (counts.loc[["awareness", "consideration", "purchase", "use"]] == len(cust)).all()
    assert set(known["customer_id"]) == set(cust.index)
    # each customer's events carry their acquisition channel
    ch = known.drop_duplicates("customer_id").set_index("customer_id")["channel"]
    assert (ch.loc[cust.index] == cust["acquisition_channel"]).all()
    # scores on their scales
    s = w.surveys
    assert s["overall_satisfaction"].between(1, 7).all() and s["nps"].between(0, 10).all()
    assert s["csat"].between(1, 5).all()
    assert w.tickets["rating"].dropna().between(1, 5).all()
    for col in ("need_price", "need_quality", "need_convenience", "need_social"):
        assert w.customers[col].between(0, 1).all()


@pytest.mark.parametrize("scenario", SCENARIO_NAMES)
def test_churn_events_only_where_the_business_can_see_churn(worlds, scenario):
    w = worlds[scenario]
    churn = w.lifecycle_events.query("stage == 'churn'").set_index("customer_id")["date"]
    truth = w.truth.set_index("customer_id")
    dead = truth.loc[~truth["alive_at_end"], "churn_date"]
    assert len(dead) > 0
    if scenario == "b2b_service":  # contracts are cancelled: churn is on record
        assert w.params["churn_observable"]
        assert set(churn.index) == set(dead.index)
        assert (churn.loc[dead.index] == dead).all()
    else:  # customers just stop buying: the date must stay hidden in truth
        assert not w.params["churn_observable"]
        assert churn.empty


@pytest.mark.parametrize("scenario", SCENARIO_NAMES)
def test_prospects_never_bought(worlds, scenario):
    w = worlds[scenario]
    le = w.lifecycle_events
    pros = le[le["customer_id"].str.startswith("P")]
    assert len(pros) > 0 and pros["customer_id"].nunique() == w.params["n_prospects"]
    assert pros["customer_id"].str.fullmatch(r"P\d{6,}").all()
    assert not set(pros["customer_id"]) & set(w.customers["customer_id"])
    assert not set(pros["customer_id"]) & set(w.orders["customer_id"].dropna())
    assert set(pros["stage"]) == {"awareness", "consideration"}
    # every prospect is aware, consideration (if any) comes after awareness, inside the window
    aware = pros[pros["stage"] == "awareness"].set_index("customer_id")["date"]
    assert aware.index.is_unique and len(aware) == w.params["n_prospects"]
    cons = pros[pros["stage"] == "consideration"].set_index("customer_id")["date"]
    assert (cons > aware.loc[cons.index]).all()
    assert cons.max() <= pd.Timestamp(w.params["end"]) + pd.Timedelta(days=1)
    assert set(pros["channel"]) <= set(w.params["funnel"])


def test_make_prospects_by_hand():
    # channel 0: everybody aware buys -> no prospects; channel 1: no customers -> none;
    # channel 2: all aware consider, a third of them buy -> all prospects considered
    out = lifecycle.make_prospects(
        np.array([50, 0, 400]),
        np.array([1.0, 0.5, 1.0]),
        np.array([1.0, 0.5, 1 / 3]),
        n_days=100,
        random_state=0,
    )
    assert set(out["channel"].tolist()) == {2}
    assert np.isfinite(out["consider_day"]).all()
    assert (out["consider_day"] > out["aware_day"]).all()
    assert (np.diff(out["aware_day"]) >= 0).all()  # numbered by awareness
    # measured conversion 400 / (400 + prospects) is about 1/3
    assert 400 / (400 + len(out["channel"])) == pytest.approx(1 / 3, abs=0.04)


@pytest.mark.slow
def test_funnel_conversion_matches_the_configured_rates():
    w = make_world("online_store", 20_000, random_state=3)
    le = w.lifecycle_events
    reached = le.groupby(["channel", "stage"])["customer_id"].nunique().unstack()
    for ch, f in w.params["funnel"].items():
        aware, cons, buy = reached.loc[ch, ["awareness", "consideration", "purchase"]]
        assert buy / aware < 1.0
        assert buy / aware == pytest.approx(f["awareness_to_purchase"], abs=0.02), ch
        assert cons / aware == pytest.approx(f["to_consideration"], abs=0.03), ch
        assert buy / cons == pytest.approx(f["to_purchase"], abs=0.03), ch
    # overall conversion well below 100 %: most of the aware never buy
    tot = le.groupby("stage")["customer_id"].nunique()
    assert tot["purchase"] / tot["awareness"] < 0.3


def test_currency_and_locale_look_local():
    twd = make_world("coffee_shop", 300, random_state=1)
    usd = make_world("coffee_shop", 300, random_state=1, locale="en_US")
    assert twd.params["currency"] == "TWD" and usd.params["currency"] == "USD"
    assert twd.params["gamma"] == pytest.approx(30 * usd.params["gamma"])
    latte = twd.products.set_index("product_name").loc["Latte", "unit_price"]
    assert (
        latte == 120.0 and usd.products.set_index("product_name").loc["Latte", "unit_price"] == 4.0
    )
    assert twd.customers["name"].str.contains(r"[\u4e00-\u9fff]").all()
    assert usd.customers["name"].str.match(r"^[A-Za-z.' -]+$").all()
    cny = make_world("fmcg_brand", 100, random_state=1)
    assert cny.params["currency"] == "CNY" and cny.customers["city"].str.endswith("市").all()


# ------------------------------------------------------------ determinism


def test_same_seed_same_bytes_different_seed_differs(tmp_path):
    a = make_world("online_store", 300, random_state=5)
    b = make_world("online_store", 300, random_state=5)
    c = make_world("online_store", 300, random_state=6)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])
    assert a.params == b.params
    assert a.to_dir(tmp_path / "a") == b.to_dir(tmp_path / "b")
    assert not a.orders.equals(c.orders)
    assert a.to_dir(tmp_path / "a2")["orders.csv"] != c.to_dir(tmp_path / "c")["orders.csv"]


def test_a_generator_can_be_passed_as_random_state():
    w1 = make_world("b2b_service", 50, random_state=np.random.default_rng(9))
    w2 = make_world("b2b_service", 50, random_state=np.random.default_rng(9))
    pd.testing.assert_frame_equal(w1.orders, w2.orders)
    assert w1.params["seed"] is None


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"scenario": "tea_house"}, r"scenario='tea_house'.*coffee_shop"),
        ({"n_customers": 0}, r"n_customers=0.*positive"),
        ({"n_customers": -5}, r"n_customers=-5"),
        ({"n_customers": 2.5}, r"n_customers=2.5"),
        ({"locale": "fr_FR"}, r"locale='fr_FR'.*en_US, zh_CN, zh_TW"),
        ({"currency": "EUR"}, r"currency='EUR'.*CNY, TWD, USD"),
        ({"competition": "fierce"}, r"competition='fierce'.*low, medium, high"),
        ({"start": "2025-01-01", "end": "2024-01-01"}, r"end='2024-01-01'.*start='2025-01-01'"),
        ({"start": "not a date"}, r"start='not a date' is not a date"),
        ({"colour": "red"}, r"override 'colour' is not valid.*seasonality"),
        ({"r": -1.0}, r"r=-1.0.*positive"),
        ({"competitor_entry": "2030-01-01"}, r"competitor_entry='2030-01-01'.*after start"),
        ({"random_state": "seed"}, r"random_state='seed'"),
    ],
)
def test_invalid_arguments_name_argument_value_and_choices(kwargs, pattern):
    kwargs = {"scenario": "coffee_shop", "n_customers": 10, **kwargs}
    with pytest.raises(ValueError, match=pattern):
        make_world(**kwargs)


# ------------------------------------------------------ ground truth recovery


def _btyd_summary(w):
    o = w.orders
    o = o[~o["is_return"] & o["customer_id"].notna()]
    end = pd.Timestamp(w.params["end"]) + pd.Timedelta(days=1)
    g = o.groupby("customer_id")["date"]
    first, last = g.min(), g.max()
    week = pd.Timedelta(weeks=1)
    return pd.DataFrame(
        {"frequency": g.size() - 1, "recency": (last - first) / week, "T": (end - first) / week}
    )


def _lifetimes():
    try:
        from crm_lessons.lifetimes_compat import import_lifetimes

        return import_lifetimes()
    except ImportError:  # pragma: no cover
        import lifetimes

        return lifetimes


@pytest.mark.slow
def test_bgnbd_recovers_true_parameters_and_ranks_alive_customers():
    from sklearn.metrics import roc_auc_score

    w = make_world("online_store", 20_000, random_state=6, seasonality=False, campaigns=False)
    s = _btyd_summary(w)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = _lifetimes().BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"])
        p_alive = fit.conditional_probability_alive(s["frequency"], s["recency"], s["T"])
    for k in ("r", "alpha", "a", "b"):
        assert fit.params_[k] == pytest.approx(w.params[k], rel=0.10), k
    alive = w.truth.set_index("customer_id").loc[s.index, "alive_at_end"].astype(bool)
    assert roc_auc_score(alive, p_alive) > 0.9


def test_need_segments_are_recoverable_by_clustering():
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score
    from sklearn.preprocessing import StandardScaler

    w = make_world("coffee_shop", 2000, random_state=11)
    cols = ["need_price", "need_quality", "need_convenience", "need_social"]
    x = StandardScaler().fit_transform(w.customers[cols])
    labels = KMeans(4, n_init=10, random_state=0).fit_predict(x)
    assert adjusted_rand_score(w.truth["need_segment"], labels) > 0.7


@pytest.mark.parametrize("scenario", SCENARIO_NAMES)
def test_randomised_campaign_ci_contains_true_uplift(scenario):
    w = make_world(scenario, random_state=2024)
    camp = w.campaigns[w.campaigns["randomised"]]
    assert len(camp) >= 1
    for cid in camp["campaign_id"]:
        t = w.touches[w.touches["campaign_id"] == cid]
        g = t.groupby("group")["converted"].agg(["mean", "size"])
        diff = g.loc["treatment", "mean"] - g.loc["control", "mean"]
        se = np.sqrt((g["mean"] * (1 - g["mean"]) / g["size"]).sum())
        true = w.params["campaign_uplift"][cid]
        assert true > 0
        assert diff - 1.96 * se <= true <= diff + 1.96 * se


def test_mass_campaign_is_badly_targeted():
    w = make_world("fmcg_brand", random_state=2024)
    rates = w.touches.groupby("campaign_id")[["opened", "unsubscribed"]].mean()
    assert rates.loc["FB01", "opened"] == pytest.approx(0.05, abs=0.015)
    others = rates.drop("FB01")
    assert rates.loc["FB01", "unsubscribed"] > 5 * others["unsubscribed"].max()


def _top_box_vs_satisfied(w):
    """Share of respondents still buying in the last quarter: top box and 5-6 answers."""
    s = w.surveys
    end = pd.Timestamp(w.params["end"])
    s = s[s["date"] <= end - pd.Timedelta(days=365)]
    o = w.orders[~w.orders["is_return"] & w.orders["customer_id"].notna()]
    last = o.groupby("customer_id")["date"].max()
    active = s["customer_id"].map(last) > end - pd.Timedelta(days=90)
    top = active[s["overall_satisfaction"] == 7].mean()
    sat = active[s["overall_satisfaction"].isin([5, 6])].mean()
    return top, sat


def test_satisfaction_drives_retention_more_under_high_competition():
    hi = make_world("coffee_shop", 8000, random_state=2, competition="high")
    lo = make_world("coffee_shop", 8000, random_state=2, competition="low")
    top_hi, sat_hi = _top_box_vs_satisfied(hi)
    top_lo, sat_lo = _top_box_vs_satisfied(lo)
    assert top_hi > 2.0 * sat_hi  # completely satisfied are far more loyal
    assert top_lo < 1.5 * sat_lo  # little difference without competition
    # satisfaction really is tied to dropout, and much less so when competition is low
    r_hi = np.corrcoef(hi.truth["satisfaction_latent"], hi.truth["dropout_prob"])[0, 1]
    r_lo = np.corrcoef(lo.truth["satisfaction_latent"], lo.truth["dropout_prob"])[0, 1]
    assert r_hi < -0.6 and abs(r_lo) < 0.2


def test_dropout_after_entry_never_falls_by_hand():
    # the happy customer keeps p = 0.05 (the competitive dropout is lower); the unhappy one
    # gets the competitive dropout; p = 1 stays 1
    got = satisfaction.dropout_after_entry(
        np.array([2.0, -2.0, 2.0]), np.array([0.05, 0.05, 1.0]), a=1, b=3, random_state=0
    )
    assert got[0] == 0.05 and got[1] > 0.5 and got[2] == 1.0


def test_competitor_entry_only_takes_customers_away():
    kw = {"competition": "low", "random_state": 5}
    entry = make_world("coffee_shop", 4000, competitor_entry="2025-01-01", **kw)
    t = entry.truth
    after, before = t["dropout_prob_after_entry"], t["dropout_prob"]
    assert (after >= before).all()
    rise = after - before
    unhappy = t["satisfaction_latent"] < -0.8
    happy = t["satisfaction_latent"] > 0.8
    assert rise[unhappy].mean() > 5 * rise[happy].mean()
    assert (rise[happy] == 0).mean() > 0.5  # most happy customers lose nothing


def test_competitor_entry_ends_false_loyalty():
    kw = {"competition": "low", "random_state": 4}
    calm = make_world("b2b_service", 3000, **kw)
    entry = make_world("b2b_service", 3000, competitor_entry="2025-01-01", **kw)
    assert entry.params["competitor_entry"] == "2025-01-01"

    def alive_share(w, unhappy):
        t = w.truth
        grp = t["satisfaction_latent"] < -0.8 if unhappy else t["satisfaction_latent"] > 0.8
        return t.loc[grp, "alive_at_end"].mean()

    # before entry the unhappy stay about as well as the happy; afterwards they leave
    assert alive_share(calm, True) > 0.8 * alive_share(calm, False)
    assert alive_share(entry, True) < 0.6 * alive_share(entry, False)
    assert "dropout_prob_after_entry" in entry.truth.columns


def test_cli_writes_a_world_and_reports_errors(tmp_path, capsys):
    from generators.__main__ import main

    out = tmp_path / "w"
    code = main(
        ["fmcg_brand", "--customers", "60", "--seed", "3", "--out", str(out), "--no-progress"]
    )
    assert code == 0
    files = {p.name for p in out.iterdir()}
    assert {"customers.csv", "transactions.csv", "truth.csv", "params.json", "README.md"} <= files
    assert "fmcg_brand: wrote 11 tables" in capsys.readouterr().out
    again = tmp_path / "w2"
    main(["fmcg_brand", "--customers", "60", "--seed", "3", "--out", str(again), "--no-progress"])
    assert (out / "orders.csv").read_bytes() == (again / "orders.csv").read_bytes()
    assert main(["fmcg_brand", "--customers", "0", "--out", str(tmp_path / "bad")]) == 2
    assert "n_customers=0" in capsys.readouterr().err


def test_dimension_experiences_regress_back_to_the_weights():
    rng = np.random.default_rng(0)
    y = rng.standard_normal(200_000)
    w = np.array([0.30, 0.45, 0.20, 0.10])
    q = satisfaction.dimension_experiences(y, w, halo=0.4, random_state=rng)
    assert np.allclose(q.std(axis=0), 1.0, atol=0.01)
    assert np.corrcoef(q.T)[0, 1] == pytest.approx(0.4, abs=0.01)
    beta = np.linalg.lstsq(q, y, rcond=None)[0]
    assert beta == pytest.approx(w, abs=0.01)
    with pytest.raises(ValueError, match=r"weights=\(1.0, 1.0, 1.0, 1.0\) is not valid"):
        satisfaction.dimension_experiences(y[:3], (1.0, 1.0, 1.0, 1.0))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("scenario", "n"),
    [
        ("coffee_shop", 20_000),
        ("online_store", 30_000),
        ("fmcg_brand", 25_000),
        ("b2b_service", 12_000),
    ],
)
def test_driver_analysis_recovers_the_order_of_satisfaction_weights(scenario, n):
    w = make_world(scenario, n, random_state=8, campaigns=False)
    weights = w.params["satisfaction_weights"]
    dims = list(weights)
    s = w.surveys
    assert len(s) > 4000
    x = s[[f"perc_{d}" for d in dims]].astype(float)
    x = (x - x.mean()) / x.std()
    y = s["overall_satisfaction"].astype(float)
    y = (y - y.mean()) / y.std()
    beta = np.linalg.lstsq(np.column_stack([np.ones(len(x)), x]), y, rcond=None)[0][1:]
    got = [dims[i] for i in np.argsort(-beta)]
    want = sorted(dims, key=lambda d: -weights[d])
    assert got == want, (dict(zip(dims, beta.round(3), strict=True)), weights)


def test_weights_differ_by_scenario_and_bad_weights_are_refused():
    orders = {
        sc: tuple(sorted(v["satisfaction_weights"], key=lambda d: -v["satisfaction_weights"][d]))
        for sc, v in SCENARIOS.items()
    }
    assert orders["coffee_shop"] == ("service", "product", "staff", "brand")
    assert orders["online_store"] == ("product", "service", "brand", "staff")
    assert len(set(orders.values())) >= 3
    with pytest.raises(ValueError, match="satisfaction_weights=.*product, service, staff, brand"):
        make_world("coffee_shop", 10, satisfaction_weights={"product": 0.5})
    with pytest.raises(ValueError, match=r"funnel=.*walk_by"):
        make_world("coffee_shop", 10, funnel={"walk_by": (0.5, 0.5)})


def test_membership_has_no_spend_effect_but_members_are_selected():
    w = make_world("coffee_shop", 3000, random_state=4)
    assert w.params["member_spend_effect"] == 0.0
    t = w.truth.set_index("customer_id")
    members = w.customers.set_index("customer_id")["is_member"]
    rate = t["purchase_rate"]
    # selection: members buy more often by nature, not because of the card
    assert rate[members].median() > 1.3 * rate[~members].median()
    # and their true order value is the same as everybody else's
    mov = t["mean_order_value"]
    assert mov[members].mean() == pytest.approx(mov[~members].mean(), rel=0.05)
