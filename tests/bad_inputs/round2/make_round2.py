"""Write the second bad-input corpus: exports as analysts really have them.

Run ``python tests/bad_inputs/round2/make_round2.py`` to (re)write the files
and ``manifest.json`` next to this script. Every case names its file, the
arguments passed to :func:`crm_lessons.loader.load_transactions` and the
expected outcome (an error and a fragment of its message, or the number of
lines read, loaded and quarantined per reason, plus values to check). Files
that need a binary format (Excel workbooks) are built at test time by the
functions in :data:`BUILDERS`, into a temporary folder.

Kinds covered: ISO 8601 with offsets, ``Z`` and milliseconds, offsets that
change with daylight saving; 12-hour clocks (``PM``, ``上午/下午`` with
Minguo years); placeholder and too-old dates; Unix epoch seconds and
milliseconds; currency symbols and codes before or after the number
(£ € HK$ S$ RM ₩ 원 ¥ 円 JPY); ``1.234,50 €``; Excel-protected ``="..."``
cells; ids in scientific notation, with lost leading zeros, with invisible
or full-width characters; unclosed quotes; trailing delimiters; UTF-8 with a
bad byte or a cut character far into the file, UTF-8 and Big5 exports joined,
cp1252, Big5 with HKSCS and user-defined characters, UTF-16 without a BOM;
a header that only reads in another encoding; a workbook named .csv, an HTML
table named .xls, data on another sheet, merged cells over item rows; several
monthly files in one go.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
AS_OF = "2025-12-31"
H = "customer_id,date,amount\n"
H_NOTE = "customer_id,date,amount,note\n"


def _u(text: str) -> bytes:
    return text.encode("utf-8")


def _rows_utf8_chinese(n: int, start: int = 0) -> str:
    names = ["王小明", "陳美玲", "林志豪", "張雅婷", "李建國"]
    return "".join(
        f"M{(start + i) % 97:03d},2025-0{1 + (start + i) % 9}-{1 + (start + i) % 28:02d},"
        f"{100 + (start + i) % 50},{names[(start + i) % 5]}\n"
        for i in range(n)
    )


FILES: dict[str, bytes] = {}
CASES: list[dict] = []


def case(name: str, why: str, file: str | None, expect: dict, **kwargs) -> None:
    entry = {"name": name, "why": why}
    if file is not None:
        entry["file"] = file
    entry["kwargs"] = kwargs
    entry.update(expect)
    CASES.append(entry)


# ----------------------------------------------------------------- dates and times

FILES["iso_offsets.csv"] = _u(
    H
    + "A,2025-03-05 14:22:10 +0800,10\n"
    + "B,2025-03-05T23:30:00+08:00,20\n"
    + "C,2025-03-05T16:30:00.123Z,30\n"
    + "D,2025-03-06T01:15:00.5+0800,40\n"
)
case(
    "ISO offsets converted to the shop's zone",
    "Shopify/LINE Pay style +0800, +08:00 and .123Z; Z at 16:30 is 00:30 the next day in Taipei",
    "iso_offsets.csv",
    {
        "rows_read": 4,
        "clean": 4,
        "quarantine": {},
        "datetimes": [
            "2025-03-05 14:22",
            "2025-03-05 23:30",
            "2025-03-06 00:30",
            "2025-03-06 01:15",
        ],
        "note_contains": "converted to Asia/Taipei",
    },
    timezone="Asia/Taipei",
)
case(
    "ISO offsets without a timezone: local time as written",
    "the rule without timezone=: keep the wall-clock time written, drop the offset, say so",
    "iso_offsets.csv",
    {
        "rows_read": 4,
        "clean": 4,
        "quarantine": {},
        "datetimes": [
            "2025-03-05 14:22",
            "2025-03-05 23:30",
            "2025-03-05 16:30",
            "2025-03-06 01:15",
        ],
        "note_contains": "kept at the local time written",
    },
)
FILES["offset_spellings.csv"] = _u(
    H
    + "A,2025-03-05 23:30:00 GMT+8,1\n"
    + "B,2025-03-05 10:00 UTC,2\n"
    + "C,2025-03-05T10:00:00-0330,3\n"
    + "D,2025-03-05T10:00:00.5+05:45,4\n"
    + "E,2025-03-05 10:00:00 +08,5\n"
    + "F,2025-03-05T10:00:00z,6\n"
)
case(
    "offsets spelt in other ways",
    "GMT+8, UTC, -0330, +05:45, +08 and a lower-case z: all converted to Taipei time",
    "offset_spellings.csv",
    {
        "rows_read": 6,
        "clean": 6,
        "quarantine": {},
        "datetimes": [
            "2025-03-05 23:30",
            "2025-03-05 18:00",
            "2025-03-05 21:30",
            "2025-03-05 12:15",
            "2025-03-05 10:00",
            "2025-03-05 18:00",
        ],
        "note_contains": "(-03:30, +00:00, +05:45, +08:00)",
    },
    timezone="Asia/Taipei",
)
FILES["utc_only.csv"] = _u(
    H + "A,2025-03-05T15:59:59Z,10\nB,2025-03-05T16:00:00Z,20\nC,2025-03-06T02:00:00Z,30\n"
)
case(
    "UTC-only API dump without a timezone",
    "all Z: kept in UTC and the report asks for timezone=",
    "utc_only.csv",
    {
        "rows_read": 3,
        "clean": 3,
        "quarantine": {},
        "dates": ["2025-03-05", "2025-03-05", "2025-03-06"],
        "note_contains": "they are in UTC: pass timezone=",
    },
)
FILES["dst_london.csv"] = _u(
    H
    + "A,2025-03-29T23:30:00+00:00,10\n"
    + "B,2025-03-30T23:30:00+01:00,20\n"
    + "C,2025-10-26T00:30:00+01:00,30\n"
    + "D,2025-10-26T23:30:00+00:00,40\n"
)
case(
    "offsets that change with daylight saving, shop zone given",
    "London shop: +00:00 in winter, +01:00 in summer; converted to Europe/London",
    "dst_london.csv",
    {
        "rows_read": 4,
        "clean": 4,
        "quarantine": {},
        "datetimes": [
            "2025-03-29 23:30",
            "2025-03-30 23:30",
            "2025-10-26 00:30",
            "2025-10-26 23:30",
        ],
        "note_contains": "(+00:00, +01:00)",
    },
    timezone="Europe/London",
)
case(
    "daylight-saving offsets converted to another zone",
    "the same file for a head office in Taipei: every time moves by 7 or 8 hours",
    "dst_london.csv",
    {
        "rows_read": 4,
        "clean": 4,
        "quarantine": {},
        "datetimes": [
            "2025-03-30 07:30",
            "2025-03-31 06:30",
            "2025-10-26 07:30",
            "2025-10-27 07:30",
        ],
    },
    timezone="Asia/Taipei",
)
FILES["twelve_hour_en.csv"] = _u(
    H
    + "A,3/5/2025 2:22:10 PM,10\n"
    + "B,3/5/2025 12:05:00 AM,20\n"
    + "C,3/6/2025 12:30:00 PM,30\n"
    + "D,3/7/2025 11:59 pm,40\n"
    + "E,3/7/2025 14:22 PM,50\n"
)
case(
    "12-hour clock with AM/PM",
    "12:05 AM is 00:05, 12:30 PM is 12:30; '14:22 PM' is impossible and quarantined",
    "twelve_hour_en.csv",
    {
        "rows_read": 5,
        "clean": 4,
        "quarantine": {"bad_date": 1},
        "datetimes": [
            "2025-03-05 14:22",
            "2025-03-05 00:05",
            "2025-03-06 12:30",
            "2025-03-07 23:59",
        ],
        "reason_contains": ["hour 14 with a 12-hour clock marker"],
    },
)
MINGUO = (
    "會員編號,交易時間,金額\n"
    "M1,114/03/05 下午 02:22:10,NT$120\n"
    "M2,114/03/05 上午 12:10:00,NT$80\n"
    "M3,114/03/06 上午 09:00:00,NT$1,200\n"
    "M4,114/03/06 下午 12:45:00,NT$60\n"
)
FILES["minguo_ampm_big5.csv"] = MINGUO.replace("NT$1,200", '"NT$1,200"').encode("cp950")
case(
    "Minguo dates with 上午/下午 in Big5",
    "Taiwan POS: year 114 = 2025, 下午 02:22 = 14:22, 上午 12:10 = 00:10",
    "minguo_ampm_big5.csv",
    {
        "rows_read": 4,
        "clean": 4,
        "quarantine": {},
        "encoding": "cp950",
        "currency": "TWD",
        "datetimes": [
            "2025-03-05 14:22",
            "2025-03-05 00:10",
            "2025-03-06 09:00",
            "2025-03-06 12:45",
        ],
        "amounts": [120, 80, 1200, 60],
    },
    customer_id="會員編號",
    date="交易時間",
    amount="金額",
)
FILES["placeholder_dates.csv"] = _u(
    H
    + "A,2025-01-02,10\n"
    + "B,9999-12-31,20\n"
    + "C,1900-01-00,30\n"
    + "D,0000-00-00,40\n"
    + "E,0000-00-00 00:00:00,50\n"
    + "F,99991231,60\n"
    + "G,1900-01-01,70\n"
    + "H,2025-01-03,80\n"
)
case(
    "placeholder dates",
    "9999-12-31, 1900-01-00, 0000-00-00, 99991231, 1900-01-01: quarantined, never overflowed",
    "placeholder_dates.csv",
    {
        "rows_read": 8,
        "clean": 2,
        "quarantine": {"placeholder_date": 6},
        "lines": {"placeholder_date": [3, 4, 5, 6, 7, 8]},
        "reason_contains": ["'9999-12-31' is a placeholder"],
    },
)
FILES["too_old_dates.csv"] = _u(
    H + "A,2025-01-02,10\nB,1975-06-01,20\nC,1899-12-30,30\nD,01/02/1965,40\n"
)
case(
    "dates before min_date",
    "1975, 1899 and 1965 are not sales in a POS export: quarantined with the bound",
    "too_old_dates.csv",
    {
        "rows_read": 4,
        "clean": 1,
        "quarantine": {"too_old": 3},
        "reason_contains": ["is before min_date 1980-01-01"],
    },
)
FILES["epoch_seconds.csv"] = _u(H + "A,1741156930,10\nB,1741184400,20\nC,1741201199,30\nD,,40\n")
case(
    "Unix epoch seconds",
    "an API dump; 1741156930 = 2025-03-05 06:42:10 UTC = 14:42:10 in Taipei",
    "epoch_seconds.csv",
    {
        "rows_read": 4,
        "clean": 3,
        "quarantine": {"missing_date": 1},
        "datetimes": ["2025-03-05 14:42", "2025-03-05 22:20", "2025-03-06 02:59"],
        "note_contains": "Unix timestamps (UTC); converted to Asia/Taipei",
    },
    timezone="Asia/Taipei",
)
FILES["epoch_millis.csv"] = _u(H + "A,1741156930123,10\nB,1741184400000,20\nC,4102444800000,30\n")
case(
    "Unix epoch milliseconds, one out of range",
    "13 digits = milliseconds; kept in UTC without timezone=; year 2100 is not plausible",
    "epoch_millis.csv",
    {
        "rows_read": 3,
        "clean": 2,
        "quarantine": {"bad_date": 1},
        "datetimes": ["2025-03-05 06:42", "2025-03-05 14:20"],
        "reason_contains": ["looks like a Unix timestamp outside 2000-2099"],
        "note_contains": "kept in UTC",
    },
)
FILES["epoch_not_clear.csv"] = _u(
    H + "".join(f"C{i},2025-02-{1 + i:02d},{10 + i}\n" for i in range(12)) + "X,1741156930,5\n"
)
case(
    "one epoch-like number in a date column",
    "the column is not clearly epoch: the value is quarantined with a reason that says so",
    "epoch_not_clear.csv",
    {
        "rows_read": 13,
        "clean": 12,
        "quarantine": {"bad_date": 1},
        "reason_contains": ["looks like a Unix timestamp, but most of the column is not"],
    },
)

# ----------------------------------------------------------------- amounts and ids

FILES["gbp.csv"] = _u(H + 'A,2025-01-02,£12.50\nB,2025-01-03,"£1,200.00"\nC,2025-01-04,GBP 8.99\n')
case(
    "pound sterling",
    "£ and GBP before the number",
    "gbp.csv",
    {
        "rows_read": 3,
        "clean": 3,
        "quarantine": {},
        "currency": "GBP",
        "amounts": [12.5, 1200, 8.99],
    },
)
FILES["euro_decimal_comma.csv"] = _u(
    "customer_id;date;amount\nA;2025-01-02;1.234,50 €\nB;2025-01-03;€ 12,00\nC;2025-01-04;99,90 EUR\n"
)
case(
    "euro with decimal comma",
    "1.234,50 € with decimal=','",
    "euro_decimal_comma.csv",
    {
        "rows_read": 3,
        "clean": 3,
        "quarantine": {},
        "sep": ";",
        "currency": "EUR",
        "amounts": [1234.5, 12.0, 99.9],
    },
    decimal=",",
)
case(
    "euro with decimal comma, decimal not given",
    "the same file read with the default decimal='.': quarantined, the reason says what to pass",
    "euro_decimal_comma.csv",
    {
        "rows_read": 3,
        "clean": 0,
        "quarantine": {"decimal_comma": 3},
        "reason_contains": ["pass decimal=','"],
    },
)
FILES["hkd_sgd.csv"] = _u(
    H
    + 'A,2025-01-02,"HK$1,280.00"\nB,2025-01-03,HKD 50\nC,2025-01-04,S$30\nD,2025-01-05,HK$ 7.5\n'
)
case(
    "Hong Kong dollars with one Singapore line",
    "HK$ and HKD are HKD; the S$ line is in another currency",
    "hkd_sgd.csv",
    {
        "rows_read": 4,
        "clean": 3,
        "quarantine": {"currency": 1},
        "currency": "HKD",
        "amounts": [1280, 50, 7.5],
        "reason_contains": ["is in SGD, the file is in HKD"],
    },
)
FILES["unicode_minus.csv"] = _u(
    H + "A,2025-01-02,\u2212120\nB,2025-01-03,\u2013 80\nC,2025-01-04,30\n"
)
case(
    "refunds written with a typographic minus",
    "U+2212 and an en dash before the number are minus signs, so these are refunds",
    "unicode_minus.csv",
    {"rows_read": 3, "clean": 3, "quarantine": {}, "amounts": [-120, -80, 30], "returns": 2},
)
FILES["myr_ringgit.csv"] = _u(
    H + "A,2025-01-02,RM12.90\nB,2025-01-03,RM 1200\nC,2025-01-04,MYR 3\n"
)
case(
    "Malaysian ringgit",
    "RM before the number, with and without a space",
    "myr_ringgit.csv",
    {"rows_read": 3, "clean": 3, "quarantine": {}, "currency": "MYR", "amounts": [12.9, 1200, 3]},
)
FILES["krw.csv"] = _u(H + 'A,2025-01-02,"₩15,000"\nB,2025-01-03,15000원\nC,2025-01-04,KRW 500\n')
case(
    "Korean won",
    "₩ before, 원 after, KRW code",
    "krw.csv",
    {
        "rows_read": 3,
        "clean": 3,
        "quarantine": {},
        "currency": "KRW",
        "amounts": [15000, 15000, 500],
    },
)
FILES["jpy_yen.csv"] = _u(H + 'A,2025-01-02,"¥1,200"\nB,2025-01-03,1200円\nC,2025-01-04,JPY 300\n')
case(
    "Japanese yen: ¥ with 円 and JPY in the file",
    "¥ is yuan or yen; the file's other symbols say yen",
    "jpy_yen.csv",
    {
        "rows_read": 3,
        "clean": 3,
        "quarantine": {},
        "currency": "JPY",
        "amounts": [1200, 1200, 300],
    },
)
FILES["yen_only.csv"] = _u(H + "A,2025-01-02,¥1200\nB,2025-01-03,￥80\n")
case(
    "¥ alone with currency='JPY'",
    "the given currency settles what ¥ means",
    "yen_only.csv",
    {"rows_read": 2, "clean": 2, "quarantine": {}, "currency": "JPY", "amounts": [1200, 80]},
    currency="JPY",
)
FILES["no_currency_symbol.csv"] = _u(H + "A,2025-01-02,120\nB,2025-01-03,80.5\n")
case(
    "no currency symbol: no currency assumed",
    "plain numbers: currency stays unknown (None), not NT$",
    "no_currency_symbol.csv",
    {"rows_read": 2, "clean": 2, "quarantine": {}, "currency": None, "amounts": [120, 80.5]},
)
FILES["excel_protected_taobao.csv"] = _u(
    "订单编号,买家会员名,订单创建时间,买家实际支付金额\n"
    '="202503028754692755",="00012345",="2025-03-02 10:11:12",="120.00"\n'
    '"=""202503028754692756""",="00012346",2025-03-02 11:00:00,¥80.50\n'
    '="202503028754692757",="00012345",2025-03-03 09:30:00,"=""35.00"""\n'
)
case(
    "Excel-protected cells (Taobao)",
    '="..." written bare and CSV-quoted; ids keep every digit and their zeros',
    "excel_protected_taobao.csv",
    {
        "rows_read": 3,
        "clean": 3,
        "quarantine": {},
        "customers": ["00012345", "00012346", "00012345"],
        "order_ids": ["202503028754692755", "202503028754692756", "202503028754692757"],
        "amounts": [120.0, 80.5, 35.0],
        "currency": "CNY",
    },
    customer_id="买家会员名",
    date="订单创建时间",
    amount="买家实际支付金额",
    order_id="订单编号",
)
FILES["wechat_pay_bill_gbk.csv"] = (
    "微信支付账单明细,,,,\n"
    "微信昵称：[小林咖啡],,,,\n"
    "起始时间：[2025-03-01 00:00:00] 终止时间：[2025-03-31 23:59:59],,,,\n"
    ",,,,\n"
    "----------------------微信支付账单明细列表--------------------,,,,\n"
    "交易时间,交易对方,商品,金额(元),交易单号\n"
    "2025-03-01 10:00:00\t,张伟\t,拿铁\t,¥32.00\t,4200001234567890123\t\n"
    "2025-03-02 15:30:00\t,李娜\t,美式\t,¥25.00\t,4200001234567890124\t\n"
    "2025-03-03 09:05:00\t,张伟\t,蛋糕\t,¥38.50\t,4200001234567890125\t\n"
).encode("gb18030")
case(
    "WeChat Pay bill (GBK, preamble, tab after every field)",
    "mainland bill: title lines above the header, fields ending in a tab to keep Excel off them",
    "wechat_pay_bill_gbk.csv",
    {
        "rows_read": 8,
        "clean": 3,
        "quarantine": {"before_header": 4, "blank": 1},
        "lines": {"before_header": [1, 2, 3, 5], "blank": [4]},
        "encoding": "gb18030",
        "currency": "CNY",
        "customers": ["张伟", "李娜", "张伟"],
        "order_ids": ["4200001234567890123", "4200001234567890124", "4200001234567890125"],
        "amounts": [32.0, 25.0, 38.5],
    },
    customer_id="交易对方",
    date="交易时间",
    amount="金额(元)",
    order_id="交易单号",
)
FILES["scientific_ids.csv"] = _u(
    H
    + "8.86912E+11,2025-01-02,10\n"
    + "886912345678,2025-01-03,20\n"
    + "8.86912E+11,2025-01-04,30\n"
    + "886912999999,2025-01-05,40\n"
)
case(
    "customer ids in scientific notation",
    "Excel turned 12-digit ids into 8.86912E+11: two customers would merge; quarantined loudly",
    "scientific_ids.csv",
    {
        "rows_read": 4,
        "clean": 2,
        "quarantine": {"bad_id": 2},
        "lines": {"bad_id": [2, 4]},
        "reason_contains": ["is in scientific notation"],
        "note_contains": "WARNING: 2 line(s) have customer ids damaged by Excel",
    },
)
FILES["lost_leading_zeros.csv"] = _u(
    H
    + "0912345678,2025-01-02,10\n"
    + "0922333444,2025-01-03,20\n"
    + "912345678,2025-01-04,30\n"
    + "0933111222,2025-01-05,40\n"
)
case(
    "customer ids that lost their leading zeros",
    "phone-number ids: 912345678 is 0912345678 after Excel; quarantined with the likely id",
    "lost_leading_zeros.csv",
    {
        "rows_read": 4,
        "clean": 3,
        "quarantine": {"bad_id": 1},
        "lines": {"bad_id": [4]},
        "reason_contains": ["leading zeros were probably lost (as '0912345678')"],
    },
)
FILES["invisible_id_chars.csv"] = _u(
    H
    + "M001,2025-01-02,10\n"
    + "M001\u200b,2025-01-03,20\n"
    + "\ufeffM001,2025-01-04,30\n"
    + "M001\u00a0,2025-01-05,40\n"
    + "Ｍ００１,2025-01-06,50\n"
    + "M002\u2060,2025-01-07,60\n"
)
case(
    "ids with zero-width spaces, BOMs, NBSP and full-width characters",
    "one customer stays one customer; the report counts the normalised ids",
    "invisible_id_chars.csv",
    {
        "rows_read": 6,
        "clean": 6,
        "quarantine": {},
        "customers": ["M001", "M001", "M001", "M001", "M001", "M002"],
        "note_contains": "5 distinct customer id(s) on 5 line(s) were normalised",
    },
)
FILES["bom_in_header_and_nbsp.csv"] = _u(
    "\u200bcustomer_id\u00a0,date,amount\u200b\nA,2025-01-02,10\n"
)
case(
    "header names with invisible characters",
    "a zero-width space and NBSP around header names do not hide the column",
    "bom_in_header_and_nbsp.csv",
    {"rows_read": 1, "clean": 1, "quarantine": {}},
)

# ----------------------------------------------------------------- file mechanics

FILES["unclosed_quote.csv"] = _u(
    H_NOTE
    + 'A,2025-01-02,10,"ok"\n'
    + 'B,2025-01-03,20,"broken\n'
    + 'C,2025-01-04,30,"fine"\n'
    + "D,2025-01-05,40,plain\n"
    + 'E,2025-01-06,50,"also, fine"\n'
)
case(
    "unclosed quote",
    "line 3 opens a quote that is never closed: it alone is quarantined, reading goes on",
    "unclosed_quote.csv",
    {
        "rows_read": 5,
        "clean": 4,
        "quarantine": {"quote": 1},
        "lines": {"quote": [3]},
        "customers": ["A", "C", "D", "E"],
    },
)
FILES["unclosed_quote_amounts.csv"] = _u(
    H
    + "".join(f'C{i},2025-01-{1 + i % 28:02d},"NT${1000 + i:,}"\n' for i in range(20))
    + 'X,2025-02-01,"NT$1,234\n'
    + "".join(f'D{i},2025-02-{1 + i % 28:02d},"NT${2000 + i:,}"\n' for i in range(20))
)
case(
    "unclosed quote among quoted amounts",
    "every amount is quoted; one closing quote is missing and would flip all later quotes",
    "unclosed_quote_amounts.csv",
    {
        "rows_read": 41,
        "clean": 40,
        "quarantine": {"quote": 1},
        "lines": {"quote": [22]},
        "amount_total": sum(1000 + i for i in range(20)) + sum(2000 + i for i in range(20)),
    },
)
FILES["real_multiline_and_unclosed.csv"] = _u(
    H_NOTE
    + 'A,2025-01-02,10,"two\nlines"\n'
    + 'B,2025-01-03,20,"unclosed\n'
    + "C,2025-01-04,30,plain\n"
    + 'D,2025-01-05,40,"x\ny\nz"\n'
    + "E,2025-01-06,50,end\n"
)
case(
    "a real multi-line note and an unclosed quote",
    "the note on lines 2-3 is one record; line 4 is damaged; D spans lines 6-8",
    "real_multiline_and_unclosed.csv",
    {
        "rows_read": 5,
        "clean": 4,
        "quarantine": {"quote": 1},
        "lines": {"quote": [4]},
        "customers": ["A", "C", "D", "E"],
    },
)
FILES["trailing_delimiter_all.csv"] = _u(
    H + "A,2025-01-02,10,\nB,2025-01-03,20,\nC,2025-01-04,30\nD,2025-01-05,40,x\n"
)
case(
    "trailing delimiter on most lines",
    "lines end with ',' the header lacks; a line without it is fine; a filled extra field is not",
    "trailing_delimiter_all.csv",
    {
        "rows_read": 4,
        "clean": 3,
        "quarantine": {"malformed": 1},
        "lines": {"malformed": [5]},
        "note_contains": "end with a delimiter the header lacks",
    },
)
FILES["trailing_delimiter_some.csv"] = _u(
    H + "A,2025-01-02,10\nB,2025-01-03,20,\nC,2025-01-04,30\nD,2025-01-05\n"
)
case(
    "trailing delimiter on one line",
    "one line has an empty extra field: read; a short line is still malformed",
    "trailing_delimiter_some.csv",
    {
        "rows_read": 4,
        "clean": 3,
        "quarantine": {"malformed": 1},
        "customers": ["A", "B", "C"],
        "note_contains": "1 line(s) end with a delimiter the header lacks",
    },
)

# ----------------------------------------------------------------- encodings

_body = _rows_utf8_chinese(3000)
_lines = _body.splitlines(keepends=True)
_bad = _lines[2500].encode("utf-8").replace("明".encode(), b"\xe6\x98")  # cut the last byte
FILES["utf8_cut_char_far.csv"] = (
    _u("customer_id,date,amount,name\n")
    + "".join(_lines[:2500]).encode("utf-8")
    + _bad
    + "".join(_lines[2501:]).encode("utf-8")
)
case(
    "UTF-8 with a cut multi-byte character far into the file",
    "line 2502 of 3001 lost one byte: only that line is quarantined; nothing else garbled",
    "utf8_cut_char_far.csv",
    {
        "rows_read": 3000,
        "clean": 2999,
        "quarantine": {"encoding": 1},
        "lines": {"encoding": [2502]},
        "encoding": "utf-8",
    },
    keep=["name"],
)
_bad2 = _lines[1800].encode("utf-8").replace(b",", b"\xff,", 1)
FILES["utf8_bad_byte_far.csv"] = (
    _u("customer_id,date,amount,name\n")
    + "".join(_lines[:1800]).encode("utf-8")
    + _bad2
    + "".join(_lines[1801:]).encode("utf-8")
)
case(
    "UTF-8 with one bad byte far into the file",
    "a stray 0xFF on line 1802: that line is quarantined",
    "utf8_bad_byte_far.csv",
    {
        "rows_read": 3000,
        "clean": 2999,
        "quarantine": {"encoding": 1},
        "lines": {"encoding": [1802]},
        "encoding": "utf-8",
    },
    keep=["name"],
)
FILES["utf8_then_big5.csv"] = _u("customer_id,date,amount,name\n" + _rows_utf8_chinese(30)) + (
    "customer_id,date,amount,name\n" + _rows_utf8_chinese(5, 40)
).encode("cp950")
case(
    "UTF-8 export followed by a Big5 export",
    "two exports joined: the Big5 part does not decode as UTF-8 and is quarantined with why",
    "utf8_then_big5.csv",
    {
        "rows_read": 36,
        "clean": 30,
        # the second export's header line is ASCII: it decodes, and is the header again
        "quarantine": {"encoding": 5, "header_repeat": 1},
        "lines": {"header_repeat": [32]},
        "encoding": "utf-8",
        "reason_contains": ["the line reads as cp950: were two exports joined?"],
    },
    keep=["name"],
)
FILES["big5_then_utf8.csv"] = ("customer_id,date,amount,name\n" + _rows_utf8_chinese(30)).encode(
    "cp950"
) + _rows_utf8_chinese(4, 50).encode("utf-8")
case(
    "Big5 export followed by UTF-8 lines",
    "the UTF-8 lines would decode as Big5 into garbage: quarantined, not garbled",
    "big5_then_utf8.csv",
    {
        "rows_read": 34,
        "clean": 30,
        "quarantine": {"encoding": 4},
        "encoding": "cp950",
        "reason_contains": ["the line reads as utf-8: were two exports joined?"],
    },
    keep=["name"],
)
FILES["cp1252_european.csv"] = (
    "customer_id;date;amount;name\n"
    "A;05.03.2025;12,50 €;Café Müller\n"
    "B;06.03.2025;€ 1.200,00;Señora Núñez\n"
    "C;31.03.2025;99,00 €;François Dœuf\n"
).encode("cp1252")
case(
    "cp1252 (Western Windows) file",
    "é, ü, ñ, œ and € in cp1252: read as such, not as Big5 or GB18030",
    "cp1252_european.csv",
    {
        "rows_read": 3,
        "clean": 3,
        "quarantine": {},
        "encoding": "cp1252",
        "currency": "EUR",
        "amounts": [12.5, 1200, 99],
        "kept": {"name": ["Café Müller", "Señora Núñez", "François Dœuf"]},
        "dates": ["2025-03-05", "2025-03-06", "2025-03-31"],
    },
    decimal=",",
    keep=["name"],
)
FILES["big5_hkscs_eudc.csv"] = (
    "會員編號,交易日期,金額,姓名\n".encode("cp950")
    + "M1,2025/03/01,120,陳".encode("cp950")
    + b"\xfa\x40"  # HKSCS 𠕇
    + b"\n"
    + "M2,2025/03/02,80,黃".encode("cp950")
    + b"\x81\x40"  # user-defined (EUDC) character, outside HKSCS
    + b"\n"
    + "M3,2025/03/03,60,林志豪\n".encode("cp950")
)
case(
    "Big5 with HKSCS and user-defined characters",
    "rare name characters outside CP950 still read as Big5, not as GB18030 garbage",
    "big5_hkscs_eudc.csv",
    {
        "rows_read": 3,
        "clean": 3,
        "quarantine": {},
        "encoding": "cp950",
        "kept": {"姓名": ["陳𠕇", "黃\ueeb8", "林志豪"]},
        "note_contains": "user-defined Big5 character",
    },
    customer_id="會員編號",
    date="交易日期",
    amount="金額",
    keep=["姓名"],
)
FILES["utf16le_no_bom.txt"] = (
    "customer_id\tdate\tamount\nA\t2025-01-02\t10\nB\t2025-01-03\t20\n"
).encode("utf-16-le")
case(
    "UTF-16 without BOM, encoding given",
    "encoding='utf-16-le' is honoured before any sniffing",
    "utf16le_no_bom.txt",
    {"rows_read": 2, "clean": 2, "quarantine": {}, "encoding": "utf-16-le", "sep": "\t"},
    encoding="utf-16-le",
)
case(
    "UTF-16 without BOM, detected",
    "NUL bytes in every other position: read as UTF-16, not refused as binary",
    "utf16le_no_bom.txt",
    {
        "rows_read": 2,
        "clean": 2,
        "quarantine": {},
        "encoding": "utf-16-le",
        "note_contains": "without a byte-order mark",
    },
)
FILES["big5_read_as_utf8.csv"] = "會員編號,交易日期,金額\nM1,2025/03/01,120\n".encode("cp950")
case(
    "header does not decode: encoding given wrongly",
    "a Big5 file with encoding='utf-8': the error says the encoding may be wrong and which works",
    "big5_read_as_utf8.csv",
    {
        "error": "ValueError",
        "match": "the encoding may be wrong; the header reads correctly as encoding='cp950'",
    },
    customer_id="會員編號",
    date="交易日期",
    amount="金額",
    encoding="utf-8",
)
FILES["gb_header_traditional_names.csv"] = "会员编号,交易日期,金额\nM1,2025-03-01,120\n".encode(
    "gb18030"
)
case(
    "header does not decode to the mapped names: encodings tried are listed",
    "simplified header, traditional names asked for: error lists the encodings tried",
    "gb_header_traditional_names.csv",
    {"error": "ValueError", "match": "detected; tried utf-8, cp950, gb18030, cp1252"},
    customer_id="會員編號",
    date="交易日期",
    amount="金額",
)

# ----------------------------------------------------------------- Excel and HTML

FILES["html_table.xls"] = _u(
    "<html><head><meta charset='utf-8'></head><body>\n"
    "<table><tr><td>銷售報表</td></tr></table>\n"
    "<table border=1>\n"
    "<tr><th>會員編號</th><th>交易日期</th><th>金額</th></tr>\n"
    "<tr><td>M1</td><td>2025/03/01</td><td>NT$1,200</td></tr>\n"
    "<tr><td>M2</td><td>2025/03/02</td><td>80</td></tr>\n"
    "<tr><td>合計</td><td></td><td>1,280</td></tr>\n"
    "</table></body></html>\n"
)
case(
    "HTML table saved as .xls",
    "many web back-offices export an HTML page named .xls: its table is read, and the report says so",
    "html_table.xls",
    {
        "rows_read": 3,
        "clean": 2,
        "quarantine": {"total": 1},
        "amounts": [1200, 80],
        "note_contains": "is a web page (HTML) saved with a .xls name",
    },
    customer_id="會員編號",
    date="交易日期",
    amount="金額",
)
FILES["html_no_table.xls"] = _u(
    "<!DOCTYPE html><html><body><p>Session expired</p></body></html>\n"
)
case(
    "HTML page without a table saved as .xls",
    "a login page saved instead of the export",
    "html_no_table.xls",
    {"error": "ValueError", "match": "web page (HTML) without a <table>"},
)


def _xlsx_named_csv(folder: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["customer_id", "date", "amount"])
    ws.append(["A", "2025-01-02", 10])
    ws.append(["B", "2025-01-03", 20])
    path = folder / "export.csv"
    wb.save(path)
    return path


def _xlsx_second_sheet(folder: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "說明"
    ws.append(["本報表由系統產生"])
    ws2 = wb.create_sheet("銷售明細")
    ws2.append(["會員編號", "交易日期", "金額"])
    ws2.append(["M1", "2025/03/01", 120])
    ws2.append(["M2", "2025/03/02", 80])
    path = folder / "two_sheets.xlsx"
    wb.save(path)
    return path


def _xlsx_merged_items(folder: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["訂單編號", "會員編號", "交易日期", "品名", "金額"])
    ws.append(["A001", "M1", "2025/03/01", "拿鐵", 120])
    ws.append([None, None, None, "蛋糕", 90])
    ws.append([None, None, None, "美式咖啡", 100])
    ws.append(["A002", "M2", "2025/03/02", "拿鐵", 120])
    for col in "ABC":
        ws.merge_cells(f"{col}2:{col}4")
    path = folder / "merged.xlsx"
    wb.save(path)
    return path


def _monthly_files(folder: Path) -> list[Path]:
    jan = folder / "2025-01.csv"
    feb = folder / "2025-02.csv"
    jan.write_text(H + "A,2025-01-02,10\nB,2025-01-31,20\n", encoding="utf-8")
    # February's export starts one day early: the 2025-01-31 line is in both files.
    feb.write_text(H + "B,2025-01-31,20\nC,2025-02-03,30\nA,2025-02-04,40\n", encoding="utf-8-sig")
    return [jan, feb]


BUILDERS = {
    "xlsx_named_csv": _xlsx_named_csv,
    "xlsx_second_sheet": _xlsx_second_sheet,
    "xlsx_merged_items": _xlsx_merged_items,
    "monthly_files": _monthly_files,
}


def build(name: str, folder: Path):
    """Build the binary case ``name`` into ``folder`` and return its source."""
    return BUILDERS[name](folder)


def case_built(name: str, why: str, build_name: str, expect: dict, **kwargs) -> None:
    case(name, why, None, expect, **kwargs)
    CASES[-1]["build"] = build_name


case_built(
    "workbook saved with a .csv name",
    "the file type comes from its bytes, not its name; the report says so",
    "xlsx_named_csv",
    {
        "rows_read": 2,
        "clean": 2,
        "quarantine": {},
        "note_contains": "is an Excel workbook despite its .csv name",
    },
)
case_built(
    "data on the second sheet",
    "the first sheet is a cover note: the sheet with the mapped columns is picked and named",
    "xlsx_second_sheet",
    {
        "rows_read": 2,
        "clean": 2,
        "quarantine": {},
        "note_contains": "read sheet '銷售明細', the first with the mapped columns (sheets: '說明', '銷售明細')",
    },
    customer_id="會員編號",
    date="交易日期",
    amount="金額",
)
case_built(
    "sheet given that lacks the columns",
    "sheet_name=0 is the cover note: the error lists the columns found",
    "xlsx_second_sheet",
    {"error": "ValueError", "match": "no column '會員編號'"},
    customer_id="會員編號",
    date="交易日期",
    amount="金額",
    sheet_name=0,
)
case_built(
    "merged cells over item rows",
    "order, member and date merged over three item rows: filled down, and the report says so",
    "xlsx_merged_items",
    {
        "rows_read": 4,
        "clean": 4,
        "quarantine": {},
        "customers": ["M1", "M1", "M1", "M2"],
        "order_ids": ["A001", "A001", "A001", "A002"],
        "note_contains": "3 merged cell range(s) in sheet 'Sheet' were filled down over 6 row(s)",
    },
    customer_id="會員編號",
    date="交易日期",
    amount="金額",
    order_id="訂單編號",
)
case_built(
    "two monthly exports in one go",
    "a list of files; the line both exports hold is quarantined as an overlap duplicate",
    "monthly_files",
    {
        "rows_read": 5,
        "clean": 4,
        "quarantine": {"duplicate": 1},
        "customers": ["A", "B", "C", "A"],
        "reason_contains": ["exact duplicate of line 3 in '2025-01.csv' (the exports overlap)"],
    },
)


def manifest() -> dict:
    return {"as_of": AS_OF, "cases": CASES}


def main() -> None:
    for name, data in FILES.items():
        (HERE / name).write_bytes(data)
    text = json.dumps(manifest(), ensure_ascii=False, indent=1) + "\n"
    (HERE / "manifest.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
