"""Model checks: the repeat-purchase distribution against lifetimes and simulation."""

import matplotlib
import numpy as np
import pytest

from crm_lessons import clv, clv_checks
from crm_lessons.datasets import load_cdnow_sample_transactions, load_cdnow_summary
from crm_lessons.lifetimes_compat import calibration_and_holdout_data

matplotlib.use("Agg")
lt = clv._lifetimes()


@pytest.fixture(scope="module")
def cdnow():
    return load_cdnow_summary()


@pytest.mark.parametrize("model", ["BG/NBD", "MBG/NBD"])
def test_pmf_matches_lifetimes(cdnow, model):
    f, r, t = (cdnow[c] for c in ("frequency", "recency", "T"))
    fitter = (lt.BetaGeoFitter() if model == "BG/NBD" else lt.ModifiedBetaGeoFitter()).fit(f, r, t)
    ours = clv_checks.repeat_purchase_probabilities(model, fitter.params_, 39.0, np.arange(12))
    theirs = [float(fitter.probability_of_n_purchases_up_to_time(39.0, n)) for n in range(12)]
    np.testing.assert_allclose(ours, theirs, rtol=1e-9)


@pytest.mark.parametrize("model", ["BG/NBD", "MBG/NBD", "Pareto/NBD"])
def test_pmf_sums_to_one(model):
    params = (0.55, 10.58, 0.61, 11.67) if model == "Pareto/NBD" else (0.5, 6.0, 0.8, 2.5)
    p = clv_checks.repeat_purchase_probabilities(
        model, params, [5.0, 39.0, 200.0], np.arange(600)[:, None]
    )
    np.testing.assert_allclose(p.sum(axis=0), 1.0, atol=1e-9)
    assert (p >= 0).all()


def test_pareto_pmf_against_simulation():
    """Simulate the Pareto/NBD story directly: gamma rates, exponential lifetimes."""
    r, alpha, s, beta = 0.55, 10.58, 0.61, 11.67
    rng = np.random.default_rng(11)
    n, t = 400_000, 39.0
    lam = rng.gamma(r, 1 / alpha, n)
    mu = rng.gamma(s, 1 / beta, n)
    life = rng.exponential(1 / mu)
    x = rng.poisson(lam * np.minimum(life, t))
    observed = np.bincount(x, minlength=6)[:6] / n
    expected = clv_checks.repeat_purchase_probabilities(
        "Pareto/NBD", (r, alpha, s, beta), t, np.arange(6)
    )
    se = np.sqrt(expected * (1 - expected) / n)
    assert np.all(np.abs(observed - expected) < 4 * se)


def test_check_model_tables(cdnow):
    checks = clv_checks.check_model(clv.fit_bgnbd(cdnow), cdnow, max_frequency=10)
    h = checks.repeat_histogram
    assert h["observed"].sum() == len(cdnow)
    assert h["expected"].sum() == pytest.approx(len(cdnow))
    assert h.loc[0, "observed"] == (cdnow["frequency"] == 0).sum()
    assert checks.p_alive.shape == checks.frequency_recency.shape
    assert checks.p_alive.shape[1] == 11
    assert ((checks.p_alive.to_numpy() >= 0) & (checks.p_alive.to_numpy() <= 1)).all()
    # more purchases at the same (late) recency: more expected purchases
    last = checks.frequency_recency.iloc[-1].to_numpy()
    assert np.all(np.diff(last[1:]) > 0)
    assert checks.holdout is None


def test_check_model_holdout_and_plot():
    tx = load_cdnow_sample_transactions()
    table = calibration_and_holdout_data(
        tx, "customer_id", "date", "1997-09-30", observation_period_end="1998-06-30",
        freq="D", freq_multiplier=7,
    )  # fmt: skip
    cal = table.rename(
        columns={"frequency_cal": "frequency", "recency_cal": "recency", "T_cal": "T"}
    )
    model = clv.fit_pareto_nbd(cal)
    checks = clv_checks.check_model(model, cal, holdout=table)
    ho = checks.holdout
    assert ho.loc["total", "actual"] == table["frequency_holdout"].sum()
    direct = model.conditional_expected_number_of_purchases_up_to_time(
        table["duration_holdout"], table["frequency_cal"], table["recency_cal"], table["T_cal"]
    )
    assert ho.loc["total", "predicted"] == pytest.approx(float(np.sum(direct)), rel=1e-9)
    fig = checks.plot()
    assert len(fig.axes) >= 4
    matplotlib.pyplot.close(fig)


def test_check_model_bad_inputs(cdnow):
    with pytest.raises(ValueError, match="Gamma-Gamma"):
        clv_checks.check_model(clv.fit_gamma_gamma(cdnow), cdnow)
    with pytest.raises(ValueError, match="holdout lacks"):
        clv_checks.check_model(clv.fit_bgnbd(cdnow), cdnow, holdout=cdnow)
    with pytest.raises(ValueError, match="model='X'"):
        clv_checks.repeat_purchase_probabilities("X", (1, 1, 1, 1), 1, 1)
