"""Customer segmentation: RFM scores and segments, value tiers, need-based clusters.

Three ways to split a customer base, from the most to the least used in CRM:

**RFM scores and named segments** (:func:`rfm_scores`, :func:`rfm_segments`)
    Each of recency, frequency and monetary value is turned into a score from
    1 (worst) to 5 (best). Ties are treated fairly: customers with the same
    value always get the same score. The rule is

    ``score = 1 + floor(n_bins * share of customers with a strictly worse value)``

    so a customer who beats 0 % of the others gets 1 and one who beats at
    least 80 % gets 5. When many customers share one value (typically the
    one-time buyers, often more than half of a shop's customers), whole
    scores can be skipped: every one-time buyer gets F = 1, and the next
    frequency gets the score its position deserves (e.g. 3). Pandas'
    ``qcut`` would instead either split identical customers into different
    scores at random or fail. Alternatively, pass explicit cut-offs (e.g.
    "bought within 30, 90, 180, 365 days").

    The named segments follow the widely used R x F grid (monetary value is
    kept for sizing the segments' value, not for naming them):

    ===================  ======  ======  ================  ================
    segment              R       F       繁體中文           简体中文
    ===================  ======  ======  ================  ================
    champions            5       4-5     冠軍顧客           冠军顾客
    loyal                3-4     4-5     忠誠顧客           忠诚顾客
    potential_loyalists  4-5     2-3     潛力忠誠顧客       潜力忠诚顾客
    new_customers        5       1       新顧客             新顾客
    promising            4       1       有潛力的新客       有潜力的新客
    need_attention       3       3       需要關注           需要关注
    about_to_sleep       3       1-2     即將沉睡           即将沉睡
    cannot_lose          1-2     5       不能失去的顧客     不能失去的顾客
    at_risk              1-2     3-4     流失風險顧客       流失风险顾客
    hibernating          2 / 1   1-2 / 2 休眠顧客           休眠顾客
    lost                 1       1       已流失顧客         已流失顾客
    ===================  ======  ======  ================  ================

    Every (R, F) pair belongs to exactly one segment; :data:`RFM_SEGMENTS`
    holds the full table with a suggested action per segment.

**Value-based tiers** (:func:`value_tiers`)
    High / medium / low value by rank of current value (profit or spend), with
    the cut explicit: by default the top 20 % of customers are *high*, the
    next 30 % *medium*, the rest *low*. A customer outside the high tier whose
    *potential* (predicted future value) would put them in the top 20 % of
    potential is *high-potential*: the people to develop.

**Need-based clusters** (:func:`need_pipeline`, :func:`choose_k`,
:func:`profile_clusters`, :func:`cluster_stability`)
    An sklearn Pipeline (``StandardScaler`` then ``KMeans`` or
    ``GaussianMixture``) over need or behaviour features; k chosen with the
    elbow of the within-cluster sum of squares and the silhouette score;
    clusters named in business words from their most distinctive need;
    stability measured by the adjusted Rand index (ARI) between fits with
    different seeds.

Examples
--------
>>> import pandas as pd
>>> rfm = pd.DataFrame(
...     {"recency_days": [5, 40, 40, 200, 400], "frequency": [9, 1, 1, 2, 1],
...      "monetary": [300.0, 20.0, 25.0, 80.0, 10.0]},
...     index=pd.Index(list("ABCDE"), name="customer_id"),
... )
>>> s = rfm_scores(rfm)
>>> s[["r_score", "f_score", "m_score"]].to_numpy().tolist()
[[5, 5, 5], [3, 1, 2], [3, 1, 3], [2, 4, 4], [1, 1, 1]]
>>> rfm_segments(s).tolist()
['champions', 'about_to_sleep', 'about_to_sleep', 'at_risk', 'lost']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "NEED_NAMES",
    "RFM_SEGMENTS",
    "TIER_LABELS",
    "choose_k",
    "cluster_stability",
    "need_pipeline",
    "profile_clusters",
    "recovery_ari",
    "rfm_scores",
    "rfm_segments",
    "segment_grid",
    "segment_label",
    "segment_summary",
    "tie_scores",
    "value_tiers",
]

_LANGS = ("en", "zh_tw", "zh_cn")

#: The RFM segment map: R and F score ranges, labels in three languages, an action.
#: Order: from most to least valuable, as used for sorting and plotting.
RFM_SEGMENTS = pd.DataFrame(
    [
        (
            "champions",
            "Champions",
            "冠軍顧客",
            "冠军顾客",
            "5",
            "4-5",
            "Bought recently, buy often: reward them, ask for reviews and referrals.",
        ),
        (
            "loyal",
            "Loyal customers",
            "忠誠顧客",
            "忠诚顾客",
            "3-4",
            "4-5",
            "Buy often: offer the membership tier, up-sell, keep them close.",
        ),
        (
            "potential_loyalists",
            "Potential loyalists",
            "潛力忠誠顧客",
            "潜力忠诚顾客",
            "4-5",
            "2-3",
            "Recent and returning: a loyalty card or bundle to build the habit.",
        ),
        (
            "new_customers",
            "New customers",
            "新顧客",
            "新顾客",
            "5",
            "1",
            "First purchase just now: a warm welcome and a reason for visit two.",
        ),
        (
            "promising",
            "Promising",
            "有潛力的新客",
            "有潜力的新客",
            "4",
            "1",
            "Bought once not long ago: a gentle nudge with a relevant offer.",
        ),
        (
            "need_attention",
            "Need attention",
            "需要關注",
            "需要关注",
            "3",
            "3",
            "Average on both: a limited-time offer based on what they bought.",
        ),
        (
            "about_to_sleep",
            "About to sleep",
            "即將沉睡",
            "即将沉睡",
            "3",
            "1-2",
            "Fading after few purchases: a reminder and a popular product.",
        ),
        (
            "cannot_lose",
            "Cannot lose them",
            "不能失去的顧客",
            "不能失去的顾客",
            "1-2",
            "5",
            "Used to buy very often, gone quiet: call them, win them back personally.",
        ),
        (
            "at_risk",
            "At risk",
            "流失風險顧客",
            "流失风险顾客",
            "1-2",
            "3-4",
            "Bought often, not lately: a personal win-back offer before they go.",
        ),
        (
            "hibernating",
            "Hibernating",
            "休眠顧客",
            "休眠顾客",
            "1-2",
            "1-2",
            "Few, old purchases: include in cheap mass messages only.",
        ),
        (
            "lost",
            "Lost",
            "已流失顧客",
            "已流失顾客",
            "1",
            "1",
            "One old purchase: do not spend on them; learn why they left.",
        ),
    ],
    columns=["segment", "en", "zh_tw", "zh_cn", "r_scores", "f_scores", "action"],
).set_index("segment")
RFM_SEGMENTS.loc["hibernating", ["r_scores", "f_scores"]] = ["2 (F 1-2) / 1 (F 2)", "1-2"]


def _segment_of(r: int, f: int) -> str:
    if r == 5:
        return "champions" if f >= 4 else ("potential_loyalists" if f >= 2 else "new_customers")
    if r == 4:
        return "loyal" if f >= 4 else ("potential_loyalists" if f >= 2 else "promising")
    if r == 3:
        if f >= 4:
            return "loyal"
        return "need_attention" if f == 3 else "about_to_sleep"
    # r in (1, 2)
    if f == 5:
        return "cannot_lose"
    if f >= 3:
        return "at_risk"
    if r == 1 and f == 1:
        return "lost"
    return "hibernating"


#: (r_score, f_score) -> segment, for all 25 cells of the 5 x 5 grid.
_GRID = {(r, f): _segment_of(r, f) for r in range(1, 6) for f in range(1, 6)}

#: Value tier labels in three languages (see :func:`value_tiers`).
TIER_LABELS = pd.DataFrame(
    [
        ("high", "High value", "高價值顧客", "高价值顾客"),
        ("high_potential", "High potential", "高潛力顧客", "高潜力顾客"),
        ("medium", "Medium value", "中價值顧客", "中价值顾客"),
        ("low", "Low value", "低價值顧客", "低价值顾客"),
    ],
    columns=["tier", "en", "zh_tw", "zh_cn"],
).set_index("tier")

#: Business words for a cluster whose strongest need is the given feature.
NEED_NAMES = {
    "need_price": "Bargain hunters",
    "need_quality": "Quality seekers",
    "need_convenience": "Convenience seekers",
    "need_social": "Social visitors",
}


# --------------------------------------------------------------------------- RFM scores


def tie_scores(values: Any, *, n_bins: int = 5, higher_is_better: bool = True) -> np.ndarray:
    """Scores 1..n_bins from ranks, giving equal values equal scores.

    ``score = 1 + floor(n_bins * (number of strictly worse values) / n)``.

    Parameters
    ----------
    values : array-like of numbers
        One value per customer; no missing values.
    n_bins : int, default 5
        Number of score levels (5 gives quintile scores).
    higher_is_better : bool, default True
        False for recency in days (fewer days since the last purchase is better).

    Returns
    -------
    numpy.ndarray of int

    Examples
    --------
    Three one-time buyers tie, so they share the lowest score:

    >>> tie_scores([1, 1, 1, 2, 3]).tolist()
    [1, 1, 1, 4, 5]
    >>> tie_scores([10, 400, 40], higher_is_better=False).tolist()
    [4, 1, 2]
    """
    if not isinstance(n_bins, (int, np.integer)) or n_bins < 2:
        raise ValueError(f"n_bins={n_bins!r} must be an integer >= 2")
    v = np.asarray(values, dtype="float64")
    if v.ndim != 1:
        raise ValueError(f"values must be one-dimensional, got shape {v.shape}")
    if np.isnan(v).any():
        raise ValueError(
            f"values has {int(np.isnan(v).sum())} missing values; scores need a value per customer"
        )
    n = len(v)
    if n == 0:
        return np.array([], dtype=np.int64)
    if not higher_is_better:
        v = -v
    worse = np.searchsorted(np.sort(v), v, side="left")  # count of strictly smaller values
    return (1 + (n_bins * worse) // n).astype(np.int64)


def _cut_scores(
    values: np.ndarray, cutoffs: Sequence[float], higher_is_better: bool
) -> np.ndarray:
    edges = np.asarray(sorted(cutoffs), dtype="float64")
    if higher_is_better:
        # values >= edge k earn k+1 points: [<e1] -> 1, [e1, e2) -> 2, ...
        return 1 + np.searchsorted(edges, values, side="right")
    # fewer days is better: <= e1 -> top score
    return len(edges) + 1 - np.searchsorted(edges, values, side="left")


def rfm_scores(
    rfm: pd.DataFrame,
    *,
    n_bins: int = 5,
    cutoffs: Mapping[str, Sequence[float]] | None = None,
    recency_days: str = "recency_days",
    frequency: str = "frequency",
    monetary: str = "monetary",
) -> pd.DataFrame:
    """Add R, F and M scores (1 = worst, ``n_bins`` = best) to an RFM table.

    Parameters
    ----------
    rfm : pandas.DataFrame
        Output of :func:`crm_lessons.rfm.rfm_table` (one row per customer).
    n_bins : int, default 5
        Number of score levels, used where no cut-offs are given.
    cutoffs : dict, optional
        Explicit cut-offs per column, ``n_bins - 1`` increasing numbers each,
        e.g. ``{"recency_days": [30, 90, 180, 365]}``. For recency a value
        at or below the first cut-off scores ``n_bins``; for frequency and
        monetary a value at or above the last scores ``n_bins``. Columns not
        named here are scored by rank (:func:`tie_scores`).
    recency_days, frequency, monetary : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        A copy of ``rfm`` with ``r_score``, ``f_score``, ``m_score`` (int),
        ``rfm_cell`` (e.g. ``"545"``) and ``segment`` (see
        :data:`RFM_SEGMENTS`; only when ``n_bins == 5``).

    Examples
    --------
    >>> rfm = pd.DataFrame({"recency_days": [3, 100, 400], "frequency": [12, 3, 1],
    ...                     "monetary": [500.0, 60.0, 9.0]})
    >>> out = rfm_scores(rfm, cutoffs={"recency_days": [30, 90, 180, 365],
    ...                                "frequency": [2, 4, 8, 12]})
    >>> out[["r_score", "f_score", "rfm_cell", "segment"]].to_numpy().tolist()
    [[5, 5, '554', 'champions'], [3, 2, '322', 'about_to_sleep'], [1, 1, '111', 'lost']]
    """
    if not isinstance(rfm, pd.DataFrame):
        raise TypeError(f"rfm must be a pandas DataFrame, got {type(rfm).__name__}")
    cols = {"recency_days": recency_days, "frequency": frequency, "monetary": monetary}
    for arg, col in cols.items():
        if col not in rfm.columns:
            raise ValueError(
                f"{arg}={col!r} is not a column of rfm; columns are: {', '.join(map(str, rfm))}"
            )
    cutoffs = dict(cutoffs or {})
    unknown = set(cutoffs) - set(cols.values())
    if unknown:
        raise ValueError(
            f"cutoffs has keys {sorted(unknown)}; valid keys: {', '.join(cols.values())}"
        )
    out = rfm.copy()
    for score, col, hib in (
        ("r_score", recency_days, False),
        ("f_score", frequency, True),
        ("m_score", monetary, True),
    ):
        values = rfm[col].to_numpy(dtype="float64")
        if col in cutoffs:
            cuts = list(cutoffs[col])
            if len(cuts) != n_bins - 1:
                raise ValueError(
                    f"cutoffs[{col!r}]={cuts!r} must hold n_bins - 1 = {n_bins - 1} numbers"
                )
            if any(b <= a for a, b in zip(cuts, cuts[1:], strict=False)):
                raise ValueError(f"cutoffs[{col!r}]={cuts!r} must be strictly increasing")
            out[score] = _cut_scores(values, cuts, hib).astype(np.int64)
        else:
            out[score] = tie_scores(values, n_bins=n_bins, higher_is_better=hib)
    out["rfm_cell"] = (
        out["r_score"].astype(str) + out["f_score"].astype(str) + out["m_score"].astype(str)
    )
    if n_bins == 5:
        out["segment"] = rfm_segments(out)
    return out


def rfm_segments(
    scores: pd.DataFrame, *, r_score: str = "r_score", f_score: str = "f_score"
) -> pd.Series:
    """Name each customer's RFM segment from the R and F scores (1-5).

    Parameters
    ----------
    scores : pandas.DataFrame
        Output of :func:`rfm_scores`.
    r_score, f_score : str
        Column names.

    Returns
    -------
    pandas.Series
        Ordered categorical with the segments of :data:`RFM_SEGMENTS`
        (most valuable first), same index as ``scores``.

    Examples
    --------
    >>> rfm_segments(pd.DataFrame({"r_score": [5, 1, 2], "f_score": [5, 5, 1]})).tolist()
    ['champions', 'cannot_lose', 'hibernating']
    """
    for col in (r_score, f_score):
        if col not in scores.columns:
            raise ValueError(f"{col!r} is not a column of scores; run rfm_scores first")
    r = scores[r_score].to_numpy()
    f = scores[f_score].to_numpy()
    bad = ~np.isin(r, range(1, 6)) | ~np.isin(f, range(1, 6))
    if bad.any():
        raise ValueError(
            f"{int(bad.sum())} rows have scores outside 1-5; the segment map needs 5-level scores"
        )
    names = [_GRID[(int(a), int(b))] for a, b in zip(r, f, strict=True)]
    cat = pd.CategoricalDtype(list(RFM_SEGMENTS.index), ordered=True)
    return pd.Series(names, index=scores.index, dtype=cat, name="segment")


def segment_grid(lang: str = "en") -> pd.DataFrame:
    """The 5 x 5 map of (R score, F score) to segment, as a table to print.

    Parameters
    ----------
    lang : {"en", "zh_tw", "zh_cn"}
        Language of the labels.

    Returns
    -------
    pandas.DataFrame
        Rows R = 5 ... 1, columns F = 1 ... 5.

    Examples
    --------
    >>> segment_grid().loc[5].tolist()
    ['New customers', 'Potential loyalists', 'Potential loyalists', 'Champions', 'Champions']
    """
    _check_lang(lang)
    data = {
        f: [RFM_SEGMENTS.loc[_GRID[(r, f)], lang] for r in range(5, 0, -1)] for f in range(1, 6)
    }
    out = pd.DataFrame(data, index=pd.Index(range(5, 0, -1), name="R score"))
    out.columns.name = "F score"
    return out


def _check_lang(lang: str) -> None:
    if lang not in _LANGS:
        raise ValueError(f"lang={lang!r} is not available; choose one of {_LANGS}")


def segment_label(segment: Any, lang: str = "en") -> Any:
    """Translate segment or tier codes to display labels.

    Parameters
    ----------
    segment : str or pandas.Series
        Codes from :data:`RFM_SEGMENTS` or :data:`TIER_LABELS`.
    lang : {"en", "zh_tw", "zh_cn"}

    Returns
    -------
    str or pandas.Series

    Examples
    --------
    >>> segment_label("at_risk", "zh_tw"), segment_label("high_potential", "zh_cn")
    ('流失風險顧客', '高潜力顾客')
    """
    _check_lang(lang)
    table = pd.concat([RFM_SEGMENTS[list(_LANGS)], TIER_LABELS[list(_LANGS)]])[lang]
    if isinstance(segment, pd.Series):
        unknown = set(segment.dropna().astype(str)) - set(table.index)
        if unknown:
            raise ValueError(f"unknown segment codes {sorted(unknown)}")
        return segment.astype(str).map(table)
    if segment not in table.index:
        raise ValueError(f"segment={segment!r} is unknown; valid: {', '.join(table.index)}")
    return table[segment]


def segment_summary(
    table: pd.DataFrame,
    *,
    segment: str = "segment",
    value: str = "monetary",
    lang: str = "en",
    extra: Sequence[str] = (),
) -> pd.DataFrame:
    """Size and value of each segment.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per customer with a segment column and a value column.
    segment, value : str
        Column names.
    lang : {"en", "zh_tw", "zh_cn"}
        Language of the ``label`` column (for known segment or tier codes).
    extra : sequence of str
        Further numeric columns to average per segment.

    Returns
    -------
    pandas.DataFrame
        Index segment; columns ``label``, ``customers``, ``share_customers``,
        ``value``, ``share_value``, ``value_per_customer`` and the means of
        ``extra``. Empty segments of a categorical column are kept (size 0).

    Examples
    --------
    >>> t = pd.DataFrame({"segment": ["high", "low", "low"], "monetary": [90.0, 6.0, 4.0]})
    >>> segment_summary(t)[["customers", "share_value"]].round(2).to_numpy().tolist()
    [[1.0, 0.9], [2.0, 0.1]]
    """
    _check_lang(lang)
    for col in (segment, value, *extra):
        if col not in table.columns:
            raise ValueError(f"{col!r} is not a column of table; columns: {', '.join(table)}")
    g = table.groupby(segment, observed=False, sort=True)
    out = pd.DataFrame(
        {
            "customers": g.size(),
            "value": g[value].sum(),
        }
    )
    total_n = max(int(out["customers"].sum()), 1)
    total_v = float(out["value"].sum())
    out["share_customers"] = out["customers"] / total_n
    out["share_value"] = out["value"] / total_v if total_v else np.nan
    out["value_per_customer"] = out["value"] / out["customers"].where(out["customers"] > 0)
    for col in extra:
        out[f"mean_{col}"] = g[col].mean()
    labels = pd.concat([RFM_SEGMENTS[lang], TIER_LABELS[lang]])
    out.insert(0, "label", [labels.get(str(s), str(s)) for s in out.index])
    cols = ["label", "customers", "share_customers", "value", "share_value", "value_per_customer"]
    return out[cols + [f"mean_{c}" for c in extra]]


# --------------------------------------------------------------------------- value tiers


def value_tiers(
    value: pd.Series,
    *,
    potential: pd.Series | None = None,
    high: float = 0.20,
    medium: float = 0.30,
) -> pd.DataFrame:
    """Split customers into high / medium / low value tiers and high-potential.

    The cut rule, explicit: a customer is **high** value when fewer than
    ``high`` (20 %) of all customers have a strictly larger value, **medium**
    when fewer than ``high + medium`` (50 %) do, **low** otherwise. Ties thus
    share a tier (a tier can hold a little more than its nominal share). If ``potential`` (e.g.
    predicted future value) is given, a customer who is not high value now
    but whose potential is at least the potential of the top ``high`` share
    of customers is **high_potential**.

    Parameters
    ----------
    value : pandas.Series
        Current value per customer (profit or spend), indexed by customer.
    potential : pandas.Series, optional
        Predicted future value, same index.
    high, medium : float
        Shares of customers in the high and medium tiers (``high + medium < 1``).

    Returns
    -------
    pandas.DataFrame
        Columns ``value``, (``potential``), ``tier`` (ordered categorical:
        high, high_potential, medium, low). ``attrs["cuts"]`` holds the value
        thresholds used: a customer is high value when ``value >=
        cuts["high"]``, medium when ``value >= cuts["medium"]``.

    Examples
    --------
    Ten customers; the top 2 (20 %) are high, the next 3 medium:

    >>> v = pd.Series([100, 80, 50, 40, 30, 20, 10, 5, 5, 0], index=list("ABCDEFGHIJ"))
    >>> p = pd.Series([90, 10, 20, 10, 10, 10, 95, 10, 0, 0], index=v.index)
    >>> t = value_tiers(v, potential=p)
    >>> t["tier"].tolist()
    ['high', 'high', 'medium', 'medium', 'medium', 'low', 'high_potential', 'low', 'low', 'low']
    >>> t.attrs["cuts"]
    {'high': 80.0, 'medium': 30.0, 'potential': 90.0}
    """
    if not isinstance(value, pd.Series):
        raise TypeError(f"value must be a pandas Series, got {type(value).__name__}")
    if not (0 < high < 1 and 0 <= medium < 1 and high + medium < 1):
        raise ValueError(
            f"high={high!r}, medium={medium!r}: need 0 < high, 0 <= medium and high + medium < 1"
        )
    if value.isna().any():
        raise ValueError(f"value has {int(value.isna().sum())} missing values")
    v = value.to_numpy(dtype="float64")
    n = len(v)
    # share of customers with a strictly larger value: ties share a tier
    better = n - np.searchsorted(np.sort(v), v, side="right")
    share_above = better / max(n, 1)
    tier = np.where(
        share_above < high, "high", np.where(share_above < high + medium, "medium", "low")
    )
    out = pd.DataFrame({"value": value})
    cuts = {
        "high": float(v[tier == "high"].min()) if (tier == "high").any() else np.inf,
        "medium": float(v[tier != "low"].min()) if (tier != "low").any() else np.inf,
    }
    if potential is not None:
        if not isinstance(potential, pd.Series):
            raise TypeError(f"potential must be a pandas Series, got {type(potential).__name__}")
        pot = potential.reindex(value.index)
        if pot.isna().any():
            raise ValueError(
                f"potential is missing for {int(pot.isna().sum())} customers of value; "
                "give both series the same index"
            )
        pv = pot.to_numpy(dtype="float64")
        p_better = n - np.searchsorted(np.sort(pv), pv, side="right")
        top_pot = p_better / max(n, 1) < high
        tier = np.where((tier != "high") & top_pot, "high_potential", tier)
        out["potential"] = pot
        cuts["potential"] = float(pv[top_pot].min()) if top_pot.any() else np.inf
    out["tier"] = pd.Categorical(tier, categories=list(TIER_LABELS.index), ordered=True)
    out.attrs["cuts"] = cuts
    return out


# --------------------------------------------------------------------------- need-based


def need_pipeline(n_clusters: int = 4, *, method: str = "kmeans", random_state: Any = None):
    """An sklearn Pipeline: standardise the features, then cluster.

    Parameters
    ----------
    n_clusters : int, default 4
        Number of clusters (k).
    method : {"kmeans", "gmm"}
        ``KMeans`` (hard, round clusters) or ``GaussianMixture`` (soft,
        elliptical clusters; ``predict_proba`` gives membership probabilities).
    random_state : int, numpy.random.Generator or None
        Seed of the clustering's random start.

    Returns
    -------
    sklearn.pipeline.Pipeline
        Steps ``scale`` and ``cluster``; ``fit_predict(X)`` gives labels.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.r_[np.zeros((5, 2)), np.ones((5, 2)) * 10] + np.arange(10)[:, None] * 0.01
    >>> labels = need_pipeline(2, random_state=0).fit_predict(X)
    >>> len(set(labels[:5])), len(set(labels[5:])), labels[0] != labels[9]
    (1, 1, np.True_)
    """
    from sklearn.cluster import KMeans
    from sklearn.mixture import GaussianMixture
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    if not isinstance(n_clusters, (int, np.integer)) or n_clusters < 1:
        raise ValueError(f"n_clusters={n_clusters!r} must be a positive integer")
    seed = _seed(random_state)
    if method == "kmeans":
        model = KMeans(n_clusters=int(n_clusters), n_init=10, random_state=seed)
    elif method == "gmm":
        model = GaussianMixture(
            n_components=int(n_clusters), covariance_type="full", n_init=3, random_state=seed
        )
    else:
        raise ValueError(f"method={method!r} is not valid; choose 'kmeans' or 'gmm'")
    return Pipeline([("scale", StandardScaler()), ("cluster", model)])


def _seed(random_state: Any) -> int:
    rng = np.random.default_rng(random_state)
    return int(rng.integers(0, 2**31 - 1))


def _features(X: Any) -> pd.DataFrame:
    if isinstance(X, pd.DataFrame):
        df = X
    else:
        arr = np.asarray(X, dtype="float64")
        if arr.ndim != 2:
            raise ValueError(f"X must be a 2-D table of features, got shape {arr.shape}")
        df = pd.DataFrame(arr, columns=[f"x{i}" for i in range(arr.shape[1])])
    num = df.select_dtypes("number")
    if num.shape[1] != df.shape[1]:
        bad = [c for c in df.columns if c not in num.columns]
        raise ValueError(f"X has non-numeric columns {bad}; pass numeric features only")
    if num.isna().any().any():
        raise ValueError(
            f"X has {int(num.isna().sum().sum())} missing values; impute or drop them first"
        )
    return num


def choose_k(
    X: Any,
    k_values: Sequence[int] = range(2, 9),
    *,
    method: str = "kmeans",
    sample_size: int | None = 2000,
    random_state: Any = None,
    progress: bool = False,
) -> pd.DataFrame:
    """Fit the pipeline for several k and report the elbow and silhouette numbers.

    Parameters
    ----------
    X : pandas.DataFrame or array-like
        Numeric features, one row per customer.
    k_values : sequence of int
        Candidate numbers of clusters (each >= 2).
    method : {"kmeans", "gmm"}
    sample_size : int or None, default 2000
        Customers used for the silhouette score (it is quadratic in the
        number of rows); None uses all.
    random_state : int, numpy.random.Generator or None
    progress : bool, default False
        Show a progress bar.

    Returns
    -------
    pandas.DataFrame
        Index ``k``; columns ``inertia`` (within-cluster sum of squares on
        standardised features: look for the elbow), ``silhouette`` (-1 to
        1, higher is better) and, for ``"gmm"``, ``bic`` (lower is better).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(0, 1, (50, 2)), rng.normal(8, 1, (50, 2)), rng.normal((0, 8), 1, (50, 2))]
    >>> t = choose_k(X, range(2, 6), random_state=0)
    >>> int(t["silhouette"].idxmax())
    3
    """
    from sklearn.metrics import silhouette_score
    from tqdm.auto import tqdm

    feats = _features(X)
    ks = [int(k) for k in k_values]
    if not ks or min(ks) < 2 or max(ks) >= len(feats):
        raise ValueError(
            f"k_values={list(k_values)!r}: need values >= 2 and < the number of rows ({len(feats)})"
        )
    rng = np.random.default_rng(random_state)
    seeds = rng.integers(0, 2**31 - 1, size=len(ks) + 1)
    rows = []
    for k, seed in tqdm(list(zip(ks, seeds[1:], strict=True)), disable=not progress, desc="k"):
        pipe = need_pipeline(k, method=method, random_state=int(seed))
        labels = pipe.fit_predict(feats)
        z = pipe.named_steps["scale"].transform(feats)
        centres = np.vstack(
            [
                z[labels == j].mean(axis=0) if (labels == j).any() else np.zeros(z.shape[1])
                for j in range(k)
            ]
        )
        inertia = float(((z - centres[labels]) ** 2).sum())
        n_lab = len(np.unique(labels))
        sil = (
            float(
                silhouette_score(
                    z,
                    labels,
                    sample_size=min(sample_size, len(z)) if sample_size else None,
                    random_state=int(seeds[0]),
                )
            )
            if n_lab > 1
            else np.nan
        )
        row = {"k": k, "inertia": inertia, "silhouette": sil}
        if method == "gmm":
            row["bic"] = float(pipe.named_steps["cluster"].bic(z))
        rows.append(row)
    return pd.DataFrame(rows).set_index("k")


def profile_clusters(
    X: pd.DataFrame,
    labels: Any,
    *,
    names: Mapping[str, str] | None = None,
    extra: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Describe each cluster and name it in business words.

    A cluster is named after the feature on which it stands out most (largest
    mean z-score), using ``names`` (default :data:`NEED_NAMES`); if two
    clusters would get the same name, the second-strongest feature is added
    in brackets.

    Parameters
    ----------
    X : pandas.DataFrame
        The features used for clustering.
    labels : array-like
        Cluster label per row of ``X``.
    names : dict, optional
        Feature -> business name of a cluster high on that feature. Features
        without a name are written as "High <feature>".
    extra : pandas.DataFrame, optional
        Further columns (e.g. spend) to average per cluster, aligned with ``X``.

    Returns
    -------
    pandas.DataFrame
        Index cluster label; columns ``name``, ``customers``, ``share``, the
        mean of each feature and of each ``extra`` column.

    Examples
    --------
    >>> X = pd.DataFrame({"need_price": [0.9, 0.8, 0.2, 0.1], "need_quality": [0.2, 0.1, 0.9, 0.8]})
    >>> profile_clusters(X, [0, 0, 1, 1])[["name", "customers"]].to_numpy().tolist()
    [['Bargain hunters', 2], ['Quality seekers', 2]]
    """
    feats = _features(X)
    lab = np.asarray(labels)
    if len(lab) != len(feats):
        raise ValueError(f"labels has {len(lab)} entries but X has {len(feats)} rows")
    names = dict(NEED_NAMES if names is None else names)
    z = (feats - feats.mean()) / feats.std(ddof=0).replace(0, 1)
    groups = pd.Series(lab, index=feats.index, name="cluster")
    means = feats.groupby(groups).mean()
    zmeans = z.groupby(groups).mean()
    sizes = groups.value_counts().reindex(means.index)

    def word(col: str) -> str:
        return names.get(col, f"High {col.replace('_', ' ')}")

    used: dict[str, int] = {}
    out_names = []
    order = zmeans.max(axis=1).sort_values(ascending=False).index  # clearest clusters first
    chosen = {}
    for c in order:
        ranked = zmeans.loc[c].sort_values(ascending=False).index
        name = word(ranked[0])
        if name in used and len(ranked) > 1:
            name = f"{name} ({word(ranked[1]).lower()})"
        used[name] = used.get(name, 0) + 1
        if used[name] > 1:
            name = f"{name} {used[name]}"
        chosen[c] = name
    out_names = [chosen[c] for c in means.index]
    out = pd.DataFrame({"name": out_names, "customers": sizes.to_numpy()}, index=means.index)
    out["share"] = out["customers"] / out["customers"].sum()
    out = out.join(means)
    if extra is not None:
        ex = extra.copy()
        ex.index = feats.index
        out = out.join(ex.groupby(groups).mean().add_prefix("mean_"))
    out.index.name = "cluster"
    return out


def cluster_stability(
    X: Any,
    n_clusters: int,
    *,
    method: str = "kmeans",
    n_seeds: int = 5,
    random_state: Any = None,
) -> pd.DataFrame:
    """How much the clustering changes with the random start: ARI between seeds.

    Parameters
    ----------
    X : pandas.DataFrame or array-like
    n_clusters : int
    method : {"kmeans", "gmm"}
    n_seeds : int, default 5
        Number of fits with different seeds; all pairs are compared.
    random_state : int, numpy.random.Generator or None

    Returns
    -------
    pandas.DataFrame
        One row per pair of seeds: ``seed_a``, ``seed_b``, ``ari`` (1 = the
        same partition, 0 = no better than chance).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> X = np.r_[rng.normal(0, 1, (40, 2)), rng.normal(9, 1, (40, 2))]
    >>> float(cluster_stability(X, 2, n_seeds=3, random_state=0)["ari"].min())
    1.0
    """
    from sklearn.metrics import adjusted_rand_score

    if n_seeds < 2:
        raise ValueError(f"n_seeds={n_seeds!r} must be at least 2")
    feats = _features(X)
    rng = np.random.default_rng(random_state)
    seeds = [int(s) for s in rng.integers(0, 2**31 - 1, size=n_seeds)]
    fits = [
        need_pipeline(n_clusters, method=method, random_state=s).fit_predict(feats) for s in seeds
    ]
    rows = [
        (seeds[i], seeds[j], float(adjusted_rand_score(fits[i], fits[j])))
        for i in range(n_seeds)
        for j in range(i + 1, n_seeds)
    ]
    return pd.DataFrame(rows, columns=["seed_a", "seed_b", "ari"])


def recovery_ari(labels: Any, truth: Any) -> float:
    """Adjusted Rand index between found clusters and true (latent) segments.

    Parameters
    ----------
    labels, truth : array-like
        Cluster labels and true segment per customer, same order.

    Returns
    -------
    float
        1 = perfect recovery (up to renaming), about 0 = chance.

    Examples
    --------
    >>> recovery_ari([0, 0, 1, 1], ["a", "a", "b", "b"])
    1.0
    """
    from sklearn.metrics import adjusted_rand_score

    a, b = np.asarray(labels), np.asarray(truth)
    if len(a) != len(b):
        raise ValueError(f"labels has {len(a)} entries but truth has {len(b)}")
    return float(adjusted_rand_score(b, a))
