"""One customer across channels: identity resolution between two customer lists.

The till (POS) and the online shop each keep their own customer list with
their own ids. Before a business can see one customer, it must decide which
records are the same person. :func:`match_customers` does it the way CRM
systems do:

1. **Deterministic rules first.** The same e-mail address after
   normalisation (trimmed, lower case) links two records; so does the same
   phone number (its last 9 digits, so ``0958-393-320``, ``0958393320`` and
   ``+886 958 393 320`` agree) when the names do not contradict it (name
   similarity at least ``min_name_for_phone``), because families share
   numbers. A rule only fires when the key is unique on both sides.
2. **A scored match for the rest.** Candidate pairs come from cheap
   "blocks" (same last four phone digits, same start of the e-mail, same
   surname initial and city); each pair gets a score in [0, 1], a weighted
   mean of name similarity (Jaro-Winkler), phone similarity (share of equal
   digits), e-mail similarity and same city (a field one record lacks counts as 0.5, neither for nor against).
   Pairs at or above ``threshold`` are linked, best first, each record
   at most once.

:func:`match_quality` compares the links with the truth (precision: share of
links that are right; recall: share of true pairs found), and
:func:`threshold_table` shows how both move with the threshold: the choice a
business has to defend. :func:`unify_orders` relabels the two order lists
with one id per linked person, so RFM and CLV can be computed on people
instead of records.

Taught in lesson 13 (*Inside a CRM system*).

Examples
--------
>>> normalize_phone("+886 958 393 320") == normalize_phone("0958-393-320")
True
>>> normalize_email("  LiChu979620@Gmail.com ")
'lichu979620@gmail.com'
>>> round(name_similarity("Dustin Cantu", "dustin cantu"), 3)
1.0
>>> round(name_similarity("MARTHA", "MARHTA"), 4)
0.9611
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

from crm_lessons._checks import require_columns, require_dataframe

__all__ = [
    "WEIGHTS",
    "match_customers",
    "match_quality",
    "name_similarity",
    "normalize_email",
    "normalize_name",
    "normalize_phone",
    "threshold_table",
    "true_pairs",
    "unify_orders",
]

#: Weights of the score's parts.
WEIGHTS = {"name": 0.35, "phone": 0.30, "email": 0.25, "city": 0.10}
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _missing(x: Any) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and np.isnan(x))


def normalize_phone(phone: Any, *, digits: int = 9) -> str | None:
    """The last ``digits`` digits of a phone number, or None when it has fewer.

    Examples
    --------
    >>> normalize_phone("(553) 547-3336"), normalize_phone("+1 553 547 3336")
    ('535473336', '535473336')
    >>> normalize_phone("12") is None
    True
    """
    if _missing(phone):
        return None
    d = re.sub(r"\D", "", str(phone))
    return d[-digits:] if len(d) >= digits else None


def normalize_email(email: Any) -> str | None:
    """Trimmed, lower-case e-mail address (None when missing or without '@')."""
    if _missing(email):
        return None
    e = str(email).strip().lower()
    return e if "@" in e else None


def normalize_name(name: Any) -> str | None:
    """Name in Unicode NFKC form, lower case, without spaces, dots or hyphens.

    Examples
    --------
    >>> normalize_name("黃 恩碩"), normalize_name("Mary-Ann  O.Neil")
    ('黃恩碩', 'maryannoneil')
    """
    if _missing(name):
        return None
    n = unicodedata.normalize("NFKC", str(name)).lower()
    return re.sub(r"[\s.\-'·]", "", n) or None


def _jaro(a: str, b: str) -> float:
    if a == b:
        return 1.0
    la, lb = len(a), len(b)
    if not la or not lb:
        return 0.0
    window = max(max(la, lb) // 2 - 1, 0)
    ma, mb = [False] * la, [False] * lb
    m = 0
    for i, ch in enumerate(a):
        for j in range(max(0, i - window), min(lb, i + window + 1)):
            if not mb[j] and b[j] == ch:
                ma[i] = mb[j] = True
                m += 1
                break
    if not m:
        return 0.0
    sa = [a[i] for i in range(la) if ma[i]]
    sb = [b[j] for j in range(lb) if mb[j]]
    t = sum(x != y for x, y in zip(sa, sb, strict=True)) / 2
    return (m / la + m / lb + (m - t) / m) / 3


def name_similarity(a: Any, b: Any) -> float:
    """Jaro-Winkler similarity of two normalised names (0 to 1).

    Examples
    --------
    >>> name_similarity("李建宏", "李健宏") > 0.7 > name_similarity("李建宏", "王美華")
    True
    """
    x, y = normalize_name(a), normalize_name(b)
    if x is None or y is None:
        return float("nan")
    j = _jaro(x, y)
    prefix = 0
    for c1, c2 in zip(x[:4], y[:4], strict=False):
        if c1 != c2:
            break
        prefix += 1
    return j + prefix * 0.1 * (1 - j)


def _phone_similarity(a: str | None, b: str | None) -> float:
    if a is None or b is None:
        return float("nan")
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def _email_similarity(a: str | None, b: str | None) -> float:
    if a is None or b is None:
        return float("nan")
    return _jaro(a, b)


def _prep(df: pd.DataFrame, id_col: str, cols: dict[str, str]) -> pd.DataFrame:
    names = [normalize_name(x) for x in df[cols["name"]]]
    phones = [normalize_phone(x) for x in df[cols["phone"]]]
    emails = [normalize_email(x) for x in df[cols["email"]]]
    cities = [None if _missing(x) else str(x) for x in df[cols["city"]]]
    data = {
        "id": [str(x) for x in df[id_col]],
        "name": names,
        "phone": phones,
        "email": emails,
        "city": cities,
        "b_phone": [p[-4:] if p else None for p in phones],
        "b_email": [e.split("@")[0][:5] if e else None for e in emails],
        "b_name": [
            (n[0] if _CJK.match(n) else n[:2]) + "|" + str(c) if n else None
            for n, c in zip(names, cities, strict=True)
        ],
    }
    return pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in data.items()})


def _unique_key_links(left: pd.DataFrame, right: pd.DataFrame, key: str) -> pd.DataFrame:
    lk = left.dropna(subset=[key])
    rk = right.dropna(subset=[key])
    lk = lk[~lk[key].duplicated(keep=False)]
    rk = rk[~rk[key].duplicated(keep=False)]
    return lk.merge(rk, on=key, suffixes=("_l", "_r"))


def _score(pairs: pd.DataFrame) -> pd.DataFrame:
    parts = {
        "name": [
            name_similarity(a, b) for a, b in zip(pairs["name_l"], pairs["name_r"], strict=True)
        ],
        "phone": [
            _phone_similarity(a, b)
            for a, b in zip(pairs["phone_l"], pairs["phone_r"], strict=True)
        ],
        "email": [
            _email_similarity(a, b)
            for a, b in zip(pairs["email_l"], pairs["email_r"], strict=True)
        ],
        "city": [
            float("nan") if _missing(a) or _missing(b) else float(a == b)
            for a, b in zip(pairs["city_l"], pairs["city_r"], strict=True)
        ],
    }
    sims = pd.DataFrame({f"sim_{k}": np.asarray(v, dtype=float) for k, v in parts.items()})
    w = np.array([WEIGHTS[k] for k in parts])
    # a field one record lacks is neutral evidence (0.5): a pair that agrees on
    # name and city alone must not look as sure as one that shares a phone
    vals = np.nan_to_num(sims.to_numpy(), nan=0.5)
    score = (vals * w).sum(axis=1) / w.sum()
    return sims.assign(score=score)


def match_customers(
    left: pd.DataFrame,
    right: pd.DataFrame,
    *,
    left_id: str = "pos_id",
    right_id: str = "web_id",
    threshold: float = 0.75,
    min_name_for_phone: float = 0.7,
    name: str = "name",
    phone: str = "phone",
    email: str = "email",
    city: str = "city",
) -> pd.DataFrame:
    """Link the records of two customer lists that are the same person.

    Parameters
    ----------
    left, right : pandas.DataFrame
        The two lists (e.g. the POS and the online-shop customers).
    left_id, right_id : str
        Id columns.
    threshold : float, default 0.75
        Lowest score for a scored link (0 to 1).
    min_name_for_phone : float, default 0.7
        Name similarity a phone-number link needs (families share numbers).
    name, phone, email, city : str
        Column names (present in both lists).

    Returns
    -------
    pandas.DataFrame
        One row per link: ``left_id, right_id`` (named as given), ``rule``
        (``"email"``, ``"phone+name"`` or ``"score"``) and ``score``.
        ``attrs["candidates"]`` holds every scored candidate pair (for
        :func:`threshold_table`).

    Raises
    ------
    ValueError
        If a column is missing or ``threshold`` is not in [0, 1].

    Examples
    --------
    >>> pos = pd.DataFrame({"pos_id": ["P1", "P2"], "name": ["Ann Lee", "Bo Chan"],
    ...     "phone": ["0911-222-333", None], "email": [None, "bo@x.com"], "city": ["A", "B"]})
    >>> web = pd.DataFrame({"web_id": ["W1", "W2"], "name": ["ann lee", "Bo Chen"],
    ...     "phone": ["+886 911 222 333", "0922000111"], "email": ["ann@y.com", "Bo@X.com"],
    ...     "city": ["A", "B"]})
    >>> match_customers(pos, web)[["pos_id", "web_id", "rule"]]
      pos_id web_id        rule
    0     P2     W2       email
    1     P1     W1  phone+name
    """
    cols = {"name": name, "phone": phone, "email": email, "city": city}
    require_dataframe(left, "left")
    require_dataframe(right, "right")
    require_columns(left, [left_id, *cols.values()], "left")
    require_columns(right, [right_id, *cols.values()], "right")
    if not 0.0 <= float(threshold) <= 1.0:
        raise ValueError(f"threshold={threshold!r} is not valid; use a number in [0, 1]")
    lp, rp = _prep(left, left_id, cols), _prep(right, right_id, cols)
    links = []
    e = _unique_key_links(lp, rp, "email")
    links.append(pd.DataFrame({"l": e["id_l"], "r": e["id_r"], "rule": "email", "score": 1.0}))
    used_l, used_r = set(e["id_l"]), set(e["id_r"])
    lp2, rp2 = lp[~lp["id"].isin(used_l)], rp[~rp["id"].isin(used_r)]
    ph = _unique_key_links(lp2, rp2, "phone")
    ns = np.array(
        [name_similarity(a, b) for a, b in zip(ph["name_l"], ph["name_r"], strict=True)],
        dtype=float,
    )
    ph = ph[np.nan_to_num(ns, nan=1.0) >= min_name_for_phone]
    links.append(
        pd.DataFrame({"l": ph["id_l"], "r": ph["id_r"], "rule": "phone+name", "score": 1.0})
    )
    used_l |= set(ph["id_l"])
    used_r |= set(ph["id_r"])
    lp3, rp3 = lp[~lp["id"].isin(used_l)], rp[~rp["id"].isin(used_r)]
    blocks = [
        lp3.dropna(subset=[b]).merge(rp3.dropna(subset=[b]), on=b, suffixes=("_l", "_r"))
        for b in ("b_phone", "b_email", "b_name")
    ]
    keep = ["id_l", "id_r", "name_l", "name_r", "phone_l", "phone_r", "email_l", "email_r",
            "city_l", "city_r"]  # fmt: skip
    cand = pd.concat([b[keep] for b in blocks], ignore_index=True)
    cand = cand.drop_duplicates(subset=["id_l", "id_r"]).reset_index(drop=True)
    scored = pd.concat([cand[["id_l", "id_r"]], _score(cand)], axis=1)
    scored = scored.sort_values(["score", "id_l", "id_r"], ascending=[False, True, True])
    chosen, taken_l, taken_r = [], set(), set()
    for row in scored.itertuples(index=False):
        if row.score < threshold:
            break
        if row.id_l in taken_l or row.id_r in taken_r:
            continue
        taken_l.add(row.id_l)
        taken_r.add(row.id_r)
        chosen.append((row.id_l, row.id_r, "score", float(row.score)))
    links.append(pd.DataFrame(chosen, columns=["l", "r", "rule", "score"]))
    out = pd.concat(links, ignore_index=True).rename(columns={"l": left_id, "r": right_id})
    out[left_id] = out[left_id].astype("string")
    out[right_id] = out[right_id].astype("string")
    out["rule"] = out["rule"].astype("string")
    det = out[out["rule"] != "score"].reset_index(drop=True)
    out.attrs["candidates"] = scored.rename(
        columns={"id_l": left_id, "id_r": right_id}
    ).reset_index(drop=True)
    out.attrs["deterministic"] = det
    return out


def true_pairs(
    links: pd.DataFrame, *, left: str = "pos", right: str = "web", left_id: str = "pos_id",
    right_id: str = "web_id",
) -> pd.DataFrame:  # fmt: skip
    """The true record pairs from a truth table (``channel, record_id, customer_id``).

    Returns
    -------
    pandas.DataFrame
        Columns ``left_id, right_id, customer_id`` (named as given).
    """
    require_columns(links, ["channel", "record_id", "customer_id"], "links")
    a = links[links["channel"] == left].rename(columns={"record_id": left_id})
    b = links[links["channel"] == right].rename(columns={"record_id": right_id})
    return a[[left_id, "customer_id"]].merge(b[[right_id, "customer_id"]], on="customer_id")[
        [left_id, right_id, "customer_id"]
    ]


def match_quality(
    links: pd.DataFrame, truth: pd.DataFrame, *, left_id: str = "pos_id", right_id: str = "web_id"
) -> dict[str, float]:
    """Precision, recall and F1 of predicted links against the true pairs.

    Parameters
    ----------
    links : pandas.DataFrame
        Predicted pairs (``left_id, right_id``).
    truth : pandas.DataFrame
        True pairs (``left_id, right_id``), e.g. from :func:`true_pairs`.
    left_id, right_id : str
        Column names.

    Returns
    -------
    dict
        ``precision, recall, f1, true_links, wrong_merges, missed_merges, n_links, n_true``.

    Examples
    --------
    >>> t = pd.DataFrame({"pos_id": ["P1", "P2", "P3"], "web_id": ["W1", "W2", "W3"]})
    >>> p = pd.DataFrame({"pos_id": ["P1", "P2"], "web_id": ["W1", "W3"]})
    >>> q = match_quality(p, t)
    >>> q["precision"], round(q["recall"], 3), q["wrong_merges"], q["missed_merges"]
    (0.5, 0.333, 1, 2)
    """
    pred = set(zip(links[left_id].astype(str), links[right_id].astype(str), strict=True))
    true = set(zip(truth[left_id].astype(str), truth[right_id].astype(str), strict=True))
    tp = len(pred & true)
    precision = tp / len(pred) if pred else float("nan")
    recall = tp / len(true) if true else float("nan")
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "true_links": tp,
        "wrong_merges": len(pred - true),
        "missed_merges": len(true - pred),
        "n_links": len(pred),
        "n_true": len(true),
    }


def threshold_table(
    links: pd.DataFrame,
    truth: pd.DataFrame,
    thresholds: Any = (0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95),
    *,
    left_id: str = "pos_id",
    right_id: str = "web_id",
) -> pd.DataFrame:
    """Precision and recall of the matching at several score thresholds.

    Re-runs only the one-to-one scored step on ``links.attrs["candidates"]``
    (the deterministic links stay), so it is fast.

    Parameters
    ----------
    links : pandas.DataFrame
        Output of :func:`match_customers`.
    truth : pandas.DataFrame
        True pairs.
    thresholds : sequence of float
        Thresholds to try.
    left_id, right_id : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Index ``threshold``; columns of :func:`match_quality`.
    """
    cand = links.attrs.get("candidates")
    det = links.attrs.get("deterministic")
    if cand is None or det is None:
        raise ValueError("links has no attrs['candidates']; pass the output of match_customers")
    rows = {}
    for th in thresholds:
        chosen, tl, tr = [], set(), set()
        for a, b, s in zip(cand[left_id], cand[right_id], cand["score"], strict=True):
            if s < th:
                break
            if a in tl or b in tr:
                continue
            tl.add(a)
            tr.add(b)
            chosen.append((a, b))
        pred = pd.concat(
            [det[[left_id, right_id]], pd.DataFrame(chosen, columns=[left_id, right_id])],
            ignore_index=True,
        )
        rows[float(th)] = match_quality(pred, truth, left_id=left_id, right_id=right_id)
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "threshold"
    return out


def unify_orders(
    left_orders: pd.DataFrame,
    right_orders: pd.DataFrame,
    links: pd.DataFrame | None,
    *,
    left_id: str = "pos_id",
    right_id: str = "web_id",
) -> pd.DataFrame:
    """Both order lists with one ``customer_id`` per person as the links see it.

    A right record linked to a left record takes the left id; unlinked
    records keep their own. ``links=None`` gives the silo: every record is
    its own customer.

    Returns
    -------
    pandas.DataFrame
        ``customer_id, date, amount`` (and ``order_id`` when present), ready
        for :func:`crm_lessons.rfm.rfm_table`.

    Examples
    --------
    >>> lo = pd.DataFrame({"pos_id": ["P1"], "date": pd.to_datetime(["2024-01-02"]), "amount": [5.0]})
    >>> ro = pd.DataFrame({"web_id": ["W1", "W2"], "date": pd.to_datetime(["2024-01-03"] * 2),
    ...                    "amount": [7.0, 1.0]})
    >>> unify_orders(lo, ro, pd.DataFrame({"pos_id": ["P1"], "web_id": ["W1"]}))["customer_id"].tolist()
    ['P1', 'P1', 'W2']
    """
    require_columns(left_orders, [left_id, "date", "amount"], "left_orders")
    require_columns(right_orders, [right_id, "date", "amount"], "right_orders")
    mapping = (
        {}
        if links is None
        else dict(zip(links[right_id].astype(str), links[left_id].astype(str), strict=True))
    )
    a = left_orders.rename(columns={left_id: "customer_id"})
    b = right_orders.rename(columns={right_id: "customer_id"}).copy()
    b["customer_id"] = [mapping.get(str(x), str(x)) for x in b["customer_id"]]
    cols = [c for c in ("customer_id", "order_id", "date", "amount") if c in a.columns]
    out = pd.concat([a[cols], b[cols]], ignore_index=True)
    out["customer_id"] = out["customer_id"].astype("string")
    return out
