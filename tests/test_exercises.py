import pandas as pd
import pytest

from crm_lessons.exercises import check, check_choice


@pytest.mark.parametrize(
    ("answer", "expected", "status"),
    [
        (None, 3, "unanswered"),
        ("", "x", "unanswered"),
        (float("nan"), 1.0, "unanswered"),
        (3, 3, "correct"),
        (3.0004, 3, "correct"),
        (3.1, 3, "wrong"),
        ("3", 3, "wrong"),
        (True, 1, "wrong"),
        (True, True, "correct"),
        (1, True, "wrong"),
        ("  Champions ", "champions", "correct"),
        ([1, 2], [1, 2], "correct"),
        ([2, 1], [1, 2], "wrong"),
        ({"a": 1.0}, {"a": 1}, "correct"),
        ({"a": 1.0, "b": 2}, {"a": 1}, "wrong"),
    ],
)
def test_check_statuses(answer, expected, status):
    assert check(answer, expected, quiet=True).status == status


def test_unordered_lists_and_frames():
    assert check(["b", "a"], ["a", "b"], ordered=False, quiet=True).correct
    df = pd.DataFrame({"x": [1.0, 2.0]})
    assert check(df.copy(), df, quiet=True).correct
    assert not check(df * 2, df, quiet=True).correct
    assert not check(df["x"], df, quiet=True).correct


def test_messages_are_printed(capsys):
    check(1, 2, name="Ex 3", hint="Divide by the number of customers.")
    assert capsys.readouterr().out == "Ex 3: not quite. Hint: Divide by the number of customers.\n"


def test_check_choice_validates_expected():
    with pytest.raises(ValueError, match="expected='c' is not a key"):
        check_choice("a", "c", {"a": "x", "b": "y"})
    assert check_choice(" B ", "b", {"a": "x", "b": "y"}, quiet=True).correct
