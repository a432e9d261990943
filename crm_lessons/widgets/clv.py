"""A CLV calculator and a P(alive) explorer.

:func:`clv_calculator` shows four sliders (margin, retention, discount rate,
horizon) and redraws how a customer's lifetime value builds up period by
period; :func:`clv_calculator_view` is its headless twin.

:func:`p_alive_explorer` shows a drop-down of customers and draws one
customer's purchases with the model's probability that they are still an
active customer; :func:`p_alive_view` is its headless twin.

Examples
--------
>>> v = clv_calculator_view(margin=100, retention=0.8, discount_rate=0.1, horizon=5)
>>> round(v.clv, 2), round(v.clv_infinite, 2)
(212.41, 266.67)
>>> plt.close(v.figure)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from crm_lessons import clv, schema
from crm_lessons.plotting import fmt_money
from crm_lessons.widgets import StaticTwin

__all__ = [
    "CLVView",
    "PAliveView",
    "clv_calculator",
    "clv_calculator_view",
    "p_alive_explorer",
    "p_alive_view",
]


@dataclass
class CLVView:
    """What the CLV calculator shows.

    Attributes
    ----------
    table : pandas.DataFrame
        :func:`crm_lessons.clv.retention_clv_table` for the chosen inputs.
    clv : float
        CLV over the chosen horizon.
    clv_infinite : float
        CLV with no horizon (the ``margin × r / (1 + d − r)`` formula).
    figure : matplotlib.figure.Figure
    """

    table: pd.DataFrame
    clv: float
    clv_infinite: float
    figure: plt.Figure


def clv_calculator_view(
    margin: float = 100.0,
    retention: float = 0.8,
    discount_rate: float = 0.1,
    horizon: int = 10,
    *,
    currency: str = "USD",
) -> CLVView:
    """Compute and draw the CLV build-up (headless twin of :func:`clv_calculator`).

    Parameters
    ----------
    margin : float, default 100
        Margin per period.
    retention : float, default 0.8
        Chance a customer stays each period.
    discount_rate : float, default 0.1
        Discount rate per period.
    horizon : int, default 10
        Periods counted.
    currency : str, default "USD"
        Currency for labels.

    Returns
    -------
    CLVView
    """
    table = clv.retention_clv_table(margin, retention, discount_rate, horizon=horizon)
    value = float(table["discounted_margin"].sum())
    infinite = clv.retention_clv(margin, retention, discount_rate)
    fig, ax = plt.subplots()
    ax.bar(table["period"], table["discounted_margin"], color="C0",
           label="margin this period, discounted")  # fmt: skip
    ax.plot(table["period"], table["cumulative_clv"], color="C1", marker="o",
            label="customer lifetime value so far")  # fmt: skip
    ax.axhline(infinite, color="grey", ls="--", lw=1,
               label=f"no horizon: {fmt_money(infinite, currency, decimals=0)}")  # fmt: skip
    ax.set_xlabel("Period (e.g. year) from now")
    ax.set_ylabel(f"Value today ({currency})")
    ax.set_title(
        f"CLV over {horizon} periods: {fmt_money(value, currency, decimals=0)} "
        f"(retention {retention:.0%}, discount {discount_rate:.0%})"
    )
    ax.legend(loc="center right")
    fig.tight_layout()
    return CLVView(table=table, clv=value, clv_infinite=infinite, figure=fig)


def clv_calculator(
    margin: float = 100.0,
    retention: float = 0.8,
    discount_rate: float = 0.1,
    horizon: int = 10,
    *,
    currency: str = "USD",
):
    """Interactive CLV calculator: margin, retention, discount rate and horizon sliders.

    Parameters
    ----------
    margin, retention, discount_rate, horizon
        Starting values of the sliders (see :func:`clv_calculator_view`).
    currency : str, default "USD"
        Currency for labels.

    Returns
    -------
    ipywidgets.VBox
        Sliders above an output area; display it in a notebook.
    """
    import ipywidgets as widgets
    from IPython.display import display

    sliders = {
        "margin": widgets.FloatSlider(
            value=margin, min=0, max=max(1000.0, margin * 2), step=10, description="Margin"
        ),  # fmt: skip
        "retention": widgets.FloatSlider(
            value=retention, min=0, max=0.99, step=0.01, description="Retention"
        ),  # fmt: skip
        "discount_rate": widgets.FloatSlider(
            value=discount_rate, min=0, max=0.5, step=0.01, description="Discount"
        ),  # fmt: skip
        "horizon": widgets.IntSlider(value=horizon, min=1, max=40, description="Horizon"),
    }
    out = widgets.Output()
    twin = StaticTwin()

    def show(_change: Any = None) -> None:
        out.clear_output(wait=True)
        with out:
            view = clv_calculator_view(**{k: s.value for k, s in sliders.items()},
                                       currency=currency)  # fmt: skip
            display(twin.keep(view.figure))
            plt.close(view.figure)

    for s in sliders.values():
        s.observe(show, names="value")
    show()
    return twin.attach(widgets.VBox([*sliders.values(), out]))


@dataclass
class PAliveView:
    """What the P(alive) explorer shows for one customer.

    Attributes
    ----------
    customer : str
        The customer shown.
    path : pandas.DataFrame
        ``date``, ``age`` (in model time units) and ``p_alive`` at each step.
    purchases : pandas.Series
        The customer's purchase dates.
    p_alive_now : float
        P(alive) at the end of the path.
    figure : matplotlib.figure.Figure
    """

    customer: str
    path: pd.DataFrame
    purchases: pd.Series
    p_alive_now: float
    figure: plt.Figure


_FREQ_DAYS = {"D": 1, "W": 7}


def p_alive_view(
    model: Any,
    transactions: pd.DataFrame,
    customer: str,
    *,
    as_of: str | pd.Timestamp | None = None,
    freq: str = "W",
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
) -> PAliveView:
    """Draw one customer's purchases and P(alive) over time (headless twin).

    Parameters
    ----------
    model : fitted BG/NBD or Pareto/NBD model
        Fitted with time in ``freq`` units.
    transactions : pandas.DataFrame
        All customers' transactions.
    customer : str
        The customer to show.
    as_of : date-like, optional
        End of the path; default the last date in ``transactions``.
    freq : {"W", "D"}, default "W"
        Time unit of the model.
    customer_id, date : str
        Column names.

    Returns
    -------
    PAliveView

    Examples
    --------
    >>> from crm_lessons.lifetimes_compat import import_lifetimes
    >>> m = import_lifetimes().BetaGeoFitter()
    >>> m.params_ = pd.Series({"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5})
    >>> tx = pd.DataFrame({"customer_id": ["A", "A", "B"],
    ...                    "date": pd.to_datetime(["2024-01-01", "2024-01-04", "2024-01-02"])})
    >>> v = p_alive_view(m, tx, "A", as_of="2024-01-06", freq="D")
    >>> v.path["p_alive"].round(3).tolist()
    [1.0, 1.0, 1.0, 0.758, 0.726, 0.695]
    >>> plt.close(v.figure)
    """
    from crm_lessons.lifetimes_compat import calculate_alive_path

    if freq not in _FREQ_DAYS:
        raise ValueError(f"freq={freq!r} is not supported; valid: {', '.join(_FREQ_DAYS)}")
    for col in (customer_id, date):
        if col not in transactions.columns:
            raise ValueError(f"transactions lacks column {col!r}")
    one = transactions[transactions[customer_id] == customer]
    if one.empty:
        raise ValueError(f"customer={customer!r} has no transactions in {customer_id!r}")
    dates = pd.to_datetime(one[date])
    end = pd.Timestamp(as_of) if as_of is not None else pd.to_datetime(transactions[date]).max()
    first = dates.min().normalize()
    step = pd.Timedelta(days=_FREQ_DAYS[freq])
    t = int(max(0, (end.normalize() - first) // step))
    alive = calculate_alive_path(model, one.assign(**{date: dates}), date, t=t, freq=freq)
    path = pd.DataFrame(
        {
            "date": first + np.arange(len(alive)) * step,
            "age": alive.index.to_numpy(),
            "p_alive": alive.to_numpy(),
        }
    )
    purchases = dates.sort_values().reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(8, 3.5))
    ax.plot(path["date"], path["p_alive"], color="C0", lw=2, label="P(still a customer)")
    for i, d in enumerate(purchases.drop_duplicates()):
        ax.axvline(d, color="C2", ls="--", lw=1, label="purchase" if i == 0 else None)
    ax.set_ylim(-0.02, 1.05)
    ax.set_ylabel("Probability still active")
    ax.set_xlabel("Date")
    now = float(path["p_alive"].iloc[-1])
    n_days = purchases.dt.normalize().nunique()
    ax.set_title(f"Customer {customer}: {n_days} purchase days, P(alive) now {now:.0%}")
    ax.legend(loc="lower left")
    fig.autofmt_xdate()
    fig.tight_layout()
    return PAliveView(str(customer), path, purchases, now, fig)


def p_alive_explorer(
    model: Any,
    transactions: pd.DataFrame,
    *,
    customers: list[str] | None = None,
    as_of: str | pd.Timestamp | None = None,
    freq: str = "W",
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
):
    """Interactive P(alive) explorer: pick a customer, see their history and P(alive).

    Parameters
    ----------
    model : fitted BG/NBD or Pareto/NBD model
    transactions : pandas.DataFrame
        All customers' transactions.
    customers : list of str, optional
        Customers offered in the drop-down; default the 50 with most
        purchases.
    as_of, freq, customer_id, date
        As in :func:`p_alive_view`.

    Returns
    -------
    ipywidgets.VBox
    """
    import ipywidgets as widgets
    from IPython.display import display

    if customers is None:
        counts = transactions.groupby(customer_id).size().sort_values(ascending=False)
        customers = [str(c) for c in counts.index[:50]]
    dropdown = widgets.Dropdown(options=customers, value=customers[0], description="Customer:")
    out = widgets.Output()
    twin = StaticTwin()

    def show(customer: str) -> None:
        out.clear_output(wait=True)
        with out:
            view = p_alive_view(model, transactions, customer, as_of=as_of, freq=freq,
                                customer_id=customer_id, date=date)  # fmt: skip
            display(twin.keep(view.figure))
            plt.close(view.figure)

    dropdown.observe(lambda change: show(change["new"]), names="value")
    show(customers[0])
    return twin.attach(widgets.VBox([dropdown, out]))
