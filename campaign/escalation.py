"""Making the letters of the escalation ladder: only after the guards, never twice, never skipping a step."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import orm

from campaign.address import address_lines
from campaign.case_facts import AUTOMATIC_KINDS, chunks, load_facts, load_ladders
from campaign.dates import dutch_date
from campaign.errors import IllegalTransition
from campaign.guards import blockers
from campaign.lifecycle import refresh_cases
from campaign.models import Campaign, Case, CaseEvent, Letter, TemplateVersion, utcnow


def latest_template_version_id(session: orm.Session, campaign_id: int, kind: str) -> int | None:
    return session.scalar(
        sa.select(TemplateVersion.id)
        .where(TemplateVersion.campaign_id == campaign_id, TemplateVersion.kind == kind)
        .order_by(TemplateVersion.version.desc())
        .limit(1)
    )


def create_step_letters(
    session: orm.Session, campaign: Campaign, case_ids: Iterable[int], step: int, today: dt.date, actor_id: int | None
) -> list[Letter]:
    """Create Letter rows (status "aangemaakt", no batch) for the cases where no guard holds."""
    letters, _held = create_step_letters_counted(session, campaign, case_ids, step, today, actor_id)
    return letters


def create_step_letters_counted(
    session: orm.Session, campaign: Campaign, case_ids: Iterable[int], step: int, today: dt.date, actor_id: int | None
) -> tuple[list[Letter], Counter[str]]:
    """As ``create_step_letters``, also counting the cases held back per guard code (first blocker counts)."""
    rule = campaign.step(step)
    if rule is None:
        raise IllegalTransition(f"De ladder van campagne {campaign.name!r} heeft geen stap {step}.")
    if step != 1 and rule.kind not in AUTOMATIC_KINDS:
        raise IllegalTransition(
            f"Stap {step} ({rule.title}) is een brief van het maatregeltraject; die maakt u vanuit de beoordeling."
        )
    ids = sorted(set(case_ids))
    held: Counter[str] = Counter()
    if not ids:
        return [], held
    # The status is recomputed right before any letter is produced.
    refresh_cases(session, ids, today, actor_id)
    ladder = load_ladders(session, [campaign.id])[campaign.id]
    template_id = latest_template_version_id(session, campaign.id, rule.kind)
    created: list[Letter] = []
    for chunk in chunks(ids):
        facts = load_facts(session, chunk, today)
        allowed: list[int] = []
        for case_id in chunk:
            f = facts.get(case_id)
            if f is None or f.campaign_id != campaign.id:
                held["onbekend"] += 1
                continue
            found = blockers(f, ladder, step, today)
            if found:
                held[found[0].code] += 1
            else:
                allowed.append(case_id)
        if not allowed:
            continue
        cases = session.scalars(sa.select(Case).where(Case.id.in_(allowed)).order_by(Case.id)).all()
        rows = []
        for case in cases:
            f = facts[case.id]
            data: dict[str, object] = {"step_title": rule.title}
            if f.latest_list is not None:
                data["uwv_peildatum"] = f.latest_list.peildatum.isoformat()
                data["uwv_peildatum_text"] = dutch_date(f.latest_list.peildatum)
            if rule.deadline_days:
                data["deadline_days"] = rule.deadline_days
            rows.append(
                {
                    "case_id": case.id,
                    "step": step,
                    "kind": rule.kind,
                    "template_version_id": template_id,
                    "status": "aangemaakt",
                    "address": address_lines(case),
                    "data": data,
                    "uwv_list_id": f.latest_list.list_id if f.latest_list else None,
                    "created_at": utcnow(),
                }
            )
        new = list(session.scalars(sa.insert(Letter).returning(Letter, sort_by_parameter_order=True), rows))
        created.extend(new)
        session.execute(
            sa.insert(CaseEvent.__table__),
            [
                {
                    "case_id": letter.case_id,
                    "actor_id": actor_id,
                    "kind": "brief",
                    "summary": f"Brief stap {step} ({rule.title}) aangemaakt",
                    "data": {"letter_id": letter.id, "step": step, "day": today.isoformat()},
                    "at": utcnow(),
                }
                for letter in new
            ],
        )
    refresh_cases(session, [letter.case_id for letter in created], today, actor_id)
    return created, held
