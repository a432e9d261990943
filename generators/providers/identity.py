"""Who the customers are: names, gender, birth year, city, district, phone, e-mail.

Faker makes only a few thousand full identities per second, so it is never
called per customer. A seeded Faker instance fills small *pools* (first names
by gender, family names, user names, company names) once per world; customers
then draw from the pools with the world's numpy generator. Phone numbers are
drawn digit by digit in each locale's format; e-mails are a Faker user name
plus a random number at a provider common in the locale.

City and district tables are plain dicts; the weights are rough population
shares (rounded from the 2020 censuses), which is all a course needs.

Examples
--------
>>> import numpy as np
>>> ids = make_identities(3, locale="en_US", random_state=np.random.default_rng(0))
>>> ids.columns.tolist()
['name', 'gender', 'birth_year', 'city', 'district', 'phone', 'email']
>>> len(ids), ids["email"].str.contains("@").all()
(3, np.True_)
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from faker import Faker

from generators._util import check_random_state, id_strings, join_strings, take_strings

__all__ = ["CITIES", "EMAIL_DOMAINS", "FakerPools", "make_identities", "make_company_names"]

#: city -> (weight, districts). Weights ~ population share among the listed cities.
CITIES: dict[str, dict[str, tuple[float, tuple[str, ...]]]] = {
    # A Taipei coffee shop: most card holders live or work in Taipei City.
    "taipei": {
        "台北市": (
            0.70,
            (
                "大安區",
                "信義區",
                "中山區",
                "松山區",
                "中正區",
                "內湖區",
                "士林區",
                "萬華區",
                "文山區",
                "北投區",
                "南港區",
                "大同區",
            ),
        ),
        "新北市": (0.25, ("板橋區", "中和區", "永和區", "新店區", "三重區", "新莊區")),
        "桃園市": (0.05, ("桃園區", "中壢區")),
    },
    # A national web shop: the ten largest US metros, boroughs / neighbourhoods.
    "us": {
        "New York": (0.25, ("Manhattan", "Brooklyn", "Queens", "Bronx", "Staten Island")),
        "Los Angeles": (0.16, ("Downtown", "Hollywood", "Venice", "Westwood", "Koreatown")),
        "Chicago": (0.12, ("Loop", "Lincoln Park", "Hyde Park", "Wicker Park")),
        "Houston": (0.09, ("Midtown", "Montrose", "Heights", "Galleria")),
        "Phoenix": (0.07, ("Downtown", "Arcadia", "Ahwatukee")),
        "Philadelphia": (0.08, ("Center City", "Fishtown", "University City")),
        "San Antonio": (0.06, ("Downtown", "Alamo Heights", "Stone Oak")),
        "San Diego": (0.06, ("Gaslamp", "La Jolla", "North Park")),
        "Dallas": (0.06, ("Uptown", "Deep Ellum", "Oak Lawn")),
        "Austin": (0.05, ("Downtown", "South Congress", "Hyde Park")),
    },
    # A brand selling across China through its mini programme: tier-1 and tier-2 cities.
    "china": {
        "上海市": (0.22, ("浦东新区", "徐汇区", "静安区", "黄浦区", "长宁区", "闵行区")),
        "北京市": (0.20, ("朝阳区", "海淀区", "东城区", "西城区", "丰台区")),
        "广州市": (0.15, ("天河区", "越秀区", "海珠区", "白云区")),
        "深圳市": (0.15, ("南山区", "福田区", "罗湖区", "宝安区")),
        "杭州市": (0.10, ("西湖区", "上城区", "拱墅区", "滨江区")),
        "成都市": (0.10, ("锦江区", "武侯区", "青羊区", "高新区")),
        "武汉市": (0.08, ("江汉区", "武昌区", "洪山区")),
    },
}

#: Free e-mail providers people actually use in each locale.
EMAIL_DOMAINS = {
    "en_US": {"gmail.com": 0.55, "yahoo.com": 0.15, "outlook.com": 0.15, "icloud.com": 0.15},
    "zh_TW": {"gmail.com": 0.55, "yahoo.com.tw": 0.25, "hotmail.com": 0.12, "msa.hinet.net": 0.08},
    "zh_CN": {
        "qq.com": 0.45,
        "163.com": 0.25,
        "126.com": 0.12,
        "sina.com": 0.08,
        "outlook.com": 0.10,
    },
}

_POOL_SIZE = 400  # distinct values per field; first x last names give ~160,000 full names


class FakerPools:
    """Pools of Faker values for one locale, filled once from a seeded Faker.

    Parameters
    ----------
    locale : str
        Faker locale (``en_US``, ``zh_TW``, ``zh_CN``).
    seed : int
        Seed for the Faker instance (derive it from the world's generator).
    size : int
        Values drawn per pool.
    """

    def __init__(self, locale: str, seed: int, size: int = _POOL_SIZE) -> None:
        fake = _faker(locale)
        fake.seed_instance(int(seed))
        self.locale = locale
        self.first_female = np.array([fake.first_name_female() for _ in range(size)])
        self.first_male = np.array([fake.first_name_male() for _ in range(size)])
        self.first_any = np.concatenate(
            [self.first_female[: size // 2], self.first_male[: size // 2]]
        )
        self.last = np.array([fake.last_name() for _ in range(size)])
        # ASCII user names (Faker romanises Chinese names for user names)
        self.user = np.array([_ascii(fake.user_name()) for _ in range(size)])
        self._fake = fake

    def companies(self, n: int) -> np.ndarray:
        """Return ``n`` company names (pool of at most a few hundred, called only for B2B)."""
        return np.array([self._fake.company() for _ in range(n)])


def _ascii(s: str) -> str:
    out = "".join(ch for ch in s.lower() if ch.isascii() and (ch.isalnum() or ch in "._"))
    return out or "user"


def _padded(rng: np.random.Generator, n: int, k: int) -> pd.Series:
    """``n`` strings of ``k`` random digits."""
    return id_strings("", rng.integers(0, 10**k, size=n) - 1, k)


def _phones(locale: str, n: int, rng: np.random.Generator) -> pd.Series:
    if locale == "zh_TW":  # mobile 09xx-xxx-xxx
        return join_strings(
            "09", _padded(rng, n, 2), "-", _padded(rng, n, 3), "-", _padded(rng, n, 3)
        )
    if locale == "zh_CN":  # mobile 1[3-9]x xxxx xxxx
        head = id_strings("1", rng.integers(30, 100, size=n) - 1, 2)
        return join_strings(head, " ", _padded(rng, n, 4), " ", _padded(rng, n, 4))
    # en_US: (AAA) XXX-XXXX with area code 201-989
    area = id_strings("", rng.integers(201, 990, size=n) - 1, 3)
    return join_strings("(", area, ") ", _padded(rng, n, 3), "-", _padded(rng, n, 4))


def _choice(rng: np.random.Generator, table: dict[str, float], n: int) -> np.ndarray:
    """Indices into ``list(table)`` drawn with the table's weights."""
    w = np.array(list(table.values()), dtype=float)
    return rng.choice(len(w), size=n, p=w / w.sum())


@lru_cache(maxsize=8)
def _faker(locale: str) -> Faker:
    return Faker(locale)  # building a Faker is slow; it is re-seeded before every use


def make_identities(
    n_customers: int,
    *,
    locale: str = "en_US",
    cities: str = "us",
    gender_weights: dict[str, float] | None = None,
    age_mean: float = 35.0,
    age_sd: float = 12.0,
    ref_year: int = 2024,
    pools: FakerPools | None = None,
    random_state: Any = None,
) -> pd.DataFrame:
    r"""Draw ``n_customers`` synthetic identities in ``locale``.

    Parameters
    ----------
    n_customers : int
        Number of identities.
    locale : {"en_US", "zh_TW", "zh_CN"}
        Language and formats of names, phones and e-mail domains.
    cities : {"taipei", "us", "china"}
        Key of :data:`CITIES`.
    gender_weights : dict, optional
        Share of ``"F"``, ``"M"`` and ``"X"``.
    age_mean, age_sd : float
        Age distribution (clipped to 18-80) in ``ref_year``.
    ref_year : int
        Year in which ages are measured.
    pools : FakerPools, optional
        Pre-filled pools; made from ``random_state`` when omitted.
    random_state : None, int or numpy.random.Generator
        Randomness.

    Returns
    -------
    pandas.DataFrame
        Columns ``name, gender, birth_year, city, district, phone, email``.

    Examples
    --------
    >>> ids = make_identities(2, locale="zh_TW", cities="taipei", random_state=1)
    >>> ids["phone"].str.match(r"09\d\d-\d{3}-\d{3}$").all()
    np.True_
    """
    rng = check_random_state(random_state)
    if pools is None:
        pools = FakerPools(locale, int(rng.integers(2**31)))
    n = int(n_customers)
    genders = gender_weights or {"F": 0.5, "M": 0.48, "X": 0.02}
    g = _choice(rng, genders, n)
    gender = np.array(list(genders))[g]
    k = len(pools.first_female)
    i_first = rng.integers(0, k, size=n)
    # one pool of first names: female, then male, then mixed; pick the gender's block
    block = np.select([gender == "F", gender == "M"], [0, 1], 2)
    firsts = np.concatenate([pools.first_female, pools.first_male, pools.first_any[:k]])
    first = take_strings(firsts, block * k + np.minimum(i_first, len(pools.first_any) - 1))
    last = take_strings(pools.last, rng.integers(0, len(pools.last), size=n))
    if locale.startswith("zh"):
        name = join_strings(last, first)  # family name first, no space
    else:
        name = join_strings(first, " ", last)
    age = np.clip(np.round(rng.normal(age_mean, age_sd, size=n)), 18, 80).astype(int)
    birth_year = ref_year - age
    city_table = CITIES[cities]
    city_names = list(city_table)
    cw = np.array([city_table[c][0] for c in city_names])
    ci = rng.choice(len(city_names), size=n, p=cw / cw.sum())
    n_d = np.array([len(city_table[c][1]) for c in city_names])
    flat = [d for c in city_names for d in city_table[c][1]]
    d_idx = np.concatenate([[0], np.cumsum(n_d)[:-1]])[ci] + (rng.random(n) * n_d[ci]).astype(int)
    phone = _phones(locale, n, rng)
    user = take_strings(pools.user, rng.integers(0, len(pools.user), size=n))
    num = pa.array(rng.integers(10, 10000, size=n)).cast(pa.large_string())
    domains = list(EMAIL_DOMAINS[locale])
    domain = take_strings(domains, _choice(rng, EMAIL_DOMAINS[locale], n))
    email = join_strings(user, num, "@", domain)
    return pd.DataFrame(
        {
            "name": name,
            "gender": take_strings(list(genders), g),
            "birth_year": birth_year,
            "city": take_strings(city_names, ci),
            "district": take_strings(flat, d_idx),
            "phone": phone,
            "email": email,
        }
    )


def make_company_names(n: int, pools: FakerPools, rng: np.random.Generator) -> np.ndarray:
    """Company names for B2B accounts: Faker companies, made unique with a suffix when needed.

    Examples
    --------
    >>> pools = FakerPools("en_US", 0, size=5)
    >>> len(make_company_names(3, pools, np.random.default_rng(0)))
    3
    """
    base = pools.companies(min(n, 500))
    pick = base[rng.permutation(n) % len(base)]
    dup = pd.Series(pick).duplicated().to_numpy()
    suffix = np.where(dup, np.char.add(" ", rng.integers(2, 99, size=n).astype(str)), "")
    return np.char.add(pick.astype(str), suffix)
