"""Build the course site and the lesson slides from the stored notebooks.

``python -m crm_lessons.site`` (``make site``) writes a static site to
``build/site``: the course map, every lesson and case with its stored outputs
and figures, the glossary (English, 繁體中文, 简体中文) and a search page, in
two editions. The *learner* edition leaves out cells tagged ``solution``,
``answer-key`` and ``trainer`` with their outputs; the *trainer* edition shows
them, marked. Nothing is re-executed: the site shows what the notebooks store.

``python -m crm_lessons.site --slides`` (``make slides``) writes one deck per
lesson to ``build/slides`` (see :func:`lesson_slides`).

Why a small builder on nbconvert's stack instead of Jupyter Book or Sphinx:
it needs nothing beyond what the course already installs (mistune, pygments,
nbformat come with JupyterLab), builds the whole course in seconds, and works
offline by construction: maths is turned into MathML at build time
(``latex2mathml``, shown natively by browsers), there is no JavaScript from a
CDN, and the Chinese font (Noto Sans CJK, SIL OFL 1.1, from ``mplfonts``) is
bundled as a web font so Chinese renders on a machine with no CJK font. A
single ``$`` is money (``NT$400``), not maths, which a MathJax-based site gets
wrong.

Examples
--------
>>> html = render_markdown("A latte costs NT$120; margin $m$ per visit.")
>>> "NT$120" in html and "<math" in html
True
>>> keep_cell({"metadata": {"tags": ["solution"]}}, "learner")
False
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import json
import re
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from crm_lessons.learner import HIDDEN_TAGS

__all__ = [
    "EDITIONS",
    "HIDDEN_TAGS",
    "Page",
    "build_site",
    "build_slides",
    "glossary_table",
    "keep_cell",
    "lesson_slides",
    "main",
    "render_markdown",
]

ROOT = Path(__file__).resolve().parent.parent
#: The two editions of the site.
EDITIONS = ("learner", "trainer")
_WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
_FONT_NAME = "CourseCJK"


# --------------------------------------------------------------------------- markdown


def _math_to_mathml(tex: str, display: bool) -> str:
    from latex2mathml.converter import convert

    try:
        return convert(tex.strip(), display="block" if display else "inline")
    except Exception:  # show the source rather than fail the build on odd TeX
        return f'<code class="tex">{html.escape(tex)}</code>'


_INLINE_MATH = re.compile(r"(?<![\w\\$])\$(?=[^\s$\d])([^$\n]+?)(?<=[^\s\\])\$(?!\d)")
_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
_CODE = re.compile(r"(```.*?```|`[^`\n]+`)", re.S)


def render_markdown(text: str) -> str:
    r"""Render a notebook Markdown cell to HTML, with maths as MathML.

    ``$$...$$`` and ``$...$`` are maths; a ``$`` glued to a word or followed
    by a digit (``NT$400``, ``US$``) and an escaped ``\$`` are money. Links
    to ``.ipynb`` files become links to the lesson pages.

    Parameters
    ----------
    text : str
        Markdown source.

    Returns
    -------
    str
        HTML.

    Examples
    --------
    >>> render_markdown("Offer costs \\$2, see [lesson 4](04_customization.ipynb).")
    '<p>Offer costs &#36;2, see <a href="04_customization.html">lesson 4</a>.</p>\n'
    """
    import mistune

    stash: list[str] = []

    def keep(s: str) -> str:
        stash.append(s)
        return f"zzph{len(stash) - 1}zz"

    codes: list[str] = []

    def keep_code(m: re.Match) -> str:
        codes.append(m.group(0))
        return f"zzcode{len(codes) - 1}zz"

    text = _CODE.sub(keep_code, text)
    text = text.replace("\\$", keep("&#36;"))
    text = _DISPLAY_MATH.sub(lambda m: keep(_math_to_mathml(m.group(1), True)), text)
    text = _INLINE_MATH.sub(lambda m: keep(_math_to_mathml(m.group(1), False)), text)
    text = re.sub(r"zzcode(\d+)zz", lambda m: codes[int(m.group(1))], text)
    out = mistune.html(text)
    out = re.sub(r"zzph(\d+)zz", lambda m: stash[int(m.group(1))], out)
    out = re.sub(r'href="([\w.-]+)\.ipynb(#[^"]*)?"', r'href="\1.html\2"', out)
    return _heading_ids(out)


def _heading_ids(out: str) -> str:
    seen: dict[str, int] = {}

    def add(m: re.Match) -> str:
        level, inner = m.group(1), m.group(2)
        words = html.unescape(re.sub(r"<[^>]+>", "", inner)).lower()
        slug = re.sub(r"[^\w]+", "-", words).strip("-")[:60]
        slug = slug or "section"
        seen[slug] = seen.get(slug, 0) + 1
        if seen[slug] > 1:
            slug = f"{slug}-{seen[slug]}"
        return f'<h{level} id="{slug}">{inner}</h{level}>'

    return re.sub(r"<h([1-6])>(.*?)</h\1>", add, out, flags=re.S)


def _highlight(code: str) -> str:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    return highlight(code, PythonLexer(), HtmlFormatter(cssclass="hl", nowrap=False))


# --------------------------------------------------------------------------- notebooks


def keep_cell(cell: dict, edition: str) -> bool:
    """Return whether ``cell`` belongs in ``edition`` (learner editions drop answers).

    Parameters
    ----------
    cell : dict
        A notebook cell.
    edition : {"learner", "trainer"}

    Returns
    -------
    bool

    Examples
    --------
    >>> keep_cell({"metadata": {"tags": ["trainer"]}}, "trainer")
    True
    >>> keep_cell({"metadata": {}}, "guest")
    Traceback (most recent call last):
    ...
    ValueError: edition='guest' is not valid; use 'learner' or 'trainer'
    """
    if edition not in EDITIONS:
        raise ValueError(f"edition={edition!r} is not valid; use 'learner' or 'trainer'")
    tags = set(cell.get("metadata", {}).get("tags", []))
    return edition == "trainer" or not (tags & HIDDEN_TAGS)


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


@dataclass
class Page:
    """One lesson page: its name, title and HTML body, and text for search."""

    name: str
    title: str
    body: str
    text: list[tuple[str, str]] = field(default_factory=list)  # (anchor, words)
    figures: list[str] = field(default_factory=list)  # image file names, in order


class _Images:
    """Writes output images once to ``img/`` and returns their file names."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def save(self, b64: str, ext: str = "png") -> str:
        raw = base64.b64decode(b64) if ext == "png" else b64.encode()
        name = hashlib.sha1(raw).hexdigest()[:16] + "." + ext
        path = self.folder / name
        if not path.exists():
            path.write_bytes(raw)
        return name


def _render_output(out: dict, images: _Images, img_prefix: str, figures: list[str]) -> str:
    kind = out.get("output_type")
    if kind == "stream":
        cls = "stderr" if out.get("name") == "stderr" else "stdout"
        return f'<pre class="out {cls}">{html.escape(_source({"source": out["text"]}))}</pre>'
    if kind == "error":
        tb = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(out.get("traceback", [])))
        return f'<pre class="out error">{html.escape(tb)}</pre>'
    data = out.get("data", {})
    meta = out.get("metadata", {})
    widget = _WIDGET_MIME in data
    if "image/png" in data:
        name = images.save(_source({"source": data["image/png"]}))
        figures.append(name)
        size = meta.get("image/png", {})
        width = f' width="{int(size["width"])}"' if "width" in size else ""
        img = f'<img class="figure" src="{img_prefix}{name}"{width} alt="figure" loading="lazy">'
        if widget:
            return (
                '<figure class="widget-static">'
                f"{img}<figcaption>Interactive in JupyterLab: this is its first view. "
                "Open the notebook and move the controls to explore.</figcaption></figure>"
            )
        return f'<div class="out">{img}</div>'
    if widget:
        return (
            '<div class="widget-static note">Interactive widget: open this lesson in '
            "JupyterLab and run it to move its controls.</div>"
        )
    if "image/svg+xml" in data:
        return f'<div class="out">{_source({"source": data["image/svg+xml"]})}</div>'
    if "text/html" in data:
        return f'<div class="out html">{_source({"source": data["text/html"]})}</div>'
    if "text/markdown" in data:
        return (
            f'<div class="out">{render_markdown(_source({"source": data["text/markdown"]}))}</div>'
        )
    if "text/plain" in data:
        return f'<pre class="out">{html.escape(_source({"source": data["text/plain"]}))}</pre>'
    return ""


def _plain(html_text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", html_text))).strip()


def render_notebook(
    path: Path, edition: str, images: _Images, img_prefix: str = "../img/"
) -> Page:
    """Render one stored notebook as a page of ``edition``.

    Parameters
    ----------
    path : pathlib.Path
        The ``.ipynb`` file.
    edition : {"learner", "trainer"}
    images : _Images
        Where figures are written.
    img_prefix : str
        Relative URL from the page to the image folder.

    Returns
    -------
    Page
    """
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    parts: list[str] = []
    text: list[tuple[str, str]] = []
    figures: list[str] = []
    title = path.stem
    anchor = ""
    for cell in nb["cells"]:
        if not keep_cell(cell, edition):
            continue
        tags = set(cell.get("metadata", {}).get("tags", []))
        mark = sorted(tags & HIDDEN_TAGS)
        badge = "".join(f'<span class="badge {t}">{t.replace("-", " ")}</span>' for t in mark)
        cls = " ".join(["cell", cell["cell_type"], *mark])
        if cell["cell_type"] == "markdown":
            body = render_markdown(_source(cell))
            for m in re.finditer(r'<h[1-3] id="([^"]+)">(.*?)</h[1-3]>', body, re.S):
                if title == path.stem and body.lstrip().startswith("<h1"):
                    title = _plain(m.group(2))
                anchor = m.group(1)
                break
            text.append((anchor, _plain(body)))
            parts.append(f'<section class="{cls}">{badge}{body}</section>')
        elif cell["cell_type"] == "code":
            src = _source(cell)
            src_shown = "\n".join(
                line for line in src.splitlines() if not line.startswith("# NBVAL_")
            ).strip("\n")
            outs = "".join(
                _render_output(o, images, img_prefix, figures) for o in cell.get("outputs", [])
            )
            code = _highlight(src_shown) if src_shown else ""
            hidden = cell.get("metadata", {}).get("jupyter", {}).get("source_hidden")
            if hidden and code:
                label = "Solution" if "solution" in tags else "Code"
                code = f"<details><summary>{label} (click to show)</summary>{code}</details>"
            parts.append(f'<div class="{cls}">{badge}{code}{outs}</div>')
    return Page(path.stem, title, "\n".join(parts), text, figures)


# --------------------------------------------------------------------------- glossary


def glossary_table():
    """Return the course glossary (:mod:`crm_lessons.glossary`), sorted by the English term.

    Returns
    -------
    pandas.DataFrame
        Columns ``English``, ``繁體中文``, ``简体中文`` and the sources' synonyms in each.

    Examples
    --------
    >>> g = glossary_table()
    >>> g.loc[g["English"] == "customer segmentation", "繁體中文"].item()
    '顧客區隔'
    """
    from crm_lessons.glossary import glossary

    return glossary(lang="en")


# --------------------------------------------------------------------------- pages

_CSS = """
@font-face { font-family: "%(font)s"; src: url("%(root)sassets/cjk.otf") format("opentype");
  font-weight: 100 900; font-display: block;
  unicode-range: U+2E80-9FFF, U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF; }
:root { --ink:#1d2733; --muted:#5b6673; --line:#dfe3e8; --accent:#0b6e99; --bg:#fbfcfd; }
* { box-sizing: border-box; }
body { margin:0; font: 16px/1.6 "%(font)s", system-ui, -apple-system, "Segoe UI", "DejaVu Sans",
  "Noto Sans CJK TC", "Microsoft JhengHei", "PingFang TC", sans-serif;
  color: var(--ink); background: var(--bg); }
header.top { display:flex; gap:1rem; align-items:center; flex-wrap:wrap; padding:.6rem 1.2rem;
  background:#fff; border-bottom:1px solid var(--line); position:sticky; top:0; z-index:5; }
header.top .brand { font-weight:700; color:var(--ink); text-decoration:none; }
header.top nav a { margin-right:.9rem; color:var(--accent); text-decoration:none; }
header.top form { margin-left:auto; }
input, button, select, textarea { font: inherit; }
pre, code, .hl { font-family: "%(font)s", "DejaVu Sans Mono", Menlo, Consolas, monospace; }
header.top input { padding:.3rem .5rem; border:1px solid var(--line); border-radius:4px; }
.edition { font-size:.8rem; padding:.15rem .5rem; border-radius:3px; background:#e8f3f8; }
.edition.trainer { background:#fff1d6; }
main { max-width: 980px; margin: 0 auto; padding: 1rem 1.2rem 4rem; }
a { color: var(--accent); }
.cell { margin: .8rem 0; }
.cell.code .hl { background:#f4f6f8; border:1px solid var(--line); border-radius:4px;
  padding:.4rem .7rem; overflow-x:auto; font-size:.88rem; }
.hl pre { margin:0; }
pre.out { background:#fff; border-left:3px solid var(--line); padding:.3rem .7rem; margin:.3rem 0;
  overflow-x:auto; font-size:.85rem; white-space:pre-wrap; }
pre.out.stderr { border-color:#e0b252; background:#fffaf0; }
pre.out.error { border-color:#c0392b; background:#fff3f2; }
.out.html { overflow-x:auto; font-size:.85rem; }
.out table, main table { border-collapse: collapse; margin:.4rem 0; }
.out th, .out td, main td, main th { border:1px solid var(--line); padding:.2rem .5rem;
  text-align:right; }
img.figure { max-width:100%%; height:auto; display:block; margin:.4rem 0; }
figure.widget-static { margin:.4rem 0; border:1px dashed var(--accent); padding:.5rem; }
figcaption, .note { color: var(--muted); font-size:.9rem; }
.note { border-left:3px solid var(--accent); padding:.3rem .7rem; background:#f0f7fa; }
.badge { display:inline-block; font-size:.72rem; text-transform:uppercase; letter-spacing:.04em;
  padding:.05rem .45rem; border-radius:3px; background:#fff1d6; color:#7a5200; margin-bottom:.2rem; }
section.trainer, div.trainer, div.solution, section.solution { border-left:4px solid #f0b429;
  padding-left:.7rem; background:#fffcf3; }
details summary { cursor:pointer; color: var(--accent); }
math[display="block"] { margin: .6rem 0; font-size: 1.1em; }
.map td, .map th { text-align:left; vertical-align:top; }
.map td:nth-child(4) { white-space:nowrap; }
.pager { display:flex; justify-content:space-between; margin-top:2rem; border-top:1px solid var(--line);
  padding-top:1rem; }
#results li { margin:.5rem 0; } #results .snip { color: var(--muted); font-size:.9rem; }
.start { display:grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap:1rem; }
.start > div { background:#fff; border:1px solid var(--line); border-radius:6px; padding:.8rem 1rem; }
"""

_SEARCH_JS = """
(function () {
  var q = new URLSearchParams(location.search).get("q") || "";
  var box = document.getElementById("q"); if (box) box.value = q;
  var out = document.getElementById("results"); if (!out) return;
  var terms = q.toLowerCase().split(/\\s+/).filter(Boolean);
  if (!terms.length) { out.innerHTML = "<li>Type a word above (English or Chinese).</li>"; return; }
  var hits = [];
  (window.SEARCH_INDEX || []).forEach(function (d) {
    var low = d.text.toLowerCase();
    if (terms.every(function (t) { return low.indexOf(t) >= 0; })) hits.push(d);
  });
  out.innerHTML = "";
  document.getElementById("count").textContent = hits.length + " result(s) for \\u201c" + q + "\\u201d";
  hits.slice(0, 80).forEach(function (d) {
    var li = document.createElement("li"); var a = document.createElement("a");
    a.href = d.url; a.textContent = d.title; li.appendChild(a);
    var i = d.text.toLowerCase().indexOf(terms[0]);
    var s = document.createElement("div"); s.className = "snip";
    s.textContent = "\\u2026" + d.text.slice(Math.max(0, i - 80), i + 120) + "\\u2026";
    li.appendChild(s); out.appendChild(li);
  });
})();
"""


def _page(title: str, body: str, *, edition: str, root: str, other: str | None) -> str:
    switch = ""
    if other is not None:
        target = "trainer" if edition == "learner" else "learner"
        switch = f'<a href="{other}">switch to the {target} edition</a>'
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} · CRM analytics course</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{root}assets/site.css">
<link rel="stylesheet" href="{root}assets/pygments.css">
</head><body>
<header class="top"><a class="brand" href="index.html">CRM analytics · 10C course</a>
<span class="edition {edition}">{edition} edition</span>
<nav><a href="index.html">Course map</a><a href="glossary.html">Glossary 詞彙 / 词汇</a>{switch}</nav>
<form action="search.html" method="get"><input id="q" name="q" placeholder="Search 搜尋"
 aria-label="Search"></form></header>
<main>
{body}
</main></body></html>
"""


def _notebooks(folder: Path) -> list[Path]:
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def _map_table(pages: dict[str, Page]) -> str:
    from crm_lessons.framework import course_map

    cm = course_map()
    rows = []
    for r in cm.itertuples(index=False):
        name = r.lesson
        link = (
            f'<a href="{name}.html">{html.escape(r.title)}</a>'
            if name in pages
            else html.escape(r.title)
        )
        rows.append(
            f"<tr><td>{name[:2]}</td><td>{link}</td><td>{html.escape(str(r[2]))}</td>"
            f"<td>{html.escape(str(r[3]))}<br>{html.escape(str(r[4]))}</td>"
            f"<td>{html.escape(str(r[5]))}</td></tr>"
        )
    listed = set(cm["lesson"])
    for name, page in pages.items():
        if name not in listed:
            rows.append(
                f'<tr><td>{name[:2]}</td><td><a href="{name}.html">{html.escape(page.title)}'
                "</a></td><td></td><td></td><td></td></tr>"
            )
    return (
        '<table class="map"><thead><tr><th>#</th><th>lesson</th><th>10C</th>'
        "<th>繁體中文 / 简体中文</th><th>afterwards you can</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _index_body(edition: str, pages: dict[str, Page]) -> str:
    who = (
        "<p>This is the <b>trainer edition</b>: trainer notes, solutions and answer keys are "
        "shown, marked in yellow. Slides for each lesson are built with <code>make slides</code>."
        "</p>"
        if edition == "trainer"
        else "<p>This is the <b>learner edition</b>: exercises without their solutions. "
        "Run the notebooks in JupyterLab (<code>make start</code>) to try the exercises and "
        "move the interactive explorers.</p>"
    )
    return f"""<h1>CRM analytics with the 10C framework</h1>
<p>顧客關係管理分析 · 顾客关系管理分析 — a course for owners, analysts and trainers of small and
medium businesses. Every page shows the notebook as stored, with its results and figures.</p>
{who}
<div class="start"><div><b>New here?</b> Start with <a href="00_start_here.html">lesson 00</a>,
then follow the map.</div><div><b>Own shop data?</b> Lesson 20 runs the whole pipeline on your
export; the no-code health check (<code>make app</code>) does it without code.</div>
<div><b>Words in Chinese?</b> The <a href="glossary.html">glossary</a> gives every term in
English, 繁體中文 and 简体中文.</div></div>
<h2 id="course-map">Course map</h2>
{_map_table(pages)}
"""


def _glossary_body() -> str:
    g = glossary_table()
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in r) + "</tr>"
        for r in g.itertuples(index=False)
    )
    return (
        f"<h1>Glossary · 詞彙表 · 词汇表</h1><p>{len(g)} terms used in the course.</p>"
        '<table class="map"><thead><tr><th>English</th><th>繁體中文</th><th>简体中文</th>'
        "<th>synonyms (繁體)</th><th>synonyms (简体)</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def build_site(
    out_dir: str | Path = ROOT / "build" / "site",
    *,
    notebooks: str | Path = ROOT / "notebooks",
    editions: Iterable[str] = EDITIONS,
) -> dict[str, int]:
    """Write the static course site; return the number of pages per edition.

    Parameters
    ----------
    out_dir : path-like
        Output folder (emptied first). ``index.html`` there links to both
        editions, in ``learner/`` and ``trainer/``.
    notebooks : path-like
        Folder of stored notebooks.
    editions : iterable of {"learner", "trainer"}

    Returns
    -------
    dict
        Edition -> number of HTML pages written.
    """
    from pygments.formatters import HtmlFormatter

    from crm_lessons.plotting import bundled_cjk_font

    out = Path(out_dir)
    editions = list(editions)
    for e in editions:
        keep_cell({}, e)
    if out.exists():
        shutil.rmtree(out)
    (out / "assets").mkdir(parents=True)
    images = _Images(out / "img")
    css = _CSS % {"font": _FONT_NAME, "root": "../"}
    (out / "assets" / "site.css").write_text(css, encoding="utf-8")
    (out / "assets" / "pygments.css").write_text(
        HtmlFormatter(cssclass="hl").get_style_defs(".hl"), encoding="utf-8"
    )
    (out / "assets" / "search.js").write_text(_SEARCH_JS, encoding="utf-8")
    font = bundled_cjk_font()
    if font is not None:
        shutil.copyfile(font, out / "assets" / "cjk.otf")
    counts = {}
    paths = _notebooks(Path(notebooks))
    glossary = _glossary_body()
    for edition in editions:
        folder = out / edition
        folder.mkdir()
        other = "trainer" if edition == "learner" else "learner"
        link_other = other in editions
        root = "../"
        pages = {p.stem: render_notebook(p, edition, images) for p in paths}
        names = list(pages)
        index: list[dict[str, str]] = []
        for i, (name, page) in enumerate(pages.items()):
            prev_link = (
                f'<a href="{names[i - 1]}.html">← {html.escape(pages[names[i - 1]].title)}</a>'
                if i
                else "<span></span>"
            )
            next_link = (
                f'<a href="{names[i + 1]}.html">{html.escape(pages[names[i + 1]].title)} →</a>'
                if i + 1 < len(names)
                else "<span></span>"
            )
            body = f'{page.body}<nav class="pager">{prev_link}{next_link}</nav>'
            other_url = f"../{other}/{name}.html" if link_other else None
            (folder / f"{name}.html").write_text(
                _page(page.title, body, edition=edition, root=root, other=other_url),
                encoding="utf-8",
            )
            for anchor, words in page.text:
                if words:
                    url = f"{name}.html" + (f"#{anchor}" if anchor else "")
                    index.append({"url": url, "title": page.title, "text": words[:2000]})
        other_index = f"../{other}/index.html" if link_other else None
        (folder / "index.html").write_text(
            _page(
                "Course map",
                _index_body(edition, pages),
                edition=edition,
                root=root,
                other=other_index,
            ),
            encoding="utf-8",
        )
        (folder / "glossary.html").write_text(
            _page(
                "Glossary",
                glossary,
                edition=edition,
                root=root,
                other=f"../{other}/glossary.html" if link_other else None,
            ),
            encoding="utf-8",
        )
        (folder / "search_index.js").write_text(
            "window.SEARCH_INDEX = " + json.dumps(index, ensure_ascii=False) + ";\n",
            encoding="utf-8",
        )
        search_body = (
            '<h1>Search</h1><p id="count"></p><ol id="results"></ol>'
            '<script src="search_index.js"></script><script src="../assets/search.js"></script>'
        )
        (folder / "search.html").write_text(
            _page("Search", search_body, edition=edition, root=root, other=None),
            encoding="utf-8",
        )
        counts[edition] = len(pages) + 3
    links = "".join(f'<li><a href="{e}/index.html">{e} edition</a></li>' for e in editions)
    (out / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><link rel="icon" '
        'href="data:,"><title>CRM analytics course</title>'
        f'<meta http-equiv="refresh" content="0; url={editions[0]}/index.html">'
        f'<link rel="stylesheet" href="assets/site.css"></head><body><main>'
        f"<h1>CRM analytics course</h1><ul>{links}</ul></main></body></html>",
        encoding="utf-8",
    )
    return counts


# --------------------------------------------------------------------------- slides

_SLIDE_CSS = """
@font-face { font-family: "%(font)s"; src: url("cjk.otf") format("opentype");
  font-weight: 100 900; font-display: block;
  unicode-range: U+2E80-9FFF, U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF; }
html, body { margin:0; height:100%%; background:#10202c; }
body { font: 28px/1.4 "%(font)s", system-ui, "DejaVu Sans", "Noto Sans CJK TC",
  "Microsoft JhengHei", sans-serif; color:#1d2733; }
.slide { display:none; position:absolute; inset:2vh 2vw; background:#fff; border-radius:8px;
  padding:3vh 4vw; overflow-y:auto; flex-direction:column; }
.slide.on { display:flex; }
.slide h1 { font-size:1.9em; margin:.2em 0 .4em; color:#0b6e99; }
.slide h2, .slide h3 { font-size:1.4em; margin:.1em 0 .4em; color:#0b6e99; }
.slide .out { flex:1; min-height:0; display:flex; justify-content:center; }
.slide .out img { height:100%%; width:auto; max-width:100%%; object-fit:contain; }
.slide table { font-size:.7em; border-collapse:collapse; }
.slide td, .slide th { border:1px solid #ccd; padding:.1em .4em; }
.slide pre { font-size:.6em; white-space:pre-wrap; }
.slide.title { justify-content:center; background:#0b6e99; color:#fff; }
.slide.title h1 { color:#fff; font-size:2.2em; }
.slide.monday { border-top:14px solid #f0b429; }
.slide.dense { font-size:.72em; overflow-y:auto; }
footer { position:fixed; bottom:.3vh; right:2.5vw; color:#9fb3c4; font-size:14px; }
"""

_SLIDE_JS = """
(function () {
  var s = document.querySelectorAll(".slide"), i = 0;
  var f = document.getElementById("pos");
  function show(n) { i = Math.max(0, Math.min(s.length - 1, n));
    s.forEach(function (x, k) { x.classList.toggle("on", k === i); });
    f.textContent = (i + 1) + " / " + s.length; location.hash = "#" + (i + 1); }
  document.addEventListener("keydown", function (e) {
    if (["ArrowRight", "PageDown", " ", "ArrowDown"].indexOf(e.key) >= 0) show(i + 1);
    if (["ArrowLeft", "PageUp", "ArrowUp"].indexOf(e.key) >= 0) show(i - 1);
    if (e.key === "Home") show(0); if (e.key === "End") show(s.length - 1); });
  document.addEventListener("click", function (e) { show(e.clientX > innerWidth / 3 ? i + 1 : i - 1); });
  show((parseInt(location.hash.slice(1), 10) || 1) - 1);
})();
"""


def _md_sections(md_html: str) -> tuple[str, str]:
    m = re.match(r"\s*<h[1-3][^>]*>(.*?)</h[1-3]>(.*)", md_html, re.S)
    return (m.group(1), m.group(2)) if m else ("", md_html)


def lesson_slides(path: str | Path, images: _Images, *, max_figures: int = 6) -> list[str]:
    """Return the slides (HTML ``<section>`` strings) of one lesson.

    The deck opens with the title and the learning objectives; then the cells
    tagged ``slide`` each become a slide, in order. Without such tags the deck
    goes on with the business question, up to
    ``max_figures`` key figures (each with the heading it sits under) and the
    "Monday" section. The learner never sees answers: cells tagged
    ``solution``, ``answer-key`` or ``trainer`` are left out of the deck.

    Parameters
    ----------
    path : path-like
        A stored notebook.
    images : _Images
        Where figures are written.
    max_figures : int, default 6

    Returns
    -------
    list of str
    """
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if keep_cell(c, "learner")]
    slides: list[str] = []
    tagged = [c for c in cells if "slide" in c.get("metadata", {}).get("tags", [])]

    def cell_html(c: dict, figs: list[str]) -> str:
        if c["cell_type"] == "markdown":
            return render_markdown(_source(c))
        return "".join(_render_output(o, images, "", figs) for o in c.get("outputs", []))

    first = render_markdown(_source(cells[0])) if cells else ""
    title, rest = _md_sections(first)
    paras = re.split(r"(?=<p><strong>Learning objectives)", rest)
    slides.append(f'<section class="slide title"><h1>{title}</h1>{paras[0]}</section>')
    if len(paras) > 1:
        slides.append(f'<section class="slide">{paras[1]}</section>')
    if tagged:  # the title and objectives, then the cells the lesson tagged
        for c in tagged:
            body = cell_html(c, [])
            if body.strip():
                kind = "slide monday" if "Monday" in body else "slide"
                slides.append(f'<section class="{kind}">{body}</section>')
        return slides
    heading = title
    figures = 0
    monday: str | None = None
    mentions: list[str] = []
    for c in cells[1:]:
        if c["cell_type"] == "markdown":
            body = render_markdown(_source(c))
            h, content = _md_sections(body)
            if h:
                heading = h
            plain = _plain(body).lower()
            dense = " dense" if len(plain) > 900 else ""
            mh = re.search(r"<h[1-3][^>]*>([^<]*Monday[^<]*)</h[1-3]>(.*)", body, re.S)
            if monday is None and mh:
                dense = " dense" if len(_plain(mh.group(2))) > 900 else ""
                monday = (
                    f'<section class="slide monday{dense}"><h2>{mh.group(1)}</h2>'
                    f"{mh.group(2)}</section>"
                )
            elif "monday" in plain:
                mentions.append(
                    f'<section class="slide monday{dense}"><h2>What to do on Monday</h2>'
                    f"{body}</section>"
                )
            elif "business question" in plain and len(slides) < 4 and len(plain) < 1500:
                slides.append(f'<section class="slide{dense}">{body}</section>')
            continue
        for o in c.get("outputs", []):
            data = o.get("data", {})
            if "image/png" in data and figures < max_figures:
                figs: list[str] = []
                img = _render_output(o, images, "", figs)
                img = re.sub(r'(<img[^>]*?) width="\d+"', r"\1", img)
                slides.append(f'<section class="slide"><h3>{heading}</h3>{img}</section>')
                figures += 1
    if monday or mentions:
        slides.append(monday or mentions[-1])
    return slides


def build_slides(
    out_dir: str | Path = ROOT / "build" / "slides",
    *,
    notebooks: str | Path = ROOT / "notebooks",
) -> int:
    """Write one HTML deck per lesson to ``out_dir``; return the number of decks.

    Each deck is a single offline HTML file (arrow keys, space or a click move
    on; the slide number is in the address so a deck reopens where it was).

    Parameters
    ----------
    out_dir : path-like
    notebooks : path-like

    Returns
    -------
    int
    """
    from crm_lessons.plotting import bundled_cjk_font

    out = Path(out_dir)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    images = _Images(out)
    font = bundled_cjk_font()
    if font is not None:
        shutil.copyfile(font, out / "cjk.otf")
    decks = []
    for path in _notebooks(Path(notebooks)):
        slides = lesson_slides(path, images)
        doc = (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><link rel="icon" '
            f'href="data:,"><title>{html.escape(path.stem)} · slides</title><style>'
            + _SLIDE_CSS % {"font": _FONT_NAME}
            + "</style></head><body>"
            + "\n".join(slides)
            + '<footer><span id="pos"></span> · ← → to move</footer><script>'
            + _SLIDE_JS
            + "</script></body></html>"
        )
        (out / f"{path.stem}.html").write_text(doc, encoding="utf-8")
        decks.append(path.stem)
    items = "".join(f'<li><a href="{d}.html">{d}</a></li>' for d in decks)
    (out / "index.html").write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">'
        f"<title>Slides</title></head><body><h1>Lesson slides</h1><ul>{items}</ul></body></html>",
        encoding="utf-8",
    )
    return len(decks)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m crm_lessons.site", description=__doc__)
    parser.add_argument("--out", help="output folder (default build/site or build/slides)")
    parser.add_argument("--slides", action="store_true", help="build the lesson slides instead")
    parser.add_argument("--notebooks", default=str(ROOT / "notebooks"))
    args = parser.parse_args(argv)
    if args.slides:
        out = Path(args.out or ROOT / "build" / "slides")
        n = build_slides(out, notebooks=args.notebooks)
        print(f"{n} slide decks in {out}/ (open {out / 'index.html'})")
        return 0
    out = Path(args.out or ROOT / "build" / "site")
    counts = build_site(out, notebooks=args.notebooks)
    print(", ".join(f"{e}: {n} pages" for e, n in counts.items()) + f" in {out}/")
    print(f"open {out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
