"""The 10C framework of CRM, and the course map, as data.

Lessons render their tables from here, and the README's course map is checked
against it, so no term is typed twice.

The ten Cs run from *means* to *ends*: knowing customers (profile, knowledge)
and treating them differently (segmentation, customization) are the means;
the value customers get and how satisfied they are follow from them; and the
ends the business is after are developing, keeping and winning customers, and
finally the profit they bring.

Examples
--------
>>> [c.english for c in TEN_C][:3]
['Customer Profile', 'Customer Knowledge', 'Customer Segmentation']
>>> by_key("retention").zh_tw
'顧客保留率'
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = [
    "LESSONS",
    "TEN_C",
    "C",
    "Lesson",
    "by_key",
    "course_map",
    "course_map_markdown",
    "plot_ten_c_map",
    "ten_c_table",
]


@dataclass(frozen=True)
class C:
    """One of the ten Cs."""

    number: int
    key: str
    english: str
    zh_tw: str
    zh_cn: str
    role: str
    definition: str
    metrics: str
    lesson: str


TEN_C: tuple[C, ...] = (
    C(1, "profile", "Customer Profile", "顧客輪廓", "顾客轮廓", "means",
      "Integrated information on each customer: demographics, needs, behaviour, transactions, credit.",
      "profile completeness; share of sales linked to a known customer",
      "02_customer_profile_knowledge.ipynb"),
    C(2, "knowledge", "Customer Knowledge", "顧客知識", "顾客知识", "means",
      "Rules and cause-effect relations learned from explicit and implicit customer information.",
      "support and confidence of customer rules",
      "02_customer_profile_knowledge.ipynb"),
    C(3, "segmentation", "Customer Segmentation", "顧客區隔", "顾客区隔", "means",
      "Grouping customers by need or by value; value-based grouping matters most for CRM.",
      "RFM segments; value tiers; segment size and value",
      "03_customer_segmentation.ipynb"),
    C(4, "customization", "Customization", "顧客化／客製化", "顾客化／客制化", "means",
      "One-to-one price, promotion and channel: mass to segment to one-to-one marketing.",
      "response rate, revenue and cost per approach",
      "04_customization.ipynb"),
    C(5, "value", "Customer Value", "顧客價值", "顾客价值", "outcome",
      "The bundle of benefits a customer expects: product, service, staff and brand value.",
      "perceived value = perceived gains - perceived losses",
      "05_customer_value.ipynb"),
    C(6, "satisfaction", "Customer Satisfaction", "顧客滿意度", "顾客满意度", "outcome",
      "Perceived performance compared with expectations: satisfaction = perception - expectation.",
      "expectation-perception gap; NPS; CSAT",
      "06_customer_satisfaction.ipynb"),
    C(7, "development", "Customer Development", "顧客發展", "顾客发展", "end",
      "Raising share of wallet of existing customers by cross-selling and up-selling.",
      "share of wallet; cross-sell lift; recommendation hit rate",
      "07_customer_development.ipynb"),
    C(8, "retention", "Customer Retention", "顧客保留率", "顾客保留率", "end",
      "Keeping valuable customers and lowering churn to earn their lifetime value.",
      "retention and churn rate; cohort retention",
      "08_customer_retention.ipynb"),
    C(9, "acquisition", "Customer Acquisition", "顧客贏取率", "顾客赢取率", "end",
      "Winning new customers by offering more value than competitors, at a known cost.",
      "acquisition cost (CAC) by channel; channel ROI; payback",
      "09_customer_acquisition.ipynb"),
    C(10, "profitability", "Customer Profitability", "顧客獲利率", "顾客获利率", "end",
      "Lifetime purchases minus the marketing and service costs spent on the customer.",
      "customer profit; customer lifetime value (CLV)",
      "10_customer_profitability_clv.ipynb"),
)  # fmt: skip


@dataclass(frozen=True)
class Lesson:
    """One notebook of the course."""

    notebook: str
    title: str
    c_keys: tuple[str, ...]
    outcome: str
    zh_tw: str = ""
    zh_cn: str = ""
    kind: str = "lesson"


LESSONS: tuple[Lesson, ...] = (
    Lesson("00_start_here.ipynb", "Start here", (),
           "use the notebooks, run the self-checks and check your set-up", "從這裡開始", "从这里开始"),
    Lesson("01_what_is_crm.ipynb", "What CRM is: the 10C framework", (),
           "explain CRM as strategy + process + technology and place each C on the map",
           "什麼是顧客關係管理", "什么是顾客关系管理"),
    Lesson("02_customer_profile_knowledge.ipynb", "Customer profile & knowledge", ("profile", "knowledge"),
           "build a single customer view and a customer portrait; audit data quality"),
    Lesson("03_customer_segmentation.ipynb", "Customer segmentation", ("segmentation",),
           "score customers by RFM, tier them by value and cluster them by need"),
    Lesson("04_customization.ipynb", "Customization", ("customization",),
           "pick a next-best offer and compare mass, segment and one-to-one marketing"),
    Lesson("05_customer_value.ipynb", "Customer value", ("value",),
           "measure the value bundle and the four kinds of value a customer brings"),
    Lesson("06_customer_satisfaction.ipynb", "Customer satisfaction", ("satisfaction",),
           "measure gaps, NPS and CSAT, find drivers and read loyalty curves"),
    Lesson("07_customer_development.ipynb", "Customer development", ("development",),
           "find cross-sell and up-sell chances and test a recommender against a baseline"),
    Lesson("08_customer_retention.ipynb", "Retention & churn", ("retention",),
           "read cohorts, predict churn early and decide whom to win back"),
    Lesson("09_customer_acquisition.ipynb", "Customer acquisition", ("acquisition",),
           "compare channels by CAC, ROI and payback and balance the twin engines"),
    Lesson("10_customer_profitability_clv.ipynb", "Customer profitability & lifetime value", ("profitability",),
           "compute customer profit and CLV and check BTYD models against a holdout"),
    Lesson("11_lifecycle_management.ipynb", "Customer lifecycle management", (),
           "assign lifecycle stages, follow transitions and plan a tactic per stage",
           "客戶生命週期管理", "客户生命周期管理"),
    Lesson("12_measuring_crm_effects.ipynb", "Measuring CRM effects", (),
           "build a KPI scorecard and measure a campaign's effect with a control group",
           "效果評估", "效果评估"),
    Lesson("13_inside_a_crm_system.ipynb", "Inside a CRM system", (),
           "put a world into a database with keys, query it in SQL, link one customer across "
           "channels, measure automation rules and read a B2B pipeline",
           "顧客關係管理系統", "客户关系管理系统"),
    Lesson("20_your_own_data.ipynb", "Your own data (template)", (),
           "run the whole pipeline on your own shop's export by editing one cell",
           "使用你自己的資料", "使用你自己的数据", "template"),
    Lesson("21_case_coffee_shop_loyalty.ipynb", "Case: a coffee shop's loyalty card",
           ("profile", "segmentation", "retention"),
           "find the best and the slipping customers and price a stamp card or birthday offer",
           kind="case"),
    Lesson("22_case_ecommerce_bought_growth.ipynb", "Case: the e-commerce platform that bought growth",
           ("acquisition", "retention"),
           "diagnose churn with cohorts and CAC vs CLV, and re-split the budget", kind="case"),
    Lesson("23_case_fmcg_campaign_spam.ipynb", "Case: the FMCG campaign that became spam",
           ("segmentation", "customization"),
           "show what poor targeting cost and what a targeted plan would earn", kind="case"),
    Lesson("24_case_loyalty_programme_effect.ipynb", "Case: do members spend more because of the programme?",
           ("retention", "profitability"),
           "separate selection from the programme's real effect", kind="case"),
    Lesson("25_case_b2b_support_desk.ipynb", "Case: the two-continent B2B support desk",
           ("satisfaction", "development"),
           "weigh cost to serve, satisfaction after tickets and cross-selling in support", kind="case"),
    Lesson("26_case_cdnow_real_data.ipynb", "Case: real data from CDNOW",
           ("segmentation", "profitability"),
           "take a real customer base from RFM to CLV to a one-page recommendation", kind="case"),
    Lesson("30_capstone.ipynb", "Capstone: an unseen business", (),
           "analyse a new business end to end and check your key numbers",
           "總結專題", "总结专题", "capstone"),
)  # fmt: skip


def by_key(key: str) -> C:
    """Return the C with this key (``"profile"`` ... ``"profitability"``).

    Parameters
    ----------
    key : str
        The C's key.

    Returns
    -------
    C

    Examples
    --------
    >>> by_key("value").number
    5
    >>> by_key("loyalty")
    Traceback (most recent call last):
    ...
    ValueError: key='loyalty' is not one of the 10C; valid keys: profile, knowledge, ...
    """
    for c in TEN_C:
        if c.key == key:
            return c
    valid = ", ".join(c.key for c in TEN_C)
    raise ValueError(f"key={key!r} is not one of the 10C; valid keys: {valid}")


def ten_c_table(*, simplified: bool = True) -> pd.DataFrame:
    """Return the 10C framework as a table for display in a lesson.

    Parameters
    ----------
    simplified : bool, default True
        Include the Simplified Chinese column.

    Returns
    -------
    pandas.DataFrame
        One row per C, indexed by its number.

    Examples
    --------
    >>> t = ten_c_table()
    >>> t.loc[6, "English"], t.loc[6, "繁體中文"], t.loc[6, "简体中文"]
    ('Customer Satisfaction', '顧客滿意度', '顾客满意度')
    """
    rows = [
        {
            "C": c.number,
            "English": c.english,
            "繁體中文": c.zh_tw,
            "简体中文": c.zh_cn,
            "role": c.role,
            "definition": c.definition,
            "key metric(s)": c.metrics,
            "lesson": c.lesson.removesuffix(".ipynb"),
        }
        for c in TEN_C
    ]
    df = pd.DataFrame(rows).set_index("C")
    return df if simplified else df.drop(columns="简体中文")


def course_map() -> pd.DataFrame:
    """Return the course map: each lesson, the C(s) it teaches and what it enables.

    Returns
    -------
    pandas.DataFrame
        Columns ``lesson, title, 10C, 繁體中文, 简体中文, afterwards you can``.

    Examples
    --------
    >>> m = course_map()
    >>> m.loc[m["lesson"] == "06_customer_satisfaction", "繁體中文"].item()
    '顧客滿意度'
    """
    rows = []
    for lesson in LESSONS:
        cs = [by_key(k) for k in lesson.c_keys]
        if lesson.kind == "case":
            rows.append(
                {
                    "lesson": lesson.notebook.removesuffix(".ipynb"),
                    "title": lesson.title,
                    "10C": " + ".join(f"C{c.number}" for c in cs),
                    "繁體中文": "個案研究",
                    "简体中文": "个案研究",
                    "afterwards you can": lesson.outcome,
                }
            )
            continue
        rows.append(
            {
                "lesson": lesson.notebook.removesuffix(".ipynb"),
                "title": lesson.title,
                "10C": " + ".join(f"C{c.number} {c.english}" for c in cs) or "-",
                "繁體中文": "、".join(c.zh_tw for c in cs) or lesson.zh_tw,
                "简体中文": "、".join(c.zh_cn for c in cs) or lesson.zh_cn,
                "afterwards you can": lesson.outcome,
            }
        )
    return pd.DataFrame(rows)


def course_map_markdown() -> str:
    """Return the course map as a Markdown table (used in README.md).

    Returns
    -------
    str

    Examples
    --------
    >>> print(course_map_markdown().splitlines()[0])
    | lesson | title | 10C | 繁體中文 | 简体中文 | afterwards you can |
    """
    df = course_map()
    lines = ["| " + " | ".join(df.columns) + " |", "|" + "---|" * len(df.columns)]
    for row in df.itertuples(index=False):
        lines.append("| " + " | ".join(str(v) for v in row) + " |")
    return "\n".join(lines)


_ROLE_TITLES = {
    "means": "Means: know and treat customers",
    "outcome": "Customer outcomes",
    "end": "Business ends",
}


def plot_ten_c_map(ax=None, *, chinese: bool = False):
    """Draw the 10C framework as a means-to-ends map.

    Three columns of boxes (means, customer outcomes, business ends) joined
    by arrows, drawn from :data:`TEN_C`.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made when omitted.
    chinese : bool, default False
        Add the Traditional Chinese term under each English one (needs a CJK
        font to display properly).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_ten_c_map()
    >>> len([t for t in ax.texts if t.get_text()[:2] in {f"C{i}" for i in range(1, 10)}])
    10
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(11, 5.2))
    roles = list(_ROLE_TITLES)
    xs = {"means": 0.17, "outcome": 0.5, "end": 0.83}
    colours = {"means": "#cfe2f3", "outcome": "#fff2cc", "end": "#d9ead3"}
    centres = {}
    for role in roles:
        members = [c for c in TEN_C if c.role == role]
        top, step = 0.80, 0.62 / max(len(members) - 1, 1)
        if len(members) == 2:
            top, step = 0.62, 0.26
        ax.text(
            xs[role],
            0.96,
            _ROLE_TITLES[role],
            ha="center",
            va="center",
            fontsize=11,
            fontweight="bold",
        )
        for i, c in enumerate(members):
            y = top - i * step
            label = f"C{c.number} {c.english}" + (f"\n{c.zh_tw}" if chinese else "")
            ax.text(
                xs[role],
                y,
                label,
                ha="center",
                va="center",
                fontsize=10,
                bbox={"boxstyle": "round,pad=0.5", "fc": colours[role], "ec": "0.4"},
            )
            centres[c.key] = (xs[role], y)
    for a, b in (("means", "outcome"), ("outcome", "end")):
        ax.annotate(
            "",
            xy=(xs[b] - 0.14, 0.5),
            xytext=(xs[a] + 0.14, 0.5),
            arrowprops={"arrowstyle": "-|>", "lw": 2, "color": "0.35"},
        )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    ax.set_title("The 10C framework: from knowing customers to profiting from them")
    return ax
