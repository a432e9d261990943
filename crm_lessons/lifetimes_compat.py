"""Run ``lifetimes`` 0.11.3 on today's pandas, numpy, matplotlib and Python.

``lifetimes`` is the classic Python library for buy-till-you-die models
(BG/NBD, Pareto/NBD, Gamma-Gamma ...). It is no longer maintained, but it is
light, fast, ships the full CDNOW data and reproduces the published CDNOW
estimates, so the course keeps using it. A few of its helpers broke as pandas,
numpy, matplotlib and setuptools moved on. This module holds fixed versions
with the **same names, signatures and meaning**, so a learner can move between
lifetimes' own documentation and the course without relearning anything.

Two ways to use it:

* import the fixed helpers from here, e.g.
  ``from crm_lessons.lifetimes_compat import calibration_and_holdout_data``;
* or call :func:`patch_lifetimes` once, then follow lifetimes' documentation
  as written: ``lifetimes.utils.calibration_and_holdout_data`` and the other
  broken names then point at the fixed versions.

:func:`import_lifetimes` imports lifetimes without the deprecation warning it
triggers in pandas 3.

What is fixed and why
---------------------
Measured with pandas 3.1, numpy 2.4, matplotlib 3.11 and (simulated) setuptools
>= 82. "FIXED": lifetimes' version fails, use the one here (or
:func:`patch_lifetimes`). "works": lifetimes' version works unchanged.

=========================================================  ======  ==========================================================================================
lifetimes name                                             status  cause on this stack -> fix here
=========================================================  ======  ==========================================================================================
utils.calibration_and_holdout_data                         FIXED   pandas 3 ``.agg(["count"])`` with no value column fails -> count with ``groupby().size()``
plotting.plot_calibration_purchases_vs_holdout_purchases   works   failed only through the function above -> lifetimes' own, re-exported
utils.calculate_alive_path                                 FIXED   ``fillna(method=)`` gone, 1-element arrays not floats (numpy 2.4) -> vectorised
plotting.plot_history_alive                                FIXED   ``resample().sum()`` over a datetime column fails -> drawn from the fixed path
plotting.plot_expected_repeat_purchases                    FIXED   private ``prop_cycler`` gone (matplotlib 3.8) -> reuse the first line's colour
generate_data.beta_geometric_nbd_model_transactional_data  FIXED   ``DataFrame.append`` gone, global ``np.random`` -> vectorised, ``random_state``
datasets                                                   FIXED   needs ``pkg_resources`` (gone, setuptools >= 82) -> ``importlib.resources``
import lifetimes                                           FIXED   ``Pandas4Warning`` (``mode.chained_assignment``) -> :func:`import_lifetimes`
import lifetimes, side effect                              FIXED   ignores every ``FutureWarning`` for the session -> filters restored
utils.summary_data_from_transaction_data                   works   gives the published CDNOW summary (to its 2 decimals)
BetaGeoFitter, ParetoNBDFitter, GammaGammaFitter           works   reproduce the published CDNOW estimates
ModifiedBetaGeoFitter, BetaGeoBetaBinomFitter              works   fit (BG/BB ``generate_new_data``: below)
ParetoNBDFitter._log_A_0 (likelihood)                      FIXED   NaN when recency = T for heavy buyers (scipy ``logsumexp`` b=[1,-1]) -> log-space difference
ParetoNBDFitter.conditional_probability_alive              FIXED   NaN for the heaviest buyers (through ``_log_A_0``) -> stable log-odds
ParetoNBDFitter.conditional_expected_number_..._up_to_time FIXED   NaN for the heaviest buyers (through ``_log_A_0``) -> P(alive) x E[purchases if alive]
BetaGeoFitter / ModifiedBetaGeoFitter, both methods above  FIXED   power overflows (warning, 0 by luck) for long silences -> log-odds and ``expit``
conditional_probability_of_n_purchases_up_to_time          works   not patched; moderate histories only (same ``logsumexp`` pattern for Pareto/NBD)
GammaGammaFitter.conditional_expected_average_profit       works   checked on extremes (no purchase, 1e9 purchases, huge spend)
customer_lifetime_value                                    works   no warning; uses the fixed expected purchases once patched
conditional_probability_alive (BG/NBD, MBG/NBD)            works   returns a 1-element array for scalars, kept as in lifetimes
plotting.plot_frequency_recency_matrix                     works   BG/NBD, MBG/NBD, Pareto/NBD; no warning
plotting.plot_probability_alive_matrix                     works   BG/NBD, MBG/NBD, Pareto/NBD; no warning
plotting.plot_period_transactions                          works   BG/NBD, MBG/NBD, Pareto/NBD (BG/BB: below)
utils.expected_cumulative_transactions                     works   actual counts equal a direct count on CDNOW
plotting.plot_cumulative_transactions                      works   no warning
plotting.plot_incremental_transactions                     works   no warning
=========================================================  ======  ==========================================================================================

Two limits of lifetimes 0.11.3 that are **not** caused by the new stack and are
left alone: ``BetaGeoBetaBinomFitter.generate_new_data`` (and so
``plot_period_transactions`` for a BG/BB model) fails on any version
(lifetimes issues 257 and 354); ``ParetoNBDFitter`` computes no standard
errors, so its ``summary`` property fails.

Examples
--------
>>> lt = import_lifetimes()
>>> lt.__version__
'0.11.3'
>>> lt = patch_lifetimes()
>>> lt.utils.calibration_and_holdout_data is calibration_and_holdout_data
True
"""

from __future__ import annotations

import importlib
import sys
import types
import warnings
from collections.abc import Callable
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from crm_lessons import btyd as _btyd
from crm_lessons._checks import require_columns as _require_columns

__all__ = [
    "beta_geometric_nbd_model_transactional_data",
    "calculate_alive_path",
    "calibration_and_holdout_data",
    "import_lifetimes",
    "load_dataset",
    "original_method",
    "patch_lifetimes",
    "plot_calibration_purchases_vs_holdout_purchases",
    "plot_expected_repeat_purchases",
    "plot_history_alive",
]

# The exact warning lifetimes/utils.py triggers on import under pandas 3.
_CHAINED_ASSIGNMENT_MESSAGE = r"The 'mode\.chained_assignment' option is deprecated"
_PANDAS4_WARNING: type[Warning] = getattr(pd.errors, "Pandas4Warning", DeprecationWarning)

# Originals replaced by patch_lifetimes(), keyed by (module name, attribute).
_ORIGINALS: dict[tuple[str, str], Any] = {}


# --------------------------------------------------------------------- importing


def import_lifetimes() -> types.ModuleType:
    """Import ``lifetimes`` without the pandas deprecation warning it triggers.

    ``lifetimes/utils.py`` sets ``pd.options.mode.chained_assignment``, an
    option that does nothing since pandas 3 and whose use raises a
    ``Pandas4Warning`` at import. This function filters exactly that warning
    (category and message) while lifetimes is imported, and nothing else.
    The warning filters are restored afterwards, which also undoes lifetimes'
    own ``warnings.simplefilter("ignore", FutureWarning)``: without that, one
    ``import lifetimes`` hides every ``FutureWarning`` for the rest of the
    session.

    ``lifetimes.utils``, ``lifetimes.generate_data`` and ``lifetimes.plotting``
    are imported too, so they can be used as attributes. If lifetimes is
    already imported, it is simply returned.

    Returns
    -------
    types.ModuleType
        The ``lifetimes`` package.

    Examples
    --------
    >>> lt = import_lifetimes()
    >>> lt.BetaGeoFitter.__name__
    'BetaGeoFitter'
    >>> sorted(m for m in ("utils", "plotting", "generate_data") if hasattr(lt, m))
    ['generate_data', 'plotting', 'utils']
    """
    names = ("lifetimes", "lifetimes.utils", "lifetimes.generate_data", "lifetimes.plotting")
    if all(name in sys.modules for name in names):
        return sys.modules["lifetimes"]
    # Import lifetimes' heavy dependencies first, outside the filter context,
    # so the warning filters they install for themselves are kept.
    for dep in ("scipy.optimize", "scipy.special", "scipy.stats", "autograd", "dill"):
        importlib.import_module(dep)
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=_CHAINED_ASSIGNMENT_MESSAGE, category=_PANDAS4_WARNING
        )
        for name in names:
            importlib.import_module(name)
    return sys.modules["lifetimes"]


# ------------------------------------------------------------------ small checks


def _to_timestamp(value: Any, argument: str, datetime_format: str | None) -> pd.Timestamp:
    try:
        ts = pd.to_datetime(value, format=datetime_format)
    except (ValueError, TypeError) as err:
        raise ValueError(
            f"{argument}={value!r} is not a date; pass a date string such as '1997-09-30' "
            "or a datetime"
        ) from err
    if pd.isna(ts) or not isinstance(ts, pd.Timestamp):
        raise ValueError(f"{argument}={value!r} is not a single date")
    return ts


def _period_ordinals(dates: pd.Series, freq: str, argument: str = "freq") -> np.ndarray:
    try:
        periods = pd.PeriodIndex(pd.DatetimeIndex(dates), freq=freq)
    except (ValueError, TypeError) as err:
        raise ValueError(
            f"{argument}={freq!r} is not a pandas period frequency; use e.g. 'D', 'W' or 'h'"
        ) from err
    return periods.asi8


# ------------------------------------------------------------- calibration/holdout


def calibration_and_holdout_data(
    transactions: pd.DataFrame,
    customer_id_col: str,
    datetime_col: str,
    calibration_period_end: Any,
    observation_period_end: Any = None,
    freq: str = "D",
    freq_multiplier: float = 1,
    datetime_format: str | None = None,
    monetary_value_col: str | None = None,
    include_first_transaction: bool = False,
) -> pd.DataFrame:
    """Summarise each customer over a calibration and a holdout period.

    Same signature and output as ``lifetimes.utils.calibration_and_holdout_data``,
    which fails under pandas 3 when no monetary column is given. The
    calibration columns come from lifetimes' own
    ``summary_data_from_transaction_data`` (which works unchanged); the
    holdout columns are computed here.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per transaction.
    customer_id_col : str
        Column holding the customer id.
    datetime_col : str
        Column holding the purchase date (or anything ``pd.to_datetime`` reads).
    calibration_period_end : date-like
        Last day of the calibration (fitting) period, inclusive.
    observation_period_end : date-like, optional
        Last day of the holdout period, inclusive. Default: the last
        transaction date.
    freq : str, default "D"
        Time unit ("D" days, "W" weeks, "h" hours ...). Purchases in the same
        unit count once.
    freq_multiplier : float, default 1
        Divide recency, ``T`` and ``duration_holdout`` by this, e.g.
        ``freq="D", freq_multiplier=7`` gives weeks measured to the day.
    datetime_format : str, optional
        ``strftime`` format of the dates, if pandas cannot guess it.
    monetary_value_col : str, optional
        Column holding the transaction value. Adds ``monetary_value_cal`` and
        ``monetary_value_holdout``.
    include_first_transaction : bool, default False
        Count the first purchase in ``frequency_cal`` and
        ``monetary_value_cal``. Keep False for lifetimes' models.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer id, float columns ``frequency_cal``,
        ``recency_cal``, ``T_cal``, [``monetary_value_cal``],
        ``frequency_holdout``, [``monetary_value_holdout``],
        ``duration_holdout``. ``attrs["n_holdout_only_customers"]`` counts
        the customers left out because their first purchase falls in the
        holdout period.

    Raises
    ------
    ValueError
        If a column is missing, the period ends are not dates or not in
        order, or either period holds no transaction.

    Notes
    -----
    As in lifetimes: only customers who bought in the calibration period are
    rows (the models describe customers already acquired), and
    ``monetary_value_holdout`` is the mean value of the holdout
    *transactions*, while ``monetary_value_cal`` is the mean over purchase
    *periods* (same-day transactions added together first).

    Examples
    --------
    >>> tx = pd.DataFrame(
    ...     {
    ...         "customer_id": ["A", "A", "A", "A", "B"],
    ...         "date": pd.to_datetime(
    ...             ["2024-01-01", "2024-01-05", "2024-01-12", "2024-01-12", "2024-01-03"]
    ...         ),
    ...     }
    ... )
    >>> table = calibration_and_holdout_data(
    ...     tx, "customer_id", "date", "2024-01-06", observation_period_end="2024-01-15"
    ... )
    >>> print(table.to_string())
                 frequency_cal  recency_cal  T_cal  frequency_holdout  duration_holdout
    customer_id
    A                      1.0          4.0    5.0                1.0               9.0
    B                      0.0          0.0    3.0                0.0               9.0
    """
    lt = import_lifetimes()
    columns = [customer_id_col, datetime_col] + (
        [monetary_value_col] if monetary_value_col else []
    )
    _require_columns(transactions, columns, "transactions")
    if not np.isscalar(freq_multiplier) or not freq_multiplier > 0:
        raise ValueError(f"freq_multiplier={freq_multiplier!r} must be a positive number")

    tx = transactions[columns].copy()
    try:
        tx[datetime_col] = pd.to_datetime(tx[datetime_col], format=datetime_format)
    except (ValueError, TypeError) as err:
        raise ValueError(
            f"transactions[{datetime_col!r}] cannot be read as dates"
            + (f" with datetime_format={datetime_format!r}" if datetime_format else "")
        ) from err
    n_missing_ids = int(tx[customer_id_col].isna().sum())
    if n_missing_ids:
        raise ValueError(
            f"transactions[{customer_id_col!r}] has {n_missing_ids} missing customer id(s); "
            "drop or fill them first"
        )
    n_missing = int(tx[datetime_col].isna().sum())
    if n_missing:
        raise ValueError(
            f"transactions[{datetime_col!r}] has {n_missing} missing date(s); "
            "drop or fill them first"
        )
    cal_end = _to_timestamp(calibration_period_end, "calibration_period_end", datetime_format)
    obs_end = (
        tx[datetime_col].max()
        if observation_period_end is None
        else _to_timestamp(observation_period_end, "observation_period_end", datetime_format)
    )
    if not cal_end < obs_end:
        raise ValueError(
            f"calibration_period_end={cal_end.date()} must be before "
            f"observation_period_end={obs_end.date()}"
        )
    _period_ordinals(pd.Series([cal_end]), freq)  # validates freq early

    in_cal = tx[datetime_col] <= cal_end
    if not in_cal.any():
        raise ValueError(
            f"no transaction on or before calibration_period_end={cal_end.date()}; "
            f"the first is on {tx[datetime_col].min().date()}"
        )
    holdout = tx[~in_cal & (tx[datetime_col] <= obs_end)]
    if holdout.empty:
        raise ValueError(
            f"no transaction between calibration_period_end={cal_end.date()} and "
            f"observation_period_end={obs_end.date()}"
        )

    out = lt.utils.summary_data_from_transaction_data(
        tx[in_cal],
        customer_id_col,
        datetime_col,
        monetary_value_col=monetary_value_col,
        observation_period_end=cal_end,
        freq=freq,
        freq_multiplier=freq_multiplier,
        include_first_transaction=include_first_transaction,
    )
    out.columns = [f"{c}_cal" for c in out.columns]

    # Holdout: a customer buying twice in one period counts once, as in calibration.
    purchase_periods = pd.DataFrame(
        {
            "customer": holdout[customer_id_col].to_numpy(),
            "period": _period_ordinals(holdout[datetime_col], freq),
        }
    ).drop_duplicates()
    counts = purchase_periods.groupby("customer").size()
    out["frequency_holdout"] = counts.reindex(out.index, fill_value=0).astype(float).to_numpy()
    if monetary_value_col:
        mean_value = holdout.groupby(customer_id_col)[monetary_value_col].mean()
        out["monetary_value_holdout"] = (
            mean_value.reindex(out.index).fillna(0.0).astype(float).to_numpy()
        )
    n_periods = (
        _period_ordinals(pd.Series([obs_end]), freq)[0]
        - _period_ordinals(pd.Series([cal_end]), freq)[0]
    )
    out["duration_holdout"] = float(n_periods) / freq_multiplier
    out.attrs["n_holdout_only_customers"] = int(
        len(set(holdout[customer_id_col].unique()) - set(out.index))
    )
    return out


def plot_calibration_purchases_vs_holdout_purchases(
    model: Any,
    calibration_holdout_matrix: pd.DataFrame,
    kind: str = "frequency_cal",
    n: int = 7,
    **kwargs: Any,
) -> Any:
    """Plot actual against predicted holdout purchases, grouped by a calibration column.

    lifetimes' own function, unchanged (it works once the table comes from
    :func:`calibration_and_holdout_data`); this wrapper only checks the
    arguments, so that all fixed helpers can be imported from one place.

    Parameters
    ----------
    model : lifetimes fitter
        A fitted model with ``conditional_expected_number_of_purchases_up_to_time``.
    calibration_holdout_matrix : pandas.DataFrame
        Output of :func:`calibration_and_holdout_data`.
    kind : {"frequency_cal", "recency_cal", "T_cal", "time_since_last_purchase"}
        Calibration quantity on the x axis.
    n : int, default 7
        Number of x values shown (the first ``n`` groups).
    **kwargs
        Passed to :meth:`pandas.DataFrame.plot` (e.g. ``ax=``).

    Returns
    -------
    matplotlib.axes.Axes
        Two lines: the average actual holdout purchases and the model's
        prediction, for each value of ``kind``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> lt = import_lifetimes()
    >>> from crm_lessons.datasets import load_cdnow_sample_transactions
    >>> table = calibration_and_holdout_data(
    ...     load_cdnow_sample_transactions(), "customer_id", "date", "1997-09-30"
    ... )
    >>> model = lt.BetaGeoFitter().fit(
    ...     table["frequency_cal"], table["recency_cal"], table["T_cal"]
    ... )
    >>> ax = plot_calibration_purchases_vs_holdout_purchases(model, table)
    >>> len(ax.get_lines())
    2
    >>> import matplotlib.pyplot as plt
    >>> plt.close("all")
    """
    kinds = ("frequency_cal", "recency_cal", "T_cal", "time_since_last_purchase")
    if kind not in kinds:
        raise ValueError(f"kind={kind!r} is not valid; use one of {kinds}")
    needed = ["frequency_cal", "recency_cal", "T_cal", "frequency_holdout", "duration_holdout"]
    _require_columns(calibration_holdout_matrix, needed, "calibration_holdout_matrix")
    original = _original("lifetimes.plotting", "plot_calibration_purchases_vs_holdout_purchases")
    return original(model, calibration_holdout_matrix, kind=kind, n=n, **kwargs)


# -------------------------------------------------------------------- alive path


def calculate_alive_path(
    model: Any, transactions: pd.DataFrame, datetime_col: str, t: int, freq: str = "D"
) -> pd.Series:
    """Probability that one customer is alive, at every age from 0 to ``t``.

    Same signature and meaning as ``lifetimes.utils.calculate_alive_path``,
    which fails under pandas 3 and numpy 2.4. At each age ``T`` (in units of
    ``freq`` since the first purchase) the customer's history so far gives a
    frequency (repeat purchase periods so far) and a recency (age at the last
    of them); the model's ``conditional_probability_alive`` is evaluated at
    all these points in one vectorised call.

    Parameters
    ----------
    model : lifetimes fitter
        A fitted model with ``conditional_probability_alive(frequency, recency, T)``
        (BG/NBD, MBG/NBD, Pareto/NBD).
    transactions : pandas.DataFrame
        The transactions of **one** customer.
    datetime_col : str
        Column holding the purchase dates.
    t : int
        Last age to evaluate, in units of ``freq``. The path is longer if the
        customer's history is.
    freq : str, default "D"
        Time unit of the model ("D", "W", ...); purchases in the same unit
        count once.

    Returns
    -------
    pandas.Series
        ``P(alive)`` indexed by age ``T`` = 0, 1, ..., ``max(t, last purchase age)``.

    Examples
    --------
    A customer with a repeat purchase 3 days after the first: ``frequency`` is
    0 on days 0-2 (so ``P(alive)`` = 1 under BG/NBD) and 1 from day 3, where
    BG/NBD gives ``1 / (1 + a / b * ((alpha + T) / (alpha + 3)) ** (r + 1))``:
    ``1 / 1.32 = 0.758`` at ``T = 3``.

    >>> lt = import_lifetimes()
    >>> model = lt.BetaGeoFitter()
    >>> model.params_ = pd.Series({"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5})
    >>> one = pd.DataFrame({"date": pd.to_datetime(["2024-01-01", "2024-01-04"])})
    >>> path = calculate_alive_path(model, one, "date", t=5)
    >>> path.round(3).tolist()
    [1.0, 1.0, 1.0, 0.758, 0.726, 0.695]
    """
    _require_columns(transactions, [datetime_col], "transactions")
    if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or t < 0:
        raise ValueError(f"t={t!r} must be a whole number of periods >= 0")
    if transactions.empty:
        raise ValueError("transactions is empty; pass the purchases of one customer")
    dates = pd.to_datetime(transactions[datetime_col])
    if dates.isna().any():
        raise ValueError(
            f"transactions[{datetime_col!r}] has {int(dates.isna().sum())} missing date(s)"
        )
    ordinals = _period_ordinals(dates, freq)
    ages = np.unique(ordinals - ordinals.min())
    n = max(int(t) + 1, int(ages[-1]) + 1)

    age = np.arange(n)
    bought = np.zeros(n, dtype=bool)
    bought[ages] = True
    frequency = np.cumsum(bought) - 1  # the first purchase is not a repeat
    recency = np.maximum.accumulate(np.where(bought, age, 0))
    p_alive = model.conditional_probability_alive(
        frequency.astype(float), recency.astype(float), age.astype(float)
    )
    p_alive = np.broadcast_to(np.asarray(p_alive, dtype=float).reshape(-1), (n,))
    return pd.Series(p_alive, index=pd.RangeIndex(n, name="T"), name="p_alive")


def plot_history_alive(
    model: Any,
    t: int,
    transactions: pd.DataFrame,
    datetime_col: str,
    freq: str = "D",
    start_date: Any = None,
    ax: Any = None,
    **kwargs: Any,
) -> Any:
    """Draw one customer's probability of being alive over time, with their purchases.

    Same signature as ``lifetimes.plotting.plot_history_alive``, which fails
    under pandas 3. Draws :func:`calculate_alive_path` as a line over calendar
    dates and a dashed vertical line at each purchase period.

    Parameters
    ----------
    model : lifetimes fitter
        A fitted model with ``conditional_probability_alive``.
    t : int
        Number of ``freq`` units after the first purchase to draw.
    transactions : pandas.DataFrame
        The transactions of **one** customer.
    datetime_col : str
        Column holding the purchase dates.
    freq : str, default "D"
        Time unit of the model.
    start_date : date-like, optional
        Left end of the x axis. Default: the first purchase.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on. Default: the current axes.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot` for the probability line.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> lt = import_lifetimes()
    >>> model = lt.BetaGeoFitter()
    >>> model.params_ = pd.Series({"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5})
    >>> one = pd.DataFrame({"date": pd.to_datetime(["2024-01-01", "2024-01-04"])})
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> ax = plot_history_alive(model, 30, one, "date", ax=ax)
    >>> len(ax.get_lines()), len(ax.collections[0].get_segments())
    (1, 2)
    >>> plt.close(fig)
    """
    from matplotlib import pyplot as plt

    path = calculate_alive_path(model, transactions, datetime_col, t, freq)
    dates = pd.to_datetime(transactions[datetime_col])
    first = pd.Period(dates.min(), freq=freq)
    path_dates = pd.period_range(first, periods=len(path), freq=freq).to_timestamp()
    purchase_dates = pd.PeriodIndex(pd.DatetimeIndex(dates), freq=freq).unique().to_timestamp()

    if ax is None:
        ax = plt.gca()
    kwargs.setdefault("label", "Probability still active")
    ax.plot(path_dates, path.to_numpy(), "-", **kwargs)
    ax.vlines(purchase_dates, ymin=0, ymax=1, colors="r", linestyles="dashed", label="Purchase")
    ax.set_ylim(0, 1.0)
    ax.set_yticks(np.arange(0, 1.1, 0.1))
    left = path_dates[0] if start_date is None else pd.to_datetime(start_date)
    ax.set_xlim(left, path_dates[-1])
    ax.legend(loc="lower left")
    ax.set_xlabel("Date")
    ax.set_ylabel("Probability the customer is still active")
    ax.set_title("Is this customer still active? History of P(alive)")
    return ax


# ---------------------------------------------------------- expected repeat buys


def plot_expected_repeat_purchases(
    model: Any,
    title: str = "Expected Number of Repeat Purchases per Customer",
    xlabel: str = "Time Since First Purchase",
    ax: Any = None,
    label: str | None = None,
    **kwargs: Any,
) -> Any:
    """Plot the expected number of repeat purchases of a new customer against time.

    Same signature as ``lifetimes.plotting.plot_expected_repeat_purchases``,
    which reads a private matplotlib attribute removed in matplotlib 3.8. A
    solid line covers ages up to the oldest customer in the fitted data; a
    dashed line of the same colour extends it by half as far again (an
    extrapolation).

    Parameters
    ----------
    model : lifetimes fitter
        A fitted model with ``expected_number_of_purchases_up_to_time`` and
        ``data["T"]``.
    title, xlabel : str
        Figure title and x-axis label.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (to compare several models). Default: the current axes.
    label : str, optional
        Legend label of the solid line.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot` (``color``/``c`` included).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> lt = import_lifetimes()
    >>> from crm_lessons.datasets import load_cdnow_summary
    >>> s = load_cdnow_summary()
    >>> model = lt.BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"])
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> ax = plot_expected_repeat_purchases(model, ax=ax, label="BG/NBD")
    >>> [line.get_linestyle() for line in ax.get_lines()]
    ['-', '--']
    >>> plt.close(fig)
    """
    from matplotlib import pyplot as plt

    if ax is None:
        ax = plt.gca()
    c, color = kwargs.pop("c", None), kwargs.pop("color", None)
    color = c if c is not None else color  # lifetimes: "c" wins over "color"
    max_t = float(model.data["T"].max())

    fitted_ages = np.linspace(0, max_t, 100)
    (line,) = ax.plot(
        fitted_ages,
        model.expected_number_of_purchases_up_to_time(fitted_ages),
        color=color,
        label=label,
        **kwargs,
    )
    later_ages = np.linspace(max_t, 1.5 * max_t, 100)
    ax.plot(
        later_ages,
        model.expected_number_of_purchases_up_to_time(later_ages),
        color=line.get_color(),
        ls="--",
        **kwargs,
    )
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("Expected repeat purchases per customer")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="lower right")
    return ax


# ----------------------------------------------------------------- data generator


def beta_geometric_nbd_model_transactional_data(
    T: Any,
    r: float,
    alpha: float,
    a: float,
    b: float,
    observation_period_end: Any = "2019-1-1",
    freq: str = "D",
    size: int = 1,
    random_state: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    """Simulate a transaction log from the BG/NBD model.

    Same signature and meaning as
    ``lifetimes.generate_data.beta_geometric_nbd_model_transactional_data``
    (which uses the removed ``DataFrame.append`` and the global
    ``np.random``), plus ``random_state``. Vectorised: no Python loop over
    customers.

    Each customer ``i`` makes a first purchase ``T_i`` units of ``freq``
    before ``observation_period_end``. Repeat purchases then follow a
    Poisson process with rate ``lambda_i ~ Gamma(r, rate=alpha)``; after each
    repeat purchase the customer drops out with probability
    ``p_i ~ Beta(a, b)`` (Fader, Hardie & Lee 2005). So the number of repeat
    purchases is ``min(N_i, D_i)`` with ``N_i ~ Poisson(lambda_i T_i)`` the
    purchases a never-dropping customer would make and ``D_i ~ Geometric(p_i)``
    the purchase after which the customer drops out; their times are the
    first ``min(N_i, D_i)`` of ``N_i`` uniform times on ``(0, T_i)``.

    Parameters
    ----------
    T : float or array-like of length ``size``
        Observation length of each customer, in units of ``freq``.
    r, alpha : float
        Shape and rate of the gamma distribution of purchase rates
        (per unit of ``freq``).
    a, b : float
        Parameters of the beta distribution of dropout probabilities.
    observation_period_end : date-like, default "2019-1-1"
        End of the observation window.
    freq : str, default "D"
        Time unit of ``T`` and ``alpha``: "D", "W", "h", "min" or "s".
    size : int, default 1
        Number of customers.
    random_state : int, numpy.random.Generator or None
        Seed or generator; the same seed gives the same log.

    Returns
    -------
    pandas.DataFrame
        Columns ``customer_id`` (int, 0 ... size-1) and ``date`` (datetime64),
        sorted by customer then date; each customer's first row is the first
        purchase.

    Notes
    -----
    lifetimes' version adds one extra unit of ``freq`` to every repeat
    purchase time, so repeat purchases could fall after
    ``observation_period_end`` (they were then cut by the summary). Here
    every purchase lies between ``observation_period_end - T`` and
    ``observation_period_end``.

    Examples
    --------
    >>> log = beta_geometric_nbd_model_transactional_data(
    ...     30, 0.25, 4.0, 0.8, 2.5, observation_period_end="2024-01-31", size=3, random_state=1
    ... )
    >>> log.columns.tolist()
    ['customer_id', 'date']
    >>> log.groupby("customer_id")["date"].min().dt.date.astype(str).unique().tolist()
    ['2024-01-01']
    >>> bool(log["date"].max() <= pd.Timestamp("2024-01-31"))
    True
    """
    rng = np.random.default_rng(random_state)
    for name, value in (("r", r), ("alpha", alpha), ("a", a), ("b", b)):
        if not np.isscalar(value) or not np.isfinite(value) or value <= 0:
            raise ValueError(f"{name}={value!r} must be a positive number")
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
        raise ValueError(f"size={size!r} must be a whole number >= 1")
    try:
        unit = pd.Timedelta(1, unit=freq)
    except (ValueError, TypeError) as err:
        raise ValueError(
            f"freq={freq!r} is not a fixed time unit; use 'D', 'W', 'h', 'min' or 's'"
        ) from err
    end = _to_timestamp(observation_period_end, "observation_period_end", None)
    ages = np.asarray(T, dtype=float)
    if ages.ndim == 0:
        ages = np.full(size, float(ages))
    elif ages.shape != (size,):
        raise ValueError(f"T has shape {ages.shape}; give one number or {size} numbers (size)")
    if not np.all(np.isfinite(ages) & (ages > 0)):
        raise ValueError("T must hold positive numbers only")

    p = rng.beta(a, b, size=size)
    lam = rng.gamma(r, scale=1.0 / alpha, size=size)
    n_possible = rng.poisson(lam * ages)  # purchases before T if never dropping out
    # Purchase after which the customer drops out (p may underflow to 0).
    n_until_dropout = rng.geometric(np.clip(p, 1e-300, 1.0))
    n_repeat = np.minimum(n_possible, n_until_dropout)

    # The first k of N uniform order statistics on (0, 1), sequentially:
    # 1 - U_(j) = prod_{m<=j} V_m ** (1 / (N - m + 1)), V_m ~ U(0, 1).
    owner = np.repeat(np.arange(size), n_repeat)
    start = np.cumsum(n_repeat) - n_repeat
    rank = np.arange(owner.size) - start[owner]  # 0-based m - 1
    log_v = np.log1p(-rng.random(owner.size)) / (n_possible[owner] - rank)  # V in (0, 1]
    cum = np.cumsum(log_v)
    cum -= np.repeat(np.concatenate([[0.0], cum])[start], n_repeat)  # restart per customer
    repeat_times = -np.expm1(cum) * ages[owner]

    first_dates = end - pd.to_timedelta(ages * unit.value, unit="ns")
    first = pd.DataFrame({"customer_id": np.arange(size), "date": first_dates, "order": 0})
    repeat = pd.DataFrame(
        {
            "customer_id": owner,
            "date": first_dates[owner] + pd.to_timedelta(repeat_times * unit.value, unit="ns"),
            "order": rank + 1,
        }
    )
    log = pd.concat([first, repeat], ignore_index=True)
    log = log.sort_values(["customer_id", "order"], kind="stable", ignore_index=True)
    log["date"] = log["date"].astype("datetime64[ns]")
    return log[["customer_id", "date"]]


# ----------------------------------------------------------------------- datasets


def load_dataset(filename: str, **kwargs: Any) -> pd.DataFrame:
    """Read one of the CSV files shipped in ``lifetimes/datasets``.

    Same as ``lifetimes.datasets.load_dataset``, but read with
    :mod:`importlib.resources` instead of ``pkg_resources`` (gone from
    setuptools >= 82).

    Parameters
    ----------
    filename : str
        File name, e.g. ``"cdnow_customers_summary.csv"`` or ``"donations.csv"``.
    **kwargs
        Passed to :func:`pandas.read_csv`.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> load_dataset("cdnow_customers_summary.csv").shape
    (2357, 4)
    >>> load_dataset("donations.csv", usecols=["frequency", "weights"]).columns.tolist()
    ['frequency', 'weights']
    """
    folder = resources.files(import_lifetimes()).joinpath("datasets")
    target = folder.joinpath(filename) if isinstance(filename, str) else None
    if target is None or not target.is_file():
        available = sorted(f.name for f in folder.iterdir() if f.name.endswith((".csv", ".txt")))
        raise ValueError(
            f"filename={filename!r} is not in lifetimes/datasets; available: {available}"
        )
    with resources.as_file(target) as path:
        return pd.read_csv(path, **kwargs)


def _load_donations(**kwargs: Any) -> pd.DataFrame:
    """Load the donations data set (BG/BB example) as a DataFrame."""
    return load_dataset("donations.csv", **kwargs)


def _load_cdnow_summary(**kwargs: Any) -> pd.DataFrame:
    """Load the CDNOW customers summary (frequency, recency, T in weeks)."""
    return load_dataset("cdnow_customers_summary.csv", **kwargs)


def _load_transaction_data(**kwargs: Any) -> pd.DataFrame:
    """Load the example transaction log (columns ``date``, ``id``)."""
    return load_dataset("example_transactions.csv", **kwargs)


def _load_cdnow_summary_data_with_monetary_value(**kwargs: Any) -> pd.DataFrame:
    """Load the CDNOW summary with ``monetary_value``, indexed by ``customer_id``."""
    df = load_dataset("cdnow_customers_summary_with_transactions.csv", **kwargs)
    df.columns = ["customer_id", "frequency", "recency", "T", "monetary_value"]
    return df.set_index("customer_id")


def _datasets_module() -> types.ModuleType:
    module = types.ModuleType(
        "lifetimes.datasets",
        "lifetimes' data loaders, read with importlib.resources "
        "(installed by crm_lessons.lifetimes_compat because pkg_resources is missing).",
    )
    module.__package__ = "lifetimes"
    module.load_dataset = load_dataset
    module.load_donations = _load_donations
    module.load_cdnow_summary = _load_cdnow_summary
    module.load_transaction_data = _load_transaction_data
    module.load_cdnow_summary_data_with_monetary_value = (
        _load_cdnow_summary_data_with_monetary_value
    )
    module.__all__ = [
        "load_cdnow_summary",
        "load_transaction_data",
        "load_cdnow_summary_data_with_monetary_value",
        "load_donations",
    ]
    return module


# ------------------------------------------------------ stable conditional methods


def _as_lifetimes_output(value: np.ndarray, *inputs: Any) -> Any:
    """Return what lifetimes' formula returns for these inputs.

    A float for scalar inputs; a pandas Series (index of the first Series
    input, its name only if all Series inputs share it) when any input is a
    Series, as pandas arithmetic gives in lifetimes; an array otherwise.
    """
    value = np.asarray(value, dtype="float64")
    series = [i for i in inputs if isinstance(i, pd.Series)]
    if series:
        names = {i.name for i in series}
        name = names.pop() if len(names) == 1 else None
        return pd.Series(value, index=series[0].index, name=name)
    if value.ndim == 0 and all(np.ndim(i) == 0 for i in inputs):
        return float(value)
    return value


def _bgnbd_p_alive(self: Any, frequency: Any, recency: Any, T: Any) -> np.ndarray:  # noqa: N803
    params = self._unload_params("r", "alpha", "a", "b")
    return np.atleast_1d(_btyd.bgnbd_p_alive(params, frequency, recency, T))


def _bgnbd_expected(self: Any, t: Any, frequency: Any, recency: Any, T: Any) -> Any:  # noqa: N803
    params = self._unload_params("r", "alpha", "a", "b")
    value = _btyd.bgnbd_expected_purchases(params, t, frequency, recency, T)
    return _as_lifetimes_output(value, t, frequency, recency, T)


def _mbgnbd_p_alive(self: Any, frequency: Any, recency: Any, T: Any) -> np.ndarray:  # noqa: N803
    params = self._unload_params("r", "alpha", "a", "b")
    return np.atleast_1d(_btyd.mbgnbd_p_alive(params, frequency, recency, T))


def _mbgnbd_expected(self: Any, t: Any, frequency: Any, recency: Any, T: Any) -> Any:  # noqa: N803
    params = self._unload_params("r", "alpha", "a", "b")
    value = _btyd.mbgnbd_expected_purchases(params, t, frequency, recency, T)
    return _as_lifetimes_output(value, t, frequency, recency, T)


def _pareto_log_a0(params: Any, freq: Any, recency: Any, age: Any) -> Any:
    value = _btyd.pareto_nbd_log_a0(params, freq, recency, age)
    return _as_lifetimes_output(value, freq, recency, age)


def _pareto_p_alive(self: Any, frequency: Any, recency: Any, T: Any) -> Any:  # noqa: N803
    params = self._unload_params("r", "alpha", "s", "beta")
    value = _btyd.pareto_nbd_p_alive(params, frequency, recency, T)
    return _as_lifetimes_output(value, frequency, recency, T)


def _pareto_expected(self: Any, t: Any, frequency: Any, recency: Any, T: Any) -> Any:  # noqa: N803
    params = self._unload_params("r", "alpha", "s", "beta")
    value = _btyd.pareto_nbd_expected_purchases(params, t, frequency, recency, T)
    return _as_lifetimes_output(value, t, frequency, recency, T)


# (fitter class, attribute, replacement, wrap as staticmethod)
_METHOD_PATCHES: tuple[tuple[str, str, Callable[..., Any], bool], ...] = (
    ("BetaGeoFitter", "conditional_probability_alive", _bgnbd_p_alive, False),
    (
        "BetaGeoFitter",
        "conditional_expected_number_of_purchases_up_to_time",
        _bgnbd_expected,
        False,
    ),
    ("ModifiedBetaGeoFitter", "conditional_probability_alive", _mbgnbd_p_alive, False),
    (
        "ModifiedBetaGeoFitter",
        "conditional_expected_number_of_purchases_up_to_time",
        _mbgnbd_expected,
        False,
    ),
    ("ParetoNBDFitter", "_log_A_0", _pareto_log_a0, True),
    ("ParetoNBDFitter", "conditional_probability_alive", _pareto_p_alive, False),
    (
        "ParetoNBDFitter",
        "conditional_expected_number_of_purchases_up_to_time",
        _pareto_expected,
        False,
    ),
)


# ------------------------------------------------------------------------ patching

_PATCHES: tuple[tuple[str, str, Callable[..., Any]], ...] = (
    ("lifetimes.utils", "calibration_and_holdout_data", calibration_and_holdout_data),
    ("lifetimes.utils", "calculate_alive_path", calculate_alive_path),
    # lifetimes.plotting imported calculate_alive_path by name
    ("lifetimes.plotting", "calculate_alive_path", calculate_alive_path),
    ("lifetimes.plotting", "plot_history_alive", plot_history_alive),
    ("lifetimes.plotting", "plot_expected_repeat_purchases", plot_expected_repeat_purchases),
    (
        "lifetimes.generate_data",
        "beta_geometric_nbd_model_transactional_data",
        beta_geometric_nbd_model_transactional_data,
    ),
)


def patch_lifetimes() -> types.ModuleType:
    """Install the fixed helpers into lifetimes' own modules; safe to call twice.

    After this, code written against lifetimes' documentation works as is.
    What it replaces (each by the function of the same name in this module):

    * ``lifetimes.utils.calibration_and_holdout_data``
    * ``lifetimes.utils.calculate_alive_path`` and its copy in
      ``lifetimes.plotting`` (imported there by name)
    * ``lifetimes.plotting.plot_history_alive``
    * ``lifetimes.plotting.plot_expected_repeat_purchases``
    * ``lifetimes.generate_data.beta_geometric_nbd_model_transactional_data``
      (it also gains ``random_state``)
    * ``lifetimes.datasets``, only if the original cannot be imported (no
      ``pkg_resources``): a module with the same loaders is put in
      ``sys.modules``, so ``from lifetimes.datasets import ...`` works.
    * ``conditional_probability_alive`` and
      ``conditional_expected_number_of_purchases_up_to_time`` of
      ``BetaGeoFitter``, ``ModifiedBetaGeoFitter`` and ``ParetoNBDFitter``,
      and ``ParetoNBDFitter._log_A_0`` (used by its likelihood): the same
      formulas in log space (:mod:`crm_lessons.btyd`), so the heaviest
      buyers no longer get NaN. Same values elsewhere (to ~1e-12), same
      return types, lifetimes' docstrings.

    Nothing else in lifetimes is changed: the fitting, the CLV helpers and the
    other plots work unchanged (see the module docstring).
    :func:`original_method` gives lifetimes' own methods back.

    Returns
    -------
    types.ModuleType
        The ``lifetimes`` package, imported with :func:`import_lifetimes`.

    Examples
    --------
    >>> lt = patch_lifetimes()
    >>> lt.plotting.plot_history_alive is plot_history_alive
    True
    >>> patch_lifetimes() is lt
    True
    """
    lt = import_lifetimes()
    for module_name, attribute, fixed in _PATCHES:
        module = sys.modules[module_name]
        current = getattr(module, attribute)
        _ORIGINALS.setdefault((module_name, attribute), current)
        setattr(module, attribute, fixed)
    for class_name, attribute, fixed, static in _METHOD_PATCHES:
        cls = getattr(lt, class_name)
        _ORIGINALS.setdefault((class_name, attribute), cls.__dict__[attribute])
        fixed.__doc__ = _ORIGINALS[(class_name, attribute)].__doc__  # lifetimes' meaning
        setattr(cls, attribute, staticmethod(fixed) if static else fixed)

    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"pkg_resources is deprecated")
            datasets = importlib.import_module("lifetimes.datasets")
    except ImportError:
        datasets = _datasets_module()
        sys.modules["lifetimes.datasets"] = datasets
    lt.datasets = datasets
    return lt


def _original(module_name: str, attribute: str) -> Any:
    """Return lifetimes' own object, whether or not :func:`patch_lifetimes` ran."""
    import_lifetimes()
    return _ORIGINALS.get((module_name, attribute), getattr(sys.modules[module_name], attribute))


def original_method(class_name: str, attribute: str) -> Any:
    """Return lifetimes' own (unpatched) method of a fitter class.

    Used by the tests to show what lifetimes computes without the stable
    formulas, whether or not :func:`patch_lifetimes` ran.

    Parameters
    ----------
    class_name : str
        E.g. ``"ParetoNBDFitter"``.
    attribute : str
        E.g. ``"conditional_probability_alive"``.

    Returns
    -------
    callable
        A plain function (static methods are unwrapped); call it with the
        fitter as first argument unless it was a static method.

    Examples
    --------
    >>> f = original_method("ParetoNBDFitter", "_log_A_0")
    >>> f.__name__
    '_log_A_0'
    """
    lt = import_lifetimes()
    known = {(c, a) for c, a, _, _ in _METHOD_PATCHES}
    if (class_name, attribute) not in known:
        raise ValueError(f"({class_name!r}, {attribute!r}) is not patched; valid: {sorted(known)}")
    value = _ORIGINALS.get((class_name, attribute), getattr(lt, class_name).__dict__[attribute])
    return value.__func__ if isinstance(value, staticmethod) else value
