import pandas as pd
import pytest

from crm_lessons.exercises import check, check_choice


@pytest.mark.parametrize(
    ("answer", "expected", "status"),
    [
        (None, 3, "unanswered"),
        ("", "x", "unanswered"),
        (float("nan"), 1.0, "wrong"),
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


def test_fair_numbers():
    # accepted at the precision the lesson displays
    assert check(0.72, 0.7234, decimals=2, quiet=True).correct
    assert not check(0.71, 0.7234, decimals=2, quiet=True).correct
    r = check(72.34, 0.7234, quiet=True)
    assert r.status == "wrong" and "percent" in r.message
    r = check(pd.Series([5.0], index=["x"]), 5.0, quiet=True)
    assert r.status == "wrong" and "one value" in r.message and "right" in r.message
    r = check(float("nan"), 5.0, quiet=True)
    assert "NaN" in r.message
    r = check(0.7, 0.7234, quiet=True)
    assert "precise" in r.message


def test_choice_by_text_or_letter():
    opts = {"a": "rises", "b": "falls"}
    assert check_choice("(b)", "b", opts, quiet=True).correct
    assert check_choice("B)", "b", opts, quiet=True).correct
    assert check_choice("Falls", "b", opts, quiet=True).correct
    assert not check_choice("rises", "b", opts, quiet=True).correct
    r = check_choice("b", "b", opts, hints={"b": "Because."}, quiet=True)
    assert r.message.endswith("Because.")


def test_answer_keys_record_and_verify(tmp_path, monkeypatch):
    from crm_lessons import exercises

    monkeypatch.setattr(exercises, "ANSWER_KEYS", tmp_path)
    monkeypatch.setenv(exercises.RECORD_ENV, "1")
    s = pd.Series([1.5, 2.5], index=["a", "b"], name="x")
    exercises.answer_key("97.1", 0.25)
    exercises.answer_key("97.2", s)
    exercises.answer_key("97.3", "b")
    assert (tmp_path / "97.json").exists()
    monkeypatch.delenv(exercises.RECORD_ENV)
    exercises.answer_key("97.1", 0.25)  # verifies silently
    exercises.answer_key("97.2", s.copy())
    with pytest.raises(AssertionError, match="stored answer for '97.1'"):
        exercises.answer_key("97.1", 0.26)
    assert check(0.25, key="97.1", quiet=True).correct
    assert check(s.copy(), key="97.2", quiet=True).correct
    assert check_choice("b", key="97.3", choices={"a": "x", "b": "y"}, quiet=True).correct
    with pytest.raises(KeyError, match="no stored answer"):
        check(1, key="97.9", quiet=True)
    with pytest.raises(ValueError, match="exactly one"):
        check(1, 2, key="97.1")
    with pytest.raises(ValueError, match="argument key"):
        exercises.answer_key("nodot", 1)
