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

import io
from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from crm_lessons.plotting import tr
from crm_lessons.segmentation import (
    choose_k,
    need_pipeline,
    profile_clusters,
    rfm_scores,
    segment_summary,
)
from crm_lessons.widgets import StaticTwin

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
        Language of every word in the table's labels and in the figure.

    Returns
    -------
    table : pandas.DataFrame
        :func:`crm_lessons.segmentation.segment_summary` of the segments.
    fig : matplotlib.figure.Figure
        Share of customers and share of value per segment.
    """
    tr("rfm_title", lang)  # validates lang
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
    ax.barh(y - 0.2, table["share_customers"], height=0.4, label=tr("share_customers", lang))
    ax.barh(y + 0.2, table["share_value"], height=0.4, label=tr("share_spend", lang))
    ax.set_yticks(y, table["label"])
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_xlabel(tr("share_axis", lang))
    ax.set_title(tr("rfm_title", lang))
    ax.legend(loc="lower right")
    fig.tight_layout()
    return table, fig


def _rank_cutoffs(values: pd.Series, scores: pd.Series, *, higher_is_better: bool) -> list[float]:
    """The cut-offs that rank scores 1-5 imply, as :func:`rfm_scores` reads them.

    Recency: the highest value scoring 5, 4, 3, 2; frequency: the lowest value
    scoring 2, 3, 4, 5. A score no customer has is left out.
    """
    if higher_is_better:
        ends = values.groupby(scores).min()
        cuts = [ends.get(s, np.nan) for s in (2, 3, 4, 5)]
    else:
        ends = values.groupby(scores).max()
        cuts = [ends.get(s, np.nan) for s in (5, 4, 3, 2)]
    return [float(c) for c in cuts if np.isfinite(c)]


def _png(fig: plt.Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    plt.close(fig)
    return buf.getvalue()


class _StaticTwinBox:
    """Mixin: a widget box whose display also carries a PNG of its figure.

    JupyterLab shows the live widget; a viewer without a kernel (GitHub, the
    course site, nbviewer) shows the PNG instead of a line of text.
    """

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        png = getattr(self, "static_png", None)
        if png:
            import base64

            bundle["image/png"] = base64.b64encode(png).decode("ascii")
        return bundle


def rfm_explorer(
    rfm: pd.DataFrame,
    *,
    recency_cutoffs: Sequence[float] | None = None,
    frequency_cutoffs: Sequence[float] | None = None,
    lang: str = "en",
):
    """Sliders for the recency and frequency cut-offs; segment table and chart update.

    The first view is exactly :func:`rfm_explorer_view` with the same
    arguments (by default: scores by rank, as the static chart in the
    lesson), and the sliders start at the cut-offs those scores imply. Moving
    a slider switches to the cut-offs picked: four evenly spaced cut-offs
    between the slider's two ends.

    The chart is an image widget whose bytes are replaced on each change, so
    it never goes blank while the browser re-lays out the output.

    Parameters
    ----------
    rfm : pandas.DataFrame
        Output of :func:`crm_lessons.rfm.rfm_table`.
    recency_cutoffs, frequency_cutoffs : sequence of 4 numbers, optional
        Start from these cut-offs instead of rank scores.
    lang : {"en", "zh_tw", "zh_cn"}

    Returns
    -------
    ipywidgets.VBox
        With attributes ``sliders`` (recency, frequency), ``chart`` (the
        ``ipywidgets.Image``), ``table`` (the segment table shown) and
        ``static_png`` (the first view, also stored in the notebook for
        viewers without a kernel).

    Examples
    --------
    >>> rfm = pd.DataFrame({"recency_days": [5, 40, 200, 400, 90, 10],
    ...                     "frequency": [9, 3, 2, 1, 4, 6],
    ...                     "monetary": [300.0, 60.0, 80.0, 10.0, 50.0, 120.0]})
    >>> box = rfm_explorer(rfm)
    >>> box.table.equals(rfm_explorer_view(rfm)[0])
    True
    >>> box.sliders[0].value = (20, 300)
    >>> box.cutoffs["recency_days"]
    [20.0, 113.333333, 206.666667, 300.0]
    """
    import ipywidgets as w

    tr("rfm_title", lang)  # validates lang
    style = {"description_width": "initial"}
    scored = rfm_scores(rfm)
    r_start = list(
        recency_cutoffs
        or _rank_cutoffs(rfm["recency_days"], scored["r_score"], higher_is_better=False)
    )
    f_start = list(
        frequency_cutoffs
        or _rank_cutoffs(rfm["frequency"], scored["f_score"], higher_is_better=True)
    )
    max_days = int(max(rfm["recency_days"].max(), 30, *r_start))
    fmax = int(max(rfm["frequency"].quantile(0.99), 6, *f_start))
    rec = w.IntRangeSlider(
        value=(int(r_start[0]), int(np.ceil(r_start[-1]))) if len(r_start) >= 2 else (30, 180),
        min=0, max=max_days, step=1, style=style,
        description="Recency days: top score up to / lowest score after",
        layout=w.Layout(width="95%"),
    )  # fmt: skip
    freq = w.IntRangeSlider(
        value=(int(f_start[0]), int(np.ceil(f_start[-1]))) if len(f_start) >= 2 else (2, 5),
        min=1, max=fmax, step=1, style=style,
        description="Purchases: score 2 from / top score from", layout=w.Layout(width="95%"),
    )  # fmt: skip
    note = w.HTML()
    chart = w.Image(format="png", layout=w.Layout(width="100%", max_width="800px"))
    table_html = w.HTML()

    def spread(lo: float, hi: float) -> list[float]:
        # four increasing cut-offs from the two ends the learner picks
        pts = np.linspace(lo, hi, 4)
        return (
            sorted({round(float(p), 6) for p in pts}) if hi > lo else [lo, lo + 1, lo + 2, lo + 3]
        )

    class Box(_StaticTwinBox, w.VBox):
        pass

    box = Box([rec, freq, w.VBox([note, chart, table_html])])
    box.sliders = (rec, freq)
    box.chart = chart

    def show(r_cuts, f_cuts, how: str) -> None:
        table, fig = rfm_explorer_view(
            rfm, recency_cutoffs=r_cuts, frequency_cutoffs=f_cuts, lang=lang
        )
        png = _png(fig)
        box.table = table
        box.cutoffs = {"recency_days": r_cuts, "frequency": f_cuts}
        note.value = f"<p>{how}</p>"
        chart.value = png
        table_html.value = table.round(3).to_html()
        if not getattr(box, "static_png", None):
            box.static_png = png

    def redraw(*_):
        r_cuts = spread(*rec.value)
        f_cuts = spread(*freq.value)
        if len(r_cuts) < 4 or len(f_cuts) < 4:
            note.value = "<p><b>Pick a wider range: four different cut-offs are needed.</b></p>"
            return
        show(r_cuts, f_cuts, f"recency cut-offs (days): {r_cuts}; frequency cut-offs: {f_cuts}")

    first = "scores by rank (quintiles), as in the chart above; move a slider to set cut-offs"
    if recency_cutoffs is not None or frequency_cutoffs is not None:
        first = (
            f"recency cut-offs (days): {recency_cutoffs}; frequency cut-offs: {frequency_cutoffs}"
        )
    show(recency_cutoffs, frequency_cutoffs, first)
    rec.observe(redraw, names="value")
    freq.observe(redraw, names="value")
    return box


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

    twin = StaticTwin()

    def redraw(*_):
        with out:
            out.clear_output(wait=True)
            _, profile, fig = k_chooser_view(
                X, slider.value, k_values=ks, method=method, scores=scores
            )
            display(twin.keep(fig))
            plt.close(fig)
            display(profile.round(3))

    slider.observe(redraw, names="value")
    redraw()
    return twin.attach(w.VBox([slider, out]))
