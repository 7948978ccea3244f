"""Returned mail (retour): a pasted or scanned list of kenmerken pauses the cases for address research."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import orm

from campaign import audit
from campaign.cases import add_event
from campaign.dates import dutch_date
from campaign.errors import InvalidInput
from campaign.lifecycle import refresh_cases
from campaign.models import Case, Letter, Pause

SEPARATORS = re.compile(r"[\s,;]+")
MAX_REFERENCES = 5000


@dataclass
class ReturnedReport:
    registered: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    not_dispatched: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def parse_references(text: str) -> list[str]:
    """Kenmerken from pasted text or a scanner (one per line, or separated by commas, semicolons, spaces)."""
    seen: dict[str, None] = {}
    for token in SEPARATORS.split(text or ""):
        token = token.strip().strip("\"'").upper()
        if token:
            seen.setdefault(token, None)
    if len(seen) > MAX_REFERENCES:
        raise InvalidInput(f"Hoogstens {MAX_REFERENCES} kenmerken per keer.")
    return list(seen)


def register_returned(
    session: orm.Session, actor: audit.Actor, campaign_id: int | None, text: str, today: dt.date
) -> ReturnedReport:
    """Mark the newest dispatched letter of each case as returned and pause the case ("retour post").

    Kenmerken are unique across campaigns; ``campaign_id`` limits the search to one campaign (the web page)."""
    references = parse_references(text)
    if not references:
        raise InvalidInput("Plak of scan minstens één kenmerk.", location="kenmerken")
    report = ReturnedReport()
    query = sa.select(Case).where(Case.reference.in_(references))
    if campaign_id is not None:
        query = query.where(Case.campaign_id == campaign_id)
    cases = {case.reference: case for case in session.scalars(query)}
    changed = []
    for reference in references:
        case = cases.get(reference)
        if case is None:
            report.unknown.append(reference)
            continue
        letter = session.scalar(
            sa.select(Letter)
            .where(Letter.case_id == case.id, Letter.status == "verzonden")
            .order_by(Letter.step.desc(), Letter.id.desc())
            .limit(1)
        )
        if letter is None:
            report.not_dispatched.append(reference)
            continue
        if letter.returned_on is not None:
            report.already.append(reference)
            continue
        letter.returned_on = today
        session.add(
            Pause(
                case_id=case.id,
                reason="retour",
                starts_on=today,
                note=f"Brief stap {letter.step} retour ontvangen",
                created_by=actor.user_id,
            )
        )
        add_event(
            session, case, actor, "retour",
            f"Brief stap {letter.step} (verzonden {dutch_date(letter.dispatched_on)}) retour ontvangen op "
            f"{dutch_date(today)}; dossier gepauzeerd voor adresonderzoek",
            letter_id=letter.id,
        )  # fmt: skip
        audit.record(session, actor, "update", "case", case.id, purpose="retourpost registreren")
        report.registered.append(reference)
        changed.append(case.id)
    refresh_cases(session, changed, today, actor.user_id)
    return report


def address_research_list(session: orm.Session, campaign_id: int, today: dt.date) -> list[tuple[Case, Pause]]:
    """Cases paused because their letter came back, oldest first: the work list for address research."""
    rows = session.execute(
        sa.select(Case, Pause)
        .join(Pause, Pause.case_id == Case.id)
        .where(
            Case.campaign_id == campaign_id,
            Pause.reason == "retour",
            Pause.starts_on <= today,
            Pause.released_on.is_(None),
            sa.or_(Pause.until.is_(None), Pause.until >= today),
        )
        .order_by(Pause.starts_on, Case.reference)
    ).all()
    return [(row[0], row[1]) for row in rows]
