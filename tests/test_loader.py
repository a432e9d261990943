"""Tests for crm_lessons.loader: hand-checked tables plus the bad-input corpus."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crm_lessons import schema
from crm_lessons.loader import LoadResult, detect_encoding, load_transactions

CORPUS = Path(__file__).parent / "bad_inputs"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
AS_OF = MANIFEST["as_of"]
REQUIRED = [c for c, col in schema.TABLES["transactions"].items() if col.required]


# ----------------------------------------------------------- builders (binary cases)


def _xlsx_serial_dates(tmp: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["門市銷售報表"])
    ws.append(["會員編號", "交易日期", "金額"])
    ws.append(["M1", 45366, 100])  # serial number = 2024-03-15
    ws.append(["M2", dt.datetime(2024, 3, 16, 9, 30), 200])
    ws.append([None, None, None])
    ws.append(["M1", "2024/03/17", "NT$300"])
    ws.append(["合計", None, 600])
    path = tmp / "pos.xlsx"
    wb.save(path)
    return path


def _parquet_export(tmp: Path) -> Path:
    df = pd.DataFrame(
        {
            "customer_id": ["A", "B", "B", "C"],
            "date": pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-03", None]),
            "amount": [10.0, 20.0, 20.0, 30.0],
        }
    )
    path = tmp / "export.parquet"
    df.to_parquet(path)
    return path


def _frame_nan_ids(tmp: Path) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": ["A", np.nan, None, "B"],
            "date": ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"],
            "amount": [1, 2, 3, 4],
        }
    )


def _frame_typed(tmp: Path) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": ["A", "B", "C", "D"],
            "date": pd.to_datetime(["2024-01-02", None, "2024-01-04", "2024-01-05"]),
            "amount": [1.5, 2.0, np.nan, 4.0],
        }
    )


def _long_line(tmp: Path) -> Path:
    note = "x" * 3_000_000
    text = (
        "customer_id,date,amount,note\n"
        f"A,2024-01-02,10,{note}\n"
        "B,2024-01-03,20,short\n"
        "C,2024-99-99,30,bad date\n"
    )
    path = tmp / "long.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _empty_frame(tmp: Path) -> pd.DataFrame:
    return pd.DataFrame({"customer_id": [], "date": [], "amount": []})


def _not_a_source(tmp: Path) -> list:
    return [("A", "2024-01-02", 10)]


BUILDERS = {
    "xlsx_serial_dates": _xlsx_serial_dates,
    "parquet_export": _parquet_export,
    "frame_nan_ids": _frame_nan_ids,
    "frame_typed": _frame_typed,
    "long_line": _long_line,
    "empty_frame": _empty_frame,
    "not_a_source": _not_a_source,
}


# ------------------------------------------------------------------- the corpus


def test_corpus_is_large_and_files_exist():
    cases = MANIFEST["cases"]
    assert len(cases) >= 30
    assert len({c["name"] for c in cases}) == len(cases)
    for case in cases:
        if "file" in case and case.get("error") != "FileNotFoundError":
            assert (CORPUS / case["file"]).is_file(), case["file"]
        if "build" in case:
            assert case["build"] in BUILDERS


# The corpus itself runs in tests/test_loader_round2.py, with the second round.


# --------------------------------------------------------- hand-checked behaviour


def test_five_line_table_by_hand():
    raw = pd.DataFrame(
        {
            "會員": ["M1", "M1", "", "M2", "合計"],
            "日期": ["2024/03/01", "2024/03/01", "2024/03/02", "2024/03/05", ""],
            "金額": ["NT$1,200", "NT$1,200", "80", "(150)", "1,130"],
            "單號": ["A1", "A1", "A2", "C3", ""],
        }
    )
    res = load_transactions(
        raw, customer_id="會員", date="日期", amount="金額", order_id="單號", as_of="2024-06-30"
    )
    c = res.clean
    assert c.index.tolist() == [1, 3, 4]
    assert c["customer_id"].isna().tolist() == [False, True, False]
    assert c["amount"].tolist() == [1200.0, 80.0, -150.0]
    assert c["is_return"].tolist() == [False, False, True]
    assert c["order_id"].tolist() == ["A1", "A2", "C3"]
    assert res.quarantine[["line", "reason_code"]].values.tolist() == [
        [2, "duplicate"],
        [5, "total"],
    ]
    assert res.quarantine.loc[0, "reason"] == "exact duplicate of line 1"
    # Original values are kept in the quarantine.
    assert res.quarantine.loc[1, "金額"] == "1,130"
    assert res.currency == "TWD" and res.currency_detected
    assert c["amount"].sum() == 1130.0


def test_dtypes_follow_schema():
    res = load_transactions(
        CORPUS / "refund_lines.csv",
        quantity="quantity",
        order_id="invoice",
        product_id="invoice",
        as_of=AS_OF,
    )
    spec = schema.TABLES["transactions"]
    assert list(res.clean.columns) == [*REQUIRED, "product_id"]
    assert set(spec) == set(res.clean.columns)
    for col in res.clean.columns:
        want = spec[col].dtype
        got = str(res.clean[col].dtype)
        if want == "string":
            assert isinstance(res.clean[col].dtype, pd.StringDtype), col
        else:
            assert got == want, (col, got)
    # optional columns appear only when mapped
    plain = load_transactions(CORPUS / "utf8_bom.csv", as_of=AS_OF)
    assert list(plain.clean.columns) == REQUIRED


def test_clean_output_feeds_rfm_style_groupby():
    res = load_transactions(
        CORPUS / "refund_lines.csv", quantity="quantity", order_id="invoice", as_of=AS_OF
    )
    spend = res.clean.groupby("customer_id")["amount"].sum()
    assert spend.to_dict() == {"A": 200.0, "B": 130.0, "C": 90.0}


def test_summary_counts_and_report_text():
    res = load_transactions(CORPUS / "amounts_with_text.csv", as_of=AS_OF)
    s = res.summary()
    assert s["lines"].to_dict() == {"malformed": 1, "missing_amount": 1, "bad_amount": 3}
    assert s.loc["bad_amount", "first_line"] == 2
    text = res.report()
    assert "Lines read: 6 = 1 loaded + 5 quarantined" in text
    assert "amount is not a number" in text
    assert repr(res) == (
        "LoadResult(source='amounts_with_text.csv', rows_read=6, clean=1, quarantined=5)"
    )
    assert isinstance(res, LoadResult)


def test_as_of_is_inclusive_of_the_whole_day():
    df = pd.DataFrame(
        {
            "customer_id": ["A", "B"],
            "date": ["2024-06-30 23:59", "2024-07-01 00:00"],
            "amount": [1, 2],
        }
    )
    res = load_transactions(df, as_of="2024-06-30")
    assert res.clean["customer_id"].tolist() == ["A"]
    assert res.quarantine["reason_code"].tolist() == ["future_date"]


def test_keep_mapping_renames_extra_columns():
    res = load_transactions(
        CORPUS / "big5_chinese_headers.csv",
        customer_id="會員編號",
        date="交易日期",
        amount="金額",
        keep={"品名": "product"},
        as_of=AS_OF,
    )
    assert res.clean["product"].tolist() == ["拿鐵", "美式咖啡", "蛋糕"]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"decimal": ";"}, "decimal=';' is not valid"),
        ({"currency": "NT$"}, "currency='NT$' is not an ISO 4217 code"),
        ({"dayfirst": "yes"}, "dayfirst='yes' is not valid"),
        ({"sep": ",,"}, "sep=',,' is not valid"),
        ({"as_of": "not a date"}, "as_of='not a date' is not a date"),
    ],
)
def test_bad_arguments(kwargs, fragment):
    df = pd.DataFrame({"customer_id": ["A"], "date": ["2024-01-02"], "amount": [1]})
    with pytest.raises(ValueError, match=re.escape(fragment)):
        load_transactions(df, **kwargs)


def test_mapping_must_be_strings():
    df = pd.DataFrame({"customer_id": ["A"], "date": ["2024-01-02"], "amount": [1]})
    with pytest.raises(TypeError, match="amount must be a column name"):
        load_transactions(df, amount=3, as_of=AS_OF)


def test_detect_encoding_big5_vs_gb18030():
    big5 = "會員編號,消費日期,消費金額,門市\nM1,2024/01/02,100,台北\n".encode("cp950")
    gb = "会员编号,消费日期,消费金额,门店\nM1,2024-01-02,100,北京\n".encode("gb18030")
    assert detect_encoding(big5) == ("cp950", True)
    assert detect_encoding(gb) == ("gb18030", True)
    assert detect_encoding(b"plain ascii,1\n") == ("utf-8", True)
    assert detect_encoding(gb, must_contain=["会员编号"]) == ("gb18030", True)


def test_every_line_accounted_for_in_a_bigger_random_file(tmp_path):
    # 2,000 lines with random problems: the invariant and the counts must agree.
    rng = np.random.default_rng(7)
    n = 2000
    cust = np.where(rng.random(n) < 0.1, "", np.char.add("M", rng.integers(0, 300, n).astype(str)))
    dates = pd.date_range("2024-01-01", periods=200).strftime("%Y/%m/%d").to_numpy()
    date = dates[rng.integers(0, len(dates), n)].astype(object)
    bad = rng.random(n) < 0.03
    date[bad] = "2024/02/31"
    amount = np.array([f'"NT${v:,}"' for v in rng.integers(50, 5000, n)], dtype=object)
    lines = ["會員,日期,金額"] + [
        f"{a},{b},{c}" for a, b, c in zip(cust, date, amount, strict=True)
    ]
    lines.append("合計,,0")
    path = tmp_path / "random.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("cp950"))
    res = load_transactions(
        path, customer_id="會員", date="日期", amount="金額", as_of="2024-12-31"
    )
    assert res.rows_read == n + 1 == len(res.clean) + len(res.quarantine)
    counts = res.quarantine["reason_code"].value_counts()
    assert counts["bad_date"] == int(bad.sum())
    assert counts["total"] == 1
    # Duplicates are exact repeats of an earlier line among the otherwise valid lines.
    seen: set = set()
    exp_dup = exp_walk = 0
    for line, is_bad in zip(zip(cust, date, amount, strict=True), bad, strict=True):
        if is_bad:
            continue
        if line in seen:
            exp_dup += 1
            continue
        seen.add(line)
        exp_walk += line[0] == ""
    assert counts.get("duplicate", 0) == exp_dup
    assert res.n_walk_in == exp_walk


# ------------------------------------------------------------- the committed messy sample

MESSY = CORPUS.parent.parent / "datasets" / "messy_pos_export_big5.csv"
MESSY_COLUMNS = dict(
    customer_id="會員編號", date="交易日期", amount="金額", quantity="數量", order_id="發票號碼"
)


def test_messy_sample_finds_every_planted_problem():
    res = load_transactions(MESSY, **MESSY_COLUMNS, keep={"品名": "product"}, as_of="2025-12-31")
    assert res.encoding == "cp950" and res.encoding_detected
    assert res.currency == "TWD"
    assert res.quarantine["reason_code"].value_counts().to_dict() == {
        "duplicate": 3,
        "before_header": 1,
        "blank": 1,
        "bad_date": 1,
        "bad_amount": 1,
        "future_date": 1,
        "total": 1,
    }
    assert res.rows_read == len(res.clean) + len(res.quarantine)
    # 60 walk-in lines were cut from the world; planted errors may have hit a few of them
    q = res.quarantine
    hit = q["reason_code"].isin(["bad_date", "future_date", "bad_amount"]) & (q["會員編號"] == "")
    assert res.n_walk_in == 60 - int(hit.sum())
    assert res.n_returns >= 1
    # the 合計 line is kept, with its original text, in the quarantine
    total = res.quarantine.loc[res.quarantine["reason_code"] == "total"]
    assert total["會員編號"].iloc[0] == "" and total["交易日期"].iloc[0] == "合計"
    assert total["金額"].iloc[0].startswith("NT$")


@pytest.mark.skipif(
    not (CORPUS.parent.parent / "datasets" / "coffee_shop").is_dir(),
    reason="course data not built",
)
def test_messy_sample_regenerates_byte_identically():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_messy_sample", CORPUS / "make_messy_sample.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.build().encode("cp950") == MESSY.read_bytes()


def test_corpus_files_match_their_generator():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for name, data in mod.FILES.items():
        assert (CORPUS / name).read_bytes() == data, name


def test_quoted_newlines_across_read_blocks(tmp_path):
    # Many values span two lines; the file is larger than one read block (1 MB),
    # so some block boundary falls inside a quoted value.
    rows = ["customer_id,date,amount,note"]
    for i in range(60_000):
        note = f'"note {i}\nsecond line"' if i % 7 == 0 else f"plain {i}"
        rows.append(f"C{i % 500},2024-01-{1 + i % 28:02d},{i % 90 + 10},{note}")
    rows.append("X,2024-02-30,10,last")
    path = tmp_path / "multiline.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert path.stat().st_size > 1_500_000
    res = load_transactions(path, as_of=AS_OF)
    assert res.rows_read == 60_001 == len(res.clean) + len(res.quarantine)
    n_multi = len(range(0, 60_000, 7))
    assert res.quarantine["line"].tolist() == [60_000 + n_multi + 2]
    assert res.clean.index[-1] == 60_000 + n_multi + 1  # the last good record


def test_invalid_utf8_after_the_detection_window(tmp_path):
    # The head (64 kB) is valid UTF-8; a bad byte comes later: the whole file is re-checked.
    body = "".join(f"C{i},2024-01-{1 + i % 28:02d},{i}\n" for i in range(5000)).encode()
    path = tmp_path / "late_bad_byte.csv"
    path.write_bytes(
        b"customer_id,date,amount\n"
        + body
        + b"X\xff,2024-01-02,5\n"
        + "會員,2024-01-03,7\n".encode()
    )
    res = load_transactions(path, as_of=AS_OF)
    assert res.encoding == "utf-8" and res.encoding_detected
    assert res.quarantine[["line", "reason_code"]].values.tolist() == [[5002, "encoding"]]
    assert res.clean["customer_id"].iloc[-1] == "會員"


def test_dataframe_with_nullable_integers_and_numeric_ids():
    df = pd.DataFrame(
        {
            "member": pd.array([1001, None, 1002], dtype="Int64"),
            "day": pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-04"]),
            "paid": pd.array([120, 80, None], dtype="Int64"),
            "qty": pd.array([1, -1, 2], dtype="Int64"),
        }
    )
    res = load_transactions(
        df, customer_id="member", date="day", amount="paid", quantity="qty", as_of=AS_OF
    )
    assert res.clean["customer_id"].tolist()[0] == "1001"
    assert pd.isna(res.clean["customer_id"].iloc[1])
    assert res.clean["amount"].tolist() == [120.0, 80.0]
    assert res.clean["is_return"].tolist() == [False, True]
    assert res.quarantine["reason_code"].tolist() == ["missing_amount"]
