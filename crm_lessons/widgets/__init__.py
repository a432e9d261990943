"""Interactive widgets for the lessons, one module per topic.

Every widget has a *headless twin*: a plain function taking the same inputs
and returning the table or figure the widget shows, so that the logic is
tested without a browser and a learner without a live kernel can still call it.
"""

__all__: list[str] = []
