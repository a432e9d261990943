"""Doctests and notebooks run headless: use matplotlib's Agg backend for doctests."""

import matplotlib

matplotlib.use("Agg")
