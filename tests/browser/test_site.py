"""The course site and slides in a real browser: pages load cleanly, links resolve, figures show."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest
from chrome import ROOT, console_errors, wait_for
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from crm_lessons.site import HIDDEN_TAGS, build_site, build_slides


@pytest.fixture(scope="module")
def site(tmp_path_factory, static_server):
    out = tmp_path_factory.mktemp("site")
    counts = build_site(out)
    return out, static_server(out), counts


@pytest.fixture(scope="module")
def slides(tmp_path_factory, static_server):
    out = tmp_path_factory.mktemp("slides")
    build_slides(out)
    return out, static_server(out)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if a.get(key) and (tag != "link" or key == "href"):
                self.links.append(a[key])


def _parse(path: Path) -> _Links:
    p = _Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def _pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_every_page_loads_without_console_errors(driver, site):
    out, base, counts = site
    n_pages = len(list((ROOT / "notebooks").glob("*.ipynb"))) + 3  # map, glossary, search
    assert counts == {"learner": n_pages, "trainer": n_pages}
    pages = _pages(out)
    assert len(pages) == 1 + sum(counts.values())
    problems = {}
    console_errors(driver)  # drop anything logged before
    for page in pages:
        rel = page.relative_to(out).as_posix()
        driver.get(f"{base}/{rel}")
        wait_for(lambda: driver.execute_script("return document.readyState") == "complete")
        errors = console_errors(driver)
        text = driver.find_element(By.TAG_NAME, "body").text
        if errors:
            problems[rel] = errors
        assert "VBox(children" not in text, f"{rel} shows a widget as a line of text"
    assert problems == {}, problems


def test_no_broken_internal_links(site):
    out, _, _ = site
    ids = {p: _parse(p).ids for p in _pages(out)}
    broken = []
    for page in _pages(out):
        for link in _parse(page).links:
            if link.startswith(("data:", "mailto:", "javascript:")):
                continue
            assert not urlparse(link).scheme, f"{page.name} links outside the site: {link}"
            target, frag = urldefrag(link)
            path = (page.parent / target).resolve() if target else page
            if target.endswith("/"):
                path = path / "index.html"
            if "?" in target:
                path = (page.parent / target.split("?")[0]).resolve()
            if not path.exists():
                broken.append(f"{page.relative_to(out)} -> {link}")
            elif frag and path.suffix == ".html" and frag not in ids.get(path, set()):
                broken.append(f"{page.relative_to(out)} -> {link} (no such anchor)")
    assert broken == [], broken[:20]


def _stored_figures(nb_path: Path, edition: str) -> int:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    n = 0
    for cell in nb["cells"]:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if edition == "learner" and tags & HIDDEN_TAGS:
            continue
        n += sum("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
    return n


@pytest.mark.parametrize("edition", ["learner", "trainer"])
def test_every_stored_figure_is_shown_and_loads(driver, site, edition):
    out, base, _ = site
    for nb in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")):
        page = out / edition / f"{nb.stem}.html"
        figures = re.findall(r'<img class="figure" src="([^"]+)"', page.read_text("utf-8"))
        assert len(figures) == _stored_figures(nb, edition), nb.name
    # in the browser: every figure of a figure-rich lesson decodes to a real image
    driver.get(f"{base}/{edition}/10_customer_profitability_clv.html")
    sizes = wait_for(
        lambda: driver.execute_script(
            "const imgs = Array.from(document.querySelectorAll('img.figure'));"
            "imgs.forEach(i => i.loading = 'eager');"
            "return imgs.every(i => i.complete && i.naturalWidth > 0) && "
            "imgs.map(i => [i.naturalWidth, i.naturalHeight]);"
        ),
        what="the figures to load",
    )
    assert len(sizes) >= 5 and all(w > 200 and h > 100 for w, h in sizes)


def test_learner_edition_hides_solutions_trainer_edition_shows_them(site):
    out, _, _ = site
    nb = ROOT / "notebooks" / "21_case_coffee_shop_loyalty.ipynb"
    learner = (out / "learner" / f"{nb.stem}.html").read_text("utf-8")
    trainer = (out / "trainer" / f"{nb.stem}.html").read_text("utf-8")
    assert "Trainer notes" in trainer and "Trainer notes" not in learner
    assert 'class="badge solution"' in trainer and "badge solution" not in learner


def test_maths_is_mathml_and_money_stays_money(driver, site):
    out, base, _ = site
    driver.get(f"{base}/learner/09_customer_acquisition.html")
    wait_for(lambda: driver.execute_script("return document.readyState") == "complete")
    n_math = driver.execute_script("return document.querySelectorAll('math').length")
    assert n_math >= 1
    body = driver.find_element(By.TAG_NAME, "body").text
    assert "$$" not in body
    assert re.search(r"\$\d", body)  # escaped money (\$40) shows as money, not maths


def test_search_finds_english_and_chinese(driver, site):
    _, base, _ = site
    for query in ("churn", "顧客"):
        driver.get(f"{base}/learner/search.html?q={query}")
        hits = wait_for(
            lambda: driver.find_elements(By.CSS_SELECTOR, "#results li a"), what="results"
        )
        assert len(hits) >= 3, query
    hits[0].click()
    wait_for(lambda: "search.html" not in driver.current_url, what="a result to open")


def test_glossary_has_three_languages(driver, site):
    _, base, _ = site
    driver.get(f"{base}/trainer/glossary.html")
    rows = driver.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert len(rows) >= 40
    first = [c.text for c in rows[0].find_elements(By.TAG_NAME, "td")]
    assert first[0] and first[1] and first[2]


def test_slides_load_and_move(driver, slides):
    out, base = slides
    decks = sorted(out.glob("[0-9]*.html"))
    assert len(decks) == len(list((ROOT / "notebooks").glob("[0-9]*.ipynb")))
    console_errors(driver)
    for deck in decks:
        driver.get(f"{base}/{deck.name}")
        n = driver.execute_script("return document.querySelectorAll('.slide').length")
        assert n >= 2, deck.name
        assert console_errors(driver) == [], deck.name
    driver.get(f"{base}/10_customer_profitability_clv.html")
    assert driver.find_elements(By.CSS_SELECTOR, ".slide.monday")
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.ARROW_RIGHT)
    assert driver.execute_script("return location.hash") == "#2"
    figs = driver.find_elements(By.CSS_SELECTOR, ".slide img")
    assert len(figs) >= 1  # the lesson's key figure
