"""The no-code health check in a real browser, checked against crm_lessons' own numbers."""

from __future__ import annotations

import threading
import urllib.request
import warnings

import pandas as pd
import pytest
from chrome import ROOT, console_errors, wait_for
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from crm_lessons.app.server import make_server
from crm_lessons.loader import load_transactions
from crm_lessons.rfm import rfm_table
from crm_lessons.segmentation import rfm_scores, segment_summary

EXPORT = ROOT / "datasets" / "messy_pos_export_big5.csv"
MAPPING = {
    "customer_id": "會員編號",
    "date": "交易日期",
    "amount": "金額",
    "quantity": "數量",
    "order_id": "發票號碼",
    "product": "品名",
}


@pytest.fixture(scope="module")
def app():
    server = make_server(port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    server.state.close()


@pytest.fixture(scope="module")
def expected():
    """The same file through the lessons' own functions (lesson 20's pipeline)."""
    result = load_transactions(
        EXPORT,
        customer_id="會員編號",
        date="交易日期",
        amount="金額",
        quantity="數量",
        order_id="發票號碼",
        keep={"品名": "product"},
        as_of=pd.Timestamp.today().normalize(),
    )
    tx = result.clean
    as_of = tx["date"].max().normalize()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rfm = rfm_table(tx, as_of=as_of)
    scores = rfm_scores(rfm)
    return result, scores, segment_summary(scores)


def test_upload_map_analyse_download(driver, app, expected):
    result, scores, segments = expected
    console_errors(driver)
    driver.get(app + "/")
    privacy = driver.find_element(By.ID, "privacy").text
    assert "never leave this computer" in privacy
    driver.find_element(By.ID, "file").send_keys(str(EXPORT))
    driver.find_element(By.ID, "read").click()
    wait_for(lambda: driver.find_element(By.ID, "mapping"), what="the mapping screen")
    for field, column in MAPPING.items():
        select = Select(driver.find_element(By.ID, f"map_{field}"))
        assert select.first_selected_option.text == column, f"guessed {field} wrongly"
    # the owner corrects a column: unmap the product, then map it back
    Select(driver.find_element(By.ID, "map_product")).select_by_value("")
    Select(driver.find_element(By.ID, "map_product")).select_by_visible_text("品名")
    driver.find_element(By.ID, "analyse").click()
    wait_for(lambda: driver.find_element(By.ID, "monday"), what="the report")
    page = driver.find_element(By.TAG_NAME, "body").text
    assert "Too little data for a 12-month value model" in page  # 45 members only
    assert len(driver.find_elements(By.CSS_SELECTOR, "#monday li")) >= 3
    for chart in ("chart-best", "chart-segments"):
        w = wait_for(
            lambda c=chart: driver.execute_script(
                "const i = document.getElementById(arguments[0]);"
                "return i.complete && i.naturalWidth;",
                c,
            ),
            what=f"{chart} to load",
        )
        assert w > 600
    assert console_errors(driver) == []

    before = set(driver.download_dir.iterdir())
    driver.find_element(By.ID, "download").click()
    book = wait_for(
        lambda: [
            p
            for p in set(driver.download_dir.iterdir()) - before
            if p.suffix == ".xlsx" and p.stat().st_size > 0
        ],
        timeout=60,
        what="the workbook download",
    )[0]
    sheets = pd.read_excel(book, sheet_name=None)

    got = sheets["Segments"].set_index("segment")
    want = segments[segments["customers"] > 0]
    assert got.index.tolist() == want.index.tolist()
    assert got["customers"].tolist() == want["customers"].tolist()
    assert got["value"].tolist() == pytest.approx(want["value"].tolist())
    slipping = scores[scores["segment"].isin(["cannot_lose", "at_risk", "about_to_sleep",
                                               "need_attention"])]  # fmt: skip
    at_risk = sheets["At risk"]
    assert sorted(at_risk["customer_id"]) == sorted(slipping.index)
    assert at_risk["monetary"].sum() == pytest.approx(slipping["monetary"].sum())
    for seg in want.index:
        listed = sheets[f"Segment {seg}"[:31]]["customer_id"]
        assert sorted(listed) == sorted(scores.index[scores["segment"] == seg])
    audit = sheets["Audit"].set_index("reason_code")["lines"]
    assert audit.to_dict() == result.summary()["lines"].to_dict()
    assert len(sheets["Set aside"]) == len(result.quarantine)

    png = urllib.request.urlopen(
        driver.find_element(By.ID, "chart-segments").get_attribute("src")
    ).read()
    assert png[:4] == b"\x89PNG"


def test_language_switch(driver, app):
    driver.get(app + "/?lang=zh_cn")
    assert "您的数据不会离开这台电脑" in driver.find_element(By.ID, "privacy").text
    driver.find_element(By.ID, "file").send_keys(str(EXPORT))
    driver.find_element(By.ID, "read").click()
    wait_for(lambda: driver.find_element(By.ID, "analyse")).click()
    wait_for(lambda: driver.find_element(By.ID, "monday"))
    assert "星期一该做的事" in driver.find_element(By.ID, "monday").text
    driver.find_element(By.LINK_TEXT, "繁體中文").click()
    wait_for(lambda: "星期一該做的事" in driver.find_element(By.ID, "monday").text)
    assert "冠軍顧客" in driver.find_element(By.ID, "segments").text
    driver.find_element(By.LINK_TEXT, "English").click()
    wait_for(lambda: "What to do on Monday" in driver.find_element(By.ID, "monday").text)
