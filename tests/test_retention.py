"""Tests for crm_lessons.retention: hand-computed tables and checks against true churn."""

import math

import numpy as np
import pandas as pd
import pytest

from crm_lessons import retention as R
from crm_lessons.datasets import list_datasets, load_world


def _tx(rows):
    df = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    df["customer_id"] = df["customer_id"].astype("string")
    df["date"] = pd.to_datetime(df["date"])
    return df


# ---------------------------------------------------------------- rates


def test_period_retention_by_hand():
    # Jan: a, b ; Feb: a, c ; Mar: b (back), c
    tx = _tx(
        [
            ("a", "2024-01-02", 5.0),
            ("b", "2024-01-15", 5.0),
            ("a", "2024-02-03", 5.0),
            ("c", "2024-02-20", 5.0),
            ("b", "2024-03-01", 5.0),
            ("c", "2024-03-09", 5.0),
            (None, "2024-03-10", 5.0),  # walk-in
            ("a", "2024-03-11", -5.0),  # refund: not a purchase
        ]
    )
    out = R.period_retention(tx)
    assert out["active"].tolist() == [2, 2, 2]
    assert out["new"].tolist() == [2, 1, 0]
    # Feb: of {a, b}, a stays -> 1/2 ; Mar: of {a, c}, c stays -> 1/2, b reactivated
    assert out["retained"].tolist()[1:] == [1, 1]
    assert out["reactivated"].tolist() == [0, 0, 1]
    assert out["retention_rate"].tolist()[1:] == [0.5, 0.5]
    assert out["churn_rate"].tolist()[1:] == [0.5, 0.5]
    assert out.attrs["excluded_rows"] == {
        "no customer id (walk-in sales)": 1,
        "returns and refunds": 1,
    }


def test_contract_retention_by_hand():
    c = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d", "e"],
            "start_date": pd.to_datetime(
                ["2023-12-01", "2023-12-15", "2024-01-10", "2024-01-20", "2024-02-01"]
            ),
            "end_date": pd.to_datetime([None, "2024-01-31", "2024-02-10", None, "2024-02-28"]),
        }
    )
    out = R.contract_retention(c, as_of="2024-02-29")
    # Jan: at start a, b (2); b ends in Jan -> churn 1/2
    # Feb: at start a, c, d (3); c ends in Feb -> churn 1/3 (e signed in Feb: not in base)
    assert out.loc["2024-01", "at_start"] == 2
    assert out.loc["2024-01", "churn_rate"] == 0.5
    assert out.loc["2024-02", "at_start"] == 3
    assert out.loc["2024-02", "churned"] == 1
    assert out.loc["2024-02", "churn_rate"] == pytest.approx(1 / 3)
    assert out.loc["2024-02", "at_end"] == 2  # a, d (c and e ended)


def test_contract_retention_rejects_end_before_start():
    c = pd.DataFrame(
        {
            "customer_id": ["a"],
            "start_date": pd.to_datetime(["2024-02-01"]),
            "end_date": pd.to_datetime(["2024-01-01"]),
        }
    )
    with pytest.raises(ValueError, match="end before they start"):
        R.contract_retention(c)


def test_inactivity_churn_rule():
    tx = _tx([("a", "2024-01-01", 1.0), ("a", "2024-04-01", 1.0), ("b", "2024-03-31", 1.0)])
    out = R.inactivity_churn(tx, as_of="2024-06-30", inactivity_days=90)
    # a: 90 days since 1 Apr -> not more than 90 -> active ; b: 91 days -> churned
    assert out.loc["a", "days_since_last"] == 90
    assert not out.loc["a", "churned"]
    assert out.loc["b", "churned"]
    assert out.attrs["churn_rate"] == 0.5
    with pytest.raises(ValueError, match="inactivity_days"):
        R.inactivity_churn(tx, as_of="2024-06-30", inactivity_days=0)


def test_bad_freq_names_the_argument():
    tx = _tx([("a", "2024-01-01", 1.0)])
    with pytest.raises(ValueError, match="freq='D'"):
        R.period_retention(tx, freq="D")


# ---------------------------------------------------------------- cohorts


def test_cohort_matrix_by_hand():
    tx = _tx(
        [
            ("a", "2024-01-05", 10.0),
            ("a", "2024-03-05", 10.0),
            ("b", "2024-01-07", 20.0),
            ("b", "2024-02-07", 20.0),
            ("c", "2024-02-01", 5.0),
            ("c", "2024-02-02", 5.0),
        ]
    )
    ret = R.cohort_matrix(tx)
    # Jan cohort {a, b}: month1 b -> 1/2, month2 a -> 1/2 ; Feb cohort {c}: month1 none
    assert ret.loc["2024-01"].tolist() == [1.0, 0.5, 0.5]
    assert ret.loc["2024-02", 0] == 1.0
    assert ret.loc["2024-02", 1] == 0.0
    assert math.isnan(ret.loc["2024-02", 2])  # not observable yet
    assert ret.attrs["cohort_size"].tolist() == [2, 1]
    rev = R.cohort_matrix(tx, metric="revenue_per_customer")
    assert rev.loc["2024-01"].tolist() == [15.0, 10.0, 5.0]
    assert rev.loc["2024-02", 0] == 10.0


def test_cohort_matrix_counts_acquired_customers_who_never_bought():
    tx = _tx([("a", "2024-01-05", 1.0), ("a", "2024-02-05", 1.0)])
    acq = pd.Series(pd.to_datetime(["2024-01-02", "2024-01-03"]), index=["a", "z"])
    ret = R.cohort_matrix(tx, acquisition_dates=acq)
    # cohort Jan = {a, z}; only a buys in Jan and Feb
    assert ret.loc["2024-01"].tolist() == [0.5, 0.5]
    assert ret.attrs["cohort_size"].tolist() == [2]


def test_cohort_heatmap_draws():
    import matplotlib.pyplot as plt

    tx = _tx([("a", "2024-01-05", 1.0), ("a", "2024-02-05", 1.0)])
    ax = R.plot_cohort_heatmap(R.cohort_matrix(tx))
    assert ax.get_ylabel() == "Cohort (first purchase)"
    plt.close("all")


# ---------------------------------------------------------------- survival


def test_kaplan_meier_by_hand_with_censoring():
    # times 1..5; censored at 2 and 4
    km = R.kaplan_meier([1, 2, 2, 3, 4, 5], [1, 1, 0, 1, 0, 1])
    s = km["survival"]
    assert s.loc[1.0] == pytest.approx(5 / 6)
    assert s.loc[2.0] == pytest.approx(5 / 6 * 4 / 5)
    assert s.loc[3.0] == pytest.approx(5 / 6 * 4 / 5 * 2 / 3)
    assert s.loc[4.0] == pytest.approx(s.loc[3.0])  # only a censoring at 4
    assert s.loc[5.0] == 0.0
    assert km["at_risk"].tolist() == [6, 6, 5, 3, 2, 1]
    # Greenwood / log(-log) band at t=1: var term 1/(6*5)
    se = math.sqrt(1 / 30) / abs(math.log(5 / 6))
    assert km.loc[1.0, "lower"] == pytest.approx((5 / 6) ** math.exp(1.959964 * se), rel=1e-5)
    assert km.loc[1.0, "upper"] == pytest.approx((5 / 6) ** math.exp(-1.959964 * se), rel=1e-5)
    assert (km["lower"] <= km["survival"]).all() and (km["survival"] <= km["upper"]).all()


def test_kaplan_meier_without_censoring_is_the_empirical_survival():
    d = np.array([3, 1, 4, 1, 5, 9, 2, 6])
    km = R.kaplan_meier(d)
    for t in km.index:
        assert km.loc[t, "survival"] == pytest.approx((d > t).mean())


def test_kaplan_meier_ignoring_censoring_is_biased_low():
    # treating censored customers as churned underestimates survival
    d, e = [2, 3, 5, 8, 8, 8], [1, 1, 1, 0, 0, 0]
    right = R.kaplan_meier(d, e)["survival"].loc[5.0]
    wrong = R.kaplan_meier(d)["survival"].loc[5.0]
    assert right == pytest.approx(0.5)
    assert wrong == pytest.approx(0.5)  # same here (censoring after 5) ...
    assert R.kaplan_meier(d)["survival"].loc[8.0] == 0.0  # ... but then everyone "dies"
    assert R.kaplan_meier(d, e)["survival"].loc[8.0] == pytest.approx(0.5)


def test_kaplan_meier_bad_input():
    with pytest.raises(ValueError, match="non-negative"):
        R.kaplan_meier([1, -2])
    with pytest.raises(ValueError, match="observed has 1 values"):
        R.kaplan_meier([1, 2], [True])


def test_time_to_churn_and_contract_lifetimes():
    tx = _tx(
        [
            ("a", "2024-01-01", 1.0),
            ("a", "2024-02-15", 1.0),
            ("b", "2024-06-01", 1.0),
            ("b", "2024-06-25", 1.0),
        ]
    )
    t = R.time_to_churn(tx, as_of="2024-06-30", inactivity_days=30)
    assert t.loc["a"].tolist() == [45, True]
    assert t.loc["b"].tolist() == [24, False]
    c = pd.DataFrame(
        {
            "customer_id": ["x", "y", "z"],
            "start_date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-08-01"]),
            "end_date": pd.to_datetime(["2024-01-31", "2024-12-01", None]),
        }
    )
    life = R.contract_lifetimes(c, as_of="2024-06-30")
    assert life.loc["x"].tolist() == [30, True]
    assert life.loc["y"].tolist() == [181, False]  # ended after as_of: censored at as_of
    assert "z" not in life.index  # not a customer yet


# ---------------------------------------------------------------- early warning


def test_features_do_not_see_the_future():
    tx = _tx(
        [
            ("a", "2024-01-01", 10.0),
            ("a", "2024-01-21", 20.0),
            ("b", "2024-01-10", 5.0),
            ("a", "2024-02-05", 99.0),
            ("c", "2024-02-06", 7.0),
        ]
    )
    full = R.churn_features(tx, cutoff="2024-02-01")
    past = R.churn_features(tx[tx["date"] < "2024-02-01"], cutoff="2024-02-01")
    pd.testing.assert_frame_equal(full, past)
    assert full.index.tolist() == ["a", "b"]
    assert full.loc["a", "recency_days"] == 11
    assert full.loc["a", "frequency"] == 2
    assert full.loc["a", "monetary"] == 30.0
    assert full.loc["a", "mean_gap_days"] == 20.0
    assert full.loc["a", "overdue_ratio"] == pytest.approx(11 / 20)


def test_churn_labels_by_hand_and_incomplete_window():
    tx = _tx(
        [
            ("a", "2024-01-01", 1.0),
            ("b", "2024-01-02", 1.0),
            ("a", "2024-02-10", 1.0),
            ("b", "2024-03-05", 1.0),
        ]
    )
    y = R.churn_labels(tx, cutoff="2024-02-01", horizon_days=30)
    assert y.to_dict() == {"a": False, "b": True}  # b's return on 5 Mar is after the window
    with pytest.raises(ValueError, match="runs past the last purchase"):
        R.churn_labels(tx, cutoff="2024-03-01", horizon_days=60)


def test_precision_recall_at_k_and_lift_by_hand():
    y = [1, 0, 1, 1, 0, 0, 0, 0, 1, 0]
    s = [0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]
    m = R.precision_recall_at_k(y, s, k=4)
    # top 4: 1, 0, 1, 1 -> precision 3/4, recall 3/4 (4 churners), lift 0.75/0.4
    assert m == {"k": 4, "precision": 0.75, "recall": 0.75, "lift": pytest.approx(1.875)}
    assert R.precision_recall_at_k(y, s, k=0.2)["k"] == 2
    t = R.lift_table(y, s, n_bins=5)
    assert t["churners"].tolist() == [1, 2, 0, 0, 1]
    assert t["lift"].tolist() == pytest.approx([1.25, 2.5, 0.0, 0.0, 1.25])
    assert t["cum_share_of_churners"].iloc[-1] == 1.0
    with pytest.raises(ValueError, match="k=11"):
        R.precision_recall_at_k(y, s, k=11)


def test_reliability_table_by_hand():
    y = [0, 0, 1, 0, 1, 1]
    p = [0.1, 0.1, 0.4, 0.5, 0.9, 0.8]
    t = R.reliability_table(y, p, n_bins=2, strategy="uniform")
    assert t["customers"].tolist() == [3, 3]
    assert t["mean_predicted"].tolist() == pytest.approx([0.2, 2.2 / 3])
    assert t["observed_rate"].tolist() == pytest.approx([1 / 3, 2 / 3])


def test_win_back_ranks_by_expected_value_not_probability():
    s = pd.DataFrame(
        {"p_churn": [0.95, 0.6, 0.3, 0.1], "value": [20.0, 300.0, 1000.0, 50.0]},
        index=["w", "x", "y", "z"],
    )
    out = R.win_back_targets(s, save_rate=0.5, offer_cost=10.0)
    # EV: w 0.95*20*.5-10=-0.5 ; x 90-10=80 ; y 150-10=140 ; z 2.5-10=-7.5
    assert out.index.tolist() == ["y", "x", "w", "z"]
    assert out["expected_saved"].tolist() == pytest.approx([140.0, 80.0, -0.5, -7.5])
    assert out["target"].tolist() == [True, True, False, False]
    # the riskiest customer is not worth an offer; ranking by risk would pick it first
    assert s["p_churn"].idxmax() == "w"
    capped = R.win_back_targets(s, save_rate=0.5, offer_cost=10.0, budget=10.0)
    assert capped["target"].tolist() == [True, False, False, False]
    with pytest.raises(ValueError, match="save_rate"):
        R.win_back_targets(s, save_rate=1.5)


# ---------------------------------------------------------------- models vs ground truth


def _simulated_shop(n=1000, seed=7):
    """Customers buy at a Poisson rate until an exponential lifetime ends (known truth)."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2023-01-01")
    days = 730
    rows, truth = [], {}
    for i in range(n):
        cid = f"c{i:04d}"
        join = rng.integers(0, 300)
        rate = rng.gamma(2.0, 1 / 40)  # purchases per day, ~ every 20 days on average
        life = rng.exponential(300)
        stop = min(join + life, days)
        t = join
        while t < stop:
            rows.append((cid, start + pd.Timedelta(days=int(t)), float(rng.gamma(2, 10))))
            t += rng.exponential(1 / rate)
        truth[cid] = start + pd.Timedelta(days=float(join + life))
    tx = _tx(rows)
    return tx, pd.Series(truth, name="churn_date")


def test_churn_model_ranks_true_churners_well_above_chance():
    from sklearn.metrics import roc_auc_score

    tx, churn_date = _simulated_shop()
    train_cut, test_cut, horizon = "2024-03-01", "2024-06-01", 90
    X_tr, y_tr = R.churn_dataset(tx, cutoff=train_cut, horizon_days=horizon)
    X_te, y_te = R.churn_dataset(tx, cutoff=test_cut, horizon_days=horizon)
    # a customer truly churned by the end of the test window
    end = pd.Timestamp(test_cut) + pd.Timedelta(days=horizon)
    truly_gone = (churn_date.reindex(X_te.index) < end).to_numpy()
    models = R.fit_churn_models(X_tr, y_tr, random_state=0)
    for name, model in models.items():
        p = model.predict_proba(X_te)[:, 1]
        auc_obs = roc_auc_score(y_te, p)
        auc_truth = roc_auc_score(truly_gone, p)
        # observed in this simulation: about 0.85-0.9 for both models
        assert auc_obs > 0.75, (name, auc_obs)
        assert auc_truth > 0.75, (name, auc_truth)
        # calibrated: the mean predicted churn is close to the observed rate
        assert abs(p.mean() - y_te.mean()) < 0.08, name


def test_churn_models_are_reproducible():
    tx, _ = _simulated_shop(n=300, seed=3)
    X, y = R.churn_dataset(tx, cutoff="2024-03-01", horizon_days=90)
    a = R.fit_churn_models(X, y, random_state=1)["gradient boosting"].predict_proba(X)
    b = R.fit_churn_models(X, y, random_state=1)["gradient boosting"].predict_proba(X)
    np.testing.assert_array_equal(a, b)


@pytest.mark.slow
@pytest.mark.skipif("coffee_shop" not in list_datasets(), reason="course data not built")
def test_churn_model_on_course_world_against_truth():
    from sklearn.metrics import roc_auc_score

    w = load_world("coffee_shop")
    tx = w.transactions
    end = tx["date"].max().normalize()
    horizon = 90
    test_cut = end - pd.Timedelta(days=horizon)
    train_cut = test_cut - pd.Timedelta(days=horizon)
    X_tr, y_tr = R.churn_dataset(tx, cutoff=train_cut, horizon_days=horizon)
    model = R.fit_churn_models(X_tr, y_tr, random_state=0)["logistic regression"]
    # score at the end of the data and compare with who is truly still alive
    X_now = R.churn_features(tx, cutoff=end + pd.Timedelta(days=1))
    p = model.predict_proba(X_now)[:, 1]
    truth = w.truth.set_index("customer_id").reindex(X_now.index)
    auc = roc_auc_score(~truth["alive_at_end"].astype(bool), p)
    assert auc > 0.7, auc


# ---------------------------------------------------------------- widget


def test_cohort_widget_twin_filters_by_channel():
    import matplotlib.pyplot as plt

    from crm_lessons.widgets.retention import cohort_heatmap_explorer, cohort_heatmap_view

    tx = _tx(
        [
            ("a", "2024-01-05", 1.0),
            ("a", "2024-02-05", 1.0),
            ("b", "2024-01-09", 1.0),
            ("c", "2024-01-10", 1.0),
            ("c", "2024-02-11", 1.0),
        ]
    )
    cust = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c"],
            "acquisition_channel": ["ads", "ads", "friends"],
            "signup_date": pd.to_datetime(["2024-01-05", "2024-01-09", "2024-01-10"]),
        }
    )
    all_, fig = cohort_heatmap_view(tx, cust)
    assert all_.loc["2024-01"].tolist() == [1.0, pytest.approx(2 / 3)]
    ads, fig2 = cohort_heatmap_view(tx, cust, channel="ads")
    assert ads.loc["2024-01"].tolist() == [1.0, 0.5]
    assert "ads" in fig2.axes[0].get_title()
    with pytest.raises(ValueError, match="channel='tv'"):
        cohort_heatmap_view(tx, cust, channel="tv")
    box = cohort_heatmap_explorer(tx, cust)
    assert len(box.children) == 3
    plt.close("all")
