"""Write the bad-input corpus: small malformed exports, one file per case.

Run ``python tests/bad_inputs/make_corpus.py`` to (re)write the files next to
this script. The expected outcome of every case is in ``manifest.json``; the
test ``tests/test_loader.py::test_bad_input_corpus`` loads each case and checks
it. Cases that need a binary format (Excel, Parquet) or a very large line are
built at test time by ``tests/test_loader.py``.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

H = "customer_id,date,amount\n"


def _u(text: str) -> bytes:
    return text.encode("utf-8")


FILES: dict[str, bytes] = {
    # --- structural problems (errors) ------------------------------------------
    "empty.csv": b"",
    "whitespace_only.csv": b"\n  \n\t\n",
    "header_only.csv": _u(H),
    "wrong_delimiter.csv": _u("customer_id;date;amount\nA;2024-01-02;10\n"),
    "missing_column.csv": _u("customer,date,amount\nA,2024-01-02,10\n"),
    "duplicated_header.csv": _u("customer_id,date,amount,amount\nA,2024-01-02,10,12\n"),
    "binary_noise.csv": bytes(range(256)) * 8,
    "png_renamed.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
    "web_page.csv": _u("<!DOCTYPE html>\n<html><body><table><tr><td>1</td></tr></table>\n"),
    "json_export.csv": _u('[{"customer_id": "A", "date": "2024-01-02", "amount": 10}]\n'),
    "old_excel.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
    "single_column.csv": _u("a list of customers\nAlice\nBob\n"),
    "chinese_header_missing.csv": "會員編號,日期,金額\nM1,2024-01-02,10\n".encode("cp950"),
    # --- lines that are not sales ----------------------------------------------
    "blank_lines.csv": _u(H + "A,2024-01-02,10\n\nB,2024-01-03,20\n   \n,,\nC,2024-01-04,30\n\n"),
    "totals_en.csv": _u(H + "A,2024-01-02,10\nB,2024-01-03,20\nTotal,,30\nGrand total,,30\n"),
    "totals_zh_tw_big5.csv": (
        "會員編號,交易日期,金額\nM1,2024/01/02,100\nM2,2024/01/03,200\n合計,,300\n"
    ).encode("cp950"),
    "totals_zh_cn_gb18030.csv": (
        "会员编号,交易日期,金额\nM1,2024-01-02,¥100\nM2,2024-01-03,¥200.50\n总计,,¥300.50\n"
    ).encode("gb18030"),
    "preamble_title_lines.csv": _u(
        "Sales report March 2024\nprinted 2024-04-01\n" + H + "A,2024-03-02,10\nB,2024-03-03,20\n"
    ),
    "malformed_field_counts.csv": _u(
        H + "A,2024-01-02,10\nB,2024-01-03\nC,2024-01-04,30,extra\nD,2024-01-05,40\n"
    ),
    "quoted_newlines.csv": _u(
        "customer_id,date,amount,note\n"
        'A,2024-01-02,10,"first line\nsecond line"\n'
        "B,2024-02-30,20,bad date on line 4\n"
        'C,2024-01-04,30,"x\ny\nz"\n'
        "D,yesterday,40,bad date on line 8\n"
    ),
    # --- encodings ---------------------------------------------------------------
    "big5_chinese_headers.csv": (
        "會員編號,交易日期,品名,數量,金額\n"
        'M001,2024/03/01,拿鐵,2,"NT$1,200"\n'
        "M002,2024/03/02,美式咖啡,1,NT$75\n"
        ",2024/03/02,蛋糕,1,NT$90\n"
    ).encode("cp950"),
    "gb18030_chinese_headers.csv": (
        "会员编号,交易日期,商品,数量,金额\n"
        'M001,2024-03-01,拿铁,2,"¥ 3,500.00"\n'
        "M002,2024-03-02,美式咖啡,1,￥75\n"
    ).encode("gb18030"),
    "utf8_bom.csv": _u("\ufeff" + H + "A,2024-01-02,10\nB,2024-01-03,20\n"),
    "utf16_tab_separated.txt": ("customer_id\tdate\tamount\nA\t2024-01-02\t10\n").encode("utf-16"),
    "invalid_utf8_byte.csv": _u(H + "A,2024-01-02,10\n")
    + b"B\xff,2024-01-03,20\n"
    + _u("C,2024-01-04,30\n"),
    # --- amounts ---------------------------------------------------------------
    "nt_dollar_amounts.csv": _u(
        H + 'A,2024-01-02,"NT$1,200"\nB,2024-01-03,NT$ 3500\nC,2024-01-04,"$1,000.50"\n'
        "D,2024-01-05,１２０元\n"
    ),
    "yuan_amounts.csv": _u(
        H + 'A,2024-01-02,"¥ 3,500.00"\nB,2024-01-03,￥12\nC,2024-01-04,RMB 8\n'
    ),
    "accounting_negatives.csv": _u(
        H + 'A,2024-01-02,"(1,200)"\nB,2024-01-03,150-\nC,2024-01-04,-20\n'
    ),
    "european_decimal.csv": _u(
        "customer_id;date;amount\nA;2024-01-02;1.200,50\nB;2024-01-03;12,5\nC;2024-01-04;7\n"
    ),
    "amounts_with_text.csv": _u(
        H + "A,2024-01-02,abc\nB,2024-01-03,12 dollars\nC,2024-01-04,\nD,2024-01-05,1,2,3\n"
        "E,2024-01-06,about 5\nF,2024-01-07,99\n"
    ),
    "mixed_currencies.csv": _u(
        H + "A,2024-01-02,NT$100\nB,2024-01-03,NT$200\nC,2024-01-04,US$10\n"
    ),
    # --- refunds, walk-ins, duplicates -------------------------------------------
    "refund_lines.csv": _u(
        "customer_id,date,amount,quantity,invoice\n"
        "A,2024-01-02,300,3,INV1\nA,2024-01-05,-100,-1,INV2\nB,2024-01-06,50,-1,INV3\n"
        "B,2024-01-07,80,1,C536379\nC,2024-01-08,90,1,CAFE1\n"
    ),
    "negative_and_fractional_quantities.csv": _u(
        "customer_id,date,amount,quantity\n"
        "A,2024-01-02,100,-2\nB,2024-01-03,100,2.5\nC,2024-01-04,100,2 pcs\nD,2024-01-05,100,\n"
        "E,2024-01-06,100,3.0\n"
    ),
    "walk_ins.csv": _u(
        H
        + ",2024-01-02,10\nNULL,2024-01-03,20\n-,2024-01-04,30\n  ,2024-01-05,40\nA,2024-01-06,50\n"
        "1001.0,2024-01-07,60\n"
    ),
    "exact_duplicates.csv": _u(
        H + "A,2024-01-02,10\nA,2024-01-02,10\nB,2024-01-03,20\nA,2024-01-02,10\nA,2024-01-02,11\n"
    ),
    # --- dates -----------------------------------------------------------------
    "future_dates.csv": _u(H + "A,2024-06-30,10\nB,2024-07-01,20\nC,2031-01-01,30\n"),
    "day_first_inferred.csv": _u(H + "A,31/01/2024,10\nB,02/03/2024,20\nC,15.04.2024,30\n"),
    "month_first_inferred.csv": _u(H + "A,01/31/2024,10\nB,02/03/2024,20\nC,4-15-2024,30\n"),
    "ambiguous_day_month.csv": _u(H + "A,03/04/2024,10\nB,05/06/2024,20\n"),
    "conflicting_day_month.csv": _u(
        H + "A,31/01/2024,10\nB,13/02/2024,20\nC,01/13/2024,30\nD,05/05/2024,40\n"
    ),
    "mixed_date_formats.csv": _u(
        H + "A,2024-03-15,1\nB,2024/03/16 14:05,2\nC,2024年3月17日,3\nD,113/03/18,4\n"
        "E,20240319,5\nF,45371,6\nG,21 Mar 2024,7\nH,22/03/2024,8\n"
    ),
    "invalid_dates.csv": _u(
        H + "A,2024-02-30,10\nB,yesterday,20\nC,,30\nD,2024-13-01,40\nE,2024-02-29,50\n"
    ),
    "excel_serial_in_csv.csv": _u(H + "A,45366,10\nB,45366.75,20\nC,12,30\n"),
    "tab_separated.tsv": _u("customer_id\tdate\tamount\nA\t2024-01-02\t10\nB\t2024-01-03\t20\n"),
    "pipe_separated.txt": _u("customer_id|date|amount\nA|2024-01-02|10\n"),
}


def main() -> None:
    for name, data in FILES.items():
        (HERE / name).write_bytes(data)
    print(f"wrote {len(FILES)} files to {HERE}")


if __name__ == "__main__":
    main()
