"""Every bad-input case, old and new, in one parametrised test with the loader's invariants.

The corpora are ``tests/bad_inputs/manifest.json`` (the first round) and
``tests/bad_inputs/round2/manifest.json`` (realistic exports: platforms,
time zones, Excel quirks, broken encodings), written by the scripts next to
them. Each case states the expected outcome; on every case that loads, the
test also checks the invariants an analyst relies on:

* ``rows_read == len(clean) + len(quarantine)``;
* no clean text value holds U+FFFD (a replacement character);
* every clean date lies between ``min_date`` and the end of ``as_of``;
* quarantined lines are unique and never also loaded.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pandas as pd
import pytest

from crm_lessons import schema
from crm_lessons.loader import REASONS, load_transactions

ROOT = Path(__file__).parent / "bad_inputs"
ROUND2 = ROOT / "round2"


def _module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


MAKE2 = _module(ROUND2 / "make_round2.py", "make_round2")
OLD = json.loads((ROOT / "manifest.json").read_text(encoding="utf-8"))
NEW = json.loads((ROUND2 / "manifest.json").read_text(encoding="utf-8"))
CASES = [("round1", OLD["as_of"], c) for c in OLD["cases"]] + [
    ("round2", NEW["as_of"], c) for c in NEW["cases"]
]
REQUIRED = [c for c, col in schema.TABLES["transactions"].items() if col.required]


def _old_builders():
    return _module(Path(__file__).parent / "test_loader.py", "_test_loader_builders").BUILDERS


def _source(corpus: str, case: dict, tmp: Path):
    if "build" in case:
        if corpus == "round1":
            return _old_builders()[case["build"]](tmp)
        return MAKE2.build(case["build"], tmp)
    return (ROOT if corpus == "round1" else ROUND2) / case["file"]


def test_round2_corpus_is_wide_and_reproducible():
    new = NEW["cases"]
    assert len(new) >= 40
    assert len({c["name"] for c in new}) == len(new)
    assert MAKE2.manifest() == NEW, "manifest.json is out of date: run make_round2.py"
    for name, data in MAKE2.FILES.items():
        assert (ROUND2 / name).read_bytes() == data, name
    for case in new:
        if "file" in case:
            assert (ROUND2 / case["file"]).is_file(), case["file"]
        else:
            assert case["build"] in MAKE2.BUILDERS


def check_invariants(res, min_date: str = "1980-01-01") -> None:
    c, q = res.clean, res.quarantine
    assert res.rows_read == len(c) + len(q)
    assert set(q["reason_code"]) <= set(REASONS)
    text_cols = [
        col
        for col in c.columns
        if isinstance(c[col].dtype, pd.StringDtype) or c[col].dtype == object
    ]
    for col in text_cols:
        assert not c[col].astype("string").str.contains("\ufffd", regex=False).any(), col
    if len(c):
        assert c["date"].notna().all()
        assert c["date"].min() >= pd.Timestamp(min_date)
        assert c["date"].max() < res.as_of.normalize() + pd.Timedelta(days=1)
    key = ["source_file", "line"] if "source_file" in q.columns else ["line"]
    assert not q.duplicated(key).any()
    if "source_file" not in q.columns:
        assert q["line"].is_monotonic_increasing
        assert not set(q["line"]) & set(c.index)
    assert list(c.columns[:6]) == REQUIRED
    assert f"Lines read: {res.rows_read:,}" in res.report()


@pytest.mark.parametrize(
    ("corpus", "as_of", "case"), CASES, ids=[f"{k}: {c['name']}" for k, _, c in CASES]
)
def test_every_bad_input(corpus, as_of, case, tmp_path):
    source = _source(corpus, case, tmp_path)
    kwargs = dict(case["kwargs"])
    kwargs.setdefault("as_of", as_of)
    if "error" in case:
        exc = {"ValueError": ValueError, "TypeError": TypeError}.get(
            case["error"], FileNotFoundError
        )
        with pytest.raises(exc) as info:
            load_transactions(source, **kwargs)
        assert case["match"] in str(info.value)
        return
    res = load_transactions(source, **kwargs)
    check_invariants(res)
    q, c = res.quarantine, res.clean
    assert res.rows_read == case["rows_read"]
    assert len(c) == case["clean"]
    assert q["reason_code"].value_counts().to_dict() == case["quarantine"]
    for reason, lines in case.get("lines", {}).items():
        assert q.loc[q["reason_code"] == reason, "line"].tolist() == lines
    for fragment in case.get("reason_contains", []):
        assert q["reason"].str.contains(fragment, regex=False).any(), (fragment, q["reason"])
    for attr in ("encoding", "sep", "currency"):
        if attr in case:
            assert getattr(res, attr) == case[attr], attr
    if "dayfirst" in case:
        assert res.dayfirst is case["dayfirst"]
    if "walk_ins" in case:
        assert res.n_walk_in == case["walk_ins"]
    if "returns" in case:
        assert res.n_returns == case["returns"]
    if "amount_total" in case:
        assert c["amount"].sum() == pytest.approx(case["amount_total"])
    if "amounts" in case:
        assert c["amount"].tolist() == pytest.approx(case["amounts"])
    if "dates" in case:
        assert [f"{d:%Y-%m-%d}" for d in c["date"]] == case["dates"]
    if "datetimes" in case:
        assert [f"{d:%Y-%m-%d %H:%M}" for d in c["date"]] == case["datetimes"]
    if "is_return" in case:
        assert c["is_return"].tolist() == case["is_return"]
    if "quantities" in case:
        got = [None if pd.isna(v) else int(v) for v in c["quantity"]]
        assert got == case["quantities"]
    if "customers" in case:
        got = [None if pd.isna(v) else v for v in c["customer_id"]]
        assert got == case["customers"]
    if "order_ids" in case:
        assert c["order_id"].tolist() == case["order_ids"]
    if "kept" in case:
        for col, values in case["kept"].items():
            assert c[col].tolist() == values
    if "note_contains" in case:
        assert any(case["note_contains"] in n for n in res.notes), res.notes


# ------------------------------------------------------------- hand-checked helpers


def test_big5_user_defined_area_maps_like_windows():
    from crm_lessons.loader import _eudc_char

    # Microsoft's CP950 table: FA40 -> U+E000, 8E40 -> U+E311, 8140 -> U+EEB8, C6A1 -> U+F6B1;
    # each lead byte holds 157 characters (trail 40-7E, then A1-FE).
    assert _eudc_char(0xFA, 0x40) == "\ue000"
    assert _eudc_char(0xFA, 0xA1) == chr(0xE000 + 63)
    assert _eudc_char(0xFB, 0x40) == chr(0xE000 + 157)
    assert _eudc_char(0x8E, 0x40) == "\ue311"
    assert _eudc_char(0x81, 0x40) == "\ueeb8"
    assert _eudc_char(0xC6, 0xA1) == "\uf6b1"
    assert _eudc_char(0xC8, 0xFE) == "\uf848"  # the last one
    assert _eudc_char(0xA4, 0x40) is None  # ordinary Big5, not user-defined


@pytest.mark.parametrize(
    ("line", "opens"),
    [
        ('A,2025-01-02,"10', True),
        ('A,2025-01-02,"10"', False),
        ('A,2025-01-02,12" pizza', False),  # a quote inside an unquoted value is literal
        ('A,"say ""hi"" and', True),
        ('A,"say ""hi""",x', False),
        ('"', True),
    ],
)
def test_opens_quote(line, opens):
    from crm_lessons.loader import _opens_quote

    assert _opens_quote(line, ",") is opens


def test_unclosed_quotes_keeps_real_multiline_values():
    from crm_lessons.loader import _unclosed_quotes

    body = 'A,1,"two\nlines"\nB,2,"open\nC,3,x\nD,4,"a\nb"\n'
    # line 0-1: one real record; line 2 opens a quote never closed; D spans lines 4-5.
    assert _unclosed_quotes(body, ",", 3) == [2]


def test_timezone_and_min_date_arguments_are_checked():
    df = pd.DataFrame({"customer_id": ["A"], "date": ["2025-01-02"], "amount": [1]})
    with pytest.raises(ValueError, match="timezone='Taipei' is not a time zone name"):
        load_transactions(df, timezone="Taipei", as_of="2025-12-31")
    with pytest.raises(ValueError, match="min_date='soon' is not a date"):
        load_transactions(df, min_date="soon", as_of="2025-12-31")


def test_list_of_sources_is_checked():
    with pytest.raises(ValueError, match="the list of files is empty"):
        load_transactions([], as_of="2025-12-31")
    with pytest.raises(TypeError, match="item 1 of the list is a int"):
        load_transactions([ROUND2 / "gbp.csv", 3], as_of="2025-12-31")


def test_timezone_aware_dataframe_column_follows_the_rule():
    # 16:30 UTC is 00:30 the next day in Taipei; without timezone the UTC wall time is kept.
    ts = pd.to_datetime(["2025-03-05T16:30:00Z", "2025-03-05T01:00:00Z"])
    df = pd.DataFrame({"customer_id": ["A", "B"], "date": ts, "amount": [1, 2]})
    got = load_transactions(df, timezone="Asia/Taipei", as_of="2025-12-31").clean["date"]
    assert [f"{d:%Y-%m-%d %H:%M}" for d in got] == ["2025-03-06 00:30", "2025-03-05 09:00"]
    kept = load_transactions(df, as_of="2025-12-31").clean["date"]
    assert [f"{d:%Y-%m-%d %H:%M}" for d in kept] == ["2025-03-05 16:30", "2025-03-05 01:00"]


def test_ids_normalised_by_hand():
    df = pd.DataFrame(
        {
            "customer_id": ["M1", "M1\u200b", "Ｍ１", '="M1"', "M2"],
            "date": ["2025-01-0" + str(i) for i in range(1, 6)],
            "amount": [1, 2, 3, 4, 5],
        }
    )
    res = load_transactions(df, as_of="2025-12-31")
    assert res.clean["customer_id"].tolist() == ["M1", "M1", "M1", "M1", "M2"]
    assert res.clean["customer_id"].nunique() == 2
    assert any("3 distinct customer id(s) on 3 line(s) were normalised" in n for n in res.notes)


def test_detect_encoding_prefers_plausible_text():
    from crm_lessons.loader import detect_encoding

    latin = "name;amount\nCafé Müller;12\nSeñora Núñez;8\n".encode("cp1252")
    big5 = "姓名,金額\n王小明,120\n陳美玲,80\n".encode("cp950")
    assert detect_encoding(latin) == ("cp1252", True)
    assert detect_encoding(big5) == ("cp950", True)
    assert detect_encoding("姓名,金額\n".encode("utf-16-le")) == ("utf-16-le", True)


def test_several_files_report_names_the_file(tmp_path):
    res = load_transactions(MAKE2.build("monthly_files", tmp_path), as_of="2025-12-31")
    s = res.summary()
    assert s.loc["duplicate", "first_file"] == "2025-02.csv"
    assert s.loc["duplicate", "first_line"] == 2
    assert "(first at line 2 of 2025-02.csv)" in res.report()
    assert res.clean["source_file"].tolist() == ["2025-01.csv"] * 2 + ["2025-02.csv"] * 2
    assert res.encoding == "utf-8, utf-8-sig"


def test_unpadded_ids_with_one_zero_padded_id_are_not_flagged():
    # Member numbers 1..120 written without padding, one written "007": no scheme of
    # zero-padded ids exists, so nothing lost its zeros.
    ids = [str(i) for i in range(1, 121)] + ["007"]
    df = pd.DataFrame(
        {"customer_id": ids, "date": ["2025-01-02"] * len(ids), "amount": range(len(ids))}
    )
    res = load_transactions(df, as_of="2025-12-31")
    assert len(res.clean) == len(ids)
    assert not any("WARNING" in n for n in res.notes)
