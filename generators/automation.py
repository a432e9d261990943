"""A year of marketing-automation rules run over a world, with known true effects.

:func:`simulate_automation` runs :mod:`crm_lessons.automation`'s engine
over the last year of a world and draws what each message did. It takes the
world and an **independent** ``random_state`` and never touches the world's
own random stream.

How outcomes are drawn (the truth a lesson can check its estimates against):

* **What would have happened anyway** comes from the world itself: an event
  "converts" without any message when the customer placed an order within
  the rule's window after the send time (``baseline_converted``,
  ``baseline_revenue``). Held-out (control) events keep exactly that.
* A sent message adds a purchase, with the rule's true probability
  :data:`TRUE_UPLIFT`, to customers who would not have bought anyway; the
  added purchase is worth the customer's true mean order value (from the
  world's ``truth`` table). So the true effect of a rule on the conversion
  rate of its measured events is ``uplift x (share of them who would not
  have bought anyway)``, kept in ``automation_truth``.
* A sent message makes the customer unsubscribe or complain with the rule's
  rate (:data:`UNSUBSCRIBE`, :data:`COMPLAINT`) times a segment factor
  (:data:`SEGMENT_FACTOR`): deal seekers (``need_price`` at least 0.5) mind
  offers less than the others. An unsubscribe suppresses that customer's
  later marketing messages.
* Birthdays are drawn here (uniform over the year), since the world keeps
  only the birth year.

The uplifts are illustrative assumptions, not measured facts; they are set
so that the lesson can test the claims made for birthday wishes and holiday
gifts instead of repeating them: the birthday greeting's true effect is
small and the holiday blast's smaller still.

Examples
--------
>>> from generators.world import make_world
>>> w = make_world("coffee_shop", 300, random_state=1, progress=False)
>>> sim = simulate_automation(w, random_state=0)
>>> list(sim)
['sends', 'automation_truth', 'birthdays']
>>> set(sim.sends["status"]) <= {"sent", "held_out", "no_consent", "opted_out", "capped"}
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crm_lessons.automation import DEFAULT_RULES, run_rules, trigger_events
from crm_lessons.datasets import World
from generators._util import check_random_state

__all__ = ["COMPLAINT", "SEGMENT_FACTOR", "TRUE_UPLIFT", "UNSUBSCRIBE", "simulate_automation"]

#: True added purchase probability of a sent message, for a customer who would not have bought.
TRUE_UPLIFT = {
    "welcome": 0.06,
    "birthday": 0.01,
    "win_back": 0.05,
    "post_ticket": 0.03,
    "detractor_callback": 0.10,
    "holiday_offer": 0.005,
}
#: Chance a sent message makes the customer unsubscribe (before the segment factor).
UNSUBSCRIBE = {
    "welcome": 0.004,
    "birthday": 0.002,
    "win_back": 0.02,
    "post_ticket": 0.003,
    "detractor_callback": 0.0,
    "holiday_offer": 0.012,
}
#: Chance a sent message draws a complaint (before the segment factor).
COMPLAINT = {
    "welcome": 0.001,
    "birthday": 0.0005,
    "win_back": 0.006,
    "post_ticket": 0.001,
    "detractor_callback": 0.0,
    "holiday_offer": 0.004,
}
#: Segment factor on unsubscribes and complaints.
SEGMENT_FACTOR = {"deal_seeker": 0.6, "other": 1.4}


def simulate_automation(
    world: Any,
    rules: Any = DEFAULT_RULES,
    *,
    cap: int = 2,
    cap_days: int = 7,
    random_state: Any = None,
) -> World:
    """Run the automation rules over the world's last year and draw their outcomes.

    Parameters
    ----------
    world : World
        A generated or committed world (``customers``, ``orders``,
        ``tickets``, ``surveys``, ``truth``); not changed.
    rules : sequence of crm_lessons.automation.Rule
        Rules to run; each needs an entry in :data:`TRUE_UPLIFT`,
        :data:`UNSUBSCRIBE` and :data:`COMPLAINT`.
    cap, cap_days : int
        Frequency cap (see :func:`crm_lessons.automation.run_rules`).
    random_state : None, int or numpy.random.Generator
        Seed of this simulation (independent of the world's).

    Returns
    -------
    World
        ``sends`` (the send log with ``segment``, ``converted``,
        ``revenue``, ``unsubscribed``, ``complained`` and the baseline
        columns), ``automation_truth`` (per rule: true effects on
        conversion and revenue per measured event, and the rates used) and
        ``birthdays``.
    """
    rng = check_random_state(random_state)
    missing = [r.name for r in rules if r.name not in TRUE_UPLIFT]
    if missing:
        raise ValueError(f"rules {missing} have no true uplift; valid rules: {list(TRUE_UPLIFT)}")
    end = pd.Timestamp(world.params["end"])
    start = end - pd.Timedelta(days=364)
    cust = world["customers"]
    day = rng.integers(0, 365, len(cust))
    bdays = pd.Series(
        (pd.Timestamp("2001-01-01") + pd.to_timedelta(day, unit="D")).strftime("%m-%d"),
        index=cust["customer_id"].to_numpy(),
        name="birthday",
    )
    events = trigger_events(world, rules, start=start, end=end, birthdays=bdays)
    # the engine runs twice: first without opt-outs to know who is messaged, then
    # with the opt-outs those messages caused, in time order (an unsubscribe stops later sends)
    seed = int(rng.integers(2**31))
    sends = run_rules(events, cust, rules, cap=cap, cap_days=cap_days, random_state=seed)
    seg_of = pd.Series(
        np.where(cust["need_price"].to_numpy(dtype=float) >= 0.5, "deal_seeker", "other"),
        index=cust["customer_id"].to_numpy(),
    )
    seg = seg_of.reindex(sends["customer_id"].to_numpy()).to_numpy()
    fac = pd.Series(seg).map(SEGMENT_FACTOR).to_numpy(dtype=float)
    u_unsub = rng.random(len(sends))
    u_comp = rng.random(len(sends))
    u_conv = rng.random(len(sends))
    noise = rng.lognormal(0.0, 0.3, len(sends))
    p_unsub = sends["rule"].map(UNSUBSCRIBE).to_numpy(dtype=float) * fac
    marketing = (
        sends["rule"].map({r.name: r.kind == "marketing" for r in rules}).to_numpy(dtype=bool)
    )
    first_unsub = (sends["status"].eq("sent").to_numpy()) & marketing & (u_unsub < p_unsub)
    opt = (
        pd.DataFrame({"c": sends["customer_id"], "t": sends["send_at"]})[first_unsub]
        .groupby("c")["t"]
        .min()
    )
    opt = opt + pd.Timedelta(seconds=1)
    sends = run_rules(
        events, cust, rules, cap=cap, cap_days=cap_days, opt_out_at=opt, random_state=seed
    )
    sent = sends["status"].eq("sent").to_numpy()
    # baseline: did the customer order within the window after the send?
    window = sends["rule"].map({r.name: r.window_days for r in rules}).to_numpy(dtype=float)
    o = world["orders"]
    o = o[o["customer_id"].notna() & ~o["is_return"].astype(bool)]
    by_c = {
        c: (g["date"].to_numpy(), g["amount"].to_numpy(dtype=float))
        for c, g in o.groupby("customer_id")
    }
    base_conv = np.zeros(len(sends), dtype=bool)
    base_rev = np.zeros(len(sends))
    for i, (c, t, w) in enumerate(
        zip(sends["customer_id"], sends["send_at"].to_numpy(), window, strict=True)
    ):
        if c in by_c:
            d, a = by_c[c]
            m = (d > t) & (d <= t + np.timedelta64(int(w * 86400), "s"))
            if m.any():
                base_conv[i] = True
                base_rev[i] = a[m].sum()
    mov = (
        world["truth"]
        .set_index("customer_id")["mean_order_value"]
        .reindex(sends["customer_id"].to_numpy())
    ).to_numpy(dtype=float)
    uplift = sends["rule"].map(TRUE_UPLIFT).to_numpy(dtype=float)
    extra = sent & ~base_conv & (u_conv < uplift)
    money = np.round(mov * noise, 2)
    sends["segment"] = pd.array(seg, dtype="string")
    sends["baseline_converted"] = base_conv
    sends["baseline_revenue"] = base_rev
    sends["converted"] = base_conv | extra
    sends["revenue"] = base_rev + np.where(extra, money, 0.0)
    p_unsub = sends["rule"].map(UNSUBSCRIBE).to_numpy(dtype=float) * fac
    p_comp = sends["rule"].map(COMPLAINT).to_numpy(dtype=float) * fac
    sends["unsubscribed"] = sent & marketing & (u_unsub < p_unsub)
    sends["complained"] = sent & (u_comp < p_comp)
    measured = sends["status"].isin(["sent", "held_out"]).to_numpy()
    rows = []
    for r in rules:
        k = measured & sends["rule"].eq(r.name).to_numpy()
        not_anyway = ~base_conv[k]
        rows.append(
            {
                "rule": r.name,
                "measured_events": int(k.sum()),
                "true_uplift_if_no_purchase_anyway": TRUE_UPLIFT[r.name],
                "true_conversion_effect": float(TRUE_UPLIFT[r.name] * not_anyway.mean())
                if k.any()
                else 0.0,
                "true_revenue_effect": float(TRUE_UPLIFT[r.name] * (not_anyway * mov[k]).mean())
                if k.any()
                else 0.0,
                "unsubscribe_rate": UNSUBSCRIBE[r.name],
                "complaint_rate": COMPLAINT[r.name],
            }
        )
    truth = pd.DataFrame(rows)
    truth["rule"] = truth["rule"].astype("string")
    return World(
        {
            "sends": sends,
            "automation_truth": truth,
            "birthdays": bdays.rename_axis("customer_id").reset_index(),
        },
        {"start": str(start.date()), "end": str(end.date()), "cap": cap, "cap_days": cap_days},
    )
