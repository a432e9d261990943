"""Share customer analyses without sharing who the customers are.

:func:`pseudonymize` replaces names, phone numbers, e-mail addresses and ids
with stable keyed hashes (HMAC-SHA256 with a secret ``salt``, truncated and
prefixed): the same person gets the same token in every table and every run
with the same salt, so joins and counts still work, but nobody without the salt
can recompute a token from a guessed phone number. Values are normalised first
(e-mail lower-cased, phone reduced to its digits, name case and spaces
ignored), so ``"Amy@Mail.com "`` and ``"amy@mail.com"`` get one token.

This is *pseudonymisation* (假名化), not anonymisation (匿名化): with the salt
the mapping can be rebuilt, and rare combinations of the remaining columns
(birth year + district + gender) may still identify a person. Keep the salt
secret and out of the repository, and drop what the analysis does not need.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"name": ["王小明", "Amy Lin"], "email": ["A@x.tw", None]})
>>> out = pseudonymize(df, columns=["name", "email"], salt="keep-me-secret")
>>> out["name"].str.startswith("NAME-").all(), out["email"].isna().tolist()
(np.True_, [False, True])
>>> out.loc[0, "email"] == pseudonymize(
...     pd.DataFrame({"email": [" a@X.TW"]}), columns=["email"], salt="keep-me-secret"
... ).loc[0, "email"]
True
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence

import pandas as pd

__all__ = ["KINDS", "guess_pii_columns", "pseudonym", "pseudonymize"]

#: Kinds of personal data and the prefix their tokens get.
KINDS = {"name": "NAME-", "phone": "PHONE-", "email": "EMAIL-", "id": "ID-", "text": "PII-"}

_NAME_HINTS = {
    "email": ("email", "e-mail", "mail", "郵件", "邮件", "信箱", "邮箱"),
    "phone": ("phone", "mobile", "tel", "cell", "電話", "电话", "手機", "手机"),
    "name": ("name", "姓名", "名字", "客戶名", "客户名"),
    "id": ("id", "編號", "编号", "會員", "会员", "card", "卡號", "卡号"),
}
_EMAIL_RE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
_PHONE_RE = r"^\+?[\d\s\-()]{7,}$"


def _normalise(value: str, kind: str) -> str:
    v = str(value).strip()
    if kind == "email":
        return v.lower()
    if kind == "phone":
        digits = re.sub(r"\D", "", v)
        return ("+" if v.startswith("+") else "") + digits
    if kind == "name":
        return " ".join(v.casefold().split())
    return v


def pseudonym(value: str, *, salt: str | bytes, kind: str = "text", length: int = 12) -> str:
    """Return the token for one value.

    Parameters
    ----------
    value : str
        The value to hide.
    salt : str or bytes
        Secret key; the same salt gives the same token.
    kind : {"name", "phone", "email", "id", "text"}, default "text"
        How to normalise the value and which prefix to use (:data:`KINDS`).
    length : int, default 12
        Hex characters kept from the HMAC-SHA256 digest (4 to 64).

    Returns
    -------
    str

    Examples
    --------
    >>> pseudonym("0912-345-678", salt="s", kind="phone")
    'PHONE-d1c578a086ff'
    >>> pseudonym("0912345678", salt="s", kind="phone")
    'PHONE-d1c578a086ff'
    """
    key = _check_salt(salt)
    if kind not in KINDS:
        raise ValueError(f"kind={kind!r} is not valid; use one of {', '.join(KINDS)}")
    if not 4 <= length <= 64:
        raise ValueError(f"length={length!r} is not valid; use 4 to 64 hex characters")
    msg = f"{kind}\x1f{_normalise(value, kind)}".encode()
    return KINDS[kind] + hmac.new(key, msg, hashlib.sha256).hexdigest()[:length]


def _check_salt(salt: str | bytes) -> bytes:
    if isinstance(salt, str):
        salt = salt.encode("utf-8")
    if not isinstance(salt, bytes) or len(salt) == 0:
        raise ValueError(
            "salt must be a non-empty secret str or bytes (keep it out of the repository)"
        )
    return salt


def guess_pii_columns(df: pd.DataFrame) -> dict[str, str]:
    """Guess which columns hold personal data, and of which kind.

    A column is flagged by its name (``email``, ``phone``, ``name``, ``電話``,
    ``姓名`` ...) or, for text columns, when most values look like e-mail
    addresses or phone numbers.

    Parameters
    ----------
    df : pandas.DataFrame

    Returns
    -------
    dict of str to str
        Column name to kind (see :data:`KINDS`).

    Examples
    --------
    >>> df = pd.DataFrame({"customer_id": ["C1"], "姓名": ["王小明"], "contact": ["a@b.tw"],
    ...                    "city": ["台北市"]})
    >>> guess_pii_columns(df)
    {'customer_id': 'id', '姓名': 'name', 'contact': 'email'}
    """
    found: dict[str, str] = {}
    for col in df.columns:
        low = str(col).lower()
        for kind in ("email", "phone", "name", "id"):
            hints = _NAME_HINTS[kind]
            if kind == "id":
                hit = (
                    low == "id" or low.endswith(("_id", " id")) or any(h in low for h in hints[1:])
                )
            else:
                hit = any(h in low for h in hints)
            if hit and not (kind == "name" and low in ("product_name", "campaign_name")):
                found[str(col)] = kind
                break
        else:
            s = df[col].dropna()
            if len(s) and (s.dtype == object or pd.api.types.is_string_dtype(s.dtype)):
                s = s.astype(str).head(200)
                if s.str.match(_EMAIL_RE).mean() > 0.8:
                    found[str(col)] = "email"
                elif s.str.match(_PHONE_RE).mean() > 0.8:
                    found[str(col)] = "phone"
    return found


def pseudonymize(
    df: pd.DataFrame,
    *,
    columns: Sequence[str] | Mapping[str, str] | None = None,
    salt: str | bytes,
    length: int = 12,
) -> pd.DataFrame:
    """Replace personal data with stable keyed hashes.

    Parameters
    ----------
    df : pandas.DataFrame
        The table; it is not changed.
    columns : sequence of str or mapping of str to str, optional
        Columns to replace. A mapping gives each column's kind (``"name"``,
        ``"phone"``, ``"email"``, ``"id"``, ``"text"``); with a list the kind
        is guessed from the column's name and values (:func:`guess_pii_columns`,
        ``"text"`` if no guess). Default: every column
        :func:`guess_pii_columns` flags.
    salt : str or bytes
        Secret key. Use the same salt for every table you want to join.
    length : int, default 12
        Hex characters of the digest kept in each token.

    Returns
    -------
    pandas.DataFrame
        A copy with those columns replaced by tokens (string dtype); missing
        values stay missing.

    Examples
    --------
    >>> df = pd.DataFrame({"customer_id": ["C1", "C2", "C1"], "spend": [10, 20, 30]})
    >>> out = pseudonymize(df, columns={"customer_id": "id"}, salt="s")
    >>> out["customer_id"].nunique(), out["spend"].tolist()
    (2, [10, 20, 30])
    >>> out["customer_id"].iloc[0] == out["customer_id"].iloc[2]
    True
    """
    _check_salt(salt)
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a pandas DataFrame, not {type(df).__name__}")
    if columns is None:
        kinds = guess_pii_columns(df)
    elif isinstance(columns, Mapping):
        kinds = dict(columns)
    else:
        if isinstance(columns, str):
            columns = [columns]
        guessed = guess_pii_columns(df[[c for c in columns if c in df.columns]])
        kinds = {c: guessed.get(c, "text") for c in columns}
    missing = [c for c in kinds if c not in df.columns]
    if missing:
        raise ValueError(
            f"columns={missing!r} not in the table; columns are: {', '.join(map(str, df.columns))}"
        )
    bad = {c: k for c, k in kinds.items() if k not in KINDS}
    if bad:
        raise ValueError(f"unknown kind(s) {bad!r}; valid kinds: {', '.join(KINDS)}")
    out = df.copy()
    for col, kind in kinds.items():
        s = df[col]
        codes, uniques = pd.factorize(s)  # hash each distinct value once
        tokens = [pseudonym(str(u), salt=salt, kind=kind, length=length) for u in uniques]
        values = pd.array([tokens[c] if c >= 0 else pd.NA for c in codes], dtype="string")
        out[col] = pd.Series(values, index=df.index)
    return out
