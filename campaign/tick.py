"""The daily tick: housekeeping, the next ladder step's letters, sanction proposals and review reminders.

Set-based: the work is found with a few SQL statements over all cases of a campaign; only the cases
that are due are loaded, and their guards are checked from the facts in bulk. Running the tick twice
on one day changes nothing the second time (a step is never made twice; a proposal exists once).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from campaign import audit
from campaign.bulk import insert_rows, update_rows
from campaign.case_facts import chunks, latest_lists, load_facts, load_ladders
from campaign.cases import add_event
from campaign.dates import deadline_after, dutch_date
from campaign.escalation import create_step_letters_counted
from campaign.guards import GUARDS, first_guard_sql, person_blockers
from campaign.lifecycle import refresh_and_report
from campaign.models import (
    Campaign,
    Case,
    CaseEvent,
    Exemption,
    Letter,
    Pause,
    ReviewTask,
    SanctionProposal,
    TickRun,
    live_letter,
    utcnow,
)
from campaign.models.sanctions import proposal_on_record
from campaign.status import Status
from campaign.uwv import in_time_message, registered_in_time

#: A review (heroverweging) reminder is raised this many days before it is due.
REVIEW_NOTICE_DAYS = 14


def run_tick(session: orm.Session, campaign: Campaign, today: dt.date, actor: audit.Actor) -> TickRun:
    """Run the daily tick for one campaign and store its summary as a TickRun."""
    actor_id = actor.user_id
    if session.get_bind().dialect.name == "postgresql":
        # The guard statement's many small sub-plans make the planner's cost look large enough for JIT
        # compilation, which costs seconds and saves nothing here. Only for this transaction.
        session.execute(sa.text("SET LOCAL jit = off"))
    summary: dict[str, Any] = {"day": today.isoformat()}
    if campaign.status != "open":
        summary["message"] = "De campagne is gesloten; de dagelijkse verwerking slaat haar over."
        return _store(session, campaign, today, actor, summary)

    changes: list[tuple[int, str, str]] = []
    summary["pauses_released"] = _release_pauses(session, campaign, today, actor_id)
    changes += refresh_and_report(session, _time_driven_cases(session, campaign, today), today, actor_id)
    summary["proposals_withdrawn"] = _withdraw_blocked_proposals(session, campaign, today, actor_id)

    summary["steps"] = []
    for position in load_ladders(session, [campaign.id])[campaign.id].automatic_positions:
        summary["steps"].append(_run_step(session, campaign, position, today, actor_id))
    summary["proposals"] = _propose_sanctions(session, campaign, today, actor_id)
    summary["reviews_reminded"] = _remind_reviews(session, campaign, today, actor_id)
    summary["exemptions_ended"] = sum(1 for _, old, _new in changes if old == Status.ONTHEFFING.value)
    summary["status_changes"] = len(changes)
    return _store(session, campaign, today, actor, summary)


def _store(session, campaign, today, actor, summary) -> TickRun:
    run = TickRun(campaign_id=campaign.id, day=today, actor_label=actor.label[:120], summary=summary)
    session.add(run)
    session.flush()
    audit.record(session, actor, "tick", "campaign", campaign.id, purpose=f"dagelijkse verwerking {today}")
    return run


def _release_pauses(session, campaign: Campaign, today: dt.date, actor_id: int | None) -> int:
    """Close pauses whose end date passed, and "says registered" pauses once a newer UWV list arrived
    or the campaign's pause limit is reached."""
    latest = latest_lists(session, [campaign.id]).get(campaign.id)
    # joined to the campaign's cases (a pause lookup per open pause), not IN over all its case ids
    open_pauses = sa.select(Pause.id, Pause.case_id).join(Case, Case.id == Pause.case_id)
    open_pauses = open_pauses.where(Case.campaign_id == campaign.id, Pause.released_on.is_(None)).order_by(Pause.id)
    expired = session.execute(open_pauses.where(Pause.until < today)).all()
    limit = today - dt.timedelta(days=campaign.says_registered_pause_days)
    says = sa.and_(Pause.reason == "zegt_ingeschreven", sa.or_(Pause.until.is_(None), Pause.until >= today))
    conditions = [Pause.starts_on <= limit]
    if latest is not None:
        conditions.append(Pause.starts_on <= latest.peildatum)
    answered = session.execute(open_pauses.where(says, sa.or_(*conditions))).all()
    for rows, reason in ((expired, "Einddatum verstreken"), (answered, "Nieuwe UWV-lijst of maximale duur bereikt")):
        for chunk in chunks([r.id for r in rows]):
            session.execute(
                sa.update(Pause).where(Pause.id.in_(chunk)).values(released_on=today, release_reason=reason)
            )
        _events(session, [r.case_id for r in rows], actor_id, "pauze", f"Pauze opgeheven: {reason.lower()}", today)
    return len(expired) + len(answered)


def _time_driven_cases(session, campaign: Campaign, today: dt.date) -> list[int]:
    """Cases whose status may change only because a day passed: a deadline passed, a pause or an exemption
    ended or began (a week back, in case ticks were missed)."""
    in_campaign = Case.campaign_id == campaign.id
    week_ago = today - dt.timedelta(days=7)
    active_pause = sa.exists().where(
        Pause.case_id == Case.id,
        Pause.starts_on <= today,
        sa.or_(Pause.released_on.is_(None), Pause.released_on > today),
        sa.or_(Pause.until.is_(None), Pause.until >= today),
    )
    active_exemption = sa.exists().where(
        Exemption.case_id == Case.id,
        Exemption.status == "verleend",
        Exemption.starts_on <= today,
        sa.or_(Exemption.ends_on.is_(None), Exemption.ends_on >= today),
    )
    started_pause = (Pause.starts_on.between(week_ago, today), Pause.released_on.is_(None))
    started_exemption = (Exemption.status == "verleend", Exemption.starts_on.between(week_ago, today))
    # five small queries, each driven by an index, rather than one OR over all cases
    queries = [
        sa.select(Case.id).where(in_campaign, Case.status == Status.GEPAUZEERD.value, ~active_pause),
        sa.select(Case.id).where(in_campaign, Case.status == Status.ONTHEFFING.value, ~active_exemption),
        sa.select(Case.id).where(in_campaign, Case.status == Status.AANGESCHREVEN.value, Case.deadline < today),
        sa.select(Pause.case_id)
        .join(Case, Case.id == Pause.case_id)
        .where(in_campaign, Case.status != Status.GEPAUZEERD.value, *started_pause),
        sa.select(Exemption.case_id)
        .join(Case, Case.id == Exemption.case_id)
        .where(in_campaign, Case.status != Status.ONTHEFFING.value, *started_exemption),
    ]
    ids: set[int] = set()
    for query in queries:
        ids.update(session.scalars(query))
    return sorted(ids)


def _events(session, case_ids: list[int], actor_id, kind: str, summary: str, today: dt.date, **data) -> None:
    if case_ids:
        insert_rows(
            session,
            CaseEvent.__table__,
            [
                {"case_id": i, "actor_id": actor_id, "kind": kind, "summary": summary,
                 "data": {"day": today.isoformat(), **data}, "at": utcnow()}
                for i in case_ids
            ],
        )  # fmt: skip


def due_for_step(campaign: Campaign, position: int, today: dt.date) -> sa.Select:
    """Case ids whose previous letter was dispatched at least the step's delay ago and that lack this step."""
    step = campaign.step(position)
    previous = orm.aliased(Letter)
    this = orm.aliased(Letter)
    case = orm.aliased(Case)  # not correlated with the outer query's cases
    return (
        sa.select(previous.case_id)
        .join(case, case.id == previous.case_id)
        .where(
            case.campaign_id == campaign.id,
            previous.step == position - 1,
            live_letter(previous),
            previous.status == "verzonden",
            previous.dispatched_on <= today - dt.timedelta(days=step.delay_days),
            ~sa.exists().where(this.case_id == previous.case_id, this.step == position, live_letter(this)),
        )
    )


def _run_step(session, campaign: Campaign, position: int, today: dt.date, actor_id) -> dict[str, Any]:
    step = campaign.step(position)
    due = due_for_step(campaign, position, today)
    created, held = create_step_letters_counted(session, campaign, due, position, today, actor_id)
    total = created + sum(held.values())
    return {"step": position, "title": step.title, "due": total, "created": created, "held": dict(held)}


def _withdraw_blocked_proposals(session, campaign: Campaign, today: dt.date, actor_id) -> int:
    """An open proposal (not yet approved) is withdrawn as soon as a guard holds (registered after all, ...)."""
    proposals = session.execute(
        sa.select(SanctionProposal.id, SanctionProposal.case_id, SanctionProposal.ultimatum_deadline)
        .where(SanctionProposal.campaign_id == campaign.id, SanctionProposal.status.in_(("voorstel", "beoordeeld")))
        .order_by(SanctionProposal.id)
    ).all()
    if not proposals:
        return 0
    facts = load_facts(session, [p.case_id for p in proposals], today)
    ladder = load_ladders(session, [campaign.id])[campaign.id]
    latest = latest_lists(session, [campaign.id]).get(campaign.id)
    deadlines = {p.case_id: p.ultimatum_deadline for p in proposals}
    in_time = registered_in_time(session, latest.list_id, deadlines) if latest is not None else set()
    updates, events = [], []
    now = utcnow()
    for proposal_id, case_id, deadline in proposals:
        found = [b.message for b in person_blockers(facts[case_id], ladder, today)]
        if not found and case_id in in_time:
            found = [in_time_message(latest.peildatum, deadline)]
        if found:
            message = found[0]
            updates.append({"b_id": proposal_id, "status": "ingetrokken", "withdrawn_reason": message[:300]})
            summary = f"Voorstel maatregel vervallen: {message}"[:500]
            events.append(
                {"case_id": case_id, "actor_id": None, "kind": "maatregel", "summary": summary, "data": {}, "at": now}
            )
    if not updates:
        return 0
    update_rows(session, SanctionProposal.__table__, "b_id", updates)
    _expire(session, SanctionProposal, {u["b_id"] for u in updates})
    insert_rows(session, CaseEvent.__table__, events)
    refresh_and_report(session, [e["case_id"] for e in events], today, actor_id)
    return len(updates)


def _expire(session: orm.Session, model: type, ids: set[int]) -> None:
    """Loaded objects whose rows were just updated by a bulk statement are read again when next used."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, model) and obj.id in ids:
            session.expire(obj)


def _expired_ultimatums(session, campaign: Campaign, today: dt.date, guard) -> list:
    """Dispatched ultimatums whose deadline passed, without a live proposal: (case_id, deadline, guard) rows."""
    step = next((s for s in campaign.steps if s.kind == "ultimatum"), None)
    if step is None:
        return []
    rows = session.execute(
        sa.select(Letter.case_id, Letter.dispatched_on, Letter.deadline, guard)
        .join(Case, Case.id == Letter.case_id)
        .where(
            Case.campaign_id == campaign.id,
            Letter.step == step.position,
            live_letter(Letter),
            Letter.status == "verzonden",
            Letter.dispatched_on < today,
            sa.or_(Letter.deadline.is_(None), Letter.deadline < today),
            ~sa.exists().where(SanctionProposal.case_id == Letter.case_id, proposal_on_record()),
        )
        .order_by(Letter.case_id)
    ).all()
    out = []
    for row in rows:
        deadline = row.deadline or deadline_after(row.dispatched_on, step.deadline_days or 14)
        if deadline < today:
            out.append((row.case_id, deadline, row.guard))
    return out


def _propose_sanctions(session, campaign: Campaign, today: dt.date, actor_id) -> dict[str, Any]:
    """Proposals only on a fresh UWV list whose peildatum is on or after the ultimatum deadline."""
    ladder = load_ladders(session, [campaign.id])[campaign.id]
    latest = latest_lists(session, [campaign.id]).get(campaign.id)
    guard = first_guard_sql(ladder, None, today, latest).label("guard")
    expired = _expired_ultimatums(session, campaign, today, guard)
    result: dict[str, Any] = {"due": len(expired), "created": 0, "held": {}, "waiting_for_list": 0, "message": ""}
    if not expired:
        return result
    held: Counter[str] = Counter()
    created_for: list[int] = []
    waiting = 0
    now = utcnow()
    rows = []
    # Registered on or before the deadline counts as in time, even when the registration ended later.
    candidates = {c: d for c, d, code in expired if code is None and latest is not None and latest.peildatum >= d}
    in_time = registered_in_time(session, latest.list_id, candidates) if candidates else set()
    for case_id, deadline, code in expired:
        if latest is None or latest.peildatum < deadline:
            waiting += 1
        elif code is not None:
            held[code] += 1
        elif case_id in in_time:
            held["op_tijd_ingeschreven"] += 1
        else:
            created_for.append(case_id)
            rows.append({"case_id": case_id, "campaign_id": campaign.id, "status": "voorstel", "proposed_on": today,
                         "ultimatum_deadline": deadline, "uwv_list_id": latest.list_id, "category": "niet_ingeschreven",
                         "assessment": {}, "motivation": "", "view_received": "", "decision_motivation": "",
                         "withdrawn_reason": "", "recidive": False, "created_at": now})  # fmt: skip
    if rows:
        insert_rows(session, SanctionProposal.__table__, rows)
        _events(
            session,
            created_for,
            actor_id,
            "maatregel",
            "Voorstel maatregel: termijn verstreken, niet ingeschreven",
            today,
        )
        refresh_and_report(session, created_for, today, actor_id)
    result.update(created=len(created_for), held=dict(held), waiting_for_list=waiting)
    if waiting:
        last = f"de nieuwste lijst heeft peildatum {dutch_date(latest.peildatum)}" if latest else "er is nog geen lijst"
        result["message"] = (
            f"Voor {waiting} dossiers is de termijn verstreken, maar er is nog geen UWV-lijst met een peildatum "
            f"op of na die termijn ({last}). Voor hen is nog geen voorstel gemaakt."
        )
    return result


def _remind_reviews(session, campaign: Campaign, today: dt.date, actor_id) -> int:
    tasks = session.scalars(
        sa.select(ReviewTask)
        .join(Case, Case.id == ReviewTask.case_id)
        .where(
            Case.campaign_id == campaign.id,
            ReviewTask.done_on.is_(None),
            ReviewTask.reminded_on.is_(None),
            ReviewTask.due_on <= today + dt.timedelta(days=REVIEW_NOTICE_DAYS),
        )
    ).all()
    for task in tasks:
        task.reminded_on = today
        case = session.get(Case, task.case_id)
        add_event(session, case, None, "heroverweging", f"Heroverweging uiterlijk {dutch_date(task.due_on)}")
    return len(tasks)


def run_all(
    session: orm.Session, today: dt.date, actor: audit.Actor, campaign: Campaign | None = None
) -> list[TickRun]:
    campaigns = (
        [campaign]
        if campaign
        else session.scalars(sa.select(Campaign).where(Campaign.status == "open").order_by(Campaign.id)).all()
    )
    return [run_tick(session, c, today, actor) for c in campaigns]


def summary_lines(run: TickRun) -> list[str]:
    """The summary in Dutch, one line per item (printed by the CLI, shown on the web)."""
    s = run.summary
    lines = [f"Dagelijkse verwerking {dutch_date(run.day)}"]
    if s.get("message"):
        lines.append(s["message"])
    for step in s.get("steps", []):
        held = ", ".join(f"{GUARDS.get(code, code)}: {n}" for code, n in sorted(step["held"].items()))
        lines.append(
            f"Stap {step['step']} ({step['title']}): {step['due']} aan de beurt, {step['created']} brieven aangemaakt"
            + (f"; tegengehouden: {held}" if held else "")
        )
    p = s.get("proposals")
    if p is not None:
        held = ", ".join(f"{GUARDS.get(code, code)}: {n}" for code, n in sorted(p["held"].items()))
        lines.append(
            f"Maatregelvoorstellen: {p['due']} termijnen verstreken, {p['created']} voorstellen gemaakt"
            + (f"; tegengehouden: {held}" if held else "")
        )
        if p.get("message"):
            lines.append(p["message"])
    if "pauses_released" in s:
        lines.append(
            f"Pauzes opgeheven: {s['pauses_released']}; ontheffingen afgelopen: {s.get('exemptions_ended', 0)}; "
            f"vervallen voorstellen: {s.get('proposals_withdrawn', 0)}; "
            f"herinneringen heroverweging: {s.get('reviews_reminded', 0)}"
        )
    return lines
