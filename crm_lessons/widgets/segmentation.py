"""Segmentation widgets: an RFM explorer and a k chooser for need-based clusters.

Each widget has a headless twin returning what it shows:

* :func:`rfm_explorer_view` (twin of :func:`rfm_explorer`): score the RFM
  table with the chosen recency and frequency cut-offs and return the segment
  sizes and value, plus a bar chart;
* :func:`k_chooser_view` (twin of :func:`k_chooser`): the elbow and silhouette
  numbers for a range of k, a figure marking the chosen k, and the profile of
  the clusters at that k.

Examples
--------
>>> import pandas as pd
>>> rfm = pd.DataFrame({"recency_days": [5, 40, 200, 400], "frequency": [9, 3, 2, 1],
...                     "monetary": [300.0, 60.0, 80.0, 10.0]})
>>> table, fig = rfm_explorer_view(rfm, recency_cutoffs=(30, 90, 180, 365),
...                                frequency_cutoffs=(2, 3, 5, 8))
>>> table.loc[table["customers"] > 0, "customers"].to_dict()
{'champions': 1, 'potential_loyalists': 1, 'hibernating': 1, 'lost': 1}
>>> plt.close(fig)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from crm_lessons.segmentation import (
    choose_k,
    need_pipeline,
    profile_clusters,
    rfm_scores,
    segment_summary,
)

__all__ = ["k_chooser", "k_chooser_view", "rfm_explorer", "rfm_explorer_view"]


def rfm_explorer_view(
    rfm: pd.DataFrame,
    *,
    recency_cutoffs: Sequence[float] | None = None,
    frequency_cutoffs: Sequence[float] | None = None,
    monetary_cutoffs: Sequence[float] | None = None,
    lang: str = "en",
) -> tuple[pd.DataFrame, plt.Figure]:
    """Segment sizes and value for chosen RFM cut-offs (headless twin of the explorer).

    Parameters
    ----------
    rfm : pandas.DataFrame
        Output of :func:`crm_lessons.rfm.rfm_table`.
    recency_cutoffs, frequency_cutoffs, monetary_cutoffs : sequence of 4 numbers, optional
        Cut-offs as in :func:`crm_lessons.segmentation.rfm_scores`; None scores
        that dimension by rank (quintiles with ties kept together).
    lang : {"en", "zh_tw", "zh_cn"}
        Language of the segment labels.

    Returns
    -------
    table : pandas.DataFrame
        :func:`crm_lessons.segmentation.segment_summary` of the segments.
    fig : matplotlib.figure.Figure
        Share of customers and share of value per segment.
    """
    cutoffs = {}
    for col, cuts in (
        ("recency_days", recency_cutoffs),
        ("frequency", frequency_cutoffs),
        ("monetary", monetary_cutoffs),
    ):
        if cuts is not None:
            cutoffs[col] = list(cuts)
    scored = rfm_scores(rfm, cutoffs=cutoffs)
    table = segment_summary(scored, lang=lang, extra=["recency_days", "frequency"])
    fig, ax = plt.subplots(figsize=(8, 4.5))
    y = np.arange(len(table))
    ax.barh(y - 0.2, table["share_customers"], height=0.4, label="share of customers")
    ax.barh(y + 0.2, table["share_value"], height=0.4, label="share of spend")
    ax.set_yticks(y, table["label"])
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_xlabel("Share of all customers / of all spend")
    ax.set_title("Who the customers are and where the money comes from")
    ax.legend(loc="lower right")
    fig.tight_layout()
    return table, fig


def rfm_explorer(rfm: pd.DataFrame, *, lang: str = "en"):
    """Sliders for the recency and frequency cut-offs; segment table and chart update.

    Parameters
    ----------
    rfm : pandas.DataFrame
        Output of :func:`crm_lessons.rfm.rfm_table`.
    lang : {"en", "zh_tw", "zh_cn"}

    Returns
    -------
    ipywidgets.VBox
    """
    import ipywidgets as w
    from IPython.display import display

    style = {"description_width": "initial"}
    max_days = int(max(rfm["recency_days"].max(), 30))
    rec = w.IntRangeSlider(
        value=(30, 180), min=1, max=max_days, step=1, style=style,
        description="Recency days: top score up to / lowest score after",
        layout=w.Layout(width="95%"),
    )  # fmt: skip
    fmax = int(max(rfm["frequency"].quantile(0.99), 6))
    freq = w.IntRangeSlider(
        value=(2, max(5, fmax // 2)), min=2, max=fmax, step=1, style=style,
        description="Purchases: score 2 from / top score from", layout=w.Layout(width="95%"),
    )  # fmt: skip
    out = w.Output()

    def spread(lo: float, hi: float) -> list[float]:
        # four increasing cut-offs from the two ends the learner picks
        pts = np.linspace(lo, hi, 4)
        return (
            sorted({round(float(p), 6) for p in pts}) if hi > lo else [lo, lo + 1, lo + 2, lo + 3]
        )

    def redraw(*_):
        with out:
            out.clear_output(wait=True)
            r_cuts = spread(*rec.value)
            f_cuts = spread(*freq.value)
            if len(r_cuts) < 4 or len(f_cuts) < 4:
                print("Pick a wider range: four different cut-offs are needed.")
                return
            table, fig = rfm_explorer_view(
                rfm, recency_cutoffs=r_cuts, frequency_cutoffs=f_cuts, lang=lang
            )
            print(f"recency cut-offs (days): {r_cuts}; frequency cut-offs: {f_cuts}")
            display(table.round(3))
            display(fig)
            plt.close(fig)

    rec.observe(redraw, names="value")
    freq.observe(redraw, names="value")
    redraw()
    return w.VBox([rec, freq, out])


def k_chooser_view(
    X: pd.DataFrame,
    k: int,
    *,
    k_values: Sequence[int] = range(2, 9),
    method: str = "kmeans",
    random_state: Any = 0,
    scores: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, plt.Figure]:
    """Elbow and silhouette for a range of k, and the profile at the chosen k.

    Parameters
    ----------
    X : pandas.DataFrame
        Need or behaviour features, one row per customer.
    k : int
        The number of clusters chosen.
    k_values : sequence of int
        The range shown.
    method : {"kmeans", "gmm"}
    random_state : int, numpy.random.Generator or None, default 0
    scores : pandas.DataFrame, optional
        A precomputed :func:`crm_lessons.segmentation.choose_k` table (saves
        refitting when only k changes).

    Returns
    -------
    scores : pandas.DataFrame
        :func:`crm_lessons.segmentation.choose_k` output.
    profile : pandas.DataFrame
        :func:`crm_lessons.segmentation.profile_clusters` at ``k``.
    fig : matplotlib.figure.Figure
        Elbow (left) and silhouette (right) with ``k`` marked.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame(np.r_[rng.normal(0, 1, (40, 2)), rng.normal(6, 1, (40, 2))],
    ...                  columns=["need_price", "need_quality"])
    >>> scores, profile, fig = k_chooser_view(X, 2, k_values=range(2, 5))
    >>> sorted(profile["name"])
    ['Bargain hunters', 'Quality seekers']
    >>> plt.close(fig)
    """
    if scores is None:
        scores = choose_k(X, k_values, method=method, random_state=random_state)
    labels = need_pipeline(k, method=method, random_state=random_state).fit_predict(X)
    profile = profile_clusters(X, labels)
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3.8))
    a1.plot(scores.index, scores["inertia"], marker="o")
    a1.set_title("Elbow: spread left inside clusters")
    a1.set_xlabel("Number of segments (k)")
    a1.set_ylabel("Within-segment spread")
    a2.plot(scores.index, scores["silhouette"], marker="o", color="C1")
    a2.set_title("Silhouette: how clearly separated")
    a2.set_xlabel("Number of segments (k)")
    a2.set_ylabel("Silhouette (higher is better)")
    for ax in (a1, a2):
        ax.axvline(k, color="grey", linestyle="--")
    fig.tight_layout()
    return scores, profile, fig


def k_chooser(X: pd.DataFrame, *, k_values: Sequence[int] = range(2, 9), method: str = "kmeans"):
    """A slider for k; the elbow/silhouette figure and the cluster profile update.

    Parameters
    ----------
    X : pandas.DataFrame
        Need or behaviour features.
    k_values : sequence of int
    method : {"kmeans", "gmm"}

    Returns
    -------
    ipywidgets.VBox
    """
    import ipywidgets as w
    from IPython.display import display

    ks = list(k_values)
    scores = choose_k(X, ks, method=method, random_state=0)
    slider = w.IntSlider(
        value=int(scores["silhouette"].idxmax()), min=min(ks), max=max(ks),
        description="k (segments)", style={"description_width": "initial"},
    )  # fmt: skip
    out = w.Output()

    def redraw(*_):
        with out:
            out.clear_output(wait=True)
            _, profile, fig = k_chooser_view(
                X, slider.value, k_values=ks, method=method, scores=scores
            )
            display(fig)
            plt.close(fig)
            display(profile.round(3))

    slider.observe(redraw, names="value")
    redraw()
    return w.VBox([slider, out])
