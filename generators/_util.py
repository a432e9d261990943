"""Small shared helpers of the generator: random state, ids, money, calendar, dtypes.

Everything here is vectorised: no Python loop runs once per customer or per order.

Examples
--------
>>> import numpy as np
>>> make_ids("C", np.array([0, 7, 41]), width=4).tolist()
['C0001', 'C0008', 'C0042']
>>> round_money(np.array([1.234, 5.678]), 1).tolist()
[1.2, 5.7]
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from crm_lessons import schema

__all__ = [
    "Calendar",
    "id_strings",
    "join_strings",
    "take_strings",
    "check_random_state",
    "finalize",
    "group_offsets",
    "make_ids",
    "nice_price",
    "round_money",
    "to_datetime",
]


def check_random_state(random_state: Any) -> np.random.Generator:
    """Turn ``None``, an int or a Generator into one :class:`numpy.random.Generator`.

    Parameters
    ----------
    random_state : None, int or numpy.random.Generator
        Seed or generator.

    Returns
    -------
    numpy.random.Generator

    Examples
    --------
    >>> check_random_state(1).integers(10)
    np.int64(4)
    >>> check_random_state("x")
    Traceback (most recent call last):
    ...
    ValueError: random_state='x' is not valid; use None, a non-negative int or a numpy.random.Generator
    """
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None or (
        isinstance(random_state, numbers.Integral)
        and not isinstance(random_state, bool)
        and random_state >= 0
    ):
        return np.random.default_rng(random_state)
    raise ValueError(
        f"random_state={random_state!r} is not valid; use None, a non-negative int "
        "or a numpy.random.Generator"
    )


def make_ids(prefix: str, numbers_: np.ndarray, width: int | None = None) -> np.ndarray:
    """Format ``numbers_ + 1`` as zero-padded ids with a prefix, without a Python loop.

    Parameters
    ----------
    prefix : str
        Text in front of the number, e.g. ``"C"``.
    numbers_ : numpy.ndarray of int
        Zero-based numbers; the id shows ``number + 1``.
    width : int, optional
        Number of digits; by default just enough for the largest number.

    Returns
    -------
    numpy.ndarray of str

    Examples
    --------
    >>> make_ids("O", np.arange(3)).tolist()
    ['O1', 'O2', 'O3']
    """
    x = np.asarray(numbers_, dtype=np.int64) + 1
    if width is None:
        width = len(str(int(x.max()))) if len(x) else 1
    n_pre = len(prefix)
    codes = np.empty((len(x), n_pre + width), dtype=np.uint32)
    for i, ch in enumerate(prefix):
        codes[:, i] = ord(ch)
    y = x.copy()
    for j in range(n_pre + width - 1, n_pre - 1, -1):
        q = y // 10
        codes[:, j] = y - q * 10 + 48
        y = q
    return codes.view(f"<U{n_pre + width}").ravel()


def id_strings(prefix: str, numbers_: np.ndarray, width: int) -> pd.Series:
    """Zero-padded ids ``prefix + (number + 1)`` as a pandas ``string`` Series, built in Arrow.

    Examples
    --------
    >>> id_strings("O", np.array([0, 41]), 4).tolist()
    ['O0001', 'O0042']
    """
    x = np.asarray(numbers_, dtype=np.int64) + 1
    n, k = len(x), len(prefix) + width
    codes = np.empty((n, k), dtype=np.uint8)  # ASCII bytes, one fixed-width row per id
    codes[:, : len(prefix)] = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    y = x.astype(np.uint32) if n and x.max() < 2**32 else x
    for j in range(k - 1, len(prefix) - 1, -1):  # one pass per digit, right to left
        q = y // 10
        codes[:, j] = y - q * 10 + 48
        y = q
    offsets = np.arange(n + 1, dtype=np.int64) * k
    arr = pa.LargeStringArray.from_buffers(
        n, pa.py_buffer(offsets.tobytes()), pa.py_buffer(codes.tobytes())
    )
    return _series(arr)


def take_strings(values: Any, index: np.ndarray, missing: np.ndarray | None = None) -> pd.Series:
    """``values[index]`` as a pandas ``string`` Series (missing where ``missing`` is True).

    Much faster than building millions of Python strings: the few distinct
    values are stored once and gathered in Arrow.

    Examples
    --------
    >>> take_strings(["store", "app"], np.array([1, 0, 1]), np.array([False, False, True])).tolist()
    ['app', 'store', <NA>]
    """
    uniq = values if isinstance(values, pa.Array) else pa.array(np.asarray(values).astype(str))
    idx = pa.array(np.asarray(index, dtype=np.int64), mask=missing)
    return _series(uniq.take(idx))


def join_strings(*parts: Any) -> pd.Series:
    """Concatenate string Series / Arrow arrays / scalars element-wise.

    Examples
    --------
    >>> join_strings(pd.Series(["a", "b"], dtype="string"), "@", "x.com").tolist()
    ['a@x.com', 'b@x.com']
    """
    ls = pa.large_string()
    arrs = []
    for p in parts:
        if isinstance(p, str):
            arrs.append(pa.scalar(p, type=ls))
            continue
        if isinstance(p, pd.Series):
            p = pa.array(p.array)
        if isinstance(p, pa.ChunkedArray):
            p = p.combine_chunks()
        arrs.append(p.cast(ls))
    return _series(pc.binary_join_element_wise(*arrs, pa.scalar("", type=ls)))


def _series(arr: Any) -> pd.Series:
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return pd.Series(pd.arrays.ArrowStringArray(arr.cast(pa.large_string())))


def round_money(x: np.ndarray, decimals: int) -> np.ndarray:
    """Round amounts to the currency's smallest unit used in the data.

    Parameters
    ----------
    x : numpy.ndarray
        Amounts.
    decimals : int
        Decimal places kept (0 for TWD, 2 for USD ...).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> round_money(np.array([149.6, 150.4]), 0).tolist()
    [150.0, 150.0]
    """
    return np.round(np.asarray(x, dtype=float), decimals) + 0.0


def nice_price(x: np.ndarray, currency: str) -> np.ndarray:
    """Round raw prices to price points that look local (NT$125, ¥12.9, $4.25, $64.99).

    Parameters
    ----------
    x : numpy.ndarray
        Raw prices in the local currency.
    currency : {"USD", "TWD", "CNY"}
        Currency.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> nice_price(np.array([121.0, 1234.0]), "TWD").tolist()
    [120.0, 1230.0]
    >>> nice_price(np.array([4.3, 64.2]), "USD").tolist()
    [4.25, 63.99]
    >>> nice_price(np.array([13.2, 420.0]), "CNY").tolist()
    [12.9, 419.0]
    """
    x = np.asarray(x, dtype=float)
    if currency == "TWD":
        step = np.where(x < 1000, 5.0, np.where(x < 10000, 10.0, 100.0))
        return np.maximum(np.round(x / step) * step, step)
    if currency == "CNY":
        return np.where(x < 100, np.maximum(np.round(x), 1.0) - 0.1, np.round(x / 10) * 10 - 1)
    # USD: quarters below $10, .99 endings up to $1,000, whole tens beyond
    return np.where(
        x < 10,
        np.maximum(np.round(x * 4) / 4, 0.25),
        np.where(x < 1000, np.round(x) - 0.01, np.round(x / 10) * 10),
    )


def group_offsets(counts: np.ndarray) -> np.ndarray:
    """Start index of each group in a flat array whose groups have ``counts`` rows.

    Examples
    --------
    >>> group_offsets(np.array([2, 0, 3])).tolist()
    [0, 2, 2]
    """
    counts = np.asarray(counts, dtype=np.int64)
    out = np.zeros(len(counts), dtype=np.int64)
    if len(counts) > 1:
        np.cumsum(counts[:-1], out=out[1:])
    return out


def to_datetime(start: pd.Timestamp, days: np.ndarray) -> np.ndarray:
    """Convert fractional days since ``start`` to ``datetime64[ns]``, rounded to the second.

    Examples
    --------
    >>> to_datetime(pd.Timestamp("2024-01-01"), np.array([0.5]))[0]
    np.datetime64('2024-01-01T12:00:00.000000000')
    """
    secs = np.round(np.asarray(days, dtype=float) * 86400.0)
    base = np.datetime64(pd.Timestamp(start).to_datetime64(), "s").astype(np.int64)
    ok = np.isfinite(secs)
    # whole seconds since the epoch, then nanoseconds, in one int64 array (no extra copies)
    secs[~ok] = 0.0
    ns = secs.astype(np.int64)
    del secs
    ns += base
    ns *= 1_000_000_000
    out = ns.view("datetime64[ns]")
    out[~ok] = np.datetime64("NaT")
    return out


class Calendar:
    """The observation window with mild weekly and yearly seasonality.

    Time inside the generator is measured in days since ``start`` (floats).
    Purchases follow a Poisson process whose clock runs faster on busy days:
    ``op(t)`` ("operational time", in weeks) is the integral of the seasonal
    intensity, normalised so that over the window it equals calendar weeks.
    With ``seasonality=False`` operational time is just calendar weeks.

    Parameters
    ----------
    start, end : pandas.Timestamp
        First and last day of the window (``end`` inclusive).
    weekday : sequence of 7 float or None
        Relative busyness Monday ... Sunday.
    yearly_amplitude : float
        Amplitude of a yearly cosine (0.1 = +/-10 %).
    yearly_peak_doy : int
        Day of year of the yearly peak.
    seasonality : bool
        Switch both seasonal patterns off when False.

    Examples
    --------
    >>> cal = Calendar(pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-14"), seasonality=False)
    >>> cal.n_days, float(cal.op(np.array([7.0]))[0]), float(cal.inv(np.array([1.0]))[0])
    (14, 1.0, 7.0)
    """

    def __init__(
        self,
        start: pd.Timestamp,
        end: pd.Timestamp,
        *,
        weekday: Any = None,
        yearly_amplitude: float = 0.0,
        yearly_peak_doy: int = 1,
        seasonality: bool = True,
    ) -> None:
        self.start = pd.Timestamp(start)
        self.end = pd.Timestamp(end)
        self.n_days = int((self.end - self.start).days) + 1
        days = pd.date_range(self.start, periods=self.n_days, freq="D")
        w = np.ones(self.n_days)
        if seasonality:
            if weekday is not None:
                w = w * np.asarray(weekday, dtype=float)[days.day_of_week.to_numpy()]
            doy = days.day_of_year.to_numpy()
            w = w * (1 + yearly_amplitude * np.cos(2 * np.pi * (doy - yearly_peak_doy) / 365.25))
        self.day_weight = w / w.mean()
        self.grid_days = np.arange(self.n_days + 1, dtype=float)
        self.grid_op = np.concatenate([[0.0], np.cumsum(self.day_weight)]) / 7.0

    @property
    def weeks(self) -> float:
        """Length of the window in weeks."""
        return self.n_days / 7.0

    def op(self, days: np.ndarray) -> np.ndarray:
        """Operational time (weeks) at calendar time ``days``."""
        return np.interp(days, self.grid_days, self.grid_op)

    def inv(self, op: np.ndarray) -> np.ndarray:
        """Calendar time (days) at operational time ``op`` (weeks)."""
        return np.interp(op, self.grid_op, self.grid_days)

    def sample_days(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """Draw ``n`` times (days) with density proportional to the seasonal intensity."""
        return self.inv(rng.uniform(0.0, self.grid_op[-1], size=n))


def finalize(table: str, df: Any) -> pd.DataFrame:
    """Give a generated table the course dtypes and column order (schema columns first).

    ``df`` is a DataFrame or a dict of columns (arrays or Series); columns not
    in :mod:`crm_lessons.schema` keep their dtype and follow the schema
    columns in the order given. Columns are converted without extra copies
    where possible, which matters for worlds with millions of rows.

    Examples
    --------
    >>> df = finalize("products", pd.DataFrame({"unit_cost": [1.0], "product_id": ["P1"],
    ...     "product_name": ["x"], "category": ["c"], "price_tier": ["entry"], "unit_price": [2.0]}))
    >>> df.columns.tolist()[:2], str(df["product_id"].dtype)
    (['product_id', 'product_name'], 'string')
    """
    cols = dict(df) if isinstance(df, dict) else {c: df[c] for c in df.columns}
    spec = schema.TABLES.get(table, {})
    missing = [c for c in spec if c not in cols and spec[c].required]
    if missing:
        raise ValueError(f"table {table!r} lacks schema columns {missing}")
    order = [c for c in spec if c in cols] + [c for c in cols if c not in spec]
    out = {}
    for col in order:
        v = cols.pop(col)
        if col in spec:
            dtype = spec[col].dtype
            if dtype.startswith("datetime"):
                v = pd.Series(v).astype("datetime64[ns]").to_numpy()
            elif str(getattr(v, "dtype", "")) != dtype:
                v = pd.array(
                    np.asarray(v) if not isinstance(v, pd.Series) else v.array, dtype=dtype
                )
        if isinstance(v, pd.Series):
            v = v.array
        out[col] = v
    return pd.DataFrame(out, copy=False)
