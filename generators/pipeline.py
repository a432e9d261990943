"""A B2B sales pipeline for a world: leads, opportunities, stage history and the truth.

The committed ``b2b_service`` world has accounts, orders and support tickets
but no sales pipeline. :func:`make_pipeline` adds one **without touching the
world's own random stream**: it takes the world and an independent
``random_state`` and draws

* **leads** from five sources (web form, referral, event, cold outreach,
  partner) plus **support tickets**, where an agent spots a chance to sell
  more to an existing account (cross-selling during support calls);
* for each lead a hidden quality; observable signals (company size,
  engagements, demo request) depend on it, and so does the chance that the
  lead becomes an **opportunity**;
* opportunities move through ``qualification -> proposal -> negotiation ->
  won``; at each stage they advance with a known probability (higher for
  better leads) or are lost; time in each stage is drawn from a gamma
  distribution; deals still moving at the end of the window stay open.

Every probability is kept in ``pipeline_truth`` (one row per lead) so models
can be checked against it.

The levels are illustrative, not measured: referrals and support-ticket
leads convert better than cold outreach, about a quarter of leads become
opportunities and about a third of opportunities are won, so that every
number a lesson computes has enough deals behind it at 600 accounts.

Examples
--------
>>> from generators.world import make_world
>>> w = make_world("b2b_service", 120, random_state=2, progress=False)
>>> p = make_pipeline(w, random_state=0)
>>> list(p)
['leads', 'opportunities', 'opportunity_stages', 'pipeline_truth']
>>> set(p.opportunities["stage"]) <= set(STAGES) | {"won", "lost"}
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from crm_lessons.datasets import World
from crm_lessons.pipeline import STAGES
from generators._util import check_random_state

__all__ = [
    "ADVANCE",
    "LEAD_SOURCES",
    "make_pipeline",
]

#: Lead sources: (share of new-business leads, intercept of lead -> opportunity logit).
LEAD_SOURCES = {
    "web_form": (0.35, -1.7),
    "referral": (0.15, -0.6),
    "event": (0.15, -1.3),
    "cold_outreach": (0.25, -2.6),
    "partner": (0.10, -1.0),
}
#: Cross-sell leads raised by support agents on a ticket (existing accounts).
TICKET_SOURCE = ("support_ticket", -0.9)
#: Base probability of advancing out of each open stage (logit shifted by lead quality).
ADVANCE = {"qualification": 0.60, "proposal": 0.60, "negotiation": 0.70}
#: Mean days spent in each open stage.
STAGE_DAYS = {"qualification": 12.0, "proposal": 18.0, "negotiation": 14.0}
OWNERS = ("Ana", "Ben", "Chen", "Dana", "Eli")
INDUSTRIES = ("retail", "logistics", "health", "finance", "manufacturing")


def _ids(prefix: str, n: int) -> pd.array:
    width = max(5, len(str(n)))
    return pd.array([f"{prefix}{i:0{width}d}" for i in range(1, n + 1)], dtype="string")


def make_pipeline(
    world: Any,
    *,
    n_leads: int | None = None,
    ticket_lead_share: float = 0.06,
    random_state: Any = None,
) -> World:
    """Draw a B2B sales pipeline (leads, opportunities, stages, truth) for ``world``.

    Parameters
    ----------
    world : World
        A generated or committed world (uses ``customers``, ``tickets`` and
        ``params["start"]``/``params["end"]``). It is not changed.
    n_leads : int, optional
        New-business leads over the window; default 2.5 per account.
    ticket_lead_share : float, default 0.06
        Share of support tickets on which an agent raises a cross-sell lead.
    random_state : None, int or numpy.random.Generator
        Seed of this pipeline's own random stream (independent of the world's).

    Returns
    -------
    World
        Tables ``leads``, ``opportunities``, ``opportunity_stages`` and
        ``pipeline_truth``; ``params`` holds the true stage probabilities.

    Raises
    ------
    ValueError
        If ``n_leads`` or ``ticket_lead_share`` is out of range.
    """
    rng = check_random_state(random_state)
    cust, tickets = world["customers"], world["tickets"]
    start = pd.Timestamp(world.params["start"])
    end = pd.Timestamp(world.params["end"]) + pd.Timedelta(days=1) - pd.Timedelta(seconds=1)
    if n_leads is None:
        n_leads = int(round(2.5 * len(cust)))
    if isinstance(n_leads, bool) or not isinstance(n_leads, (int, np.integer)) or n_leads < 1:
        raise ValueError(f"n_leads={n_leads!r} is not valid; use a positive int")
    if not 0.0 <= float(ticket_lead_share) <= 1.0:
        raise ValueError(
            f"ticket_lead_share={ticket_lead_share!r} is not valid; use a share in [0, 1]"
        )
    span_days = (end - start).total_seconds() / 86400

    # new-business leads
    names = list(LEAD_SOURCES)
    src_idx = rng.choice(len(names), size=n_leads, p=[LEAD_SOURCES[s][0] for s in names])
    created = start + pd.to_timedelta(np.sort(rng.uniform(0, span_days, n_leads)), unit="D")
    source = np.array(names)[src_idx]
    intercept = np.array([LEAD_SOURCES[s][1] for s in names])[src_idx]
    cust_id = np.full(n_leads, None, dtype=object)
    tick_id = np.full(n_leads, None, dtype=object)
    # cross-sell leads raised on support tickets
    n_t = rng.binomial(len(tickets), float(ticket_lead_share)) if len(tickets) else 0
    if n_t:
        pick = np.sort(rng.choice(len(tickets), size=n_t, replace=False))
        tk = tickets.iloc[pick]
        t_created = (
            pd.to_datetime(tk["resolved_at"].fillna(tk["opened_at"])).to_numpy()
            + pd.to_timedelta(rng.uniform(0.05, 2.0, n_t), unit="D").to_numpy()
        )
        keep = t_created <= end.to_datetime64()
        tk, t_created = tk[keep], t_created[keep]
        n_t = len(tk)
        created = pd.DatetimeIndex(np.concatenate([created.to_numpy(), t_created]))
        source = np.concatenate([source, np.full(n_t, TICKET_SOURCE[0])])
        intercept = np.concatenate([intercept, np.full(n_t, TICKET_SOURCE[1])])
        cust_id = np.concatenate([cust_id, tk["customer_id"].to_numpy(dtype=object)])
        tick_id = np.concatenate([tick_id, tk["ticket_id"].to_numpy(dtype=object)])
    order = np.argsort(created.to_numpy(), kind="stable")
    created = created[order]
    source, intercept = source[order], intercept[order]
    cust_id, tick_id = cust_id[order], tick_id[order]
    n = len(created)

    quality = rng.standard_normal(n)
    size = np.maximum(1, np.round(np.exp(rng.normal(3.6, 1.1, n) + 0.3 * quality))).astype(int)
    engagements = rng.poisson(np.exp(0.6 + 0.55 * quality))
    demo = rng.random(n) < special.expit(-1.4 + 1.1 * quality)
    p_convert = special.expit(intercept + 1.0 * quality + 0.15 * (np.log(size) - 3.6))
    converted = rng.random(n) < p_convert
    conv_at = created + pd.to_timedelta(rng.gamma(2.0, 3.0, n), unit="D")
    converted &= conv_at <= end
    owner_idx = rng.integers(0, len(OWNERS), n)
    owners = np.array(OWNERS)[owner_idx]
    industry = np.array(INDUSTRIES)[rng.integers(0, len(INDUSTRIES), n)]

    # opportunities: stage by stage
    adv_logit = {s: special.logit(p) for s, p in ADVANCE.items()}
    p_stage = np.column_stack([special.expit(adv_logit[s] + 0.5 * quality) for s in STAGES])
    p_win = p_stage.prod(axis=1)
    lead_ids = _ids("L", n)
    oi = np.flatnonzero(converted)
    n_o = len(oi)
    opp_ids = _ids("OP", n_o)
    is_xsell = pd.notna(cust_id[oi])
    amount = np.where(
        is_xsell,
        np.exp(rng.normal(8.2, 0.5, n_o)),
        np.exp(rng.normal(8.8, 0.6, n_o) + 0.25 * (np.log(size[oi]) - 3.6)),
    )
    amount = np.round(amount, -1)
    t = pd.DatetimeIndex(conv_at[oi]).to_numpy()
    stage_rows: list[tuple[str, str, Any]] = []
    final_stage = np.empty(n_o, dtype=object)
    closed = np.full(n_o, np.datetime64("NaT"), dtype="datetime64[ns]")
    draws_adv = rng.random((n_o, len(STAGES)))
    draws_days = rng.gamma(2.0, 0.5, (n_o, len(STAGES)))
    end64 = end.to_datetime64()
    for k in range(n_o):
        now = t[k]
        for j, s in enumerate(STAGES):
            stage_rows.append((opp_ids[k], s, now))
            leave = now + np.timedelta64(int(draws_days[k, j] * STAGE_DAYS[s] * 86400), "s")
            if leave > end64:
                final_stage[k] = s
                break
            now = leave
            if draws_adv[k, j] >= p_stage[oi[k], j]:
                final_stage[k] = "lost"
                closed[k] = now
                stage_rows.append((opp_ids[k], "lost", now))
                break
        else:
            final_stage[k] = "won"
            closed[k] = now
            stage_rows.append((opp_ids[k], "won", now))

    leads = pd.DataFrame(
        {
            "lead_id": lead_ids,
            "created_at": created.astype("datetime64[ns]").floor("s"),
            "source": pd.array(source, dtype="string"),
            "customer_id": pd.array(cust_id, dtype="string"),
            "ticket_id": pd.array(tick_id, dtype="string"),
            "company_size": pd.array(size, dtype="Int64"),
            "industry": pd.array(industry, dtype="string"),
            "n_engagements": pd.array(engagements, dtype="Int64"),
            "demo_requested": pd.array(demo, dtype="boolean"),
            "owner": pd.array(owners, dtype="string"),
            "converted": pd.array(converted, dtype="boolean"),
            "converted_at": pd.Series(
                np.where(converted, pd.DatetimeIndex(conv_at).to_numpy(), np.datetime64("NaT"))
            )
            .astype("datetime64[ns]")
            .dt.floor("s"),
        }
    )
    opps = pd.DataFrame(
        {
            "opportunity_id": opp_ids,
            "lead_id": lead_ids[oi],
            "customer_id": pd.array(cust_id[oi], dtype="string"),
            "owner": pd.array(owners[oi], dtype="string"),
            "created_at": leads["converted_at"].to_numpy()[oi],
            "amount": amount.astype("float64"),
            "stage": pd.array(final_stage.astype(str), dtype="string"),
            "closed_at": pd.Series(closed).dt.floor("s"),
        }
    )
    stages = pd.DataFrame(stage_rows, columns=["opportunity_id", "stage", "entered_at"])
    stages["opportunity_id"] = stages["opportunity_id"].astype("string")
    stages["stage"] = stages["stage"].astype("string")
    stages["entered_at"] = (
        pd.to_datetime(stages["entered_at"]).astype("datetime64[ns]").dt.floor("s")
    )
    # the first stage is entered when the opportunity opens (same second)
    truth = pd.DataFrame(
        {
            "lead_id": lead_ids,
            "quality": quality.round(4),
            "p_convert": p_convert.round(6),
            "p_win": p_win.round(6),
        }
    )
    params = {
        "stages": list(STAGES),
        "advance": ADVANCE,
        "stage_days": STAGE_DAYS,
        "lead_sources": {k: list(v) for k, v in LEAD_SOURCES.items()},
        "ticket_source": list(TICKET_SOURCE),
        "world_start": str(start.date()),
        "world_end": str(end.date()),
    }
    return World(
        {
            "leads": leads,
            "opportunities": opps,
            "opportunity_stages": stages,
            "pipeline_truth": truth,
        },
        params,
    )
