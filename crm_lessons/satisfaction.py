"""Customer satisfaction (顧客滿意度 / 顾客满意度): gaps, NPS, CSAT, drivers, loyalty.

The sixth C of the 10C framework. Kotler defines satisfaction as the pleasure
or disappointment that comes from comparing a product's perceived performance
with the customer's expectations, so the course measures it as

    satisfaction = perception - expectation

per dimension of customer value (product, service, staff, brand), next to the
usual survey proxies (Net Promoter Score, CSAT, overall satisfaction) and the
behaviour that matters to the business (do satisfied customers come back?).

What is here
------------
* Gap model: :func:`satisfaction_gaps`, :func:`gap_table`, :func:`plot_gaps`.
* Net Promoter Score: :func:`nps_category`, :func:`nps`, :func:`nps_table`,
  :func:`compare_nps`.
* CSAT (share of 4-5 on a 1-5 scale): :func:`csat`, :func:`compare_csat`.
* Importance-performance analysis: :func:`importance_performance`,
  :func:`plot_importance_performance`.
* Drivers with bootstrap uncertainty: :func:`driver_analysis`,
  :func:`plot_drivers`.
* Satisfaction -> loyalty: :func:`repurchase_after_survey`,
  :func:`still_active_after_survey`, :func:`active_share_by_period`,
  :func:`satisfaction_band`, :func:`loyalty_curve`, :func:`top_box_loyalty_gap`,
  :func:`plot_loyalty_curves`, :func:`event_period`, :func:`word_of_mouth_curve`.
* Expectation management: :func:`simulate_expectation_management`.
* A monthly feedback loop: :func:`monthly_scorecard`.
* Terms in English, 繁體中文 and 简体中文: :data:`GLOSSARY`, :func:`glossary`.

Two kinds of confidence interval
--------------------------------
Every score that comes from a sample of respondents has sampling error, and a
month-on-month change of a few NPS points is usually noise. The functions that
return a score also return an interval, by one of two documented methods:

``method="analytic"``
    A closed formula. For NPS each respondent scores +1 (promoter), 0
    (passive) or -1 (detractor); NPS is the mean of that score, whose
    variance follows from the multinomial distribution of the three groups:
    ``Var = p_P + p_D - (p_P - p_D)**2``, so ``SE = sqrt(Var / n)`` and the
    interval is ``NPS +/- z * SE`` (a Wald interval, clipped to [-100, 100]).
    For CSAT (a single proportion) the Wilson score interval is used, which
    behaves well for small samples and shares near 0 or 100 %.
``method="bootstrap"``
    Resample the respondents with replacement ``n_boot`` times, recompute the
    score each time, and take the middle ``ci`` share of the results (the
    percentile interval). Resampling respondents is the same as drawing the
    group counts from a multinomial with the observed shares, which is how it
    is computed (fast and exact). Seeded by ``random_state``.

With a few hundred responses the two agree closely; with a handful of
responses neither is trustworthy (the Wald interval even collapses to a
point when every respondent is a promoter).

Examples
--------
>>> import pandas as pd
>>> scores = pd.Series([10, 9, 9, 8, 7, 6, 3, 10, 9, 0])
>>> r = nps(scores)
>>> float(r["nps"]), int(r["n"])
(20.0, 10)
>>> gap = satisfaction_gaps(pd.DataFrame({"exp_product": [6, 5], "perc_product": [5, 7]}),
...                         dimensions=["product"])
>>> gap["gap_product"].tolist()
[-1.0, 2.0]
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy import stats

from crm_lessons import schema
from crm_lessons._checks import make_glossary, require_columns

__all__ = [
    "active_share_by_period",
    "BAND_ORDER",
    "DIMENSIONS",
    "DIMENSION_LABELS",
    "GLOSSARY",
    "NPS_GROUPS",
    "QUADRANT_ACTIONS",
    "ExpectationModel",
    "compare_csat",
    "compare_nps",
    "csat",
    "driver_analysis",
    "event_period",
    "gap_table",
    "glossary",
    "importance_performance",
    "loyalty_curve",
    "monthly_scorecard",
    "nps",
    "nps_category",
    "nps_table",
    "plot_drivers",
    "plot_gaps",
    "plot_importance_performance",
    "plot_loyalty_curves",
    "repurchase_after_survey",
    "satisfaction_band",
    "satisfaction_gaps",
    "simulate_expectation_management",
    "still_active_after_survey",
    "top_box_loyalty_gap",
    "word_of_mouth_curve",
]

#: The four dimensions of customer value that the survey asks about.
DIMENSIONS: tuple[str, ...] = ("product", "service", "staff", "brand")

#: Plain-words label of each dimension, for tables and plots.
DIMENSION_LABELS: dict[str, str] = {
    "product": "Product quality",
    "service": "Service quality",
    "staff": "Staff friendliness",
    "brand": "Brand experience",
}

#: The three Net Promoter groups, from worst to best.
NPS_GROUPS: tuple[str, ...] = ("detractor", "passive", "promoter")

#: Satisfaction bands from worst to best (see :func:`satisfaction_band`).
BAND_ORDER: tuple[str, ...] = ("dissatisfied", "neutral", "satisfied", "completely satisfied")

#: What each importance-performance quadrant tells the owner to do.
QUADRANT_ACTIONS: dict[str, str] = {
    "concentrate here": "important and below par: fix this first",
    "keep up the good work": "important and strong: protect it",
    "low priority": "unimportant and weak: leave it for now",
    "possible overkill": "unimportant but strong: resources may be better spent elsewhere",
}

#: The lesson's vocabulary: English, Traditional Chinese, Simplified Chinese.
GLOSSARY: tuple[tuple[str, str, str], ...] = (
    ("customer satisfaction", "顧客滿意度", "顾客满意度"),
    ("expectation", "期望", "期望"),
    ("perceived performance (perception)", "知覺績效", "感知绩效"),
    ("expectation-perception gap", "期望與知覺落差", "期望与感知落差"),
    ("perceived value", "知覺價值", "感知价值"),
    ("customer loyalty", "顧客忠誠度", "顾客忠诚度"),
    ("false loyalty", "虛假忠誠", "虚假忠诚"),
    ("switching cost", "轉換成本", "转换成本"),
    ("word of mouth", "口碑", "口碑"),
    ("Net Promoter Score (NPS)", "淨推薦值", "净推荐值"),
    ("promoter / passive / detractor", "推薦者／中立者／批評者", "推荐者／中立者／贬损者"),
    ("CSAT (customer satisfaction score)", "顧客滿意分數", "顾客满意分数"),
    ("top box", "最高分比率", "最高分比率"),
    ("complaint", "客訴", "投诉"),
    ("repurchase rate", "再購率", "复购率"),
    ("response bias", "回應偏差", "回应偏差"),
    ("scale use (response style)", "量表作答風格", "量表作答风格"),
    ("importance-performance analysis", "重要性－表現分析", "重要性－表现分析"),
    ("driver analysis", "驅動因素分析", "驱动因素分析"),
    ("confidence interval", "信賴區間", "置信区间"),
    ("expectation management", "期望管理", "期望管理"),
    ("competitive intensity", "競爭強度", "竞争强度"),
    ("feedback loop", "回饋循環", "反馈循环"),
)


#: ``glossary()`` returns :data:`GLOSSARY` as a table (English, 繁體中文, 简体中文).
glossary = make_glossary(GLOSSARY)


# --------------------------------------------------------------------- checks


def _as_numeric(values: Any, arg: str) -> pd.Series:
    if isinstance(values, pd.DataFrame):
        raise TypeError(f"{arg} must be one column (Series or list), not a DataFrame")
    s = pd.Series(values) if not isinstance(values, pd.Series) else values
    try:
        return pd.to_numeric(s, errors="raise").astype("float64")
    except (TypeError, ValueError):
        bad = [v for v in s.tolist() if not _is_number_or_na(v)][:3]
        raise TypeError(
            f"{arg} must hold numbers; found non-numeric values such as {bad}"
        ) from None


def _is_number_or_na(v: Any) -> bool:
    if v is None or v is pd.NA:
        return True
    try:
        float(v)
    except (TypeError, ValueError):
        return False
    return True


def _check_scale(s: pd.Series, lo: float, hi: float, arg: str) -> None:
    x = s.dropna()
    bad = x[(x < lo) | (x > hi) | (x != np.round(x))]
    if len(bad):
        raise ValueError(
            f"{arg} has {len(bad)} value(s) that are not whole numbers from {lo:g} to {hi:g}, "
            f"e.g. {bad.iloc[:3].tolist()}"
        )


def _check_ci(ci: float) -> float:
    if not isinstance(ci, int | float) or not 0 < ci < 1:
        raise ValueError(f"ci={ci!r} is not valid; use a level between 0 and 1, e.g. 0.95")
    return float(ci)


def _check_method(method: str) -> str:
    if method not in ("analytic", "bootstrap"):
        raise ValueError(f"method={method!r} is not valid; use 'analytic' or 'bootstrap'")
    return method


def _check_n_boot(n_boot: int) -> int:
    if not isinstance(n_boot, int | np.integer) or n_boot < 100:
        raise ValueError(f"n_boot={n_boot!r} is not valid; use a whole number of at least 100")
    return int(n_boot)


def _z(ci: float) -> float:
    return float(stats.norm.ppf(0.5 + ci / 2))


# ------------------------------------------------------------------ gap model


def satisfaction_gaps(
    surveys: pd.DataFrame,
    *,
    dimensions: Sequence[str] = DIMENSIONS,
    exp_prefix: str = "exp_",
    perc_prefix: str = "perc_",
    scale: tuple[int, int] = (1, 7),
) -> pd.DataFrame:
    """Add Kotler's satisfaction, perception - expectation, per dimension.

    Parameters
    ----------
    surveys : pandas.DataFrame
        One row per response with ``<exp_prefix><dim>`` and
        ``<perc_prefix><dim>`` columns (``exp_product``, ``perc_product`` ...).
    dimensions : sequence of str, default :data:`DIMENSIONS`
        The dimensions to compute.
    exp_prefix, perc_prefix : str
        Column name prefixes of the expectation and perception scores.
    scale : (int, int), default (1, 7)
        Lowest and highest valid score; other values raise ``ValueError``.

    Returns
    -------
    pandas.DataFrame
        A copy of ``surveys`` with ``gap_<dim>`` (float; negative = the
        customer got less than expected; NaN where either score is missing)
        and ``gap_mean`` (mean over the dimensions answered).

    Examples
    --------
    >>> s = pd.DataFrame({"exp_product": [6, 4, 5], "perc_product": [4, 4, 7],
    ...                   "exp_staff": [5, 5, None], "perc_staff": [6, 5, 5]})
    >>> out = satisfaction_gaps(s, dimensions=["product", "staff"])
    >>> out[["gap_product", "gap_staff", "gap_mean"]].values.tolist()
    [[-2.0, 1.0, -0.5], [0.0, 0.0, 0.0], [2.0, nan, 2.0]]
    """
    dims = _check_dimensions(dimensions)
    cols = [f"{p}{d}" for d in dims for p in (exp_prefix, perc_prefix)]
    _require_columns(surveys, cols)
    out = surveys.copy()
    gaps = []
    for d in dims:
        e = _as_numeric(surveys[f"{exp_prefix}{d}"], f"surveys[{exp_prefix + d!r}]")
        p = _as_numeric(surveys[f"{perc_prefix}{d}"], f"surveys[{perc_prefix + d!r}]")
        _check_scale(e, *scale, f"surveys[{exp_prefix + d!r}]")
        _check_scale(p, *scale, f"surveys[{perc_prefix + d!r}]")
        out[f"gap_{d}"] = p - e
        gaps.append(f"gap_{d}")
    out["gap_mean"] = out[gaps].mean(axis=1)
    return out


def _check_dimensions(dimensions: Sequence[str]) -> list[str]:
    if isinstance(dimensions, str) or not len(dimensions):
        raise ValueError(
            f"dimensions={dimensions!r} is not valid; give a list such as {list(DIMENSIONS)}"
        )
    return list(dimensions)


def gap_table(
    surveys: pd.DataFrame,
    *,
    by: str | None = None,
    dimensions: Sequence[str] = DIMENSIONS,
    exp_prefix: str = "exp_",
    perc_prefix: str = "perc_",
    scale: tuple[int, int] = (1, 7),
) -> pd.DataFrame:
    """Mean expectation, perception and gap per dimension (and per group).

    Parameters
    ----------
    surveys : pandas.DataFrame
        Survey responses (see :func:`satisfaction_gaps`).
    by : str, optional
        A column to group by, e.g. a segment. Rows where it is missing form
        no group and are counted in ``.attrs["n_no_group"]``.
    dimensions, exp_prefix, perc_prefix, scale
        As in :func:`satisfaction_gaps`.

    Returns
    -------
    pandas.DataFrame
        One row per (group,) dimension with columns ``[by,] dimension, label,
        n, expectation, perception, gap, gap_se, share_below`` where ``n``
        counts responses with both scores, ``gap_se`` is the standard error of
        the mean gap and ``share_below`` the share of responses whose
        perception fell short of their expectation.

    Examples
    --------
    >>> s = pd.DataFrame({"seg": ["a", "a", "b"],
    ...                   "exp_product": [6, 4, 5], "perc_product": [4, 4, 7]})
    >>> t = gap_table(s, by="seg", dimensions=["product"])
    >>> t[["seg", "n", "expectation", "perception", "gap", "share_below"]].values.tolist()
    [['a', 2, 5.0, 4.0, -1.0, 0.5], ['b', 1, 5.0, 7.0, 2.0, 0.0]]
    """
    g = satisfaction_gaps(
        surveys, dimensions=dimensions, exp_prefix=exp_prefix, perc_prefix=perc_prefix, scale=scale
    )
    n_no_group = 0
    if by is not None:
        _require_columns(surveys, [by])
        n_no_group = int(g[by].isna().sum())
        groups = [(k, sub) for k, sub in g.groupby(by, sort=True, observed=True, dropna=True)]
    else:
        groups = [(None, g)]
    rows = []
    for key, sub in groups:
        for d in dimensions:
            e = _as_numeric(sub[f"{exp_prefix}{d}"], "e")
            p = _as_numeric(sub[f"{perc_prefix}{d}"], "p")
            ok = e.notna() & p.notna()
            gap = (p - e)[ok]
            n = int(ok.sum())
            row = {} if by is None else {by: key}
            row |= {
                "dimension": d,
                "label": DIMENSION_LABELS.get(d, d),
                "n": n,
                "expectation": float(e[ok].mean()) if n else np.nan,
                "perception": float(p[ok].mean()) if n else np.nan,
                "gap": float(gap.mean()) if n else np.nan,
                "gap_se": float(gap.std(ddof=1) / math.sqrt(n)) if n > 1 else np.nan,
                "share_below": float((gap < 0).mean()) if n else np.nan,
            }
            rows.append(row)
    out = pd.DataFrame(rows)
    out.attrs["n_no_group"] = n_no_group
    return out


def plot_gaps(
    table: pd.DataFrame, *, by: str | None = None, ax: plt.Axes | None = None
) -> plt.Axes:
    """Plot a :func:`gap_table`: expectation vs perception, or gaps by group.

    Without ``by`` it draws a dumbbell per dimension: an open circle at the
    mean expectation, a filled one at the mean perception, and the line
    between them red where perception falls short. With ``by`` it draws the
    mean gap per dimension as grouped horizontal bars, one colour per group,
    with +/- 2 standard errors.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`gap_table`.
    by : str, optional
        The grouping column used in :func:`gap_table`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> s = pd.DataFrame({"exp_product": [6, 4], "perc_product": [4, 5]})
    >>> ax = plot_gaps(gap_table(s, dimensions=["product"]))
    >>> ax.get_xlabel()
    'Mean score (1 = very poor, 7 = excellent)'
    >>> plt.close("all")
    """
    _require_columns(table, ["label", "gap", "expectation", "perception"], "table")
    if ax is None:
        _, ax = plt.subplots()
    if by is None:
        labels = table["label"].tolist()
        y = np.arange(len(labels))[::-1]
        for yi, e, p in zip(y, table["expectation"], table["perception"], strict=True):
            colour = "#c0392b" if p < e else "#2e86c1"
            ax.plot([e, p], [yi, yi], color=colour, lw=3, zorder=1)
        ax.scatter(table["expectation"], y, s=90, facecolor="white", edgecolor="black",
                   zorder=2, label="Expected")  # fmt: skip
        ax.scatter(table["perception"], y, s=90, color="black", zorder=3, label="Perceived")
        ax.set_yticks(y, labels)
        ax.set_xlabel("Mean score (1 = very poor, 7 = excellent)")
        ax.set_title("What customers expected vs what they got")
        ax.legend(loc="best", frameon=False)
    else:
        _require_columns(table, [by], "table")
        import seaborn as sns

        sns.barplot(data=table, y="label", x="gap", hue=by, ax=ax, errorbar=None, orient="h")
        groups = list(dict.fromkeys(table[by]))
        labels = list(dict.fromkeys(table["label"]))
        width = 0.8 / max(len(groups), 1)
        for gi, grp in enumerate(groups):
            sub = table[table[by] == grp].set_index("label").reindex(labels)
            ys = np.arange(len(labels)) - 0.4 + width * (gi + 0.5)
            ax.errorbar(sub["gap"], ys, xerr=2 * sub["gap_se"].fillna(0), fmt="none",
                        ecolor="black", elinewidth=1, capsize=2)  # fmt: skip
        ax.axvline(0, color="black", lw=1)
        ax.set_xlabel("Perception minus expectation (below 0 = disappointed)")
        ax.set_ylabel("")
        ax.set_title("Satisfaction gap by dimension and group")
        ax.legend(title=by, frameon=False, loc="best")
    return ax


# ------------------------------------------------------------------------ NPS


def nps_category(scores: Any) -> pd.Series:
    """Label 0-10 recommendation scores as detractor (0-6), passive (7-8), promoter (9-10).

    Parameters
    ----------
    scores : Series or list of int
        Answers to "How likely are you to recommend us?" on 0-10. Missing
        answers stay missing.

    Returns
    -------
    pandas.Series
        Ordered categorical with categories :data:`NPS_GROUPS`.

    Examples
    --------
    >>> nps_category([0, 6, 7, 8, 9, 10, None]).tolist()
    ['detractor', 'detractor', 'passive', 'passive', 'promoter', 'promoter', nan]
    """
    s = _as_numeric(scores, "scores")
    _check_scale(s, 0, 10, "scores")
    cat = pd.cut(s, bins=[-0.5, 6.5, 8.5, 10.5], labels=list(NPS_GROUPS), ordered=True)
    return pd.Series(cat, index=s.index, name="nps_group")


def _nps_counts(scores: Any) -> tuple[np.ndarray, int]:
    s = _as_numeric(scores, "scores")
    _check_scale(s, 0, 10, "scores")
    x = s.dropna()
    counts = np.array(
        [(x <= 6).sum(), ((x >= 7) & (x <= 8)).sum(), (x >= 9).sum()], dtype=np.int64
    )
    return counts, int(s.isna().sum())


def _nps_from_counts(counts: np.ndarray, ci: float, method: str, n_boot: int, rng) -> dict:
    n = int(counts.sum())
    if n == 0:
        raise ValueError("scores has no answered (non-missing) score; NPS needs at least one")
    p_d, p_pass, p_p = counts / n
    value = 100 * (p_p - p_d)
    var = p_p + p_d - (p_p - p_d) ** 2
    se = 100 * math.sqrt(max(var, 0.0) / n)
    if method == "analytic":
        z = _z(ci)
        lo, hi = max(value - z * se, -100.0), min(value + z * se, 100.0)
    else:
        draws = rng.multinomial(n, counts / n, size=n_boot)
        boot = 100 * (draws[:, 2] - draws[:, 0]) / n
        lo, hi = np.quantile(boot, [(1 - ci) / 2, (1 + ci) / 2])
    return {
        "n": n,
        "share_promoters": float(p_p),
        "share_passives": float(p_pass),
        "share_detractors": float(p_d),
        "nps": float(value),
        "se": float(se),
        "ci_low": float(lo),
        "ci_high": float(hi),
    }


def nps(
    scores: Any,
    *,
    ci: float = 0.95,
    method: str = "analytic",
    n_boot: int = 2000,
    random_state: int | np.random.Generator | None = None,
) -> pd.Series:
    """Net Promoter Score with a confidence interval.

    NPS = % promoters (9-10) - % detractors (0-6), in points from -100 to
    +100. See the module docstring for the two interval methods.

    Parameters
    ----------
    scores : Series or list of int
        0-10 answers; missing answers are not counted (reported as
        ``n_missing``).
    ci : float, default 0.95
        Confidence level.
    method : {"analytic", "bootstrap"}, default "analytic"
        Multinomial-variance Wald interval, or percentile bootstrap.
    n_boot : int, default 2000
        Bootstrap resamples (``method="bootstrap"`` only).
    random_state : int, numpy Generator or None
        Seed for the bootstrap.

    Returns
    -------
    pandas.Series
        ``n, n_missing, share_promoters, share_passives, share_detractors,
        nps, se, ci_low, ci_high`` (nps, se and the interval in points).

    Examples
    --------
    Ten answers you can count on paper: 5 promoters (10, 9, 9, 10, 9),
    2 passives (8, 7) and 3 detractors (6, 3, 0), so NPS = 50 % - 30 % = 20:

    >>> r = nps([10, 9, 9, 8, 7, 6, 3, 10, 9, 0])
    >>> r[["share_promoters", "share_passives", "share_detractors", "nps"]].round(2).tolist()
    [0.5, 0.2, 0.3, 20.0]
    >>> round(float(r["se"]), 2)  # 100 * sqrt((0.5 + 0.3 - 0.2**2) / 10)
    27.57
    >>> b = nps([10, 9, 9, 8, 7, 6, 3, 10, 9, 0], method="bootstrap", random_state=1)
    >>> bool(b["ci_low"] < 20 < b["ci_high"])
    True
    """
    ci = _check_ci(ci)
    method = _check_method(method)
    n_boot = _check_n_boot(n_boot)
    rng = np.random.default_rng(random_state)
    counts, n_missing = _nps_counts(scores)
    out = _nps_from_counts(counts, ci, method, n_boot, rng)
    out = {"n": out.pop("n"), "n_missing": n_missing, **out}
    return pd.Series(out, name="nps", dtype="float64")


def nps_table(
    data: pd.DataFrame,
    *,
    by: str | Sequence[str],
    score: str = "nps",
    ci: float = 0.95,
    method: str = "analytic",
    n_boot: int = 2000,
    random_state: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    """NPS with its interval for every group of ``data``.

    Parameters
    ----------
    data : pandas.DataFrame
        Survey responses.
    by : str or list of str
        Grouping column(s), e.g. a segment or a month.
    score : str, default "nps"
        The 0-10 recommendation column.
    ci, method, n_boot, random_state
        As in :func:`nps`; one generator serves all groups in order.

    Returns
    -------
    pandas.DataFrame
        One row per group (index = the group keys), columns as :func:`nps`.

    Examples
    --------
    >>> d = pd.DataFrame({"seg": ["a", "a", "b", "b"], "nps": [10, 0, 9, 9]})
    >>> nps_table(d, by="seg")["nps"].tolist()
    [0.0, 100.0]
    """
    by_list = [by] if isinstance(by, str) else list(by)
    _require_columns(data, [*by_list, score], "data")
    rng = np.random.default_rng(random_state)
    rows = {}
    for key, sub in data.groupby(by_list if len(by_list) > 1 else by_list[0], sort=True,
                                 observed=True):  # fmt: skip
        rows[key] = nps(sub[score], ci=ci, method=method, n_boot=n_boot, random_state=rng)
    out = pd.DataFrame(rows).T
    out.index.names = by_list
    out["n"] = out["n"].astype("int64")
    out["n_missing"] = out["n_missing"].astype("int64")
    return out


def compare_nps(a: Any, b: Any, *, ci: float = 0.95) -> pd.Series:
    """Test whether two groups' NPS differ (two-sample z test).

    The difference ``NPS_a - NPS_b`` has standard error
    ``sqrt(SE_a**2 + SE_b**2)`` (independent samples, multinomial variance of
    each, as in :func:`nps`); ``z = difference / SE`` and the two-sided
    p-value comes from the normal distribution. Reliable from about 100
    responses per group.

    Parameters
    ----------
    a, b : Series or list of int
        0-10 scores of the two groups.
    ci : float, default 0.95
        Level of the interval for the difference.

    Returns
    -------
    pandas.Series
        ``nps_a, nps_b, difference, se, ci_low, ci_high, z, p_value, n_a, n_b``.

    Examples
    --------
    >>> r = compare_nps([10] * 60 + [0] * 40, [10] * 40 + [0] * 60)
    >>> r[["nps_a", "nps_b", "difference"]].tolist()
    [20.0, -20.0, 40.0]
    >>> round(float(r["se"]), 2), round(float(r["p_value"]), 4)
    (13.86, 0.0039)
    """
    ci = _check_ci(ci)
    ca, _ = _nps_counts(a)
    cb, _ = _nps_counts(b)
    ra = _nps_from_counts(ca, ci, "analytic", 0, None)
    rb = _nps_from_counts(cb, ci, "analytic", 0, None)
    diff = ra["nps"] - rb["nps"]
    se = math.sqrt(ra["se"] ** 2 + rb["se"] ** 2)
    z = diff / se if se > 0 else (0.0 if diff == 0 else math.copysign(math.inf, diff))
    p = float(2 * stats.norm.sf(abs(z)))
    zc = _z(ci)
    return pd.Series(
        {
            "nps_a": ra["nps"],
            "nps_b": rb["nps"],
            "difference": diff,
            "se": se,
            "ci_low": diff - zc * se,
            "ci_high": diff + zc * se,
            "z": z,
            "p_value": p,
            "n_a": ra["n"],
            "n_b": rb["n"],
        },
        dtype="float64",
    )


# ----------------------------------------------------------------------- CSAT


def _csat_counts(
    scores: Any, satisfied: Sequence[int], scale: tuple[int, int]
) -> tuple[int, int, int]:
    s = _as_numeric(scores, "scores")
    _check_scale(s, *scale, "scores")
    x = s.dropna()
    return int(x.isin(list(satisfied)).sum()), len(x), int(s.isna().sum())


def _wilson(k: int, n: int, z: float) -> tuple[float, float]:
    p = k / n
    denom = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return max(centre - half, 0.0), min(centre + half, 1.0)


def csat(
    scores: Any,
    *,
    satisfied: Sequence[int] = (4, 5),
    scale: tuple[int, int] = (1, 5),
    ci: float = 0.95,
    method: str = "analytic",
    n_boot: int = 2000,
    random_state: int | np.random.Generator | None = None,
) -> pd.Series:
    """CSAT: the share of satisfied answers (4 or 5 on a 1-5 scale), in percent.

    Parameters
    ----------
    scores : Series or list of int
        Answers on ``scale``; missing answers are not counted (``n_missing``).
    satisfied : sequence of int, default (4, 5)
        The answers that count as satisfied ("top-two box").
    scale : (int, int), default (1, 5)
        Lowest and highest valid answer.
    ci : float, default 0.95
        Confidence level.
    method : {"analytic", "bootstrap"}, default "analytic"
        Wilson score interval, or percentile bootstrap (binomial resampling
        of the respondents).
    n_boot : int, default 2000
        Bootstrap resamples.
    random_state : int, numpy Generator or None
        Seed for the bootstrap.

    Returns
    -------
    pandas.Series
        ``n, n_missing, csat, se, ci_low, ci_high`` (csat, se and interval
        in percent).

    Examples
    --------
    Ten answers: 4, 5, 5, 3, 2, 4, 4, 1, 5, 3 -> six are 4 or 5.

    >>> r = csat([4, 5, 5, 3, 2, 4, 4, 1, 5, 3])
    >>> float(r["csat"]), round(float(r["se"]), 2)  # se = 100 * sqrt(0.6 * 0.4 / 10)
    (60.0, 15.49)
    >>> round(float(r["ci_low"]), 1), round(float(r["ci_high"]), 1)  # Wilson
    (31.3, 83.2)
    """
    ci = _check_ci(ci)
    method = _check_method(method)
    n_boot = _check_n_boot(n_boot)
    rng = np.random.default_rng(random_state)
    k, n, n_missing = _csat_counts(scores, satisfied, scale)
    if n == 0:
        raise ValueError("scores has no answered (non-missing) score; CSAT needs at least one")
    p = k / n
    se = math.sqrt(p * (1 - p) / n)
    if method == "analytic":
        lo, hi = _wilson(k, n, _z(ci))
    else:
        boot = rng.binomial(n, p, size=n_boot) / n
        lo, hi = np.quantile(boot, [(1 - ci) / 2, (1 + ci) / 2])
    return pd.Series(
        {"n": n, "n_missing": n_missing, "csat": 100 * p, "se": 100 * se,
         "ci_low": 100 * lo, "ci_high": 100 * hi},
        name="csat", dtype="float64",
    )  # fmt: skip


def compare_csat(
    a: Any,
    b: Any,
    *,
    satisfied: Sequence[int] = (4, 5),
    scale: tuple[int, int] = (1, 5),
    ci: float = 0.95,
) -> pd.Series:
    """Test whether two groups' CSAT differ (two-proportion z test).

    The test uses the pooled share under "no difference"; the interval for
    the difference uses each group's own share (unpooled).

    Parameters
    ----------
    a, b : Series or list of int
        Answers of the two groups.
    satisfied, scale, ci
        As in :func:`csat`.

    Returns
    -------
    pandas.Series
        ``csat_a, csat_b, difference, se, ci_low, ci_high, z, p_value, n_a,
        n_b`` (percent points).

    Examples
    --------
    >>> r = compare_csat([5] * 80 + [1] * 20, [5] * 60 + [1] * 40)
    >>> r[["csat_a", "csat_b", "difference"]].tolist()
    [80.0, 60.0, 20.0]
    >>> round(float(r["z"]), 2), round(float(r["p_value"]), 4)
    (3.09, 0.002)
    """
    ci = _check_ci(ci)
    ka, na, _ = _csat_counts(a, satisfied, scale)
    kb, nb, _ = _csat_counts(b, satisfied, scale)
    if na == 0 or nb == 0:
        raise ValueError(f"both groups need answers; got n_a={na}, n_b={nb}")
    pa, pb = ka / na, kb / nb
    pooled = (ka + kb) / (na + nb)
    se0 = math.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
    diff = pa - pb
    z = diff / se0 if se0 > 0 else 0.0
    se = math.sqrt(pa * (1 - pa) / na + pb * (1 - pb) / nb)
    zc = _z(ci)
    return pd.Series(
        {
            "csat_a": 100 * pa,
            "csat_b": 100 * pb,
            "difference": 100 * diff,
            "se": 100 * se,
            "ci_low": 100 * (diff - zc * se),
            "ci_high": 100 * (diff + zc * se),
            "z": z,
            "p_value": float(2 * stats.norm.sf(abs(z))),
            "n_a": na,
            "n_b": nb,
        },
        dtype="float64",
    )


# -------------------------------------------------------- importance-performance


def _complete_cases(data: pd.DataFrame, cols: list[str], arg: str) -> tuple[pd.DataFrame, int]:
    _require_columns(data, cols, arg)
    x = data[cols].apply(lambda c: _as_numeric(c, f"{arg}[{c.name!r}]"))
    ok = x.notna().all(axis=1)
    return x[ok], int((~ok).sum())


def _standardise(a: np.ndarray) -> np.ndarray:
    sd = a.std(axis=0, ddof=0)
    if np.any(sd == 0):
        return (a - a.mean(axis=0)) / np.where(sd == 0, 1.0, sd)
    return (a - a.mean(axis=0)) / sd


def importance_performance(
    surveys: pd.DataFrame,
    *,
    dimensions: Sequence[str] = DIMENSIONS,
    perc_prefix: str = "perc_",
    overall: str = "overall_satisfaction",
    method: str = "regression",
    importance_cut: float | None = None,
    performance_cut: float | None = None,
    n_boot: int | None = None,
    ci: float = 0.95,
    random_state: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    """Importance-performance analysis with *derived* importance.

    Asking customers "how important is X?" gives everything a 6 out of 7;
    derived importance instead asks which dimensions actually move overall
    satisfaction. Two measures are returned:

    * ``importance_corr``: the correlation of each dimension's perception
      with overall satisfaction (simple, but correlated dimensions share
      credit);
    * ``importance_beta``: the standardised coefficient of a linear
      regression of overall satisfaction on all dimension perceptions (each
      dimension's own contribution, holding the others fixed).

    Performance is the mean perception. Quadrants split at the mean
    importance and mean performance over the dimensions (the "data-centred"
    cross-hairs) unless cuts are given.

    Parameters
    ----------
    surveys : pandas.DataFrame
        Responses with ``<perc_prefix><dim>`` and ``overall`` columns.
    dimensions : sequence of str, default :data:`DIMENSIONS`
        Dimensions to analyse (at least two).
    perc_prefix : str, default "perc_"
        Prefix of the perception columns.
    overall : str, default "overall_satisfaction"
        The overall satisfaction column.
    method : {"regression", "correlation"}, default "regression"
        Which measure decides the quadrant (``importance``).
    importance_cut, performance_cut : float, optional
        Where to split the axes.
    n_boot : int, optional
        When given, resample the responses ``n_boot`` times and add
        ``importance_low`` / ``importance_high`` (percentile interval of the
        chosen importance) and ``quadrant_stability`` (share of resamples
        that put the dimension in the same quadrant). A quadrant that flips
        in many resamples is not a finding.
    ci : float, default 0.95
        Level of the importance interval.
    random_state : int, numpy Generator or None
        Seed for the resampling.

    Returns
    -------
    pandas.DataFrame
        Index ``dimension``; columns ``label, performance, importance_corr,
        importance_beta, importance, quadrant, action``. Responses with a
        missing score are left out and counted in ``.attrs["n_dropped"]``.

    Examples
    --------
    Overall satisfaction follows product exactly; staff is noise:

    >>> s = pd.DataFrame({"perc_product": [1, 2, 3, 4, 5, 6],
    ...                   "perc_staff": [6, 6, 7, 6, 6, 7],
    ...                   "overall_satisfaction": [1, 2, 3, 4, 5, 6]})
    >>> ipa = importance_performance(s, dimensions=["product", "staff"])
    >>> ipa[["importance_corr", "importance_beta"]].round(2).values.tolist()
    [[1.0, 1.0], [0.41, 0.0]]
    >>> ipa["quadrant"].tolist()
    ['concentrate here', 'possible overkill']
    """
    dims = _check_dimensions(dimensions)
    if len(dims) < 2:
        raise ValueError(f"dimensions={dims!r} is not valid; importance needs at least two")
    if method not in ("regression", "correlation"):
        raise ValueError(f"method={method!r} is not valid; use 'regression' or 'correlation'")
    cols = [f"{perc_prefix}{d}" for d in dims]
    x, n_dropped = _complete_cases(surveys, [*cols, overall], "surveys")
    if len(x) < len(dims) + 2:
        raise ValueError(
            f"surveys has {len(x)} complete responses; need at least {len(dims) + 2} for {len(dims)} dimensions"
        )
    xs = x[cols].to_numpy()
    y = x[overall].to_numpy()
    perf, corr, beta = _ipa_measures(xs, y)
    out = pd.DataFrame(
        {
            "label": [DIMENSION_LABELS.get(d, d) for d in dims],
            "performance": perf,
            "importance_corr": corr,
            "importance_beta": beta,
        },
        index=pd.Index(dims, name="dimension"),
    )
    use_beta = method == "regression"
    out["importance"] = out["importance_beta" if use_beta else "importance_corr"]
    quad, icut, pcut = _quadrants(
        out["importance"].to_numpy(), perf, importance_cut, performance_cut
    )
    out["quadrant"] = quad
    out["action"] = out["quadrant"].map(QUADRANT_ACTIONS)
    if n_boot is not None:
        n_boot = _check_n_boot(n_boot)
        ci = _check_ci(ci)
        rng = np.random.default_rng(random_state)
        imps = np.empty((n_boot, len(dims)))
        same = np.zeros(len(dims))
        for i in range(n_boot):
            idx = rng.integers(0, len(y), size=len(y))
            p_b, c_b, b_b = _ipa_measures(xs[idx], y[idx])
            imps[i] = b_b if use_beta else c_b
            q_b, _, _ = _quadrants(imps[i], p_b, importance_cut, performance_cut)
            same += q_b == quad
        out["importance_low"], out["importance_high"] = np.quantile(
            imps, [(1 - ci) / 2, (1 + ci) / 2], axis=0
        )
        out["quadrant_stability"] = same / n_boot
    out.attrs.update(
        n_used=len(x), n_dropped=n_dropped, importance_cut=float(icut), performance_cut=float(pcut),
        method=method,
    )  # fmt: skip
    return out


def _ipa_measures(xs: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    sd = xs.std(axis=0)
    corr = np.array(
        [np.corrcoef(xs[:, j], y)[0, 1] if sd[j] > 0 and y.std() > 0 else 0.0
         for j in range(xs.shape[1])]
    )  # fmt: skip
    zx, zy = _standardise(xs), _standardise(y[:, None])[:, 0]
    beta, *_ = np.linalg.lstsq(zx, zy, rcond=None)
    return xs.mean(axis=0), corr, beta


def _quadrants(
    imp: np.ndarray, perf: np.ndarray, icut: float | None, pcut: float | None
) -> tuple[np.ndarray, float, float]:
    icut = float(np.mean(imp)) if icut is None else float(icut)
    pcut = float(np.mean(perf)) if pcut is None else float(pcut)
    hi_imp, hi_perf = imp >= icut, perf >= pcut
    quad = np.select(
        [hi_imp & ~hi_perf, hi_imp & hi_perf, ~hi_imp & ~hi_perf],
        ["concentrate here", "keep up the good work", "low priority"],
        default="possible overkill",
    )
    return quad, icut, pcut


def plot_importance_performance(ipa: pd.DataFrame, *, ax: plt.Axes | None = None) -> plt.Axes:
    """Draw the four-quadrant importance-performance map.

    Parameters
    ----------
    ipa : pandas.DataFrame
        Output of :func:`importance_performance`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> s = pd.DataFrame({"perc_product": [1, 2, 3, 4, 5, 6], "perc_staff": [6, 6, 7, 6, 6, 7],
    ...                   "overall_satisfaction": [1, 2, 3, 4, 5, 6]})
    >>> ax = plot_importance_performance(importance_performance(s, dimensions=["product", "staff"]))
    >>> sorted(t.get_text() for t in ax.texts)[:2]
    ['CONCENTRATE HERE', 'KEEP UP THE GOOD WORK']
    >>> plt.close("all")
    """
    _require_columns(ipa, ["performance", "importance", "label"], "ipa")
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 5.5))
    icut = ipa.attrs.get("importance_cut", float(ipa["importance"].mean()))
    pcut = ipa.attrs.get("performance_cut", float(ipa["performance"].mean()))
    ax.scatter(ipa["performance"], ipa["importance"], s=120, color="#2e86c1", zorder=3)
    if {"importance_low", "importance_high"} <= set(ipa.columns):
        ax.errorbar(
            ipa["performance"], ipa["importance"],
            yerr=[ipa["importance"] - ipa["importance_low"], ipa["importance_high"] - ipa["importance"]],
            fmt="none", ecolor="#2e86c1", capsize=4, zorder=2,
        )  # fmt: skip
    for _, r in ipa.iterrows():
        ax.annotate(r["label"], (r["performance"], r["importance"]), xytext=(7, 5),
                    textcoords="offset points", fontsize=11)  # fmt: skip
    pr = ipa["performance"].max() - ipa["performance"].min()
    ir = ipa["importance"].max() - ipa["importance"].min()
    pad_p, pad_i = max(pr, 0.2) * 0.6, max(ir, 0.05) * 0.6
    x0, x1 = ipa["performance"].min() - pad_p, ipa["performance"].max() + pad_p
    y0, y1 = ipa["importance"].min() - pad_i, ipa["importance"].max() + pad_i
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.axvline(pcut, color="grey", lw=1, ls="--")
    ax.axhline(icut, color="grey", lw=1, ls="--")
    corners = {
        "concentrate here": (x0, y1, "left", "top", "#c0392b"),
        "keep up the good work": (x1, y1, "right", "top", "#1e8449"),
        "low priority": (x0, y0, "left", "bottom", "grey"),
        "possible overkill": (x1, y0, "right", "bottom", "#b9770e"),
    }
    for name, (x, y, ha, va, colour) in corners.items():
        ax.text(x, y, name.upper(), ha=ha, va=va, fontsize=10, color=colour, weight="bold",
                alpha=0.8)  # fmt: skip
    method = ipa.attrs.get("method", "regression")
    how = "standardised regression weight" if method == "regression" else "correlation"
    ax.set_xlabel("Performance: mean perceived score (1-7)")
    ax.set_ylabel(f"Importance: {how} with overall satisfaction")
    ax.set_title("Where to act: importance vs performance")
    return ax


# -------------------------------------------------------------------- drivers


def driver_analysis(
    data: pd.DataFrame,
    *,
    features: Sequence[str],
    target: str,
    kind: str = "auto",
    n_boot: int = 500,
    ci: float = 0.95,
    random_state: int | np.random.Generator | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """What drives satisfaction (or repurchase)? Standardised coefficients with bootstrap CIs.

    Every feature is standardised (mean 0, standard deviation 1) so the
    coefficients compare like with like: "one standard deviation more of X".

    * ``kind="linear"`` (numeric target such as overall satisfaction): the
      target is standardised too, so coefficients are the classic beta
      weights (scikit-learn ``LinearRegression``).
    * ``kind="logistic"`` (0/1 target such as repurchased): change in the
      log-odds per standard deviation, plus ``odds_ratio = exp(coef)``
      (scikit-learn ``LogisticRegression`` with a negligible penalty,
      ``C=1e6``, Newton solver, so the estimates equal the usual maximum
      likelihood ones).

    Uncertainty: the rows are resampled with replacement ``n_boot`` times,
    the whole model (standardisation included) is refitted each time, and
    the interval is the middle ``ci`` share of the refitted coefficients.
    ``share_positive`` is the share of resamples in which the coefficient is
    above zero (near 0 or 1 means the sign is clear).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per respondent / customer.
    features : sequence of str
        Numeric predictor columns.
    target : str
        The outcome column.
    kind : {"auto", "linear", "logistic"}, default "auto"
        "auto" picks logistic when the target has only the values 0 and 1.
    n_boot : int, default 500
        Bootstrap resamples.
    ci : float, default 0.95
        Interval level.
    random_state : int, numpy Generator or None
        Seed for the resampling.
    progress : bool, default False
        Show a progress bar.

    Returns
    -------
    pandas.DataFrame
        Index ``feature`` (sorted by absolute coefficient, largest first);
        columns ``coef, ci_low, ci_high, share_positive`` and, for logistic,
        ``odds_ratio``. Rows with a missing value are left out and counted in
        ``.attrs["n_dropped"]``; ``.attrs["kind"]`` and ``.attrs["n_used"]``
        record the fit.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"a": rng.normal(size=300), "b": rng.normal(size=300)})
    >>> d["y"] = 2 * d["a"] + rng.normal(size=300)
    >>> r = driver_analysis(d, features=["a", "b"], target="y", n_boot=200, random_state=0)
    >>> r.index.tolist(), r.attrs["kind"]
    (['a', 'b'], 'linear')
    >>> bool(r.loc["a", "ci_low"] > 0.8), bool(r.loc["b", "ci_low"] < 0 < r.loc["b", "ci_high"])
    (True, True)
    """
    from sklearn.linear_model import LinearRegression, LogisticRegression

    feats = list(features)
    if not feats or isinstance(features, str):
        raise ValueError(f"features={features!r} is not valid; give a list of column names")
    if target in feats:
        raise ValueError(f"target={target!r} is also in features; drop it from features")
    ci = _check_ci(ci)
    n_boot = _check_n_boot(n_boot)
    if kind not in ("auto", "linear", "logistic"):
        raise ValueError(f"kind={kind!r} is not valid; use 'auto', 'linear' or 'logistic'")
    x, n_dropped = _complete_cases(data, [*feats, target], "data")
    X = x[feats].to_numpy()
    y = x[target].to_numpy()
    binary = set(np.unique(y)) <= {0.0, 1.0}
    if kind == "auto":
        kind = "logistic" if binary else "linear"
    if kind == "logistic" and not binary:
        raise ValueError(
            f"target={target!r} must hold only 0/1 (or True/False) for kind='logistic'"
        )
    if kind == "logistic" and len(np.unique(y)) < 2:
        raise ValueError(
            f"target={target!r} has only one value; a logistic model needs both 0 and 1"
        )
    if len(x) < len(feats) + 10:
        raise ValueError(f"data has {len(x)} complete rows; need at least {len(feats) + 10}")
    rng = np.random.default_rng(random_state)

    def fit(Xa: np.ndarray, ya: np.ndarray) -> np.ndarray:
        zx = _standardise(Xa)
        if kind == "linear":
            zy = _standardise(ya[:, None])[:, 0]
            return LinearRegression().fit(zx, zy).coef_.ravel()
        if len(np.unique(ya)) < 2:
            return np.full(Xa.shape[1], np.nan)
        model = LogisticRegression(C=1e6, solver="newton-cholesky", max_iter=200)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return model.fit(zx, ya).coef_.ravel()

    coef = fit(X, y)
    boots = np.empty((n_boot, len(feats)))
    it = range(n_boot)
    if progress:
        from tqdm.auto import tqdm

        it = tqdm(it, desc="bootstrap", leave=False)
    n = len(y)
    for i in it:
        idx = rng.integers(0, n, size=n)
        boots[i] = fit(X[idx], y[idx])
    lo, hi = np.nanquantile(boots, [(1 - ci) / 2, (1 + ci) / 2], axis=0)
    out = pd.DataFrame(
        {"coef": coef, "ci_low": lo, "ci_high": hi,
         "share_positive": np.nanmean(boots > 0, axis=0)},
        index=pd.Index(feats, name="feature"),
    )  # fmt: skip
    if kind == "logistic":
        out["odds_ratio"] = np.exp(out["coef"])
    out = out.reindex(out["coef"].abs().sort_values(ascending=False, kind="stable").index)
    out.attrs.update(kind=kind, target=target, n_used=n, n_dropped=n_dropped)
    return out


def plot_drivers(
    drivers: pd.DataFrame, *, ax: plt.Axes | None = None, labels: Mapping[str, str] | None = None
) -> plt.Axes:
    """Plot driver coefficients with their bootstrap intervals.

    Parameters
    ----------
    drivers : pandas.DataFrame
        Output of :func:`driver_analysis`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.
    labels : mapping, optional
        Display names of the features.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> d = pd.DataFrame({"coef": [0.5, 0.1], "ci_low": [0.4, -0.1], "ci_high": [0.6, 0.3]},
    ...                  index=pd.Index(["a", "b"], name="feature"))
    >>> d.attrs.update(kind="linear", target="y")
    >>> plot_drivers(d).get_xlabel()
    'Standardised effect on y (95% bootstrap interval)'
    >>> plt.close("all")
    """
    _require_columns(drivers, ["coef", "ci_low", "ci_high"], "drivers")
    if ax is None:
        _, ax = plt.subplots()
    names = [(labels or {}).get(f, f) for f in drivers.index]
    y = np.arange(len(names))[::-1]
    clear = (drivers["ci_low"] > 0) | (drivers["ci_high"] < 0)
    colours = np.where(clear, "#2e86c1", "#aab7b8")
    ax.barh(y, drivers["coef"], color=colours)
    ax.errorbar(drivers["coef"], y, xerr=[drivers["coef"] - drivers["ci_low"],
                drivers["ci_high"] - drivers["coef"]], fmt="none", ecolor="black", capsize=3)  # fmt: skip
    ax.axvline(0, color="black", lw=1)
    ax.set_yticks(y, names)
    target = drivers.attrs.get("target", "the outcome")
    scale = "log-odds of " if drivers.attrs.get("kind") == "logistic" else ""
    ax.set_xlabel(f"Standardised effect on {scale}{target} (95% bootstrap interval)")
    ax.set_title("What drives it? (grey = could be zero)")
    return ax


# ------------------------------------------------------ satisfaction -> loyalty


def repurchase_after_survey(
    surveys: pd.DataFrame,
    transactions: pd.DataFrame,
    *,
    horizon_days: int = 90,
    end: Any = None,
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
    survey_date: str = schema.DATE,
) -> pd.DataFrame:
    """Flag whether each respondent bought again within ``horizon_days`` of answering.

    This is *observable* loyalty: the survey joined with the purchases that
    followed it. A purchase counts when it falls on a later day than the
    survey (a survey is often triggered by the purchase it asks about).

    Responses whose window runs past the end of the data cannot be judged
    yet: their ``repurchased`` is missing (``<NA>``), never False, and they
    are counted in ``.attrs["n_censored"]``.

    Parameters
    ----------
    surveys : pandas.DataFrame
        Responses with ``customer_id`` and ``survey_date``.
    transactions : pandas.DataFrame
        Purchases with ``customer_id`` and ``date``; returns (negative
        amounts) are not purchases and are dropped when an ``amount`` column
        is present (counted in ``.attrs["n_returns_ignored"]``).
    horizon_days : int, default 90
        Length of the follow-up window.
    end : date-like, optional
        Last day of purchase data; defaults to the last transaction date.
    customer_id, date, survey_date : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        A copy of ``surveys`` with ``days_to_next_purchase`` (float, NaN if
        none was seen) and ``repurchased`` (nullable boolean; missing when the
        window is not over or the response has no customer id, counted in
        ``.attrs["n_censored"]`` and ``.attrs["n_no_customer"]``).

    Examples
    --------
    >>> s = pd.DataFrame({"customer_id": ["A", "B", "C"],
    ...                   "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-05-15"])})
    >>> t = pd.DataFrame({"customer_id": ["A", "A", "B"],
    ...                   "date": pd.to_datetime(["2024-01-01", "2024-01-31", "2024-06-01"])})
    >>> out = repurchase_after_survey(s, t, horizon_days=60, end="2024-06-30")
    >>> out["days_to_next_purchase"].tolist(), out["repurchased"].tolist()
    ([30.0, 152.0, nan], [True, False, <NA>])
    >>> out.attrs["n_censored"]
    1
    """
    _check_days(horizon_days, "horizon_days")
    left, right, end_day, n_returns = _survey_and_purchase_days(
        surveys, transactions, end=end, customer_id=customer_id, date=date, survey_date=survey_date
    )
    days = _days_to_next(left, right, left["_day"])
    out = surveys.copy()
    out["days_to_next_purchase"] = days
    observable = (left["_day"] + pd.Timedelta(days=int(horizon_days))) <= end_day
    known = left["_key"].notna()
    rep = pd.Series(days <= horizon_days, index=out.index).astype("boolean")
    rep[~(observable & known).to_numpy()] = pd.NA
    out["repurchased"] = rep
    out.attrs.update(
        n_censored=int((~observable & known).sum()),
        n_no_customer=int((~known).sum()),
        n_returns_ignored=n_returns,
        horizon_days=int(horizon_days),
    )
    return out


def still_active_after_survey(
    surveys: pd.DataFrame,
    transactions: pd.DataFrame,
    *,
    after_days: int = 365,
    activity_days: int = 90,
    end: Any = None,
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
    survey_date: str = schema.DATE,
) -> pd.DataFrame:
    """Flag whether each respondent is still a customer ``after_days`` after answering.

    "Still a customer" is observable behaviour: at least one purchase in the
    ``activity_days`` before the day ``survey + after_days``. This is a
    retention measure with the same follow-up for every respondent, so early
    and late respondents compare fairly. (One next purchase is a weaker
    signal: even customers about to leave usually come back once.)

    Responses whose follow-up runs past the end of the data are missing
    (``<NA>``) and counted in ``.attrs["n_censored"]``; responses without a
    customer id are missing and counted in ``.attrs["n_no_customer"]``.

    Parameters
    ----------
    surveys : pandas.DataFrame
        Responses with ``customer_id`` and ``survey_date``.
    transactions : pandas.DataFrame
        Purchases; returns (negative ``amount``) are ignored.
    after_days : int, default 365
        How long after the survey retention is checked.
    activity_days : int, default 90
        Length of the window, ending ``after_days`` after the survey, in which
        a purchase counts as "still active". At most ``after_days``.
    end : date-like, optional
        Last day of purchase data; defaults to the last transaction date.
    customer_id, date, survey_date : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        A copy of ``surveys`` with ``still_active`` (nullable boolean).

    Examples
    --------
    >>> s = pd.DataFrame({"customer_id": ["A", "B", "C"],
    ...                   "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-06-01"])})
    >>> t = pd.DataFrame({"customer_id": ["A", "A", "B"],
    ...                   "date": pd.to_datetime(["2024-01-02", "2024-03-25", "2024-02-01"])})
    >>> out = still_active_after_survey(s, t, after_days=90, activity_days=30, end="2024-07-31")
    >>> out["still_active"].tolist(), out.attrs["n_censored"]
    ([True, False, <NA>], 1)
    """
    _check_days(after_days, "after_days")
    _check_days(activity_days, "activity_days")
    if activity_days > after_days:
        raise ValueError(
            f"activity_days={activity_days!r} is longer than after_days={after_days!r}; "
            "use a window that fits inside the follow-up"
        )
    left, right, end_day, n_returns = _survey_and_purchase_days(
        surveys, transactions, end=end, customer_id=customer_id, date=date, survey_date=survey_date
    )
    window_start = left["_day"] + pd.Timedelta(days=int(after_days - activity_days))
    days = _days_to_next(left, right, window_start)
    out = surveys.copy()
    observable = (left["_day"] + pd.Timedelta(days=int(after_days))) <= end_day
    known = left["_key"].notna()
    act = pd.Series(days <= activity_days, index=out.index).astype("boolean")
    act[~(observable & known).to_numpy()] = pd.NA
    out["still_active"] = act
    out.attrs.update(
        n_censored=int((~observable & known).sum()),
        n_no_customer=int((~known).sum()),
        n_returns_ignored=n_returns,
        after_days=int(after_days),
        activity_days=int(activity_days),
    )
    return out


def active_share_by_period(
    surveys: pd.DataFrame,
    transactions: pd.DataFrame,
    *,
    by: str,
    freq: str = "Q",
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
) -> pd.DataFrame:
    """Share of each group of respondents who bought at least once in each period.

    Follows a fixed group of people (e.g. everyone surveyed in 2024, banded
    by satisfaction) through time, so a sudden fall in one group after an
    event (a competitor opening, a price rise) stands out.

    Parameters
    ----------
    surveys : pandas.DataFrame
        One row per respondent with ``customer_id`` and the ``by`` column.
        Respondents without a customer id or group are left out and counted
        in ``.attrs["n_dropped"]``.
    transactions : pandas.DataFrame
        Purchases; returns (negative ``amount``) are ignored.
    by : str
        The grouping column.
    freq : str, default "Q"
        A pandas period frequency: "M" (months), "Q" (quarters), "Y".
    customer_id, date : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Index: periods (as their first day); one column per group; values
        are shares 0-1. ``.attrs["group_sizes"]`` holds the group sizes.

    Examples
    --------
    >>> s = pd.DataFrame({"customer_id": ["A", "B", "C"], "grp": ["x", "x", "y"]})
    >>> t = pd.DataFrame({"customer_id": ["A", "A", "B", "C"],
    ...                   "date": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-04-01",
    ...                                           "2024-04-09"])})
    >>> active_share_by_period(s, t, by="grp").values.tolist()
    [[0.5, 0.0], [0.5, 1.0]]
    """
    _require_columns(surveys, [customer_id, by], "surveys")
    _require_columns(transactions, [customer_id, date], "transactions")
    ok = surveys[customer_id].notna() & surveys[by].notna()
    resp = surveys.loc[ok, [customer_id, by]].drop_duplicates(customer_id)
    tx = transactions
    if schema.AMOUNT in tx.columns:
        tx = tx[~(tx[schema.AMOUNT] < 0).fillna(False).to_numpy(dtype=bool)]
    try:
        period = pd.to_datetime(tx[date]).dt.to_period(freq)
    except ValueError:
        raise ValueError(
            f"freq={freq!r} is not a pandas period frequency; use 'M', 'Q' or 'Y'"
        ) from None
    visits = pd.DataFrame({customer_id: tx[customer_id].to_numpy(), "_period": period.to_numpy()})
    visits = visits.dropna().drop_duplicates()
    m = resp.merge(visits, on=customer_id, how="inner")
    counts = m.groupby(["_period", by], observed=True).size().unstack(fill_value=0)
    all_periods = pd.period_range(period.min(), period.max(), freq=freq)
    counts = counts.reindex(all_periods, fill_value=0)
    sizes = resp[by].value_counts()
    groups = [g for g in sizes.index if g in counts.columns] + [
        g for g in sizes.index if g not in counts.columns
    ]
    counts = counts.reindex(columns=sorted(groups, key=str), fill_value=0)
    if isinstance(resp[by].dtype, pd.CategoricalDtype):
        order = [c for c in resp[by].cat.categories if c in counts.columns]
        counts = counts[order]
    out = counts.div(sizes.reindex(counts.columns), axis=1)
    out.index = out.index.to_timestamp()
    out.index.name = "period"
    out.columns.name = by
    out.attrs.update(group_sizes=sizes.to_dict(), n_dropped=int((~ok).sum()))
    return out


def _check_days(value: Any, arg: str) -> None:
    if not isinstance(value, int | np.integer) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"{arg}={value!r} is not valid; use a positive whole number of days")


def _survey_and_purchase_days(
    surveys: pd.DataFrame,
    transactions: pd.DataFrame,
    *,
    end: Any,
    customer_id: str,
    date: str,
    survey_date: str,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Timestamp, int]:
    _require_columns(surveys, [customer_id, survey_date], "surveys")
    _require_columns(transactions, [customer_id, date], "transactions")
    tx = transactions
    n_returns = 0
    if schema.AMOUNT in tx.columns:
        neg = (tx[schema.AMOUNT] < 0).fillna(False).to_numpy(dtype=bool)
        n_returns = int(neg.sum())
        tx = tx[~neg]
    end_day = (pd.Timestamp(end) if end is not None else pd.Timestamp(tx[date].max())).normalize()
    left = pd.DataFrame(
        {
            "_key": surveys[customer_id].astype("string").to_numpy(),
            "_day": pd.to_datetime(surveys[survey_date])
            .dt.normalize()
            .astype("datetime64[ns]")
            .to_numpy(),
        }
    )
    if left["_day"].isna().any():
        raise ValueError(
            f"surveys[{survey_date!r}] has {int(left['_day'].isna().sum())} missing dates"
        )
    right = (
        pd.DataFrame(
            {
                "_key": tx[customer_id].astype("string").to_numpy(),
                "_next": pd.to_datetime(tx[date])
                .dt.normalize()
                .astype("datetime64[ns]")
                .to_numpy(),
            }
        )
        .dropna()
        .drop_duplicates()
    )
    right = right[right["_next"] <= end_day].sort_values("_next")
    return left, right, end_day, n_returns


def _days_to_next(left: pd.DataFrame, right: pd.DataFrame, start: pd.Series) -> np.ndarray:
    """Days from ``start`` to the customer's first purchase on a later day (NaN if none)."""
    q = pd.DataFrame({"_row": np.arange(len(left)), "_key": left["_key"], "_start": start})
    q = q.dropna(subset=["_key"]).sort_values("_start")
    merged = pd.merge_asof(
        q,
        right,
        left_on="_start",
        right_on="_next",
        by="_key",
        direction="forward",
        allow_exact_matches=False,
    ).set_index("_row")
    days = (merged["_next"] - merged["_start"]).dt.days.astype("float64")
    return days.reindex(np.arange(len(left))).to_numpy()


def satisfaction_band(scores: Any, *, scale: tuple[int, int] = (1, 7)) -> pd.Series:
    """Group satisfaction scores into four bands.

    The top answer is "completely satisfied" (the top box); answers above
    the scale midpoint but below the top are "satisfied"; the midpoint is
    "neutral"; below it "dissatisfied". On 1-7: 1-3 / 4 / 5-6 / 7; on 1-5:
    1-2 / 3 / 4 / 5.

    Parameters
    ----------
    scores : Series or list of int
        Scores on ``scale``.
    scale : (int, int), default (1, 7)
        Lowest and highest answer.

    Returns
    -------
    pandas.Series
        Ordered categorical with categories :data:`BAND_ORDER`.

    Examples
    --------
    >>> satisfaction_band([1, 3, 4, 5, 6, 7]).tolist()
    ['dissatisfied', 'dissatisfied', 'neutral', 'satisfied', 'satisfied', 'completely satisfied']
    >>> satisfaction_band([2, 3, 4, 5], scale=(1, 5)).tolist()
    ['dissatisfied', 'neutral', 'satisfied', 'completely satisfied']
    """
    lo, hi = scale
    if hi - lo < 3:
        raise ValueError(
            f"scale={scale!r} is too short; bands need at least four answers, e.g. (1, 5)"
        )
    s = _as_numeric(scores, "scores")
    _check_scale(s, lo, hi, "scores")
    mid = (lo + hi) / 2
    labels = np.select(
        [s < mid, s == mid, s >= hi, s > mid],
        ["dissatisfied", "neutral", "completely satisfied", "satisfied"],
        default="",
    )
    cat = pd.Categorical(
        np.where(s.isna(), None, labels), categories=list(BAND_ORDER), ordered=True
    )
    return pd.Series(cat, index=s.index, name="band")


def loyalty_curve(
    data: pd.DataFrame,
    *,
    outcome: str = "repurchased",
    score: str = "overall_satisfaction",
    by: str | None = None,
    bands: bool = False,
    scale: tuple[int, int] = (1, 7),
    ci: float = 0.95,
) -> pd.DataFrame:
    """Loyalty (share with ``outcome`` true) at each satisfaction level.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per response, e.g. from :func:`repurchase_after_survey`.
    outcome : str, default "repurchased"
        A true/false column.
    score : str, default "overall_satisfaction"
        The satisfaction score.
    by : str, optional
        A column to split by (e.g. world or period); one curve per value.
    bands : bool, default False
        Use :func:`satisfaction_band` instead of every score level.
    scale : (int, int), default (1, 7)
        Range of ``score``.
    ci : float, default 0.95
        Level of the Wilson interval of each rate.

    Returns
    -------
    pandas.DataFrame
        Columns ``[by,] level, n, loyal, rate, ci_low, ci_high`` (rates as
        shares 0-1). Rows with a missing outcome or score are left out and
        counted in ``.attrs["n_dropped"]``.

    Examples
    --------
    >>> d = pd.DataFrame({"overall_satisfaction": [7, 7, 6, 6, 5, 2],
    ...                   "repurchased": [True, True, True, False, False, None]})
    >>> c = loyalty_curve(d)
    >>> c["level"].tolist(), c["n"].tolist(), c["rate"].tolist()
    ([5, 6, 7], [1, 2, 2], [0.0, 0.5, 1.0])
    >>> c.attrs["n_dropped"]
    1
    """
    ci = _check_ci(ci)
    cols = [outcome, score] + ([by] if by else [])
    _require_columns(data, cols, "data")
    y = data[outcome]
    if not (pd.api.types.is_bool_dtype(y) or set(pd.unique(y.dropna())) <= {0, 1}):
        raise ValueError(
            f"data[{outcome!r}] must be true/false (or 0/1); got values such as {list(pd.unique(y.dropna()))[:3]}"
        )
    s = _as_numeric(data[score], f"data[{score!r}]")
    _check_scale(s, *scale, f"data[{score!r}]")
    ok = y.notna().to_numpy() & s.notna().to_numpy()
    if by:
        ok &= data[by].notna().to_numpy()
    level = satisfaction_band(s, scale=scale) if bands else s.astype("Int64")
    frame = pd.DataFrame({"level": level.array, "y": y.astype("float64").to_numpy()})
    if by:
        frame.insert(0, by, data[by].to_numpy())
    frame = frame[ok]
    keys = ([by] if by else []) + ["level"]
    agg = frame.groupby(keys, observed=True, sort=True)["y"].agg(["size", "sum"]).reset_index()
    agg = agg.rename(columns={"size": "n", "sum": "loyal"})
    agg["loyal"] = agg["loyal"].astype("int64")
    agg["rate"] = agg["loyal"] / agg["n"]
    z = _z(ci)
    bounds = [_wilson(k, n, z) for k, n in zip(agg["loyal"], agg["n"], strict=True)]
    agg["ci_low"] = [b[0] for b in bounds]
    agg["ci_high"] = [b[1] for b in bounds]
    if not bands:
        agg["level"] = agg["level"].astype("int64")
    agg.attrs["n_dropped"] = int((~ok).sum())
    return agg


def top_box_loyalty_gap(
    data: pd.DataFrame,
    *,
    outcome: str = "repurchased",
    score: str = "overall_satisfaction",
    scale: tuple[int, int] = (1, 7),
    ci: float = 0.95,
) -> pd.Series:
    """Loyalty of the completely satisfied minus that of the merely satisfied.

    How much more loyal are the top box than the rest of the satisfied?

    The "top box vs satisfied" gap of Jones & Sasser (1995, *Why satisfied
    customers defect*, Harvard Business Review): in competitive markets it
    is large, in markets where customers cannot easily switch it is small.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per response with a true/false ``outcome``.
    outcome, score, scale, ci
        As in :func:`loyalty_curve`.

    Returns
    -------
    pandas.Series
        ``rate_top, rate_satisfied, gap, se, ci_low, ci_high, n_top,
        n_satisfied`` (rates as shares; the interval is a normal
        approximation for a difference of two proportions).

    Examples
    --------
    >>> d = pd.DataFrame({"overall_satisfaction": [7, 7, 7, 7, 6, 6, 5, 5],
    ...                   "repurchased": [1, 1, 1, 0, 1, 0, 0, 0]})
    >>> r = top_box_loyalty_gap(d)
    >>> r[["rate_top", "rate_satisfied", "gap", "n_top", "n_satisfied"]].tolist()
    [0.75, 0.25, 0.5, 4.0, 4.0]
    """
    curve = loyalty_curve(data, outcome=outcome, score=score, bands=True, scale=scale, ci=ci)
    c = curve.set_index("level")
    for band in ("completely satisfied", "satisfied"):
        if band not in c.index:
            raise ValueError(f"data has no {band!r} responses on {score!r}; cannot compare")
    top, sat = c.loc["completely satisfied"], c.loc["satisfied"]
    gap = top["rate"] - sat["rate"]
    se = math.sqrt(
        top["rate"] * (1 - top["rate"]) / top["n"] + sat["rate"] * (1 - sat["rate"]) / sat["n"]
    )
    z = _z(ci)
    return pd.Series(
        {"rate_top": top["rate"], "rate_satisfied": sat["rate"], "gap": gap, "se": se,
         "ci_low": gap - z * se, "ci_high": gap + z * se, "n_top": top["n"],
         "n_satisfied": sat["n"]},
        dtype="float64",
    )  # fmt: skip


def word_of_mouth_curve(
    surveys: pd.DataFrame,
    *,
    score: str = "overall_satisfaction",
    nps_col: str = "nps",
    scale: tuple[int, int] = (1, 7),
) -> pd.DataFrame:
    """Share of promoters and detractors at each satisfaction level.

    The satisfaction - word-of-mouth curve: around average satisfaction few
    customers talk about the business either way; past a threshold praise
    (promoters) or complaints (detractors) rise steeply.

    Parameters
    ----------
    surveys : pandas.DataFrame
        Responses with a satisfaction score and a 0-10 recommendation score.
    score : str, default "overall_satisfaction"
        The satisfaction column.
    nps_col : str, default "nps"
        The 0-10 recommendation column.
    scale : (int, int), default (1, 7)
        Range of ``score``.

    Returns
    -------
    pandas.DataFrame
        Index ``level``; columns ``n, share_promoters, share_detractors,
        nps``. Responses missing either score are counted in
        ``.attrs["n_dropped"]``.

    Examples
    --------
    >>> d = pd.DataFrame({"overall_satisfaction": [7, 7, 4, 4, 1],
    ...                   "nps": [10, 9, 8, 5, 0]})
    >>> w = word_of_mouth_curve(d)
    >>> w["nps"].tolist()
    [-100.0, -50.0, 100.0]
    """
    _require_columns(surveys, [score, nps_col])
    s = _as_numeric(surveys[score], f"surveys[{score!r}]")
    _check_scale(s, *scale, f"surveys[{score!r}]")
    group = nps_category(surveys[nps_col])
    ok = s.notna() & group.notna()
    frame = pd.DataFrame({"level": s[ok].astype("int64"), "group": group[ok].astype(str)})
    counts = pd.crosstab(frame["level"], frame["group"]).reindex(
        columns=list(NPS_GROUPS), fill_value=0
    )
    n = counts.sum(axis=1)
    out = pd.DataFrame(
        {
            "n": n,
            "share_promoters": counts["promoter"] / n,
            "share_detractors": counts["detractor"] / n,
        }
    )
    out["nps"] = 100 * (out["share_promoters"] - out["share_detractors"])
    out.index.name = "level"
    out.attrs["n_dropped"] = int((~ok).sum())
    return out


def plot_loyalty_curves(
    curve: pd.DataFrame,
    *,
    by: str | None = None,
    ax: plt.Axes | None = None,
    ylabel: str = "Bought again within the follow-up window",
) -> plt.Axes:
    """Plot loyalty rate against satisfaction level, one line per group.

    Parameters
    ----------
    curve : pandas.DataFrame
        Output of :func:`loyalty_curve`.
    by : str, optional
        The ``by`` column used in :func:`loyalty_curve`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.
    ylabel : str
        Label of the y axis.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> c = pd.DataFrame({"level": [5, 6, 7], "rate": [0.2, 0.4, 0.9], "n": [10, 10, 10],
    ...                   "ci_low": [0.1, 0.2, 0.7], "ci_high": [0.4, 0.6, 1.0]})
    >>> float(plot_loyalty_curves(c).get_ylim()[0])
    0.0
    >>> plt.close("all")
    """
    _require_columns(curve, ["level", "rate", "ci_low", "ci_high"], "curve")
    if ax is None:
        _, ax = plt.subplots()
    groups = [(None, curve)] if by is None else list(curve.groupby(by, sort=False, observed=True))
    for key, sub in groups:
        x = (
            sub["level"].astype(str)
            if isinstance(sub["level"].dtype, pd.CategoricalDtype)
            else sub["level"]
        )
        ax.plot(x, sub["rate"], marker="o", lw=2, label=None if key is None else str(key))
        ax.fill_between(x, sub["ci_low"], sub["ci_high"], alpha=0.15)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _p: f"{v:.0%}"))
    ax.set_xlabel("Overall satisfaction (1 = very dissatisfied, 7 = completely satisfied)")
    ax.set_ylabel(ylabel)
    ax.set_title("Satisfaction and loyalty")
    if by is not None:
        ax.legend(title=by, frameon=False)
    return ax


def event_period(
    dates: Any,
    event_date: Any,
    *,
    horizon_days: int = 0,
    labels: tuple[str, str] = ("before", "after"),
) -> pd.Series:
    """Label dates as before or after an event, leaving out windows that straddle it.

    A survey answered shortly before a competitor opens, followed for
    ``horizon_days``, mixes both worlds: it is labelled missing.

    Parameters
    ----------
    dates : Series or list of date-like
        Survey dates.
    event_date : date-like
        The day the event happened (e.g. a competitor's entry).
    horizon_days : int, default 0
        Follow-up window length; a date is "before" only if its whole window
        ends before the event.
    labels : (str, str)
        Names of the two periods.

    Returns
    -------
    pandas.Series
        Labels (string dtype) with ``<NA>`` for straddling windows.

    Examples
    --------
    >>> event_period(["2024-01-01", "2024-02-20", "2024-03-05"], "2024-03-01",
    ...              horizon_days=30).tolist()
    ['before', <NA>, 'after']
    """
    d = pd.to_datetime(pd.Series(dates)).dt.normalize()
    ev = pd.Timestamp(event_date).normalize()
    before = d + pd.Timedelta(days=int(horizon_days)) < ev
    after = d >= ev
    out = pd.Series(pd.NA, index=d.index, dtype="string")
    out[before] = labels[0]
    out[after] = labels[1]
    return out


# ---------------------------------------------------- expectation management


@dataclass(frozen=True)
class ExpectationModel:
    """Parameters of :func:`simulate_expectation_management` (all on the 1-7 scale).

    Attributes
    ----------
    true_quality : float
        Mean quality the business really delivers.
    quality_noise : float
        Spread of the quality a single customer perceives.
    expectation_noise : float
        Spread of expectations around the promise.
    trial_at_midpoint : float
        Share of prospects who try when the promise is 4 (average).
    trial_slope : float
        Change in the log-odds of trying per point of promise.
    repeat_at_zero_gap : float
        Chance of buying again in a period when perception equals expectation.
    repeat_slope : float
        Change in the log-odds of buying again per point of satisfaction.
    periods : int
        Number of periods after the first purchase.
    """

    true_quality: float = 5.0
    quality_noise: float = 0.8
    expectation_noise: float = 0.5
    trial_at_midpoint: float = 0.10
    trial_slope: float = 0.6
    repeat_at_zero_gap: float = 0.8
    repeat_slope: float = 1.5
    periods: int = 24


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def simulate_expectation_management(
    promises: Sequence[float],
    *,
    n_prospects: int = 10_000,
    model: ExpectationModel | None = None,
    random_state: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    """Simulate what promising more (or less) does to trial, satisfaction and repeats.

    A toy market of ``n_prospects`` people for each promised quality level:

    1. Each prospect's expectation is the promise plus a little noise.
    2. Prospects try the business with a chance that rises with the promise
       (a bolder advert wins more first purchases).
    3. Each buyer perceives the quality actually delivered (true quality plus
       noise); satisfaction = perception - expectation (Kotler).
    4. In each later period a buyer comes back with a chance that rises
       steeply with satisfaction, and stops for good at the first period
       they do not (so disappointment compounds).

    The same random draws (the same people) are used for every promise, so
    differences between rows come from the promise alone.

    Parameters
    ----------
    promises : sequence of float
        Promised quality levels on the 1-7 scale.
    n_prospects : int, default 10000
        Size of the market.
    model : ExpectationModel, optional
        The behaviour assumptions; defaults to :class:`ExpectationModel()`.
    random_state : int, numpy Generator or None
        Seed.

    Returns
    -------
    pandas.DataFrame
        One row per promise (index ``promise``) with ``first_buyers,
        mean_satisfaction, share_disappointed, repeat_rate`` (share of buyers
        who came back at least once), ``repeat_purchases`` and
        ``total_purchases``.

    Examples
    --------
    >>> sim = simulate_expectation_management([2, 4.5, 7], random_state=1)
    >>> bool(sim["first_buyers"].is_monotonic_increasing)
    True
    >>> bool(sim["mean_satisfaction"].is_monotonic_decreasing)
    True
    >>> float(sim["total_purchases"].idxmax())  # neither the lowest nor the boldest promise
    4.5
    """
    m = model or ExpectationModel()
    if not isinstance(n_prospects, int | np.integer) or n_prospects < 1:
        raise ValueError(f"n_prospects={n_prospects!r} is not valid; use a positive whole number")
    proms = [float(p) for p in promises]
    bad = [p for p in proms if not 1 <= p <= 7]
    if not proms or bad:
        raise ValueError(f"promises={list(promises)!r} is not valid; give levels from 1 to 7")
    rng = np.random.default_rng(random_state)
    e_noise = rng.normal(0, m.expectation_noise, n_prospects)
    u_trial = rng.random(n_prospects)
    perceived = m.true_quality + rng.normal(0, m.quality_noise, n_prospects)
    u_repeat = rng.random((n_prospects, m.periods))
    rows = []
    for p in proms:
        expectation = np.clip(p + e_noise, 1, 7)
        p_trial = 1 / (1 + np.exp(-(_logit(m.trial_at_midpoint) + m.trial_slope * (p - 4))))
        buyer = u_trial < p_trial
        sat = perceived - expectation
        p_rep = 1 / (1 + np.exp(-(_logit(m.repeat_at_zero_gap) + m.repeat_slope * sat)))
        stays = u_repeat < p_rep[:, None]
        repeats = np.cumprod(stays, axis=1).sum(axis=1)
        nb = int(buyer.sum())
        rows.append(
            {
                "promise": p,
                "first_buyers": nb,
                "mean_satisfaction": float(sat[buyer].mean()) if nb else np.nan,
                "share_disappointed": float((sat[buyer] < 0).mean()) if nb else np.nan,
                "repeat_rate": float((repeats[buyer] > 0).mean()) if nb else np.nan,
                "repeat_purchases": int(repeats[buyer].sum()),
                "total_purchases": nb + int(repeats[buyer].sum()),
            }
        )
    return pd.DataFrame(rows).set_index("promise")


# --------------------------------------------------------- monthly scorecard


def monthly_scorecard(
    surveys: pd.DataFrame,
    *,
    tickets: pd.DataFrame | None = None,
    date: str = schema.DATE,
    nps_col: str = "nps",
    csat_col: str = "csat",
    dimensions: Sequence[str] = DIMENSIONS,
    opened_at: str = "opened_at",
) -> pd.DataFrame:
    """One row per month: the numbers an owner reviews in a monthly feedback meeting.

    Parameters
    ----------
    surveys : pandas.DataFrame
        Survey responses.
    tickets : pandas.DataFrame, optional
        Support tickets / complaints; adds a ``complaints`` count per month.
    date, nps_col, csat_col, opened_at : str
        Column names.
    dimensions : sequence of str
        Gap dimensions to report.

    Returns
    -------
    pandas.DataFrame
        Index ``month`` (first day); columns ``responses, nps, nps_ci_low,
        nps_ci_high, nps_change, change_is_signal, csat, worst_gap,
        gap_<dim>...`` and optionally ``complaints``. ``change_is_signal`` is
        True when the NPS change from last month passes a two-sample test at
        the 5 % level (:func:`compare_nps`): otherwise treat it as noise.

    Examples
    --------
    >>> s = pd.DataFrame({"date": pd.to_datetime(["2024-01-03", "2024-01-20", "2024-02-02"]),
    ...                   "nps": [10, 0, 9], "csat": [5, 2, 4],
    ...                   "exp_product": [5, 5, 5], "perc_product": [6, 3, 5]})
    >>> m = monthly_scorecard(s, dimensions=["product"])
    >>> m[["responses", "nps", "csat", "gap_product"]].values.tolist()
    [[2.0, 0.0, 50.0, -0.5], [1.0, 100.0, 100.0, 0.0]]
    >>> m["worst_gap"].tolist()
    ['Product quality', 'Product quality']
    """
    _require_columns(surveys, [date, nps_col, csat_col], "surveys")
    g = satisfaction_gaps(surveys, dimensions=dimensions)
    month = pd.to_datetime(g[date]).dt.to_period("M").dt.to_timestamp()
    rows = []
    prev = None
    for m, sub in g.groupby(month, sort=True):
        r = nps(sub[nps_col])
        c = csat(sub[csat_col])
        row = {"month": m, "responses": float(len(sub)), "nps": r["nps"], "nps_ci_low": r["ci_low"],
               "nps_ci_high": r["ci_high"]}  # fmt: skip
        if prev is not None:
            cmp = compare_nps(sub[nps_col], prev)
            row["nps_change"] = cmp["difference"]
            row["change_is_signal"] = bool(cmp["p_value"] < 0.05)
        else:
            row["nps_change"] = np.nan
            row["change_is_signal"] = False
        row["csat"] = c["csat"]
        gaps = {d: float(sub[f"gap_{d}"].mean()) for d in dimensions}
        row["worst_gap"] = DIMENSION_LABELS.get(min(gaps, key=gaps.get), min(gaps, key=gaps.get))
        row |= {f"gap_{d}": v for d, v in gaps.items()}
        rows.append(row)
        prev = sub[nps_col]
    out = pd.DataFrame(rows).set_index("month")
    if tickets is not None:
        _require_columns(tickets, [opened_at], "tickets")
        tm = pd.to_datetime(tickets[opened_at]).dt.to_period("M").dt.to_timestamp()
        out["complaints"] = tm.value_counts().reindex(out.index, fill_value=0).astype("int64")
    return out


def _require_columns(df: object, cols: Sequence[str], arg: str = "surveys") -> None:
    require_columns(df, cols, arg)
