"""One call for the checks a learner can read, for any BTYD model (lesson 10).

:func:`check_model` takes a fitted BG/NBD, MBG/NBD or Pareto/NBD model
(lifetimes' or :func:`crm_lessons.clv_fit.fit_btyd`'s) and its summary and
returns, in one object:

* ``frequency_recency``: expected purchases in the next period for each
  combination of past frequency and recency (customers of the oldest age);
* ``p_alive``: P(alive) on the same grid;
* ``repeat_histogram``: how many customers made 0, 1, 2, ... repeat
  purchases, observed and expected by the model (the "does it fit at all?"
  check of Fader, Hardie & Lee 2005, Figure 1);
* ``holdout`` (when a calibration/holdout table is given): actual and
  predicted holdout purchases by calibration frequency, and the totals;
* ``plot()``: the four panels in one figure.

The expected histogram uses ``P(X(T) = x)`` for each customer's own age
``T``: BG/NBD eq. (8) of Fader, Hardie & Lee (2005), its MBG/NBD analogue
(Batislam et al. 2007), and for Pareto/NBD the Poisson-gamma count mixed
over the Pareto (Lomax) lifetime by Gauss-Legendre quadrature.

Examples
--------
>>> from crm_lessons.clv import fit_bgnbd
>>> from crm_lessons.datasets import load_cdnow_summary
>>> s = load_cdnow_summary()
>>> checks = check_model(fit_bgnbd(s), s)
>>> checks.repeat_histogram.loc[0].round(0).tolist()   # observed, expected
[1411.0, 1408.0]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import betaln, gammaln

from crm_lessons.clv_fit import MODELS, BTYDFit, as_btyd_fit

__all__ = ["ModelChecks", "check_model", "repeat_purchase_probabilities"]


def _nb_log_pmf(x: np.ndarray, r: float, alpha: float, t: np.ndarray) -> np.ndarray:
    """Log P(X(t) = x) of a Poisson count with Gamma(r, alpha) rate (NBD)."""
    return (
        gammaln(r + x)
        - gammaln(r)
        - gammaln(x + 1)
        + r * (np.log(alpha) - np.log(alpha + t))
        + x * (np.log(t) - np.log(alpha + t))
    )


def _nb_cdf_below(x: np.ndarray, r: float, alpha: float, t: np.ndarray) -> np.ndarray:
    """P(NBD count < x), summed term by term (x up to a few hundred)."""
    x = np.asarray(x)
    top = int(x.max()) if x.size else 0
    out = np.zeros(np.broadcast(x, t).shape)
    for j in range(top):
        out += np.where(j < x, np.exp(_nb_log_pmf(np.float64(j), r, alpha, t)), 0.0)
    return out


def repeat_purchase_probabilities(model: str, params: Any, t: Any, x: Any) -> np.ndarray:
    """Return ``P(X(t) = x)``: the chance a new customer makes ``x`` repeat purchases by ``t``.

    Parameters
    ----------
    model : {"BG/NBD", "MBG/NBD", "Pareto/NBD"}
        Model name.
    params : sequence of 4 floats
        ``r, alpha, a, b`` or ``r, alpha, s, beta``.
    t, x : array-like
        Ages and counts, broadcast together.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> p = repeat_purchase_probabilities("BG/NBD", (0.243, 4.414, 0.793, 2.426), 39, np.arange(200))
    >>> round(float(p.sum()), 6), round(float(p[0]), 3)
    (1.0, 0.574)
    """
    if model not in ("BG/NBD", "MBG/NBD", "Pareto/NBD"):
        raise ValueError(f"model={model!r} is not valid; use BG/NBD, MBG/NBD or Pareto/NBD")
    r, alpha, c, d = (float(v) for v in params)
    t, x = np.broadcast_arrays(np.asarray(t, dtype="float64"), np.asarray(x, dtype="float64"))
    nb = np.exp(_nb_log_pmf(x, r, alpha, t))
    if model == "BG/NBD":
        a, b = c, d
        alive = np.exp(betaln(a, b + x) - betaln(a, b)) * nb
        gone = np.where(
            x > 0,
            np.exp(betaln(a + 1, b + np.maximum(x, 1) - 1) - betaln(a, b))
            * (1 - _nb_cdf_below(x, r, alpha, t)),
            0.0,
        )
        return alive + gone
    if model == "MBG/NBD":
        a, b = c, d
        alive = np.exp(betaln(a, b + x + 1) - betaln(a, b)) * nb
        gone = np.exp(betaln(a + 1, b + x) - betaln(a, b)) * (1 - _nb_cdf_below(x, r, alpha, t))
        return alive + gone
    s, beta = c, d
    # alive through t, or dies at u < t (Lomax density) having bought x times by u
    nodes, weights = np.polynomial.legendre.leggauss(64)
    out = np.exp(s * (np.log(beta) - np.log(beta + t))) * nb
    for node, weight in zip(nodes, weights, strict=True):
        u = t * (node + 1) / 2
        dens = s * np.exp(s * np.log(beta) - (s + 1) * np.log(beta + u))
        with np.errstate(divide="ignore", invalid="ignore"):
            pmf = np.where(u > 0, np.exp(_nb_log_pmf(x, r, alpha, u)), (x == 0) * 1.0)
        out = out + weight * t / 2 * dens * pmf
    return out


@dataclass
class ModelChecks:
    """Result of :func:`check_model`; every table is plain pandas.

    Attributes
    ----------
    model : str
        Model name.
    frequency_recency : pandas.DataFrame
        Expected purchases in the next ``t`` (rows: recency, columns: frequency).
    p_alive : pandas.DataFrame
        P(alive) on the same grid.
    repeat_histogram : pandas.DataFrame
        Index ``0 ... k-1`` and ``"k+"``; columns ``observed, expected``.
    holdout : pandas.DataFrame or None
        By calibration frequency: ``customers, actual, predicted`` (means),
        with a ``total`` row of sums.
    """

    model: str
    frequency_recency: pd.DataFrame
    p_alive: pd.DataFrame
    repeat_histogram: pd.DataFrame
    holdout: pd.DataFrame | None

    def plot(self) -> Any:
        """Draw the four checks in one figure and return it."""
        import matplotlib.pyplot as plt

        n = 4 if self.holdout is not None else 3
        fig, axes = plt.subplots(1, n, figsize=(4.6 * n, 4.0))
        for ax, table, title in (
            (axes[0], self.frequency_recency, "Expected purchases next period"),
            (axes[1], self.p_alive, "Chance the customer is still active"),
        ):
            im = ax.imshow(table.to_numpy(), aspect="auto", origin="upper", cmap="viridis")
            ax.grid(False)
            ax.set_title(title)
            ax.set_xlabel("Repeat purchases so far (frequency)")
            ax.set_ylabel("Age at last purchase (recency)")
            fig.colorbar(im, ax=ax, shrink=0.8)
        h = self.repeat_histogram
        pos = np.arange(len(h))
        axes[2].bar(pos - 0.2, h["observed"], width=0.4, label="Observed")
        axes[2].bar(pos + 0.2, h["expected"], width=0.4, label=f"{self.model} expects")
        axes[2].set_xticks(pos, [str(i) for i in h.index])
        axes[2].set_title("Customers by number of repeat purchases")
        axes[2].set_xlabel("Repeat purchases in the calibration period")
        axes[2].set_ylabel("Customers")
        axes[2].legend()
        if self.holdout is not None:
            ho = self.holdout.drop(index="total")
            axes[3].plot(ho.index.astype(str), ho["actual"], marker="o", label="Actual")
            axes[3].plot(ho.index.astype(str), ho["predicted"], marker="s", label="Predicted")
            axes[3].set_title("Holdout purchases per customer")
            axes[3].set_xlabel("Repeat purchases in the calibration period")
            axes[3].set_ylabel("Purchases in the holdout period")
            axes[3].legend()
        fig.tight_layout()
        return fig


def check_model(
    model: Any,
    summary: pd.DataFrame,
    *,
    holdout: pd.DataFrame | None = None,
    max_frequency: int | None = None,
    n_bins: int = 7,
    t: float = 1.0,
    frequency: str = "frequency",
    recency: str = "recency",
    T: str = "T",  # noqa: N803
) -> ModelChecks:
    """Compute the model checks a learner can read, for any BTYD model, in one call.

    Parameters
    ----------
    model : fitted lifetimes BG/NBD, MBG/NBD or Pareto/NBD model, or BTYDFit
        Fitted on ``summary``.
    summary : pandas.DataFrame
        The calibration summary (``frequency, recency, T``).
    holdout : pandas.DataFrame, optional
        Output of :func:`crm_lessons.lifetimes_compat.calibration_and_holdout_data`
        for the same customers (adds the holdout check).
    max_frequency : int, optional
        Largest frequency in the matrices; default the 99th percentile.
    n_bins : int, default 7
        Histogram bins ``0 ... n_bins-1`` and ``n_bins+``.
    t : float, default 1.0
        Length of the "next period" of the frequency/recency matrix.
    frequency, recency, T : str
        Column names.

    Returns
    -------
    ModelChecks

    Examples
    --------
    >>> from crm_lessons.clv import fit_pareto_nbd
    >>> from crm_lessons.datasets import load_cdnow_summary
    >>> s = load_cdnow_summary()
    >>> h = check_model(fit_pareto_nbd(s), s).repeat_histogram
    >>> int(h["observed"].sum()), round(float(h["expected"].sum()))
    (2357, 2357)
    """
    fit: BTYDFit = as_btyd_fit(model, summary, frequency=frequency, recency=recency, T=T)
    if fit.model == "Gamma-Gamma":
        raise ValueError("model is a Gamma-Gamma spend model; check_model needs a purchase model")
    if isinstance(n_bins, bool) or int(n_bins) != n_bins or n_bins < 1:
        raise ValueError(f"n_bins={n_bins!r} must be a whole number >= 1")
    spec = MODELS[fit.model]
    params = fit.params_.to_numpy()
    x = summary[frequency].to_numpy(dtype="float64")
    age = summary[T].to_numpy(dtype="float64")
    top = int(np.quantile(x, 0.99)) if max_frequency is None else int(max_frequency)
    if top < 1:
        top = 1
    t_max = float(np.max(age))
    rec = np.arange(0, int(np.ceil(t_max)) + 1, dtype="float64")
    rec = np.minimum(rec, t_max)
    ff, rr = np.meshgrid(np.arange(top + 1, dtype="float64"), rec)
    rr = np.where(ff == 0, 0.0, rr)  # a customer without repeat purchase has recency 0
    with np.errstate(all="ignore"):
        pa = spec["p_alive"](params, ff, rr, t_max)
        ex = spec["expected"](params, t, ff, rr, t_max)
    cols = pd.Index(np.arange(top + 1), name="frequency")
    idx = pd.Index(rec.round(2), name="recency")
    # histogram: observed vs expected, each customer at their own age
    ages, counts = np.unique(age, return_counts=True)
    k = int(n_bins)
    probs = np.array(
        [
            np.dot(counts, repeat_purchase_probabilities(fit.model, params, ages, j))
            for j in range(k)
        ]
    )
    observed = np.bincount(np.minimum(x, k).astype("int64"), minlength=k + 1)[: k + 1]
    hist = pd.DataFrame(
        {
            "observed": observed.astype("float64"),
            "expected": np.append(probs, len(x) - probs.sum()),
        },
        index=pd.Index([*range(k), f"{k}+"], name="repeat_purchases"),
    )
    ho_table = None
    if holdout is not None:
        need = ["frequency_cal", "recency_cal", "T_cal", "frequency_holdout", "duration_holdout"]
        missing = [c for c in need if c not in holdout.columns]
        if missing:
            raise ValueError(
                f"holdout lacks {missing}; pass the table of calibration_and_holdout_data"
            )
        fx = holdout["frequency_cal"].to_numpy(dtype="float64")
        pred = spec["expected"](
            params,
            holdout["duration_holdout"].to_numpy(dtype="float64"),
            fx,
            holdout["recency_cal"].to_numpy(dtype="float64"),
            holdout["T_cal"].to_numpy(dtype="float64"),
        )
        group = np.minimum(fx, k).astype("int64")
        frame = pd.DataFrame(
            {"group": group, "actual": holdout["frequency_holdout"].to_numpy(), "predicted": pred}
        )
        g = frame.groupby("group")
        ho_table = pd.DataFrame(
            {
                "customers": g.size(),
                "actual": g["actual"].mean(),
                "predicted": g["predicted"].mean(),
            }
        )
        ho_table.index = [str(i) if i < k else f"{k}+" for i in ho_table.index]
        ho_table.loc["total"] = [len(frame), frame["actual"].sum(), frame["predicted"].sum()]
        ho_table.index.name = "frequency_cal"
    return ModelChecks(
        model=fit.model,
        frequency_recency=pd.DataFrame(ex, index=idx, columns=cols),
        p_alive=pd.DataFrame(pa, index=idx, columns=cols),
        repeat_histogram=hist,
        holdout=ho_table,
    )
