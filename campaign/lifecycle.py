"""A case's status, derived from facts by one transition table (read it beside domain.md, "A case and its life").

``derive`` looks at the facts (letters dispatched, UWV list, exemptions, pauses, no-action reason, sanction
track) and returns the status of the FIRST rule that holds. ``refresh_cases`` stores the result on the case
(``Case.status`` is only a cache) and writes a case event on every change. A change that the life cycle
does not allow (``ALLOWED_FROM`` / ``NOT_FROM``) raises ``IllegalTransition``: facts that contradict each
other are a bug to be seen, not a status to be guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from campaign.bulk import id_in, insert_rows, update_rows
from campaign.case_facts import FACT_CHUNK, CaseFacts, Ladder, chunks, load_facts, load_ladders
from campaign.dates import deadline_after, dutch_date
from campaign.errors import IllegalTransition
from campaign.models import PAUSE_REASONS, Case, CaseEvent, utcnow
from campaign.status import NO_ACTION_REASONS, STATUS_LABELS, Status


@dataclass(frozen=True)
class Rule:
    """When ``holds(facts, ladder, today)``: the case has ``status``; ``reason`` explains it in Dutch."""

    name: str
    status: Status
    holds: Callable[[CaseFacts, Ladder, dt.date], bool]
    reason: Callable[[CaseFacts, Ladder, dt.date], str]


def ultimatum_deadline(facts: CaseFacts, ladder: Ladder) -> dt.date | None:
    """The deadline of the dispatched ultimatum (as printed; computed by the working-day rule if absent)."""
    step = ladder.ultimatum
    if step is None:
        return None
    letter = facts.letters.get(step.position)
    if letter is None or not letter.dispatched:
        return None
    return letter.deadline or deadline_after(letter.dispatched_on, step.deadline_days or 14)


def _registered_reason(f: CaseFacts, _l: Ladder, _t: dt.date) -> str:
    return f"Ingeschreven volgens de UWV-lijst met peildatum {dutch_date(f.latest_list.peildatum)}"


def _exemption_reason(f: CaseFacts, _l: Ladder, _t: dt.date) -> str:
    until = f" tot en met {dutch_date(f.exemption_active_until)}" if f.exemption_active_until else ""
    return f"Ontheffing verleend{until}"


def _pause_reason(f: CaseFacts, _l: Ladder, _t: dt.date) -> str:
    label = PAUSE_REASONS.get(f.pause_reason or "", f.pause_reason or "")
    until = f" (tot en met {dutch_date(f.pause_until)})" if f.pause_until else ""
    return f"Gepauzeerd: {label}{until}"


def _deadline_passed(f: CaseFacts, ladder: Ladder, today: dt.date) -> bool:
    deadline = ultimatum_deadline(f, ladder)
    return deadline is not None and deadline < today


#: The transition table. Order matters: the first rule that holds decides the status.
RULES: tuple[Rule, ...] = (
    Rule("a decision on a sanction was made", Status.BESLUIT,
         lambda f, lad, t: f.proposal_status == "besluit",
         lambda f, lad, t: "Besluit over een maatregel genomen"),
    Rule("a notice of intent was made (approved by a beslisser)", Status.VOORNEMEN,
         lambda f, lad, t: f.proposal_status == "voornemen",
         lambda f, lad, t: "Voornemen maatregel" + (
             f", zienswijze mogelijk tot en met {dutch_date(f.proposal_view_deadline)}"
             if f.proposal_view_deadline else "")),
    Rule("a no-action reason applies", Status.GEEN_ACTIE,
         lambda f, lad, t: bool(f.no_action_reason),
         lambda f, lad, t: NO_ACTION_REASONS.get(f.no_action_reason or "", f.no_action_reason or "")),
    Rule("registered according to the latest UWV list", Status.INGESCHREVEN,
         lambda f, lad, t: f.registered, _registered_reason),
    Rule("an exemption is active", Status.ONTHEFFING,
         lambda f, lad, t: f.exemption_active, _exemption_reason),
    Rule("an exemption request is pending", Status.ONTHEFFING_AANGEVRAAGD,
         lambda f, lad, t: f.exemption_pending,
         lambda f, lad, t: "Ontheffing aangevraagd, wacht op besluit"),
    Rule("a pause is active", Status.GEPAUZEERD,
         lambda f, lad, t: f.paused, _pause_reason),
    Rule("the sanction proposal was assessed", Status.BEOORDEELD,
         lambda f, lad, t: f.proposal_status == "beoordeeld",
         lambda f, lad, t: "Voorstel beoordeeld, wacht op goedkeuring door een beslisser"),
    Rule("a sanction is proposed", Status.MAATREGEL_VOORSTEL,
         lambda f, lad, t: f.proposal_status == "voorstel",
         lambda f, lad, t: "Voorstel maatregel, wacht op beoordeling"),
    Rule("the ultimatum deadline has passed", Status.TERMIJN_VERSTREKEN,
         _deadline_passed,
         lambda f, lad, t: f"Termijn verstreken op {dutch_date(ultimatum_deadline(f, lad))}"),
    Rule("a letter was made or dispatched", Status.AANGESCHREVEN,
         lambda f, lad, t: bool(f.letters),
         lambda f, lad, t: (f"Stap {f.dispatched_step} verzonden" if f.dispatched_step else "Brief aangemaakt")),
    Rule("otherwise", Status.POOL,
         lambda f, lad, t: True,
         lambda f, lad, t: ""),
)  # fmt: skip

SANCTION_TRACK = frozenset({Status.MAATREGEL_VOORSTEL, Status.BEOORDEELD, Status.VOORNEMEN, Status.BESLUIT})

#: Only these statuses may lead to the key one (a decision only after a notice of intent, etc.).
ALLOWED_FROM: dict[Status, frozenset[Status]] = {
    Status.BESLUIT: frozenset({Status.VOORNEMEN}),
    Status.VOORNEMEN: frozenset({Status.BEOORDEELD, Status.BESLUIT}),
}
#: The key status may never follow these (nothing returns to the pool once the ultimatum is out;
#: no proposal without a letter; a decision is final except for an undo before dispatch).
NOT_FROM: dict[Status, frozenset[Status]] = {
    Status.POOL: frozenset({Status.TERMIJN_VERSTREKEN}) | SANCTION_TRACK,
    Status.MAATREGEL_VOORSTEL: frozenset({Status.POOL}),
    Status.BEOORDEELD: frozenset({Status.POOL}),
}
#: From the key status only these may follow: a decision changes only by an undo before dispatch (back to the
#: notice of intent) or by its withdrawal after dispatch (letters.followups), after which the facts decide again.
ALLOWED_TO: dict[Status, frozenset[Status]] = {
    Status.BESLUIT: frozenset({Status.VOORNEMEN, Status.GEEN_ACTIE, Status.INGESCHREVEN, Status.ONTHEFFING,
                               Status.ONTHEFFING_AANGEVRAAGD, Status.GEPAUZEERD, Status.TERMIJN_VERSTREKEN}),
}  # fmt: skip


@dataclass(frozen=True)
class Derived:
    status: Status
    reason: str
    rule: str
    current_step: int
    next_step_due: dt.date | None
    deadline: dt.date | None


def derive(facts: CaseFacts, ladder: Ladder, today: dt.date) -> Derived:
    """The status and the ladder position of one case, from its facts."""
    for rule in RULES:
        if rule.holds(facts, ladder, today):
            break
    current = facts.dispatched_step
    next_due = None
    if current >= 1:
        nxt = ladder.step(current + 1)
        if nxt is not None and nxt.kind in ("herinnering", "ultimatum"):
            next_due = facts.letters[current].dispatched_on + dt.timedelta(days=nxt.delay_days)
    deadline = ultimatum_deadline(facts, ladder)
    if rule.status == Status.VOORNEMEN and facts.proposal_view_deadline:
        deadline = facts.proposal_view_deadline
    return Derived(rule.status, rule.reason(facts, ladder, today)[:200], rule.name, current, next_due, deadline)


def check_transition(old: Status | str, new: Status | str) -> None:
    """Raise ``IllegalTransition`` when the life cycle does not allow ``old -> new``."""
    old, new = Status(old), Status(new)
    if old == new:
        return
    allowed = ALLOWED_FROM.get(new)
    forbidden = NOT_FROM.get(new, frozenset())
    allowed_to = ALLOWED_TO.get(old)
    if (
        (allowed is not None and old not in allowed)
        or old in forbidden
        or (allowed_to is not None and new not in allowed_to)
    ):
        raise IllegalTransition(f"Een dossier kan niet van '{STATUS_LABELS[old]}' naar '{STATUS_LABELS[new]}' gaan.")


def refresh_cases(session: orm.Session, case_ids: Iterable[int], today: dt.date, actor_id: int | None) -> None:
    """Re-derive Case.status (and step, next due date, deadline) from the facts; a case event on every change."""
    refresh_and_report(session, case_ids, today, actor_id)


def refresh_and_report(
    session: orm.Session, case_ids: Iterable[int], today: dt.date, actor_id: int | None
) -> list[tuple[int, str, str]]:
    """As ``refresh_cases``; returns the status changes as (case id, old status, new status)."""
    session.flush()
    ids = sorted(set(case_ids))
    changes: list[tuple[int, str, str]] = []
    if not ids:
        return changes
    cases_table = Case.__table__
    for chunk in chunks(ids, FACT_CHUNK):
        facts = load_facts(session, chunk, today)
        ladders = load_ladders(session, {f.campaign_id for f in facts.values()})
        current = {
            row.id: row
            for row in session.execute(
                sa.select(
                    Case.id, Case.status, Case.status_reason, Case.current_step, Case.next_step_due, Case.deadline
                ).where(id_in(Case.id, chunk, session))
            )
        }
        updates, events = [], []
        for case_id, f in facts.items():
            d = derive(f, ladders[f.campaign_id], today)
            row = current[case_id]
            if (row.status, row.status_reason, row.current_step, row.next_step_due, row.deadline) == (
                d.status.value,
                d.reason,
                d.current_step,
                d.next_step_due,
                d.deadline,
            ):
                continue
            if row.status != d.status.value:
                check_transition(row.status, d.status)
                changes.append((case_id, row.status, d.status.value))
                events.append(
                    {
                        "case_id": case_id,
                        "actor_id": actor_id,
                        "kind": "status",
                        "summary": f"Status: {STATUS_LABELS[d.status]}" + (f" ({d.reason})" if d.reason else ""),
                        "data": {"from": row.status, "to": d.status.value, "rule": d.rule, "day": today.isoformat()},
                        "at": utcnow(),
                    }
                )
            updates.append(
                {
                    "b_id": case_id,
                    "status": d.status.value,
                    "status_reason": d.reason,
                    "current_step": d.current_step,
                    "next_step_due": d.next_step_due,
                    "deadline": d.deadline,
                }
            )
        if updates:
            update_rows(session, cases_table, "b_id", updates, bump_version=True)
            _expire_loaded(session, {u["b_id"] for u in updates})
        insert_rows(session, CaseEvent.__table__, events)
    return changes


def _expire_loaded(session: orm.Session, ids: set[int]) -> None:
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Case) and obj.id in ids:
            session.expire(obj)


def derive_case(session: orm.Session, case: Case, today: dt.date) -> Derived:
    """The derived status of one case without storing it (for pages that explain a case)."""
    session.flush()
    facts = load_facts(session, [case.id], today)[case.id]
    return derive(facts, load_ladders(session, [case.campaign_id])[case.campaign_id], today)
