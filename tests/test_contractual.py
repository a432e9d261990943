"""The sBG retention model against Fader & Hardie (2007) and the b2b_service ground truth."""

import numpy as np
import pandas as pd
import pytest

from crm_lessons.contractual import (
    PUBLISHED_SBG,
    contract_durations,
    fit_sbg,
    fit_sbg_durations,
    numerical_hessian,
    published_sbg_vs_ours,
)

REGULAR = PUBLISHED_SBG["regular"]["survivors"]
HIGH_END = PUBLISHED_SBG["high_end"]["survivors"]


def test_survivor_counts_are_the_papers():
    """Fader & Hardie (2007), Table 1 (also in Maturen's sBG package and R foretell)."""
    assert REGULAR[:8] == (1000, 631, 468, 382, 326, 289, 262, 241)
    assert HIGH_END[:8] == (1000, 869, 743, 653, 593, 551, 517, 491)


@pytest.mark.parametrize("cohort", ["regular", "high_end"])
def test_published_estimates_within_1pct(cohort):
    spec = PUBLISHED_SBG[cohort]
    fit = fit_sbg(spec["survivors"][:8])  # years 1-7, as in the paper
    for name, published in spec["params"].items():
        assert getattr(fit, name) == pytest.approx(published, rel=0.01)
    assert published_sbg_vs_ours()["within_1pct"].all()


def test_high_end_projection_matches_reference_implementation():
    """Maturen's shifted_beta_geometric_py README: years 8-12 of the high-end cohort."""
    fit = fit_sbg(HIGH_END[:8])
    np.testing.assert_allclose(
        fit.survival(np.arange(8, 13)), [0.460, 0.436, 0.414, 0.395, 0.378], rtol=0.01
    )
    # its discounted expected residual lifetime at year 7, d = 10 %
    assert fit.residual_lifetime(7, 0.10) == pytest.approx(7.530, rel=0.001)


@pytest.mark.parametrize("cohort", ["regular", "high_end"])
def test_projection_tracks_the_unseen_years(cohort):
    """The paper's point: fitted on years 1-7, the sBG follows years 8-12 closely."""
    surv = np.asarray(PUBLISHED_SBG[cohort]["survivors"], dtype=float)
    fit = fit_sbg(surv[:8])
    table = fit.projection(12, surv)
    np.testing.assert_allclose(table["survival"], surv / 1000, rtol=0.05)
    assert table["in_fit"].sum() == 8
    # the cohort's retention rate rises although nobody's own churn rate changes
    assert np.all(np.diff(table["retention_rate"].to_numpy()[1:]) > 0)


def test_retention_and_churn_identities():
    fit = fit_sbg(REGULAR[:8])
    t = np.arange(1, 30)
    np.testing.assert_allclose(fit.survival(t), fit.survival(t - 1) * fit.retention_rate(t))
    np.testing.assert_allclose(fit.churn_probability(t), fit.survival(t - 1) - fit.survival(t))
    # hand value: r(1) = beta / (alpha + beta)
    assert fit.retention_rate(1) == pytest.approx(fit.beta / (fit.alpha + fit.beta))


def test_lifetimes_match_direct_sums():
    fit = fit_sbg(HIGH_END[:8])
    d = 0.1
    t = np.arange(0, 3000)
    disc = (1 + d) ** -t
    assert fit.expected_lifetime(d) == pytest.approx(np.sum(fit.survival(t) * disc), rel=1e-9)
    n = 4
    direct = np.sum(fit.survival(n + 1 + t) / fit.survival(n) * disc)
    assert fit.residual_lifetime(n, d) == pytest.approx(direct, rel=1e-9)
    assert fit.expected_lifetime(0.0) == np.inf  # alpha < 1: the mean lifetime is infinite
    big = fit_sbg([1000, 700, 500, 380, 300, 240])
    if big.alpha > 1:
        mean = (big.alpha + big.beta - 1) / (big.alpha - 1)
        assert big.expected_lifetime(0.0) == pytest.approx(mean)


def test_individual_durations_give_the_same_fit():
    surv = np.asarray(REGULAR[:8])
    left = np.repeat(np.arange(1, 8), -np.diff(surv))
    t = np.concatenate([left, np.full(surv[-1], 7)])
    churned = np.arange(t.size) < left.size
    a = fit_sbg(surv)
    b = fit_sbg_durations(t, churned)
    assert (b.alpha, b.beta) == pytest.approx((a.alpha, a.beta), rel=1e-5)
    assert b.log_likelihood == pytest.approx(a.log_likelihood, rel=1e-9)


def test_hessian_standard_errors_agree_with_bootstrap():
    rng = np.random.default_rng(12)
    surv = np.asarray(REGULAR[:8], dtype=float)
    fit = fit_sbg(surv)
    probs = np.concatenate([-np.diff(surv), [surv[-1]]]) / surv[0]
    boot = []
    for _ in range(300):
        counts = rng.multinomial(int(surv[0]), probs)
        res = fit_sbg(np.concatenate([[surv[0]], surv[0] - np.cumsum(counts[:-1])]))
        boot.append((res.alpha, res.beta))
    boot_se = np.asarray(boot).std(axis=0, ddof=1)
    np.testing.assert_allclose(fit.standard_errors().to_numpy(), boot_se, rtol=0.25)
    ci = fit.confidence_intervals(0.9)
    assert (ci["lower"] < ci["estimate"]).all() and (ci["estimate"] < ci["upper"]).all()


def test_numerical_hessian_of_a_quadratic():
    h = numerical_hessian(lambda v: 2 * v[0] ** 2 + v[0] * v[1] + 5 * v[1] ** 2, [0.3, -2.0])
    np.testing.assert_allclose(h, [[4, 1], [1, 10]], atol=1e-6)


def test_contract_durations_hand_example():
    start = pd.Series(
        pd.to_datetime(["2024-01-31", "2024-01-01", "2024-03-01", "2025-02-01"]),
        index=list("ABCD"),
    )
    end = pd.Series(pd.to_datetime(["2024-02-29", "2024-01-31", None, None]), index=list("ABCD"))
    d = contract_durations(start, end, as_of="2024-06-30", period_months=1)
    # A left within its first month; B on day 30 of its first month; C renewed 3 times
    assert d.to_dict("list") == {"duration": [1, 1, 3], "churned": [True, True, False]}
    assert d.attrs["n_after_as_of"] == 1


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match="increase"):
        fit_sbg([1000, 900, 950])
    with pytest.raises(ValueError, match="at least two periods"):
        fit_sbg([1000])
    with pytest.raises(ValueError, match="durations has 1 invalid"):
        fit_sbg_durations([1, 0], [True, True])
    with pytest.raises(ValueError, match="same length"):
        fit_sbg_durations([1, 2], [True])
    with pytest.raises(ValueError, match="period_months=0"):
        contract_durations(pd.Series(pd.to_datetime(["2024-01-01"])), pd.Series([pd.NaT]),
                           as_of="2024-02-01", period_months=0)  # fmt: skip
    with pytest.raises(ValueError, match="end is before start"):
        contract_durations(
            pd.Series(pd.to_datetime(["2024-01-01"])),
            pd.Series(pd.to_datetime(["2023-01-01"])),
            as_of="2024-02-01",
        )
    with pytest.raises(ValueError, match="ci=2"):
        fit_sbg(REGULAR[:8]).confidence_intervals(2)


def test_b2b_service_cancellations_against_generator_truth():
    """Monthly sBG on the b2b accounts vs the generator's true survival curve.

    The generator's accounts leave after an invoice with probability ``p_i``
    and are invoiced at rate ``lambda_i`` per week, so the true share still
    under contract after ``tau`` weeks is ``mean_i exp(-lambda_i p_i tau)``.
    """
    from crm_lessons.datasets import load_world

    w = load_world("b2b_service")
    customers = w["customers"].set_index("customer_id")
    events = w["lifecycle_events"]
    churn = events[events["stage"] == "churn"].set_index("customer_id")["date"]
    truth = w["truth"].set_index("customer_id")
    # the cancellations in the data are the true churn dates
    pd.testing.assert_series_equal(
        churn.sort_index(), truth["churn_date"].dropna().sort_index(), check_names=False
    )
    d = contract_durations(
        customers["signup_date"], churn, as_of=w["transactions"]["date"].max(), period_months=1
    )
    assert int(d["churned"].sum()) == len(churn)
    fit = fit_sbg_durations(d["duration"], d["churned"])
    months = np.arange(0, 61)
    weeks = months * 52.1775 / 12
    rate = (truth["purchase_rate"] * truth["dropout_prob"]).to_numpy()
    true = np.exp(-np.outer(weeks, rate)).mean(axis=1)
    observed_range = months <= d["duration"].max()
    np.testing.assert_allclose(
        fit.survival(months)[observed_range], true[observed_range], atol=0.01
    )
    np.testing.assert_allclose(fit.survival(months), true, atol=0.03)  # five years ahead
