"""The course's one glossary: English, 繁體中文 (Taiwan usage), 简体中文 (mainland usage).

Every Chinese term a lesson gives beside an English one comes from this table
(``crm_lessons/data/glossary.csv``), so one concept has one name per edition
across the course. Each term keeps the sources' own synonyms (e.g. 荷包貢獻度
for the wallet ratio, 高級銷售／進階銷售 for up-selling, 維繫率 for the
retention rate, 顧客化／定制化 for customization), which are accepted too.

The two editions differ in vocabulary, not only in characters. Words that are
mainland usage must not appear in 繁體 text (:data:`MAINLAND_USAGE`), and
Taiwan usage must not appear in 简体 text (:data:`TAIWAN_USAGE`);
:func:`usage_problems` finds both in a text.

Taught in: every lesson (terms at first use); the table is printed in
``notebooks/01_what_is_crm``.

Examples
--------
>>> term("customer segmentation", "zh_tw"), term("customer segmentation", "zh_cn")
('顧客區隔', '顾客区隔')
>>> usage_problems("我們用數據做營銷")
[('數據', '資料', 'zh_tw'), ('營銷', '行銷', 'zh_tw')]
>>> is_glossary_pair("荷包貢獻度", "钱包份额")
True
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

__all__ = [
    "MAINLAND_USAGE",
    "TAIWAN_USAGE",
    "Term",
    "glossary",
    "is_glossary_pair",
    "script_of",
    "term",
    "terms",
    "usage_problems",
]

_FILE = Path(__file__).resolve().parent / "data" / "glossary.csv"
_LANGS = ("en", "zh_tw", "zh_cn")

#: Mainland words (written in traditional characters) and the Taiwan word to use instead.
MAINLAND_USAGE = {
    "數據": "資料",
    "營銷": "行銷",
    "軟件": "軟體",
    "網絡": "網路",
    "短信": "簡訊",
    "信息": "資訊",
    "質量": "品質",
    "默認": "預設",
    "視頻": "影片",
    "打印": "列印",
    "渠道": "管道",
    "概率": "機率",
    "置信區間": "信賴區間",
    "反饋": "回饋",
}
#: Taiwan words (written in simplified characters) and the mainland word to use instead.
TAIWAN_USAGE = {
    "资料": "数据",
    "行销": "营销",
    "软体": "软件",
    "网路": "网络",
    "简讯": "短信",
    "资讯": "信息",
    "预设": "默认",
    "程式": "程序",
    "机率": "概率",
    "信赖区间": "置信区间",
    "回馈": "反馈",
    "品质": "质量",
}
# "品质" is also heard on the mainland; the glossary's 质量 is preferred in 简体 text.
TAIWAN_USAGE.pop("品质")


@dataclass(frozen=True)
class Term:
    """One glossary entry."""

    en: str
    zh_tw: str
    zh_cn: str
    synonyms_zh_tw: tuple[str, ...] = ()
    synonyms_zh_cn: tuple[str, ...] = ()

    def forms(self, lang: str) -> tuple[str, ...]:
        """Every accepted form in ``lang`` ("zh_tw" or "zh_cn"): the term and its synonyms."""
        if lang == "zh_tw":
            return (self.zh_tw, *self.synonyms_zh_tw)
        if lang == "zh_cn":
            return (self.zh_cn, *self.synonyms_zh_cn)
        raise ValueError(f"argument lang: got {lang!r}; expected 'zh_tw' or 'zh_cn'")


def _split(cell: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in cell.split(";") if s.strip())


@lru_cache(maxsize=1)
def terms() -> tuple[Term, ...]:
    """Return every glossary entry, in the table's order."""
    with _FILE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return tuple(
        Term(
            r["en"],
            r["zh_tw"],
            r["zh_cn"],
            _split(r["synonyms_zh_tw"]),
            _split(r["synonyms_zh_cn"]),
        )
        for r in rows
    )


def glossary(lang: str | None = None) -> pd.DataFrame:
    """Return the glossary as a table.

    Parameters
    ----------
    lang : {"en", "zh_tw", "zh_cn"}, optional
        Sort by this language's term (default: the table's order).

    Returns
    -------
    pandas.DataFrame
        Columns ``English``, ``繁體中文``, ``简体中文``, ``synonyms (繁體)``,
        ``synonyms (简体)``.

    Examples
    --------
    >>> glossary().columns.tolist()[:3]
    ['English', '繁體中文', '简体中文']
    """
    if lang is not None and lang not in _LANGS:
        raise ValueError(f"argument lang: got {lang!r}; expected one of {_LANGS}")
    df = pd.DataFrame(
        {
            "English": [t.en for t in terms()],
            "繁體中文": [t.zh_tw for t in terms()],
            "简体中文": [t.zh_cn for t in terms()],
            "synonyms (繁體)": ["、".join(t.synonyms_zh_tw) for t in terms()],
            "synonyms (简体)": ["、".join(t.synonyms_zh_cn) for t in terms()],
        }
    )
    if lang is not None:
        col = {"en": "English", "zh_tw": "繁體中文", "zh_cn": "简体中文"}[lang]
        df = df.sort_values(col, key=lambda s: s.str.casefold()).reset_index(drop=True)
    return df


def term(en: str, lang: str) -> str:
    """Return the glossary's term for the English ``en`` in ``lang``.

    Raises
    ------
    KeyError
        When ``en`` is not in the glossary (the message lists close entries).
    """
    if lang not in _LANGS:
        raise ValueError(f"argument lang: got {lang!r}; expected one of {_LANGS}")
    for t in terms():
        if t.en.casefold() == en.casefold():
            return getattr(t, lang)
    close = [t.en for t in terms() if en.casefold().split()[0] in t.en.casefold()]
    raise KeyError(f"{en!r} is not in the glossary; close entries: {close[:5]}")


def is_glossary_pair(zh_tw: str, zh_cn: str) -> bool:
    """True when ``zh_tw`` / ``zh_cn`` are the two editions' forms of one glossary term."""
    return any(zh_tw in t.forms("zh_tw") and zh_cn in t.forms("zh_cn") for t in terms())


# Common characters whose traditional and simplified forms differ, position by position.
_TRAD = (
    "這個們來時為與會說對學經電資數據網絡軟體營銷產業關係點費號統計顧價區滿發獲戶務購買員"
    "際預覽導試驗級質準確圖表種類實際單雙廣應動態錢現歷變機連結節範輪廓識隔隱顯畫聯護異"
    "負責寫讀還選擇標訊報紀錄檢測調查觀業務競爭強終權益勢頭據處們閱環練課師習題答問將專樣"
)
_SIMP = (
    "这个们来时为与会说对学经电资数据网络软体营销产业关系点费号统计顾价区满发获户务购买员"
    "际预览导试验级质准确图表种类实际单双广应动态钱现历变机连结节范轮廓识隔隐显画联护异"
    "负责写读还选择标讯报纪录检测调查观业务竞争强终权益势头据处们阅环练课师习题答问将专样"
)


@lru_cache(maxsize=1)
def _script_chars() -> tuple[frozenset[str], frozenset[str]]:
    trad, simp = set(), set()
    for a, b in zip(_TRAD, _SIMP, strict=True):
        if a != b:
            trad.add(a)
            simp.add(b)
    both = trad & simp
    return frozenset(trad - both), frozenset(simp - both)


def script_of(text: str) -> str | None:
    """Return "zh_tw" (traditional), "zh_cn" (simplified) or None (cannot tell).

    Examples
    --------
    >>> script_of("顧客資料"), script_of("顾客数据"), script_of("口碑")
    ('zh_tw', 'zh_cn', None)
    """
    trad, simp = _script_chars()
    t = sum(c in trad for c in text)
    s = sum(c in simp for c in text)
    if t == s:
        return None
    return "zh_tw" if t > s else "zh_cn"


_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff（）、／]+")


def usage_problems(text: str) -> list[tuple[str, str, str]]:
    """Find the other region's usage in ``text``.

    Each Chinese run is classified as traditional or simplified
    (:func:`script_of`); a traditional run must not hold a word of
    :data:`MAINLAND_USAGE`, a simplified run none of :data:`TAIWAN_USAGE`.

    Returns
    -------
    list of (word found, word to use, edition)
    """
    found = []
    for m in _CJK_RUN.finditer(text):
        run = m.group(0)
        script = script_of(run)
        table = MAINLAND_USAGE if script == "zh_tw" else TAIWAN_USAGE if script else {}
        for word, instead in table.items():
            if word in run:
                found.append((word, instead, script))
    return found
