"""The synthetic SME world generator: the course's data source with hidden ground truth.

Examples
--------
>>> from generators import make_world
>>> w = make_world("online_store", 100, random_state=0)
>>> w.params["r"], w.params["alpha"], len(w.customers)
(0.4, 6.0, 100)
"""

from generators.scenarios import SCENARIOS
from generators.world import (
    make_campaigns,
    make_customers,
    make_products,
    make_surveys,
    make_tickets,
    make_transactions,
    make_world,
)

__all__ = [
    "SCENARIOS",
    "make_campaigns",
    "make_customers",
    "make_products",
    "make_surveys",
    "make_tickets",
    "make_transactions",
    "make_world",
]
