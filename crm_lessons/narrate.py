"""Sentences written from the numbers: prose that cannot drift from its data.

Every sentence of a lesson that states a number, a direction (rises, falls,
higher, lower) or a verdict (a detectable difference, pays back) is produced
here from the computed values, so when the data change the words change with
them, and strict nbval re-checks the rendered text on every test run.

:func:`say` renders a Markdown template with the values and shows it in the
notebook as Markdown; the word choices come from :func:`direction`,
:func:`verdict` and :func:`compare`, which pick the word from the value or the
interval, never from the author.

Taught in: every lesson (the generated paragraphs); see ``notebooks/00_start_here``.

Examples
--------
>>> say("New customers {d} from {a:,} to {b:,}.", d=direction(90 - 120), a=120, b=90)
New customers fell from 120 to 90.
>>> verdict(-6.1, -2.9, higher="higher", lower="lower")
'lower'
>>> verdict(-1.0, 2.0)
'no detectable difference'
"""

from __future__ import annotations

import math
import re
from typing import Any

__all__ = ["Sentence", "compare", "direction", "say", "verdict"]


class Sentence(str):
    """A generated Markdown sentence or paragraph.

    It is a ``str`` (so it can be tested and combined like one) that a notebook
    shows as rendered Markdown; its plain-text form is the same text, so strict
    nbval compares the words themselves.
    """

    def _repr_markdown_(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return str(self)


def say(template: str, /, **values: Any) -> Sentence:
    r"""Render a Markdown ``template`` with ``values`` (``str.format`` syntax).

    Parameters
    ----------
    template : str
        Markdown text with ``{name}`` / ``{name:format}`` fields.
    **values
        The computed numbers and the words chosen by :func:`direction`,
        :func:`verdict` or :func:`compare`.

    Returns
    -------
    Sentence
        Shown as Markdown when it is the last expression of a cell.

    Raises
    ------
    ValueError
        When a field of the template has no value (the message names it).

    Examples
    --------
    >>> say("The top 20 % bring **{share:.0%}** of the spend.", share=0.6123)
    The top 20 % bring **61%** of the spend.

    Money passed as text is escaped so that Markdown does not read it as maths:

    >>> say("A visit brings {m} of margin.", m="NT$120")
    A visit brings NT\$120 of margin.
    """
    values = {k: _escape_dollar(v) if isinstance(v, str) else v for k, v in values.items()}
    try:
        return Sentence(template.format(**values))
    except KeyError as err:
        raise ValueError(
            f"argument template: field {err.args[0]!r} has no value; "
            f"expected one of {sorted(values)}"
        ) from None


def _escape_dollar(text: str) -> str:
    # Money such as "NT$1,200" from fmt_money would render as maths in Markdown.
    return re.sub(r"(?<!\\)\$", r"\\$", text)


def _finite(x: Any, arg: str) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise TypeError(f"argument {arg}: got {x!r}; expected a number") from None
    if math.isnan(v):
        raise ValueError(f"argument {arg}: got NaN; expected a number")
    return v


def direction(
    change: float,
    *,
    up: str = "rose",
    down: str = "fell",
    flat: str = "stayed level",
    tol: float = 0.0,
) -> str:
    """Return the word for the sign of ``change``.

    Parameters
    ----------
    change : float
        New minus old (or any signed quantity).
    up, down, flat : str
        The words for a positive, negative and (within ``tol``) zero change.
    tol : float, default 0.0
        Changes with ``abs(change) <= tol`` count as flat.

    Returns
    -------
    str

    Examples
    --------
    >>> direction(3), direction(-0.2, up="more", down="fewer"), direction(0.01, tol=0.05)
    ('rose', 'fewer', 'stayed level')
    """
    v = _finite(change, "change")
    if abs(v) <= tol:
        return flat
    return up if v > 0 else down


def compare(
    a: float,
    b: float,
    *,
    higher: str = "higher than",
    lower: str = "lower than",
    same: str = "the same as",
    tol: float = 0.0,
) -> str:
    """Return the word that compares ``a`` with ``b``.

    Examples
    --------
    >>> compare(5, 3), compare(2, 3, lower="below"), compare(1.0, 1.0)
    ('higher than', 'below', 'the same as')
    """
    return direction(_finite(a, "a") - _finite(b, "b"), up=higher, down=lower, flat=same, tol=tol)


def verdict(
    ci_low: float,
    ci_high: float,
    *,
    higher: str = "a detectable increase",
    lower: str = "a detectable decrease",
    none: str = "no detectable difference",
    null: float = 0.0,
) -> str:
    """Return the verdict an interval supports about a difference.

    The interval decides, not the point estimate: above ``null`` entirely is
    ``higher``, below entirely is ``lower``, straddling it is ``none``.

    Parameters
    ----------
    ci_low, ci_high : float
        The interval's ends.
    higher, lower, none : str
        The words for each verdict.
    null : float, default 0.0
        The value meaning "no difference" (1.0 for a ratio).

    Returns
    -------
    str

    Raises
    ------
    ValueError
        When ``ci_low > ci_high``.

    Examples
    --------
    >>> verdict(0.4, 2.1), verdict(0.8, 1.3, null=1.0)
    ('a detectable increase', 'no detectable difference')
    """
    lo, hi = _finite(ci_low, "ci_low"), _finite(ci_high, "ci_high")
    if lo > hi:
        raise ValueError(f"argument ci_low: got {lo} > ci_high={hi}; expected ci_low <= ci_high")
    if lo > null:
        return higher
    if hi < null:
        return lower
    return none
