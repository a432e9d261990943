"""House style: Chinese labels find their glyphs; ``lang=`` gives fully Chinese figures."""

import io
import warnings

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib import font_manager

from crm_lessons import plotting
from crm_lessons.plotting import FIGURE_TEXT, cjk_font, tr, use_course_style
from crm_lessons.widgets.segmentation import rfm_explorer_view

CHINESE = "顧客區隔 顾客区隔 忠誠顧客 沉睡顾客 NT$1,234"


def _render(fig) -> list[str]:
    """Draw ``fig`` to PNG and return the warnings raised while drawing."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)
    return [str(w.message) for w in caught]


def test_bundled_font_file_is_installed_and_has_chinese_glyphs():
    path = plotting.bundled_cjk_font()
    assert path is not None and path.stat().st_size > 1_000_000
    font = mpl.ft2font.FT2Font(str(path))
    for ch in "顧客区隔忠诚":
        assert font.get_char_index(ord(ch)) != 0, ch


def test_font_family_lists_latin_then_cjk():
    use_course_style()
    family = mpl.rcParams["font.family"]
    assert family[0] == "DejaVu Sans"
    assert family[1] == cjk_font()
    # the CJK family resolves to a real file, not to matplotlib's default font
    found = font_manager.findfont(
        font_manager.FontProperties(family=cjk_font()), fallback_to_default=False
    )
    assert "DejaVuSans" not in found


def test_chinese_labels_render_without_missing_glyphs():
    use_course_style()
    fig, ax = plt.subplots()
    ax.set_title(CHINESE)
    ax.set_xlabel("月份 Month")
    ax.bar(["冠軍顧客", "流失风险"], [3, 1])
    messages = _render(fig)
    assert not [m for m in messages if "missing from" in m or "Glyph" in m], messages


def test_old_style_generic_family_did_lose_glyphs():
    """The bug this style fixes: a generic family uses only its first font."""
    use_course_style()
    with mpl.rc_context(
        {"font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans", cjk_font()]}
    ):
        fig, ax = plt.subplots()
        ax.set_title(CHINESE)
        messages = _render(fig)
    assert any("missing from" in m for m in messages)


@pytest.mark.parametrize("lang", ["zh_tw", "zh_cn"])
def test_rfm_figure_is_fully_chinese(lang):
    use_course_style()
    rng = np.random.default_rng(0)
    rfm = pd.DataFrame(
        {
            "recency_days": rng.integers(0, 400, 200),
            "frequency": rng.integers(1, 20, 200),
            "monetary": rng.gamma(2.0, 300.0, 200),
        }
    )
    _, fig = rfm_explorer_view(rfm, lang=lang)
    ax = fig.axes[0]
    texts = [ax.get_title(), ax.get_xlabel()]
    texts += [t.get_text() for t in ax.get_yticklabels()]
    texts += [t.get_text() for t in ax.get_legend().get_texts()]
    latin = [t for t in texts if any("a" <= ch.lower() <= "z" for ch in t)]
    assert latin == [], f"English words left in a {lang} figure: {latin}"
    assert ax.get_title() == tr("rfm_title", lang)
    assert not [m for m in _render(fig) if "missing from" in m]


def test_tr_rejects_unknown_words_and_languages():
    assert set(FIGURE_TEXT["rfm_title"]) == {"en", "zh_tw", "zh_cn"}
    with pytest.raises(ValueError, match="lang='de'"):
        tr("rfm_title", "de")
    with pytest.raises(ValueError, match="key='nope'"):
        tr("nope")
