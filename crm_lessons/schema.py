"""The course's canonical tables and columns, spelled once.

The generator writes these tables, the loader produces them from messy files,
the datacards describe them and the lessons use them. Every other module takes
column names as keyword arguments whose defaults come from here, so an analyst
with differently named columns can pass their own names instead of renaming.

Each table is a mapping ``column -> Column(dtype, unit, description)``.
``dtype`` is a pandas dtype string; ``unit`` is ``""`` when the column has none.

Two different "recency" numbers exist in customer analytics and learners mix
them up, so the course never uses the bare word for the RFM one:

* ``recency_days`` (RFM): days **since** the last purchase, counted back from
  the as-of date. Small is good.
* ``recency`` (BTYD, as in lifetimes and pymc-marketing): the customer's **age
  at** the last repeat purchase, i.e. time from first to last purchase. Large
  is good.

Examples
--------
>>> from crm_lessons import schema
>>> schema.CUSTOMER_ID, schema.DATE, schema.AMOUNT
('customer_id', 'date', 'amount')
>>> list(schema.TABLES["transactions"])[:3]
['customer_id', 'date', 'amount']
>>> schema.BTYD_COLUMNS
('frequency', 'recency', 'T', 'monetary_value')
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = [
    "AMOUNT",
    "BTYD_COLUMNS",
    "CURRENCIES",
    "CUSTOMER_ID",
    "Column",
    "DATE",
    "IS_RETURN",
    "LOCALES",
    "ORDER_ID",
    "PRODUCT_ID",
    "QUANTITY",
    "RFM_COLUMNS",
    "TABLES",
    "columns",
    "describe",
]

# The names the rest of the course imports.
CUSTOMER_ID = "customer_id"
ORDER_ID = "order_id"
PRODUCT_ID = "product_id"
DATE = "date"
AMOUNT = "amount"
QUANTITY = "quantity"
IS_RETURN = "is_return"

#: lifetimes / pymc-marketing summary columns (besides ``customer_id``).
BTYD_COLUMNS = ("frequency", "recency", "T", "monetary_value")
#: RFM table columns (besides ``customer_id``); see the module docstring.
RFM_COLUMNS = ("recency_days", "frequency", "monetary")

#: Locales the course supports, and the currency each uses by default.
LOCALES = {"en_US": "USD", "zh_TW": "TWD", "zh_CN": "CNY"}
CURRENCIES = tuple(sorted(set(LOCALES.values())))


class Column(NamedTuple):
    """One column of a canonical table.

    ``required=False`` marks a column only some worlds have (e.g. a B2B
    account's company name).
    """

    dtype: str
    unit: str
    description: str
    required: bool = True


C = Column

TABLES: dict[str, dict[str, Column]] = {
    # One row per transaction line; what `load_transactions` returns as `.clean`
    # and what every summary (RFM, BTYD) starts from.
    "transactions": {
        CUSTOMER_ID: C("string", "", "Customer identifier; missing for walk-in (anonymous) sales"),
        DATE: C("datetime64[ns]", "", "Date (and time, if known) of the purchase"),
        AMOUNT: C("float64", "currency", "Money paid for the line; negative for a refund"),
        QUANTITY: C("Int64", "items", "Number of items; negative for a return"),
        ORDER_ID: C("string", "", "Order / invoice number grouping the lines of one purchase"),
        IS_RETURN: C("boolean", "", "True when the line is a return, refund or cancellation"),
        PRODUCT_ID: C("string", "", "Product of the line, when known", False),
    },
    "customers": {
        CUSTOMER_ID: C("string", "", "Customer identifier (loyalty card or account number)"),
        "name": C("string", "", "Full name (synthetic, in the world's locale)"),
        "gender": C("string", "", "'F', 'M' or 'X' (not stated)"),
        "birth_year": C("Int64", "year", "Year of birth"),
        "city": C("string", "", "City of residence"),
        "district": C("string", "", "District / neighbourhood within the city"),
        "phone": C("string", "", "Phone number (synthetic)"),
        "email": C("string", "", "E-mail address (synthetic)"),
        "signup_date": C("datetime64[ns]", "", "Date the customer became known to the business"),
        "acquisition_channel": C("string", "", "Channel that won the customer"),
        "acquisition_cost": C("float64", "currency", "Money spent to win this customer"),
        "marketing_consent": C("boolean", "", "Customer agreed to receive marketing messages"),
        "is_member": C("boolean", "", "Holds a loyalty card / membership"),
        "member_since": C("datetime64[ns]", "", "Date the customer joined the loyalty programme"),
        "need_price": C("float64", "score 0-1", "How price-sensitive the customer is"),
        "need_quality": C("float64", "score 0-1", "How much the customer seeks quality"),
        "need_convenience": C("float64", "score 0-1", "How much the customer values convenience"),
        "need_social": C("float64", "score 0-1", "How much the customer values social experience"),
        "company": C("string", "", "Account's company name (B2B worlds only)", False),
    },
    "products": {
        PRODUCT_ID: C("string", "", "Product identifier"),
        "product_name": C("string", "", "Product name"),
        "category": C("string", "", "Product category"),
        "price_tier": C("string", "", "'entry', 'standard' or 'premium'"),
        "unit_price": C("float64", "currency", "List price per item"),
        "unit_cost": C("float64", "currency", "Cost of goods per item"),
    },
    "orders": {
        ORDER_ID: C("string", "", "Order identifier"),
        CUSTOMER_ID: C("string", "", "Customer identifier; missing for walk-in sales"),
        DATE: C("datetime64[ns]", "", "Date and time of the order"),
        "channel": C("string", "", "Sales channel: 'store', 'online', 'app', 'phone', ..."),
        AMOUNT: C("float64", "currency", "Money paid for the order after discounts"),
        "discount": C("float64", "currency", "Discount granted on the order"),
        "n_items": C("Int64", "items", "Number of items in the order"),
        IS_RETURN: C("boolean", "", "True for a refund / return order (negative amount)"),
        "original_order_id": C("string", "", "For a refund: the order being refunded", False),
    },
    "order_lines": {
        ORDER_ID: C("string", "", "Order identifier"),
        "line_no": C("Int64", "", "Line number within the order, from 1"),
        PRODUCT_ID: C("string", "", "Product identifier"),
        QUANTITY: C("Int64", "items", "Items bought; negative for a return"),
        "unit_price": C("float64", "currency", "Price charged per item"),
        "discount": C("float64", "currency", "Discount on the line"),
        AMOUNT: C("float64", "currency", "quantity x unit_price - discount"),
    },
    "campaigns": {
        "campaign_id": C("string", "", "Campaign identifier"),
        "campaign_name": C("string", "", "Human-readable campaign name"),
        "channel": C("string", "", "'email', 'sms', 'social' or 'app'"),
        "start_date": C("datetime64[ns]", "", "First day of the campaign"),
        "end_date": C("datetime64[ns]", "", "Last day counted for conversions"),
        "targeting": C("string", "", "Who was targeted, in words"),
        "randomised": C("boolean", "", "True when a random control group was held out"),
        "cost_per_touch": C("float64", "currency", "Cost of one message"),
        "n_targeted": C("Int64", "customers", "Customers targeted (treatment + control)"),
        "control_share": C("float64", "share", "Share of targeted customers held out as control"),
    },
    "touches": {
        "touch_id": C("string", "", "Message identifier"),
        "campaign_id": C("string", "", "Campaign the message belongs to"),
        CUSTOMER_ID: C("string", "", "Recipient (or held-out control customer)"),
        DATE: C("datetime64[ns]", "", "Send date"),
        "channel": C("string", "", "'email', 'sms', 'social' or 'app'"),
        "group": C("string", "", "'treatment' (sent) or 'control' (held out, not sent)"),
        "cost": C("float64", "currency", "Cost of the message (0 for control)"),
        "opened": C("boolean", "", "Message opened"),
        "clicked": C("boolean", "", "Link clicked"),
        "converted": C("boolean", "", "Customer bought within the campaign window"),
        "revenue": C("float64", "currency", "Revenue in the campaign window"),
        "unsubscribed": C("boolean", "", "Customer unsubscribed after the message"),
    },
    "surveys": {
        "response_id": C("string", "", "Survey response identifier"),
        CUSTOMER_ID: C("string", "", "Responding customer"),
        DATE: C("datetime64[ns]", "", "Response date"),
        "exp_product": C("Int64", "score 1-7", "Expected product quality"),
        "perc_product": C("Int64", "score 1-7", "Perceived product quality"),
        "exp_service": C("Int64", "score 1-7", "Expected service quality"),
        "perc_service": C("Int64", "score 1-7", "Perceived service quality"),
        "exp_staff": C("Int64", "score 1-7", "Expected staff friendliness"),
        "perc_staff": C("Int64", "score 1-7", "Perceived staff friendliness"),
        "exp_brand": C("Int64", "score 1-7", "Expected brand experience"),
        "perc_brand": C("Int64", "score 1-7", "Perceived brand experience"),
        "overall_satisfaction": C("Int64", "score 1-7", "Overall satisfaction"),
        "nps": C("Int64", "score 0-10", "Likelihood to recommend (Net Promoter question)"),
        "csat": C("Int64", "score 1-5", "Satisfaction with the last visit / purchase"),
    },
    "tickets": {
        "ticket_id": C("string", "", "Support ticket identifier"),
        CUSTOMER_ID: C("string", "", "Customer who raised the ticket"),
        "opened_at": C("datetime64[ns]", "", "When the ticket was opened"),
        "resolved_at": C("datetime64[ns]", "", "When it was resolved (missing if still open)"),
        "topic": C("string", "", "What the ticket is about"),
        "cost_to_serve": C("float64", "currency", "Staff time and goodwill cost of the ticket"),
        "rating": C("Int64", "score 1-5", "Customer's rating of the resolution"),
    },
    "lifecycle_events": {
        CUSTOMER_ID: C("string", "", "Customer identifier"),
        "stage": C(
            "string",
            "",
            "'awareness', 'consideration', 'purchase', 'use', 'loyalty' or 'churn'",
        ),
        DATE: C("datetime64[ns]", "", "Date the customer entered the stage"),
    },
    # Hidden ground truth: never used as a model input in a lesson, only to check models.
    "truth": {
        CUSTOMER_ID: C("string", "", "Customer identifier"),
        "need_segment": C("string", "", "Latent need segment the customer was drawn from"),
        "purchase_rate": C("float64", "purchases/week", "True purchase rate while alive"),
        "dropout_prob": C(
            "float64", "probability", "True chance of dropping out after a purchase"
        ),
        "churn_date": C("datetime64[ns]", "", "Date the customer really became inactive"),
        "alive_at_end": C("boolean", "", "Still alive at the end of the observed window"),
        "expected_future_value": C(
            "float64", "currency", "True expected spend in the year after the window"
        ),
        "mean_order_value": C("float64", "currency", "True mean order value of the customer"),
        "satisfaction_latent": C("float64", "z-score", "True latent satisfaction"),
        "repeat_purchases": C(
            "Int64", "purchases", "Repeat purchases in the window, excluding campaign-driven ones"
        ),
        "dropout_prob_after_entry": C(
            "float64",
            "probability",
            "Dropout chance after a competitor enters (only when one does)",
            False,
        ),
    },
}


def columns(table: str) -> list[str]:
    """Return the canonical column names of ``table``.

    Parameters
    ----------
    table : str
        One of the keys of :data:`TABLES`.

    Returns
    -------
    list of str

    Examples
    --------
    >>> columns("tickets")[:2]
    ['ticket_id', 'customer_id']
    >>> columns("nope")
    Traceback (most recent call last):
    ...
    ValueError: table='nope' is not a course table; valid tables: campaigns, customers, ...
    """
    if table not in TABLES:
        valid = ", ".join(sorted(TABLES))
        raise ValueError(f"table={table!r} is not a course table; valid tables: {valid}")
    return list(TABLES[table])


def describe(table: str) -> "pandas.DataFrame":  # noqa: F821, UP037
    """Return a table's columns with dtype, unit and meaning, as a DataFrame.

    Used by the datacards and by lessons that show "what is in this table".

    Parameters
    ----------
    table : str
        One of the keys of :data:`TABLES`.

    Returns
    -------
    pandas.DataFrame
        Columns ``column, dtype, unit, description``.

    Examples
    --------
    >>> describe("products").iloc[0].tolist()
    ['product_id', 'string', '', 'Product identifier']
    """
    import pandas as pd

    cols = columns(table)
    spec = TABLES[table]
    return pd.DataFrame(
        [(c, spec[c].dtype, spec[c].unit, spec[c].description) for c in cols],
        columns=["column", "dtype", "unit", "description"],
    )
