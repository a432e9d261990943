"""Tests of crm_lessons.lifetimes_compat on the CDNOW data.

Each broken lifetimes helper gets two kinds of test: one that shows lifetimes'
own version still fails on this stack (so the layer is still needed; if one of
these starts failing, the stack changed and the fix may be retired), and one
that checks the fixed version against numbers worked out by hand from the raw
CDNOW transactions, against the published CDNOW summary, or against the
model's closed-form ground truth.
"""

import importlib.util
import json
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from crm_lessons import lifetimes_compat as lc
from crm_lessons.datasets import (
    load_cdnow_sample_transactions,
    load_cdnow_summary,
)

lt = lc.import_lifetimes()

CAL_END = "1997-09-30"
# Fader, Hardie & Lee (2005), "Counting your customers the easy way", CDNOW sample, weeks.
BGNBD_PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}


@pytest.fixture(scope="module")
def tx():
    return load_cdnow_sample_transactions()


@pytest.fixture(scope="module")
def summary():
    return load_cdnow_summary()


@pytest.fixture(scope="module")
def weekly_model(summary):
    return lt.BetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])


@pytest.fixture(scope="module")
def daily_model(tx):
    """BG/NBD fitted in days on the calibration period of the CDNOW sample."""
    cal = lt.utils.summary_data_from_transaction_data(
        tx, "customer_id", "date", observation_period_end=CAL_END
    )
    return lt.BetaGeoFitter().fit(cal["frequency"], cal["recency"], cal["T"])


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _run_python(code: str) -> dict:
    """Run code in a fresh interpreter; it must print one JSON object last."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------- lifetimes' own versions still fail


def test_original_calibration_and_holdout_fails_without_monetary(tx):
    original = lc._original("lifetimes.utils", "calibration_and_holdout_data")
    with pytest.raises(ValueError, match="No objects to concatenate"):
        original(tx, "customer_id", "date", CAL_END)


def test_original_calculate_alive_path_fails(tx, daily_model):
    original = lc._original("lifetimes.utils", "calculate_alive_path")
    with pytest.raises(TypeError, match="method"):
        original(daily_model, tx[tx["customer_id"] == "1000"], "date", 100)


def test_original_plot_history_alive_fails(tx, daily_model):
    original = lc._original("lifetimes.plotting", "plot_history_alive")
    with pytest.raises(TypeError, match="datetime64"):
        original(daily_model, 100, tx[tx["customer_id"] == "1000"], "date")


def test_original_plot_expected_repeat_purchases_fails(weekly_model):
    original = lc._original("lifetimes.plotting", "plot_expected_repeat_purchases")
    with pytest.raises(AttributeError, match="prop_cycler"):
        original(weekly_model)


def test_original_transactional_generator_fails():
    original = lc._original(
        "lifetimes.generate_data", "beta_geometric_nbd_model_transactional_data"
    )
    with pytest.raises(AttributeError, match="append"):
        original(10, 0.2, 4.0, 0.8, 2.4, size=1)


# ------------------------------------------------- 1. calibration / holdout table


@pytest.mark.parametrize("monetary", [None, "amount"])
def test_calibration_columns_match_lifetimes_summary(tx, monetary):
    table = lc.calibration_and_holdout_data(
        tx, "customer_id", "date", CAL_END, monetary_value_col=monetary
    )
    expected = lt.utils.summary_data_from_transaction_data(
        tx[tx["date"] <= CAL_END],
        "customer_id",
        "date",
        monetary_value_col=monetary,
        observation_period_end=CAL_END,
    )
    cal = table[[c for c in table.columns if c.endswith("_cal")]]
    cal.columns = [c.removesuffix("_cal") for c in cal.columns]
    pd.testing.assert_frame_equal(cal, expected)
    # every customer of the sample made a first purchase in Q1 1997, so all are rows
    assert len(table) == 2357
    assert table.attrs["n_holdout_only_customers"] == 0
    assert (table["duration_holdout"] == 273.0).all()  # 1997-09-30 -> 1998-06-30


def test_calibration_columns_match_published_cdnow_summary(tx):
    # the published summary is in weeks, to 2 decimals
    table = lc.calibration_and_holdout_data(
        tx, "customer_id", "date", CAL_END, freq="D", freq_multiplier=7
    )
    table.index = table.index.astype(int)
    published = load_cdnow_summary().loc[table.index]
    assert (table["frequency_cal"] == published["frequency"]).all()
    for col in ("recency", "T"):
        assert np.abs(table[f"{col}_cal"] - published[col]).max() < 0.0051
    assert table["duration_holdout"].iloc[0] == pytest.approx(39.0)


# Counted by hand from the raw rows of the CDNOW sample (holdout: 1997-10-01 .. 1998-06-30):
#   "1":    1997-12-12 (26.48)                                      -> 1 purchase day
#   "1000": 1998-01-10 (27.98), 01-16 (25.49), 05-09 (28.48)        -> 3
#   "1786": 1998-05-14 x3 (2.49, 5.49, 11.99), 05-26 (27.99),
#           06-10 x2 (9.49, 10.49)                                  -> 3 (6 rows)
#   "2", "18": nothing after 1997-09-30                            -> 0
HOLDOUT_BY_HAND = {
    "1": (1, 26.48),
    "1000": (3, (27.98 + 25.49 + 28.48) / 3),
    "1786": (3, (2.49 + 5.49 + 11.99 + 27.99 + 9.49 + 10.49) / 6),
    "2": (0, 0.0),
    "18": (0, 0.0),
}


@pytest.mark.parametrize("monetary", [None, "amount"])
def test_holdout_columns_counted_by_hand(tx, monetary):
    table = lc.calibration_and_holdout_data(
        tx, "customer_id", "date", CAL_END, monetary_value_col=monetary
    )
    for customer, (count, mean_value) in HOLDOUT_BY_HAND.items():
        assert table.loc[customer, "frequency_holdout"] == count, customer
        if monetary:
            assert table.loc[customer, "monetary_value_holdout"] == pytest.approx(mean_value)
    assert ("monetary_value_holdout" in table.columns) == bool(monetary)
    # customer 1000: 5 purchases before the cut, first 1997-02-07, last 1997-07-28
    assert table.loc["1000", ["frequency_cal", "recency_cal", "T_cal"]].tolist() == [
        4.0,
        171.0,
        235.0,
    ]


def test_calibration_with_monetary_equals_lifetimes_own(tx):
    # lifetimes' version still works when a monetary column is given: same table
    original = lc._original("lifetimes.utils", "calibration_and_holdout_data")
    args = (tx, "customer_id", "date", CAL_END)
    pd.testing.assert_frame_equal(
        lc.calibration_and_holdout_data(*args, monetary_value_col="amount", freq="W"),
        original(*args, monetary_value_col="amount", freq="W"),
    )


def test_calibration_tiny_table_and_holdout_only_customers():
    tx = pd.DataFrame(
        {
            "cid": ["A", "A", "A", "B", "C"],
            "when": ["2024-01-01", "2024-01-05", "2024-01-12", "2024-01-03", "2024-01-10"],
        }
    )
    table = lc.calibration_and_holdout_data(
        tx, "cid", "when", "2024-01-06", observation_period_end="2024-01-12"
    )
    assert table.index.tolist() == ["A", "B"]  # C first bought in the holdout period
    assert table.attrs["n_holdout_only_customers"] == 1
    assert table.loc["A"].tolist() == [1.0, 4.0, 5.0, 1.0, 6.0]
    assert table.loc["B"].tolist() == [0.0, 0.0, 3.0, 0.0, 6.0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"customer_id_col": "who"}, "lacks column"),
        ({"calibration_period_end": "1999-01-01"}, "must be before"),
        ({"calibration_period_end": "1996-01-01"}, "no transaction on or before"),
        ({"calibration_period_end": "not a date"}, "calibration_period_end='not a date'"),
        ({"freq": "fortnightly"}, "freq='fortnightly'"),
    ],
)
def test_calibration_bad_input(tx, kwargs, message):
    args = {
        "transactions": tx,
        "customer_id_col": "customer_id",
        "datetime_col": "date",
        "calibration_period_end": CAL_END,
    } | kwargs
    with pytest.raises(ValueError, match=message):
        lc.calibration_and_holdout_data(**args)


# --------------------------------------- 2. calibration vs holdout purchases plot


@pytest.mark.parametrize("kind", ["frequency_cal", "time_since_last_purchase"])
def test_plot_calibration_vs_holdout(tx, daily_model, kind):
    table = lc.calibration_and_holdout_data(tx, "customer_id", "date", CAL_END)
    fig, ax = plt.subplots()
    out = lc.plot_calibration_purchases_vs_holdout_purchases(
        daily_model, table, kind=kind, n=5, ax=ax
    )
    assert out is ax
    actual, predicted = ax.get_lines()
    assert len(actual.get_xdata()) == 5
    if kind == "frequency_cal":
        # actual line = mean holdout purchases of customers with 0..4 calibration repeats
        by_hand = table.groupby("frequency_cal")["frequency_holdout"].mean().iloc[:5]
        np.testing.assert_allclose(actual.get_ydata(), by_hand.to_numpy())
        np.testing.assert_allclose(actual.get_xdata(), [0, 1, 2, 3, 4])
        # prediction for the 0-repeat group: all share (0, 0, T); average of E[X] over T
        zero = table[table["frequency_cal"] == 0]
        expected = daily_model.conditional_expected_number_of_purchases_up_to_time(
            273, zero["frequency_cal"], zero["recency_cal"], zero["T_cal"]
        ).mean()
        assert predicted.get_ydata()[0] == pytest.approx(expected)


def test_plot_calibration_vs_holdout_works_in_lifetimes_after_patch(tx, daily_model):
    patched = lc.patch_lifetimes()
    table = patched.utils.calibration_and_holdout_data(tx, "customer_id", "date", CAL_END)
    ax = patched.plotting.plot_calibration_purchases_vs_holdout_purchases(daily_model, table)
    assert len(ax.get_lines()) == 2
    assert len(ax.get_lines()[0].get_xdata()) == 7


# ------------------------------------------------------ 3. alive path and its plot


# Customer 1786 of the CDNOW sample, days since the first purchase (1997-03-05):
# 13 (03-18), 86 (05-30), 89 (06-02), 435 (1998-05-14, 3 rows), 447 (05-26),
# 462 (06-10, 2 rows). (T, frequency, recency) read off that list by hand:
PATH_POINTS_1786 = [
    (0, 0, 0),
    (12, 0, 0),
    (13, 1, 13),
    (50, 1, 13),
    (89, 3, 89),
    (300, 3, 89),
    (435, 4, 435),
    (450, 5, 447),
    (462, 6, 462),
    (500, 6, 462),
]


def test_calculate_alive_path_matches_conditional_probability_alive(tx, daily_model):
    one = tx[tx["customer_id"] == "1786"]
    path = lc.calculate_alive_path(daily_model, one, "date", 500)
    assert len(path) == 501
    for age, freq, rec in PATH_POINTS_1786:
        expected = daily_model.conditional_probability_alive(freq, rec, age)
        assert path.loc[age] == pytest.approx(float(np.squeeze(expected))), age
    assert path.loc[0] == 1.0  # no repeat purchase yet: alive for sure under BG/NBD
    # a t shorter than the history still covers the history (as lifetimes does)
    assert len(lc.calculate_alive_path(daily_model, one, "date", 100)) == 463


def test_calculate_alive_path_pareto_nbd_weekly(tx):
    # Pareto/NBD in weeks, as in lifetimes' docs; customer 1000 buys in weeks 0, 5, 11, ...
    s = load_cdnow_summary()
    model = lt.ParetoNBDFitter().fit(s["frequency"], s["recency"], s["T"])
    one = tx[tx["customer_id"] == "1000"]
    path = lc.calculate_alive_path(model, one, "date", 60, freq="W")
    # 1997-02-07 is in the week Mon 02-03 .. Sun 02-09; 03-13 in week 5 after it
    assert path.loc[4] == pytest.approx(model.conditional_probability_alive(0, 0, 4))
    assert path.loc[5] == pytest.approx(model.conditional_probability_alive(1, 5, 5))
    assert path.loc[8] == pytest.approx(model.conditional_probability_alive(1, 5, 8))


def test_calculate_alive_path_bad_input(tx, daily_model):
    one = tx[tx["customer_id"] == "1"]
    with pytest.raises(ValueError, match="t=-1"):
        lc.calculate_alive_path(daily_model, one, "date", -1)
    with pytest.raises(ValueError, match="lacks column"):
        lc.calculate_alive_path(daily_model, one, "when", 10)


def test_plot_history_alive(tx, daily_model):
    one = tx[tx["customer_id"] == "1786"]
    fig, ax = plt.subplots()
    out = lc.plot_history_alive(daily_model, 500, one, "date", ax=ax)
    assert out is ax
    (line,) = ax.get_lines()
    path = lc.calculate_alive_path(daily_model, one, "date", 500)
    np.testing.assert_allclose(line.get_ydata(), path.to_numpy())
    assert len(ax.collections) == 1
    assert len(ax.collections[0].get_segments()) == 7  # 7 distinct purchase days
    assert ax.get_ylim() == (0.0, 1.0)


def test_plot_history_alive_through_patched_lifetimes(tx, daily_model):
    patched = lc.patch_lifetimes()
    from lifetimes.plotting import plot_history_alive

    # customer 1000 buys on days 0, 34, 80, 117, 171, 337, 343 and 456 (1998-05-09)
    plot_history_alive(daily_model, 500, tx[tx["customer_id"] == "1000"], "date")
    ax = plt.gca()
    assert len(ax.get_lines()) == 1
    assert len(ax.get_lines()[0].get_xdata()) == 501
    assert len(ax.collections[0].get_segments()) == 8
    assert patched.utils.calculate_alive_path is lc.calculate_alive_path


# ------------------------------------------------- 4. expected repeat purchases plot


def test_plot_expected_repeat_purchases(weekly_model, summary):
    fig, ax = plt.subplots()
    out = lc.plot_expected_repeat_purchases(weekly_model, ax=ax, label="BG/NBD")
    assert out is ax
    solid, dashed = ax.get_lines()
    assert solid.get_color() == dashed.get_color()
    assert (solid.get_linestyle(), dashed.get_linestyle()) == ("-", "--")
    max_t = summary["T"].max()
    assert solid.get_xdata()[-1] == pytest.approx(max_t)
    assert dashed.get_xdata()[-1] == pytest.approx(1.5 * max_t)
    np.testing.assert_allclose(
        solid.get_ydata(), weekly_model.expected_number_of_purchases_up_to_time(solid.get_xdata())
    )
    assert dashed.get_ydata()[0] == pytest.approx(
        weekly_model.expected_number_of_purchases_up_to_time(max_t)
    )
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["BG/NBD"]


def test_plot_expected_repeat_purchases_two_models_two_colours(weekly_model, summary):
    other = lt.ModifiedBetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])
    fig, ax = plt.subplots()
    lc.plot_expected_repeat_purchases(weekly_model, ax=ax)
    lc.plot_expected_repeat_purchases(other, ax=ax, c="black")
    lines = ax.get_lines()
    assert len(lines) == 4
    assert lines[0].get_color() != lines[2].get_color()
    assert lines[2].get_color() == lines[3].get_color() == "black"
    assert ax.get_legend() is None  # no label given: no empty legend


# ---------------------------------------------------------- 5. BG/NBD log generator

TRUE = BGNBD_PUBLISHED  # ground truth for the simulations: CDNOW-like, per week


def _generate(size, seed, T=39):
    return lc.beta_geometric_nbd_model_transactional_data(
        T, *TRUE.values(), observation_period_end="2020-12-31", freq="W", size=size,
        random_state=seed,
    )  # fmt: skip


def test_generator_is_reproducible_and_well_formed():
    a = _generate(500, 7)
    pd.testing.assert_frame_equal(a, _generate(500, 7))
    pd.testing.assert_frame_equal(a, _generate(500, np.random.default_rng(7)))
    assert not a.equals(_generate(500, 8))
    assert a.columns.tolist() == ["customer_id", "date"]
    assert a["customer_id"].nunique() == 500
    first = a.groupby("customer_id")["date"].first()
    # first purchase exactly T = 39 weeks before the end; nothing after the end
    assert (first == pd.Timestamp("2020-12-31") - pd.Timedelta(weeks=39)).all()
    assert a["date"].max() <= pd.Timestamp("2020-12-31")
    assert a.groupby("customer_id")["date"].is_monotonic_increasing.all()


def test_generator_varying_T_and_bad_input():
    log = lc.beta_geometric_nbd_model_transactional_data(
        [10, 20, 30], 0.5, 2.0, 0.5, 2.0, observation_period_end="2024-03-31", size=3,
        random_state=0,
    )  # fmt: skip
    first = log.groupby("customer_id")["date"].first()
    assert (pd.Timestamp("2024-03-31") - first).dt.days.tolist() == [10, 20, 30]
    with pytest.raises(ValueError, match="T has shape"):
        lc.beta_geometric_nbd_model_transactional_data([10, 20], 0.5, 2.0, 0.5, 2.0, size=3)
    with pytest.raises(ValueError, match="alpha=-1"):
        lc.beta_geometric_nbd_model_transactional_data(10, 0.5, -1, 0.5, 2.0)
    with pytest.raises(ValueError, match="freq='M'"):
        lc.beta_geometric_nbd_model_transactional_data(10, 0.5, 1.0, 0.5, 2.0, freq="M")


def test_generator_repeat_counts_match_bgnbd_closed_form():
    # Ground truth: P(X(t) = x) and E[X(t)] of the BG/NBD with the true parameters.
    n, T = 20_000, 39
    counts = _generate(n, 2024).groupby("customer_id").size() - 1
    truth = lt.BetaGeoFitter()
    truth.params_ = pd.Series(TRUE)
    # 4 standard errors of a sample mean / proportion
    assert counts.mean() == pytest.approx(
        truth.expected_number_of_purchases_up_to_time(T), abs=4 * counts.std() / np.sqrt(n)
    )
    for x in range(4):
        p = truth.probability_of_n_purchases_up_to_time(T, x)
        assert (counts == x).mean() == pytest.approx(p, abs=4 * np.sqrt(p * (1 - p) / n)), x


def test_generator_bgnbd_fit_recovers_parameters():
    # 20,000 customers observed 39 weeks. The summary is taken to the hour (freq="h",
    # 168 hours a week): at day resolution same-day repeat purchases merge and bias
    # r and alpha upward by about 2 standard errors (measured), which is the
    # discretisation, not the generator. Tolerance: 4 of the fit's own asymptotic
    # standard errors (from the Hessian) for each parameter.
    log = _generate(20_000, 11)
    s = lt.utils.summary_data_from_transaction_data(
        log, "customer_id", "date", observation_period_end="2020-12-31", freq="h",
        freq_multiplier=168,
    )  # fmt: skip
    fit = lt.BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"])
    for name, value in TRUE.items():
        assert abs(fit.params_[name] - value) < 4 * fit.standard_errors_[name], name
        assert fit.params_[name] == pytest.approx(value, rel=0.25), name


# ------------------------------------------------------------------- 6. datasets


def test_load_dataset_reads_lifetimes_files():
    s = lc.load_dataset("cdnow_customers_summary_with_transactions.csv")
    assert s.shape == (2357, 5)
    assert s.iloc[0].tolist() == pytest.approx([1, 2, 30.43, 38.86, 22.35])
    with pytest.raises(ValueError, match="available"):
        lc.load_dataset("no_such_file.csv")


def test_datasets_fallback_without_pkg_resources():
    result = _run_python(
        """
        import json, sys
        sys.modules["pkg_resources"] = None  # as on Python >= 3.12 with setuptools >= 82
        try:
            import lifetimes.datasets
            before = "imported"
        except ImportError as err:
            before = type(err).__name__
        from crm_lessons.lifetimes_compat import patch_lifetimes
        patch_lifetimes()
        from lifetimes.datasets import (
            load_cdnow_summary, load_cdnow_summary_data_with_monetary_value,
            load_donations, load_transaction_data,
        )
        import lifetimes
        m = load_cdnow_summary_data_with_monetary_value()
        print(json.dumps({
            "before": before,
            "same": lifetimes.datasets is sys.modules["lifetimes.datasets"],
            "summary": list(load_cdnow_summary(index_col=[0]).shape),
            "monetary": list(m.shape),
            "customer_1": m.loc[1].tolist(),
            "repeaters": int((m["frequency"] > 0).sum()),
            "donations_weights": int(load_donations()["weights"].sum()),
            "transactions_cols": load_transaction_data().columns.tolist(),
        }))
        """
    )
    assert result["before"] == "ModuleNotFoundError"
    assert result["same"]
    assert result["summary"] == [2357, 3]
    assert result["monetary"] == [2357, 4]
    assert result["customer_1"] == [2, 30.43, 38.86, 22.35]
    assert result["repeaters"] == 946  # Fader, Hardie & Lee (2005): 946 of 2,357 repeat
    assert result["donations_weights"] == 11104  # the 1995 cohort of 11,104 donors
    assert result["transactions_cols"] == ["date", "id"]


def test_patch_keeps_working_original_datasets_module():
    patched = lc.patch_lifetimes()
    if importlib.util.find_spec("pkg_resources") is not None:
        assert patched.datasets.__file__.endswith("datasets/__init__.py")  # left alone
    else:
        assert not hasattr(patched.datasets, "__file__")  # the fallback
    assert sys.modules["lifetimes.datasets"] is patched.datasets
    assert patched.datasets.load_cdnow_summary().shape == (2357, 4)


# ------------------------------------------------------ 7. import without warnings

_RECORD_IMPORT = """
    import json, warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        {importer}
        # lifetimes' own import adds ("ignore", FutureWarning) for the whole session
        hides_future = any(
            f[0] == "ignore" and f[1] is None and f[2] is FutureWarning
            for f in warnings.filters
        )
    print(json.dumps({{
        "warnings": sorted({{w.category.__name__ for w in caught}}),
        "hides_future_warnings": hides_future,
        "version": lt.__version__,
    }}))
"""


def test_plain_import_of_lifetimes_warns():
    result = _run_python(_RECORD_IMPORT.format(importer="import lifetimes as lt"))
    assert "Pandas4Warning" in result["warnings"]
    assert result["hides_future_warnings"]


def test_import_lifetimes_emits_no_pandas4warning():
    importer = "from crm_lessons.lifetimes_compat import import_lifetimes; lt = import_lifetimes()"
    result = _run_python(_RECORD_IMPORT.format(importer=importer))
    assert "Pandas4Warning" not in result["warnings"]
    assert not result["hides_future_warnings"]
    assert result["version"] == "0.11.3"


# ------------------------------------------------------------------------ patching


def test_patch_lifetimes_is_idempotent_and_keeps_originals():
    first = lc.patch_lifetimes()
    second = lc.patch_lifetimes()
    assert first is second is sys.modules["lifetimes"]
    for module_name, attribute, fixed in lc._PATCHES:
        assert getattr(sys.modules[module_name], attribute) is fixed
        original = lc._original(module_name, attribute)
        assert original is not fixed
        assert original.__module__.startswith("lifetimes.")


def test_lifetimes_docs_workflow_after_patch(tx):
    # lifetimes' quick-start, as documented, on the CDNOW sample
    lc.patch_lifetimes()
    from lifetimes import BetaGeoFitter
    from lifetimes.generate_data import beta_geometric_nbd_model_transactional_data
    from lifetimes.utils import calibration_and_holdout_data

    table = calibration_and_holdout_data(tx, "customer_id", "date", CAL_END)
    # 1,882 distinct (customer, day) pairs after 1997-09-30 in the raw sample
    assert table["frequency_holdout"].sum() == 1882
    model = BetaGeoFitter().fit(table["frequency_cal"], table["recency_cal"], table["T_cal"])
    assert model.params_["r"] > 0
    log = beta_geometric_nbd_model_transactional_data(30, 0.2, 4.0, 0.8, 2.4, size=20)
    assert log["customer_id"].nunique() == 20


# ------------------------------------------- what works unchanged (pins the table)


def test_fitters_reproduce_published_cdnow_estimates(summary, weekly_model):
    for name, value in BGNBD_PUBLISHED.items():
        assert weekly_model.params_[name] == pytest.approx(value, rel=0.005), name
    # Gamma-Gamma on repeat customers: p = 6.25, q = 3.74, v = 15.44 (Fader, Hardie & Lee 2005)
    rep = summary[summary["frequency"] > 0]
    gg = lt.GammaGammaFitter().fit(rep["frequency"], rep["monetary_value"])
    assert gg.params_.tolist() == pytest.approx([6.25, 3.74, 15.44], rel=0.005)


@pytest.mark.parametrize(
    "plot",
    ["plot_frequency_recency_matrix", "plot_probability_alive_matrix", "plot_period_transactions"],
)
def test_unchanged_lifetimes_plots_work(weekly_model, plot):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # not even a deprecation warning on this stack
        ax = getattr(lt.plotting, plot)(weekly_model)
    if plot == "plot_period_transactions":
        assert len(ax.patches) == 2 * 7  # actual and model bars for 0..6 repeats
    else:
        assert len(ax.get_images()) == 1


def test_unchanged_clv_and_tracking_plots_emit_no_warning(tx, summary, weekly_model, daily_model):
    rep = summary[summary["frequency"] > 0]
    gg = lt.GammaGammaFitter().fit(rep["frequency"], rep["monetary_value"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clv = gg.customer_lifetime_value(
            weekly_model, summary["frequency"], summary["recency"], summary["T"],
            summary["monetary_value"], time=12, freq="W",
        )  # fmt: skip
        fig, (ax1, ax2) = plt.subplots(1, 2)
        lt.plotting.plot_cumulative_transactions(
            daily_model, tx, "date", "customer_id", 120, 60, ax=ax1
        )
        lt.plotting.plot_incremental_transactions(
            daily_model, tx, "date", "customer_id", 120, 60, ax=ax2
        )
    assert clv.shape == (2357,) and np.isfinite(clv).all() and (clv > 0).all()
    # actual, predicted and the calibration-end marker
    assert len(ax1.get_lines()) == len(ax2.get_lines()) == 3
    assert len(ax1.get_lines()[0].get_xdata()) == 120


def test_unchanged_expected_cumulative_transactions(tx, daily_model):
    cum = lt.utils.expected_cumulative_transactions(
        daily_model, tx, "date", "customer_id", 546, freq="D"
    )
    # repeat purchase days (one per customer per day) up to 1998-06-30, counted directly
    days = tx.assign(day=tx["date"].dt.normalize()).drop_duplicates(["customer_id", "day"])
    repeats = (days["day"] > days.groupby("customer_id")["day"].transform("min")).sum()
    assert cum["actual"].iloc[-1] == repeats == 4339
    assert cum["predicted"].iloc[-1] == pytest.approx(4339, rel=0.1)
