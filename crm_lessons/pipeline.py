"""Sales automation for B2B: the pipeline from lead to won deal, and lead scoring.

A B2B sales team works a **pipeline** (銷售漏斗 / 销售漏斗): leads come in from
several sources; some become **opportunities**, which move through stages
(qualification, proposal, negotiation) until they are **won** or **lost**.
This module reads the ``leads``, ``opportunities`` and ``opportunity_stages``
tables (see :data:`TABLES`; :func:`generators.pipeline.make_pipeline` draws
them with ground truth) and answers the sales manager's questions:

* :func:`stage_conversion`: of the deals that entered a stage and whose fate
  there is known, how many moved on;
* :func:`win_rate`: won / (won + lost), overall or by source or owner;
* :func:`velocity`: days spent per stage, the sales cycle, and sales velocity
  ``open deals x win rate x mean won value / mean cycle days`` (money per day);
* :func:`forecast_quarter`: the quarter's bookings forecast from the open
  pipeline at its start (each deal weighted by the historic chance to be won
  from its stage within the quarter) plus the run rate of deals opened and won
  inside a quarter, against what actually closed;
* :func:`score_leads`: a lead-scoring model trained on older leads and tested
  on newer ones (a time split, as it would be used), against a baseline that
  knows only each source's conversion rate.

Taught in lesson 13 (*Inside a CRM system*).

Examples
--------
>>> opps = pd.DataFrame({"stage": ["won", "lost", "won", "proposal"],
...                      "source": ["referral", "web_form", "web_form", "web_form"]})
>>> win_rate(opps)
0.6666666666666666
>>> win_rate(opps, by="source")["win_rate"].tolist()
[1.0, 0.5]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crm_lessons import schema
from crm_lessons._checks import as_timestamp, require_columns, require_dataframe

__all__ = [
    "STAGES",
    "TABLES",
    "TABLE_KEYS",
    "forecast_quarter",
    "score_leads",
    "stage_conversion",
    "velocity",
    "win_rate",
]

#: Open stages in order; a deal then ends as "won" or "lost".
STAGES = ("qualification", "proposal", "negotiation")
_ALL_STAGES = (*STAGES, "won")

Col = schema.Column

TABLES: dict[str, dict[str, schema.Column]] = {
    "leads": {
        "lead_id": Col("string", "", "Lead identifier"),
        "created_at": Col("datetime64[ns]", "", "When the lead came in"),
        "source": Col("string", "", "Where the lead came from"),
        "customer_id": Col("string", "", "Existing account (cross-sell leads only)"),
        "ticket_id": Col("string", "", "Support ticket on which the lead was raised"),
        "company_size": Col("Int64", "employees", "Employees of the lead's company"),
        "industry": Col("string", "", "Industry of the lead's company"),
        "n_engagements": Col(
            "Int64", "events", "Site visits, e-mail clicks and calls in the first week"
        ),
        "demo_requested": Col("boolean", "", "Asked for a demo in the first week"),
        "owner": Col("string", "", "Sales rep who owns the lead"),
        "converted": Col("boolean", "", "Became an opportunity"),
        "converted_at": Col("datetime64[ns]", "", "When it became an opportunity"),
    },
    "opportunities": {
        "opportunity_id": Col("string", "", "Opportunity identifier"),
        "lead_id": Col("string", "", "Lead it came from"),
        "customer_id": Col("string", "", "Existing account (cross-sell), else missing"),
        "owner": Col("string", "", "Sales rep"),
        "created_at": Col("datetime64[ns]", "", "When the opportunity was opened"),
        "amount": Col("float64", "currency", "Deal value (first-year contract)"),
        "stage": Col("string", "", "Current stage, or 'won' / 'lost' once closed"),
        "closed_at": Col("datetime64[ns]", "", "When it was won or lost (missing while open)"),
    },
    "opportunity_stages": {
        "opportunity_id": Col("string", "", "Opportunity identifier"),
        "stage": Col("string", "", "Stage entered"),
        "entered_at": Col("datetime64[ns]", "", "When the opportunity entered the stage"),
    },
    "pipeline_truth": {
        "lead_id": Col("string", "", "Lead identifier"),
        "quality": Col("float64", "z-score", "Hidden lead quality"),
        "p_convert": Col("float64", "probability", "True chance the lead becomes an opportunity"),
        "p_win": Col("float64", "probability", "True chance its opportunity is won"),
    },
}

#: Keys and rules of the pipeline tables, read by :mod:`crm_lessons.crmdb`.
TABLE_KEYS = {
    "leads": dict(
        primary=("lead_id",),
        foreign={
            "customer_id": ("customers", "customer_id"),
            "ticket_id": ("tickets", "ticket_id"),
        },
        nullable=("customer_id", "ticket_id", "converted_at"),
        checks=("company_size > 0", "converted = (converted_at IS NOT NULL)"),
    ),
    "opportunities": dict(
        primary=("opportunity_id",),
        foreign={"lead_id": ("leads", "lead_id"), "customer_id": ("customers", "customer_id")},
        nullable=("customer_id", "closed_at"),
        checks=(
            "amount > 0",
            "stage IN ('qualification', 'proposal', 'negotiation', 'won', 'lost')",
            "(stage IN ('won', 'lost')) = (closed_at IS NOT NULL)",
        ),
    ),
    "opportunity_stages": dict(
        primary=("opportunity_id", "stage"),
        foreign={"opportunity_id": ("opportunities", "opportunity_id")},
        checks=("stage IN ('qualification', 'proposal', 'negotiation', 'won', 'lost')",),
    ),
    "pipeline_truth": dict(primary=("lead_id",), foreign={"lead_id": ("leads", "lead_id")}),
}


def _check(df: Any, cols: list[str], arg: str) -> None:
    require_dataframe(df, arg)
    require_columns(df, cols, arg)


def win_rate(
    opportunities: pd.DataFrame, *, by: str | None = None, stage: str = "stage"
) -> float | pd.DataFrame:
    """Share of closed deals that were won: won / (won + lost).

    Open deals are left out: their fate is not known yet.

    Parameters
    ----------
    opportunities : pandas.DataFrame
        One row per opportunity with a ``stage`` column (``"won"``, ``"lost"``
        or an open stage).
    by : str, optional
        Column to split by (e.g. ``"source"`` or ``"owner"``).
    stage : str
        Column name.

    Returns
    -------
    float or pandas.DataFrame
        The win rate, or one row per ``by`` value with ``won, lost, win_rate``.

    Examples
    --------
    >>> win_rate(pd.DataFrame({"stage": ["won", "lost", "lost", "proposal"]}))
    0.3333333333333333
    """
    _check(opportunities, [stage] + ([by] if by else []), "opportunities")
    won = opportunities[stage].eq("won")
    lost = opportunities[stage].eq("lost")
    if by is None:
        closed = int(won.sum() + lost.sum())
        return float(won.sum() / closed) if closed else float("nan")
    t = pd.DataFrame({"won": won, "lost": lost, by: opportunities[by]})
    out = t.groupby(by, observed=True)[["won", "lost"]].sum()
    out["win_rate"] = out["won"] / (out["won"] + out["lost"])
    return out


def _state_at(stages: pd.DataFrame, at: pd.Timestamp | None) -> pd.DataFrame:
    """Per opportunity: stage entry times (wide) and the stage reached by ``at``."""
    s = stages if at is None else stages[stages["entered_at"] <= at]
    wide = s.pivot(index="opportunity_id", columns="stage", values="entered_at")
    for col in (*_ALL_STAGES, "lost"):
        if col not in wide.columns:
            wide[col] = pd.NaT
    order = {name: i for i, name in enumerate((*STAGES, "won", "lost"))}
    last = s.assign(o=s["stage"].map(order)).sort_values(["opportunity_id", "o"])
    wide["current"] = last.groupby("opportunity_id")["stage"].last()
    return wide


def stage_conversion(stages: pd.DataFrame) -> pd.DataFrame:
    """Conversion from each open stage to the next, from the stage history.

    A deal that entered a stage either moved on, was lost there or is still
    there; the conversion rate counts only the first two (its fate is known).

    Parameters
    ----------
    stages : pandas.DataFrame
        ``opportunity_stages``: one row per (``opportunity_id``, ``stage``) with
        ``entered_at``.

    Returns
    -------
    pandas.DataFrame
        Index ``stage``; columns ``entered, advanced, lost, still_open,
        conversion`` (advanced / (advanced + lost)) and ``reach_won`` (share of
        closed deals entering the stage that were won in the end).

    Examples
    --------
    >>> st = pd.DataFrame({"opportunity_id": ["A", "A", "B", "B", "C"],
    ...     "stage": ["qualification", "proposal", "qualification", "lost", "qualification"],
    ...     "entered_at": pd.to_datetime(["2024-01-01", "2024-01-05", "2024-01-02",
    ...                                   "2024-01-09", "2024-01-03"])})
    >>> t = stage_conversion(st)
    >>> t.loc["qualification", ["entered", "advanced", "lost", "still_open"]].astype(int).tolist()
    [3, 1, 1, 1]
    >>> float(t.loc["qualification", "conversion"])
    0.5
    """
    _check(stages, ["opportunity_id", "stage", "entered_at"], "stages")
    wide = _state_at(stages, None)
    rows = {}
    nxt = dict(zip(STAGES, _ALL_STAGES[1:], strict=True))
    for s in STAGES:
        entered = wide[s].notna()
        advanced = entered & wide[nxt[s]].notna()
        here = entered & ~advanced
        lost = here & wide["lost"].notna()
        still = here & ~lost
        closed = entered & (wide["won"].notna() | wide["lost"].notna())
        won = entered & wide["won"].notna()
        rows[s] = {
            "entered": int(entered.sum()),
            "advanced": int(advanced.sum()),
            "lost": int(lost.sum()),
            "still_open": int(still.sum()),
            "conversion": advanced.sum() / max(int(advanced.sum() + lost.sum()), 1),
            "reach_won": won.sum() / max(int(closed.sum()), 1),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "stage"
    return out


def velocity(opportunities: pd.DataFrame, stages: pd.DataFrame) -> dict[str, Any]:
    """Days per stage, the sales cycle and sales velocity (money per day).

    Sales velocity = open deals x win rate x mean won value / mean cycle days
    of won deals: how much money the current pipeline turns into per day.

    Parameters
    ----------
    opportunities : pandas.DataFrame
        With ``opportunity_id, created_at, amount, stage, closed_at``.
    stages : pandas.DataFrame
        ``opportunity_stages``.

    Returns
    -------
    dict
        ``days_in_stage`` (Series of median days per open stage, from completed
        stays), ``cycle_days`` (mean days from opening to winning),
        ``win_rate``, ``mean_won_value``, ``open_deals`` and ``velocity_per_day``.
    """
    _check(
        opportunities,
        ["opportunity_id", "created_at", "amount", "stage", "closed_at"],
        "opportunities",
    )
    _check(stages, ["opportunity_id", "stage", "entered_at"], "stages")
    st = stages.sort_values(["opportunity_id", "entered_at"])
    nxt_time = st.groupby("opportunity_id")["entered_at"].shift(-1)
    stay = (nxt_time - st["entered_at"]).dt.total_seconds() / 86400
    days = stay[st["stage"].isin(STAGES)].groupby(st["stage"]).median()
    won = opportunities[opportunities["stage"].eq("won")]
    cycle = float(((won["closed_at"] - won["created_at"]).dt.total_seconds() / 86400).mean())
    wr = win_rate(opportunities)
    mean_won = float(won["amount"].mean())
    n_open = int(opportunities["stage"].isin(STAGES).sum())
    return {
        "days_in_stage": days.reindex(list(STAGES)),
        "cycle_days": cycle,
        "win_rate": wr,
        "mean_won_value": mean_won,
        "open_deals": n_open,
        "velocity_per_day": n_open * wr * mean_won / cycle if cycle > 0 else float("nan"),
    }


def forecast_quarter(
    opportunities: pd.DataFrame, stages: pd.DataFrame, *, quarter_start: Any
) -> dict[str, Any]:
    """Forecast a quarter's bookings at its first day and compare with what closed.

    Only what was known on ``quarter_start`` is used:

    * each deal open that day is weighted by the historic chance that a deal
      in its stage is won **within the quarter**: the stage's historic win
      rate (deals that entered the stage and closed before the quarter) times
      the share of such won deals that closed within the quarter's length of
      the deal's time already spent in the stage;
    * deals that will be opened *and* won inside the quarter are forecast by
      the run rate of the (up to four) previous quarters.

    Parameters
    ----------
    opportunities : pandas.DataFrame
        With ``opportunity_id, created_at, amount, stage, closed_at``.
    stages : pandas.DataFrame
        ``opportunity_stages``.
    quarter_start : date-like
        First day of the quarter to forecast.

    Returns
    -------
    dict
        ``by_stage`` (DataFrame: open deals, pipeline value, weight and
        forecast per stage), ``open_pipeline_forecast``, ``new_deals_forecast``,
        ``forecast``, ``actual`` (value won in the quarter) and
        ``error_share`` ((forecast - actual) / actual).
    """
    _check(
        opportunities,
        ["opportunity_id", "created_at", "amount", "stage", "closed_at"],
        "opportunities",
    )
    _check(stages, ["opportunity_id", "stage", "entered_at"], "stages")
    qs = as_timestamp(quarter_start, "quarter_start").normalize()
    qe = qs + pd.DateOffset(months=3)
    length = (qe - qs).days
    amount = opportunities.set_index("opportunity_id")["amount"]
    hist = _state_at(stages, qs - pd.Timedelta(seconds=1))
    rows = []
    for s in STAGES:
        entered = hist[s].notna()
        closed = entered & (hist["won"].notna() | hist["lost"].notna())
        won = entered & hist["won"].notna()
        p_win = won.sum() / max(int(closed.sum()), 1)
        dur = ((hist.loc[won, "won"] - hist.loc[won, s]).dt.total_seconds() / 86400).to_numpy()
        open_here = hist.index[hist["current"].eq(s)]
        age = ((qs - hist.loc[open_here, s]).dt.total_seconds() / 86400).to_numpy()
        if len(dur):
            f_age = (dur[None, :] <= age[:, None]).mean(axis=1)
            f_end = (dur[None, :] <= (age + length)[:, None]).mean(axis=1)
            within = np.where(f_age < 1, (f_end - f_age) / np.maximum(1 - f_age, 1e-12), 0.0)
        else:
            within = np.zeros(len(open_here))
        weight = p_win * within
        value = amount.reindex(open_here).to_numpy()
        rows.append(
            {
                "stage": s,
                "open_deals": len(open_here),
                "pipeline_value": float(value.sum()),
                "p_win_from_stage": float(p_win),
                "mean_weight": float(weight.mean()) if len(weight) else 0.0,
                "forecast": float((weight * value).sum()),
            }
        )
    by_stage = pd.DataFrame(rows).set_index("stage")
    # run rate of deals opened and won inside the same quarter
    runs = []
    for k in range(1, 5):
        ps, pe = qs - pd.DateOffset(months=3 * k), qs - pd.DateOffset(months=3 * (k - 1))
        if ps < opportunities["created_at"].min():
            break
        inside = (
            opportunities["created_at"].between(ps, pe, inclusive="left")
            & opportunities["stage"].eq("won")
            & (opportunities["closed_at"] < pe)
        )
        runs.append(float(opportunities.loc[inside, "amount"].sum()))
    new = float(np.mean(runs)) if runs else 0.0
    won_q = opportunities["stage"].eq("won") & opportunities["closed_at"].between(
        qs, qe, inclusive="left"
    )
    actual = float(opportunities.loc[won_q, "amount"].sum())
    fc = float(by_stage["forecast"].sum()) + new
    return {
        "quarter": f"{qs:%Y-%m-%d} to {qe - pd.Timedelta(days=1):%Y-%m-%d}",
        "by_stage": by_stage,
        "open_pipeline_forecast": float(by_stage["forecast"].sum()),
        "new_deals_forecast": new,
        "forecast": fc,
        "actual": actual,
        "error_share": (fc - actual) / actual if actual else float("nan"),
    }


_NUMERIC = ("company_size", "n_engagements", "demo_requested")


def _lead_features(leads: pd.DataFrame, sources: list[str], industries: list[str]) -> np.ndarray:
    cols = [
        np.log1p(leads["company_size"].astype("float64").to_numpy()),
        leads["n_engagements"].astype("float64").to_numpy(),
        leads["demo_requested"].astype("float64").to_numpy(),
    ]
    cols += [leads["source"].eq(s).to_numpy(dtype=float) for s in sources[1:]]
    cols += [leads["industry"].eq(s).to_numpy(dtype=float) for s in industries[1:]]
    return np.column_stack(cols)


def score_leads(
    leads: pd.DataFrame,
    *,
    split: Any,
    outcome_days: int = 30,
    truth: pd.DataFrame | None = None,
    random_state: Any = 0,
) -> dict[str, Any]:
    """Lead scoring with a time split, against a source-only baseline.

    A logistic regression on what is known in a lead's first week (source,
    company size, industry, engagements, demo request) is fitted on the
    leads created before ``split`` and tested on the later ones, as it would
    be used. The baseline scores each lead by its source's conversion rate
    in the training leads. Leads created less than ``outcome_days`` before
    the last lead are left out of the test: their outcome is not known yet.

    Parameters
    ----------
    leads : pandas.DataFrame
        ``leads`` with ``created_at, source, company_size, industry,
        n_engagements, demo_requested, converted``.
    split : date-like
        First day of the test period.
    outcome_days : int, default 30
        Days a lead needs before its outcome counts as known.
    truth : pandas.DataFrame, optional
        ``pipeline_truth`` (``lead_id, p_convert``); adds the AUC of the true
        probabilities, the best any model could do.
    random_state : int, default 0
        Seed of the model's solver (kept for the course's seeding rule).

    Returns
    -------
    dict
        ``auc_model``, ``auc_baseline``, ``auc_truth`` (or None),
        ``top_decile_rate_model``, ``top_decile_rate_baseline``,
        ``base_rate``, ``n_train``, ``n_test`` and ``test`` (the test leads
        with both scores).
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    need = ["created_at", "source", "company_size", "industry", "n_engagements",
            "demo_requested", "converted"]  # fmt: skip
    _check(leads, need, "leads")
    cut = as_timestamp(split, "split")
    last_known = leads["created_at"].max() - pd.Timedelta(days=int(outcome_days))
    train = leads[leads["created_at"] < cut]
    test = leads[(leads["created_at"] >= cut) & (leads["created_at"] <= last_known)]
    if len(train) == 0 or len(test) == 0:
        raise ValueError(
            f"split={split!r} leaves {len(train)} training and {len(test)} test leads; pick a "
            f"date between {leads['created_at'].min():%Y-%m-%d} and {last_known:%Y-%m-%d}"
        )
    sources = sorted(leads["source"].unique())
    industries = sorted(leads["industry"].unique())
    y_tr = train["converted"].astype(bool).to_numpy()
    y_te = test["converted"].astype(bool).to_numpy()
    x_tr, x_te = (_lead_features(d, sources, industries) for d in (train, test))
    mu, sd = x_tr.mean(axis=0), x_tr.std(axis=0) + 1e-12
    model = LogisticRegression(C=1.0, max_iter=1000, random_state=random_state)
    model.fit((x_tr - mu) / sd, y_tr)
    s_model = model.predict_proba((x_te - mu) / sd)[:, 1]
    rates = train.groupby("source")["converted"].mean().astype(float)
    s_base = test["source"].map(rates).fillna(y_tr.mean()).to_numpy(dtype=float)
    out_test = test.assign(score_model=s_model, score_baseline=s_base)
    n_top = max(1, len(test) // 10)

    def _top(score: np.ndarray) -> float:
        # ties broken by a seeded shuffle, so a flat score is not flattered by order
        rng = np.random.default_rng(random_state)
        order = np.lexsort((rng.random(len(score)), -score))
        return float(y_te[order[:n_top]].mean())

    auc_truth = None
    if truth is not None:
        p = test[["lead_id"]].merge(truth, on="lead_id", how="left")["p_convert"]
        auc_truth = float(roc_auc_score(y_te, p.to_numpy()))
    return {
        "auc_model": float(roc_auc_score(y_te, s_model)),
        "auc_baseline": float(roc_auc_score(y_te, s_base)),
        "auc_truth": auc_truth,
        "top_decile_rate_model": _top(s_model),
        "top_decile_rate_baseline": _top(s_base),
        "base_rate": float(y_te.mean()),
        "n_train": len(train),
        "n_test": len(test),
        "test": out_test,
    }
