"""The same customers in two systems: a shop-till (POS) export and an online-shop export.

A small business rarely has one customer database. The till knows the
loyalty-card holders who buy in the shop; the online shop knows the accounts
that buy on the web or in the app. Many people are in both, under two
different ids, typed by different people on different days.
:func:`make_channel_exports` builds that silo from a world **without touching
the world's own random stream**: it takes the world and an independent
``random_state`` and writes

* ``pos_customers`` / ``pos_orders``: ids ``POS-nnnnnn``; names and phones as
  a cashier types them; e-mail often missing;
* ``web_customers`` / ``web_orders``: ids ``Wnnnnnnn``; e-mail always present
  but in the case the customer typed; phone in international or run-together
  form, sometimes missing, sometimes a family member's;
* ``channel_links``: the truth, one row per export record with the world's
  ``customer_id``.

The differences are the ones seen in real exports: name spelling (a space
between surname and given name, an input-method slip that picks a homophone,
an English alias or nickname, a typo), phone formats (``0958-393-320`` vs
``+886 958 393 320`` vs ``0958393320``), e-mail case and typos, and missing
fields. Their rates are module constants below.

Which export an order lands in: in worlds with a ``store`` channel the
world's own order channel decides (store -> POS, everything else -> web).
Elsewhere each customer is drawn to buy in the shop only, online only or in
both (:data:`CHANNEL_MIX`), and a both-channel customer's orders are split
between the two.

Examples
--------
>>> from generators.world import make_world
>>> w = make_world("coffee_shop", 200, random_state=1, progress=False)
>>> ex = make_channel_exports(w, random_state=0)
>>> list(ex)
['pos_customers', 'web_customers', 'pos_orders', 'web_orders', 'channel_links']
>>> ex.pos_customers["pos_id"].str.startswith("POS-").all()
np.True_
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from crm_lessons.datasets import World
from generators._util import check_random_state

__all__ = ["CHANNEL_MIX", "NOISE", "make_channel_exports"]

#: Shop only, online only, both: used when the world has no ``store`` channel.
CHANNEL_MIX = {"pos_only": 0.45, "web_only": 0.30, "both": 0.25}

#: Rates of each kind of difference (per record of the named export).
NOISE = {
    "pos_email_missing": 0.45,  # cashiers rarely ask for an e-mail
    "pos_phone_missing": 0.05,
    "web_phone_missing": 0.15,
    "web_phone_family": 0.03,  # a family member's number on the account
    "name_space": 0.25,  # "李 建宏" / "Dustin  Cantu"
    "name_homophone": 0.08,  # input-method slip in one character
    "name_alias": 0.07,  # English alias or nickname online
    "name_typo": 0.04,  # a swapped or dropped letter
    "email_case": 0.35,  # "LiChu979620@Gmail.com"
    "email_typo": 0.02,
    "phone_typo": 0.02,  # one digit wrong
}

_COUNTRY = {"zh_TW": "886", "en_US": "1", "zh_CN": "86"}

# Common input-method slips: characters that sound alike (one homophone each).
_HOMOPHONES = dict(
    zip(
        "建宏明志偉雅婷怡君華美文玲佳慧俊傑淑芬秀英麗敏靜強軍平",
        "健弘銘智緯亞庭宜均樺媄雯苓家惠峻杰叔紛琇瑛莉閔靖彊君萍",
        strict=True,
    )
)
_HOMOPHONES |= dict(
    zip("建宏明志伟雅婷怡君华美文玲佳慧俊杰淑芬秀英丽敏静强军平涛",
        "健弘铭智玮亚庭宜均桦媄雯苓家惠峻洁叔纷琇瑛莉闵靖彊君萍韬", strict=True)
)  # fmt: skip
# English aliases used on web accounts in Taiwan / mainland China.
_ALIASES = ("Jason", "Kevin", "Vivian", "Amy", "Eric", "Annie", "Jack", "Grace", "Tony", "Iris")
# Romanised surnames (Wade-Giles spellings common in Taiwan, pinyin in mainland China).
_SURNAMES = {
    "陳": "Chen", "林": "Lin", "黃": "Huang", "張": "Chang", "李": "Lee", "王": "Wang",
    "吳": "Wu", "劉": "Liu", "蔡": "Tsai", "楊": "Yang", "许": "Xu",
    "陈": "Chen", "黄": "Huang", "张": "Zhang", "刘": "Liu", "杨": "Yang", "赵": "Zhao",
    "周": "Chou", "徐": "Hsu", "孫": "Sun", "孙": "Sun", "朱": "Chu", "胡": "Hu",
}  # fmt: skip
_NICKNAMES = {
    "William": "Bill", "Robert": "Bob", "Richard": "Rick", "James": "Jim", "John": "Jack",
    "Michael": "Mike", "Elizabeth": "Liz", "Jennifer": "Jen", "Christopher": "Chris",
    "Matthew": "Matt", "Daniel": "Dan", "Joseph": "Joe", "Thomas": "Tom", "Anthony": "Tony",
    "Katherine": "Kate", "Patricia": "Pat", "Samantha": "Sam", "Nicholas": "Nick",
    "Jessica": "Jess", "Stephanie": "Steph", "Jonathan": "Jon", "Benjamin": "Ben",
}  # fmt: skip
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _typo(s: str, rng: np.random.Generator) -> str:
    if len(s) < 3:
        return s
    i = int(rng.integers(0, len(s) - 1))
    if rng.random() < 0.5:
        return s[:i] + s[i + 1] + s[i] + s[i + 2 :]  # swap two letters
    return s[:i] + s[i + 1 :]  # drop one


def _vary_name(name: str, rng: np.random.Generator, u: np.ndarray) -> str:
    """Apply the name differences (``u`` holds four uniform draws)."""
    cjk = bool(_CJK.search(name))
    if u[0] < NOISE["name_alias"]:
        if cjk:
            sur = _SURNAMES.get(name[0])
            if sur is not None:
                return f"{_ALIASES[int(rng.integers(len(_ALIASES)))]} {sur}"
        else:
            first, _, rest = name.partition(" ")
            if first in _NICKNAMES:
                return f"{_NICKNAMES[first]} {rest}"
    if cjk:
        if u[1] < NOISE["name_homophone"]:
            spots = [i for i, ch in enumerate(name) if i > 0 and ch in _HOMOPHONES]
            if spots:
                i = spots[int(rng.integers(len(spots)))]
                name = name[:i] + _HOMOPHONES[name[i]] + name[i + 1 :]
        if u[2] < NOISE["name_space"]:
            name = name[0] + " " + name[1:]
        return name
    if u[1] < NOISE["name_typo"]:
        name = _typo(name, rng)
    if u[2] < NOISE["name_space"]:
        name = name.upper() if rng.random() < 0.3 else name.lower()
    return name


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)


def _phone_format(phone: str, style: str, country: str, rng: np.random.Generator) -> str:
    d = _digits(phone)
    if rng.random() < NOISE["phone_typo"] and len(d) > 4:
        i = int(rng.integers(len(d) - 4, len(d)))
        d = d[:i] + str((int(d[i]) + 1 + int(rng.integers(8))) % 10) + d[i + 1 :]
    if style == "plain":
        return d
    if style == "intl":
        nat = d.lstrip("0")
        cuts = (3, 7) if len(nat) == 11 else (3, 6)  # 3-4-4 in China, 3-3-x elsewhere
        groups = [nat[: cuts[0]], nat[cuts[0] : cuts[1]], nat[cuts[1] :]]
        return f"+{country} " + " ".join(g for g in groups if g)
    return phone  # "as in the CRM"


def _email_variant(email: str, rng: np.random.Generator, u: np.ndarray) -> str:
    if u[0] < NOISE["email_typo"]:
        local, _, dom = email.partition("@")
        email = _typo(local, rng) + "@" + dom
    if u[1] < NOISE["email_case"]:
        local, _, dom = email.partition("@")
        email = local[:1].upper() + local[1:] + "@" + dom[:1].upper() + dom[1:]
    return email


def _ids(prefix: str, n: int, width: int, rng: np.random.Generator) -> np.ndarray:
    nums = rng.choice(10**width - 10 ** (width - 1), size=n, replace=False) + 10 ** (width - 1)
    return np.array([f"{prefix}{x}" for x in nums], dtype=object)


def make_channel_exports(world: Any, *, random_state: Any = None) -> World:
    """Emit the world's buying customers into a POS export and an online-shop export.

    Parameters
    ----------
    world : World
        A generated or committed world (uses ``customers``, ``orders`` and
        ``params["locale"]``). It is not changed.
    random_state : None, int or numpy.random.Generator
        Seed of this function's own random stream.

    Returns
    -------
    World
        Tables ``pos_customers`` (``pos_id, name, phone, email, city,
        birth_year``), ``web_customers`` (``web_id, name, phone, email,
        city``), ``pos_orders`` and ``web_orders`` (``order_id, pos_id`` or
        ``web_id, date, amount``; refunds left out), and ``channel_links``
        (``channel, record_id, customer_id``): the truth.

    Raises
    ------
    ValueError
        If the world lacks the tables or columns used.
    """
    rng = check_random_state(random_state)
    for t in ("customers", "orders"):
        if t not in world:
            raise ValueError(f"world has no {t!r} table; pass a course world")
    cust = world["customers"].set_index("customer_id")
    orders = world["orders"]
    orders = orders[orders["customer_id"].notna() & ~orders["is_return"].astype(bool)]
    country = _COUNTRY.get(world.params.get("locale", "en_US"), "1")
    cids = np.sort(orders["customer_id"].unique().to_numpy(dtype=object))
    if orders["channel"].eq("store").any():
        to_pos = orders["channel"].eq("store").to_numpy()
    else:
        kinds = np.array(list(CHANNEL_MIX))
        kind = pd.Series(
            kinds[rng.choice(len(kinds), size=len(cids), p=list(CHANNEL_MIX.values()))],
            index=cids,
        )
        k = kind.reindex(orders["customer_id"].to_numpy(dtype=object)).to_numpy()
        split = rng.random(len(orders)) < 0.6
        to_pos = (k == "pos_only") | ((k == "both") & split)
    pos_o, web_o = orders[to_pos], orders[~to_pos]
    pos_c = np.sort(pos_o["customer_id"].unique().to_numpy(dtype=object))
    web_c = np.sort(web_o["customer_id"].unique().to_numpy(dtype=object))
    pos_ids = pd.Series(_ids("POS-", len(pos_c), 6, rng), index=pos_c)
    web_ids = pd.Series(_ids("W", len(web_c), 7, rng), index=web_c)

    # POS records: names as typed at the till, phones as in the CRM or run together
    pos_rows = []
    u = rng.random((len(pos_c), 6))
    for i, cid in enumerate(pos_c):
        c = cust.loc[cid]
        phone = None
        if u[i, 0] >= NOISE["pos_phone_missing"]:
            phone = _phone_format(c["phone"], "plain" if u[i, 1] < 0.5 else "crm", country, rng)
        email = None if u[i, 2] < NOISE["pos_email_missing"] else str(c["email"]).lower()
        name = _vary_name(str(c["name"]), rng, np.array([1.0, u[i, 3], u[i, 4], 1.0]))
        pos_rows.append((pos_ids[cid], name, phone, email, c["city"], c["birth_year"]))
    pos_customers = pd.DataFrame(
        pos_rows, columns=["pos_id", "name", "phone", "email", "city", "birth_year"]
    )

    # web records: e-mail as the customer typed it, international phone, aliases
    web_rows = []
    u = rng.random((len(web_c), 9))
    all_phones = cust["phone"].to_numpy(dtype=object)
    for i, cid in enumerate(web_c):
        c = cust.loc[cid]
        phone = None
        if u[i, 0] >= NOISE["web_phone_missing"]:
            src = c["phone"]
            if u[i, 1] < NOISE["web_phone_family"]:
                src = all_phones[int(rng.integers(len(all_phones)))]
            phone = _phone_format(src, "intl" if u[i, 2] < 0.6 else "plain", country, rng)
        email = _email_variant(str(c["email"]), rng, u[i, 3:5])
        name = _vary_name(str(c["name"]), rng, u[i, 5:9])
        web_rows.append((web_ids[cid], name, phone, email, c["city"]))
    web_customers = pd.DataFrame(web_rows, columns=["web_id", "name", "phone", "email", "city"])

    def _orders(o: pd.DataFrame, ids: pd.Series, col: str) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "order_id": o["order_id"].to_numpy(),
                col: pd.array(
                    ids.reindex(o["customer_id"].to_numpy(dtype=object)), dtype="string"
                ),
                "date": o["date"].to_numpy(),
                "amount": o["amount"].to_numpy(dtype="float64"),
            }
        )

    links = pd.concat(
        [
            pd.DataFrame({"channel": "pos", "record_id": pos_ids.values, "customer_id": pos_c}),
            pd.DataFrame({"channel": "web", "record_id": web_ids.values, "customer_id": web_c}),
        ],
        ignore_index=True,
    )
    tables = {
        "pos_customers": pos_customers,
        "web_customers": web_customers,
        "pos_orders": _orders(pos_o, pos_ids, "pos_id"),
        "web_orders": _orders(web_o, web_ids, "web_id"),
        "channel_links": links,
    }
    for df in tables.values():
        for col in df.columns:
            if df[col].dtype == object:
                df[col] = df[col].astype("string")
    tables["pos_customers"]["birth_year"] = tables["pos_customers"]["birth_year"].astype("Int64")
    return World(tables, {"noise": NOISE, "channel_mix": CHANNEL_MIX, "country_code": country})
