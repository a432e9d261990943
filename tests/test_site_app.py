"""Site builder and health check without a browser (the browser tests cover the pages)."""

import io

import pandas as pd
import pytest

from crm_lessons.app.core import guess_mapping, health_check, read_columns, workbook_bytes
from crm_lessons.datasets import datasets_dir, load_world
from crm_lessons.site import glossary_table, render_markdown

BIG5 = datasets_dir() / "messy_pos_export_big5.csv"


@pytest.mark.parametrize(
    ("text", "has_math", "money"),
    [
        ("A latte is NT$120 and a cake NT$95.", False, "NT$120"),
        ("Customers cost \\$40 each.", False, "&#36;40"),
        ("margin $m$ and rate $r$", True, None),
        ("$$\\text{CAC} = \\frac{a}{b}$$", True, None),
        ("`NT$1,234` in code stays code", False, "<code>NT$1,234</code>"),
    ],
)
def test_dollar_is_money_unless_it_is_maths(text, has_math, money):
    html = render_markdown(text)
    assert ("<math" in html) is has_math
    if money:
        assert money in html
    assert "$$" not in html


def test_glossary_merges_every_module_in_three_languages():
    g = glossary_table()
    assert list(g.columns)[:3] == ["English", "繁體中文", "简体中文"]
    assert {"customer retention", "customer satisfaction"} <= set(g["English"])
    assert g[["English", "繁體中文", "简体中文"]].ne("").all().all()


def test_read_columns_skips_the_title_line_of_a_big5_export():
    cols, preview = read_columns(BIG5)
    assert cols == ["交易日期", "會員編號", "發票號碼", "品名", "數量", "金額"]
    assert preview.iloc[0]["會員編號"] == "C1511"


def test_thin_data_say_so_and_skip_the_model():
    hc = health_check(BIG5, guess_mapping(read_columns(BIG5)[0]), today="2026-12-01")
    assert hc.clv is None and "Too little data" in hc.model_note
    assert hc.customers == 45 and hc.currency == "TWD"


def test_rich_data_get_a_12_month_value(tmp_path):
    tx = load_world("coffee_shop").transactions
    path = tmp_path / "till.csv"
    tx[["customer_id", "date", "amount"]].to_csv(path, index=False)
    hc = health_check(path, guess_mapping(read_columns(path)[0]), lang="zh_cn", today="2030-01-01")
    assert hc.clv is not None and hc.clv.notna().sum() > 1000
    assert "BG/NBD" in hc.model_note
    assert any("12 个月" in m for m in hc.monday)
    sheets = pd.read_excel(io.BytesIO(workbook_bytes(hc)), sheet_name=None)
    assert {"Monday", "Segments", "At risk", "Best customers", "Audit", "Set aside"} <= set(sheets)
    assert sheets["Best customers"]["value_12m"].is_monotonic_decreasing


def test_a_missing_column_is_named():
    with pytest.raises(ValueError, match=r"mapping lacks \['amount'\]"):
        health_check(BIG5, {"customer_id": "會員編號", "date": "交易日期", "amount": None})
    with pytest.raises(ValueError, match="margin=2"):
        health_check(BIG5, guess_mapping(read_columns(BIG5)[0]), margin=2)


def test_every_loader_reason_and_segment_action_is_translated():
    from crm_lessons.app.i18n import ACTIONS, REASONS
    from crm_lessons.loader import REASONS as LOADER_REASONS
    from crm_lessons.segmentation import RFM_SEGMENTS

    assert set(REASONS) == set(LOADER_REASONS)
    assert set(ACTIONS) == set(RFM_SEGMENTS.index)
    for table in (REASONS, ACTIONS):
        assert all(set(v) == {"zh_tw", "zh_cn"} and all(v.values()) for v in table.values())


def _nb(cells):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    return nb


def test_slides_default_deck_and_tagged_deck(tmp_path):
    import base64

    import nbformat

    from crm_lessons.site import _Images, lesson_slides

    png = base64.b64encode(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
        )
    ).decode()
    fig = nbformat.v4.new_code_cell("plot()")
    fig.outputs = [nbformat.v4.new_output("display_data", data={"image/png": png})]
    answer = nbformat.v4.new_code_cell("answer = 42")
    answer.metadata["tags"] = ["solution"]
    cells = [
        nbformat.v4.new_markdown_cell(
            "# 99 · Test lesson\n\nIntro.\n\n**Learning objectives.** You can do it."
        ),
        nbformat.v4.new_markdown_cell("## 1. Data"),
        fig,
        answer,
        nbformat.v4.new_markdown_cell("## 2. So what should the owner do on Monday?\n\n1. Call."),
    ]
    path = tmp_path / "99_test.ipynb"
    nbformat.write(_nb(cells), path)
    slides = lesson_slides(path, _Images(tmp_path / "img"))
    assert len(slides) == 4
    assert "99 · Test lesson" in slides[0] and "Learning objectives" in slides[1]
    assert "<h3>1. Data</h3>" in slides[2] and "<img" in slides[2]
    assert "monday" in slides[3] and "Call." in slides[3]
    assert not any("answer = 42" in s for s in slides)

    cells[1].metadata["tags"] = ["slide"]
    nbformat.write(_nb(cells), path)
    tagged = lesson_slides(path, _Images(tmp_path / "img"))
    assert len(tagged) == 3 and "99 · Test lesson" in tagged[0] and "1. Data" in tagged[2]
