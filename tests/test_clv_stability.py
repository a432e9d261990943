"""Extreme customer histories: no NaN, no inf, values in range, continuous.

The stable formulas of :mod:`crm_lessons.btyd` are installed into lifetimes
by :func:`crm_lessons.lifetimes_compat.patch_lifetimes`; these tests call
lifetimes' own methods after patching, check them against an independent
numerical integral where lifetimes' formula breaks down, and against
lifetimes' original formulas where those still work.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.integrate import quad

from crm_lessons import btyd, clv
from crm_lessons import lifetimes_compat as lc
from crm_lessons.rfm import btyd_summary

lt = lc.patch_lifetimes()

# Published CDNOW estimates (weeks): Fader, Hardie & Lee (2005); MBG/NBD: lifetimes' CDNOW fit.
PARAMS = {
    "BetaGeoFitter": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426},
    "ModifiedBetaGeoFitter": {"r": 0.525, "alpha": 6.183, "a": 0.891, "b": 1.614},
    "ParetoNBDFitter": {"r": 0.55, "alpha": 10.58, "s": 0.61, "beta": 11.67},
}

# (x, t_x, T): recency = T, very high frequency, T >> recency, zero repeat buyers.
EXTREMES = np.array(
    [
        (0, 0, 1e-3),
        (0, 0, 39),
        (0, 0, 1e5),
        (1, 39, 39),
        (132, 200, 200),
        (500, 730, 730),
        (5_000, 730, 730),
        (100_000, 1e4, 1e4),
        (300, 10, 730),
        (5_000, 1, 1e5),
        (3, 1, 1e5),
        (50, 1e4 - 1e-9, 1e4),
    ],
    dtype="float64",
)


def _fitter(name: str):
    model = getattr(lt, name)()
    model.params_ = pd.Series(PARAMS[name])
    return model


@pytest.mark.parametrize("name", list(PARAMS))
def test_extreme_histories_finite_and_in_range(name):
    model = _fitter(name)
    x, t_x, T = EXTREMES.T
    p = np.asarray(model.conditional_probability_alive(x, t_x, T))
    e = np.asarray(model.conditional_expected_number_of_purchases_up_to_time(52, x, t_x, T))
    assert np.isfinite(p).all() and np.isfinite(e).all()
    assert ((p >= 0) & (p <= 1)).all()
    assert (e >= 0).all()
    # a customer who buys at rate ~x/T and is surely alive buys about 52 x / T in 52 weeks
    heavy = (x >= 500) & (t_x == T)
    np.testing.assert_allclose(e[heavy], p[heavy] * 52 * x[heavy] / T[heavy], rtol=0.05)
    # a long silence after a burst of purchases means the customer is gone
    assert p[(x == 300) & (t_x == 10)][0] < 1e-6


@pytest.mark.parametrize("name", list(PARAMS))
def test_continuity_with_nearby_histories(name):
    model = _fitter(name)
    for x, T in [(132, 200.0), (5_000, 730.0), (100_000, 1e4)]:
        at_t = model.conditional_probability_alive(x, T, T)
        near = model.conditional_probability_alive(x, T - 1e-7, T)
        assert abs(float(np.squeeze(at_t)) - float(np.squeeze(near))) < 1e-6
        e0 = model.conditional_expected_number_of_purchases_up_to_time(10, x, T, T)
        e1 = model.conditional_expected_number_of_purchases_up_to_time(10, x + 1, T, T)
        assert 0 < float(np.squeeze(e1)) - float(np.squeeze(e0)) < 0.01 * float(np.squeeze(e0))


def test_pareto_nbd_matches_lifetimes_underflow_test():
    """lifetimes' test_conditional_expectation_underflow, with the values in its comments."""
    model = _fitter("ParetoNBDFitter")
    left = model.conditional_expected_number_of_purchases_up_to_time(10, 132, 200, 200)
    right = model.conditional_expected_number_of_purchases_up_to_time(10, 133, 200, 200)
    assert left == pytest.approx(6.2060517889632418, rel=1e-9)
    assert right == pytest.approx(6.2528722475748113, rel=1e-9)


def test_pareto_nbd_r_btyd_walkthrough():
    """R BTYD walkthrough: x = 26, t_x = 30.86, T = 31, 52 weeks -> 25.46 on CDNOW."""
    from crm_lessons.datasets import load_cdnow_summary

    model = clv.fit_pareto_nbd(load_cdnow_summary())
    got = model.conditional_expected_number_of_purchases_up_to_time(52, 26, 30.86, 31)
    assert abs(got - 25.46) < 0.01


def _log_a0_by_quadrature(params, x, t_x, T):
    """A_0 = (r+s+x) * integral_{t_x}^{T} (alpha+u)^-(r+x) (beta+u)^-(s+1) du, in logs."""
    r, alpha, s, beta = params

    def log_g(u):
        return -(r + x) * np.log(alpha + u) - (s + 1) * np.log(beta + u)

    top = log_g(t_x)
    val, _ = quad(lambda u: np.exp(log_g(u) - top), t_x, T, epsabs=0, epsrel=1e-12, limit=200)
    return np.log(r + s + x) + top + np.log(val)


@pytest.mark.parametrize(
    "history", [(2, 30.4, 38.9), (300, 100.0, 730.0), (5_000, 700.0, 730.0), (50, 1.0, 1e4)]
)
@pytest.mark.parametrize(
    "params", [(0.55, 10.58, 0.61, 11.67), (1.02, 18.5, 0.62, 110.5), (0.9, 50.0, 1.3, 5.0)]
)
def test_pareto_log_a0_against_numerical_integral(params, history):
    got = float(btyd.pareto_nbd_log_a0(params, *history))
    want = _log_a0_by_quadrature(params, *history)
    assert got == pytest.approx(want, rel=1e-8, abs=1e-8)


@pytest.mark.parametrize("name", list(PARAMS))
def test_same_as_lifetimes_original_where_that_works(name):
    """On the CDNOW histories lifetimes' own formulas are finite: same values."""
    from crm_lessons.datasets import load_cdnow_summary

    s = load_cdnow_summary()
    x, t_x, T = (s[c].to_numpy(dtype="float64") for c in ("frequency", "recency", "T"))
    model = _fitter(name)
    for method, args in [
        ("conditional_probability_alive", (x, t_x, T)),
        ("conditional_expected_number_of_purchases_up_to_time", (39.0, x, t_x, T)),
    ]:
        ours = np.asarray(getattr(model, method)(*args))
        theirs = np.asarray(lc.original_method(name, method)(model, *args))
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-14)


@pytest.fixture(scope="module")
def coffee_daily():
    from generators import make_world

    tx = make_world("coffee_shop", 20000, random_state=7)["transactions"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # walk-ins and returns, counted in attrs
        return btyd_summary(tx, freq="D")


def test_coffee_shop_heavy_buyers_no_nan(coffee_daily):
    """The case that showed the defect: 24 NaN P(alive), all best customers."""
    s = coffee_daily
    model = clv.fit_pareto_nbd(s)
    x, t_x, T = (s[c].to_numpy(dtype="float64") for c in ("frequency", "recency", "T"))
    pa = clv.p_alive(model, s)
    e = model.conditional_expected_number_of_purchases_up_to_time(30, x, t_x, T)
    assert not pa.isna().any() and np.isfinite(e).all()
    with np.errstate(all="ignore"):
        old = lc.original_method("ParetoNBDFitter", "conditional_probability_alive")(
            model, x, t_x, T
        )
    bad = ~np.isfinite(old)
    # with today's scipy lifetimes' own formula fails on the heavy buyers bought today;
    # where it works the two agree
    if bad.any():
        assert (t_x[bad] == T[bad]).all() and x[bad].min() > 50
        np.testing.assert_allclose(pa.to_numpy()[bad], 1.0)
    np.testing.assert_allclose(pa.to_numpy()[~bad], old[~bad], rtol=1e-9, atol=1e-12)
    clv_12 = clv.discounted_clv(model, None, s, months=12, freq="D")
    assert np.isfinite(clv_12).all()


def test_gamma_gamma_extremes():
    params = (6.25, 3.74, 15.44)
    x = np.array([0, 1, 1e3, 1e9])
    m = np.array([0, 1e6, 35.0, 20.0])
    e = btyd.gamma_gamma_expected_spend(params, x, m)
    assert np.isfinite(e).all()
    pop = 6.25 * 15.44 / 2.74
    assert e[0] == pytest.approx(pop)
    assert e[3] == pytest.approx(20.0, rel=1e-6)  # many purchases: own average
    assert pop < e[1] < 1e6
    ll = btyd.gamma_gamma_log_likelihood(params, x[1:], m[1:])
    assert np.isfinite(ll).all()


def test_btyd_summary_without_amount_column():
    tx = pd.DataFrame(
        {
            "customer_id": ["A", "A", "B"],
            "date": pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-03"]),
        }
    )
    for kwargs in ({}, {"amount": None}):
        out = btyd_summary(tx, monetary=False, freq="D", **kwargs)
        assert out.to_dict("list") == {
            "frequency": [1.0, 0.0],
            "recency": [7.0, 0.0],
            "T": [7.0, 5.0],
        }
    with pytest.raises(ValueError, match="amount=None but monetary=True"):
        btyd_summary(tx, amount=None)
    with pytest.raises(ValueError, match="amount='amount' is not a column"):
        btyd_summary(tx)


@pytest.mark.parametrize("name", list(PARAMS))
def test_patched_methods_keep_lifetimes_return_types(name):
    model = _fitter(name)
    for method, args in [
        ("conditional_probability_alive", (3, 20.0, 39.0)),
        ("conditional_expected_number_of_purchases_up_to_time", (10, 3, 20.0, 39.0)),
    ]:
        ours = getattr(model, method)(*args)
        theirs = lc.original_method(name, method)(model, *args)
        assert type(ours) is type(theirs) or (
            np.ndim(ours) == np.ndim(theirs) and np.isscalar(ours) == np.isscalar(theirs)
        )
        assert np.shape(ours) == np.shape(theirs)
        np.testing.assert_allclose(ours, theirs, rtol=1e-10)
        assert getattr(type(model), method).__doc__ == lc.original_method(name, method).__doc__


@pytest.mark.parametrize("name", list(PARAMS))
def test_patched_methods_return_series_like_lifetimes(name):
    """lifetimes returns a Series for Series inputs (pandas arithmetic); so do we."""
    from crm_lessons.datasets import load_cdnow_summary

    s = load_cdnow_summary().head(20)
    model = _fitter(name)
    for method, args in [
        ("conditional_probability_alive", (s["frequency"], s["recency"], s["T"])),
        (
            "conditional_expected_number_of_purchases_up_to_time",
            (10, s["frequency"], s["recency"], s["T"]),
        ),
    ]:
        ours = getattr(model, method)(*args)
        theirs = lc.original_method(name, method)(model, *args)
        assert type(ours) is type(theirs)
        if isinstance(theirs, pd.Series):
            pd.testing.assert_series_equal(ours, theirs, rtol=1e-10)
        else:
            np.testing.assert_allclose(ours, theirs, rtol=1e-10)
