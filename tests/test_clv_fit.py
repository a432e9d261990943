"""Own BTYD estimators and intervals: lifetimes stays the reference."""

import numpy as np
import pandas as pd
import pytest

from crm_lessons import clv, clv_fit
from crm_lessons.datasets import load_cdnow_summary
from crm_lessons.lifetimes_compat import beta_geometric_nbd_model_transactional_data
from crm_lessons.rfm import btyd_summary

lt = clv._lifetimes()


@pytest.fixture(scope="module")
def cdnow():
    return load_cdnow_summary()


@pytest.fixture(scope="module")
def generated():
    """5,000 BG/NBD customers with known parameters, summarised in weeks."""
    true = {"r": 0.5, "alpha": 6.0, "a": 0.7, "b": 3.0}  # per week
    log = beta_geometric_nbd_model_transactional_data(
        np.random.default_rng(3).uniform(10, 80, 5000),
        true["r"],
        true["alpha"],
        true["a"],
        true["b"],
        observation_period_end="2024-12-29",
        freq="W",
        size=5000,
        random_state=4,
    )
    return btyd_summary(log, freq="D", monetary=False).assign(
        recency=lambda d: d["recency"] / 7, T=lambda d: d["T"] / 7
    ), true


def _lifetimes_fit(model, s):
    f, r, t = (s[c] for c in ("frequency", "recency", "T"))
    if model == "BG/NBD":
        return clv.fit_bgnbd(s)
    if model == "MBG/NBD":
        return lt.ModifiedBetaGeoFitter().fit(f, r, t)
    if model == "Pareto/NBD":
        return clv.fit_pareto_nbd(s, tol=1e-10, maxiter=20000)
    return clv.fit_gamma_gamma(s)


@pytest.mark.parametrize("model", ["BG/NBD", "MBG/NBD", "Pareto/NBD", "Gamma-Gamma"])
def test_same_estimates_as_lifetimes_on_cdnow(cdnow, model):
    ours = clv_fit.fit_btyd(cdnow, model).params_
    theirs = _lifetimes_fit(model, cdnow).params_[ours.index]
    np.testing.assert_allclose(ours, theirs, rtol=1e-4)


@pytest.mark.parametrize("model", ["BG/NBD", "MBG/NBD", "Pareto/NBD"])
def test_same_estimates_as_lifetimes_on_generated_data(generated, model):
    s, _ = generated
    ours = clv_fit.fit_btyd(s, model).params_
    theirs = _lifetimes_fit(model, s).params_[ours.index]
    np.testing.assert_allclose(ours, theirs, rtol=1e-4)


def test_recovers_true_parameters_within_their_intervals(generated):
    s, true = generated
    ci = clv_fit.fit_btyd(s, "BG/NBD").confidence_intervals(0.99)
    for name, value in true.items():
        assert ci.loc[name, "lower"] < value < ci.loc[name, "upper"], name


def test_published_cdnow_estimates(cdnow):
    for model, spec in clv.PUBLISHED_CDNOW.items():
        got = clv_fit.fit_btyd(cdnow, model).params_
        for name, value in spec["params"].items():
            assert got[name] == pytest.approx(value, rel=0.01), (model, name)


def test_hessian_errors_match_lifetimes_and_a_bootstrap(cdnow):
    fit = clv_fit.fit_btyd(cdnow, "BG/NBD")
    # lifetimes computes the same Hessian its own way
    np.testing.assert_allclose(
        fit.standard_errors(), np.asarray(clv.fit_bgnbd(cdnow).standard_errors_), rtol=0.01
    )
    # bootstrap: resample customers = multinomial counts over the distinct histories
    rng = np.random.default_rng(7)
    hist = fit.histories_
    probs = hist["count"] / hist["count"].sum()
    boot = []
    for _ in range(150):
        counts = rng.multinomial(int(hist["count"].sum()), probs)
        rows = hist.loc[np.repeat(hist.index, counts), ["x", "t_x", "T"]]
        sample = rows.rename(columns={"x": "frequency", "t_x": "recency"})
        refit = clv_fit.fit_btyd(sample, "BG/NBD", initial_params=fit.params_)
        boot.append(np.log(refit.params_.to_numpy()))
    boot_se = np.std(boot, axis=0, ddof=1)
    np.testing.assert_allclose(np.sqrt(np.diag(fit.cov_log_)), boot_se, rtol=0.25)


def test_pareto_nbd_errors_for_a_lifetimes_fit(cdnow):
    """lifetimes gives none for Pareto/NBD; ours agree with our own fit's."""
    a = clv_fit.as_btyd_fit(clv.fit_pareto_nbd(cdnow), cdnow).standard_errors()
    b = clv_fit.fit_btyd(cdnow, "Pareto/NBD").standard_errors()
    np.testing.assert_allclose(a, b, rtol=0.02)


@pytest.fixture(scope="module")
def intervals(cdnow):
    return clv_fit.clv_intervals(
        clv.fit_bgnbd(cdnow), clv.fit_gamma_gamma(cdnow), cdnow, n_draws=120, random_state=5
    )


def test_interval_point_values_are_the_course_predictions(cdnow, intervals):
    c = intervals.customers
    bg, gg = clv.fit_bgnbd(cdnow), clv.fit_gamma_gamma(cdnow)
    np.testing.assert_allclose(c["clv"], clv.discounted_clv(bg, gg, cdnow), rtol=1e-9)
    np.testing.assert_allclose(c["p_alive"], clv.p_alive(bg, cdnow), rtol=1e-12)
    inside = (c["clv_lower"] <= c["clv"]) & (c["clv"] <= c["clv_upper"])
    assert inside.mean() > 0.95
    assert (c["p_alive_upper"] <= 1).all() and (c["p_alive_lower"] >= 0).all()


def test_intervals_are_seeded(cdnow, intervals):
    again = clv_fit.clv_intervals(
        clv.fit_bgnbd(cdnow), clv.fit_gamma_gamma(cdnow), cdnow, n_draws=120, random_state=5
    )
    pd.testing.assert_frame_equal(again.customers, intervals.customers)


def test_segment_totals_are_totals_draw_by_draw(cdnow, intervals):
    seg = pd.Series(np.where(cdnow["frequency"] > 0, "repeat", "one-off"), index=cdnow.index)
    tot = intervals.segment_totals(seg, ci=0.8)
    assert tot["customers"].sum() == len(cdnow)
    np.testing.assert_allclose(tot["clv"].sum(), intervals.customers["clv"].sum())
    rep = intervals.clv_draws[:, (seg == "repeat").to_numpy()].sum(axis=1)
    assert tot.loc["repeat", "clv_lower"] == pytest.approx(np.quantile(rep, 0.1))
    assert tot.loc["repeat", "clv_upper"] == pytest.approx(np.quantile(rep, 0.9))
    with pytest.raises(ValueError, match="no label"):
        intervals.segment_totals(seg.iloc[:10])


def test_versus_cost_decisions_by_hand():
    c = pd.DataFrame(
        {"clv": [50.0, 12.0, 5.0], "clv_lower": [40.0, 8.0, 3.0], "clv_upper": [60.0, 16.0, 7.0]},
        index=list("ABC"),
    )
    draws = np.array([[45.0, 9.0, 4.0], [55.0, 15.0, 6.0]])
    res = clv_fit.CLVIntervals(customers=c, clv_draws=draws, ci=0.9).versus_cost(10.0)
    assert res["decision"].tolist() == ["worth it", "uncertain", "not worth it"]
    assert res["p_clv_above_cost"].tolist() == [1.0, 0.5, 0.0]


def test_bad_inputs(cdnow):
    with pytest.raises(ValueError, match="model='BG'"):
        clv_fit.fit_btyd(cdnow, "BG")
    bad = cdnow.head(3).copy()
    bad.loc[bad.index[0], "recency"] = 1e6
    with pytest.raises(ValueError, match="impossible"):
        clv_fit.fit_btyd(bad)
    with pytest.raises(TypeError, match="fitter must be"):
        clv_fit.as_btyd_fit(object(), cdnow)
    with pytest.raises(ValueError, match="ci=1.5"):
        clv_fit.fit_btyd(cdnow).confidence_intervals(1.5)
    with pytest.raises(ValueError, match="n_draws=0"):
        clv_fit.fit_btyd(cdnow).sample_params(0)


@pytest.mark.parametrize("model", ["BG/NBD", "MBG/NBD", "Gamma-Gamma"])
def test_analytic_gradients_match_finite_differences(cdnow, model):
    hist, _ = clv_fit._histories(cdnow, model, "frequency", "recency", "T", "monetary_value")
    cols = ["x", "m"] if model == "Gamma-Gamma" else ["x", "t_x", "T"]
    obj = clv_fit._Objective(model, [hist[c].to_numpy() for c in cols], hist["count"].to_numpy())
    x = np.log([0.7, 3.0, 1.3, 2.2][: 3 if model == "Gamma-Gamma" else 4])
    numeric = np.array([(obj(x + e) - obj(x - e)) / 2e-6 for e in np.eye(x.size) * 1e-6])
    np.testing.assert_allclose(obj.grad(x), numeric, rtol=1e-5)


@pytest.mark.parametrize("model", ["BG/NBD", "Pareto/NBD"])
def test_predict_clv_equals_the_course_route(cdnow, model):
    tm = clv.fit_bgnbd(cdnow) if model == "BG/NBD" else clv.fit_pareto_nbd(cdnow)
    gg = clv.fit_gamma_gamma(cdnow)
    out = clv_fit.predict_clv(tm, gg, cdnow, months=6, discount_rate=0.02, margin=0.3)
    want = clv.discounted_clv(tm, gg, cdnow, months=6, discount_rate=0.02, margin=0.3)
    np.testing.assert_allclose(out["clv"], want, rtol=1e-9)
    np.testing.assert_allclose(out["p_alive"], clv.p_alive(tm, cdnow), rtol=1e-12)
    np.testing.assert_allclose(
        out["expected_spend"],
        gg.conditional_expected_average_profit(cdnow["frequency"], cdnow["monetary_value"]),
        rtol=1e-12,
    )
    with pytest.raises(ValueError, match="spend_model must be a Gamma-Gamma"):
        clv_fit.predict_clv(tm, tm, cdnow)
