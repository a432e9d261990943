"""An NPS and expectation-gap dashboard, filtered by customer segment.

:func:`nps_gap_dashboard` shows a drop-down of segments; picking one redraws
the Net Promoter mix, the NPS and CSAT with their intervals, and the
expectation-perception gap per dimension for that segment.
:func:`nps_gap_view` is its headless twin: the same numbers and figure from a
plain function call, for tests and for readers without a live kernel.

Examples
--------
>>> import pandas as pd
>>> s = pd.DataFrame({"segment": ["a", "a", "b"], "nps": [10, 3, 9], "csat": [5, 2, 4],
...                   "exp_product": [5, 6, 4], "perc_product": [6, 4, 5]})
>>> v = nps_gap_view(s, segment="a", dimensions=["product"])
>>> v.summary.loc["NPS", ["value", "n"]].tolist()
[0.0, 2.0]
>>> v.gaps["gap"].tolist()
[-0.5]
>>> plt.close(v.figure)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd

from crm_lessons import satisfaction as sat
from crm_lessons.widgets import StaticTwin

__all__ = ["ALL", "SatisfactionView", "nps_gap_dashboard", "nps_gap_view"]

#: The drop-down entry that shows every respondent.
ALL = "All customers"

_MIX_COLOURS = {"detractor": "#c0392b", "passive": "#bdc3c7", "promoter": "#1e8449"}


@dataclass
class SatisfactionView:
    """What the dashboard shows for one segment.

    Attributes
    ----------
    segment : str
        The segment shown (or :data:`ALL`).
    summary : pandas.DataFrame
        Rows ``NPS`` and ``CSAT``; columns ``value, ci_low, ci_high, n``.
    mix : pandas.Series
        Share of detractors, passives and promoters.
    gaps : pandas.DataFrame
        :func:`crm_lessons.satisfaction.gap_table` of the segment.
    figure : matplotlib.figure.Figure
        The two-panel figure (promoter mix, gap dumbbell).
    """

    segment: str
    summary: pd.DataFrame
    mix: pd.Series
    gaps: pd.DataFrame
    figure: plt.Figure


def nps_gap_view(
    surveys: pd.DataFrame,
    *,
    segment: str | None = None,
    segment_col: str = "segment",
    nps_col: str = "nps",
    csat_col: str = "csat",
    dimensions: Sequence[str] = sat.DIMENSIONS,
    ci: float = 0.95,
) -> SatisfactionView:
    """Compute and draw the dashboard for one segment (headless twin).

    Parameters
    ----------
    surveys : pandas.DataFrame
        Survey responses with a segment column.
    segment : str, optional
        The segment to show; ``None`` or :data:`ALL` shows everyone.
    segment_col : str, default "segment"
        The column holding the segment of each respondent.
    nps_col, csat_col : str
        The 0-10 recommendation and 1-5 CSAT columns.
    dimensions : sequence of str
        Gap dimensions.
    ci : float, default 0.95
        Interval level (analytic intervals, see :mod:`crm_lessons.satisfaction`).

    Returns
    -------
    SatisfactionView
    """
    if not isinstance(surveys, pd.DataFrame):
        raise TypeError(f"surveys must be a pandas DataFrame, got {type(surveys).__name__}")
    if segment_col not in surveys.columns:
        raise ValueError(
            f"segment_col={segment_col!r} is not a column of surveys; "
            f"available: {', '.join(map(str, surveys.columns))}"
        )
    if segment is None or segment == ALL:
        sub, label = surveys, ALL
    else:
        valid = sorted(surveys[segment_col].dropna().astype(str).unique())
        if str(segment) not in valid:
            raise ValueError(f"segment={segment!r} is not in {segment_col!r}; valid: {valid}")
        sub, label = surveys[surveys[segment_col].astype(str) == str(segment)], str(segment)
    r_nps = sat.nps(sub[nps_col], ci=ci)
    r_csat = sat.csat(sub[csat_col], ci=ci)
    summary = pd.DataFrame(
        {
            "value": [r_nps["nps"], r_csat["csat"]],
            "ci_low": [r_nps["ci_low"], r_csat["ci_low"]],
            "ci_high": [r_nps["ci_high"], r_csat["ci_high"]],
            "n": [r_nps["n"], r_csat["n"]],
        },
        index=pd.Index(["NPS", "CSAT"], name="score"),
    )
    mix = pd.Series(
        [r_nps["share_detractors"], r_nps["share_passives"], r_nps["share_promoters"]],
        index=pd.Index(list(sat.NPS_GROUPS), name="group"),
        name="share",
    )
    gaps = sat.gap_table(sub, dimensions=dimensions)

    fig, (ax_mix, ax_gap) = plt.subplots(
        1, 2, figsize=(11, 4), gridspec_kw={"width_ratios": [1, 1.6]}
    )
    left = 0.0
    for group, share in mix.items():
        ax_mix.barh([0], [share], left=left, color=_MIX_COLOURS[group], label=group)
        if share >= 0.06:
            ax_mix.text(left + share / 2, 0, f"{share:.0%}", ha="center", va="center",
                        color="white" if group != "passive" else "black", fontsize=11)  # fmt: skip
        left += share
    ax_mix.set_xlim(0, 1)
    ax_mix.set_yticks([])
    ax_mix.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _p: f"{v:.0%}"))
    ax_mix.set_xlabel("Share of respondents")
    ax_mix.set_title(
        f"NPS {r_nps['nps']:+.0f} (95% CI {r_nps['ci_low']:+.0f} to {r_nps['ci_high']:+.0f}), "
        f"n = {int(r_nps['n'])}",
        fontsize=11,
    )
    ax_mix.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=3, frameon=False)
    sat.plot_gaps(gaps, ax=ax_gap)
    ax_gap.set_title(f"Expected vs perceived: {label}", fontsize=11)
    fig.tight_layout()
    return SatisfactionView(label, summary, mix, gaps, fig)


def nps_gap_dashboard(
    surveys: pd.DataFrame,
    *,
    segment_col: str = "segment",
    nps_col: str = "nps",
    csat_col: str = "csat",
    dimensions: Sequence[str] = sat.DIMENSIONS,
):
    """Interactive NPS / gap dashboard: pick a segment from the drop-down.

    Parameters
    ----------
    surveys : pandas.DataFrame
        Survey responses with a segment column.
    segment_col, nps_col, csat_col, dimensions
        As in :func:`nps_gap_view`.

    Returns
    -------
    ipywidgets.VBox
        The drop-down above an output area; display it in a notebook.
    """
    import ipywidgets as widgets
    from IPython.display import display

    if segment_col not in surveys.columns:
        raise ValueError(
            f"segment_col={segment_col!r} is not a column of surveys; "
            f"available: {', '.join(map(str, surveys.columns))}"
        )
    options = [ALL, *sorted(surveys[segment_col].dropna().astype(str).unique())]
    dropdown = widgets.Dropdown(options=options, value=ALL, description="Segment:")
    out = widgets.Output()
    twin = StaticTwin()

    def show(segment: str) -> None:
        out.clear_output(wait=True)
        with out:
            view = nps_gap_view(
                surveys, segment=segment, segment_col=segment_col, nps_col=nps_col,
                csat_col=csat_col, dimensions=dimensions,
            )  # fmt: skip
            display(view.summary.round(1))
            display(twin.keep(view.figure))
            plt.close(view.figure)

    dropdown.observe(lambda change: show(change["new"]), names="value")
    show(ALL)
    return twin.attach(widgets.VBox([dropdown, out]))
