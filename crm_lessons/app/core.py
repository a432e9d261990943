"""The CRM health check's analysis: the lessons' own functions, put in an owner's words.

Everything here is plain functions on files and DataFrames so that it is tested
without a browser; :mod:`crm_lessons.app.server` only shows the results.

Steps (each one a ``crm_lessons`` function the lessons teach):
:func:`crm_lessons.loader.load_transactions` (lessons 02 and 20) reads the
export and writes the audit; :func:`crm_lessons.rfm.rfm_table` and
:func:`crm_lessons.segmentation.rfm_scores` (lesson 03) name the segments and
their actions; :func:`crm_lessons.clv.fit_bgnbd`,
:func:`crm_lessons.clv.fit_gamma_gamma` and
:func:`crm_lessons.clv.discounted_clv` (lesson 10) give the 12-month value
when the data are rich enough for a model.

Examples
--------
>>> guess_mapping(["交易日期", "會員編號", "發票號碼", "品名", "數量", "金額"])["amount"]
'金額'
"""

from __future__ import annotations

import csv
import io
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from crm_lessons.app.i18n import ACTIONS, t  # noqa: E402
from crm_lessons.loader import detect_encoding, load_transactions  # noqa: E402
from crm_lessons.plotting import fmt_money, money_axis, tr, use_course_style  # noqa: E402
from crm_lessons.rfm import btyd_summary, rfm_table  # noqa: E402
from crm_lessons.segmentation import RFM_SEGMENTS, rfm_scores, segment_summary  # noqa: E402

__all__ = [
    "FIELDS",
    "MIN_CUSTOMERS_FOR_MODEL",
    "MIN_REPEAT_BUYERS_FOR_MODEL",
    "SLIPPING",
    "HealthCheck",
    "guess_mapping",
    "health_check",
    "read_columns",
    "workbook_bytes",
]

#: Course field -> words that name it in real exports (lower case, any language).
FIELDS: dict[str, tuple[str, ...]] = {
    "customer_id": (
        "customer_id", "customer", "customer id", "member", "member_id", "member no",
        "card", "loyalty", "client", "會員編號", "会员编号", "會員", "会员", "客戶編號",
        "客户编号", "顧客編號", "顾客编号", "卡號", "卡号",
    ),
    "date": (
        "date", "invoicedate", "invoice date", "order date", "order_date", "timestamp",
        "time", "交易日期", "日期", "交易時間", "交易时间", "時間", "时间",
    ),
    "amount": (
        "amount", "total", "sales", "revenue", "paid", "value", "line total", "金額",
        "金额", "銷售額", "销售额", "小計金額", "實收", "实收",
    ),
    "quantity": ("quantity", "qty", "units", "數量", "数量", "件數", "件数"),
    "order_id": (
        "order_id", "order", "order id", "invoice", "invoiceno", "invoice no", "receipt",
        "transaction id", "發票號碼", "发票号码", "單號", "单号", "訂單編號", "订单编号",
    ),
    "product": (
        "product", "item", "description", "product name", "品名", "商品", "商品名稱",
        "商品名称", "品項", "品项",
    ),
}  # fmt: skip
#: Fields the loader cannot do without.
REQUIRED = ("customer_id", "date", "amount")
#: Below these counts the 12-month value model is not fitted (too little data).
MIN_CUSTOMERS_FOR_MODEL = 50
MIN_REPEAT_BUYERS_FOR_MODEL = 20
#: Segments whose customers are slipping away (see lesson 03's RFM map).
SLIPPING = ("cannot_lose", "at_risk", "about_to_sleep", "need_attention")


def _norm(name: str) -> str:
    return str(name).strip().lower().replace("_", " ")


def guess_mapping(columns: list[str]) -> dict[str, str | None]:
    """Guess which of the file's columns holds each course field.

    An exact name match wins, then a column containing one of the words.
    Each column is used once.

    Parameters
    ----------
    columns : list of str
        The file's column names.

    Returns
    -------
    dict
        Field (``customer_id``, ``date``, ``amount``, ``quantity``,
        ``order_id``, ``product``) -> column name or None.

    Examples
    --------
    >>> guess_mapping(["InvoiceNo", "Quantity", "InvoiceDate", "Price", "CustomerID"])
    {'customer_id': 'CustomerID', 'date': 'InvoiceDate', 'amount': None, 'quantity': 'Quantity', 'order_id': 'InvoiceNo', 'product': None}
    """
    used: set[str] = set()
    out: dict[str, str | None] = {}
    for fld, words in FIELDS.items():
        words_n = [_norm(w) for w in words]
        pick = next((c for c in columns if c not in used and _norm(c) in words_n), None)
        if pick is None:
            pick = next(
                (
                    c
                    for c in columns
                    if c not in used
                    and any(w in _norm(c) or _norm(c).replace(" ", "") == w for w in words_n)
                ),
                None,
            )
        out[fld] = pick
        if pick is not None:
            used.add(pick)
    return out


def read_columns(path: str | Path) -> tuple[list[str], pd.DataFrame]:
    """Return a file's column names and its first rows, for the mapping screen.

    Excel files are read with pandas; text files are decoded with the
    loader's own encoding detection, and the header is the first line with
    the usual number of fields (a title line above it is skipped).

    Parameters
    ----------
    path : path-like
        CSV/TSV or Excel file.

    Returns
    -------
    columns : list of str
    preview : pandas.DataFrame
        Up to 5 data rows, as text.
    """
    path = Path(path)
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":
        raw = pd.read_excel(path, header=None, dtype=str, nrows=40).fillna("")
        rows = raw.to_numpy().tolist()
    else:
        encoding, _ = detect_encoding(data)
        text = data[:200_000].decode(encoding, errors="replace")
        lines = text.splitlines()[:40]
        try:
            dialect = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=",\t;|")
            sep = dialect.delimiter
        except csv.Error:
            sep = ","
        rows = list(csv.reader(lines, delimiter=sep))
    if not rows:
        raise ValueError(f"path={str(path)!r} has no rows; upload a CSV or Excel export")
    widths = pd.Series([len([v for v in r if str(v).strip()]) for r in rows])
    usual = int(widths.mode().max())
    header_at = int(np.argmax(widths.to_numpy() >= usual))
    columns = [str(c).strip() for c in rows[header_at] if str(c).strip()]
    body = [r[: len(columns)] for r in rows[header_at + 1 : header_at + 6]]
    preview = pd.DataFrame([r + [""] * (len(columns) - len(r)) for r in body], columns=columns)
    return columns, preview


@dataclass
class HealthCheck:
    """Everything the health check shows and downloads."""

    lang: str
    currency: str
    as_of: pd.Timestamp
    audit: pd.DataFrame
    audit_text: str
    quarantine: pd.DataFrame
    lines_read: int
    customers: int
    scores: pd.DataFrame
    segments: pd.DataFrame
    best: pd.DataFrame
    slipping: pd.DataFrame
    clv: pd.Series | None
    model_note: str
    monday: list[str]
    charts: dict[str, bytes] = field(default_factory=dict)

    def money(self, value: float) -> str:
        """Format an amount in the file's currency."""
        return fmt_money(value, self.currency, decimals=0)


def _action(segment: str, lang: str) -> str:
    return ACTIONS.get(segment, {}).get(lang) or str(RFM_SEGMENTS.loc[segment, "action"])


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def health_check(
    path: str | Path,
    mapping: dict[str, str | None],
    *,
    lang: str = "en",
    margin: float = 0.6,
    currency: str | None = None,
    today: str | pd.Timestamp | None = None,
    random_state: int = 0,
) -> HealthCheck:
    """Run the whole health check on one export.

    Parameters
    ----------
    path : path-like
        The export (CSV/TSV or Excel, any encoding the loader reads).
    mapping : dict
        Field -> the file's column (see :func:`guess_mapping`); ``customer_id``,
        ``date`` and ``amount`` are required.
    lang : {"en", "zh_tw", "zh_cn"}
    margin : float, default 0.6
        Share of revenue kept as gross profit, for the 12-month value.
    currency : str, optional
        ISO code; read from the amounts when not given.
    today : date-like, optional
        The day of the export: later dates are set aside as errors (default:
        today). The analysis date is the last day with a sale.
    random_state : int, default 0
        Unused by the current models (they are deterministic); kept so that
        the signature matches the course's convention.

    Returns
    -------
    HealthCheck
    """
    t("title", lang)  # validates lang
    missing = [f for f in REQUIRED if not mapping.get(f)]
    if missing:
        raise ValueError(
            f"mapping lacks {missing}: pick the file's column for "
            + ", ".join(missing)
            + f" (got {mapping!r})"
        )
    if not 0 < margin <= 1:
        raise ValueError(f"margin={margin!r} must be a share between 0 and 1, e.g. 0.6")
    use_course_style()
    keep = {mapping["product"]: "product"} if mapping.get("product") else {}
    today = pd.Timestamp(today) if today is not None else pd.Timestamp.today().normalize()
    result = load_transactions(
        path,
        customer_id=mapping["customer_id"],
        date=mapping["date"],
        amount=mapping["amount"],
        quantity=mapping.get("quantity") or None,
        order_id=mapping.get("order_id") or None,
        keep=keep,
        currency=currency,
        as_of=today,
    )
    tx = result.clean
    cur = result.currency or currency or "USD"
    if tx.empty:
        raise ValueError(f"no line of {Path(path).name} could be read; see the audit")
    as_of = tx["date"].max().normalize()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the loader's audit already counts these lines
        rfm = rfm_table(tx, as_of=as_of)
    scores = rfm_scores(rfm)
    segments = segment_summary(scores, lang=lang, extra=["recency_days", "frequency"])
    segments = segments[segments["customers"] > 0].copy()
    segments["action"] = [_action(s, lang) for s in segments.index]

    clv, note = None, ""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        summary = btyd_summary(tx, as_of=as_of, freq="W")
    repeaters = int((summary["frequency"] > 0).sum())
    if len(summary) < MIN_CUSTOMERS_FOR_MODEL or repeaters < MIN_REPEAT_BUYERS_FOR_MODEL:
        note = t("too_thin", lang).format(
            customers=len(summary),
            repeaters=repeaters,
            need_c=MIN_CUSTOMERS_FOR_MODEL,
            need_r=MIN_REPEAT_BUYERS_FOR_MODEL,
        )
    else:
        from crm_lessons.clv import discounted_clv, fit_bgnbd, fit_gamma_gamma

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                bgf = fit_bgnbd(summary, penalizer=0.01)
                ggf = fit_gamma_gamma(summary, penalizer=0.01)
                clv = discounted_clv(bgf, ggf, summary, months=12, margin=margin)
            clv = clv.reindex(scores.index)
            note = t("model_ok", lang).format(customers=len(summary), repeaters=repeaters)
        except Exception as exc:  # a model that does not converge is reported, not raised
            clv, note = None, t("model_failed", lang).format(error=type(exc).__name__)
    if clv is not None:
        scores["value_12m"] = clv
    label = RFM_SEGMENTS[lang]
    scores["segment_label"] = scores["segment"].map(label)
    scores["action"] = [_action(s, lang) for s in scores["segment"]]
    rank_col = "value_12m" if clv is not None else "monetary"
    best = scores.sort_values([rank_col, "monetary"], ascending=False).head(10)
    slipping = scores[scores["segment"].isin(SLIPPING)].sort_values("monetary", ascending=False)

    hc = HealthCheck(
        lang=lang,
        currency=cur,
        as_of=as_of,
        audit=result.summary(),
        audit_text=result.report(),
        quarantine=result.quarantine,
        lines_read=len(tx) + len(result.quarantine),
        customers=len(scores),
        scores=scores,
        segments=segments,
        best=best,
        slipping=slipping,
        clv=clv,
        model_note=note,
        monday=[],
    )
    hc.monday = _monday(hc)
    hc.charts = _charts(hc, tx)
    return hc


def _monday(hc: HealthCheck) -> list[str]:
    lang = hc.lang
    out = []
    seg = hc.segments
    if "champions" in seg.index:
        out.append(t("monday_champions", lang).format(n=int(seg.loc["champions", "customers"])))
    if len(hc.slipping):
        out.append(
            t("monday_slipping", lang).format(
                n=len(hc.slipping), spend=hc.money(hc.slipping["monetary"].sum())
            )
        )
    if "new_customers" in seg.index:
        out.append(t("monday_new", lang).format(n=int(seg.loc["new_customers", "customers"])))
    if hc.clv is not None:
        top = hc.scores["value_12m"].nlargest(max(1, round(len(hc.scores) * 0.2)))
        out.append(
            t("monday_value", lang).format(
                n=len(top),
                value=hc.money(top.sum()),
                share=top.sum() / hc.scores["value_12m"].sum(),
            )
        )
    set_aside = len(hc.quarantine)
    if set_aside:
        out.append(t("monday_audit", lang).format(n=set_aside))
    return out


def _charts(hc: HealthCheck, tx: pd.DataFrame) -> dict[str, bytes]:
    from crm_lessons.widgets.segmentation import rfm_explorer_view

    lang = hc.lang
    charts = {}
    _, fig = rfm_explorer_view(hc.scores[["recency_days", "frequency", "monetary"]], lang=lang)
    charts["segments"] = _png(fig)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    col = "value_12m" if hc.clv is not None else "monetary"
    best = hc.best[col]
    ax.barh([str(i) for i in best.index], best.to_numpy(), color="C2")
    ax.invert_yaxis()
    ax.set_title(tr("top_customers", lang))
    ax.set_xlabel(tr("value_12m", lang) if hc.clv is not None else tr("spend", lang))
    money_axis(ax, hc.currency, axis="x")
    fig.tight_layout()
    charts["best_customers"] = _png(fig)
    return charts


def workbook_bytes(hc: HealthCheck) -> bytes:
    """Return the Excel workbook an owner downloads.

    Sheets: the Monday list; the segments with their actions; one action
    list per segment (customer ids to contact); the at-risk customers; the
    best customers; the audit (counts per reason) and the lines set aside.

    Parameters
    ----------
    hc : HealthCheck

    Returns
    -------
    bytes
        An ``.xlsx`` file.
    """
    lang = hc.lang
    buf = io.BytesIO()
    cols = ["segment", "segment_label", "recency_days", "frequency", "monetary"]
    if hc.clv is not None:
        cols.append("value_12m")
    cols.append("action")
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        pd.DataFrame({t("monday", lang): hc.monday + ["", hc.model_note]}).to_excel(
            xl, sheet_name="Monday", index=False
        )
        hc.segments.reset_index().to_excel(xl, sheet_name="Segments", index=False)
        at_risk = hc.slipping[cols].rename_axis("customer_id").reset_index()
        at_risk.to_excel(xl, sheet_name="At risk", index=False)
        best = hc.best[cols].rename_axis("customer_id").reset_index()
        best.to_excel(xl, sheet_name="Best customers", index=False)
        for seg in hc.segments.index:
            part = hc.scores.loc[hc.scores["segment"] == seg, cols]
            part = part.sort_values("monetary", ascending=False)
            part.rename_axis("customer_id").reset_index().to_excel(
                xl, sheet_name=f"Segment {seg}"[:31], index=False
            )
        hc.audit.reset_index().to_excel(xl, sheet_name="Audit", index=False)
        q = hc.quarantine.copy()
        for c in q.columns:
            if q[c].dtype == object:
                q[c] = q[c].astype(str)
        q.to_excel(xl, sheet_name="Set aside", index=False)
    return buf.getvalue()
