"""Creating cases and writing their history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import orm

from campaign.audit import Actor
from campaign.campaigns import next_reference
from campaign.models import Campaign, Case, CaseEvent
from campaign.text import surname_key

CASE_FIELDS = (
    "bsn", "initials", "first_names", "prefix", "surname", "birth_date", "street", "house_number",
    "house_letter", "house_addition", "postcode", "city", "team", "phone",
)  # fmt: skip


def new_case(campaign: Campaign, fields: dict[str, Any]) -> Case:
    """A new case with the next reference of its campaign (not yet added to a session)."""
    case = Case(campaign_id=campaign.id, reference=next_reference(campaign))
    for name in CASE_FIELDS:
        if name in fields and fields[name] is not None:
            setattr(case, name, fields[name])
    case.surname_key = surname_key(case.prefix or "", case.surname or "")
    return case


def add_event(session: orm.Session, case: Case, actor: Actor | None, kind: str, summary: str, **data: Any) -> CaseEvent:
    """Append a line to the case's history (timeline)."""
    event = CaseEvent(
        case_id=case.id,
        actor_id=actor.user_id if actor else None,
        kind=kind,
        summary=summary[:500],
        data=data,
    )
    session.add(event)
    return event
