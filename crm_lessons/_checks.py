"""Argument checks and small tables shared by every topic module.

One place for the messages a learner sees when an input is wrong, so they read
the same everywhere: the argument, the bad value, and what would be valid.

Examples
--------
>>> import pandas as pd
>>> require_columns(pd.DataFrame({"customer_id": [1], "amount": [2.0]}), ["amout"], "orders")
Traceback (most recent call last):
...
ValueError: orders lacks column(s) ['amout'] (did you mean 'amount'?); it has ['customer_id', 'amount']. Pass your own column names with the keyword arguments.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pandas as pd

__all__ = [
    "as_timestamp",
    "glossary_frame",
    "make_glossary",
    "require_columns",
    "require_dataframe",
]


def require_dataframe(df: Any, arg: str) -> None:
    """Raise TypeError unless ``df`` is a DataFrame; ``arg`` names the argument.

    Examples
    --------
    >>> require_dataframe([1, 2], "orders")
    Traceback (most recent call last):
    ...
    TypeError: orders must be a pandas DataFrame, got list
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{arg} must be a pandas DataFrame, got {type(df).__name__}")


def require_columns(df: Any, cols: Iterable[str], arg: str) -> None:
    """Raise unless ``df`` is a DataFrame holding every column in ``cols``.

    The message names the missing columns, suggests the closest existing
    names and lists the columns the frame has.

    Parameters
    ----------
    df : object
        The argument to check.
    cols : iterable of str
        Columns that must be present.
    arg : str
        The argument's name, used in the message.

    Raises
    ------
    TypeError
        ``df`` is not a DataFrame.
    ValueError
        A column is missing.
    """
    require_dataframe(df, arg)
    missing = [c for c in cols if c not in df.columns]
    if not missing:
        return
    have = [str(c) for c in df.columns]
    hints = []
    for col in missing:
        close = difflib.get_close_matches(str(col), have, n=2, cutoff=0.6)
        if close:
            hints.append(" or ".join(repr(c) for c in close))
    hint = f" (did you mean {', '.join(hints)}?)" if hints else ""
    raise ValueError(
        f"{arg} lacks column(s) {missing}{hint}; it has {list(df.columns)}. "
        "Pass your own column names with the keyword arguments."
    )


def glossary_frame(entries: Sequence[tuple[str, str, str]]) -> pd.DataFrame:
    """Return (English, Traditional, Simplified) term triples as a table.

    Examples
    --------
    >>> glossary_frame([("churn", "流失", "流失")]).columns.tolist()
    ['English', '繁體中文', '简体中文']
    """
    return pd.DataFrame(list(entries), columns=["English", "繁體中文", "简体中文"])


def make_glossary(entries: Sequence[tuple[str, str, str]]) -> Callable[[], pd.DataFrame]:
    """Return a module's ``glossary()`` function for its vocabulary ``entries``.

    Examples
    --------
    >>> glossary = make_glossary([("churn", "流失", "流失")])
    >>> glossary().iloc[0].tolist()
    ['churn', '流失', '流失']
    """

    def glossary() -> pd.DataFrame:
        """Return the lesson's vocabulary as a table.

        Returns
        -------
        pandas.DataFrame
            Columns ``English``, ``繁體中文``, ``简体中文``, one row per term.
        """
        return glossary_frame(entries)

    return glossary


def as_timestamp(value: Any, arg: str) -> pd.Timestamp:
    """Turn a date-like argument into a Timestamp, or raise naming the argument.

    Examples
    --------
    >>> as_timestamp("2024-03-31", "as_of")
    Timestamp('2024-03-31 00:00:00')
    >>> as_timestamp("soon", "as_of")
    Traceback (most recent call last):
    ...
    ValueError: as_of='soon' is not a date; pass e.g. '2024-12-31'
    """
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{arg}={value!r} is not a date; pass e.g. '2024-12-31'") from err
    if pd.isna(ts):
        raise ValueError(f"{arg}={value!r} is not a date; pass e.g. '2024-12-31'")
    return ts
