"""Budget-split simulator: the same money on acquisition or retention (the twin engines).

:func:`budget_split_view` is the headless twin: it runs the seeded simulation
for the chosen split and for the two extremes (everything on acquisition,
everything on retention) and returns the summary table and the figure.
:func:`budget_split_simulator` puts sliders on it.

Examples
--------
>>> table, fig = budget_split_view(0.5, budget_per_period=5000, periods=12, random_state=0)
>>> table.index.tolist()
['all on retention', 'your split (50% acquisition)', 'all on acquisition']
>>> plt.close(fig)
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from crm_lessons.acquisition import plot_budget_splits, simulate_twin_engines
from crm_lessons.widgets import StaticTwin

__all__ = ["budget_split_simulator", "budget_split_view"]


def budget_split_view(
    acquisition_share: float,
    *,
    budget_per_period: float = 5000.0,
    periods: int = 36,
    currency: str = "USD",
    random_state=0,
    **params,
) -> tuple[pd.DataFrame, plt.Figure]:
    """Return the summary table and figure the simulator shows (headless twin).

    Parameters
    ----------
    acquisition_share : float
        Share of the budget spent on acquisition, in [0, 1].
    budget_per_period : float, default 5000
        Marketing money per month.
    periods : int, default 36
        Months simulated.
    currency : str, default "USD"
        For the money axis.
    random_state : int, numpy.random.Generator or None, default 0
        Seed (the same for every split, so they are comparable).
    **params
        Other inputs of :func:`crm_lessons.acquisition.simulate_twin_engines`
        (``cac``, ``base_retention``, ``max_retention``,
        ``half_effect_spend``, ``margin_per_customer``, ``start_customers``).

    Returns
    -------
    table : pandas.DataFrame
        One row per split: ``final_customers``, ``total_new``,
        ``total_lost``, ``mean_retention_rate``, ``cumulative_profit``.
    fig : matplotlib.figure.Figure
        Customer base and cumulative profit over time.
    """
    if not 0 <= acquisition_share <= 1:
        raise ValueError(f"acquisition_share={acquisition_share!r} must lie between 0 and 1")
    splits = {
        "all on retention": 0.0,
        f"your split ({acquisition_share:.0%} acquisition)": float(acquisition_share),
        "all on acquisition": 1.0,
    }
    paths = {
        label: simulate_twin_engines(
            budget_per_period=budget_per_period,
            acquisition_share=share,
            periods=periods,
            random_state=random_state,
            **params,
        )
        for label, share in splits.items()
    }
    table = pd.DataFrame(
        {
            label: {
                "final_customers": int(sim["customers_end"].iloc[-1]),
                "total_new": int(sim["new"].sum()),
                "total_lost": int(sim["lost"].sum()),
                "mean_retention_rate": float(sim["retention_rate"].mean()),
                "cumulative_profit": float(sim["cumulative_profit"].iloc[-1]),
            }
            for label, sim in paths.items()
        }
    ).T
    table.index.name = "budget split"
    fig = plot_budget_splits(paths, currency=currency)
    return table, fig


def budget_split_simulator(**defaults):
    """Sliders for the budget split, budget, retention effect and base retention.

    Parameters
    ----------
    **defaults
        Starting values and fixed inputs passed to :func:`budget_split_view`
        (e.g. ``cac``, ``margin_per_customer``, ``currency``).

    Returns
    -------
    ipywidgets.VBox
        Display it as the last line of a cell.
    """
    import ipywidgets as w
    from IPython.display import display

    share = w.FloatSlider(
        value=defaults.pop("acquisition_share", 0.5), min=0, max=1, step=0.05,
        description="To acquisition", readout_format=".0%", style={"description_width": "initial"},
    )  # fmt: skip
    budget = w.FloatSlider(
        value=defaults.pop("budget_per_period", 5000.0), min=0, max=20000, step=500,
        description="Budget / month", style={"description_width": "initial"},
    )  # fmt: skip
    half = w.FloatSlider(
        value=defaults.pop("half_effect_spend", 2.0), min=0.5, max=20, step=0.5,
        description="Retention cost to close half the gap", style={"description_width": "initial"},
    )  # fmt: skip
    base = w.FloatSlider(
        value=defaults.pop("base_retention", 0.8), min=0.3, max=0.95, step=0.01,
        description="Base retention", style={"description_width": "initial"},
    )  # fmt: skip
    out = w.Output()

    twin = StaticTwin()

    def redraw(*_):
        with out:
            out.clear_output(wait=True)
            table, fig = budget_split_view(
                share.value,
                budget_per_period=budget.value,
                half_effect_spend=half.value,
                base_retention=min(base.value, defaults.get("max_retention", 0.95)),
                **defaults,
            )
            display(table.round(3))
            display(twin.keep(fig))
            plt.close(fig)

    for control in (share, budget, half, base):
        control.observe(redraw, names="value")
    redraw()
    return twin.attach(w.VBox([w.HBox([share, budget]), w.HBox([half, base]), out]))
