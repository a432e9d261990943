"""Load the course's data: the real CDNOW data and the committed synthetic worlds.

CDNOW is the customer base of a 1990s online CD shop, the data set on which the
buy-till-you-die models (BG/NBD, Pareto/NBD, Gamma-Gamma) were published. It
ships inside the ``lifetimes`` package, so it is read from there with
:mod:`importlib.resources`: no network, no ``pkg_resources``.

The course's own data sets live in ``datasets/<name>/`` at the top of the
repository: one file per table (see :mod:`crm_lessons.schema`), a
``params.json`` with the generating parameters (the hidden ground truth) and a
``README.md`` datacard. :class:`World` is the in-memory form of such a folder;
the generator writes it and :func:`load_world` reads it back.

Examples
--------
>>> tx = load_cdnow_transactions()
>>> len(tx), tx["customer_id"].nunique()
(69659, 23570)
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from crm_lessons import schema

__all__ = [
    "World",
    "datasets_dir",
    "datasets_overview",
    "list_datasets",
    "load_cdnow_sample_transactions",
    "load_cdnow_summary",
    "load_cdnow_transactions",
    "load_table",
    "load_world",
]

_FORMATS = ("csv", "parquet")


def _lifetimes_file(name: str):
    from crm_lessons.lifetimes_compat import import_lifetimes

    return resources.files(import_lifetimes()).joinpath("datasets", name)


def load_cdnow_transactions() -> pd.DataFrame:
    """Load the full CDNOW master file: every purchase of the 1997 Q1 cohort.

    23,570 customers who made their first purchase at CDNOW in January-March
    1997, followed until the end of June 1998: 69,659 rows.

    Returns
    -------
    pandas.DataFrame
        Columns ``customer_id`` (string, zero-padded as in the source), ``date``
        (datetime64), ``quantity`` (number of CDs, Int64) and ``amount``
        (US dollars, float64), sorted as in the source file.

    Examples
    --------
    >>> tx = load_cdnow_transactions()
    >>> tx.columns.tolist()
    ['customer_id', 'date', 'quantity', 'amount']
    >>> str(tx["date"].min().date()), str(tx["date"].max().date())
    ('1997-01-01', '1998-06-30')
    """
    with _lifetimes_file("CDNOW_master.txt").open("r") as fh:
        raw = pd.read_csv(
            fh,
            sep=r"\s+",
            skiprows=1,
            header=None,
            names=["customer_id", "date", "quantity", "amount"],
            dtype={"customer_id": "string", "date": "string"},
        )
    return _typed_cdnow(raw)


def load_cdnow_sample_transactions() -> pd.DataFrame:
    """Load the transactions of the 2,357-customer CDNOW sample (1/10 of the cohort).

    This is the sample used by Fader, Hardie & Lee (2005) and by lifetimes'
    ``load_cdnow_summary``. ``customer_id`` is the sample's own id (1 ... 2357),
    as a string, so it matches :func:`load_cdnow_summary`.

    Returns
    -------
    pandas.DataFrame
        Columns ``customer_id``, ``date``, ``quantity``, ``amount``.

    Examples
    --------
    >>> tx = load_cdnow_sample_transactions()
    >>> len(tx), tx["customer_id"].nunique()
    (6919, 2357)
    """
    with _lifetimes_file("CDNOW_sample.txt").open("r") as fh:
        raw = pd.read_csv(
            fh,
            sep=r"\s+",
            header=None,
            names=["master_id", "customer_id", "date", "quantity", "amount"],
            dtype={"master_id": "string", "customer_id": "string", "date": "string"},
        )
    raw["customer_id"] = raw["customer_id"].str.lstrip("0")
    return _typed_cdnow(raw.drop(columns="master_id"))


def _typed_cdnow(raw: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "customer_id": raw["customer_id"].astype("string"),
            "date": pd.to_datetime(raw["date"], format="%Y%m%d").astype("datetime64[ns]"),
            "quantity": raw["quantity"].astype("Int64"),
            "amount": raw["amount"].astype("float64"),
        }
    )
    return out.reset_index(drop=True)


def load_cdnow_summary(*, with_monetary_value: bool = True) -> pd.DataFrame:
    """Load the published summary of the 2,357-customer CDNOW sample.

    Time is in weeks; the calibration period is the first 39 weeks of 1997,
    as in Fader, Hardie & Lee (2005), "Counting your customers the easy way".

    Parameters
    ----------
    with_monetary_value : bool, default True
        Add ``monetary_value``: the average value of the repeat purchases
        (0 for customers with no repeat purchase).

    Returns
    -------
    pandas.DataFrame
        Index ``customer_id`` (int, 1 ... 2357); columns ``frequency``,
        ``recency``, ``T`` and, optionally, ``monetary_value``.

    Examples
    --------
    >>> s = load_cdnow_summary()
    >>> s.shape
    (2357, 4)
    >>> int((s["frequency"] > 0).sum())
    946
    """
    name = "cdnow_customers_summary_with_transactions.csv"
    with _lifetimes_file(name).open("r") as fh:
        df = pd.read_csv(fh)
    df.columns = ["customer_id", *schema.BTYD_COLUMNS]
    df = df.set_index("customer_id")
    if not with_monetary_value:
        df = df.drop(columns="monetary_value")
    return df


# ---------------------------------------------------------------- course worlds


def datasets_dir() -> Path:
    """Return the folder holding the course's committed data sets.

    ``$CRM_DATASETS_DIR`` overrides it; by default it is ``datasets/`` at the
    top of the course checkout.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> datasets_dir().name
    'datasets'
    """
    env = os.environ.get("CRM_DATASETS_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "datasets"


def list_datasets() -> list[str]:
    """Return the names of the committed course data sets.

    Returns
    -------
    list of str
        Folder names under :func:`datasets_dir` that hold a ``params.json``.
    """
    root = datasets_dir()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "params.json").is_file())


def _apply_dtypes(table: str, df: pd.DataFrame) -> pd.DataFrame:
    spec = schema.TABLES.get(table, {})
    for col in df.columns:
        if col not in spec:
            continue
        dtype = spec[col].dtype
        if dtype.startswith("datetime"):
            df[col] = pd.to_datetime(df[col]).astype("datetime64[ns]")
        else:
            df[col] = df[col].astype(dtype)
    return df


class World(Mapping):
    """A set of named tables plus the parameters that generated them.

    Behaves like a read-only dict of DataFrames, with attribute access
    (``world.customers``) for convenience.

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        The tables, named as in :data:`crm_lessons.schema.TABLES` where they
        are canonical.
    params : dict, optional
        JSON-serialisable generating parameters (scenario, seed, true model
        parameters ...).

    Examples
    --------
    >>> w = World({"customers": pd.DataFrame({"customer_id": ["C1", "C2"]})}, {"seed": 1})
    >>> len(w.customers), list(w), w.params["seed"]
    (2, ['customers'], 1)
    """

    def __init__(self, tables: dict[str, pd.DataFrame], params: dict[str, Any] | None = None):
        self._tables = dict(tables)
        self.params = dict(params or {})

    def __getitem__(self, key: str) -> pd.DataFrame:
        try:
            return self._tables[key]
        except KeyError:
            valid = ", ".join(self._tables)
            raise KeyError(f"no table {key!r} in this world; tables: {valid}") from None

    def __getattr__(self, key: str) -> pd.DataFrame:
        if key.startswith("_"):
            raise AttributeError(key)
        try:
            return self._tables[key]
        except KeyError:
            raise AttributeError(f"no table {key!r} in this world") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}={len(v):,}" for k, v in self._tables.items())
        return f"World({sizes})"

    def to_dir(self, path: str | os.PathLike, *, format: str = "csv") -> dict[str, str]:
        """Write every table and ``params.json`` to ``path``; return SHA-256 per file.

        Output is byte-identical for identical tables: fixed column order,
        fixed float formatting, ISO dates, Unix line endings.

        Parameters
        ----------
        path : str or path-like
            Folder to write into (created if needed).
        format : {"csv", "parquet"}
            File format of the tables.

        Returns
        -------
        dict of str to str
            File name to SHA-256 hex digest.
        """
        if format not in _FORMATS:
            raise ValueError(f"format={format!r} is not supported; valid: {', '.join(_FORMATS)}")
        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        digests = {}
        for name, df in self._tables.items():
            target = out / f"{name}.{format}"
            if format == "csv":
                df.to_csv(
                    target,
                    index=False,
                    lineterminator="\n",
                    float_format="%.6g",
                    date_format="%Y-%m-%d %H:%M:%S",
                )
            else:
                df.to_parquet(target, index=False, compression="zstd")
            digests[target.name] = _sha256(target)
        params_file = out / "params.json"
        params_file.write_text(
            json.dumps(self.params, indent=2, sort_keys=True, ensure_ascii=False, default=str)
            + "\n",
            encoding="utf-8",
        )
        digests[params_file.name] = _sha256(params_file)
        return digests

    @classmethod
    def from_dir(cls, path: str | os.PathLike) -> World:
        """Read a folder written by :meth:`to_dir`.

        Parameters
        ----------
        path : str or path-like
            The folder.

        Returns
        -------
        World
        """
        folder = Path(path)
        if not folder.is_dir():
            raise FileNotFoundError(f"no data set folder at {folder}")
        params_file = folder / "params.json"
        params = (
            json.loads(params_file.read_text(encoding="utf-8")) if params_file.exists() else {}
        )
        tables = {}
        for f in sorted(folder.iterdir()):
            if f.suffix == ".csv":
                tables[f.stem] = _read_table(f)
            elif f.suffix == ".parquet":
                tables[f.stem] = _apply_dtypes(f.stem, pd.read_parquet(f))
        order = params.get("tables")
        if order:
            tables = {k: tables[k] for k in order if k in tables} | tables
        return cls(tables, params)


def _read_table(path: Path) -> pd.DataFrame:
    spec = schema.TABLES.get(path.stem, {})
    str_cols = {c: "string" for c, col in spec.items() if col.dtype == "string"}
    df = pd.read_csv(path, dtype=str_cols, keep_default_na=True)
    return _apply_dtypes(path.stem, df)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load_world(name: str) -> World:
    """Load one of the course's committed synthetic worlds.

    Parameters
    ----------
    name : str
        A data set name from :func:`list_datasets`, e.g. ``"coffee_shop"``.

    Returns
    -------
    World
        All tables of the data set, with ``.params`` holding the generating
        parameters.
    """
    available = list_datasets()
    if name not in available:
        raise ValueError(
            f"name={name!r} is not a course data set; available: {', '.join(available) or 'none'}"
        )
    return World.from_dir(datasets_dir() / name)


def load_table(name: str, table: str) -> pd.DataFrame:
    """Load one table of a committed course data set.

    Parameters
    ----------
    name : str
        Data set name, e.g. ``"coffee_shop"``.
    table : str
        Table name, e.g. ``"customers"``.

    Returns
    -------
    pandas.DataFrame
    """
    folder = datasets_dir() / name
    for fmt in _FORMATS:
        f = folder / f"{table}.{fmt}"
        if f.exists():
            return _read_table(f) if fmt == "csv" else _apply_dtypes(table, pd.read_parquet(f))
    if name not in list_datasets():
        raise ValueError(f"name={name!r} is not a course data set; available: {list_datasets()}")
    have = sorted(p.stem for p in folder.iterdir() if p.suffix in (".csv", ".parquet"))
    raise ValueError(f"table={table!r} is not in data set {name!r}; tables: {', '.join(have)}")


def datasets_overview() -> pd.DataFrame:
    """Return one row per committed course data set: what it is and how big.

    Returns
    -------
    pandas.DataFrame
        Columns ``dataset, scenario, locale, currency, competition, start, end``
        and the number of rows of ``customers``, ``orders`` and
        ``order_lines``.
    """
    rows = []
    for name in list_datasets():
        folder = datasets_dir() / name
        params = json.loads((folder / "params.json").read_text(encoding="utf-8"))
        row = {"dataset": name}
        for key in ("scenario", "locale", "currency", "competition", "start", "end"):
            row[key] = params.get(key)
        for table in ("customers", "orders", "order_lines"):
            f = folder / f"{table}.csv"
            row[table] = len(pd.read_csv(f, usecols=[0])) if f.exists() else None
        rows.append(row)
    return pd.DataFrame(rows)
