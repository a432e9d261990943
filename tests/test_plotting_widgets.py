"""The RFM explorer starts from the static chart's view and redraws as an image."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from crm_lessons.segmentation import rfm_scores
from crm_lessons.widgets.segmentation import _png, rfm_explorer, rfm_explorer_view

pytest.importorskip("ipywidgets")


@pytest.fixture
def rfm():
    rng = np.random.default_rng(3)
    n = 300
    return pd.DataFrame(
        {
            "recency_days": rng.integers(0, 500, n),
            "frequency": rng.geometric(0.2, n),
            "monetary": rng.gamma(2.0, 200.0, n),
        }
    )


def test_first_view_equals_the_static_chart(rfm):
    box = rfm_explorer(rfm)
    table, fig = rfm_explorer_view(rfm)
    pd.testing.assert_frame_equal(box.table, table)
    assert box.chart.value == _png(fig)  # same bytes: same picture
    assert box.static_png == box.chart.value


def test_sliders_start_at_the_cutoffs_the_rank_scores_imply(rfm):
    box = rfm_explorer(rfm)
    scored = rfm_scores(rfm)
    top_recency = rfm.loc[scored["r_score"] == 5, "recency_days"].max()
    lowest_recent = rfm.loc[scored["r_score"] == 2, "recency_days"].max()
    assert box.sliders[0].value == (top_recency, lowest_recent)
    f_two = rfm.loc[scored["f_score"] == 2, "frequency"].min()
    f_top = rfm.loc[scored["f_score"] == 5, "frequency"].min()
    assert box.sliders[1].value == (f_two, f_top)


def test_moving_a_slider_replaces_the_image(rfm):
    box = rfm_explorer(rfm)
    before = box.chart.value
    box.sliders[0].value = (10, 200)
    assert box.cutoffs["recency_days"] == [10.0, 73.333333, 136.666667, 200.0]
    assert box.chart.value != before and box.chart.value[:4] == b"\x89PNG"
    expected, fig = rfm_explorer_view(
        rfm,
        recency_cutoffs=box.cutoffs["recency_days"],
        frequency_cutoffs=box.cutoffs["frequency"],
    )
    plt.close(fig)
    pd.testing.assert_frame_equal(box.table, expected)


def test_stored_output_carries_a_png_for_viewers_without_a_kernel(rfm):
    bundle = rfm_explorer(rfm)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["image/png"].startswith("iVBOR")


def test_explicit_cutoffs_are_the_first_view(rfm):
    box = rfm_explorer(rfm, recency_cutoffs=[30, 90, 180, 365], frequency_cutoffs=[2, 3, 5, 8])
    table, fig = rfm_explorer_view(
        rfm, recency_cutoffs=[30, 90, 180, 365], frequency_cutoffs=[2, 3, 5, 8]
    )
    plt.close(fig)
    pd.testing.assert_frame_equal(box.table, table)
    assert box.sliders[0].value == (30, 365)


def test_other_widgets_store_their_first_figure_for_static_viewers():
    from crm_lessons.widgets.acquisition import budget_split_simulator
    from crm_lessons.widgets.clv import clv_calculator

    for box in (clv_calculator(margin=40, retention=0.6, discount_rate=0.1),
                budget_split_simulator()):  # fmt: skip
        bundle = box._repr_mimebundle_()
        assert bundle["image/png"].startswith("iVBOR")
        assert box.static_png[:4] == b"\x89PNG"
    plt.close("all")
