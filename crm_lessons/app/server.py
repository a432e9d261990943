"""A small local web server for the CRM health check (standard library only).

It listens on 127.0.0.1 only, keeps uploaded files in a temporary folder that
is deleted when it stops, and loads nothing from the internet: pages, fonts
and charts are all served by this process.

Why a small server and not Voilà, Panel or Streamlit: the owner needs four
screens (upload, column mapping, report, downloads), plain HTML forms do that
in any browser, and it adds no dependency to the course (each of those
frameworks brings its own server, front-end bundle and version constraints
on top of JupyterLab's). The analysis itself is :mod:`crm_lessons.app.core`,
the same functions the lessons use.
"""

from __future__ import annotations

import html
import secrets
import shutil
import tempfile
import threading
import traceback
from email.parser import BytesParser
from email.policy import default as email_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

from crm_lessons.app.core import (
    FIELDS,
    HealthCheck,
    guess_mapping,
    health_check,
    read_columns,
    workbook_bytes,
)
from crm_lessons.app.i18n import LANG_NAMES, REASONS, t

__all__ = ["make_server", "serve"]

_CSS = """
@font-face { font-family: "CourseCJK"; src: url("/cjk.otf") format("opentype");
  font-weight: 100 900; font-display: block;
  unicode-range: U+2E80-9FFF, U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF; }
body { margin:0; font: 17px/1.55 "CourseCJK", system-ui, "DejaVu Sans", "Noto Sans CJK TC",
  "Microsoft JhengHei", "PingFang TC", sans-serif; color:#1d2733; background:#f6f8fa; }
input, select, button { font: inherit; }
header { background:#0b6e99; color:#fff; padding:.7rem 1.5rem; display:flex; gap:1.5rem;
  align-items:center; flex-wrap:wrap; }
header h1 { font-size:1.3rem; margin:0; }
header nav a { color:#fff; margin-right:.8rem; }
header nav a.on { font-weight:700; text-decoration:none; border-bottom:2px solid #fff; }
main { max-width:1000px; margin:0 auto; padding:1rem 1.5rem 4rem; }
.privacy { background:#e6f4ea; border-left:5px solid #2e7d32; padding:.6rem 1rem; }
.card { background:#fff; border:1px solid #dfe3e8; border-radius:8px; padding:1rem 1.2rem;
  margin:1rem 0; }
table { border-collapse:collapse; font-size:.9rem; margin:.5rem 0; }
td, th { border:1px solid #dfe3e8; padding:.25rem .55rem; text-align:left; vertical-align:top; }
td.num { text-align:right; }
button, .button { background:#0b6e99; color:#fff; border:0; border-radius:5px;
  padding:.55rem 1.1rem; cursor:pointer; text-decoration:none; display:inline-block; }
.button.light { background:#e8f3f8; color:#0b6e99; }
label.field { display:grid; grid-template-columns: 18rem 1fr; gap:.5rem; margin:.35rem 0; }
img.chart { width:100%; max-width:680px; border:1px solid #dfe3e8; background:#fff; }
.note { background:#fff8e1; border-left:5px solid #f0b429; padding:.5rem 1rem; }
.error { background:#fdecea; border-left:5px solid #c0392b; padding:.5rem 1rem; }
ol.monday li { margin:.35rem 0; }
pre { white-space:pre-wrap; font-size:.85rem; background:#f4f6f8; padding:.6rem; }
"""


class _State:
    """Uploaded files and finished reports, by a random token, in one temporary folder."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="crm-health-"))
        self.files: dict[str, Path] = {}
        self.mappings: dict[str, dict] = {}
        self.reports: dict[tuple[str, str], HealthCheck] = {}
        self.lock = threading.Lock()

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _page(lang: str, body: str, *, switch_url: str = "/") -> str:
    sep = "&" if "?" in switch_url else "?"
    langs = "".join(
        f'<a class="{"on" if code == lang else ""}" href="{switch_url}{sep}lang={code}">{name}</a>'
        for code, name in LANG_NAMES.items()
    )
    return f"""<!DOCTYPE html><html lang="{lang.replace("_", "-")}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<link rel="preload" href="/cjk.otf" as="font" type="font/otf" crossorigin><title>{t("title", lang)}</title><style>{_CSS}</style></head>
<body><header><h1>{t("title", lang)}</h1><nav id="lang">{langs}</nav></header><main>
<p class="privacy" id="privacy">{t("privacy", lang)}</p>
{body}</main></body></html>"""


def _table(df, *, money=None, numbers=(), headers=None) -> str:
    money = set(money or ())
    cols = list(df.columns)
    head = "".join(f"<th>{html.escape(str((headers or {}).get(c, c)))}</th>" for c in cols)
    rows = []
    for rec in df.itertuples(index=False):
        cells = []
        for c, v in zip(cols, rec, strict=True):
            if c in money:
                cells.append(f'<td class="num">{html.escape(money_fmt(v))}</td>')
            elif c in numbers:
                cells.append(f'<td class="num">{html.escape(_num(v))}</td>')
            else:
                cells.append(f"<td>{html.escape(str(v))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _num(v) -> str:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    return f"{f:,.0f}" if f == int(f) else f"{f:,.2f}"


money_fmt = _num  # replaced per report (currency-aware) in _report


def _upload_page(lang: str, error: str = "") -> str:
    err = f'<p class="error">{html.escape(error)}</p>' if error else ""
    return _page(
        lang,
        f"""{err}<div class="card"><p>{t("intro", lang)}</p>
<form id="upload" action="/upload?lang={lang}" method="post" enctype="multipart/form-data">
<label>{t("choose_file", lang)}: <input type="file" name="file" id="file"
 accept=".csv,.tsv,.txt,.xlsx"></label>
<button type="submit" id="read">{t("upload", lang)}</button></form></div>""",
    )


def _mapping_page(lang: str, token: str, columns: list[str], preview, guess: dict) -> str:
    fields = []
    for fld in FIELDS:
        opts = [f'<option value="">{t("none", lang)}</option>'] + [
            f'<option value="{html.escape(c)}"{" selected" if guess.get(fld) == c else ""}>'
            f"{html.escape(c)}</option>"
            for c in columns
        ]
        fields.append(
            f'<label class="field">{t("field_" + fld, lang)}'
            f'<select name="{fld}" id="map_{fld}">{"".join(opts)}</select></label>'
        )
    return _page(
        lang,
        f"""<div class="card"><h2>{t("mapping", lang)}</h2>
<form id="mapping" action="/analyse" method="post">
<input type="hidden" name="token" value="{token}"><input type="hidden" name="lang" value="{lang}">
{"".join(fields)}
<label class="field">{t("margin", lang)}<input name="margin" id="margin" type="number"
 min="0.01" max="1" step="0.01" value="0.6"></label>
<p><button type="submit" id="analyse">{t("analyse", lang)}</button></p></form></div>
<div class="card"><h3>{t("preview", lang)}</h3>{_table(preview)}</div>""",
        switch_url=f"/map?token={token}",
    )


def _report(hc: HealthCheck, token: str) -> str:
    global money_fmt
    lang = hc.lang
    money_fmt = hc.money
    h = {
        "customer_id": t("col_customer", lang),
        "segment_label": t("col_segment", lang),
        "label": t("col_segment", lang),
        "recency_days": t("col_recency", lang),
        "frequency": t("col_frequency", lang),
        "monetary": t("col_monetary", lang),
        "value_12m": t("col_value", lang),
        "action": t("col_action", lang),
        "customers": t("col_customers", lang),
        "share_value": t("col_share", lang),
    }
    cols = ["customer_id", "segment_label", "recency_days", "frequency", "monetary"]
    if hc.clv is not None:
        cols.append("value_12m")
    best = hc.best.rename_axis("customer_id").reset_index()[cols]
    slip = hc.slipping.rename_axis("customer_id").reset_index()[[*cols, "action"]]
    seg = hc.segments.reset_index()[["label", "customers", "share_value", "value", "action"]]
    seg["share_value"] = seg["share_value"].map(lambda v: f"{v:.0%}")
    seg = seg.rename(columns={"value": "monetary"})
    money_cols = ["monetary", "value_12m"]
    numbers = ["recency_days", "frequency", "customers"]
    value_html = f'<p class="note" id="model-note">{html.escape(hc.model_note)}</p>'
    if hc.clv is not None:
        value_html += f"<p>{t('total_value', lang).format(value=hc.money(hc.clv.sum()))}</p>"
    monday = "".join(f"<li>{html.escape(m)}</li>" for m in hc.monday)
    summary = t("summary_line", lang).format(
        lines=hc.lines_read, customers=hc.customers, as_of=hc.as_of.date()
    )
    audit = hc.audit.reset_index()
    if lang != "en":
        audit["description"] = [
            REASONS.get(code, {}).get(lang, d)
            for code, d in zip(audit["reason_code"], audit["description"], strict=True)
        ]
    audit = audit[["description", "lines", "first_line"]]
    h_audit = {
        "description": t("col_reason", lang),
        "lines": t("col_lines", lang),
        "first_line": t("col_first_line", lang),
    }
    base = f"/download/{token}"
    return _page(
        lang,
        f"""<p><a class="button" id="download" href="{base}/health_check_{lang}.xlsx">
{t("download", lang)}</a> <a class="button light" href="/?lang={lang}">{t("start_over", lang)}</a></p>
<div class="card" id="audit"><h2>{t("audit", lang)}</h2><p>{summary}</p>
{_table(audit, numbers=["lines", "first_line"], headers=h_audit)}<details><summary>{t("full_report", lang)}</summary>
<pre>{html.escape(hc.audit_text)}</pre></details></div>
<div class="card" id="best"><h2>{t("best", lang)}</h2>
<img class="chart" id="chart-best" src="{base}/best_customers_{lang}.png" alt="best customers">
<p><a href="{base}/best_customers_{lang}.png" download>{t("download_png", lang)}</a></p>
{_table(best, money=money_cols, numbers=numbers, headers=h)}</div>
<div class="card" id="slipping"><h2>{t("slipping", lang)}</h2>
{_table(slip, money=money_cols, numbers=numbers, headers=h)}</div>
<div class="card" id="segments"><h2>{t("segments", lang)}</h2>
<img class="chart" id="chart-segments" src="{base}/segments_{lang}.png" alt="segments">
<p><a href="{base}/segments_{lang}.png" download>{t("download_png", lang)}</a></p>
{_table(seg, money=money_cols, numbers=numbers, headers=h)}</div>
<div class="card" id="value"><h2>{t("value", lang)}</h2>{value_html}</div>
<div class="card" id="monday"><h2>{t("monday", lang)}</h2><ol class="monday">{monday}</ol></div>""",
        switch_url=f"/report?token={token}",
    )


class _Handler(BaseHTTPRequestHandler):
    state: _State

    def log_message(self, format, *args):  # noqa: A002 - quiet: an owner sees no log
        return

    # ------------------------------------------------------------ helpers
    def _send(self, body: bytes | str, ctype: str = "text/html; charset=utf-8", *, status=200,
              headers=None) -> None:  # fmt: skip
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _lang(self, query: dict) -> str:
        lang = (query.get("lang") or ["en"])[0]
        return lang if lang in LANG_NAMES else "en"

    def _run(self, token: str, lang: str) -> HealthCheck:
        st = self.state
        key = (token, lang)
        with st.lock:
            if key in st.reports:
                return st.reports[key]
        mapping = st.mappings[token]
        hc = health_check(st.files[token], mapping["fields"], lang=lang, margin=mapping["margin"])
        with st.lock:
            st.reports[key] = hc
        return hc

    # ------------------------------------------------------------ routes
    def do_GET(self):  # noqa: D102, N802
        url = urlparse(self.path)
        q = parse_qs(url.query)
        lang = self._lang(q)
        token = (q.get("token") or [""])[0]
        try:
            if url.path == "/":
                return self._send(_upload_page(lang))
            if url.path == "/cjk.otf":
                from crm_lessons.plotting import bundled_cjk_font

                font = bundled_cjk_font()
                if font is None:
                    return self._send(b"", "font/otf", status=404)
                return self._send(font.read_bytes(), "font/otf")
            if url.path == "/map" and token in self.state.files:
                cols, preview = read_columns(self.state.files[token])
                guess = self.state.mappings.get(token, {}).get("fields") or guess_mapping(cols)
                return self._send(_mapping_page(lang, token, cols, preview, guess))
            if url.path == "/report" and token in self.state.mappings:
                return self._send(_report(self._run(token, lang), token))
            if url.path.startswith("/download/"):
                return self._download(url.path)
        except Exception as exc:
            return self._send(_upload_page(lang, f"{t('error', lang)}: {exc}"), status=400)
        self._send(_upload_page(lang, "page not found"), status=404)

    def _download(self, path: str) -> None:
        _, _, token, name = path.split("/", 3)
        stem, _, ext = name.rpartition(".")
        kind, _, lang = stem.rpartition("_")
        if lang in ("tw", "cn"):
            kind, _, zh = kind.rpartition("_")
            lang = f"{zh}_{lang}"
        if token not in self.state.mappings or lang not in LANG_NAMES:
            return self._send(b"unknown report", "text/plain", status=404)
        hc = self._run(token, lang)
        if ext == "xlsx" and kind == "health_check":
            return self._send(
                workbook_bytes(hc),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
            )
        if ext == "png" and kind in hc.charts:
            return self._send(hc.charts[kind], "image/png")
        self._send(b"unknown file", "text/plain", status=404)

    def do_POST(self):  # noqa: D102, N802
        url = urlparse(self.path)
        q = parse_qs(url.query)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        lang = self._lang(q)
        try:
            if url.path == "/upload":
                return self._upload(body, lang)
            if url.path == "/analyse":
                form = {k: v[0] for k, v in parse_qs(body.decode("utf-8")).items()}
                lang = form.get("lang", lang) if form.get("lang") in LANG_NAMES else lang
                token = form.get("token", "")
                if token not in self.state.files:
                    raise ValueError("the uploaded file has expired; upload it again")
                fields = {f: (form.get(f) or None) for f in FIELDS}
                margin = float(form.get("margin") or 0.6)
                with self.state.lock:
                    self.state.mappings[token] = {"fields": fields, "margin": margin}
                    self.state.reports = {
                        k: v for k, v in self.state.reports.items() if k[0] != token
                    }
                hc = self._run(token, lang)
                return self._send(_report(hc, token))
        except Exception as exc:
            detail = str(exc) or traceback.format_exc(limit=1)
            return self._send(_upload_page(lang, f"{t('error', lang)}: {detail}"), status=400)
        self._send(b"not found", "text/plain", status=404)

    def _upload(self, body: bytes, lang: str) -> None:
        ctype = self.headers.get("Content-Type", "")
        msg = BytesParser(policy=email_policy).parsebytes(
            b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + body
        )
        part = next(
            (p for p in msg.iter_parts() if p.get_param("name", header="content-disposition")
             == "file"), None,
        )  # fmt: skip
        data = part.get_payload(decode=True) if part is not None else b""
        if not data:
            raise ValueError("no file was chosen; pick your export first")
        filename = Path(part.get_filename() or "export.csv").name
        token = secrets.token_urlsafe(12)
        folder = self.state.folder / token
        folder.mkdir()
        path = folder / filename
        path.write_bytes(data)
        self.state.files[token] = path
        cols, preview = read_columns(path)
        return self._send(_mapping_page(lang, token, cols, preview, guess_mapping(cols)))


def make_server(port: int = 8765, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """Return the health-check server (not yet serving); ``server.state.close()`` cleans up.

    Parameters
    ----------
    port : int, default 8765
        0 picks a free port.
    host : str, default "127.0.0.1"
        Only loopback addresses are allowed: the data must not leave the machine.

    Returns
    -------
    http.server.ThreadingHTTPServer
    """
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"host={host!r} is not a loopback address; use '127.0.0.1'")
    state = _State()
    handler = type("Handler", (_Handler,), {"state": state})
    server = ThreadingHTTPServer((host, port), handler)
    server.state = state
    return server


def serve(port: int = 8765) -> None:
    """Serve until interrupted (Ctrl+C), then delete the uploaded files."""
    server = make_server(port)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    print(f"CRM health check running at {url}  (Ctrl+C to stop)", flush=True)
    print("Your data stay on this computer: nothing is sent anywhere.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server.state.close()
