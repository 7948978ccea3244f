"""Guards: while any holds, a case gets no next letter and no sanction proposal (domain.md, "Guards").

``blockers(facts, ladder, step, today)`` is the one place the rules live; ``letter_blockers`` is the contract
for one case. Each blocker has a code (for the tick's summary: held back per guard) and a Dutch message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from campaign.case_facts import SANCTION_KINDS, CaseFacts, Ladder, load_facts, load_ladders
from campaign.dates import dutch_date
from campaign.models import PAUSE_REASONS, Case
from campaign.models.letters import live_letter
from campaign.status import NO_ACTION_REASONS

#: Guard codes and their Dutch names, in the order they are checked and reported.
GUARDS = {
    "campagne_gesloten": "Campagne gesloten",
    "geen_actie": "Reden geen actie",
    "ingeschreven": "Ingeschreven bij UWV",
    "ontheffing_aangevraagd": "Ontheffing aangevraagd",
    "ontheffing": "Ontheffing verleend",
    "gepauzeerd": "Gepauzeerd",
    "retour": "Vorige brief retour",
    "maatregeltraject": "In het maatregeltraject",
    "volgorde": "Vorige stap niet verzonden of termijn nog niet om",
    "al_gemaakt": "Brief voor deze stap bestaat al",
    "uwv_lijst": "Geen actuele UWV-lijst",
}


@dataclass(frozen=True)
class Blocker:
    code: str
    message: str


def person_blockers(facts: CaseFacts, ladder: Ladder, today: dt.date) -> list[Blocker]:
    """The guards about the person (no letter and no sanction proposal while any holds)."""
    out: list[Blocker] = []
    if not ladder.open:
        out.append(Blocker("campagne_gesloten", "De campagne is gesloten."))
    if facts.no_action_reason:
        label = NO_ACTION_REASONS.get(facts.no_action_reason, facts.no_action_reason)
        out.append(Blocker("geen_actie", f"Reden geen actie: {label}."))
    if facts.registered and facts.latest_list:
        out.append(
            Blocker(
                "ingeschreven",
                f"Ingeschreven bij UWV volgens de lijst met peildatum {dutch_date(facts.latest_list.peildatum)}.",
            )
        )
    if facts.exemption_pending:
        out.append(Blocker("ontheffing_aangevraagd", "Er is een ontheffing aangevraagd waarover nog niet is beslist."))
    if facts.exemption_active:
        until = f" tot en met {dutch_date(facts.exemption_active_until)}" if facts.exemption_active_until else ""
        out.append(Blocker("ontheffing", f"Er is een ontheffing verleend{until}."))
    if facts.paused:
        label = PAUSE_REASONS.get(facts.pause_reason or "", facts.pause_reason or "")
        until = f" tot en met {dutch_date(facts.pause_until)}" if facts.pause_until else ""
        out.append(Blocker("gepauzeerd", f"Het dossier is gepauzeerd ({label}){until}."))
    returned = [letter for letter in facts.letters.values() if letter.returned_on is not None]
    if returned:
        last = max(returned, key=lambda letter: letter.step)
        out.append(Blocker("retour", f"De brief van stap {last.step} kwam retour op {dutch_date(last.returned_on)}."))
    return out


def freshness_blocker(facts: CaseFacts, ladder: Ladder, today: dt.date, *, required: bool) -> Blocker | None:
    """The newest UWV list must be at most ``freshness_days`` old (``required``: a list must exist at all)."""
    latest = facts.latest_list
    if latest is None:
        if required:
            return Blocker("uwv_lijst", "Er is nog geen UWV-lijst ingelezen; zonder lijst gaat deze stap niet door.")
        return None
    age = (today - latest.peildatum).days
    if age > ladder.freshness_days:
        return Blocker(
            "uwv_lijst",
            f"De nieuwste UWV-lijst (peildatum {dutch_date(latest.peildatum)}) is {age} dagen oud; "
            f"de grens is {ladder.freshness_days} dagen. Lees eerst een nieuwe lijst in.",
        )
    return None


def blockers(facts: CaseFacts, ladder: Ladder, step: int, today: dt.date) -> list[Blocker]:
    """Why no letter of ladder ``step`` may be made for this case on ``today`` (empty: allowed)."""
    rule = ladder.step(step)
    if rule is None:
        return [Blocker("volgorde", f"De ladder van deze campagne heeft geen stap {step}.")]
    out = person_blockers(facts, ladder, today)
    if facts.proposal_status is not None and rule.kind not in SANCTION_KINDS:
        out.append(Blocker("maatregeltraject", "Het dossier zit in het maatregeltraject."))
    if step in facts.letters:
        out.append(Blocker("al_gemaakt", f"Er bestaat al een brief voor stap {step}; een stap gaat nooit twee keer."))
    if step > 1:
        previous = facts.letters.get(step - 1)
        if previous is None or not previous.dispatched:
            out.append(Blocker("volgorde", f"De brief van stap {step - 1} is nog niet verzonden."))
        elif rule.kind not in SANCTION_KINDS:
            due = previous.dispatched_on + dt.timedelta(days=rule.delay_days)
            if due > today:
                out.append(Blocker("volgorde", f"Stap {step} is pas aan de beurt op {dutch_date(due)}."))
    # A first letter may go out before any UWV list exists (the pool is the municipality's own list),
    # but never on a stale one; every later step needs a fresh list.
    stale = freshness_blocker(facts, ladder, today, required=step > 1 and rule.kind not in SANCTION_KINDS)
    if stale is not None:
        out.append(stale)
    return out


def letter_blockers(session: orm.Session, case: Case, step: int, today: dt.date) -> list[str]:
    """Dutch reasons why no letter of that ladder step may be made for this case now; empty list = allowed."""
    session.flush()
    facts = load_facts(session, [case.id], today)[case.id]
    ladder = load_ladders(session, [case.campaign_id])[case.campaign_id]
    return [b.message for b in blockers(facts, ladder, step, today)]


# --------------------------------------------------------------------------- the same guards as one SQL expression
def first_guard_sql(ladder: Ladder, step: int | None, today: dt.date, latest) -> sa.ColumnElement:
    """The code of the first guard that holds for ``cases`` (NULL: none), as one SQL CASE expression.

    It mirrors ``blockers`` rule for rule, in the same order, so that the tick can check every due case with
    one statement. ``latest`` is the campaign's newest UWV list (``UwvFact`` or None); ``step`` None checks
    only the guards about the person (for sanction proposals). tests/property proves both agree.
    """
    from campaign import models

    # aliases: never correlated with the outer query's own tables (e.g. the tick selects from letters)
    Exemption, Letter, Pause = orm.aliased(models.Exemption), orm.aliased(models.Letter), orm.aliased(models.Pause)
    SanctionProposal, UwvRegistration = orm.aliased(models.SanctionProposal), orm.aliased(models.UwvRegistration)
    case_id = Case.__table__.c.id
    live = live_letter(Letter)
    whens: list[tuple[sa.ColumnElement, str]] = []
    if not ladder.open:
        whens.append((sa.true(), "campagne_gesloten"))
    whens.append((Case.__table__.c.no_action_reason.is_not(None), "geen_actie"))
    if latest is not None:
        whens.append(
            (
                sa.exists().where(
                    UwvRegistration.case_id == case_id,
                    UwvRegistration.uwv_list_id == latest.list_id,
                    UwvRegistration.registered_on <= latest.peildatum,
                    sa.or_(UwvRegistration.ended_on.is_(None), UwvRegistration.ended_on > latest.peildatum),
                ),
                "ingeschreven",
            )
        )
    whens.append(
        (sa.exists().where(Exemption.case_id == case_id, Exemption.status == "aangevraagd"), "ontheffing_aangevraagd")
    )
    whens.append(
        (
            sa.exists().where(
                Exemption.case_id == case_id,
                Exemption.status == "verleend",
                Exemption.starts_on <= today,
                sa.or_(Exemption.ends_on.is_(None), Exemption.ends_on >= today),
            ),
            "ontheffing",
        )
    )
    pause_conditions = [
        Pause.case_id == case_id,
        Pause.starts_on <= today,
        sa.or_(Pause.released_on.is_(None), Pause.released_on > today),
        sa.or_(Pause.until.is_(None), Pause.until >= today),
    ]
    if latest is not None:
        pause_conditions.append(
            sa.not_(sa.and_(Pause.reason == "zegt_ingeschreven", Pause.starts_on <= latest.peildatum))
        )
    whens.append((sa.exists().where(*pause_conditions), "gepauzeerd"))
    whens.append((sa.exists().where(Letter.case_id == case_id, live, Letter.returned_on.is_not(None)), "retour"))
    rule = ladder.step(step) if step is not None else None
    if step is not None and rule is not None:
        if rule.kind not in SANCTION_KINDS:
            whens.append(
                (sa.exists().where(SanctionProposal.case_id == case_id, SanctionProposal.status != "ingetrokken"),
                 "maatregeltraject")
            )  # fmt: skip
        whens.append((sa.exists().where(Letter.case_id == case_id, live, Letter.step == step), "al_gemaakt"))
        if step > 1:
            sent = [Letter.case_id == case_id, live, Letter.step == step - 1, Letter.status == "verzonden",
                    Letter.dispatched_on.is_not(None)]  # fmt: skip
            if rule.kind not in SANCTION_KINDS:
                sent.append(Letter.dispatched_on <= today - dt.timedelta(days=rule.delay_days))
            whens.append((~sa.exists().where(*sent), "volgorde"))
    required = step is None or (step > 1 and rule is not None and rule.kind not in SANCTION_KINDS)
    fake = CaseFacts(0, ladder.campaign_id, None, latest_list=latest)
    stale = freshness_blocker(fake, ladder, today, required=required)
    return sa.case(*whens, else_=sa.literal("uwv_lijst") if stale else sa.null())
