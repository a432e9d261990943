"""Marketing automation: trigger rules as data, contact policies, and measuring each rule.

A CRM's automation module sends a message when something happens: a
customer signs up (welcome), has a birthday, has not bought for N days
(win-back), had a ticket resolved (follow-up), gave a low score (detractor
call-back within 48 hours) or a holiday comes. Here each rule is **data**, a
:class:`Rule` row, not code, so a shop can read, change and audit its rules
(:data:`DEFAULT_RULES`, :func:`rules_table`).

The engine (:func:`run_rules`) turns a world into a send log in three steps:

1. :func:`trigger_events`: every moment a rule's trigger fires in the period;
2. each event is randomly **held out** (a control group, ``holdout`` share
   per rule) so the rule's effect can be measured, not assumed;
3. contact **policies**, in time order: marketing rules need marketing
   consent and no earlier opt-out; at most ``cap`` marketing messages per
   customer in any ``cap_days`` days (service messages, the ticket follow-up
   and the detractor call, are exempt); nothing is sent in the **quiet
   hours** (21:00-09:00): such sends wait until 09:00.

Held-out events go through the same policies, so treated and control events
are alike except for the message. :func:`rule_effects` then measures every
rule with :func:`crm_lessons.effects.ab_test`; :func:`rule_costs` counts
what a rule costs in unsubscribes and complaints, per segment.

Taught in lesson 13 (*Inside a CRM system*).

Examples
--------
>>> rules_table().loc["win_back", ["trigger", "channel", "kind"]].tolist()
['no_purchase_for', 'sms', 'marketing']
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from crm_lessons._checks import as_timestamp, require_columns, require_dataframe
from crm_lessons.effects import ab_test

__all__ = [
    "DEFAULT_RULES",
    "QUIET_HOURS",
    "Rule",
    "rule_costs",
    "rule_effects",
    "rules_table",
    "run_rules",
    "trigger_events",
]

TRIGGERS = ("signup", "birthday", "no_purchase_for", "ticket_resolved", "detractor", "date")
#: Start and end hour of the quiet hours (no message from 21:00 to 09:00).
QUIET_HOURS = (21, 9)


@dataclass(frozen=True)
class Rule:
    """One automation rule.

    Attributes
    ----------
    name : str
        Rule id.
    trigger : str
        One of ``signup, birthday, no_purchase_for, ticket_resolved, detractor, date``.
    channel : str
        ``email``, ``sms``, ``app`` or ``phone``.
    kind : str
        ``marketing`` (needs consent, counts towards the cap) or ``service``.
    delay_days : float
        Days after the trigger to send (for ``no_purchase_for``: the N days).
    window_days : int
        Days after the send in which a purchase counts as a conversion.
    holdout : float
        Share of events held out as a control group.
    on : str
        For ``trigger="date"``: the day (``"MM-DD"``) the rule fires.
    message : str
        What is sent, in words.
    """

    name: str
    trigger: str
    channel: str
    kind: str
    delay_days: float
    window_days: int = 14
    holdout: float = 0.2
    on: str = ""
    message: str = ""


#: The six rules of lesson 13.
DEFAULT_RULES = (
    Rule("welcome", "signup", "email", "marketing", 1, message="Welcome + 10 % off the 2nd visit"),
    Rule("birthday", "birthday", "sms", "marketing", 0, message="Happy birthday: a free treat"),
    Rule("win_back", "no_purchase_for", "sms", "marketing", 60, message="We miss you: 15 % off"),
    Rule("post_ticket", "ticket_resolved", "email", "service", 1,
         message="Was your problem solved? Reply to reopen"),
    Rule("detractor_callback", "detractor", "phone", "service", 0.1,
         message="A manager calls back within 48 hours"),
    Rule("holiday_offer", "date", "app", "marketing", 0, on="12-10",
         message="Holiday gift box offer"),
)  # fmt: skip


def rules_table(rules: Any = DEFAULT_RULES) -> pd.DataFrame:
    """The rules as a table (one row per rule, indexed by name).

    Examples
    --------
    >>> rules_table().index.tolist()[:3]
    ['welcome', 'birthday', 'win_back']
    """
    return pd.DataFrame([asdict(r) for r in rules]).set_index("name")


def _check_rules(rules: Any) -> list[Rule]:
    rules = list(rules)
    for r in rules:
        if not isinstance(r, Rule):
            raise TypeError(f"rules must hold Rule objects; got {r!r}")
        if r.trigger not in TRIGGERS:
            raise ValueError(
                f"rule {r.name!r}: trigger={r.trigger!r} is not valid; valid: {TRIGGERS}"
            )
        if r.kind not in ("marketing", "service"):
            raise ValueError(
                f"rule {r.name!r}: kind={r.kind!r} is not valid; use marketing or service"
            )
        if not 0.0 < r.holdout < 1.0:
            raise ValueError(
                f"rule {r.name!r}: holdout={r.holdout!r} is not valid; use a share in (0, 1)"
            )
    names = [r.name for r in rules]
    if len(set(names)) != len(names):
        raise ValueError(f"rule names must be unique; got {names}")
    return rules


def trigger_events(
    world: Any,
    rules: Any = DEFAULT_RULES,
    *,
    start: Any,
    end: Any,
    birthdays: pd.Series | None = None,
) -> pd.DataFrame:
    """Every moment a rule's trigger fires between ``start`` and ``end``.

    Parameters
    ----------
    world : World or mapping
        Needs ``customers``, ``orders``, ``tickets`` and ``surveys``.
    rules : sequence of Rule
        The rules.
    start, end : date-like
        The period (inclusive days).
    birthdays : pandas.Series, optional
        Birthday (``"MM-DD"``) per ``customer_id``; without it the birthday
        rule does not fire.

    Returns
    -------
    pandas.DataFrame
        ``rule, customer_id, trigger_at, due_at`` (trigger plus delay),
        sorted by ``due_at``.
    """
    rules = _check_rules(rules)
    t0 = as_timestamp(start, "start").normalize()
    t1 = as_timestamp(end, "end").normalize() + pd.Timedelta(days=1) - pd.Timedelta(seconds=1)
    cust = world["customers"]
    orders = world["orders"]
    orders = orders[orders["customer_id"].notna() & ~orders["is_return"].astype(bool)]
    parts = []
    for r in rules:
        delay = pd.Timedelta(days=r.delay_days)
        if r.trigger == "signup":
            ev = pd.DataFrame(
                {"customer_id": cust["customer_id"], "trigger_at": cust["signup_date"]}
            )
        elif r.trigger == "birthday":
            if birthdays is None:
                continue
            rows = []
            for year in range(t0.year, t1.year + 1):
                days = pd.to_datetime(f"{year}-" + birthdays.astype(str), errors="coerce")
                rows.append(
                    pd.DataFrame(
                        {
                            "customer_id": birthdays.index,
                            "trigger_at": days + pd.Timedelta(hours=8),
                        }
                    )
                )
            ev = pd.concat(rows, ignore_index=True).dropna()
            signed = (
                cust.set_index("customer_id")["signup_date"].reindex(ev["customer_id"]).to_numpy()
            )
            ev = ev[ev["trigger_at"].to_numpy() >= signed]
        elif r.trigger == "no_purchase_for":
            o = orders[["customer_id", "date"]].sort_values(["customer_id", "date"])
            nxt = o.groupby("customer_id")["date"].shift(-1)
            due = o["date"] + delay
            lapsed = nxt.isna() | (nxt > due)
            ev = pd.DataFrame(
                {"customer_id": o["customer_id"][lapsed], "trigger_at": o["date"][lapsed]}
            )
        elif r.trigger == "ticket_resolved":
            tk = world["tickets"].dropna(subset=["resolved_at"])
            ev = pd.DataFrame({"customer_id": tk["customer_id"], "trigger_at": tk["resolved_at"]})
        elif r.trigger == "detractor":
            sv = world["surveys"]
            sv = sv[sv["nps"] <= 6]
            ev = pd.DataFrame({"customer_id": sv["customer_id"], "trigger_at": sv["date"]})
        else:  # fixed date
            day = pd.Timestamp(f"{t1.year}-{r.on}") + pd.Timedelta(hours=10)
            known = cust[cust["signup_date"] <= day]
            ev = pd.DataFrame({"customer_id": known["customer_id"], "trigger_at": day})
        ev = ev.assign(rule=r.name, due_at=pd.to_datetime(ev["trigger_at"]) + delay)
        ev = ev[(ev["due_at"] >= t0) & (ev["due_at"] <= t1)]
        parts.append(ev)
    out = pd.concat(parts, ignore_index=True)
    out["customer_id"] = out["customer_id"].astype("string")
    out["rule"] = out["rule"].astype("string")
    out["trigger_at"] = pd.to_datetime(out["trigger_at"]).astype("datetime64[ns]")
    out["due_at"] = out["due_at"].astype("datetime64[ns]").dt.floor("s")
    out = out.sort_values(["due_at", "rule", "customer_id"], kind="stable").reset_index(drop=True)
    return out[["rule", "customer_id", "trigger_at", "due_at"]]


def _after_quiet(t: pd.Timestamp) -> pd.Timestamp:
    q0, q1 = QUIET_HOURS
    if t.hour >= q0:
        return (t + pd.Timedelta(days=1)).normalize() + pd.Timedelta(hours=q1)
    if t.hour < q1:
        return t.normalize() + pd.Timedelta(hours=q1)
    return t


def run_rules(
    events: pd.DataFrame,
    customers: pd.DataFrame,
    rules: Any = DEFAULT_RULES,
    *,
    cap: int = 2,
    cap_days: int = 7,
    opt_out_at: pd.Series | None = None,
    random_state: Any = None,
) -> pd.DataFrame:
    """Hold out a control group per rule and apply consent, opt-outs, cap and quiet hours.

    Parameters
    ----------
    events : pandas.DataFrame
        Output of :func:`trigger_events`.
    customers : pandas.DataFrame
        With ``customer_id`` and ``marketing_consent``.
    rules : sequence of Rule
        The rules that produced ``events``.
    cap : int, default 2
        Most marketing messages per customer in any ``cap_days`` days.
    cap_days : int, default 7
        Length of the cap's window.
    opt_out_at : pandas.Series, optional
        Time each customer opted out (index ``customer_id``); later marketing
        is suppressed.
    random_state : None, int or numpy.random.Generator
        Seed of the hold-out draw.

    Returns
    -------
    pandas.DataFrame
        ``events`` plus ``group`` (``treatment``/``control``), ``send_at``
        (after the quiet hours) and ``status``: ``sent``, ``held_out``,
        ``no_consent``, ``opted_out`` or ``capped``. Held-out events pass
        through the same policies (a capped control event is ``capped``), so
        ``sent`` and ``held_out`` events are comparable.

    Examples
    --------
    >>> ev = pd.DataFrame({"rule": ["welcome"] * 3, "customer_id": ["A", "A", "B"],
    ...     "trigger_at": pd.to_datetime(["2025-01-01 22:00"] * 3),
    ...     "due_at": pd.to_datetime(["2025-01-02 22:30", "2025-01-03 10:00", "2025-01-03 10:00"])})
    >>> cu = pd.DataFrame({"customer_id": ["A", "B"], "marketing_consent": [True, False]})
    >>> out = run_rules(ev, cu, cap=1, random_state=0)
    >>> out[["customer_id", "send_at", "status"]].astype(str).values.tolist()
    [['A', '2025-01-03 09:00:00', 'sent'], ['A', '2025-01-03 10:00:00', 'capped'], ['B', '2025-01-03 10:00:00', 'no_consent']]
    """
    rules = {r.name: r for r in _check_rules(rules)}
    require_dataframe(events, "events")
    require_columns(events, ["rule", "customer_id", "due_at"], "events")
    require_columns(customers, ["customer_id", "marketing_consent"], "customers")
    if isinstance(cap, bool) or not isinstance(cap, (int, np.integer)) or cap < 1:
        raise ValueError(f"cap={cap!r} is not valid; use a positive int")
    unknown = sorted(set(events["rule"]) - set(rules))
    if unknown:
        raise ValueError(f"events name rules {unknown} that are not in rules={list(rules)}")
    rng = np.random.default_rng(random_state)
    share = events["rule"].map({k: r.holdout for k, r in rules.items()}).to_numpy(dtype=float)
    control = rng.random(len(events)) < share
    consent = customers.set_index("customer_id")["marketing_consent"].astype(bool)
    opted = {} if opt_out_at is None else opt_out_at.dropna().to_dict()
    window = pd.Timedelta(days=cap_days)
    recent: dict[str, deque] = defaultdict(deque)
    send_at, status = [], []
    for rule, cid, due, ctl in zip(
        events["rule"], events["customer_id"], events["due_at"], control, strict=True
    ):
        r = rules[rule]
        t = _after_quiet(pd.Timestamp(due))
        send_at.append(t)
        if r.kind == "marketing":
            if not bool(consent.get(cid, False)):
                status.append("no_consent")
                continue
            if cid in opted and opted[cid] <= t:
                status.append("opted_out")
                continue
            q = recent[cid]
            while q and q[0] <= t - window:
                q.popleft()
            if len(q) >= cap:
                status.append("capped")
                continue
            q.append(t)
        status.append("held_out" if ctl else "sent")
    out = events.copy()
    out["group"] = pd.array(np.where(control, "control", "treatment"), dtype="string")
    out["send_at"] = pd.to_datetime(pd.Series(send_at, index=out.index)).astype("datetime64[ns]")
    out["status"] = pd.array(status, dtype="string")
    return out


def _measured(sends: pd.DataFrame) -> pd.DataFrame:
    return sends[sends["status"].isin(["sent", "held_out"])]


def rule_effects(sends: pd.DataFrame, *, confidence: float = 0.95) -> pd.DataFrame:
    """Each rule's effect on conversion and revenue against its hold-out control.

    Parameters
    ----------
    sends : pandas.DataFrame
        A send log with ``rule, status, group, converted, revenue`` (e.g. from
        :func:`generators.automation.simulate_automation`).
    confidence : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        :func:`crm_lessons.effects.ab_test` by rule: index ``(rule, metric)``.
    """
    require_columns(sends, ["rule", "status", "group", "converted", "revenue"], "sends")
    return ab_test(_measured(sends), by="rule", confidence=confidence)


def rule_costs(sends: pd.DataFrame, *, segment: str = "segment") -> pd.DataFrame:
    """Unsubscribes and complaints per message, by rule and segment, net of the control.

    The control group was not messaged, so its rates show what happens
    anyway; the difference is what the rule costs.

    Parameters
    ----------
    sends : pandas.DataFrame
        With ``rule, status, group, unsubscribed, complained`` and ``segment``.
    segment : str
        Segment column.

    Returns
    -------
    pandas.DataFrame
        Index ``(rule, segment)``; columns ``sent, unsubscribe_rate,
        unsubscribe_rate_control, extra_unsubscribes_per_1000,
        complaint_rate, extra_complaints_per_1000``.
    """
    require_columns(
        sends, ["rule", "status", "group", "unsubscribed", "complained", segment], "sends"
    )
    m = _measured(sends).copy()
    m["unsubscribed"] = m["unsubscribed"].astype(float)
    m["complained"] = m["complained"].astype(float)
    g = m.groupby(["rule", segment, "group"], observed=True)[["unsubscribed", "complained"]]
    rates = g.mean().unstack("group")
    n = m[m["group"] == "treatment"].groupby(["rule", segment], observed=True).size()
    out = pd.DataFrame(
        {
            "sent": n,
            "unsubscribe_rate": rates[("unsubscribed", "treatment")],
            "unsubscribe_rate_control": rates[("unsubscribed", "control")],
            "complaint_rate": rates[("complained", "treatment")],
            "complaint_rate_control": rates[("complained", "control")],
        }
    )
    out["extra_unsubscribes_per_1000"] = 1000 * (
        out["unsubscribe_rate"] - out["unsubscribe_rate_control"]
    )
    out["extra_complaints_per_1000"] = 1000 * (
        out["complaint_rate"] - out["complaint_rate_control"]
    )
    return out
