"""Returned mail (retour): a pasted or scanned list of kenmerken pauses the cases for address research."""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.orm.exc import StaleDataError

from campaign import audit
from campaign.case_changes import touch
from campaign.case_facts import load_facts, load_ladders
from campaign.cases import add_event
from campaign.dates import dutch_date
from campaign.errors import IllegalTransition, InvalidInput, StaleData
from campaign.guards import blockers
from campaign.lifecycle import refresh_cases
from campaign.models import Case, Letter, Pause, live_letter
from campaign.phone import NewAddress, change_address
from campaign.status import NO_ACTION_REASONS
from letters import followups

SEPARATORS = re.compile(r"[\s,;]+")
MAX_REFERENCES = 5000
ADDRESS_UNKNOWN = "ADRES_ONBEKEND"


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


# -- ending the address research -----------------------------------------------------------------------------


def open_retour_pause(session: orm.Session, case_id: int) -> Pause | None:
    return session.scalar(
        sa.select(Pause)
        .where(Pause.case_id == case_id, Pause.reason == "retour", Pause.released_on.is_(None))
        .order_by(Pause.starts_on, Pause.id)
        .limit(1)
    )


def returned_letter(session: orm.Session, case_id: int) -> Letter | None:
    """The dispatched letter that came back and still counts for its step (the one to send again)."""
    return session.scalar(
        sa.select(Letter)
        .where(Letter.case_id == case_id, live_letter(), Letter.status == "verzonden", Letter.returned_on.is_not(None))
        .order_by(Letter.step.desc(), Letter.id.desc())
        .limit(1)
    )


STALE_RESEARCH = (
    "Dit dossier is intussen gewijzigd (door een collega, of doordat u twee keer klikte). Hieronder ziet u de "
    "nieuwe stand; probeer het zo nodig opnieuw."
)


def _research_pause(session: orm.Session, case: Case, expected_version: int) -> Pause:
    pause = open_retour_pause(session, case.id)
    if pause is None:
        raise IllegalTransition(
            "Dit dossier staat niet (meer) op de werklijst adresonderzoek; het adresonderzoek is al afgerond."
        )
    if case.version != expected_version:
        raise StaleData(STALE_RESEARCH)
    return pause


@contextmanager
def _research_step(session: orm.Session, actor: audit.Actor, case: Case, today: dt.date, purpose: str):
    """Ending the address research: audited, the case's version checked on flush (a colleague's change in between
    raises StaleData and nothing is written), then the status refreshed."""
    try:
        yield
        audit.record(session, actor, "update", "case", case.id, purpose=purpose)
        touch(case)
        session.flush()
    except StaleDataError:
        raise StaleData(STALE_RESEARCH) from None
    refresh_cases(session, [case.id], today, actor.user_id)


def address_found(
    session: orm.Session, actor: audit.Actor, case: Case, address: NewAddress, today: dt.date, *, expected_version: int
) -> list[str]:
    """The new address is known: record it (as the phone team does), release the "retour" pause and send the
    returned letter again to the new address (a replacement letter: the person was not reached).

    Raises FieldErrors (per address field), StaleData or IllegalTransition; changes nothing then."""
    with _research_step(session, actor, case, today, "adresonderzoek: adres gevonden"):
        pause = _research_pause(session, case, expected_version)
        messages = change_address(session, actor, case, address)
        pause.released_on = today
        pause.release_reason = "Adres gevonden"
        letter = returned_letter(session, case.id)
        held = resend_blockers(session, case, letter, today) if letter is not None else []
        if letter is not None and not held:
            new = followups.create_replacement(session, actor, letter, "", today, kind=followups.RESEND)
            messages.append(
                f"Brief stap {new.step} ({followups.letter_label(new)}) wordt opnieuw gestuurd naar het nieuwe adres; "
                "hij staat bij Nog te printen."
            )
        elif held:
            messages.append(
                "De brief wordt niet opnieuw gestuurd: " + " ".join(held)
                + " Is dat later niet meer zo, stuur hem dan met 'Correctiebrief sturen' bij de brief."
            )  # fmt: skip
        outcome = "; de brief gaat opnieuw naar het nieuwe adres" if letter is not None and not held else ""
        if held:
            outcome = "; de brief gaat niet opnieuw: " + " ".join(held)
        add_event(
            session, case, actor, "retour",
            "Adresonderzoek afgerond: adres gevonden; pauze retour post opgeheven" + outcome,
            pause_id=pause.id,
        )  # fmt: skip
    return messages


#: Guards that the returned letter itself raises (or that do not apply to sending the same step again).
_RESEND_IGNORES = {"retour", "al_gemaakt", "volgorde"}


def resend_blockers(session: orm.Session, case: Case, letter: Letter, today: dt.date) -> list[str]:
    """Why the returned letter may not simply go out again (registered meanwhile, an exemption, a stale UWV
    list, ...): the same guards as for a new letter of that step, but for the return itself."""
    session.flush()
    facts = load_facts(session, [case.id], today)[case.id]
    ladder = load_ladders(session, [case.campaign_id])[case.campaign_id]
    return [b.message for b in blockers(facts, ladder, letter.step, today) if b.code not in _RESEND_IGNORES]


def address_unknown(
    session: orm.Session, actor: audit.Actor, case: Case, today: dt.date, *, expected_version: int
) -> list[str]:
    """No address found: the research ends with the no-action reason ADRES_ONBEKEND; the pause is released."""
    with _research_step(session, actor, case, today, "adresonderzoek: adres onbekend"):
        pause = _research_pause(session, case, expected_version)
        pause.released_on = today
        pause.release_reason = "Adres onbekend"
        messages = ["Het adresonderzoek is afgerond: adres onbekend."]
        if case.no_action_reason is None:
            case.no_action_reason = ADDRESS_UNKNOWN
            case.no_action_since = today
            messages.append(f"Het dossier krijgt de reden geen actie '{NO_ACTION_REASONS[ADDRESS_UNKNOWN]}'.")
        else:
            messages.append(
                f"Het dossier had al de reden geen actie '{NO_ACTION_REASONS.get(case.no_action_reason, '')}'."
            )
        add_event(
            session, case, actor, "retour",
            f"Adresonderzoek afgerond: adres onbekend; reden geen actie "
            f"'{NO_ACTION_REASONS.get(case.no_action_reason, case.no_action_reason)}'; pauze retour post opgeheven",
            pause_id=pause.id,
        )  # fmt: skip
    return messages
