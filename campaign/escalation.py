"""Making the letters of the escalation ladder: only after the guards, never twice, never skipping a step."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from types import SimpleNamespace

import sqlalchemy as sa
from sqlalchemy import orm

from campaign.address import address_lines
from campaign.bulk import insert_rows
from campaign.case_facts import AUTOMATIC_KINDS, chunks, latest_lists, load_ladders
from campaign.dates import dutch_date
from campaign.errors import IllegalTransition
from campaign.guards import first_guard_sql
from campaign.lifecycle import refresh_cases
from campaign.models import Campaign, Case, CaseEvent, Letter, TemplateVersion, utcnow


def latest_template_version_id(session: orm.Session, campaign_id: int, kind: str) -> int | None:
    return session.scalar(
        sa.select(TemplateVersion.id)
        .where(TemplateVersion.campaign_id == campaign_id, TemplateVersion.kind == kind)
        .order_by(TemplateVersion.version.desc())
        .limit(1)
    )


def new_letter(
    session: orm.Session, case: Case, step: int, kind: str, data: dict, uwv_list_id: int | None = None, **links
) -> Letter:
    """One letter waiting to be printed: the newest template of its kind, the case's current address.

    ``links`` are the letter's references to other letters (``replaces_id``, ``correction_of_id``)."""
    letter = Letter(
        case_id=case.id,
        step=step,
        kind=kind,
        template_version_id=latest_template_version_id(session, case.campaign_id, kind),
        status="aangemaakt",
        address=address_lines(case),
        data=data,
        uwv_list_id=uwv_list_id,
        **links,
    )
    session.add(letter)
    session.flush()
    return letter


def create_step_letters(
    session: orm.Session, campaign: Campaign, case_ids: Iterable[int], step: int, today: dt.date, actor_id: int | None
) -> list[Letter]:
    """Create Letter rows (status "aangemaakt", no batch) for the cases where no guard holds."""
    ids = sorted(set(case_ids))
    letter_ids: list[int] = []
    for chunk in chunks(ids, 5000):
        made, _held = _create(session, campaign, Case.id.in_(chunk), step, today, actor_id, returning=True)
        letter_ids.extend(made)
    if not letter_ids:
        return []
    return list(session.scalars(sa.select(Letter).where(Letter.id.in_(letter_ids)).order_by(Letter.case_id)))


def create_step_letters_counted(
    session: orm.Session, campaign: Campaign, ids_query: sa.Select, step: int, today: dt.date, actor_id: int | None
) -> tuple[int, Counter[str]]:
    """As ``create_step_letters`` for the cases selected by ``ids_query`` (a SELECT of case ids), in a few
    statements; returns the number of letters made and the cases held back per guard code (first guard)."""
    made, held = _create(session, campaign, Case.id.in_(ids_query), step, today, actor_id, returning=False)
    return len(made) if isinstance(made, list) else made, held


def _create(session, campaign: Campaign, selector, step: int, today: dt.date, actor_id, *, returning: bool):
    """Guards are evaluated from the facts themselves (not from the cached status), all due cases at once."""
    rule = campaign.step(step)
    if rule is None:
        raise IllegalTransition(f"De ladder van campagne {campaign.name!r} heeft geen stap {step}.")
    if step != 1 and rule.kind not in AUTOMATIC_KINDS:
        raise IllegalTransition(
            f"Stap {step} ({rule.title}) is een brief van het maatregeltraject; die maakt u vanuit de beoordeling."
        )
    session.flush()
    ladder = load_ladders(session, [campaign.id])[campaign.id]
    latest = latest_lists(session, [campaign.id]).get(campaign.id)
    guard = first_guard_sql(ladder, step, today, latest).label("guard")
    rows = session.execute(
        sa.select(guard, *ADDRESS_COLUMNS).where(selector, Case.campaign_id == campaign.id).order_by(Case.id)
    ).all()
    held: Counter[str] = Counter(row.guard for row in rows if row.guard is not None)
    allowed = [row for row in rows if row.guard is None]
    if not allowed:
        return ([] if returning else 0), held
    template_id = latest_template_version_id(session, campaign.id, rule.kind)
    data: dict[str, object] = {"step_title": rule.title}
    if latest is not None:
        data["uwv_peildatum"] = latest.peildatum.isoformat()
        data["uwv_peildatum_text"] = dutch_date(latest.peildatum)
    if rule.deadline_days:
        data["deadline_days"] = rule.deadline_days
    now = utcnow()
    letters = [
        {
            "case_id": row.id, "step": step, "kind": rule.kind, "template_version_id": template_id,
            "status": "aangemaakt", "address": address_lines(_address_holder(row)), "data": data,
            "uwv_list_id": latest.list_id if latest else None, "created_at": now, "cancel_reason": "",
        }
        for row in allowed
    ]  # fmt: skip
    if returning:
        made = list(session.scalars(sa.insert(Letter.__table__).returning(Letter.__table__.c.id), letters))
    else:
        insert_rows(session, Letter.__table__, letters)
        made = len(letters)
    summary = f"Brief stap {step} ({rule.title}) aangemaakt"
    insert_rows(
        session,
        CaseEvent.__table__,
        [{"case_id": row.id, "actor_id": actor_id, "kind": "brief", "summary": summary,
          "data": {"step": step, "day": today.isoformat()}, "at": now} for row in allowed],
    )  # fmt: skip
    if step == 1:
        # The first letter moves a case out of the pool. A later step's letter cannot change a derived status:
        # the case already has letters, and no guard (the rules above "aangeschreven") held, or it got none.
        refresh_cases(session, [row.id for row in allowed], today, actor_id)
    return made, held


ADDRESS_COLUMNS = (
    Case.id, Case.initials, Case.first_names, Case.prefix, Case.surname, Case.street, Case.house_number,
    Case.house_letter, Case.house_addition, Case.postcode, Case.city,
)  # fmt: skip


def _address_holder(row) -> SimpleNamespace:
    """The address fields of a row, shaped like a Case for ``address_lines`` (no ORM object per case)."""
    holder = SimpleNamespace(**{name: getattr(row, name) for name in _ADDRESS_FIELDS})
    holder.display_name = Case.display_name.fget(holder)
    return holder


_ADDRESS_FIELDS = tuple(column.key for column in ADDRESS_COLUMNS if column.key != "id")
