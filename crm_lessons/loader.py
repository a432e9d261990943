"""Load a shop's own transaction export, say precisely what is wrong, and lose nothing.

Real exports are messy: point-of-sale dumps in Big5 or GB18030 with Chinese
headers, Excel files whose dates are serial numbers, amounts written
``"NT$1,200"`` or ``"(1,200)"``, refunds, walk-in sales without a member number,
duplicated lines and a ``合計`` (total) line at the bottom.
:func:`load_transactions` maps the file's own column names onto the course's
canonical ones (:data:`crm_lessons.schema.TABLES` ``["transactions"]``) and
returns a :class:`LoadResult`:

* ``.clean``: one row per valid transaction line, canonical columns and dtypes,
  indexed by the line number in the source;
* ``.quarantine``: every rejected line with its 1-based line number, its
  original values and a human-readable ``reason``;
* ``.summary()`` / ``.report()``: counts per reason, the encoding, date order
  and currency that were used, and notes on anything that was guessed.

The invariant ``rows_read == len(clean) + len(quarantine)`` always holds: every
line after the header is either loaded or quarantined with a reason.

What is accepted
----------------
Files
    CSV or TSV (delimiter ``,``, tab, ``;`` or ``|``, detected unless ``sep``
    is given), Excel ``.xlsx`` (the sheet with the mapped columns is found
    unless ``sheet_name`` is given; merged cells are filled down over the
    rows they cover), an HTML table saved as ``.xls`` by a web back-office,
    Parquet, a :class:`pandas.DataFrame`, or a list of any of these (monthly
    exports loaded in one go; a line repeated in a later file is quarantined
    as an overlap duplicate). The file type is recognised from its bytes, not
    from its name.
Encodings
    ``encoding=`` when given is used first, before any sniffing (e.g.
    ``"utf-16-le"`` for UTF-16 without a byte-order mark). Otherwise: a BOM
    decides; UTF-16 without BOM is recognised by its NUL bytes; UTF-8 is
    chosen when most lines with non-ASCII bytes are valid UTF-8; else CP950
    (Big5, with HKSCS and Windows' user-defined characters), GB18030 or
    cp1252, whichever decodes nearly every line and reads as the most
    plausible text (common Chinese characters, or isolated accented letters),
    with the mapped column names in the header preferred. The whole file is
    decoded, so a bad byte far from the start is found; **a line that does
    not decode** (a bad byte, a cut character, a second export in another
    encoding) is quarantined with the reason, never decoded into garbage.
    When the header does not show the mapped names, the error says which
    encoding was used, which were tried, and which one would read them.
Amounts
    Digits with an optional sign, ``,`` thousands separators and ``.``
    decimal point, a currency symbol or code before or after (``NT$``,
    ``US$``, ``HK$``, ``S$``, ``RM``, ``£``, ``€``, ``₩``/``원``, ``¥``/``円``,
    ``元``, ISO codes such as ``TWD`` or ``JPY`` ...), accounting negatives
    ``(1,200)``, a trailing minus ``1200-``, full-width characters and
    Excel's text protection ``="120.00"``. European ``1.234,50 €`` is read
    only with ``decimal=","``; otherwise such values are quarantined with a
    reason that says so. ``"$"`` and ``"元"`` name no particular currency;
    ``¥`` is the yuan unless ``currency="JPY"`` or the file also writes ``円``
    or ``JPY``. A line whose amount names another currency than the file's is
    quarantined. A file without any symbol gets no currency (``None``).
Dates
    ISO ``2024-03-15`` (also with ``/`` or ``.``, with a time, milliseconds,
    or ``2024年3月15日``), Taiwan's Minguo years ``113/03/15`` (year 113 =
    2024), compact ``20240315``, Excel serial numbers (``45366`` =
    2024-03-15), day-first or month-first ``15/03/2024`` / ``03/15/2024``,
    month names (``15 Mar 2024``), 12-hour clocks (``2:22 PM``,
    ``下午 02:22:10``) and Unix epoch seconds or milliseconds (read when at
    least 90 % of the column is epoch numbers; they are UTC). When
    ``dayfirst`` is not given, the order is inferred from values that can
    only be read one way; values that contradict the majority are
    quarantined; fully ambiguous columns are read month-first and the report
    says so.
Time zones (one rule)
    A time with a UTC offset (``+0800``, ``+08:00``, ``Z``) is converted to
    the shop's zone ``timezone`` and the offset dropped, so every date is the
    shop's local wall-clock time. With ``timezone=None`` (the default) the
    shop's zone is taken to be the one the file was written in: each time is
    kept as written and its offset dropped (right for exports written in the
    shop's local time, including offsets that change with daylight saving);
    when every offset is UTC (``Z``), or the dates are epoch numbers, the
    report asks for ``timezone=`` because late-evening sales would otherwise
    fall on the next day.
Dates out of range
    Placeholders (``9999-12-31``, ``0000-00-00``, ``1900-01-00``,
    ``1900-01-01`` ...) are quarantined as placeholders, dates before
    ``min_date`` (default 1980-01-01) and after ``as_of`` as out of range:
    no date is ever overflowed into another century.
Ids
    Customer ids are normalised (full-width to ASCII, zero-width spaces,
    stray BOMs, NBSPs and Excel's ``="..."`` removed) so one customer stays
    one customer; the report counts the ids changed. Ids that Excel damaged
    (scientific notation ``8.86912E+11``, or numbers shorter than the
    zero-padded ids beside them, ``912345678`` next to ``0912345678``) are
    quarantined and the report warns in capitals: they can merge different
    customers.

What happens to which line
--------------------------
* blank lines, totals lines (``合計``, ``合计``, ``總計``, ``总计``, ``小計``,
  ``Total``, ``Subtotal`` ...), lines with the wrong number of fields (an
  extra *empty* last field, a trailing delimiter, is accepted), a line that
  opens a quote it never closes (only that line: the lines after it are read
  normally), lines before the header, lines that do not decode, missing,
  placeholder, unreadable or out-of-range dates, missing or unreadable
  amounts, amounts in another currency, quantities that are not whole
  numbers, damaged customer ids and exact duplicates of an earlier line
  (``drop_duplicates=True``): quarantined, one reason per line (the first
  that applies, in the order of :data:`REASONS`);
* refunds and returns (negative amount or quantity, or an order number that
  starts with ``return_prefix`` followed by a digit, such as ``C536379``):
  kept, with ``is_return`` set;
* walk-in sales (blank member number): kept with a missing ``customer_id``
  and counted in the report.

Problems with the file as a whole (it is empty, not a table, has no data
rows, lacks a mapped column, or has that column twice) raise
:class:`ValueError` with a message that names the file and column and
suggests the closest existing column names.

Line numbers
------------
``line`` is the 1-based physical line in a text file (the header is a line;
a quoted value spanning two lines moves the following ones down), the row
number in an Excel sheet, and the 1-based row position for Parquet files and
DataFrames.

Speed
-----
Everything is vectorised: the file is parsed by Arrow's multi-threaded CSV
reader with every column as text, each mapped column is dictionary-encoded
once and dates, amounts and ids are parsed on the distinct values only.
``bench/bench_loader.py`` compares 1,000,000 lines with a bare
``pandas.read_csv``.

Examples
--------
>>> import pandas as pd
>>> raw = pd.DataFrame({
...     "member": ["M1", "M1", "", "M2", "合計"],
...     "day": ["2024-03-01", "2024-03-01", "2024-03-02", "2024-13-01", ""],
...     "paid": ["NT$1,200", "NT$1,200", "80", "(150)", "1,430"],
... })
>>> res = load_transactions(raw, customer_id="member", date="day", amount="paid",
...                         as_of="2024-06-30")
>>> res.clean[["customer_id", "amount", "is_return"]]
     customer_id  amount  is_return
line
1             M1  1200.0      False
3           <NA>    80.0      False
>>> for row in res.quarantine.itertuples():
...     print(row.line, row.reason)
2 exact duplicate of line 1
4 date '2024-13-01' is not a valid date
5 totals line ('合計'), not a sale
>>> res.rows_read, res.currency
(5, 'TWD')
"""

from __future__ import annotations

import codecs
import csv
import difflib
import html.parser
import io
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from crm_lessons import schema

__all__ = [
    "REASONS",
    "SUPPORTED_ENCODINGS",
    "LoadResult",
    "detect_encoding",
    "load_transactions",
]

#: Encodings tried, in this order, when ``encoding`` is not given.
SUPPORTED_ENCODINGS = (
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "cp950",
    "gb18030",
    "cp1252",
)

#: Why a line can be quarantined, in order of precedence (a line gets the first
#: reason that applies), with the words the report uses.
REASONS: dict[str, str] = {
    "malformed": "wrong number of fields on the line",
    "quote": "a quoted value is never closed",
    "before_header": "text before the header row",
    "blank": "blank line",
    "total": "totals / summary line",
    "header_repeat": "the header row again (exports joined?)",
    "encoding": "characters that cannot be decoded",
    "missing_date": "date is missing",
    "placeholder_date": "date is a placeholder, not a real date",
    "bad_date": "date cannot be read",
    "date_order": "day/month order contradicts the rest of the column",
    "too_old": "date is before min_date",
    "future_date": "date is after the as-of date",
    "missing_amount": "amount is missing",
    "bad_amount": "amount is not a number",
    "decimal_comma": "amount uses ',' as decimal mark",
    "currency": "amount is in another currency",
    "bad_quantity": "quantity is not a whole number",
    "bad_id": "customer id damaged by Excel (scientific notation or lost zeros)",
    "duplicate": "exact duplicate of an earlier line",
}
_PRE_REASONS = ("malformed", "quote", "before_header")
_ROW_REASONS = [r for r in REASONS if r not in _PRE_REASONS]
_CODE = {r: i + 1 for i, r in enumerate(_ROW_REASONS)}

_TOTALS_RE = (
    r"(?i)^\s*(?:grand\s*total|sub\s*-?\s*total|totals?\b|sum\b|合\s*計|合\s*计|總\s*計|"
    r"总\s*计|小\s*計|小\s*计|總\s*和|总\s*和|共\s*計|共\s*计|總\s*額|总\s*额)"
)
_NA_TOKENS = {"", "nan", "none", "null", "na", "n/a", "#n/a", "-", "--", "—", "nat"}
_SEPARATORS = (",", "\t", ";", "|")
_SEP_NAMES = {",": "comma", "\t": "tab", ";": "semicolon", "|": "pipe"}
_CURRENCY_TOKENS = {
    "NT$": "TWD",
    "NTD": "TWD",
    "TWD": "TWD",
    "US$": "USD",
    "USD": "USD",
    "HK$": "HKD",
    "HKD": "HKD",
    "S$": "SGD",
    "SGD": "SGD",
    "A$": "AUD",
    "AUD": "AUD",
    "C$": "CAD",
    "CAD": "CAD",
    "MOP$": "MOP",
    "MOP": "MOP",
    "RM": "MYR",
    "MYR": "MYR",
    "RMB": "CNY",
    "CNY": "CNY",
    "人民幣": "CNY",
    "人民币": "CNY",
    "EUR": "EUR",
    "€": "EUR",
    "GBP": "GBP",
    "£": "GBP",
    "JPY": "JPY",
    "円": "JPY",
    "KRW": "KRW",
    "₩": "KRW",
    "원": "KRW",
    "THB": "THB",
    "฿": "THB",
    "VND": "VND",
    "₫": "VND",
    "PHP": "PHP",
    "₱": "PHP",
    "IDR": "IDR",
    "Rp": "IDR",
    "INR": "INR",
    "₹": "INR",
    "CHF": "CHF",
    "¥": "¥",  # yuan or yen: settled by currency= or the other symbols in the file
    "$": "",
    "元": "",
    "圓": "",
}
#: Symbols that name one of several currencies.
_AMBIGUOUS_CURRENCY = {"¥": ("CNY", "JPY")}
_CURRENCY_RE = (
    "("
    + "|".join(re.escape(k) for k in sorted(_CURRENCY_TOKENS, key=lambda k: (-len(k), k)))
    + ")"
)
# Characters that are invisible but make two ids differ (zero-width, BOM, soft hyphen).
_INVISIBLE_RE = "[\u200b-\u200d\u2060\ufeff\u00ad\u180e]"
_SCI_ID_RE = r"^\d(?:\.\d+)?[eE]\+\d{2}$"  # as Excel writes it: 8.86912E+11

# Frequent Chinese characters in both scripts, used to tell Big5 from GB18030
# when both decode a file: text decoded with the wrong one is mostly rare characters.
_COMMON_HANZI = set(
    "的一是不了人我在有他這这个個們们中來来上大為为和國国地到以說说時时要就出會会可也你對对生能"
    "而子那得於于著着下自之年過过發发後后作裡里用道行所然家種种事成方多經经麼么去法學学如都同現现"
    "當当沒没動动面起看定天分還还進进好小部其些主樣样理心她本前開开但因只從从想實实日者意無无力"
    "它與与長长把機机十民第公此已工使情明性知全三又關关點点正業业外將将兩两高間间由問问很最重並"
    "并物手應应向頭头文體体政美相見见被利什二等產产或新己制身果加西月話话合回特代內内信表化老給给"
    "世位次度門门任常先海通教兒儿原東东聲声提立及比員员解水名真論论處处走義义各入幾几口認认條条"
    "平系氣气題题活更別别打女變变四神總总何電电數数安少報报才結结反受目太量再感建務务做接必場场"
    "件計计管期市直德資资命山金指克許许統统區区保至隊队形社便空決决治展馬马科司五基眼書书非則则"
    "聽听白界達达光放強强即像難难且權权思王象完設设式色路記记南品住告類类求據据程北邊边張张該该"
    "交規规萬万取拉格望覺觉術术領领共確确傳传師师觀观清今切院讓让識识候帶带導导爭争運运笑飛飞風"
    "风步改收根造言聯联持組组每濟济車车親亲極极林服快辦办議议往元英士證证近失轉转夫令準准布始怎"
    "存未遠远叫台單单影具羅罗字愛爱擊击流備备兵連连調调深商算質质團团集百需價价花華华城石級级整"
    "府離离況况亞亚請请技際际約约示復复病息究線线似官火斷断精滿满支視视消越器容照須须九增研寫写"
    "稱称企八功包片史委乎查輕轻易早曾除農农找裝装廣广顯显吧李標标談谈吃圖图念六引歷历首醫医局突"
    "專专費费號号另周較较注語语僅仅考落青隨随選选列武紅红響响雖虽推勢势參参希古眾众構构房半節节"
    "土投某案黑維维革劃划致陳陈律足態态護护七興兴派孩驗验責责營营星夠够章音跟志底站嚴严巴例防族"
    "供效續续施留講讲型料終终答緊紧黃黄絕绝奇察母京段依批群項项故按河米圍围江織织害客紀纪採采舉"
    "举友止細细願愿千值仍男錢钱破網网熱热助倒育屬属坐限船臉脸職职速刻樂乐否剛刚威毛狀状率甚獨独"
    "球般普怕彈弹校苦創创假久錯错承印晚試试股拿腦脑預预誰谁益陽阳若哪微繼继送急血驚惊傷伤素藥药"
    "適适波夜省初喜衛卫源食險险待述陸陆習习置居勞劳財财環环排福納纳歡欢獲获模充負负停木遊游龍龙"
    "樹树疑層层冷洲射略範范竟句室異异激村策演簡简卡罪判擔担州靜静退既衣您宗積积餘余痛檢检差富靈"
    "灵協协角配征修皮揮挥勝胜降階阶審审沉堅坚善媽妈劉刘讀读超免壓压銀银買买皇養养伊懷怀執执副亂"
    "乱抗犯追幫帮宣佛歲岁航優优怪香田鐵铁控稅税左右份穿藝艺背陣阵草腳脚概惡恶塊块頓顿敢守酒島岛"
    "托央戶户烈洋哥索胡款靠評评版寶宝座釋释景顧顾弟登貨货互付伯慢歐欧換换聞闻危忙核暗姐介壞坏討"
    "讨麗丽良序升監监臨临亮露永呼味野架域沙掉括艦舰魚鱼雜杂誤误湯汤會員会员編编碼码額额量號单訂"
    "订購购退貨货備注註客戶户顧顾姓名話话市門门店鋪铺時間间付款現现刷卡發发票收銀银機台北中高雄"
    "咖啡拿鐵铁美式茶蛋糕豆杯熱冰紅红綠绿奶糖飲饮料餐點点早午晚"
)

_ISO_RE = (
    r"^(?:民國|民国)?\s*(\d{3,4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?$"
)
_DMY_RE = (
    r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})"
    r"(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?$"
)
_COMPACT_RE = r"^(\d{4})(\d{2})(\d{2})$"
_SERIAL_RE = r"^\d{5}(?:\.\d+)?$"
_EXCEL_EPOCH = np.datetime64("1899-12-30", "ns")


# --------------------------------------------------------------------- result


@dataclass
class LoadResult:
    """What :func:`load_transactions` read: clean lines, quarantined lines, and how.

    Attributes
    ----------
    clean : pandas.DataFrame
        Valid transaction lines with the canonical columns ``customer_id``,
        ``date``, ``amount``, ``quantity``, ``order_id``, ``is_return`` (plus any
        ``keep`` columns), indexed by the 1-based source ``line``.
    quarantine : pandas.DataFrame
        Rejected lines: ``line``, ``reason_code`` (a key of :data:`REASONS`),
        ``reason`` (in words, quoting the offending value), the original values
        of every source column, and ``raw_text`` for lines that could not be
        split into fields.
    source : str
        File name, or ``"DataFrame"``.
    rows_read : int
        Lines after the header (including blank and totals lines); always
        ``len(clean) + len(quarantine)``.
    encoding : str or None
        Text encoding used (None for Excel, Parquet and DataFrames).
    encoding_detected : bool
        True when the encoding was detected rather than given.
    sep : str or None
        Field delimiter used for text files.
    currency : str or None
        ISO code of the amounts: given, detected from symbols, or None.
    currency_detected : bool
        True when the currency was read from symbols in the file.
    dayfirst : bool or None
        Day/month order used for dates such as ``03/04/2024``; None when the
        column had no such dates.
    as_of : pandas.Timestamp
        Dates after this day were quarantined.
    date_formats : dict of str to int
        Date formats found and how many lines used each.
    notes : list of str
        Everything that was guessed or is worth a look.
    """

    clean: pd.DataFrame
    quarantine: pd.DataFrame
    source: str
    rows_read: int
    encoding: str | None = None
    encoding_detected: bool = False
    sep: str | None = None
    currency: str | None = None
    currency_detected: bool = False
    dayfirst: bool | None = None
    as_of: pd.Timestamp | None = None
    date_formats: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def n_walk_in(self) -> int:
        """Number of clean lines without a customer (walk-in sales)."""
        return int(self.clean[schema.CUSTOMER_ID].isna().sum())

    @property
    def n_returns(self) -> int:
        """Number of clean lines flagged as returns or refunds."""
        return int(self.clean[schema.IS_RETURN].sum())

    def summary(self) -> pd.DataFrame:
        """Count the quarantined lines per reason.

        Returns
        -------
        pandas.DataFrame
            Index ``reason_code`` (in order of precedence); columns
            ``description``, ``lines`` and ``first_line`` (the first line with
            that reason, to look at in the file). Only reasons that occurred.

        Examples
        --------
        >>> df = pd.DataFrame({"customer_id": ["A", "A", "B"],
        ...                    "date": ["2024-01-02", "2024-01-02", "2099-01-01"],
        ...                    "amount": [10, 10, 5]})
        >>> load_transactions(df, as_of="2024-12-31").summary()
                                             description  lines  first_line
        reason_code
        future_date         date is after the as-of date      1           3
        duplicate    exact duplicate of an earlier line      1           2
        """
        q = self.quarantine
        many = "source_file" in q.columns  # several files: say which file too
        rows = []
        for code, desc in REASONS.items():
            sel = q[q["reason_code"] == code]
            if len(sel):
                row = [
                    code,
                    desc,
                    len(sel),
                    int(sel["line"].iloc[0] if many else sel["line"].min()),
                ]
                rows.append(row + ([sel["source_file"].iloc[0]] if many else []))
        cols = ["reason_code", "description", "lines", "first_line"] + (
            ["first_file"] if many else []
        )
        return pd.DataFrame(rows, columns=cols).set_index("reason_code")

    def report(self) -> str:
        """Describe the load in plain words: what was read, kept, rejected and guessed.

        Returns
        -------
        str
            A multi-line text; print it.
        """
        c = self.clean
        lines = [f"Source: {self.source}"]
        if self.encoding is not None:
            how = "detected" if self.encoding_detected else "given"
            if self.sep is None:
                lines.append(f"Encoding: {self.encoding} ({how})")
            else:
                sep = _SEP_NAMES.get(self.sep, repr(self.sep))
                lines.append(f"Encoding: {self.encoding} ({how}); delimiter: {sep}")
        lines.append(
            f"Lines read: {self.rows_read:,} = {len(c):,} loaded + "
            f"{len(self.quarantine):,} quarantined"
        )
        # Warnings first: they can change what the numbers below mean.
        lines.extend(n for n in self.notes if "WARNING" in n)
        summ = self.summary()
        if len(summ):
            lines.append("Quarantined, by reason:")
            width = max(len(d) for d in summ["description"])
            for _code, row in summ.iterrows():
                lines.append(
                    f"  {row['description']:<{width}}  {row['lines']:>7,}  "
                    f"(first at line {row['first_line']}"
                    + (f" of {row['first_file']})" if "first_file" in summ.columns else ")")
                )
        if len(c):
            n_cust = c[schema.CUSTOMER_ID].nunique()
            lines.append(
                f"Loaded: {len(c):,} lines, {n_cust:,} customers, "
                f"{self.n_walk_in:,} walk-in lines (no member id), "
                f"{self.n_returns:,} returns/refunds"
            )
            d0, d1 = c[schema.DATE].min(), c[schema.DATE].max()
            lines.append(f"Dates: {d0:%Y-%m-%d} to {d1:%Y-%m-%d} (as of {self.as_of:%Y-%m-%d})")
            if self.date_formats:
                fmts = ", ".join(f"{k} ({v:,})" for k, v in self.date_formats.items())
                lines.append(f"Date formats: {fmts}")
            cur = self.currency or "unknown (pass currency=...)"
            how = " (from the symbols in the file)" if self.currency_detected else ""
            total = c[schema.AMOUNT].sum()
            lines.append(f"Currency: {cur}{how}; total amount {total:,.2f}")
        rest = [n for n in self.notes if "WARNING" not in n]
        if rest:
            lines.append("Notes:")
            lines.extend(f"  - {n}" for n in rest)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"LoadResult(source={self.source!r}, rows_read={self.rows_read}, "
            f"clean={len(self.clean)}, quarantined={len(self.quarantine)})"
        )


# ------------------------------------------------------------------ encodings


def _hanzi_score(text: str) -> float:
    """Share of common Chinese characters among the non-ASCII ones, minus oddities."""
    non_ascii = [ch for ch in text if ord(ch) > 127]
    if not non_ascii:
        return 0.0
    common = sum(ch in _COMMON_HANZI for ch in non_ascii)
    odd = sum(
        0xE000 <= ord(ch) <= 0xF8FF  # private use
        or 0x3040 <= ord(ch) <= 0x30FF  # kana
        or 0x0370 <= ord(ch) <= 0x052F  # Greek, Cyrillic
        or 0x2500 <= ord(ch) <= 0x257F  # box drawing
        or 0xAC00 <= ord(ch) <= 0xD7AF  # Hangul
        or ch == "\ufffd"
        for ch in non_ascii
    )
    return (common - odd) / len(non_ascii)


def detect_encoding(data: bytes, *, must_contain: Sequence[str] = ()) -> tuple[str, bool]:
    r"""Guess the text encoding of a file's bytes.

    Parameters
    ----------
    data : bytes
        The file's content (or a large enough part of it).
    must_contain : sequence of str, optional
        Column names expected in the header; a decoding in which they appear
        is preferred (this settles Big5 vs GB18030).

    Returns
    -------
    encoding : str
        One of :data:`SUPPORTED_ENCODINGS`.
    strict : bool
        False when some lines do not decode in the returned encoding (the
        loader quarantines those lines with the reason).

    Notes
    -----
    The whole file is examined. A byte-order mark decides; UTF-16 without
    one is recognised by its NUL bytes; UTF-8 wins when most lines with
    non-ASCII bytes are valid UTF-8 (by chance that almost never happens in
    another encoding). Otherwise CP950 (with HKSCS and user-defined
    characters), GB18030 and cp1252 are tried, and among those that decode
    nearly every line the one whose text is the most plausible (common
    Chinese characters; isolated accented letters) is chosen, a header
    showing ``must_contain`` first.

    Examples
    --------
    >>> detect_encoding("會員編號,金額\n".encode("cp950"))
    ('cp950', True)
    >>> detect_encoding("会员编号,金额\n".encode("gb18030"))
    ('gb18030', True)
    >>> detect_encoding("\ufeffid,amount\n".encode("utf-8"))
    ('utf-8-sig', True)
    >>> detect_encoding("name,amount\nCafé Müller,12\n".encode("cp1252"))
    ('cp1252', True)
    >>> detect_encoding(b"id,amount\nA,1\nB\xff,2\n")  # one bad byte in UTF-8
    ('utf-8', False)
    """
    dec = _decode_text(data, None, must_contain)
    return dec.encoding, not dec.bad


def _eudc_char(lead: int, trail: int) -> str | None:
    """Big5 user-defined character -> the private-use character Windows (CP950) maps it to."""
    if 0x40 <= trail <= 0x7E:
        col = trail - 0x40
    elif 0xA1 <= trail <= 0xFE:
        col = trail - 0x62
    else:
        return None
    for first, last, base, skip in (
        (0xFA, 0xFE, 0xE000, 0),
        (0x8E, 0xA0, 0xE311, 0),
        (0x81, 0x8D, 0xEEB8, 0),
        (0xC6, 0xC8, 0xF6B1, 63),  # starts at C6A1
    ):
        if first <= lead <= last:
            idx = (lead - first) * 157 + col - skip
            return chr(base + idx) if idx >= 0 else None
    return None


def _big5_fallback(exc: UnicodeDecodeError) -> tuple[str, int]:
    """Decode-error handler for CP950: try HKSCS, then Windows' user-defined area."""
    pair = exc.object[exc.start : exc.start + 2]
    if len(pair) == 2:
        try:
            return pair.decode("big5hkscs"), exc.start + 2
        except UnicodeDecodeError:
            pass
        ch = _eudc_char(pair[0], pair[1])
        if ch is not None:
            return ch, exc.start + 2
    return "\ufffd", exc.start + 1


codecs.register_error("crm_lessons_big5", _big5_fallback)


def _decode_with(data: bytes, encoding: str) -> str:
    errors = "crm_lessons_big5" if encoding in ("cp950", "big5") else "replace"
    return data.decode(encoding, errors=errors)


def _utf16_guess(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the bytes look like UTF-16 text without a BOM."""
    head = data[:4096]
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _latin_score(text: str) -> float:
    """Plausibility of Western text: isolated accented letters, not runs of symbols."""
    chars = [(i, ch) for i, ch in enumerate(text) if ord(ch) > 127]
    if not chars:
        return 0.0
    common = "éèêëàâäáãåçñóòôöõúùûüíìîïœæßøÉÈÊÀÂÇÑÓÖÜÄÁÍÚ€£©®°±×–—‘’“”•…™"
    good = sum(1.0 if ch in common else 0.3 if ch.isalpha() else 0.0 for _, ch in chars)
    runs = sum(i > 0 and ord(text[i - 1]) > 127 for i, _ in chars)
    odd = sum(ch == "\ufffd" or 0x80 <= ord(ch) <= 0x9F for _, ch in chars)
    return (good - runs - odd) / len(chars)


def _samples(text: str, n: int = 16, size: int = 4096) -> str:
    """Slices spread over the whole text (all of it when short)."""
    if len(text) <= n * size:
        return text
    step = len(text) // n
    return "\n".join(text[i * step : i * step + size] for i in range(n))


@dataclass
class _Decoded:
    text: str
    encoding: str
    bad: dict[int, str]  # 1-based physical line -> reason (line does not decode)
    tried: list[str]
    notes: list[str]


_DETECT_ORDER = ("utf-8", "cp950", "gb18030", "cp1252")


def _choose_encoding(data: bytes, lines: list[bytes], must_contain: Sequence[str]) -> str:
    non_ascii = [ln for ln in lines if not ln.isascii()]
    if not non_ascii:
        return "utf-8"
    ok8 = sum(_decodes(ln, "utf-8") for ln in non_ascii)
    if ok8 >= 0.5 * len(non_ascii):
        return "utf-8"  # UTF-8 is self-checking: most lines valid means UTF-8
    stats = {}
    for enc in _DETECT_ORDER[1:]:
        text = _decode_with(data, enc)
        head = text[:65536]
        sample = _samples(text)
        plaus = _latin_score(sample) if enc == "cp1252" else _hanzi_score(sample)
        hit = bool(must_contain) and all(name in head for name in must_contain)
        bad_lines = sum("\ufffd" in ln for ln in text.split("\n")) if "\ufffd" in text else 0
        stats[enc] = (bad_lines, hit, plaus)
    least = min(v[0] for v in stats.values())
    room = least + max(2, len(non_ascii) // 4)  # "decodes nearly everything"
    allowed = [e for e in stats if stats[e][0] <= room]
    best = max(allowed, key=lambda e: (stats[e][1], stats[e][2], -stats[e][0]))
    if stats[best][2] < 0.5 and len(non_ascii) - ok8 <= max(2, len(lines) // 100):
        return "utf-8"  # a few bad bytes in a UTF-8 file, not another encoding
    return best


def _decode_text(data: bytes, encoding: str | None, must_contain: Sequence[str]) -> _Decoded:
    """Decode a text file; lines that do not decode are reported, not garbled silently."""
    notes: list[str] = []
    if encoding is not None:
        tried = [encoding]
    elif data.startswith(b"\xef\xbb\xbf"):
        encoding, tried = "utf-8-sig", ["utf-8-sig (byte-order mark)"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding, tried = "utf-16", ["utf-16 (byte-order mark)"]
    elif (u16 := _utf16_guess(data)) is not None:
        encoding, tried = u16, [u16]
        notes.append(f"the file is {u16} without a byte-order mark (read as such)")
    else:
        tried = list(_DETECT_ORDER)
        if _decodes(data, "utf-8"):
            encoding = "utf-8"
        else:
            encoding = _choose_encoding(data, data.split(b"\n"), must_contain)
    text = _decode_with(data, encoding)
    bad: dict[int, str] = {}
    if "\ufffd" in text or encoding not in ("utf-8", "utf-8-sig") and "utf-16" not in encoding:
        raw_lines = data.split(b"\n") if "utf-16" not in encoding else None
        for i, ln in enumerate(text.split("\n")):
            if "\ufffd" in ln:
                why = f"bytes that are not valid {encoding}"
                if raw_lines is not None and len(raw_lines) > i:
                    other = next(
                        (
                            e
                            for e in ("utf-8", "cp950", "gb18030")
                            if e != encoding
                            and _decodes(raw_lines[i], e)
                            and (e == "utf-8" or _hanzi_score(raw_lines[i].decode(e)) > 0.3)
                        ),
                        None,
                    )
                    if other is not None and not raw_lines[i].isascii():
                        why += f" (the line reads as {other}: were two exports joined?)"
                bad[i + 1] = why
            elif (
                raw_lines is not None
                and encoding != "utf-8"
                and i < len(raw_lines)
                and not raw_lines[i].isascii()
                and _decodes(raw_lines[i], "utf-8")
            ):
                bad[i + 1] = (
                    f"the line is UTF-8 text but the file is {encoding} (were two exports joined?)"
                )
    if bad:
        notes.append(
            f"{len(bad):,} line(s) do not decode as {encoding}; they are quarantined "
            "with the reason"
        )
    pua = sum(0xE000 <= ord(ch) <= 0xF8FF for ch in text) if encoding == "cp950" else 0
    if pua:
        notes.append(
            f"{pua:,} user-defined Big5 character(s) (rare name characters) read as "
            "private-use characters; they show as boxes without the shop's font"
        )
    return _Decoded(text, encoding, bad, tried, notes)


def _head_is_utf8(data: bytes, size: int = 65536) -> bool:
    import codecs

    try:
        codecs.getincrementaldecoder("utf-8")().decode(data[:size], final=len(data) <= size)
    except UnicodeDecodeError:
        return False
    return True


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


# --------------------------------------------------------------------- reading


@dataclass
class _Raw:
    """The source as a table of original values, before any validation."""

    frame: pd.DataFrame  # columns 0..k-1 (positions); values as read
    names: list[str]  # header names by position
    line: np.ndarray  # 1-based source line of each frame row
    pre: list[tuple[int, str, str, str]]  # (line, code, reason, raw_text) rejected by reader
    source: str
    kind: str  # "csv", "excel", "parquet", "dataframe"
    encoding: str | None = None
    encoding_detected: bool = False
    strict: bool = True
    sep: str | None = None
    notes: list[str] = field(default_factory=list)
    tried: list[str] = field(default_factory=list)


def _describe(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _missing_column_error(
    arg: str, name: str, names: Sequence[str], where: str, hint: str = ""
) -> ValueError:
    shown = [str(n) for n in names]
    close = difflib.get_close_matches(str(name), shown, n=3, cutoff=0.3)
    msg = f"{arg}={name!r}: no column {name!r} in {where}."
    if close:
        msg += " Closest column names: " + ", ".join(repr(c) for c in close) + "."
    listing = ", ".join(repr(n) for n in shown[:20]) + (" ..." if len(shown) > 20 else "")
    msg += f" Columns found: {listing}."
    if hint:
        msg += " " + hint
    return ValueError(msg)


def _find_header(rows: list[list[str]], wanted: Sequence[str], limit: int = 30) -> int | None:
    for i, row in enumerate(rows[:limit]):
        cells = {_clean_name(c) for c in row}
        if all(w in cells for w in wanted):
            return i
    return None


def _split_lines(text: str, sep: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=sep))


def _read_text(
    path: Path,
    data: bytes,
    wanted: Sequence[str],
    mapping: Mapping[str, str],
    encoding: str | None,
    sep: str | None,
    full_detect: bool = False,
) -> _Raw:
    import pyarrow as pa
    import pyarrow.csv as pcsv

    detected = encoding is None
    forced: dict[int, tuple[str, str]] = {}  # physical line -> (reason code, reason)
    forced_text: dict[int, str] = {}  # physical line -> its text, as far as it decodes
    notes: list[str] = []
    tried = list(_DETECT_ORDER)
    if encoding is not None:
        try:
            encoding = codecs.lookup(encoding).name  # "UTF8" -> "utf-8", "BIG5" -> "big5"
        except (LookupError, TypeError):
            raise ValueError(
                f"encoding={encoding!r} is not an encoding Python knows; "
                f"common ones: {', '.join(SUPPORTED_ENCODINGS)}"
            ) from None
    if (
        encoding is None
        and not full_detect
        and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))
        and _utf16_guess(data) is None
        and _head_is_utf8(data)
    ):
        # Most files are UTF-8: check only the head here; the reader validates the rest
        # and a failure there falls back to full detection.
        encoding = "utf-8"
        utf8 = data
    else:
        dec = _decode_text(data, encoding, wanted)
        encoding, tried = dec.encoding, dec.tried
        notes.extend(dec.notes)
        forced = {ln: ("encoding", why) for ln, why in dec.bad.items()}
        if forced:
            text_lines = dec.text.split("\n")
            forced_text = {ln: _describe(text_lines[ln - 1]) for ln in forced}
        utf8 = dec.text.encode("utf-8")
    strict = utf8.isascii() or b"\xef\xbf\xbd" not in utf8
    if utf8.startswith(b"\xef\xbb\xbf"):
        utf8 = utf8[3:]
    head_text = utf8[:65536].decode("utf-8", errors="ignore")
    if "\x00" in head_text:
        raise ValueError(
            f"file {path.name!r} is not a text table: it contains binary data "
            f"(NUL bytes) even when read as {encoding}"
        )
    head_lines = head_text.splitlines()[:40]
    head_joined = "\n".join(head_lines)
    low = head_joined.lstrip().lower()
    if low.startswith(("<!doctype", "<html", "<table", "<meta", "<head", "<body")):
        html = utf8.decode("utf-8", errors="replace")
        if "<table" in html.lower():
            raw = _read_html(path, html, wanted, mapping)
            raw.encoding, raw.encoding_detected = encoding, detected
            return raw
        raise ValueError(
            f"file {path.name!r} is not a table: it is a web page (HTML) without a <table>"
        )
    if low.startswith("<?xml"):
        raise ValueError(
            f"file {path.name!r} is not a table: it is an XML document (an Excel 2003 XML "
            "workbook?); open it in Excel and save it as .xlsx or CSV"
        )
    if low.startswith(("{", "[")) and not any(s in head_lines[0] for s in _SEPARATORS[1:]):
        raise ValueError(f"file {path.name!r} is not a table: it looks like JSON")

    # Delimiter and header row.
    candidates = [sep] if sep is not None else list(_SEPARATORS)
    header_idx = None
    rows: list[list[str]] = []
    for cand in candidates:
        rows = _split_lines(head_joined, cand)
        header_idx = _find_header(rows, wanted)
        if header_idx is not None:
            sep = cand
            break
    if header_idx is None:
        first = next((i for i, ln in enumerate(head_lines) if ln.strip()), None)
        if first is None:
            raise ValueError(f"file {path.name!r} has no header and no rows: it is blank")
        hint = ""
        if sep is not None:
            rows = _split_lines(head_joined, sep)
            others = [s for s in _SEPARATORS if s != sep]
            for other in others:
                if _find_header(_split_lines(head_joined, other), wanted) is not None:
                    hint = f"The file looks {_SEP_NAMES[other]}-separated: pass sep={other!r}."
        else:
            counts = {s: head_lines[first].count(s) for s in _SEPARATORS}
            sep = max(counts, key=counts.get) if max(counts.values()) else ","
            rows = _split_lines(head_joined, sep)
        header = rows[first] if first < len(rows) else []
        header_idx = first
        missing = [(a, n) for a, n in mapping.items() if n not in {_clean_name(c) for c in header}]
        non_ascii = not "".join(wanted).isascii() or not "".join(header).isascii()
        if non_ascii:
            alt_hit = None
            for enc in ("utf-8", "cp950", "big5hkscs", "gb18030", "cp1252", "utf-16"):
                if enc == encoding:
                    continue
                try:
                    alt = data[:65536].decode(enc, errors="ignore")
                except LookupError:  # pragma: no cover
                    continue
                if all(w in alt for w in wanted):
                    alt_hit = enc
                    break
            how = f"detected; tried {', '.join(tried)}" if detected else "given"
            hint += (
                f" The file was read as {encoding} ({how}): if the column names above "
                "look garbled, the encoding may be wrong"
                + (f"; the header reads correctly as encoding={alt_hit!r}." if alt_hit else ".")
            )
        if len(header) <= 1 and len(mapping) > 1 and not hint:
            hint = "The header has a single column: is this a table, and is the delimiter right?"
        arg, name = missing[0] if missing else next(iter(mapping.items()))
        raise _missing_column_error(arg, name, header, f"file {path.name!r}", hint.strip())

    header = [_clean_name(c) for c in rows[header_idx]]
    n_cols = len(header)
    header_line = header_idx + 1  # physical line of the header (1-based)
    pre: list[tuple[int, str, str, str]] = []
    for i, r in enumerate(rows[:header_idx]):
        if i + 1 in forced:
            code_, why = forced[i + 1]
            pre.append((i + 1, code_, why, _describe(sep.join(r))))
            continue
        text = sep.join(r)
        if text.strip(" \t" + sep):
            pre.append((i + 1, "before_header", "text before the header row", _describe(text)))
        else:
            pre.append((i + 1, "blank", "blank line", ""))
    # Lines that end with a delimiter the header lacks (an extra, empty last field).
    sample = [r for r in rows[header_idx + 1 :] if any(c.strip() for c in r)]
    trailing = (
        len(sample) > 0
        and sum(len(r) == n_cols + 1 and not r[-1].strip() for r in sample) > len(sample) / 2
    )
    if trailing:
        notes.append(
            "data lines end with a delimiter the header lacks (an empty last field); it was "
            "ignored"
        )
    # The data starts after the header's line break.
    offset = 0
    for _ in range(header_line):
        nxt = utf8.find(b"\n", offset)
        offset = len(utf8) if nxt < 0 else nxt + 1
    base, base_off = utf8, offset  # the body is base[base_off:], not copied
    if forced:
        base, base_off = _blank_lines(utf8[offset:], [ln - header_line - 1 for ln in forced]), 0
    body = memoryview(base)[base_off:]

    width = n_cols + 1 if trailing else n_cols
    names = [f"c{i}" for i in range(width)]
    invalid: list[tuple[int | None, str]] = []

    def handler(row: Any) -> str:
        invalid.append((row.number, row.text))
        return "skip"

    # Values spanning lines are rare: parse without that option first (faster, parallel);
    # Arrow reports "out of sync" when a block boundary falls inside such a value.
    opts: dict[str, Any] = {"threads": True, "block": None, "multiline": False}

    def read(body: Any) -> pa.Table:
        invalid.clear()
        ropts = pcsv.ReadOptions(
            column_names=names,
            use_threads=opts["threads"],
            **({"block_size": opts["block"]} if opts["block"] else {}),
        )
        popts = pcsv.ParseOptions(
            delimiter=sep,
            ignore_empty_lines=False,
            newlines_in_values=opts["multiline"],
            invalid_row_handler=handler,
        )
        copts = pcsv.ConvertOptions(
            column_types={c: pa.string() for c in names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        )
        return pcsv.read_csv(pa.BufferReader(body), ropts, popts, copts)

    if len(body) <= 65536 and not bytes(body).strip(b" \t\r\n"):
        raise ValueError(f"file {path.name!r} has a header but no data rows")
    # Counting line breaks holds the GIL and Arrow's parser does not: on a large file,
    # count in a thread while the parser runs.
    # Without a quote character no value can span lines: no need to count them.
    has_quote = base.find(b'"', base_off) >= 0
    n_breaks: list[int] = []
    counter = None
    if has_quote and len(body) > 8 << 20:
        import threading

        counter = threading.Thread(target=lambda: n_breaks.append(base.count(b"\n", base_off)))
        counter.start()

    def parse(body: Any) -> pa.Table:
        for _attempt in range(4):
            try:
                table = read(body)
                break
            except pa.ArrowInvalid as exc:
                msg = str(exc)
                if "UTF8" in msg and detected and encoding == "utf-8" and not full_detect:
                    raise _Redetect from None
                if "out of sync" in msg and not opts["multiline"]:
                    opts["multiline"] = True
                elif ("straddling" in msg or "block" in msg) and not opts["block"]:
                    opts["block"] = len(body) + 1
                else:
                    raise ValueError(
                        f"file {path.name!r} cannot be read as a table: {exc}"
                    ) from None
        else:  # pragma: no cover - every retry failed
            raise ValueError(f"file {path.name!r} cannot be read as a table")
        if invalid and any(num is None for num, _ in invalid):
            opts["threads"] = False  # row numbers of bad lines are only known single-threaded
            table = read(body)
        return table

    try:
        table = parse(body)
    except _Redetect:
        # Invalid UTF-8 past the head: detect again on the whole file.
        if counter is not None:
            counter.join()
        return _read_text(path, data, wanted, mapping, None, sep, full_detect=True)
    if counter is not None:
        counter.join()
    n_records = table.num_rows + len(invalid)
    if has_quote:
        n_lines = (n_breaks[0] if n_breaks else base.count(b"\n", base_off)) + (
            0 if base.endswith(b"\n") or len(body) == 0 else 1
        )
    else:
        n_lines = n_records
    if n_lines != n_records and has_quote:
        # Some value spans lines: a real multi-line note, or a quote that is never closed
        # and swallows the lines after it. Only lines with an odd number of quotes are looked at.
        body_text = bytes(body).decode("utf-8", errors="replace")
        damaged = _unclosed_quotes(body_text, sep, n_cols)
        if damaged:
            body_lines = body_text.split("\n")
            for i in damaged:
                forced_text[header_line + 1 + i] = _describe(body_lines[i].rstrip("\r"))
                forced[header_line + 1 + i] = (
                    "quote",
                    'the line opens a quoted value (") that is never closed; read on from '
                    "the next line",
                )
            base, base_off = _blank_lines(bytes(body), damaged), 0
            body = memoryview(base)
            table = parse(body)
            n_records = table.num_rows + len(invalid)

    # Record numbers (0-based, counting from the first data record) of the valid rows.
    n_valid = table.num_rows
    invalid.sort(key=lambda t: t[0])
    bad_rec = np.array([num - 1 for num, _ in invalid], dtype=np.int64)
    keep = np.ones(n_records, dtype=bool)
    keep[bad_rec] = False
    # One chunk per column: later row selections (quarantine, duplicates) stay cheap.
    frame = table.combine_chunks().to_pandas()
    frame.columns = range(width)
    # Physical line numbers: equal to record numbers unless values contain newlines.
    start = header_line + 1 + np.arange(n_records, dtype=np.int64)
    if n_lines != n_records:
        extra = np.zeros(n_records, dtype=np.int64)
        valid_extra = np.zeros(n_valid, dtype=np.int64)
        for col in frame.columns:
            valid_extra += frame[col].str.count("\n").to_numpy(dtype=np.int64)
        extra[keep] = valid_extra
        extra[bad_rec] = [text.count("\n") for _, text in invalid]
        start += np.concatenate(([0], np.cumsum(extra)[:-1]))
    rec_of_row = np.flatnonzero(keep)
    recovered: list[tuple[int, list[str]]] = []
    for (_num, text), rec in zip(invalid, bad_rec, strict=True):
        ln = int(start[rec])
        if ln in forced:
            code_, why = forced[ln]
            pre.append((ln, code_, why, forced_text.get(ln, "")))
        elif not text.strip(" \t\r" + sep):
            pre.append((ln, "blank", "blank line", ""))
        else:
            fields = next(csv.reader([text], delimiter=sep), [])
            if len(fields) == n_cols or (
                len(fields) == n_cols + 1 and not fields[-1].strip() and not trailing
            ):
                recovered.append((int(rec), fields[:n_cols]))
                continue
            pre.append(
                (
                    ln,
                    "malformed",
                    f"line has {len(fields)} fields, the header has {n_cols}",
                    _describe(text),
                )
            )
    if trailing:
        spill = (frame[n_cols] != "").to_numpy()
        for r in np.flatnonzero(spill):
            vals = [str(v) for v in frame.iloc[r]]
            pre.append(
                (
                    int(start[rec_of_row[r]]),
                    "malformed",
                    f"line has {n_cols + 1} fields, the header has {n_cols}",
                    _describe(sep.join(vals)),
                )
            )
        frame = frame.loc[~spill, list(range(n_cols))]
        rec_of_row = rec_of_row[~spill]
    if recovered:
        add = pd.DataFrame([v for _, v in recovered], columns=range(n_cols)).astype(frame.dtypes)
        frame = pd.concat([frame, add], ignore_index=True)
        rec_of_row = np.concatenate([rec_of_row, [r for r, _ in recovered]])
        order = np.argsort(rec_of_row, kind="stable")
        frame = frame.iloc[order].reset_index(drop=True)
        rec_of_row = rec_of_row[order]
        if not trailing:
            notes.append(
                f"{len(recovered):,} line(s) end with a delimiter the header lacks; the empty "
                "last field was ignored"
            )
    line = start[rec_of_row] if len(rec_of_row) != n_records else start
    if forced:
        # Emptied lines (undecodable bytes, unclosed quotes) may parse as rows of blanks.
        hit = np.isin(line, np.fromiter(forced, dtype=np.int64))
        if hit.any():
            for ln in line[hit]:
                code_, why = forced[int(ln)]
                pre.append((int(ln), code_, why, forced_text.get(int(ln), "")))
            frame = frame.loc[~hit].reset_index(drop=True)
            line = line[~hit]
    return _Raw(
        frame=frame,
        names=header,
        line=line.astype(np.int64, copy=False),
        pre=pre,
        source=path.name,
        kind="csv",
        encoding=encoding,
        encoding_detected=detected,
        strict=strict,
        sep=sep,
        notes=notes,
        tried=tried,
    )


class _Redetect(Exception):
    """Invalid UTF-8 was found past the head of the file."""


def _blank_lines(body: bytes, idx: Sequence[int]) -> bytes:
    """Empty the given 0-based lines of ``body`` (line numbers stay the same)."""
    lines = body.split(b"\n")
    for i in idx:
        if 0 <= i < len(lines):
            lines[i] = b"\r" if lines[i].endswith(b"\r") else b""
    return b"\n".join(lines)


def _opens_quote(line: str, sep: str) -> bool:
    """True when a CSV line ends inside a quoted value."""
    in_quote, at_start, i = False, True, 0
    while i < len(line):
        ch = line[i]
        if in_quote:
            if ch == '"':
                if i + 1 < len(line) and line[i + 1] == '"':
                    i += 1
                else:
                    in_quote = False
        elif ch == '"' and at_start:
            in_quote = True
        at_start = not in_quote and ch == sep
        i += 1
    return in_quote


def _unclosed_quotes(body: str, sep: str, n_cols: int, max_span: int = 50) -> list[int]:
    """0-based lines of ``body`` that open a quoted value which is never properly closed.

    A line with an odd number of quotes either starts a real multi-line value
    (the lines up to the next such line then form one record with the
    header's number of fields) or is damaged.
    """
    lines = body.split("\n")
    odd = [i for i, ln in enumerate(lines) if ln.count('"') % 2]
    damaged: list[int] = []
    k = 0
    while k < len(odd):
        i = odd[k]
        if not _opens_quote(lines[i].rstrip("\r"), sep):
            k += 1
            continue
        if k + 1 < len(odd) and odd[k + 1] - i <= max_span:
            j = odd[k + 1]
            try:
                recs = list(
                    csv.reader(
                        io.StringIO("\n".join(lines[i : j + 1])), delimiter=sep, strict=True
                    )
                )
            except csv.Error:
                recs = []
            if len(recs) == 1 and len(recs[0]) in (n_cols, n_cols + 1):
                k += 2
                continue
        damaged.append(i)
        k += 1
    return damaged


def _clean_name(name: Any) -> str:
    """A header cell without surrounding spaces, NBSPs or invisible characters."""
    text = re.sub("[\u200b-\u200d\u2060\ufeff\u00ad]", "", str(name))
    return text.replace("\u00a0", " ").strip()


def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _sheet_rows(ws: Any, merged: bool) -> tuple[list[list[Any]], int, int]:
    """Cell values of a worksheet; merged ranges filled with their top-left value."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    n_ranges = n_filled = 0
    if merged:
        for rng in list(ws.merged_cells.ranges):
            r0, c0 = rng.min_row - 1, rng.min_col - 1
            if r0 >= len(rows):
                continue
            value = rows[r0][c0] if c0 < len(rows[r0]) else None
            n_ranges += 1
            for r in range(r0, min(rng.max_row, len(rows))):
                row = rows[r]
                if len(row) < rng.max_col:
                    row.extend([None] * (rng.max_col - len(row)))
                for c in range(c0, rng.max_col):
                    if (r, c) != (r0, c0):
                        row[c] = value
                        n_filled += r != r0
    while rows and all(v is None for v in rows[-1]):
        rows.pop()  # openpyxl may report formatted but empty rows at the end
    return rows, n_ranges, n_filled


def _read_excel(path: Path, wanted: Sequence[str], mapping: Mapping[str, str], sheet: Any):
    import openpyxl

    # Merged cells are only visible in the full (not read-only) mode; use it unless huge.
    full = path.stat().st_size < (20 << 20)
    try:
        # A file object: openpyxl refuses workbooks whose name does not end in .xlsx.
        wb = openpyxl.load_workbook(
            io.BytesIO(path.read_bytes()), read_only=not full, data_only=True
        )
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds
        raise ValueError(
            f"file {path.name!r} cannot be opened as an Excel workbook: {exc}"
        ) from None
    notes: list[str] = []
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        notes.append(f"the file is an Excel workbook despite its {path.suffix or 'missing'} name")
    sheets = list(wb.sheetnames)
    listing = ", ".join(repr(n) for n in sheets)
    try:
        if sheet is None:
            found = []
            for name in sheets:
                rows, n_ranges, n_filled = _sheet_rows(wb[name], full)
                text_rows = [[_cell_text(v) for v in r] for r in rows]
                if rows and _find_header(text_rows, wanted) is not None:
                    found.append((name, rows, n_ranges, n_filled))
            if not found:
                first_rows = _sheet_rows(wb[sheets[0]], False)[0]
                text_rows = [[_cell_text(v) for v in r] for r in first_rows]
                head = next((r for r in text_rows if any(c.strip() for c in r)), [])
                missing = [
                    (a, n) for a, n in mapping.items() if n not in set(map(_clean_name, head))
                ]
                arg, name = missing[0] if missing else next(iter(mapping.items()))
                raise _missing_column_error(
                    arg,
                    name,
                    head,
                    f"file {path.name!r} (first sheet {sheets[0]!r})",
                    f"No sheet has all the mapped columns; sheets: {listing}.",
                )
            name, rows, n_ranges, n_filled = found[0]
            if len(sheets) > 1:
                others = [f[0] for f in found[1:]]
                notes.append(
                    f"read sheet {name!r}, the first with the mapped columns (sheets: {listing})"
                    + (f"; {', '.join(map(repr, others))} also has them" if others else "")
                )
        else:
            if isinstance(sheet, int):
                if not 0 <= sheet < len(sheets):
                    raise ValueError(
                        f"sheet_name={sheet!r}: the workbook has {len(sheets)} sheet(s): {listing}"
                    )
                name = sheets[sheet]
            elif sheet in sheets:
                name = sheet
            else:
                raise ValueError(
                    f"sheet_name={sheet!r} is not in {path.name!r}; sheets: {listing}"
                )
            rows, n_ranges, n_filled = _sheet_rows(wb[name], full)
    finally:
        wb.close()
    if not rows:
        raise ValueError(f"file {path.name!r}: the sheet {name!r} is empty (no header, no rows)")
    if n_filled:
        notes.append(
            f"{n_ranges:,} merged cell range(s) in sheet {name!r} were filled down over "
            f"{n_filled:,} row(s) (each item row gets the merged value)"
        )
    raw = _from_rows(rows, path, wanted, mapping, "excel", f"sheet {name!r} of file {path.name!r}")
    raw.notes = notes + raw.notes
    return raw


def _from_rows(
    rows: list[list[Any]],
    path: Path,
    wanted: Sequence[str],
    mapping: Mapping[str, str],
    kind: str,
    where: str,
) -> _Raw:
    """A _Raw from a grid of cell values (a sheet or an HTML table); row i is line i + 1."""
    text_rows = [[_cell_text(v) for v in r] for r in rows]
    header_idx = _find_header(text_rows, wanted)
    if header_idx is None:
        first = next((i for i, r in enumerate(text_rows) if any(c.strip() for c in r)), 0)
        header = text_rows[first]
        missing = [(a, n) for a, n in mapping.items() if n not in {_clean_name(c) for c in header}]
        arg, name = missing[0] if missing else next(iter(mapping.items()))
        raise _missing_column_error(arg, name, header, where)
    header = [_clean_name(c) for c in text_rows[header_idx]]
    pre = []
    for i in range(header_idx):
        text = " | ".join(c for c in text_rows[i] if c)
        pre.append(
            (i + 1, "before_header", "text before the header row", _describe(text))
            if text.strip()
            else (i + 1, "blank", "blank line", "")
        )
    body = rows[header_idx + 1 :]
    width = len(header)
    body = [(list(r) + [None] * width)[:width] for r in body]
    frame = pd.DataFrame(body, columns=range(width), dtype=object)
    line = np.arange(header_idx + 2, header_idx + 2 + len(body), dtype=np.int64)
    return _Raw(frame, header, line, pre, path.name, kind)


class _TableParser(html.parser.HTMLParser):
    """Collect the rows of every <table> in an HTML page (cell text only)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.isdigit() else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.extend(["".join(self._cell).strip()] + [""] * (self._span - 1))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _read_html(path: Path, text: str, wanted: Sequence[str], mapping: Mapping[str, str]) -> _Raw:
    parser = _TableParser()
    parser.feed(text)
    tables = [t for t in parser.tables if t]
    for k, rows in enumerate(tables):
        if _find_header(rows, wanted) is not None:
            raw = _from_rows(rows, path, wanted, mapping, "html", f"file {path.name!r}")
            raw.notes.append(
                f"the file is a web page (HTML) saved with a {path.suffix or 'missing'} name; "
                f"read its table {k + 1} of {len(tables)} (line = row of that table)"
            )
            return raw
    head = tables[0][0] if tables and tables[0] else []
    missing = [(a, n) for a, n in mapping.items() if n not in {_clean_name(c) for c in head}]
    arg, name = missing[0] if missing else next(iter(mapping.items()))
    raise _missing_column_error(
        arg,
        name,
        head,
        f"file {path.name!r}",
        f"The file is a web page (HTML) with {len(tables)} table(s); none has all the mapped "
        "columns.",
    )


def _from_frame(df: pd.DataFrame, source: str, kind: str) -> _Raw:
    names = [str(c) for c in df.columns]
    frame = df.copy()
    frame.columns = range(len(names))
    frame = frame.reset_index(drop=True)
    line = np.arange(1, len(frame) + 1, dtype=np.int64)
    return _Raw(frame, names, line, [], source, kind)


def _read_source(
    source: Any,
    wanted: Sequence[str],
    mapping: Mapping[str, str],
    encoding: str | None,
    sep: str | None,
    sheet_name: Any,
) -> _Raw:
    if isinstance(source, pd.DataFrame):
        if source.shape[1] == 0:
            raise ValueError("source: the DataFrame has no columns")
        return _from_frame(source, "DataFrame", "dataframe")
    if not isinstance(source, str | os.PathLike):
        raise TypeError(
            f"source must be a file path or a pandas DataFrame, not {type(source).__name__}"
        )
    path = Path(source)
    if not path.is_file():
        folder = path.parent if str(path.parent) else Path(".")
        near = []
        if folder.is_dir():
            near = difflib.get_close_matches(path.name, [p.name for p in folder.iterdir()], n=3)
        hint = f" Did you mean: {', '.join(near)}?" if near else ""
        raise FileNotFoundError(f"source={str(source)!r}: no such file.{hint}")
    data = path.read_bytes()
    if len(data) <= 65536 and not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ValueError(f"file {path.name!r} is empty: no header and no rows")
    magic = data[:8]
    if magic.startswith(b"PK\x03\x04"):
        return _read_excel(path, wanted, mapping, sheet_name)
    if magic.startswith(b"PAR1"):
        return _from_frame(pd.read_parquet(path), path.name, "parquet")
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValueError(
            f"file {path.name!r} is an old Excel 97-2003 (.xls) workbook; "
            "open it in Excel or LibreOffice and save it as .xlsx or CSV"
        )
    if magic.startswith(b"%PDF"):
        raise ValueError(f"file {path.name!r} is a PDF document, not a table")
    if (
        b"\x00" in data[:4096]
        and encoding is None
        and not data.startswith((b"\xff\xfe", b"\xfe\xff"))
        and _utf16_guess(data) is None
    ):
        raise ValueError(
            f"file {path.name!r} is not a text table: it contains binary data "
            "(expected CSV/TSV text, .xlsx or Parquet)"
        )
    return _read_text(path, data, wanted, mapping, encoding, sep)


# ------------------------------------------------------------------ validation


def _as_arrow(s: pd.Series):
    """Column values as an Arrow string array; missing values become null."""
    import pyarrow as pa

    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
        arr = s.array.__arrow_array__()
        return arr if isinstance(arr, pa.ChunkedArray) else pa.chunked_array([arr])
    vals = s.map(_cell_text, na_action="ignore").to_numpy(dtype=object)
    return pa.chunked_array([pa.array(vals, type=pa.large_string(), from_pandas=True)])


def _norm(arr):
    """Normalise text values; null becomes ''.

    NFKC (full-width letters and digits to ASCII, NBSP to a space), invisible
    characters removed (zero-width spaces, stray BOMs, soft hyphens), spaces
    stripped, and Excel's text protection ``="0912"`` / ``'0912`` unwrapped.
    """
    import pyarrow.compute as pc

    out = pc.utf8_normalize(arr, "NFKC")
    # Each rewrite runs only when some value needs it (a match is cheaper than a replace).
    if _any_match(out, _INVISIBLE_RE):
        out = pc.replace_substring_regex(out, _INVISIBLE_RE, "")
    out = pc.utf8_trim_whitespace(out)
    if _any_match(out, r'^=\s*"'):
        out = pc.replace_substring_regex(out, r'^=\s*"(.*)"$', r"\1")
        out = pc.utf8_trim_whitespace(out)
    if _any_match(out, r"^'\S"):
        out = pc.replace_substring_regex(out, r"^'(\S)", r"\1")
    return out.fill_null("")


def _any_match(arr, pattern: str) -> bool:
    import pyarrow.compute as pc

    return bool(pc.any(pc.match_substring_regex(arr, pattern)).as_py())


def _matches(arr, pattern: str) -> np.ndarray:
    import pyarrow.compute as pc

    hit = pc.match_substring_regex(arr, pattern).fill_null(False)
    return hit.to_numpy(zero_copy_only=False).astype(bool)


def _text(s: pd.Series) -> pd.Series:
    """Values as stripped, NFKC-normalised text; missing values become ''."""
    return _norm(_as_arrow(s)).to_pandas().set_axis(s.index)


def _encode(s: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Factorise a column: integer codes per row, unique values."""
    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow" and len(s):
        import pyarrow.compute as pc

        enc = pc.dictionary_encode(_as_arrow(s), null_encoding="encode")
        dicts = {len(ch.dictionary) for ch in enc.chunks}
        if len(dicts) == 1 and enc.num_chunks:
            codes = np.concatenate(
                [ch.indices.to_numpy(zero_copy_only=False) for ch in enc.chunks]
            ).astype(np.int64)
            return codes, pd.Series(enc.chunks[-1].dictionary.to_pandas())
    codes, uniques = pd.factorize(s, use_na_sentinel=False)
    u = pd.Series(np.asarray(uniques, dtype=object) if s.dtype == object else uniques)
    return codes.astype(np.int64), u


def _na_values(arr) -> np.ndarray:
    """True where a (normalised) text value means 'missing'."""
    import pyarrow as pa
    import pyarrow.compute as pc

    hit = pc.is_in(pc.utf8_lower(arr), value_set=pa.array(sorted(_NA_TOKENS)))
    return hit.fill_null(True).to_numpy(zero_copy_only=False).astype(bool)


def _parse_amount_uniques(u: pd.Series, decimal: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (value, status, currency) per unique; status 0 ok else a reason code."""
    import pyarrow as pa
    import pyarrow.compute as pc

    t = _norm(_as_arrow(u))
    n = len(t)
    cur = pc.struct_field(pc.extract_regex(t, "(?P<c>" + _CURRENCY_RE[1:-1] + ")"), [0])
    cur = pd.Series(cur.to_pandas()).map(_CURRENCY_TOKENS).fillna("").to_numpy(dtype=object)
    s = pc.replace_substring_regex(t, _CURRENCY_RE, "")
    s = pc.replace_substring_regex(s, "[\u2212\u2012\u2013\ufe63]", "-")  # minus signs
    s = pc.replace_substring_regex(s, r"\s+", "")
    paren = _matches(s, r"^\(.*\)$")
    s = pc.replace_substring_regex(s, r"^\((.*)\)$", r"\1")
    trailing = _matches(s, r"^[0-9.,]+-$")
    s = pc.replace_substring_regex(s, r"^([0-9.,]+)-$", r"\1")
    dot = r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?$|^[+-]?\.\d+$"
    comma = r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$"
    if decimal == ".":
        ok = _matches(s, dot)
        num = pc.replace_substring(s, ",", "")
        other = _matches(s, comma) & _matches(s, ",") & ~ok
    else:
        ok = _matches(s, comma)
        num = pc.replace_substring(pc.replace_substring(s, ".", ""), ",", ".")
        other = _matches(s, dot) & ~ok & _matches(s, r"\.")
    num = pc.if_else(pa.array(ok), num, None)
    num = pc.replace_substring_regex(num, r"^\+", "")
    value = pc.cast(num, pa.float64()).to_numpy(zero_copy_only=False).astype(np.float64)
    value = np.where(paren | trailing, -np.abs(value), value)
    status = np.zeros(n, dtype=np.int8)
    empty = _na_values(t)
    status[~ok] = _CODE["bad_amount"]
    status[other] = _CODE["decimal_comma"]
    status[~np.isfinite(value) & (status == 0)] = _CODE["bad_amount"]
    status[empty] = _CODE["missing_amount"]
    return value, status, cur


def _assemble(parts: pd.DataFrame, year: np.ndarray) -> np.ndarray:
    """Build timestamps from year and the month, day, hour, minute, second columns 1-5."""

    def num(col: int, fill: float | None = None) -> np.ndarray:
        if col not in parts:
            return np.full(len(parts), fill if fill is not None else np.nan)
        v = pd.to_numeric(pd.Series(parts[col].to_numpy()), errors="coerce").to_numpy(
            dtype=np.float64
        )
        return np.where(np.isnan(v), fill, v) if fill is not None else v

    frame = pd.DataFrame(
        {
            "year": np.asarray(year, dtype=np.float64),
            "month": num(1),
            "day": num(2),
            "hour": num(3, 0.0),
            "minute": num(4, 0.0),
            "second": num(5, 0.0),
        }
    )
    ok = frame[["year", "month", "day"]].notna().all(axis=1).to_numpy()
    out = np.full(len(frame), np.datetime64("NaT"), dtype="datetime64[ns]")
    if ok.any():
        conv = pd.to_datetime(frame[ok], errors="coerce")
        out[ok] = conv.to_numpy(dtype="datetime64[ns]")
    return out


@dataclass
class _Dates:
    ts: np.ndarray  # datetime64[ns] per unique
    status: np.ndarray  # int8 reason code per unique (0 = ok)
    fmt: np.ndarray  # format family per unique (object)
    dayfirst: bool | None
    notes: list[str]
    why: dict[int, str] = field(default_factory=dict)  # unique -> reason text, if special


_PLACEHOLDER_RE = (
    r"^(?:(?:9999|0000)(?:\D|$)|\d{4}[-/.]0{1,2}(?:\D|$)|\d{4}[-/.]\d{1,2}[-/.]0{1,2}(?:\D|$)|"
    r"0{1,2}[-/.]0{1,2}[-/.]|(?:1900|1970|0001)[-/.]0?1[-/.]0?1(?:\D|$)|"
    r"(?:99991231|00000000|19000100|19000101|19700101)$|\d{1,2}[-/.]\d{1,2}[-/.](?:9999|0000)(?:\D|$))"
)
_AMPM_ZH = "上午|下午|早上|晚上|凌晨|中午"
_AMPM_EN = r"(?i)(?:^|[^a-z])(?P<m>[ap])\.?m\.?(?:[^a-z]|$)"
_AMPM_EN_SUB = r"(?i)(^|[^a-z])[ap]\.?m\.?([^a-z]|$)"
_AMPM_TEST = r"(?i)(?:上午|下午|早上|晚上|凌晨|中午|\d\s*[ap]\.?m(?:[^a-z]|$))"
_OFFSET_RE = (
    r"(?i)^(?P<base>.*\d:\d{2}(?::\d{2})?(?:[.,]\d+)?)\s*"
    r"(?P<off>z|(?:utc|gmt)?\s*[+-]\d{1,2}(?::?\d{2})?|utc|gmt)$"
)
_OFFSET_TEST = r"(?i)\d:\d{2}(?::\d{2})?(?:[.,]\d+)?\s*(?:z|utc|gmt|[+-]\d)"
_EPOCH_RE = r"^(?:\d{10}(?:\.\d+)?|\d{13})$"


def _put(arr, mask: np.ndarray, values):
    """``arr`` with the positions where ``mask`` is True replaced by ``values`` (in order)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return pc.replace_with_mask(arr, pa.array(mask), values.cast(arr.type))


def _to_zone(ts: np.ndarray, timezone: str) -> np.ndarray:
    """UTC datetime64 values -> local wall-clock time in ``timezone`` (offset dropped)."""
    s = pd.Series(ts).dt.tz_localize("UTC").dt.tz_convert(timezone).dt.tz_localize(None)
    return s.to_numpy(dtype="datetime64[ns]")


def _parse_date_uniques(
    u: pd.Series,
    weights: np.ndarray,
    dayfirst: bool | None,
    date_format: str | None,
    timezone: str | None = None,
    text: pd.Series | None = None,
) -> _Dates:
    n = len(u)
    ts = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    status = np.zeros(n, dtype=np.int8)
    fmt = np.full(n, "", dtype=object)
    notes: list[str] = []
    why: dict[int, str] = {}
    if pd.api.types.is_datetime64_any_dtype(u.dtype):
        v = pd.Series(u)
        if getattr(v.dt, "tz", None) is not None:
            v = (
                v.dt.tz_convert(timezone).dt.tz_localize(None)
                if timezone
                else v.dt.tz_localize(None)
            )
        ts = v.to_numpy(dtype="datetime64[ns]")
        status[np.isnat(ts)] = _CODE["missing_date"]
        fmt[:] = "date/time value"
        return _Dates(ts, status, fmt, None, notes)
    t = _text(u) if text is None else text
    missing = (t == "").to_numpy() | t.str.lower().isin(_NA_TOKENS).to_numpy()
    status[missing] = _CODE["missing_date"]
    todo = ~missing
    if date_format is not None:
        conv = pd.to_datetime(t.where(todo, None), format=date_format, errors="coerce")
        ts = conv.to_numpy(dtype="datetime64[ns]")
        status[todo & np.isnat(ts)] = _CODE["bad_date"]
        fmt[todo] = date_format
        return _Dates(ts, status, fmt, dayfirst, notes)
    # Placeholders (9999-12-31, 0000-00-00, 1900-01-00 ...): never a real sale date.
    if todo.any():
        ph = todo & t.str.match(_PLACEHOLDER_RE).to_numpy()
        if ph.any():
            status[ph] = _CODE["placeholder_date"]
            for i in np.flatnonzero(ph):
                why[int(i)] = f"date {t.iloc[i]!r} is a placeholder, not a real date"
            todo &= ~ph
    # Unix epoch seconds / milliseconds: read only when the column is clearly epoch.
    epoch = todo & t.str.match(_EPOCH_RE).to_numpy() if todo.any() else todo
    if epoch.any():
        share = weights[epoch].sum() / max(1, weights[todo].sum())
        if share >= 0.9:
            num = pd.to_numeric(t[epoch]).to_numpy(dtype=np.float64)
            secs = np.where(num >= 1e12, num / 1000.0, num)
            ok = (secs >= 946684800) & (secs < 4102444800)  # 2000-01-01 .. 2100-01-01
            idx = np.flatnonzero(epoch)
            utc = (np.round(secs[ok] * 1000).astype(np.int64)).astype("datetime64[ms]")
            ts[idx[ok]] = _to_zone(utc, timezone) if timezone else utc.astype("datetime64[ns]")
            fmt[idx[ok]] = "Unix epoch " + np.where(num[ok] >= 1e12, "milliseconds", "seconds")
            for i in idx[~ok]:
                why[int(i)] = f"date {t.iloc[i]!r} looks like a Unix timestamp outside 2000-2099"
            status[idx[~ok]] = _CODE["bad_date"]
            todo[idx] = False
            zone = f"converted to {timezone}" if timezone else "kept in UTC: pass timezone="
            notes.append(
                f"the date column holds Unix timestamps (UTC); {zone}"
                + ("" if timezone else " (your shop's zone, e.g. 'Asia/Taipei') to convert")
            )
        else:
            for i in np.flatnonzero(epoch):
                why[int(i)] = (
                    f"date {t.iloc[i]!r} looks like a Unix timestamp, but most of the column "
                    "is not: it is not read as one"
                )
    # 12-hour clocks: AM/PM and 上午/下午 are removed here and applied after parsing.
    # (Arrow's RE2 kernels: vectorised, also on a million distinct timestamps.)
    import pyarrow as pa
    import pyarrow.compute as pc

    marker = np.full(n, "", dtype=object)
    if todo.any() and _matches(_as_arrow(t), _AMPM_TEST).any():
        ta = _as_arrow(t)
        zh = pc.struct_field(pc.extract_regex(ta, "(?P<m>" + _AMPM_ZH + ")"), [0])
        en = pc.struct_field(pc.extract_regex(ta, _AMPM_EN), [0])
        found = pc.coalesce(zh, pc.utf8_lower(en)).fill_null("")
        marker = found.to_numpy(zero_copy_only=False).astype(object)
        marker[~todo] = ""
        has = marker != ""
        t2 = pc.replace_substring_regex(ta, _AMPM_ZH, " ")
        t2 = pc.replace_substring_regex(t2, _AMPM_EN_SUB, r"\1 \2")
        t2 = pc.utf8_trim_whitespace(pc.replace_substring_regex(t2, r"\s+", " "))
        t = t.where(~has, t2.to_pandas().set_axis(t.index))
    # UTC offsets: 2025-03-05T14:22:10+08:00, ... +0800, ...Z. The rule: convert to
    # ``timezone`` and drop the offset; with no timezone, keep the local time as written.
    off_min = np.full(n, np.nan)
    if todo.any() and _any_match(_as_arrow(t), _OFFSET_TEST):
        ta = _as_arrow(t)
        base = pa.nulls(len(ta), pa.string())
        mins = np.full(n, np.nan)
        # The usual spellings have a fixed width: +08:00, +0800, Z. Slice them off.
        for pattern, width in ((r"\d[+-]\d{2}:\d{2}$", 6), (r"\d[+-]\d{4}$", 5), (r"\d[Zz]$", 1)):
            hit = _matches(ta, pattern) & np.isnan(mins) & todo
            if not hit.any():
                continue
            idx = pa.array(np.flatnonzero(hit))
            sub = pc.take(ta, idx)
            suffix = pc.utf8_slice_codeunits(sub, -width)
            head = pc.utf8_slice_codeunits(sub, 0, -width)
            if width == 1:
                m = np.zeros(len(idx))
            else:
                d = pc.replace_substring(suffix, ":", "")
                hh = pc.cast(pc.utf8_slice_codeunits(d, 1, 3), pa.int64()).to_numpy()
                mm = pc.cast(pc.utf8_slice_codeunits(d, 3, 5), pa.int64()).to_numpy()
                neg = pc.starts_with(d, "-").to_numpy(zero_copy_only=False).astype(bool)
                m = np.where(neg, -1.0, 1.0) * (hh * 60 + mm)
            mins[np.flatnonzero(hit)] = m
            base = _put(base, hit, head)
        # Other spellings (GMT+8, UTC, +08 ...): the regex, on those values only.
        rest = todo & np.isnan(mins) & _matches(ta, _OFFSET_TEST)
        if rest.any():
            idx = pa.array(np.flatnonzero(rest))
            got = pc.extract_regex(pc.take(ta, idx), _OFFSET_RE)
            ok = pc.is_valid(pc.struct_field(got, [0])).to_numpy(zero_copy_only=False)
            o = pc.utf8_upper(pc.struct_field(got, [1]).fill_null(""))
            o = pc.replace_substring_regex(o, r"UTC|GMT|\s", "")
            neg = pc.starts_with(o, "-").to_numpy(zero_copy_only=False).astype(bool)
            digits = pc.replace_substring_regex(o, r"[+\-:Z]", "").to_pandas()
            long = digits.str.len().to_numpy() >= 3
            hh = pd.to_numeric(digits.where(~long, digits.str[:2]), errors="coerce")
            mm = pd.to_numeric(digits.str[2:].where(long, "0"), errors="coerce")
            m = np.where(neg, -1.0, 1.0) * (hh.fillna(0).to_numpy() * 60 + mm.fillna(0).to_numpy())
            pos = np.flatnonzero(rest)[ok.astype(bool)]
            mins[pos] = m[ok.astype(bool)]
            sel = np.zeros(n, dtype=bool)
            sel[pos] = True
            base = _put(base, sel, pc.filter(pc.struct_field(got, [0]), pa.array(ok)))
        has = ~np.isnan(mins)
        if has.any():
            off_min = mins
            base_t = pc.utf8_trim_whitespace(pc.replace_substring(base.fill_null(""), "T", " "))
            t = t.where(~has, base_t.to_pandas().set_axis(t.index))
    # Year/month/day with slashes or dots and two-digit parts: ISO, for the fast path below.
    if todo.any() and _any_match(_as_arrow(t), r"^\d{4}[/.]\d{2}[/.]\d{2}(\s|T|$)"):
        t = (
            pc.replace_substring_regex(
                _as_arrow(t), r"^(\d{4})[/.](\d{2})[/.](\d{2})(\s|T|$)", r"\1-\2-\3\4"
            )
            .to_pandas()
            .set_axis(t.index)
        )

    def extract(pattern: str) -> pd.DataFrame:
        """Regex groups for the values not parsed yet (all-NaN rows elsewhere)."""
        if not todo.any():
            return pd.DataFrame(np.nan, index=t.index, columns=range(6))
        out = pd.DataFrame(index=t.index, columns=range(6), dtype=object)
        got = t[todo].str.extract(pattern)
        out.loc[todo, list(got.columns)] = got.to_numpy(dtype=object)
        return out

    # 0. Fast path: strict ISO dates and times, parsed in C.
    strict_iso = (
        todo
        & t.str.match(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$").to_numpy()
    )
    if strict_iso.any():
        conv = pd.to_datetime(t[strict_iso], format="ISO8601", errors="coerce")
        ts[strict_iso] = conv.to_numpy(dtype="datetime64[ns]")
        fmt[strict_iso] = "year-month-day"
        todo &= ~(strict_iso & ~np.isnat(ts))
    # 1. Year first: ISO, slashes, dots, 2024年3月15日, Minguo 113/03/15.
    iso = extract(_ISO_RE)
    hit = iso[0].notna().to_numpy() & todo
    if hit.any():
        y = pd.to_numeric(iso[0]).to_numpy(dtype=np.float64)
        roc = hit & (y >= 100) & (y < 200)
        y = np.where(roc, y + 1911, y)
        y = np.where(hit & (y < 1000), np.nan, y)
        ts[hit] = _assemble(iso[hit], y[hit])
        fmt[hit & ~roc] = "year-month-day"
        fmt[roc] = "Minguo year-month-day"
        todo &= ~hit
    # 2. Compact 20240315.
    comp = extract(_COMPACT_RE)
    hit = comp[0].notna().to_numpy() & todo
    if hit.any():
        y = pd.to_numeric(comp[0]).to_numpy(dtype=np.float64)
        ts[hit] = _assemble(comp[hit], y[hit])
        fmt[hit] = "yyyymmdd"
        todo &= ~hit
    # 3. Excel serial numbers (1954 ... 2119).
    serial = todo & (t.str.match(_SERIAL_RE).to_numpy() if todo.any() else False)
    if serial.any():
        days = pd.to_numeric(t[serial]).to_numpy(dtype=np.float64)
        in_range = (days >= 20000) & (days <= 80000)
        idx = np.flatnonzero(serial)
        good = idx[in_range]
        ts[good] = _EXCEL_EPOCH + np.round(days[in_range] * 86400).astype("timedelta64[s]")
        fmt[good] = "Excel serial number"
        todo[good] = False
    # 4. Day and month first: 15/03/2024 or 03/15/2024.
    dmy = extract(_DMY_RE)
    hit = dmy[0].notna().to_numpy() & todo
    order = dayfirst
    if hit.any():
        a = pd.to_numeric(dmy[0]).to_numpy(dtype=np.float64)
        b = pd.to_numeric(dmy[1]).to_numpy(dtype=np.float64)
        y = pd.to_numeric(dmy[2]).to_numpy(dtype=np.float64)
        y = np.where(y < 100, np.where(y < 70, 2000 + y, 1900 + y), y)
        df_only = hit & (a > 12) & (b <= 12)
        mf_only = hit & (b > 12) & (a <= 12)
        ambiguous = hit & (a <= 12) & (b <= 12) & (a != b)
        n_df, n_mf = int(weights[df_only].sum()), int(weights[mf_only].sum())
        if order is None:
            order = n_df > n_mf
            if n_df and n_mf:
                major, minor = (
                    ("day-first", "month-first") if order else ("month-first", "day-first")
                )
                notes.append(
                    f"the date column mixes day-first and month-first dates; read as {major} "
                    f"(the majority); {min(n_df, n_mf):,} {minor} lines quarantined"
                )
            elif n_df or n_mf:
                ex = t[df_only if order else mf_only].iloc[0]
                notes.append(
                    f"dates such as {ex!r} can only be {'day' if order else 'month'}-first, "
                    f"so the column was read {'day' if order else 'month'}-first"
                )
            elif ambiguous.any():
                notes.append(
                    f"{int(weights[ambiguous].sum()):,} lines have dates such as "
                    f"{t[ambiguous].iloc[0]!r} that could be day-first or month-first; "
                    "read as month-first: pass dayfirst=True if your system writes the day first"
                )
        conflict = mf_only if order else df_only
        day = np.where(order, a, b)
        month = np.where(order, b, a)
        parts = pd.DataFrame({1: month, 2: day, 3: dmy[3], 4: dmy[4], 5: dmy[5]})
        ts[hit] = _assemble(parts[hit], y[hit])
        ts[conflict] = np.datetime64("NaT")
        status[conflict] = _CODE["date_order"]
        fmt[hit] = "day/month/year" if order else "month/day/year"
        todo &= ~hit
    # 5. Month names and anything else pandas understands (few values, element-wise).
    named = todo & (t.str.contains(r"[A-Za-z]{3}", regex=True).to_numpy() if todo.any() else False)
    if named.any():
        conv = pd.to_datetime(t[named], format="mixed", dayfirst=bool(order), errors="coerce")
        if getattr(conv.dt, "tz", None) is not None:
            conv = conv.dt.tz_localize(None)
        ts[named] = conv.to_numpy(dtype="datetime64[ns]")
        fmt[named] = "text month"
        todo &= ~named
    # Apply the 12-hour clock markers.
    has = (marker != "") & ~np.isnat(ts)
    if has.any():
        hour = pd.Series(ts).dt.hour.to_numpy()
        pm = np.isin(marker, ["下午", "晚上", "p"])
        noon = marker == "中午"
        am = has & ~pm & ~noon
        pm &= has
        too_big = has & (hour > 12)
        ts[pm & (hour < 12)] += np.timedelta64(12, "h")
        ts[noon & has & (hour < 11)] += np.timedelta64(12, "h")
        ts[am & (hour == 12)] -= np.timedelta64(12, "h")
        for i in np.flatnonzero(too_big):
            why[int(i)] = f"date {u.iloc[i]!r} has hour {hour[i]} with a 12-hour clock marker"
        ts[too_big] = np.datetime64("NaT")
        fmt[has] = fmt[has] + ", 12-hour clock"
    # Apply the UTC offsets.
    has = ~np.isnan(off_min) & ~np.isnat(ts)
    if has.any():
        utc = ts[has] - (off_min[has] * 60).astype("timedelta64[s]")
        distinct = [int(m) for m in np.unique(off_min[has])]

        def label(m: int) -> str:
            return f"{'+' if m >= 0 else '-'}{abs(m) // 60:02d}:{abs(m) % 60:02d}"

        offs = ", ".join(label(m) for m in distinct[:6]) + (" ..." if len(distinct) > 6 else "")
        n_lines = int(weights[has].sum())
        if timezone:
            ts[has] = _to_zone(utc, timezone)
            notes.append(
                f"{n_lines:,} dates carry a UTC offset ({offs}); converted to {timezone} and "
                "the offset dropped"
            )
        else:
            notes.append(
                f"{n_lines:,} dates carry a UTC offset ({offs}); kept at the local time written "
                "and the offset dropped"
                + (
                    "; they are in UTC: pass timezone= (your shop's zone, e.g. 'Asia/Taipei') "
                    "so late-evening sales fall on the right day"
                    if distinct == [0]
                    else ": pass timezone= to convert them to one zone instead"
                    if len(distinct) > 1
                    else ""
                )
            )
        fmt[has] = fmt[has] + " with UTC offset"
    unread = (np.isnat(ts)) & (status == 0)
    status[unread] = _CODE["bad_date"]
    return _Dates(ts, status, fmt, order if order is not None else None, notes, why)


def _combine_keys(codes: list[np.ndarray]) -> np.ndarray:
    key = np.zeros(len(codes[0]), dtype=np.int64)
    size = 1
    for c in codes:
        card = int(c.max()) + 2 if len(c) else 1
        if size * card >= 2**62:
            key, _ = pd.factorize(key)
            key = key.astype(np.int64)
            size = int(key.max()) + 1 if len(key) else 1
        key *= card
        key += c
        key += 1
        size *= card
    return key


def _repeated(key: np.ndarray) -> np.ndarray:
    """True where an int64 key occurs more than once.

    Keys are first spread over 2**22 hash buckets (one bincount), the keys in
    a shared bucket again over 2**20 buckets of another hash; only keys that
    share a bucket both times go through an exact hash-table check.
    """
    if len(key) < 2:
        return np.zeros(len(key), dtype=bool)
    if len(key) < 65536:  # small: the hash table alone is cheaper
        return pd.Series(key).duplicated(keep=False).to_numpy()
    ukey = key.astype(np.uint64)
    shared = np.arange(len(key))
    for mult, bits in ((0x9E3779B97F4A7C15, 22), (0xC2B2AE3D27D4EB4F, 20)):
        h = ((ukey * np.uint64(mult)) >> np.uint64(64 - bits)).astype(np.intp)
        in_shared = np.bincount(h, minlength=1 << bits)[h] > 1
        shared, ukey = shared[in_shared], ukey[in_shared]
    out = np.zeros(len(key), dtype=bool)
    if len(shared):
        out[shared[pd.Series(key[shared]).duplicated(keep=False).to_numpy()]] = True
    return out


def _first_of_duplicates(frame: pd.DataFrame, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Among ``rows`` of ``frame``, return (duplicate rows, first row they repeat)."""
    if len(rows) == 0:
        return rows, rows
    sub = frame.iloc[rows]
    keys = [pd.factorize(sub[c], use_na_sentinel=False)[0].astype(np.int64) for c in sub.columns]
    key = _combine_keys(keys)
    grp = pd.factorize(key)[0]
    prev_max = np.concatenate(([-1], np.maximum.accumulate(grp)[:-1]))
    is_first = grp > prev_max
    first_pos = np.flatnonzero(is_first)  # position of each group's first row
    dup = ~is_first
    return rows[dup], rows[first_pos[grp[dup]]]


def _resolve_mapping(
    names: Sequence[str], mapping: Mapping[str, str], where: str
) -> dict[str, int]:
    pos: dict[str, int] = {}
    for arg, name in mapping.items():
        hits = [i for i, n in enumerate(names) if n == name]
        if not hits:
            raise _missing_column_error(arg, name, names, where)
        if len(hits) > 1:
            cols = ", ".join(str(h + 1) for h in hits)
            raise ValueError(
                f"{arg}={name!r}: the column {name!r} appears {len(hits)} times in {where} "
                f"(columns {cols}); rename the copies so the one to use is unique"
            )
        pos[arg] = hits[0]
    return pos


def load_transactions(
    source: str | os.PathLike | pd.DataFrame,
    *,
    customer_id: str = schema.CUSTOMER_ID,
    date: str = schema.DATE,
    amount: str = schema.AMOUNT,
    quantity: str | None = None,
    order_id: str | None = None,
    product_id: str | None = None,
    keep: Sequence[str] | Mapping[str, str] = (),
    encoding: str | None = None,
    sep: str | None = None,
    sheet_name: str | int | None = None,
    date_format: str | None = None,
    dayfirst: bool | None = None,
    decimal: str = ".",
    currency: str | None = None,
    as_of: str | pd.Timestamp | None = None,
    timezone: str | None = None,
    min_date: str | pd.Timestamp = "1980-01-01",
    drop_duplicates: bool = True,
    return_prefix: str | None = "C",
) -> LoadResult:
    """Load a transaction export into the course's canonical transactions table.

    Parameters
    ----------
    source : str, path-like, pandas.DataFrame, or a list of them
        A CSV/TSV text file, an Excel ``.xlsx`` workbook, an HTML table, a
        Parquet file, or a DataFrame already in memory. A list loads several
        files as one: ``clean`` and ``quarantine`` then get a ``source_file``
        column, and lines are numbered within their file.
    customer_id, date, amount : str
        Names of the source's member-number, date and amount columns
        (default: the canonical names).
    quantity, order_id, product_id : str, optional
        Names of the source's quantity, order/invoice-number and product
        columns. ``product_id`` (an optional canonical column) is added to
        ``clean`` only when it is mapped.
    keep : sequence of str or mapping of str to str, optional
        Extra source columns to carry into ``clean`` as text (a mapping
        renames them: ``{"品名": "product"}``).
    encoding : str, optional
        Text encoding; detected when not given (see
        :func:`detect_encoding`).
    sep : str, optional
        Field delimiter; detected among ``,``, tab, ``;`` and ``|`` when not
        given.
    sheet_name : str, int or None, default None
        Excel sheet to read; None picks the first sheet whose header has the
        mapped columns (the report names it and lists the sheets).
    date_format : str, optional
        An exact :func:`~datetime.datetime.strptime` format such as
        ``"%d.%m.%Y"``; dates that do not match it are quarantined. By default
        the formats listed in the module docstring are recognised.
    dayfirst : bool, optional
        Whether dates like ``03/04/2024`` put the day first. Inferred from the
        column when not given.
    decimal : {".", ","}, default "."
        Decimal mark of the amounts.
    currency : str, optional
        ISO code such as ``"TWD"``; detected from symbols when not given.
    as_of : str or pandas.Timestamp, optional
        The analysis date; lines dated after it are quarantined. Default:
        today (a sale cannot be in the future). Pass it explicitly for
        reproducible results.
    timezone : str, optional
        The shop's time zone (IANA name such as ``"Asia/Taipei"``). Times
        with a UTC offset and epoch numbers are converted to it and the
        offset dropped. None keeps each time as written (see "Time zones"
        above).
    min_date : str or pandas.Timestamp, default "1980-01-01"
        Dates before it are quarantined as out of range.
    drop_duplicates : bool, default True
        Quarantine lines that repeat an earlier line exactly.
    return_prefix : str or None, default "C"
        An order number made of this prefix followed by a digit marks a
        cancellation (``C536379``). None disables this rule.

    Returns
    -------
    LoadResult

    Raises
    ------
    ValueError
        The file is empty, not a table, has no data rows, lacks a mapped
        column or has it twice; or an argument is invalid.
    FileNotFoundError
        ``source`` names no file.
    TypeError
        ``source`` is neither a path nor a DataFrame.

    Examples
    --------
    >>> df = pd.DataFrame({"cust": ["A", "B", None], "day": ["31/01/2024", "02/02/2024",
    ...                    "03/02/2024"], "paid": ["1.200,50", "-80", "15"]})
    >>> r = load_transactions(df, customer_id="cust", date="day", amount="paid",
    ...                       decimal=",", as_of="2024-12-31")
    >>> r.clean
         customer_id       date  amount  quantity order_id  is_return
    line
    1              A 2024-01-31  1200.5      <NA>     <NA>      False
    2              B 2024-02-02   -80.0      <NA>     <NA>       True
    3           <NA> 2024-02-03    15.0      <NA>     <NA>      False
    >>> r.dayfirst, r.n_walk_in, r.n_returns
    (True, 1, 1)

    A time in UTC is converted to the shop's zone, and the offset dropped:

    >>> api = pd.DataFrame({"customer_id": ["A"], "date": ["2025-03-05T16:30:00Z"],
    ...                     "amount": ["HK$1,280"]})
    >>> r = load_transactions(api, as_of="2025-12-31", timezone="Asia/Hong_Kong")
    >>> r.clean["date"].iloc[0], r.currency
    (Timestamp('2025-03-06 00:30:00'), 'HKD')
    """
    if decimal not in (".", ","):
        raise ValueError(f"decimal={decimal!r} is not valid; use '.' or ','")
    if currency is not None and not re.fullmatch(r"[A-Z]{3}", str(currency)):
        raise ValueError(
            f"currency={currency!r} is not an ISO 4217 code; use e.g. 'TWD', 'CNY' or 'USD'"
        )
    if dayfirst not in (None, True, False):
        raise ValueError(f"dayfirst={dayfirst!r} is not valid; use True, False or None")
    if sep is not None and (not isinstance(sep, str) or len(sep) != 1):
        raise ValueError(f"sep={sep!r} is not valid; give one character such as ',' or ';'")
    if timezone is not None:
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(str(timezone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"timezone={timezone!r} is not a time zone name; use e.g. 'Asia/Taipei', "
                "'Asia/Shanghai', 'Europe/London' or 'UTC'"
            ) from None
    try:
        min_ts = pd.Timestamp(min_date)
    except (ValueError, TypeError):
        min_ts = pd.NaT
    if pd.isna(min_ts):
        raise ValueError(f"min_date={min_date!r} is not a date; use e.g. '1980-01-01'")
    if isinstance(source, list | tuple):
        return _load_many(
            source,
            customer_id=customer_id,
            date=date,
            amount=amount,
            quantity=quantity,
            order_id=order_id,
            product_id=product_id,
            keep=keep,
            encoding=encoding,
            sep=sep,
            sheet_name=sheet_name,
            date_format=date_format,
            dayfirst=dayfirst,
            decimal=decimal,
            currency=currency,
            as_of=as_of,
            timezone=timezone,
            min_date=min_date,
            drop_duplicates=drop_duplicates,
            return_prefix=return_prefix,
        )
    mapping = {"customer_id": customer_id, "date": date, "amount": amount}
    if quantity is not None:
        mapping["quantity"] = quantity
    if order_id is not None:
        mapping["order_id"] = order_id
    if product_id is not None:
        mapping["product_id"] = product_id
    keep_map = dict(keep) if isinstance(keep, Mapping) else {k: k for k in keep}
    for k in keep_map:
        mapping[f"keep[{k!r}]"] = k
    for arg, name in mapping.items():
        if not isinstance(name, str) or not name:
            raise TypeError(f"{arg} must be a column name (a non-empty str), not {name!r}")
    try:
        as_of_ts = pd.Timestamp.today().normalize() if as_of is None else pd.Timestamp(as_of)
    except (ValueError, TypeError):
        as_of_ts = pd.NaT
    if pd.isna(as_of_ts):
        raise ValueError(f"as_of={as_of!r} is not a date; use e.g. '2024-12-31'")

    import pyarrow as pa
    import pyarrow.compute as pc

    wanted = list(dict.fromkeys(mapping.values()))
    raw = _read_source(source, wanted, mapping, encoding, sep, sheet_name)
    where = f"file {raw.source!r}" if raw.kind != "dataframe" else "the DataFrame"
    pos = _resolve_mapping(raw.names, mapping, where)
    frame, n = raw.frame, len(raw.frame)
    if n == 0 and not raw.pre:
        raise ValueError(f"{where} has a header but no data rows")
    notes = list(raw.notes)
    code = np.zeros(n, dtype=np.int8)
    detail: dict[int, np.ndarray] = {}

    def flag(mask: np.ndarray, reason: str) -> None:
        if not mask.any():
            return
        sel = mask & (code == 0)
        code[sel] = _CODE[reason]

    # Factorise the mapped columns; Arrow's hash kernels release the GIL, so two run at once.
    amt_col = frame[pos["amount"]]
    amt_numeric = pd.api.types.is_numeric_dtype(amt_col.dtype) and not pd.api.types.is_bool_dtype(
        amt_col.dtype
    )
    if amt_numeric:
        amt_col = pd.Series(amt_col.to_numpy(dtype=np.float64, na_value=np.nan))
    to_encode = {"customer_id": frame[pos["customer_id"]], "date": frame[pos["date"]]}
    to_encode["amount"] = amt_col
    if "quantity" in pos:
        to_encode["quantity"] = frame[pos["quantity"]]
    if n >= 100_000:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=2) as pool:
            encoded = dict(zip(to_encode, pool.map(_encode, to_encode.values()), strict=True))
    else:
        encoded = {k: _encode(v) for k, v in to_encode.items()}

    # Customer ids: normalised (full-width, invisible characters, ="..."); NA tokens ->
    # missing (walk-in); Excel's 1001.0 -> 1001.
    cust_codes, cust_u = encoded["customer_id"]
    cust_raw_a = _as_arrow(cust_u)
    cust_a = _norm(cust_raw_a)
    changed_u = pc.not_equal(pc.utf8_trim(cust_raw_a.fill_null(""), characters=" \t\r\n"), cust_a)
    changed_u = changed_u.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)
    cust_missing_u = _na_values(cust_a)
    cust_clean_a = pc.replace_substring_regex(cust_a, r"^(\d+)\.0+$", r"\1")
    cust_empty_u = pc.equal(cust_a, "").to_numpy(zero_copy_only=False).astype(bool)
    date_codes, date_u = encoded["date"]
    amt_codes, amt_u = encoded["amount"]
    date_t = _text(date_u) if not pd.api.types.is_datetime64_any_dtype(date_u.dtype) else None
    date_empty_u = (date_t == "").to_numpy() if date_t is not None else None

    # Blank lines: every field empty (checked only where the mapped fields are).
    if date_empty_u is not None and cust_empty_u.any() and date_empty_u.any():
        cand = np.flatnonzero(cust_empty_u[cust_codes] & date_empty_u[date_codes])
    else:
        cand = np.zeros(0, dtype=np.int64)
    if len(cand):
        sub = frame.iloc[cand]
        blank = np.ones(len(cand), dtype=bool)
        for c in sub.columns:
            blank &= (_text(sub[c]) == "").to_numpy()
        mask = np.zeros(n, dtype=bool)
        mask[cand[blank]] = True
        flag(mask, "blank")

    # Totals lines: a totals word in the first column or a mapped text column.
    tot = np.zeros(n, dtype=bool)
    tot_u = _matches(cust_a, _TOTALS_RE)
    if tot_u.any():
        tot |= tot_u[cust_codes]
    if date_t is not None:
        tot_u = _matches(_as_arrow(date_t), _TOTALS_RE)
        if tot_u.any():
            tot |= tot_u[date_codes]
    if 0 not in (pos["customer_id"], pos["date"], pos["amount"]):
        # The first column, as written (a label such as 合計 is rarely full-width).
        tot |= _matches(pc.utf8_trim_whitespace(_as_arrow(frame[0])), _TOTALS_RE)
    flag(tot, "total")
    # The header row again, inside the data (two exports pasted one after the other).
    if date_t is not None:
        hdr_c = pc.equal(cust_a, raw.names[pos["customer_id"]]).fill_null(False)
        hdr_c = hdr_c.to_numpy(zero_copy_only=False).astype(bool)
        hdr_d = (date_t == raw.names[pos["date"]]).to_numpy()
        if hdr_c.any() and hdr_d.any():
            flag(hdr_c[cust_codes] & hdr_d[date_codes], "header_repeat")
    tot_word = {}
    if tot.any():
        first_tot = np.flatnonzero(tot)
        for i in first_tot[:1000]:
            for c in range(frame.shape[1]):
                m = re.search(_TOTALS_RE[4:], _cell_text(frame.iat[i, c]), flags=re.I)
                if m:
                    tot_word[i] = m.group(0).strip()
                    break

    if not raw.strict or raw.kind != "csv":
        bad = np.zeros(n, dtype=bool)
        for c in frame.columns:
            col = frame[c]
            if col.dtype == object or isinstance(col.dtype, pd.StringDtype):
                bad |= _matches(_as_arrow(col), "\ufffd")
        flag(bad, "encoding")

    # Dates.
    weights = np.bincount(date_codes, minlength=len(date_u))
    dates = _parse_date_uniques(date_u, weights, dayfirst, date_format, timezone, date_t)
    notes.extend(dates.notes)
    ts = dates.ts[date_codes]
    dstat = dates.status[date_codes]
    for reason in ("missing_date", "placeholder_date", "bad_date", "date_order"):
        flag(dstat == _CODE[reason], reason)
    flag(~np.isnat(ts) & (ts < min_ts.to_datetime64()), "too_old")
    end_of_day = as_of_ts.normalize() + pd.Timedelta(days=1)
    future = ~np.isnat(ts) & (ts >= end_of_day.to_datetime64())
    flag(future, "future_date")

    # Amounts.
    if amt_numeric:
        vals = amt_u.to_numpy(dtype=np.float64)
        astat = np.where(np.isnan(vals), _CODE["missing_amount"], 0).astype(np.int8)
        astat[np.isinf(vals)] = _CODE["bad_amount"]
        acur = np.full(len(vals), "", dtype=object)
    else:
        vals, astat, acur = _parse_amount_uniques(amt_u, decimal)
    value = vals[amt_codes]
    if astat.any():
        astat_rows = astat[amt_codes]
        for reason in ("missing_amount", "bad_amount", "decimal_comma"):
            flag(astat_rows == _CODE[reason], reason)
    live = np.bincount(amt_codes[code == 0], minlength=len(acur))
    if (acur == "¥").any():
        # ¥ is the yuan or the yen: the given currency, the file's other symbols, or CNY.
        codes_in = set(acur[live > 0]) if len(acur) else set()
        yen = (
            currency
            if currency in ("CNY", "JPY")
            else "JPY"
            if ("JPY" in codes_in and "CNY" not in codes_in)
            else "CNY"
        )
        acur = np.where(acur == "¥", yen, acur)
        if currency is None:
            notes.append(f"'¥' was read as {yen}; pass currency='JPY' or 'CNY' to say which")
    found: dict[str, int] = {}
    for cur_u, cnt in zip(acur, live, strict=True):
        if cur_u and cnt:
            found[cur_u] = found.get(cur_u, 0) + int(cnt)
    found = dict(sorted(found.items(), key=lambda kv: (-kv[1], kv[0])))
    currency_detected = False
    cur_used = currency
    if cur_used is None and found:
        cur_used = next(iter(found))
        currency_detected = True
    if cur_used is not None:
        other_u = (acur != "") & (acur != cur_used)
        if other_u.any():
            flag(other_u[amt_codes], "currency")
    if len(found) > 1:
        notes.append(
            "amounts name several currencies ("
            + ", ".join(f"{k}: {v:,}" for k, v in found.items())
            + f"); lines not in {cur_used} are quarantined"
        )

    # Quantities.
    if "quantity" not in pos:
        qty = pd.arrays.IntegerArray(np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool))
    else:
        q_codes, q_u = encoded["quantity"]
        q_t = _text(q_u)
        q_empty = q_t.str.lower().isin(_NA_TOKENS).to_numpy()
        q_ok = q_t.str.match(r"^[+-]?\d+(?:\.0*)?$").to_numpy()
        q_val = pd.to_numeric(q_t.where(q_ok, None), errors="coerce").to_numpy(dtype=np.float64)
        flag((~q_ok & ~q_empty)[q_codes], "bad_quantity")
        qv = q_val[q_codes]
        qnan = np.isnan(qv)
        qty = pd.arrays.IntegerArray(np.where(qnan, 0, qv).astype(np.int64), qnan)

    # Order ids: kept exactly as written; missing-value words become missing.
    oid = None
    if "order_id" in pos:
        oid = _as_arrow(frame[pos["order_id"]])
        if pc.any(pc.match_substring(oid, "\t")).as_py():
            # WeChat Pay / Alipay bills end every field with a tab (to keep Excel off it).
            oid = pc.utf8_trim_whitespace(oid)
        if pc.any(pc.starts_with(oid, "=")).as_py():
            oid = pc.replace_substring_regex(oid, r'^=\s*"(.*)"$', r"\1")
        if pc.any(pc.match_substring(oid, "+")).as_py():
            n_sci = int(_matches(oid, _SCI_ID_RE).sum())
            if n_sci:
                notes.append(
                    f"WARNING: {n_sci:,} order id(s) are in scientific notation (Excel rounded "
                    "them): receipts may be merged; export the column as text"
                )
        # Missing-value words are at most 4 bytes long: look only at such short values.
        short = pc.less_equal(pc.binary_length(oid), 4).fill_null(True)
        short_idx = np.flatnonzero(short.to_numpy(zero_copy_only=False))
        if len(short_idx):
            oid_na = pc.is_null(oid).to_numpy(zero_copy_only=False).astype(bool)
            short_vals = pc.utf8_lower(pc.take(oid, pa.array(short_idx)))
            hit = pc.is_in(short_vals, value_set=pa.array(sorted(_NA_TOKENS)))
            oid_na[short_idx] |= hit.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)
            if oid_na.any():
                oid = pc.if_else(pa.array(oid_na), None, oid)

    # Customer ids that Excel damaged: scientific notation (8.86912E+11, digits lost) and
    # numbers that lost their leading zeros (912345678 among 0912345678-style ids).
    id_why: dict[int, str] = {}
    live_u = ~cust_missing_u
    sci_u = _matches(cust_a, _SCI_ID_RE) & live_u
    for i in np.flatnonzero(sci_u):
        id_why[int(i)] = (
            f"customer id {cust_a[int(i)].as_py()!r} is in scientific notation (Excel rounded "
            "it): different customers may share it; export the column as text"
        )
    digits_u = _matches(cust_a, r"^\d+$") & live_u
    if digits_u.any():
        vals = np.asarray(cust_a.to_pylist(), dtype=object)
        lens = np.char.str_len(vals[digits_u].astype(str))
        zero = np.char.startswith(vals[digits_u].astype(str), "0")
        if zero.any():
            width = int(np.bincount(lens[zero]).argmax())
            at_width = lens == width
            # Zero-padding must be the norm at that width (phone numbers 09..., 000123),
            # and that width the norm among the ids: then shorter numbers lost their zeros.
            if at_width.mean() >= 0.5 and (zero & at_width).sum() >= 0.5 * at_width.sum():
                short = np.flatnonzero(digits_u)[(lens < width) & ~zero]
                for i in short:
                    v = vals[i]
                    id_why[int(i)] = (
                        f"customer id {v!r} is shorter than the {width}-digit ids such as "
                        f"{vals[np.flatnonzero(digits_u)[zero][0]]!r}: its leading zeros were "
                        f"probably lost (as {v.zfill(width)!r}); export the column as text"
                    )
    if id_why:
        bad_u = np.zeros(len(cust_u), dtype=bool)
        bad_u[list(id_why)] = True
        flag(bad_u[cust_codes], "bad_id")
        n_bad = int((bad_u[cust_codes] & (code == _CODE["bad_id"])).sum())
        notes.append(
            f"WARNING: {n_bad:,} line(s) have customer ids damaged by Excel (scientific "
            "notation or lost leading zeros); they are quarantined because they can merge "
            "different customers or split one"
        )
    n_changed_u = int((changed_u & live_u).sum())
    if n_changed_u:
        n_changed = int(changed_u[cust_codes].sum())
        notes.append(
            f"{n_changed_u:,} distinct customer id(s) on {n_changed:,} line(s) were normalised "
            '(full-width characters, zero-width spaces, stray BOMs, NBSPs or Excel\'s ="...")'
        )

    # Exact duplicates: candidates share the mapped values; confirm on every column.
    if drop_duplicates and n:
        key_parts = [cust_codes, date_codes, amt_codes]
        if "quantity" in pos:
            key_parts.append(q_codes)
        key = _combine_keys(key_parts)
        cand = np.flatnonzero(_repeated(key) & (code == 0))
        dup_rows, first_rows = _first_of_duplicates(frame, cand)
        mask = np.zeros(n, dtype=bool)
        mask[dup_rows] = True
        flag(mask, "duplicate")
        detail[_CODE["duplicate"]] = np.zeros(n, dtype=np.int64)
        detail[_CODE["duplicate"]][dup_rows] = raw.line[first_rows]

    # ---------------------------------------------------------------- outputs
    ok = code == 0
    all_ok = bool(ok.all())
    ok_idx = pa.array(np.flatnonzero(ok))
    cust_u_arrow = pc.if_else(pa.array(cust_missing_u), None, cust_clean_a)
    cust_out = pc.take(cust_u_arrow, pa.array(cust_codes[ok]))
    n_ok = int(ok.sum())
    oid_ok = None if oid is None else oid if all_ok else pc.take(oid, ok_idx)
    clean = pd.DataFrame(
        {
            schema.CUSTOMER_ID: pd.arrays.ArrowStringArray(cust_out),
            schema.DATE: ts[ok].astype("datetime64[ns]", copy=False),
            schema.AMOUNT: value if all_ok else value[ok],
            schema.QUANTITY: qty if all_ok else qty[ok],
            schema.ORDER_ID: (
                pd.arrays.ArrowStringArray(oid_ok)
                if oid_ok is not None
                else pd.array([pd.NA] * n_ok, dtype="string")
            ),
        },
        index=pd.Index(raw.line[ok], name="line"),
        copy=False,  # every column above is a fresh array
    )
    is_ret = (value[ok] < 0) | (clean[schema.QUANTITY] < 0).fillna(False).to_numpy(dtype=bool)
    if oid_ok is not None and return_prefix:
        # The regex runs only on the order ids that start with the prefix.
        pat = "^" + re.escape(return_prefix) + r"[-_ ]?\d"
        starts = pc.starts_with(oid_ok, pattern=return_prefix).fill_null(False)
        cand_ret = np.flatnonzero(starts.to_numpy(zero_copy_only=False))
        if len(cand_ret):
            is_ret[cand_ret] |= _matches(pc.take(oid_ok, pa.array(cand_ret)), pat)
    clean[schema.IS_RETURN] = pd.array(is_ret, dtype="boolean")
    extra_cols = {f"keep[{src!r}]": dst for src, dst in keep_map.items()}
    if "product_id" in pos:
        extra_cols = {"product_id": schema.PRODUCT_ID, **extra_cols}
    for arg, dst in extra_cols.items():
        kept = pc.take(_norm(_as_arrow(frame[pos[arg]])), ok_idx)
        kept = pc.if_else(pc.equal(kept, ""), None, kept)
        clean[dst] = pd.arrays.ArrowStringArray(kept)

    # Quarantine: original values plus reasons.
    q_idx = np.flatnonzero(~ok)
    qcode = code[q_idx]
    reasons = np.empty(len(q_idx), dtype=object)
    names_by_code = {v: k for k, v in _CODE.items()}
    date_orig = date_t.to_numpy(dtype=object)[date_codes[q_idx]] if date_t is not None else None
    amt_orig = _text(amt_u).to_numpy(dtype=object)[amt_codes[q_idx]]
    for j, (i, c) in enumerate(zip(q_idx, qcode, strict=True)):
        r = names_by_code[int(c)]
        if r == "blank":
            txt = "blank line"
        elif r == "total":
            txt = f"totals line ({tot_word.get(i, 'total')!r}), not a sale"
        elif r == "header_repeat":
            txt = "the header row again: were two exports joined into one file?"
        elif r == "encoding":
            txt = f"characters that are not valid {raw.encoding}"
        elif r == "missing_date":
            txt = "date is missing"
        elif r in ("bad_date", "placeholder_date") and int(date_codes[i]) in dates.why:
            txt = dates.why[int(date_codes[i])]
        elif r == "bad_date":
            d = date_orig[j] if date_orig is not None else ""
            txt = f"date {d!r} is not a valid date" + (
                f" in format {date_format!r}" if date_format else ""
            )
        elif r == "too_old":
            txt = f"date {pd.Timestamp(ts[i]):%Y-%m-%d} is before min_date {min_ts:%Y-%m-%d}"
        elif r == "bad_id":
            txt = id_why[int(cust_codes[i])]
        elif r == "date_order":
            d = date_orig[j]
            order = "day-first" if dates.dayfirst else "month-first"
            txt = f"date {d!r} cannot be read {order} like the rest of the column"
        elif r == "future_date":
            txt = f"date {pd.Timestamp(ts[i]):%Y-%m-%d} is after as_of {as_of_ts:%Y-%m-%d}"
        elif r == "missing_amount":
            txt = "amount is missing"
        elif r == "bad_amount":
            txt = f"amount {amt_orig[j]!r} is not a number"
        elif r == "decimal_comma":
            txt = (
                f"amount {amt_orig[j]!r} uses ',' as decimal mark; pass decimal=','"
                if decimal == "."
                else f"amount {amt_orig[j]!r} uses '.' as decimal mark; pass decimal='.'"
            )
        elif r == "currency":
            txt = f"amount {amt_orig[j]!r} is in {acur[amt_codes[i]]}, the file is in {cur_used}"
        elif r == "bad_quantity":
            qv = _cell_text(frame.iat[i, pos["quantity"]])
            txt = f"quantity {qv!r} is not a whole number"
        else:
            txt = f"exact duplicate of line {detail[_CODE['duplicate']][i]}"
        reasons[j] = txt
    orig = frame.iloc[q_idx].copy()
    orig.columns = _unique_names(raw.names)
    quarantine = pd.concat(
        [
            pd.DataFrame(
                {
                    "line": raw.line[q_idx],
                    "reason_code": [names_by_code[int(c)] for c in qcode],
                    "reason": reasons,
                }
            ),
            orig.reset_index(drop=True),
        ],
        axis=1,
    )
    quarantine["raw_text"] = pd.NA
    if raw.pre:
        pre = pd.DataFrame(raw.pre, columns=["line", "reason_code", "reason", "raw_text"])
        quarantine = pd.concat([quarantine, pre], ignore_index=True) if len(quarantine) else pre
    quarantine = quarantine.sort_values("line", kind="stable").reset_index(drop=True)
    quarantine["line"] = quarantine["line"].astype(np.int64)
    cols = ["line", "reason_code", "reason", *_unique_names(raw.names), "raw_text"]
    quarantine = quarantine.reindex(columns=cols)

    rows_read = n + len(raw.pre)
    if rows_read != len(clean) + len(quarantine):  # pragma: no cover - a bug if it happens
        raise RuntimeError("internal error: lines were lost while loading")
    if len(clean) == 0 and rows_read:
        notes.append("no line could be loaded: read the reasons above")
    per_unique = np.bincount(date_codes[ok], minlength=len(date_u))
    used = per_unique > 0
    by_fmt = pd.Series(per_unique[used]).groupby(dates.fmt[used].astype(str)).sum()
    fmt_counts = {str(k): int(v) for k, v in by_fmt.items()}
    formats = dict(sorted(fmt_counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return LoadResult(
        clean=clean,
        quarantine=quarantine,
        source=raw.source,
        rows_read=rows_read,
        encoding=raw.encoding,
        encoding_detected=raw.encoding_detected,
        sep=raw.sep,
        currency=cur_used,
        currency_detected=currency_detected,
        dayfirst=dates.dayfirst,
        as_of=as_of_ts,
        date_formats=formats,
        notes=notes,
    )


def _load_many(sources: Sequence[Any], **kwargs: Any) -> LoadResult:
    """Load several exports (e.g. one per month) as one.

    Lines repeated exactly across files are quarantined as duplicates
    (overlapping exports).
    """
    if len(sources) == 0:
        raise ValueError("source: the list of files is empty; give at least one file")
    for k, src in enumerate(sources):
        if not isinstance(src, str | os.PathLike | pd.DataFrame):
            raise TypeError(
                "source must be a file path or a pandas DataFrame (or a list of them); "
                f"item {k} of the list is a {type(src).__name__}"
            )
    results = [load_transactions(src, **kwargs) for src in sources]
    names = [r.source for r in results]
    if len(set(names)) < len(names):
        names = [
            str(Path(src)) if not isinstance(src, pd.DataFrame) else f"DataFrame {k + 1}"
            for k, src in enumerate(sources)
        ]
    cleans, quars, notes = [], [], []
    for r, nm in zip(results, names, strict=True):
        c = r.clean.copy()
        c["source_file"] = nm
        cleans.append(c)
        q = r.quarantine.copy()
        q.insert(0, "source_file", nm)
        quars.append(q)
        notes.extend(f"{nm}: {t}" for t in r.notes)
    clean = pd.concat(cleans)
    quarantine = pd.concat(quars, ignore_index=True)
    cols = [c for c in clean.columns if c != "source_file"]
    if kwargs.get("drop_duplicates", True) and len(clean):
        grp = clean.groupby(cols, dropna=False, sort=False).ngroup().to_numpy()
        first_pos = pd.Series(np.arange(len(clean))).groupby(grp).transform("min").to_numpy()
        files = clean["source_file"].to_numpy()
        lines = clean.index.to_numpy()
        dup = (first_pos != np.arange(len(clean))) & (files[first_pos] != files)
        if dup.any():
            moved = clean[dup]
            extra = pd.DataFrame(
                {
                    "source_file": moved["source_file"].to_numpy(),
                    "line": moved.index.to_numpy(),
                    "reason_code": "duplicate",
                    "reason": [
                        f"exact duplicate of line {lines[f]} in {files[f]!r} (the exports overlap)"
                        for f in first_pos[dup]
                    ],
                    "raw_text": [
                        ", ".join(str(v) for v in row)
                        for row in moved[cols].itertuples(index=False)
                    ],
                }
            )
            quarantine = pd.concat([quarantine, extra], ignore_index=True)
            clean = clean[~dup]
            notes.append(
                f"{int(dup.sum()):,} line(s) repeat a line of an earlier file exactly "
                "(overlapping exports); quarantined as duplicates"
            )
    order = {nm: k for k, nm in enumerate(names)}
    quarantine = (
        quarantine.assign(_f=quarantine["source_file"].map(order))
        .sort_values(["_f", "line"], kind="stable")
        .drop(columns="_f")
        .reset_index(drop=True)
    )
    front = ["source_file", "line", "reason_code", "reason"]
    quarantine = quarantine[front + [c for c in quarantine.columns if c not in front]]
    rows_read = sum(r.rows_read for r in results)
    if rows_read != len(clean) + len(quarantine):  # pragma: no cover - a bug if it happens
        raise RuntimeError("internal error: lines were lost while combining files")
    currencies = {r.currency for r in results if r.currency}
    if len(currencies) > 1:
        notes.append(
            f"the files are in different currencies ({', '.join(sorted(currencies))}): "
            "do not add their amounts up; pass currency= to quarantine the odd ones"
        )
    formats: dict[str, int] = {}
    for r in results:
        for k, v in r.date_formats.items():
            formats[k] = formats.get(k, 0) + v

    def joined(values: list[Any]) -> Any:
        distinct = list(dict.fromkeys(v for v in values if v is not None))
        return distinct[0] if len(distinct) == 1 else ", ".join(map(str, distinct)) or None

    return LoadResult(
        clean=clean,
        quarantine=quarantine,
        source=f"{len(names)} files: " + ", ".join(names),
        rows_read=rows_read,
        encoding=joined([r.encoding for r in results]),
        encoding_detected=any(r.encoding_detected for r in results),
        sep=joined([r.sep for r in results]),
        currency=joined([r.currency for r in results]),
        currency_detected=any(r.currency_detected for r in results),
        dayfirst=next((r.dayfirst for r in results if r.dayfirst is not None), None),
        as_of=results[0].as_of,
        date_formats=dict(sorted(formats.items(), key=lambda kv: (-kv[1], kv[0]))),
        notes=notes,
    )


def _unique_names(names: Sequence[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for nm in names:
        if nm in seen:
            seen[nm] += 1
            out.append(f"{nm}.{seen[nm]}")
        else:
            seen[nm] = 0
            out.append(nm)
    return out
