"""The course's one house style for figures, and small plotting helpers.

Call :func:`use_course_style` once at the top of a lesson. It sets a clean
seaborn theme, a colour-blind-safe palette, a figure size that reads well in
JupyterLab and on GitHub, figures sharp enough to project (stored at twice the
screen resolution), and a font list in which Chinese labels find their glyphs.

Chinese in figures: matplotlib (3.6 and later) falls back from one font to the
next only across the families listed in ``font.family`` itself; a generic
family such as ``"sans-serif"`` resolves to the *first* installed font of its
list, so a CJK font placed after "DejaVu Sans" in ``font.sans-serif`` is never
used. The house style therefore lists the families in ``font.family``: DejaVu
Sans for Latin text, then a CJK family. The course installs one (Noto Sans CJK
SC, SIL Open Font License 1.1, shipped inside the ``mplfonts`` package) so a
fresh machine with no system fonts shows Chinese; a system font (Noto Sans CJK
TC, Microsoft JhengHei, PingFang ...) is used first when present.

Words in figures come in the course's three languages through :func:`tr`.

Examples
--------
>>> use_course_style()
>>> fmt_money(1234.5, "TWD")
'NT$1,234.50'
"""

from __future__ import annotations

import functools
import importlib.util
import logging
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib import font_manager

__all__ = [
    "CURRENCY_SYMBOLS",
    "FIGURE_TEXT",
    "LANGS",
    "PALETTE",
    "bundled_cjk_font",
    "check_lang",
    "cjk_font",
    "fmt_money",
    "money_axis",
    "tr",
    "use_course_style",
]

#: The course's languages (the ``lang`` argument everywhere).
LANGS = ("en", "zh_tw", "zh_cn")

#: Colour-blind-safe palette (seaborn's "colorblind").
PALETTE = "colorblind"

#: How each course currency is written in front of an amount.
CURRENCY_SYMBOLS = {"USD": "$", "TWD": "NT$", "CNY": "¥"}

#: CJK families tried in order; the first one installed is used for Chinese.
_CJK_FONTS = [
    "Noto Sans CJK TC",
    "Noto Sans TC",
    "Noto Sans CJK SC",
    "Microsoft JhengHei",
    "Microsoft YaHei",
    "PingFang TC",
    "PingFang SC",
    "Heiti TC",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK JP",
]
#: The font file the course installs (package ``mplfonts``, SIL OFL 1.1).
_BUNDLED_FONT = ("mplfonts", "fonts/NotoSansCJKsc-Regular.otf")

#: Words used in the course's figures, in the three languages.
FIGURE_TEXT: dict[str, dict[str, str]] = {
    "share_customers": {"en": "share of customers", "zh_tw": "顧客占比", "zh_cn": "顾客占比"},
    "share_spend": {"en": "share of spend", "zh_tw": "消費占比", "zh_cn": "消费占比"},
    "share_axis": {
        "en": "Share of all customers / of all spend",
        "zh_tw": "占全部顧客 / 全部消費的比例",
        "zh_cn": "占全部顾客 / 全部消费的比例",
    },
    "rfm_title": {
        "en": "Who the customers are and where the money comes from",
        "zh_tw": "顧客是誰，營收從哪裡來",
        "zh_cn": "顾客是谁，营收从哪里来",
    },
    "customers": {"en": "customers", "zh_tw": "顧客數", "zh_cn": "顾客数"},
    "spend": {"en": "spend", "zh_tw": "消費金額", "zh_cn": "消费金额"},
    "value_12m": {
        "en": "Expected spend in the next 12 months",
        "zh_tw": "未來 12 個月預期消費",
        "zh_cn": "未来 12 个月预期消费",
    },
    "top_customers": {"en": "Best customers", "zh_tw": "最佳顧客", "zh_cn": "最佳顾客"},
}


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is one of :data:`LANGS`, else raise ``ValueError``.

    Examples
    --------
    >>> check_lang("zh_cn")
    'zh_cn'
    """
    if lang not in LANGS:
        raise ValueError(f"lang={lang!r} is not valid; use one of 'en', 'zh_tw', 'zh_cn'")
    return lang


def tr(key: str, lang: str = "en") -> str:
    """Return a figure word in ``lang``.

    Parameters
    ----------
    key : str
        A key of :data:`FIGURE_TEXT`.
    lang : {"en", "zh_tw", "zh_cn"}

    Returns
    -------
    str

    Examples
    --------
    >>> tr("share_customers", "zh_tw")
    '顧客占比'
    >>> tr("share_customers", "fr")
    Traceback (most recent call last):
    ...
    ValueError: lang='fr' is not valid; use one of 'en', 'zh_tw', 'zh_cn'
    """
    check_lang(lang)
    if key not in FIGURE_TEXT:
        raise ValueError(f"key={key!r} is not a figure word; use one of {sorted(FIGURE_TEXT)}")
    return FIGURE_TEXT[key][lang]


def bundled_cjk_font() -> Path | None:
    """Return the path of the CJK font file the course installs, or None if absent.

    Returns
    -------
    pathlib.Path or None
        ``NotoSansCJKsc-Regular.otf`` inside the ``mplfonts`` package.

    Examples
    --------
    >>> bundled_cjk_font().name
    'NotoSansCJKsc-Regular.otf'
    """
    spec = importlib.util.find_spec(_BUNDLED_FONT[0])
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / _BUNDLED_FONT[1]
    return path if path.is_file() else None


@functools.cache
def cjk_font() -> str | None:
    """Return the CJK font family figures use for Chinese, registering the bundled one.

    A system CJK font from the list is preferred; otherwise the font shipped
    with the course (Noto Sans CJK SC) is registered with matplotlib. None
    means Chinese would show as empty boxes.

    Returns
    -------
    str or None

    Examples
    --------
    >>> cjk_font() is not None
    True
    """
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in _CJK_FONTS:
        if name in installed:
            return name
    path = bundled_cjk_font()
    if path is None:
        return None
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def use_course_style() -> None:
    """Apply the course's figure style (idempotent).

    Sets the seaborn theme, the palette, the font families (Latin, then CJK:
    see the module docstring) and, inside Jupyter, figures stored at twice
    the screen resolution so that they stay sharp on a projector.

    Examples
    --------
    >>> use_course_style()
    >>> mpl.rcParams["axes.spines.top"]
    False
    >>> mpl.rcParams["font.family"][:2] == ["DejaVu Sans", cjk_font()]
    True
    """
    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE)
    # The bundled CJK font has one weight; bold Chinese titles are drawn in it,
    # which matplotlib logs as a warning on every lesson. Missing glyphs are
    # a separate warning (warnings module) and still show.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    cjk = cjk_font()
    families = ["DejaVu Sans", cjk] if cjk else ["DejaVu Sans"]
    mpl.rcParams.update(
        {
            "figure.figsize": (8.0, 4.5),
            "figure.dpi": 80,
            "savefig.dpi": 80,
            "axes.titlesize": 13,
            "axes.titleweight": "bold",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.family": families,
            "font.sans-serif": families,
            "axes.unicode_minus": False,
            "svg.hashsalt": "crm-course",
        }
    )
    _sharp_inline_figures()


def _sharp_inline_figures() -> None:
    # Inside IPython, store figures at 2x resolution (shown at the same size).
    try:
        from IPython import get_ipython

        if get_ipython() is None:
            return
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return
    set_matplotlib_formats("retina")


def fmt_money(value: float, currency: str = "USD", *, decimals: int = 2) -> str:
    """Format an amount with its currency symbol and thousands separators.

    Parameters
    ----------
    value : float
        The amount.
    currency : str, default "USD"
        ISO code; one of :data:`CURRENCY_SYMBOLS`, otherwise the code is
        written before the amount.
    decimals : int, default 2
        Decimal places.

    Returns
    -------
    str

    Examples
    --------
    >>> fmt_money(-3500, "CNY", decimals=0)
    '-¥3,500'
    >>> fmt_money(12, "EUR")
    'EUR 12.00'
    """
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    sign = "-" if value < 0 else ""
    return f"{sign}{symbol}{abs(value):,.{decimals}f}"


def money_axis(ax: plt.Axes, currency: str = "USD", *, axis: str = "y") -> plt.Axes:
    """Label an axis's ticks as money in ``currency``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes.
    currency : str, default "USD"
        ISO code.
    axis : {"x", "y"}, default "y"
        Which axis.

    Returns
    -------
    matplotlib.axes.Axes
        The same axes, for chaining.

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> _ = money_axis(ax, "TWD")
    >>> ax.yaxis.get_major_formatter()(1500, 0)
    'NT$1,500'
    >>> plt.close(fig)
    """
    if axis not in ("x", "y"):
        raise ValueError(f"axis={axis!r} is not valid; use 'x' or 'y'")
    fmt = mpl.ticker.FuncFormatter(lambda v, _pos: fmt_money(v, currency, decimals=0))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)
    return ax
