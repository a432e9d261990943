"""In a live JupyterLab: a widget redraws its figure; opening a lesson leaves it unmodified."""

from __future__ import annotations

import os
import time

import nbformat
import pytest
from chrome import ROOT, wait_for
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from crm_lessons.build import normalise

WIDGET_NB = [
    "import numpy as np\nimport pandas as pd\n"
    "from crm_lessons.plotting import use_course_style\n"
    "from crm_lessons.widgets.segmentation import rfm_explorer\n"
    "use_course_style()\nrng = np.random.default_rng(0)\n"
    "rfm = pd.DataFrame({'recency_days': rng.integers(0, 400, 300),\n"
    "                    'frequency': rng.geometric(0.25, 300),\n"
    "                    'monetary': rng.gamma(2.0, 300.0, 300)})",
    "rfm_explorer(rfm)",
]


def _open(driver, url: str) -> None:
    driver.get(url)
    wait_for(
        lambda: driver.execute_script(
            "return document.querySelector('.jp-Notebook') !== null && "
            "document.querySelector('.jp-Notebook-ExecutionIndicator, .jp-Toolbar') !== null"
        ),
        timeout=90,
        what="the notebook to open",
    )


def _kernel_idle(driver) -> bool:
    return driver.execute_script(
        "const s = document.querySelector('.jp-Notebook-ExecutionIndicator');"
        "return s !== null && (s.getAttribute('data-status') === 'idle');"
    )


def _run_all(driver, n_cells: int) -> None:
    """Select the first cell and press Shift+Enter once per cell (as a learner would)."""
    prompt = wait_for(
        lambda: [
            e for e in driver.find_elements(By.CSS_SELECTOR, ".jp-Cell .jp-InputPrompt")
            if e.is_displayed()
        ][0],
        what="the first cell",
    )  # fmt: skip
    ActionChains(driver).move_to_element(prompt).click().perform()
    for _ in range(n_cells):
        ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(
            Keys.SHIFT
        ).perform()
        time.sleep(0.3)


def _chart(driver):
    return driver.execute_script(
        "const i = document.querySelector('.jp-OutputArea img.widget-image');"
        "return i ? [i.src, i.naturalWidth, i.naturalHeight, i.getBoundingClientRect().height]"
        " : null;"
    )


def test_rfm_explorer_redraws_when_a_slider_moves(driver, jupyterlab):
    url, folder = jupyterlab
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in WIDGET_NB]
    nb.metadata["kernelspec"] = {
        "name": "crm-course",
        "display_name": "CRM course (Python 3)",
        "language": "python",
    }
    nbformat.write(nb, folder / "explorer.ipynb")
    _open(driver, f"{url}/lab/workspaces/explorer/tree/explorer.ipynb?reset")
    wait_for(lambda: _kernel_idle(driver), timeout=90, what="the kernel to be idle")
    _run_all(driver, len(WIDGET_NB))
    first = wait_for(lambda: _chart(driver), timeout=120, what="the explorer's chart")
    assert first[1] > 300 and first[2] > 150, f"first chart is blank: {first}"
    handle = [
        h for h in driver.find_elements(By.CSS_SELECTOR, ".noUi-handle") if h.is_displayed()
    ][0]
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", handle)
    ActionChains(driver).drag_and_drop_by_offset(handle, 80, 0).perform()
    after = wait_for(
        lambda: (c := _chart(driver)) and c[0] != first[0] and c,
        timeout=60,
        what="the chart to change after the slider moved",
    )
    time.sleep(0.5)
    after = _chart(driver)
    assert after[1] > 300 and after[2] > 150, f"chart blank after the change: {after}"
    assert after[3] > 150, f"chart clipped after the change: {after}"
    note = driver.execute_script(
        "return Array.from(document.querySelectorAll('.jp-OutputArea .widget-html'))"
        ".map(e => e.textContent).join(' ');"
    )
    assert "recency cut-offs (days)" in note


_DIRTY_TABS = (
    "return Array.from(document.querySelectorAll('.lm-TabBar-tab.jp-mod-dirty'))"
    ".map(t => t.textContent).filter(t => t.includes(arguments[0]));"
)
LESSONS = [p.name for p in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))]


@pytest.mark.parametrize(
    "name",
    LESSONS if os.environ.get("CRM_ALL_LESSONS") else ["03_customer_segmentation.ipynb"],
)
def test_opening_a_lesson_does_not_modify_it(driver, jupyterlab, name):
    """Open a lesson as ``make build`` writes it; JupyterLab must find nothing to change."""
    url, folder = jupyterlab
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    normalise(nb)  # what the build stores (the committed file may predate a build change)
    dst = folder / name
    nbformat.write(nb, dst)
    before = dst.read_bytes()
    # a workspace of its own: only this lesson open, nothing left from other tests
    _open(driver, f"{url}/lab/workspaces/open-{dst.stem}/tree/{name}?reset")
    wait_for(lambda: _kernel_idle(driver), timeout=90, what="the kernel to be idle")
    # JupyterLab copies the kernel's language_info into the notebook about a second
    # after the kernel is ready; watch for a while so a late change is seen.
    for _ in range(16):
        time.sleep(0.5)
        dirty = driver.execute_script(_DIRTY_TABS, name)
        assert dirty == [], f"JupyterLab marked {dirty} as modified just by opening it"
    assert dst.read_bytes() == before
    # control: the same check does see a real change (insert a cell below)
    driver.execute_script(
        "document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook').focus()"
    )
    ActionChains(driver).send_keys("b").perform()
    wait_for(
        lambda: driver.execute_script(_DIRTY_TABS, name),
        timeout=10,
        what="a real edit to mark the notebook modified",
    )
