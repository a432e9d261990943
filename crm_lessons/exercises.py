"""Self-checks for the exercises in the lessons.

An exercise in a lesson has three cells: the learner's answer (pre-filled with
``None``), a call to :func:`check` that gives instant feedback, and a hidden
solution cell. The expected value is always *computed* in the notebook from the
data, so exercise and solution can never drift apart.

:func:`check` prints one line and returns a :class:`CheckResult`, whose
``status`` is ``"correct"``, ``"wrong"`` or ``"unanswered"``.

Examples
--------
>>> r = check(None, 42, name="Ex 1")
Ex 1: not answered yet. Replace None with your answer and run the cell again.
>>> r = check(41.9, 42, name="Ex 1", rtol=0.01)
Ex 1: correct!
>>> r = check(30, 42, name="Ex 1", hint="Count repeat purchases only.")
Ex 1: not quite. Hint: Count repeat purchases only.
>>> r.status
'wrong'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["CheckResult", "check", "check_choice"]

_CORRECT = "correct"
_WRONG = "wrong"
_UNANSWERED = "unanswered"


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one self-check.

    Attributes
    ----------
    name : str
        The exercise's name.
    status : str
        ``"correct"``, ``"wrong"`` or ``"unanswered"``.
    message : str
        The line shown to the learner.
    """

    name: str
    status: str
    message: str

    @property
    def correct(self) -> bool:
        """True when the answer was right."""
        return self.status == _CORRECT

    def __bool__(self) -> bool:
        return self.correct

    def _ipython_display_(self) -> None:
        # The feedback line is already printed; show nothing more in a notebook.
        return None


def _is_unanswered(answer: Any) -> bool:
    if answer is None or answer is Ellipsis:
        return True
    if isinstance(answer, float) and math.isnan(answer):
        return True
    return isinstance(answer, str) and answer.strip() in {"", "?", "..."}


def _norm_text(x: Any) -> str:
    return " ".join(str(x).strip().casefold().split())


def _close(a: Any, b: Any, rtol: float, atol: float) -> bool:
    try:
        return bool(np.isclose(float(a), float(b), rtol=rtol, atol=atol))
    except (TypeError, ValueError):
        return False


def _equal(answer: Any, expected: Any, rtol: float, atol: float, ordered: bool) -> bool:
    if isinstance(expected, pd.DataFrame | pd.Series):
        if not isinstance(answer, type(expected)):
            return False
        try:
            kwargs = {"check_dtype": False, "rtol": rtol, "atol": atol}
            if isinstance(expected, pd.DataFrame):
                pd.testing.assert_frame_equal(answer, expected, check_like=not ordered, **kwargs)
            else:
                pd.testing.assert_series_equal(answer, expected, check_names=False, **kwargs)
        except (AssertionError, TypeError, ValueError):
            return False
        return True
    if isinstance(expected, bool | np.bool_):
        return isinstance(answer, bool | np.bool_) and bool(answer) == bool(expected)
    if isinstance(expected, int | float | np.integer | np.floating):
        return not isinstance(answer, bool | str) and _close(answer, expected, rtol, atol)
    if isinstance(expected, str):
        return _norm_text(answer) == _norm_text(expected)
    if isinstance(expected, Mapping):
        if not isinstance(answer, Mapping) or set(answer) != set(expected):
            return False
        return all(_equal(answer[k], expected[k], rtol, atol, ordered) for k in expected)
    if isinstance(expected, Iterable):
        if isinstance(answer, str) or not isinstance(answer, Iterable):
            return False
        a, e = list(answer), list(expected)
        if len(a) != len(e):
            return False
        if not ordered:
            key = _norm_text
            a, e = sorted(a, key=key), sorted(e, key=key)
        return all(_equal(x, y, rtol, atol, ordered) for x, y in zip(a, e, strict=True))
    return bool(answer == expected)


def check(
    answer: Any,
    expected: Any,
    *,
    name: str = "Exercise",
    hint: str | None = None,
    rtol: float = 1e-3,
    atol: float = 0.0,
    ordered: bool = True,
    quiet: bool = False,
) -> CheckResult:
    """Compare a learner's answer with the expected one and say how it went.

    Numbers are compared with a relative tolerance, text ignoring case and
    extra spaces, lists element by element (in any order when
    ``ordered=False``), dicts key by key, pandas objects with
    :func:`pandas.testing.assert_frame_equal` at the same tolerance.

    Parameters
    ----------
    answer : object
        The learner's answer. ``None``, ``...``, ``""`` or NaN mean "not
        answered yet".
    expected : object
        The right answer, computed in the notebook.
    name : str, default "Exercise"
        Shown at the start of the feedback line.
    hint : str, optional
        Shown when the answer is wrong.
    rtol, atol : float
        Relative and absolute tolerance for numbers.
    ordered : bool, default True
        Whether the order of list items (or DataFrame columns) matters.
    quiet : bool, default False
        Do not print; only return the result.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> check(["B", "a"], ["a", "b"], ordered=False, name="Ex 2").status
    Ex 2: correct!
    'correct'
    >>> check(0.3333, 1 / 3, rtol=0.01, quiet=True).correct
    True
    """
    if _is_unanswered(answer):
        status = _UNANSWERED
        msg = f"{name}: not answered yet. Replace None with your answer and run the cell again."
    elif _equal(answer, expected, rtol, atol, ordered):
        status, msg = _CORRECT, f"{name}: correct!"
    else:
        status = _WRONG
        msg = f"{name}: not quite." + (f" Hint: {hint}" if hint else " Try again.")
    if not quiet:
        print(msg)
    return CheckResult(name, status, msg)


def check_choice(
    answer: Any,
    expected: str,
    choices: Mapping[str, str],
    *,
    name: str = "Exercise",
    hints: Mapping[str, str] | None = None,
    quiet: bool = False,
) -> CheckResult:
    """Check a multiple-choice answer given as the letter (or key) of a choice.

    Parameters
    ----------
    answer : str or None
        The learner's choice, e.g. ``"b"``.
    expected : str
        The key of the right choice.
    choices : mapping of str to str
        Every valid key and its text; an answer that is not a key is reported
        with the valid keys.
    name : str, default "Exercise"
        Shown at the start of the feedback line.
    hints : mapping of str to str, optional
        A hint per wrong choice, explaining why it is wrong.
    quiet : bool, default False
        Do not print; only return the result.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> opts = {"a": "a database", "b": "strategy + process + technology"}
    >>> _ = check_choice("a", "b", opts, hints={"a": "A database only stores."})
    Exercise: not quite. Hint: A database only stores.
    >>> _ = check_choice("z", "b", opts)
    Exercise: 'z' is not one of the choices: a, b.
    """
    if expected not in choices:
        raise ValueError(f"expected={expected!r} is not a key of choices: {', '.join(choices)}")
    if _is_unanswered(answer):
        return check(None, expected, name=name, quiet=quiet)
    key = str(answer).strip().lower()
    if key not in choices:
        msg = f"{name}: {answer!r} is not one of the choices: {', '.join(choices)}."
        if not quiet:
            print(msg)
        return CheckResult(name, _WRONG, msg)
    hint = (hints or {}).get(key)
    return check(key, expected, name=name, hint=hint, quiet=quiet)
