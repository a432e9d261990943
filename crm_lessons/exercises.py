"""Self-checks for the exercises in the lessons.

An exercise in a lesson has four cells: the learner's answer (pre-filled with
``None``), a call to :func:`check` (or :func:`check_choice`) that gives instant
feedback, a hidden *answer-key* cell and a hidden *solution* cell. The
answer-key cell (tag ``answer-key``) computes the expected value from the data
and passes it to :func:`answer_key`; the course build stores it in
``crm_lessons/answer_keys/NN.json`` and every test run checks the stored value
is still what the data give. The learner's check cell only names the key
(``check(answer_1, key="03.1")``), so no code visible in the learner edition
computes the answer, and exercise, answer key and solution never drift apart.

:func:`check` prints one line and returns a :class:`CheckResult`, whose
``status`` is ``"correct"``, ``"wrong"`` or ``"unanswered"``. It is fair about
mechanical slips: a number typed at the precision the lesson displays
(``decimals=``) is accepted; a percent given for a share, a one-value Series
given for a number, or NaN coming out of the learner's code are named as such.

Taught in: every lesson (exercises); introduced in ``notebooks/00_start_here``.

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
>>> _ = check(72, 0.7234, name="Ex 2", decimals=2)
Ex 2: not quite: 72 looks like a percent; give the share as a number between 0 and 1 (72 % is 0.72).
>>> _ = check(0.72, 0.7234, name="Ex 2", decimals=2)
Ex 2: correct!
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["CheckResult", "answer_key", "check", "check_choice", "stored_answer"]

_CORRECT = "correct"
_WRONG = "wrong"
_UNANSWERED = "unanswered"
_MISSING = object()

#: Folder of the stored expected answers, one JSON file per notebook.
ANSWER_KEYS = Path(__file__).resolve().parent / "answer_keys"
#: Set this environment variable to ``1`` to (re)write answer keys; the course
#: build does. Without it, :func:`answer_key` verifies the stored value.
RECORD_ENV = "CRM_RECORD_ANSWERS"


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


# --------------------------------------------------------------------------- answer keys


def _key_file(key: str) -> Path:
    if not isinstance(key, str) or "." not in key or not key.split(".", 1)[0]:
        raise ValueError(
            f"argument key: got {key!r}; expected 'NN.name' where NN is the notebook's number, "
            "e.g. '03.1'"
        )
    return ANSWER_KEYS / f"{key.split('.', 1)[0]}.json"


def _to_json(value: Any) -> Any:
    if isinstance(value, pd.DataFrame):
        split = value.to_dict(orient="split")
        return {
            "__frame__": {
                "index": _to_json(list(split["index"])),
                "columns": _to_json(list(split["columns"])),
                "data": _to_json(split["data"]),
            }
        }
    if isinstance(value, pd.Series):
        return {
            "__series__": {
                "index": _to_json(list(value.index)),
                "values": _to_json(list(value.to_numpy())),
                "name": _to_json(value.name),
            }
        }
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        v = float(value)
        return None if math.isnan(v) else v
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return {str(k): _to_json(v) for k, v in value.items()}
    if isinstance(value, Iterable):
        return [_to_json(v) for v in value]
    raise TypeError(
        f"argument value: got {type(value).__name__}; expected a number, text, "
        "a list, a dict or a pandas Series/DataFrame"
    )


def _from_json(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"__series__"}:
        s = value["__series__"]
        return pd.Series(s["values"], index=s["index"], name=s["name"])
    if isinstance(value, dict) and set(value) == {"__frame__"}:
        f = value["__frame__"]
        return pd.DataFrame(f["data"], index=f["index"], columns=f["columns"])
    return value


def _read_keys(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def stored_answer(key: str) -> Any:
    """Return the stored expected answer of exercise ``key`` (e.g. ``"03.1"``).

    Raises
    ------
    KeyError
        When no answer is stored under ``key`` (the message says how to store it).

    Examples
    --------
    >>> stored_answer("99.no-such-exercise")
    Traceback (most recent call last):
    ...
    KeyError: "no stored answer for '99.no-such-exercise'; run the course build (make build) ..."
    """
    keys = _read_keys(_key_file(key))
    if key not in keys:
        raise KeyError(
            f"no stored answer for {key!r}; run the course build (make build) so the "
            "answer-key cell stores it"
        )
    return _from_json(keys[key])


def answer_key(key: str, value: Any) -> None:
    """Store (in the course build) or verify (in tests) the expected answer ``key``.

    With the environment variable ``CRM_RECORD_ANSWERS=1`` (set by
    ``python -m crm_lessons.build``) the value is written to
    ``crm_lessons/answer_keys/NN.json``; otherwise it must equal the stored value,
    so a change in the data that moves an answer fails the notebook tests until
    the notebooks are rebuilt.

    Parameters
    ----------
    key : str
        ``"NN.name"``: the notebook's number, a dot, the exercise's name.
    value : object
        The expected answer (number, text, list, dict, Series or DataFrame).

    Raises
    ------
    AssertionError
        When verifying and the stored answer differs from ``value``.
    """
    path = _key_file(key)
    encoded = _to_json(value)
    if os.environ.get(RECORD_ENV) == "1":
        keys = _read_keys(path)
        keys[key] = encoded
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(dict(sorted(keys.items())), ensure_ascii=False, indent=1)
        path.write_text(text + "\n", encoding="utf-8")
        return
    stored = stored_answer(key)
    if not _equal(_from_json(encoded), stored, 1e-9, 1e-12, True):
        raise AssertionError(
            f"the stored answer for {key!r} is {stored!r} but the data now give {value!r}; "
            "rebuild the notebook (make build) to store the new answer"
        )


# --------------------------------------------------------------------------- comparisons


def _is_unanswered(answer: Any) -> bool:
    if answer is None or answer is Ellipsis:
        return True
    return isinstance(answer, str) and answer.strip() in {"", "?", "..."}


def _is_nan(answer: Any) -> bool:
    try:
        return isinstance(answer, float | np.floating) and math.isnan(float(answer))
    except (TypeError, ValueError):
        return False


def _norm_text(x: Any) -> str:
    return " ".join(str(x).strip().casefold().split())


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float | np.integer | np.floating) and not isinstance(
        x, bool | np.bool_
    )


def _close(a: Any, b: Any, rtol: float, atol: float, decimals: int | None = None) -> bool:
    try:
        fa, fb = float(a), float(b)
    except (TypeError, ValueError):
        return False
    if decimals is not None and abs(fa - round(fb, decimals)) <= 0.5 * 10.0**-decimals + 1e-12:
        return True
    return bool(np.isclose(fa, fb, rtol=rtol, atol=atol))


def _equal(
    answer: Any,
    expected: Any,
    rtol: float,
    atol: float,
    ordered: bool,
    decimals: int | None = None,
) -> bool:
    if isinstance(expected, pd.DataFrame | pd.Series):
        if not isinstance(answer, type(expected)):
            return False
        try:
            kwargs = {"check_dtype": False, "rtol": rtol, "atol": atol}
            a, e = answer, expected
            if not e.index.equals(a.index) and [str(i) for i in a.index] == [
                str(i) for i in e.index
            ]:
                a = a.set_axis(e.index)
            if isinstance(expected, pd.DataFrame):
                pd.testing.assert_frame_equal(
                    a, e, check_like=not ordered, check_index_type=False, **kwargs
                )
            else:
                pd.testing.assert_series_equal(
                    a, e, check_names=False, check_index_type=False, **kwargs
                )
        except (AssertionError, TypeError, ValueError):
            return False
        return True
    if isinstance(expected, bool | np.bool_):
        return isinstance(answer, bool | np.bool_) and bool(answer) == bool(expected)
    if _is_number(expected):
        return _is_number(answer) and _close(answer, expected, rtol, atol, decimals)
    if isinstance(expected, str):
        return _norm_text(answer) == _norm_text(expected)
    if isinstance(expected, Mapping):
        if not isinstance(answer, Mapping) or {str(k) for k in answer} != {
            str(k) for k in expected
        }:
            return False
        a = {str(k): v for k, v in answer.items()}
        return all(_equal(a[str(k)], expected[k], rtol, atol, ordered, decimals) for k in expected)
    if isinstance(expected, Iterable):
        if isinstance(answer, str) or not isinstance(answer, Iterable):
            return False
        a, e = list(answer), list(expected)
        if len(a) != len(e):
            return False
        if not ordered:
            key = _norm_text
            a, e = sorted(a, key=key), sorted(e, key=key)
        return all(_equal(x, y, rtol, atol, ordered, decimals) for x, y in zip(a, e, strict=True))
    return bool(answer == expected)


def _diagnose(answer: Any, expected: Any, rtol: float, atol: float, decimals: int | None) -> str:
    """Name a mechanical slip, or return "" when the answer is simply wrong."""
    if _is_number(expected):
        if isinstance(answer, pd.Series | pd.DataFrame | np.ndarray) and np.size(answer) == 1:
            inner = np.asarray(answer).ravel()[0]
            kind = type(answer).__name__
            ok = _close(inner, expected, rtol, atol, decimals)
            return (
                f"your answer is a {kind} holding one value ({inner}); the exercise wants a "
                "plain number: take it out with float(...) or .item()"
                + (" (the value itself is right)" if ok else "")
            )
        if isinstance(answer, str):
            return f"{answer!r} is text; type the number without quotes"
        if _is_number(answer) and 0 < abs(float(expected)) <= 1.0:
            if _close(float(answer) / 100.0, expected, rtol, atol, decimals):
                return (
                    f"{answer} looks like a percent; give the share as a number between 0 and 1 "
                    f"({answer} % is {float(answer) / 100:g})"
                )
        if _is_number(answer) and abs(float(expected)) > 1.0 and 0 < abs(float(answer)) <= 1.0:
            if _close(float(answer) * 100.0, expected, rtol, atol, decimals):
                return (
                    f"{answer} looks like a share; this answer is in percent points "
                    f"({float(answer):g} is {float(answer) * 100:g} %)"
                )
        if _is_number(answer) and decimals is None:
            # right to fewer decimals than asked for
            for d in range(0, 6):
                if float(answer) == round(float(answer), d) and _close(
                    answer, expected, 0.0, 0.0, d
                ):
                    if not _close(answer, expected, rtol, atol):
                        return "close, but not precise enough: keep more decimals (do not round)"
                    break
    return ""


def check(
    answer: Any,
    expected: Any = _MISSING,
    *,
    key: str | None = None,
    name: str = "Exercise",
    hint: str | None = None,
    rtol: float = 1e-3,
    atol: float = 0.0,
    decimals: int | None = None,
    ordered: bool = True,
    quiet: bool = False,
) -> CheckResult:
    """Compare a learner's answer with the expected one and say how it went.

    Numbers are compared with a relative tolerance (or, with ``decimals``, at
    the precision the lesson displays), text ignoring case and extra spaces,
    lists element by element (in any order when ``ordered=False``), dicts key
    by key, pandas objects with :func:`pandas.testing.assert_frame_equal` at the
    same tolerance.

    Parameters
    ----------
    answer : object
        The learner's answer. ``None``, ``...`` or ``""`` mean "not answered
        yet"; NaN is reported as coming out of the learner's code.
    expected : object, optional
        The right answer. Give either ``expected`` or ``key``.
    key : str, optional
        The stored answer's key (``"NN.name"``), see :func:`answer_key`.
    name : str, default "Exercise"
        Shown at the start of the feedback line.
    hint : str, optional
        Shown when the answer is wrong.
    rtol, atol : float
        Relative and absolute tolerance for numbers.
    decimals : int, optional
        The decimals the lesson displays: an answer equal to the expected value
        rounded to this many decimals is accepted.
    ordered : bool, default True
        Whether the order of list items (or DataFrame columns) matters.
    quiet : bool, default False
        Do not print; only return the result.

    Returns
    -------
    CheckResult

    Raises
    ------
    ValueError
        When neither or both of ``expected`` and ``key`` are given.

    Examples
    --------
    >>> check(["B", "a"], ["a", "b"], ordered=False, name="Ex 2").status
    Ex 2: correct!
    'correct'
    >>> check(0.3333, 1 / 3, rtol=0.01, quiet=True).correct
    True
    >>> _ = check(float("nan"), 3.0, name="Ex 3")
    Ex 3: not quite: your answer is NaN (a missing value came out of your code: an empty selection, a division by zero or a missing column?).
    >>> _ = check(pd.Series([3.0]), 3.0, name="Ex 4")
    Ex 4: not quite: your answer is a Series holding one value (3.0); the exercise wants a plain number: take it out with float(...) or .item() (the value itself is right).
    """
    if (expected is _MISSING) == (key is None):
        raise ValueError("give exactly one of expected= and key=")
    if key is not None:
        expected = stored_answer(key)
    if _is_unanswered(answer):
        status = _UNANSWERED
        msg = f"{name}: not answered yet. Replace None with your answer and run the cell again."
    elif _equal(answer, expected, rtol, atol, ordered, decimals):
        status, msg = _CORRECT, f"{name}: correct!"
    else:
        status = _WRONG
        if _is_nan(answer):
            why = (
                "your answer is NaN (a missing value came out of your code: an empty "
                "selection, a division by zero or a missing column?)"
            )
        else:
            why = _diagnose(answer, expected, rtol, atol, decimals)
        if why:
            msg = f"{name}: not quite: {why}." + (f" Hint: {hint}" if hint else "")
        else:
            msg = f"{name}: not quite." + (f" Hint: {hint}" if hint else " Try again.")
    if not quiet:
        print(msg)
    return CheckResult(name, status, msg)


def _choice_key(answer: Any, choices: Mapping[str, str]) -> str | None:
    text = _norm_text(answer)
    stripped = text.strip("()[]. ")
    for k in choices:
        if stripped == _norm_text(k):
            return k
    for k, v in choices.items():
        if text == _norm_text(v) or stripped == _norm_text(v):
            return k
    return None


def check_choice(
    answer: Any,
    expected: str | None = None,
    choices: Mapping[str, str] | None = None,
    *,
    key: str | None = None,
    name: str = "Exercise",
    hints: Mapping[str, str] | None = None,
    quiet: bool = False,
) -> CheckResult:
    """Check a multiple-choice answer given as the letter (or the text) of a choice.

    Parameters
    ----------
    answer : str or None
        The learner's choice: its key (``"b"``, ``"(b)"``) or its text.
    expected : str, optional
        The key of the right choice. Give either ``expected`` or ``key``.
    choices : mapping of str to str
        Every valid key and its text; an answer that is neither a key nor a
        choice's text is reported with the valid keys.
    key : str, optional
        The stored answer's key (``"NN.name"``), see :func:`answer_key`.
    name : str, default "Exercise"
        Shown at the start of the feedback line.
    hints : mapping of str to str, optional
        An explanation per choice: shown for a wrong choice (why it is wrong)
        and, when given for the right one, after "correct!" (why it is right).
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
    >>> _ = check_choice("Strategy + process + technology", "b", opts)
    Exercise: correct!
    >>> _ = check_choice("z", "b", opts)
    Exercise: 'z' is not one of the choices: a, b.
    """
    if choices is None:
        raise ValueError("argument choices: got None; expected a mapping of key to text")
    if (expected is None) == (key is None):
        raise ValueError("give exactly one of expected= and key=")
    if key is not None:
        expected = stored_answer(key)
    if expected not in choices:
        raise ValueError(f"expected={expected!r} is not a key of choices: {', '.join(choices)}")
    if _is_unanswered(answer):
        return check(None, expected, name=name, quiet=quiet)
    chosen = _choice_key(answer, choices)
    if chosen is None:
        msg = f"{name}: {answer!r} is not one of the choices: {', '.join(choices)}."
        if not quiet:
            print(msg)
        return CheckResult(name, _WRONG, msg)
    hints = hints or {}
    if chosen == expected:
        why = hints.get(chosen)
        msg = f"{name}: correct!" + (f" {why}" if why else "")
        if not quiet:
            print(msg)
        return CheckResult(name, _CORRECT, msg)
    return check(chosen, expected, name=name, hint=hints.get(chosen), quiet=quiet)
