"""Cohort heatmap explorer: pick the period, the measure and the acquisition channel.

:func:`cohort_heatmap_view` is the headless twin: it returns the cohort table
and the figure the widget shows, so it can be tested and used without a live
kernel. :func:`cohort_heatmap_explorer` wraps it in ipywidgets controls.

Examples
--------
>>> import pandas as pd
>>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"],
...     "date": pd.to_datetime(["2024-01-03", "2024-02-10", "2024-01-20"]),
...     "amount": [1.0, 2.0, 3.0]})
>>> table, fig = cohort_heatmap_view(tx)
>>> table.loc["2024-01"].tolist()
[1.0, 0.5]
>>> plt.close(fig)
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from crm_lessons import schema
from crm_lessons.retention import cohort_matrix, plot_cohort_heatmap
from crm_lessons.widgets import StaticTwin

__all__ = ["cohort_heatmap_explorer", "cohort_heatmap_view"]

_METRICS = {
    "Share still buying": "retention",
    "Customers buying": "active",
    "Revenue": "revenue",
    "Revenue per cohort customer": "revenue_per_customer",
}
_FREQS = {"Month": "M", "Quarter": "Q", "Week": "W"}
_ALL = "All channels"


def cohort_heatmap_view(
    transactions: pd.DataFrame,
    customers: pd.DataFrame | None = None,
    *,
    freq: str = "M",
    metric: str = "retention",
    channel: str | None = None,
    max_periods: int | None = 12,
    channel_col: str = "acquisition_channel",
    signup: str = "signup_date",
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
    amount: str = schema.AMOUNT,
) -> tuple[pd.DataFrame, plt.Figure]:
    """Return the cohort table and heatmap the explorer shows (headless twin).

    Parameters
    ----------
    transactions : pandas.DataFrame
        Purchases.
    customers : pandas.DataFrame, optional
        Customer table; when given, cohorts use its ``signup`` date and
        ``channel`` can filter on ``channel_col``.
    freq : {"W", "M", "Q", "Y"}, default "M"
        Cohort period.
    metric : str, default "retention"
        See :func:`crm_lessons.retention.cohort_matrix`.
    channel : str, optional
        Only customers won through this channel (needs ``customers``).
    max_periods : int or None, default 12
        Columns shown.
    channel_col, signup, customer_id, date, amount : str
        Column names.

    Returns
    -------
    table : pandas.DataFrame
        Output of :func:`~crm_lessons.retention.cohort_matrix`.
    fig : matplotlib.figure.Figure
        The heatmap.
    """
    tx = transactions
    acq = None
    if customers is not None:
        cust = customers
        if channel not in (None, _ALL):
            known = sorted(customers[channel_col].dropna().unique())
            if channel not in known:
                raise ValueError(f"channel={channel!r} is not in {channel_col!r}; valid: {known}")
            cust = customers[customers[channel_col] == channel]
            tx = transactions[transactions[customer_id].isin(cust[customer_id])]
        if signup in cust:
            acq = pd.Series(cust[signup].to_numpy(), index=cust[customer_id].to_numpy())
    elif channel not in (None, _ALL):
        raise ValueError("channel needs the customers table (to know each customer's channel)")
    table = cohort_matrix(
        tx,
        freq=freq,
        metric=metric,
        acquisition_dates=acq,
        max_periods=max_periods,
        customer_id=customer_id,
        date=date,
        amount=amount,
    )
    fig, ax = plt.subplots(figsize=(10, max(3.5, 0.32 * len(table) + 1.5)))
    who = f" ({channel})" if channel not in (None, _ALL) else ""
    plot_cohort_heatmap(table, ax=ax, title=f"Cohorts by first month{who}")
    fig.tight_layout()
    return table, fig


def cohort_heatmap_explorer(
    transactions: pd.DataFrame, customers: pd.DataFrame | None = None, **names
):
    """Interactive cohort heatmap: choose period, measure, channel and width.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Purchases.
    customers : pandas.DataFrame, optional
        Customer table (enables the channel filter).
    **names
        Column names passed to :func:`cohort_heatmap_view`.

    Returns
    -------
    ipywidgets.VBox
        Display it as the last line of a cell.
    """
    import ipywidgets as w
    from IPython.display import display

    channel_col = names.get("channel_col", "acquisition_channel")
    channels = [_ALL]
    if customers is not None and channel_col in customers:
        channels += sorted(customers[channel_col].dropna().unique())
    freq = w.Dropdown(options=list(_FREQS), value="Month", description="Period")
    metric = w.Dropdown(options=list(_METRICS), value="Share still buying", description="Show")
    channel = w.Dropdown(options=channels, value=_ALL, description="Channel")
    width = w.IntSlider(value=12, min=3, max=24, description="Periods")
    out = w.Output()

    twin = StaticTwin()

    def redraw(*_):
        with out:
            out.clear_output(wait=True)
            _, fig = cohort_heatmap_view(
                transactions,
                customers,
                freq=_FREQS[freq.value],
                metric=_METRICS[metric.value],
                channel=channel.value,
                max_periods=width.value,
                **names,
            )
            display(twin.keep(fig))
            plt.close(fig)

    for control in (freq, metric, channel, width):
        control.observe(redraw, names="value")
    redraw()
    return twin.attach(w.VBox([w.HBox([freq, metric]), w.HBox([channel, width]), out]))
