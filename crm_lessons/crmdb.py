r"""The course's world as a CRM database: DuckDB tables with keys and constraints.

A CRM system is, underneath its screens, a relational database: customers,
their contact points and consents, what they bought (orders and order lines),
what the business sent them (campaigns and touches), what they said (surveys)
and what went wrong (tickets). This module writes a :class:`~crm_lessons.datasets.World`
into an embedded DuckDB database whose column types come from
:mod:`crm_lessons.schema` and whose keys and rules are declared here once:

* ``PRIMARY KEY`` for every table (a duplicate id is rejected);
* ``FOREIGN KEY`` from every table that names a customer, order, product or
  campaign to the table that owns it (an order for an unknown customer is
  rejected);
* ``NOT NULL`` for every column except the few listed as ``nullable`` in
  :data:`KEYS`, which the schema's descriptions document as possibly missing
  (walk-in orders have no customer; open tickets no resolution date);
* ``CHECK`` constraints read from the schema's units (``score 1-7`` becomes
  ``BETWEEN 1 AND 7``, ``share`` and ``probability`` ``BETWEEN 0 AND 1``) and
  a few business rules (a ticket is resolved after it is opened).

``transactions`` is not stored twice: it is a SQL view joining ``orders`` and
``order_lines``, and it returns exactly the world's ``transactions`` table. The
entity-relationship diagram (:func:`er_diagram_mermaid`, :func:`plot_er_diagram`)
is drawn from the same declarations, so it cannot drift from the database.

Taught in lesson 13 (*Inside a CRM system*).

Command line::

    python -m crm_lessons.crmdb build --world coffee_shop --out crm.duckdb
    python -m crm_lessons.crmdb build --scenario b2b_service --customers 300 --seed 7 \
        --out b2b.duckdb

Examples
--------
>>> from generators.world import make_world
>>> con = build_database(make_world("coffee_shop", 100, random_state=1))
>>> con.execute("SELECT count(*) FROM customers").fetchone()[0]
100
>>> print(create_table_sql("products"))  # doctest: +NORMALIZE_WHITESPACE
CREATE TABLE products (
    product_id VARCHAR NOT NULL,
    product_name VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    price_tier VARCHAR NOT NULL,
    unit_price DOUBLE NOT NULL,
    unit_cost DOUBLE NOT NULL,
    CHECK (price_tier IN ('entry', 'standard', 'premium')),
    CHECK (unit_price >= 0),
    CHECK (unit_cost >= 0),
    PRIMARY KEY (product_id)
);
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from crm_lessons import schema
from crm_lessons._checks import as_timestamp
from crm_lessons.rfm import BTYD_FREQUENCIES

__all__ = [
    "DuplicateKeyError",
    "KEYS",
    "Keys",
    "STORED_TABLES",
    "btyd_summary_sql",
    "build_database",
    "create_table_sql",
    "er_diagram_mermaid",
    "main",
    "plot_er_diagram",
    "read_table",
    "rfm_table_sql",
    "table_specs",
    "write_table",
]


class DuplicateKeyError(ValueError):
    """A row would repeat a primary key (or break another constraint) of a CRM table."""


@dataclass(frozen=True)
class Keys:
    """Primary key, foreign keys and extra rules of one table.

    ``foreign`` maps a column to the ``(table, column)`` it points to;
    ``nullable`` lists the columns allowed to be missing; ``checks`` holds
    extra SQL ``CHECK`` expressions (business rules).
    """

    primary: tuple[str, ...]
    foreign: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    nullable: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()


C = schema.CUSTOMER_ID

#: Keys and rules of every stored table, in an order that satisfies the foreign keys.
KEYS: dict[str, Keys] = {
    "customers": Keys(
        (C,),
        nullable=("member_since", "company", "acquisition_channel"),
        checks=(
            "gender IN ('F', 'M', 'X')",
            "acquisition_cost >= 0",
            "member_since IS NULL OR is_member",
        ),
    ),
    "products": Keys(
        ("product_id",),
        checks=(
            "price_tier IN ('entry', 'standard', 'premium')",
            "unit_price >= 0",
            "unit_cost >= 0",
        ),
    ),
    "orders": Keys(
        ("order_id",),
        foreign={C: ("customers", C)},
        nullable=(C, "original_order_id"),
        checks=(
            "is_return = (amount < 0)",
            "original_order_id IS NULL OR is_return",
            "is_return OR discount >= 0",
        ),
    ),
    "order_lines": Keys(
        ("order_id", "line_no"),
        foreign={"order_id": ("orders", "order_id"), "product_id": ("products", "product_id")},
        checks=("line_no >= 1",),
    ),
    "campaigns": Keys(
        ("campaign_id",),
        checks=(
            "end_date >= start_date",
            "channel IN ('email', 'sms', 'social', 'app')",
            "cost_per_touch >= 0",
            "n_targeted >= 0",
        ),
    ),
    "touches": Keys(
        ("touch_id",),
        foreign={"campaign_id": ("campaigns", "campaign_id"), C: ("customers", C)},
        checks=(
            "\"group\" IN ('treatment', 'control')",
            "cost >= 0",
            "\"group\" = 'treatment' OR cost = 0",
        ),
    ),
    "surveys": Keys(("response_id",), foreign={C: ("customers", C)}),
    "tickets": Keys(
        ("ticket_id",),
        foreign={C: ("customers", C)},
        nullable=("resolved_at", "rating"),
        checks=("resolved_at IS NULL OR resolved_at >= opened_at", "cost_to_serve >= 0"),
    ),
    # People enter 'awareness' before they are customers, so no foreign key here.
    "lifecycle_events": Keys(
        (C, "stage"),
        checks=("stage IN ('awareness', 'consideration', 'purchase', 'use', 'loyalty', 'churn')",),
    ),
    "truth": Keys((C,), foreign={C: ("customers", C)}, nullable=("churn_date",)),
}

#: Tables written by :func:`build_database` (``transactions`` is a view).
STORED_TABLES = tuple(KEYS)

_SQL_TYPES = {
    "string": "VARCHAR",
    "float64": "DOUBLE",
    "Int64": "BIGINT",
    "int64": "BIGINT",
    "boolean": "BOOLEAN",
    "bool": "BOOLEAN",
    "datetime64[ns]": "TIMESTAMP",
}
_RANGE = re.compile(r"score (\d+)-(\d+)")

#: Modules that declare extra tables (``TABLES`` and ``TABLE_KEYS``) for the database.
_EXTRA_MODULES = ("crm_lessons.pipeline",)
_EXTRA_SPECS: dict[str, dict[str, schema.Column]] = {}
_EXTRA_KEYS: dict[str, Keys] = {}


def table_specs() -> dict[str, tuple[dict[str, schema.Column], Keys]]:
    """Return every known table's columns and keys (course schema plus registered tables).

    Returns
    -------
    dict of str to (dict, Keys)

    Examples
    --------
    >>> specs = table_specs()
    >>> specs["order_lines"][1].primary
    ('order_id', 'line_no')
    """
    import importlib

    for mod in _EXTRA_MODULES:
        m = importlib.import_module(mod)
        for t, spec in m.TABLES.items():
            if t not in _EXTRA_SPECS:
                _EXTRA_SPECS[t] = dict(spec)
                _EXTRA_KEYS[t] = Keys(**m.TABLE_KEYS[t])
    out = {t: (schema.TABLES[t], k) for t, k in KEYS.items()}
    for t, k in _EXTRA_KEYS.items():
        out[t] = (_EXTRA_SPECS[t], k)
    return out


def _spec(table: str) -> tuple[dict[str, schema.Column], Keys]:
    specs = table_specs()
    if table not in specs:
        raise ValueError(
            f"table={table!r} is not a CRM database table; valid tables: {', '.join(specs)}"
        )
    return specs[table]


_RESERVED = {"group", "order", "date", "user", "check"}


def _q(name: str) -> str:
    """Quote an identifier when SQL needs it (reserved word or unusual characters)."""
    if re.fullmatch(r"[a-z_][a-z0-9_]*", name) and name not in _RESERVED - {"date"}:
        return name
    return '"' + name.replace('"', '""') + '"'


def _column_checks(col: str, spec: schema.Column) -> list[str]:
    m = _RANGE.search(spec.unit)
    if m:
        return [f"{_q(col)} BETWEEN {m.group(1)} AND {m.group(2)}"]
    if spec.unit in ("share", "probability") or spec.unit == "score 0-1":
        return [f"{_q(col)} BETWEEN 0 AND 1"]
    return []


def create_table_sql(
    table: str, *, columns: Sequence[str] | None = None, extra: Mapping[str, str] | None = None
) -> str:
    """The ``CREATE TABLE`` statement of a CRM table, generated from the schema.

    Parameters
    ----------
    table : str
        A table of :func:`table_specs`.
    columns : sequence of str, optional
        The columns to create (default: every schema column; optional ones are
        left out unless named here).
    extra : mapping of str to str, optional
        Extra columns not in the schema, name to SQL type.

    Returns
    -------
    str

    Examples
    --------
    >>> "FOREIGN KEY (customer_id) REFERENCES customers (customer_id)" in create_table_sql("tickets")
    True
    >>> create_table_sql("leeds")
    Traceback (most recent call last):
    ...
    ValueError: table='leeds' is not a CRM database table; valid tables: customers, ...
    """
    spec, keys = _spec(table)
    if columns is None:
        columns = [c for c, s in spec.items() if s.required]
    lines = []
    for col in columns:
        s = spec[col]
        sql_type = _SQL_TYPES[s.dtype]
        null = "" if col in keys.nullable else " NOT NULL"
        checks = "".join(f" CHECK ({c})" for c in _column_checks(col, s))
        lines.append(f"    {_q(col)} {sql_type}{null}{checks}")
    for col, sql_type in (extra or {}).items():
        lines.append(f"    {_q(col)} {sql_type}")
    present = set(columns) | set(extra or {})
    for chk in keys.checks:
        names = set(re.findall(r"[a-z_]+", chk.replace('"group"', "group")))
        if names & set(spec) <= present:
            lines.append(f"    CHECK ({chk})")
    lines.append(f"    PRIMARY KEY ({', '.join(map(_q, keys.primary))})")
    for col, (ref_t, ref_c) in keys.foreign.items():
        if col in present:
            lines.append(f"    FOREIGN KEY ({_q(col)}) REFERENCES {ref_t} ({_q(ref_c)})")
    return f"CREATE TABLE {table} (\n" + ",\n".join(lines) + "\n);"


def _sql_type_of(series: pd.Series) -> str:
    dt = str(series.dtype)
    if dt.startswith("datetime"):
        return "TIMESTAMP"
    if dt in _SQL_TYPES:
        return _SQL_TYPES[dt]
    if dt in ("str", "object"):
        return "VARCHAR"
    raise TypeError(f"column {series.name!r} has dtype {dt}, which has no SQL type here")


def write_table(con: Any, table: str, df: pd.DataFrame, *, create: bool = True) -> int:
    """Create ``table`` (if ``create``) and insert the rows of ``df``; return the row count.

    Constraint violations (a repeated id, an unknown customer, a score out of
    range) raise :class:`DuplicateKeyError` naming the table and the rule.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Open connection.
    table : str
        A table of :func:`table_specs`.
    df : pandas.DataFrame
        The rows; schema columns plus any extra columns.
    create : bool, default True
        Create the table first.

    Returns
    -------
    int
        Rows inserted.

    Raises
    ------
    DuplicateKeyError
        If a row breaks a key or a check.
    ValueError
        If a required column is missing.

    Examples
    --------
    >>> import duckdb
    >>> con = duckdb.connect()
    >>> prods = pd.DataFrame({"product_id": ["P1", "P1"], "product_name": ["Tea", "Cake"],
    ...     "category": ["drink", "food"], "price_tier": ["entry", "entry"],
    ...     "unit_price": [50.0, 80.0], "unit_cost": [10.0, 30.0]})
    >>> write_table(con, "products", prods)
    Traceback (most recent call last):
    ...
    crm_lessons.crmdb.DuplicateKeyError: table 'products' rejects the rows: product_id 'P1' appears 2 times; the primary key (product_id) must be unique
    """
    import duckdb

    spec, keys = _spec(table)
    missing = [c for c, s in spec.items() if s.required and c not in df.columns]
    if missing:
        raise ValueError(f"df for table {table!r} lacks required columns {missing}")
    cols = [c for c in spec if c in df.columns]
    extra = {c: _sql_type_of(df[c]) for c in df.columns if c not in spec}
    dup = df.duplicated(list(keys.primary), keep=False)
    if dup.any():
        first = df.loc[dup, list(keys.primary)].iloc[0]
        shown = ", ".join(f"{k} {v!r}" for k, v in first.items())
        n = int((df[list(keys.primary)] == first.values).all(axis=1).sum())
        raise DuplicateKeyError(
            f"table {table!r} rejects the rows: {shown} appears {n} times; the primary key "
            f"({', '.join(keys.primary)}) must be unique"
        )
    if create:
        con.execute(create_table_sql(table, columns=cols, extra=extra))
    order = cols + list(extra)
    frame = df[order]  # noqa: F841  (read by DuckDB's replacement scan)
    select = ", ".join(f"{_q(c)}" for c in order)
    try:
        con.execute(f"INSERT INTO {table} ({select}) SELECT {select} FROM frame")
    except duckdb.ConstraintException as err:
        raise DuplicateKeyError(f"table {table!r} rejects the rows: {err}") from None
    return len(df)


_TRANSACTIONS_VIEW = """
CREATE VIEW transactions AS
SELECT o.customer_id, o.date, l.amount, l.quantity, l.order_id, o.is_return, l.product_id
FROM order_lines AS l JOIN orders AS o USING (order_id)
"""

#: The single customer view: one row per customer with what every module knows.
SINGLE_CUSTOMER_VIEW = """
CREATE VIEW single_customer_view AS
WITH buy AS (
    SELECT customer_id, count(*) AS n_orders, sum(amount) AS revenue,
           min(date) AS first_order, max(date) AS last_order
    FROM orders WHERE customer_id IS NOT NULL AND NOT is_return GROUP BY customer_id
), ret AS (
    SELECT customer_id, count(*) AS n_returns FROM orders
    WHERE customer_id IS NOT NULL AND is_return GROUP BY customer_id
), tix AS (
    SELECT customer_id, count(*) AS n_tickets, sum(cost_to_serve) AS cost_to_serve,
           avg(rating) AS mean_ticket_rating
    FROM tickets GROUP BY customer_id
), srv AS (
    SELECT customer_id, arg_max(nps, date) AS last_nps, count(*) AS n_surveys
    FROM surveys GROUP BY customer_id
), msg AS (
    SELECT customer_id, count(*) FILTER (WHERE "group" = 'treatment') AS n_messages,
           bool_or(unsubscribed) AS unsubscribed
    FROM touches GROUP BY customer_id
)
SELECT c.customer_id, c.name, c.city, c.signup_date, c.acquisition_channel,
       c.is_member, c.marketing_consent AND NOT coalesce(msg.unsubscribed, FALSE) AS can_market,
       coalesce(buy.n_orders, 0) AS n_orders, coalesce(buy.revenue, 0) AS revenue,
       buy.first_order, buy.last_order, coalesce(ret.n_returns, 0) AS n_returns,
       coalesce(tix.n_tickets, 0) AS n_tickets, coalesce(tix.cost_to_serve, 0) AS cost_to_serve,
       tix.mean_ticket_rating, srv.last_nps, coalesce(srv.n_surveys, 0) AS n_surveys,
       coalesce(msg.n_messages, 0) AS n_messages
FROM customers AS c
LEFT JOIN buy USING (customer_id) LEFT JOIN ret USING (customer_id)
LEFT JOIN tix USING (customer_id) LEFT JOIN srv USING (customer_id)
LEFT JOIN msg USING (customer_id)
"""

#: Contact points and consent per channel, as a CRM's "contacts" screen shows them.
CONTACTS_VIEW = """
CREATE VIEW contacts AS
SELECT customer_id, 'email' AS contact_channel, email AS address, marketing_consent AS consent
FROM customers WHERE email IS NOT NULL
UNION ALL
SELECT customer_id, 'phone', phone, marketing_consent FROM customers WHERE phone IS NOT NULL
"""


def build_database(
    world: Mapping[str, pd.DataFrame],
    path: str | Path | None = None,
    *,
    extra_tables: Mapping[str, pd.DataFrame] | None = None,
    overwrite: bool = False,
) -> Any:
    """Write a world into a DuckDB database with keys, types and constraints.

    Parameters
    ----------
    world : World or mapping of str to DataFrame
        The tables (at least every table of :data:`STORED_TABLES`).
    path : str or Path, optional
        Database file; default an in-memory database.
    extra_tables : mapping of str to DataFrame, optional
        Registered extra tables to add (B2B ``leads``, ``opportunities`` ...),
        written after the course tables in the order given.
    overwrite : bool, default False
        Replace an existing file at ``path``.

    Returns
    -------
    duckdb.DuckDBPyConnection
        Open connection to the new database, with the views ``transactions``,
        ``contacts`` and ``single_customer_view``.

    Raises
    ------
    ValueError
        If a table is missing, the file exists (without ``overwrite``) or a row
        breaks a constraint (:class:`DuplicateKeyError`).

    See Also
    --------
    read_table : read a table back with the course dtypes.
    """
    import duckdb

    missing = [t for t in STORED_TABLES if t not in world]
    if missing:
        raise ValueError(f"world lacks the tables {missing}; every world has {STORED_TABLES}")
    if path is not None:
        p = Path(path)
        if p.exists():
            if not overwrite:
                raise ValueError(f"path={str(p)!r} exists; pass overwrite=True to replace it")
            p.unlink()
        con = duckdb.connect(str(p))
    else:
        con = duckdb.connect()
    for t in STORED_TABLES:
        write_table(con, t, world[t])
    for t, df in (extra_tables or {}).items():
        write_table(con, t, df)
    con.execute(_TRANSACTIONS_VIEW)
    con.execute(CONTACTS_VIEW)
    con.execute(SINGLE_CUSTOMER_VIEW)
    return con


def read_table(con: Any, table: str, *, order_by: Sequence[str] | None = None) -> pd.DataFrame:
    """Read a table (or the ``transactions`` view) back with the course's dtypes.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Open connection.
    table : str
        Table or view name.
    order_by : sequence of str, optional
        Sort columns; default the primary key.

    Returns
    -------
    pandas.DataFrame
    """
    if table == "transactions":
        spec, keys = schema.TABLES["transactions"], None
    else:
        spec, keys = _spec(table)
    if order_by is None:
        order_by = keys.primary if keys else ()
    order = f" ORDER BY {', '.join(map(_q, order_by))}" if order_by else ""
    df = con.execute(f"SELECT * FROM {table}{order}").df()
    for col in df.columns:
        if col in spec:
            dtype = spec[col].dtype
            df[col] = (
                df[col].astype(dtype)
                if not dtype.startswith("datetime")
                else (pd.to_datetime(df[col]).astype("datetime64[ns]"))
            )
        elif df[col].dtype == object:
            df[col] = df[col].astype("string")
    return df


# --------------------------------------------------------------------- SQL summaries


def rfm_table_sql(con: Any, *, as_of: Any, source: str = "transactions") -> pd.DataFrame:
    """:func:`crm_lessons.rfm.rfm_table` computed by one SQL query in the database.

    Same rules: returns (negative amount or ``is_return``) and walk-ins are
    not purchases, purchases after ``as_of`` (a day, inclusive) are left out,
    ``frequency`` counts distinct purchase days, ``monetary`` is total spend.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Connection to a database built by :func:`build_database`.
    as_of : date-like
        Analysis date.
    source : str, default "transactions"
        Table or view with ``customer_id, date, amount, is_return``.

    Returns
    -------
    pandas.DataFrame
        Index ``customer_id`` (sorted), columns ``recency_days, frequency, monetary``.
    """
    as_of_ts = as_timestamp(as_of, "as_of").normalize()
    sql = rfm_sql(as_of_ts, source=source)
    df = con.execute(sql).df()
    return _summary_frame(
        df, {"recency_days": "int64", "frequency": "int64", "monetary": "float64"}
    )


def rfm_sql(as_of: Any, *, source: str = "transactions") -> str:
    """The SQL text of the RFM table (shown in lesson 13).

    Examples
    --------
    >>> print(rfm_sql("2025-12-31").splitlines()[1].strip())
    WITH purchases AS (
    """
    day = as_timestamp(as_of, "as_of").strftime("%Y-%m-%d")
    return f"""
    WITH purchases AS (
        SELECT customer_id, CAST(date AS DATE) AS day, amount
        FROM {source}
        WHERE customer_id IS NOT NULL AND CAST(date AS DATE) <= DATE '{day}'
          AND amount >= 0 AND NOT coalesce(is_return, FALSE)
    )
    SELECT customer_id,
           date_diff('day', max(day), DATE '{day}') AS recency_days,
           count(DISTINCT day) AS frequency,
           sum(amount) AS monetary
    FROM purchases
    GROUP BY customer_id
    ORDER BY customer_id
    """


_WEEK = "CAST(floor((date_diff('day', DATE '1970-01-01', CAST({c} AS DATE)) - 4) / 7) AS BIGINT)"
_PERIOD_SQL = {
    "D": "date_diff('day', DATE '1970-01-01', CAST({c} AS DATE))",
    "W": _WEEK,
    "h": "CAST(floor(epoch(CAST({c} AS TIMESTAMP)) / 3600) AS BIGINT)",
}


def btyd_sql(as_of: Any, *, freq: str = "W", source: str = "transactions") -> str:
    """The SQL text of the BTYD summary (frequency, recency, T, monetary value).

    Examples
    --------
    >>> "GROUP BY customer_id, period" in btyd_sql("2025-12-28")
    True
    """
    if freq not in BTYD_FREQUENCIES:
        raise ValueError(f"freq={freq!r} is not supported; choose one of {BTYD_FREQUENCIES}")
    ts = as_timestamp(as_of, "as_of")
    end_expr = _PERIOD_SQL[freq].format(c=f"TIMESTAMP '{ts:%Y-%m-%d %H:%M:%S}'")
    per = _PERIOD_SQL[freq].format(c="date")
    return f"""
    WITH periods AS (
        SELECT customer_id, {per} AS period, sum(amount) AS spend
        FROM {source}
        WHERE customer_id IS NOT NULL AND date IS NOT NULL
          AND amount >= 0 AND NOT coalesce(is_return, FALSE)
          AND {per} <= {end_expr}
        GROUP BY customer_id, period
    )
    SELECT customer_id,
           count(*) - 1 AS frequency,
           max(period) - min(period) AS recency,
           {end_expr} - min(period) AS "T",
           CASE WHEN count(*) > 1
                THEN (sum(spend) - arg_min(spend, period)) / (count(*) - 1)
                ELSE 0 END AS monetary_value
    FROM periods
    GROUP BY customer_id
    ORDER BY customer_id
    """


def btyd_summary_sql(
    con: Any, *, as_of: Any, freq: str = "W", source: str = "transactions"
) -> pd.DataFrame:
    """:func:`crm_lessons.rfm.btyd_summary` computed by one SQL query in the database.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Connection to a database built by :func:`build_database`.
    as_of : date-like
        End of the observation window (rounded down to its period, as lifetimes does).
    freq : {"D", "W", "h"}, default "W"
        Period length.
    source : str, default "transactions"
        Table or view with ``customer_id, date, amount, is_return``.

    Returns
    -------
    pandas.DataFrame
        Index ``customer_id`` (sorted), float columns ``frequency, recency, T,
        monetary_value``.
    """
    df = con.execute(btyd_sql(as_of, freq=freq, source=source)).df()
    return _summary_frame(df, dict.fromkeys(schema.BTYD_COLUMNS, "float64"))


def _summary_frame(df: pd.DataFrame, dtypes: Mapping[str, str]) -> pd.DataFrame:
    out = df.set_index(schema.CUSTOMER_ID)
    out.index = out.index.astype("string")
    for col, dt in dtypes.items():
        out[col] = out[col].astype(dt)
    return out[list(dtypes)]


# --------------------------------------------------------------------- ER diagram


def er_diagram_mermaid(tables: Sequence[str] | None = None) -> str:
    """The entity-relationship diagram as Mermaid text, generated from the declarations.

    Parameters
    ----------
    tables : sequence of str, optional
        Tables to include (default: every table of :func:`table_specs`).

    Returns
    -------
    str
        A Mermaid ``erDiagram`` (renders on GitHub and in JupyterLab with an
        extension; no network needed to produce it).

    Examples
    --------
    >>> text = er_diagram_mermaid(["customers", "orders"])
    >>> print(text.splitlines()[0])
    erDiagram
    >>> '    customers ||--o{ orders : "customer_id"' in text
    True
    """
    specs = table_specs()
    tables = list(specs) if tables is None else list(tables)
    lines = ["erDiagram"]
    for t in tables:
        spec, keys = specs[t]
        for col, (ref_t, _ref_c) in keys.foreign.items():
            if ref_t in tables:
                lines.append(f'    {ref_t} ||--o{{ {t} : "{col}"')
    for t in tables:
        spec, keys = specs[t]
        lines.append(f"    {t} {{")
        for col, s in spec.items():
            mark = []
            if col in keys.primary:
                mark.append("PK")
            if col in keys.foreign:
                mark.append("FK")
            sql_type = _SQL_TYPES[s.dtype].lower()
            lines.append(f"        {sql_type} {col}{' ' + ','.join(mark) if mark else ''}")
        lines.append("    }")
    return "\n".join(lines)


def plot_er_diagram(
    tables: Sequence[str] | None = None, ax: Any = None, *, keys_only: bool = True
):
    """Draw the entity-relationship diagram with matplotlib (no network, no Graphviz).

    Each table is a box listing its key columns (or every column); an arrow
    runs from a foreign key to the table it points to.

    Parameters
    ----------
    tables : sequence of str, optional
        Tables to draw (default: every table of :func:`table_specs`).
    ax : matplotlib.axes.Axes, optional
        Where to draw.
    keys_only : bool, default True
        List only primary- and foreign-key columns.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    specs = table_specs()
    tables = list(specs) if tables is None else list(tables)
    # layout: tables by "depth" (how many foreign-key hops from a root table)
    depth: dict[str, int] = {}

    def _depth(t: str) -> int:
        if t not in depth:
            refs = [r for r, _ in specs[t][1].foreign.values() if r in tables and r != t]
            depth[t] = 1 + max((_depth(r) for r in refs), default=-1)
        return depth[t]

    for t in tables:
        _depth(t)
    levels: dict[int, list[str]] = {}
    for t in tables:
        levels.setdefault(depth[t], []).append(t)
    n_cols = max(len(v) for v in levels.values())
    if ax is None:
        _, ax = plt.subplots(figsize=(max(8, 2.6 * n_cols), 2.6 * len(levels)))
    boxes: dict[str, Any] = {}
    for lev, ts in levels.items():
        for i, t in enumerate(ts):
            x = (i + 0.5) * n_cols / len(ts)
            y = -lev * 2.6
            spec, keys = specs[t]
            cols = [c for c in spec if not keys_only or c in keys.primary or c in keys.foreign]
            body = "\n".join(
                ",".join(
                    k for k, on in (("PK", c in keys.primary), ("FK", c in keys.foreign)) if on
                ).ljust(6)
                + c
                for c in cols
            )
            boxes[t] = ax.text(
                x, y, f"{t}\n" + "-" * max(len(t), 8) + f"\n{body}",
                ha="center", va="center", multialignment="left", family="monospace", fontsize=9,
                bbox={"boxstyle": "round", "facecolor": "#eef3f8", "edgecolor": "#34495e"},
            )  # fmt: skip
    for t in tables:
        for ref_t, _ in specs[t][1].foreign.values():
            if ref_t in boxes and ref_t != t:
                # from the top of the referring box to the bottom of the owner's box
                ax.annotate(
                    "", xy=(0.5, 0.0), xycoords=boxes[ref_t], xytext=(0.5, 1.0),
                    textcoords=boxes[t],
                    arrowprops={"arrowstyle": "->", "color": "#7f8c8d", "lw": 1,
                                "shrinkA": 4, "shrinkB": 4},
                )  # fmt: skip
    ax.set_xlim(-0.2, n_cols + 0.2)
    ax.set_ylim(-2.6 * len(levels) + 1.0, 1.3)
    ax.axis("off")
    ax.set_title("The CRM database: tables, keys and links (arrow: foreign key -> owner)")
    return ax


# --------------------------------------------------------------------- command line


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m crm_lessons.crmdb",
        description="Write a course world into a DuckDB CRM database with keys and constraints.",
    )
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build a database file from a world")
    src = b.add_mutually_exclusive_group(required=True)
    src.add_argument("--world", help="a committed data set, e.g. coffee_shop")
    src.add_argument("--scenario", help="generate a world of this scenario")
    b.add_argument("--customers", type=int, default=None, help="customers (with --scenario)")
    b.add_argument("--seed", type=int, default=None, help="seed (with --scenario)")
    b.add_argument("--extras-seed", type=int, default=0, help="seed of the B2B pipeline tables")
    b.add_argument("--out", required=True, help="database file to write")
    b.add_argument("--overwrite", action="store_true", help="replace an existing file")
    return ap


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point (see the module docstring)."""
    args = _parser().parse_args(argv)
    from crm_lessons.datasets import load_world

    if Path(args.out).exists() and not args.overwrite:
        print(f"error: --out {args.out} exists; add --overwrite to replace it", file=sys.stderr)
        return 2

    try:
        if args.world:
            world = load_world(args.world)
        else:
            from generators.world import make_world

            world = make_world(
                args.scenario, args.customers, random_state=args.seed, progress=False
            )
        extra: dict[str, pd.DataFrame] = {}
        if world.params.get("scenario") == "b2b_service":
            from generators.pipeline import make_pipeline

            extra = dict(make_pipeline(world, random_state=args.extras_seed))
        con = build_database(world, args.out, extra_tables=extra, overwrite=args.overwrite)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    rows = con.execute(
        "SELECT table_name, estimated_size FROM duckdb_tables() ORDER BY table_name"
    ).fetchall()
    con.close()
    for name, n in rows:
        print(f"{name:>22}: {n:>8,} rows")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
