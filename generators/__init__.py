"""The synthetic SME world generator: the course's data source with hidden ground truth.

Examples
--------
>>> from generators import make_world
>>> w = make_world("online_store", 100, random_state=0)
>>> w.params["r"], w.params["alpha"], len(w.customers)
(0.4, 6.0, 100)

Beside a world, three functions draw what a CRM system adds to it, each with its
own ``random_state`` and its own ground truth, leaving the world unchanged:

>>> from generators import make_channel_exports, simulate_automation
>>> sorted(make_channel_exports(w, random_state=0))[:2]
['channel_links', 'pos_customers']
>>> "sends" in simulate_automation(w, random_state=0)
True
"""

from generators.automation import simulate_automation
from generators.channels import make_channel_exports
from generators.pipeline import make_pipeline
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
    "make_channel_exports",
    "make_customers",
    "make_pipeline",
    "make_products",
    "make_surveys",
    "make_tickets",
    "make_transactions",
    "make_world",
    "simulate_automation",
]
