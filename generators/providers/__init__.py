"""One provider module per domain of the synthetic world.

Each provider takes counts first, options keyword-only and a numpy Generator
(``random_state``) last, and is vectorised over customers and orders.
"""

__all__: list[str] = []
