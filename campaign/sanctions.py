"""The sanction track: assessment, four-eyes approval, notice of intent, decision, review, undo.

A human decides at every step. The assessor (a project leader) and the approver/decider (a beslisser) are
different people; the tool enforces it. Until a letter is dispatched each step can be undone with a reason;
after dispatch only a correction or withdrawal letter can follow.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from campaign import audit
from campaign.case_facts import load_facts, load_ladders
from campaign.cases import add_event
from campaign.dates import deadline_after, dutch_date
from campaign.errors import Forbidden, IllegalTransition, InvalidInput, NotFound
from campaign.escalation import new_letter
from campaign.guards import blockers, person_blockers
from campaign.lifecycle import refresh_cases
from campaign.models import (
    Case,
    Contact,
    Letter,
    OrdinanceRule,
    Pause,
    ReviewTask,
    SanctionProposal,
    utcnow,
)
from campaign.models.sanctions import BLAME, OUTCOMES
from campaign.roles import Role
from campaign.uwv import in_time_message, latest_list, registered_in_time

#: Awb 6:7/6:8: six weeks, starting the day after dispatch (moved to a working day by the Algemene termijnenwet).
OBJECTION_DAYS = 42
REVIEW_MONTHS = 3
RECIDIVE_MONTHS = 12
DEFAULT_LEGAL_BASIS = (
    "artikel 9, eerste lid, onderdeel a, en artikel 18, tweede lid, van de Participatiewet, "
    "de Maatregelenverordening van de gemeente en de artikelen 3:46 en 3:47 van de Algemene wet bestuursrecht"
)
OBJECTION_CLAUSE = (
    "Bent u het niet eens met dit besluit? Dan kunt u bezwaar maken bij het college van burgemeester en "
    "wethouders. Dat moet binnen zes weken na de dag waarop dit besluit is verzonden (artikelen 6:7 en 6:8 "
    "van de Algemene wet bestuursrecht)."
)

#: The questions of the assessment form: (key, question, kind). kind "keuze" has the options below.
QUESTIONS = (
    ("bereikt", "Is de persoon bereikt (brieven verzonden en niet retour, contact)?", "keuze"),
    ("kon_inschrijven", "Kon de persoon zich inschrijven (DigiD, taal, ziekenhuis, detentie)?", "keuze"),
    ("zienswijze", "Mondelinge of schriftelijke zienswijzen", "tekst"),
    ("dringende_redenen", "Zijn er dringende redenen?", "tekst"),
)
CHOICES = {"ja": "Ja", "nee": "Nee", "onbekend": "Onbekend"}


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def get_proposal(session: orm.Session, proposal_id: int) -> SanctionProposal:
    proposal = session.get(SanctionProposal, proposal_id)
    if proposal is None:
        raise NotFound("Dit voorstel bestaat niet.")
    return proposal


def _require_role(actor: audit.Actor, *roles: Role) -> None:
    if actor.role not in {r.value for r in roles}:
        names = " of ".join(r.label.lower() for r in roles)
        raise Forbidden(f"Alleen een {names} mag dit doen.")


def _require_status(proposal: SanctionProposal, *statuses: str) -> None:
    if proposal.status not in statuses:
        raise IllegalTransition(f"Dit voorstel heeft status '{proposal.status}'; deze stap kan nu niet.")


# --------------------------------------------------------------------------- facts for the assessment form
@dataclass
class KnownFacts:
    """What the tool knows, shown beside each question of the assessment form."""

    letters: list[Letter]
    returned: list[Letter]
    contacts: list[Contact]
    pauses: list[Pause]
    previous: list[SanctionProposal]
    uwv_peildatum: dt.date | None

    def for_question(self, key: str) -> list[str]:
        if key == "bereikt":
            lines = [
                f"Stap {lt.step} ({lt.kind}): "
                + (f"verzonden {dutch_date(lt.dispatched_on)}" if lt.dispatched_on else lt.status)
                + (f", retour {dutch_date(lt.returned_on)}" if lt.returned_on else "")
                for lt in self.letters
            ]
            lines.append(f"Contacten: {len(self.contacts)}")
            return lines
        if key == "kon_inschrijven":
            return [f"Pauze: {p.reason} vanaf {dutch_date(p.starts_on)}" for p in self.pauses] or [
                "Geen pauzes (ziekenhuis, detentie, adres onbekend) bekend."
            ]
        if key == "zienswijze":
            notes = [f"{c.at:%d-%m-%Y} {c.channel}: {c.note}" for c in self.contacts if c.note]
            return notes or ["Geen zienswijze of notitie vastgelegd."]
        if key == "dringende_redenen":
            return [f"Eerder: {OUTCOMES.get(p.outcome or '', p.outcome)} op {dutch_date(p.decided_on)}"
                    for p in self.previous] or ["Geen eerdere maatregelen of waarschuwingen."]  # fmt: skip
        return []


def known_facts(session: orm.Session, proposal: SanctionProposal) -> KnownFacts:
    case = session.get(Case, proposal.case_id)
    letters = session.scalars(sa.select(Letter).where(Letter.case_id == case.id).order_by(Letter.step)).all()
    contacts = session.scalars(sa.select(Contact).where(Contact.case_id == case.id).order_by(Contact.at)).all()
    pauses = session.scalars(sa.select(Pause).where(Pause.case_id == case.id).order_by(Pause.starts_on)).all()
    return KnownFacts(
        letters=list(letters),
        returned=[lt for lt in letters if lt.returned_on],
        contacts=list(contacts),
        pauses=list(pauses),
        previous=previous_decisions(session, case, proposal.decided_on or dt.date.max, exclude_id=proposal.id),
        uwv_peildatum=proposal.uwv_list.peildatum if proposal.uwv_list else None,
    )


# --------------------------------------------------------------------------- assessment
def assess(
    session: orm.Session, proposal: SanctionProposal, actor: audit.Actor, answers: dict[str, str], today: dt.date
) -> SanctionProposal:
    """The individual assessment by a project leader (Pw 18(9): no sanction where blame is absent)."""
    _require_role(actor, Role.PROJECTLEIDER)
    _require_status(proposal, "voorstel", "beoordeeld")
    errors: dict[str, str] = {}
    clean: dict[str, str] = {}
    for key, _question, kind in QUESTIONS:
        value = (answers.get(key) or "").strip()
        if kind == "keuze" and value not in CHOICES:
            errors[key] = "Kies ja, nee of onbekend."
        clean[key] = value[:1000]
    blame = answers.get("blame", "")
    outcome = answers.get("proposed_outcome", "")
    motivation = (answers.get("motivation") or "").strip()
    if blame not in BLAME:
        errors["blame"] = "Kies de mate van verwijtbaarheid."
    if outcome not in OUTCOMES:
        errors["proposed_outcome"] = "Kies de voorgestelde uitkomst."
    if blame == "geen" and outcome in ("waarschuwing", "verlaging"):
        errors["proposed_outcome"] = (
            "Zonder verwijtbaarheid geen maatregel of waarschuwing (artikel 18, negende lid, Pw)."
        )
    if clean.get("kon_inschrijven") == "nee" and outcome == "verlaging":
        errors["proposed_outcome"] = "Wie zich niet kon inschrijven, krijgt geen verlaging."
    if len(motivation) < 10:
        errors["motivation"] = "Geef een korte motivering (minstens 10 tekens)."
    if errors:
        raise AssessmentInvalid(errors)
    proposal.assessment = clean
    proposal.blame = blame
    proposal.proposed_outcome = outcome
    proposal.motivation = motivation[:4000]
    proposal.assessed_by = actor.user_id
    proposal.assessed_at = utcnow()
    proposal.status = "beoordeeld"
    case = session.get(Case, proposal.case_id)
    add_event(session, case, actor, "maatregel", f"Beoordeeld: voorstel '{OUTCOMES[outcome]}', {BLAME[blame].lower()}")
    audit.record(session, actor, "assess", "sanction_proposal", proposal.id, purpose="beoordeling maatregel")
    refresh_cases(session, [case.id], today, actor.user_id)
    return proposal


class AssessmentInvalid(InvalidInput):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("Het beoordelingsformulier is niet volledig of niet juist ingevuld.")
        self.errors = errors


# --------------------------------------------------------------------------- approval -> notice of intent
def approve(session: orm.Session, proposal: SanctionProposal, actor: audit.Actor, today: dt.date) -> Letter:
    """A beslisser who is not the assessor approves: the notice of intent (voornemen) letter is made."""
    _require_role(actor, Role.BESLISSER)
    _require_status(proposal, "beoordeeld")
    if actor.user_id is not None and actor.user_id == proposal.assessed_by:
        raise Forbidden("U heeft dit dossier zelf beoordeeld; een andere beslisser moet goedkeuren (vier ogen).")
    case = session.get(Case, proposal.case_id)
    campaign = case.campaign
    position = next((s.position for s in campaign.steps if s.kind == "voornemen"), None)
    if position is None:
        raise IllegalTransition("De ladder van deze campagne heeft geen stap 'voornemen'.")
    facts = load_facts(session, [case.id], today)[case.id]
    ladder = load_ladders(session, [campaign.id])[campaign.id]
    found = [b.message for b in blockers(facts, ladder, position, today) if b.code != "maatregeltraject"]
    latest = latest_list(session, campaign.id)
    if latest is not None and case.id in registered_in_time(session, latest.id, {case.id: proposal.ultimatum_deadline}):
        found.append(in_time_message(latest.peildatum, proposal.ultimatum_deadline))
    if found:
        raise IllegalTransition("Geen voornemen mogelijk: " + " ".join(found))
    step = campaign.step(position)
    view_deadline = deadline_after(today, step.deadline_days or campaign.view_period_days)
    rule = ordinance_rule(session, proposal.category, today)
    percentage, months, recidive = _intended(session, case, proposal.proposed_outcome, rule, today)
    data: dict[str, Any] = {
        "step_title": step.title,
        "view_deadline": view_deadline.isoformat(),
        "view_deadline_text": dutch_date(view_deadline),
        "view_days": step.deadline_days or campaign.view_period_days,
        "ultimatum_deadline": proposal.ultimatum_deadline.isoformat(),
        "ultimatum_deadline_text": dutch_date(proposal.ultimatum_deadline),
        "uwv_peildatum": proposal.uwv_list.peildatum.isoformat() if proposal.uwv_list else None,
        "uwv_peildatum_text": dutch_date(proposal.uwv_list.peildatum) if proposal.uwv_list else "",
        "intended_outcome": proposal.proposed_outcome,
        "intended_outcome_text": OUTCOMES[proposal.proposed_outcome],
        "percentage": percentage,
        "months": months,
        "recidive": recidive,
        "legal_basis": (rule.legal_basis if rule and rule.legal_basis else DEFAULT_LEGAL_BASIS),
        "facts": f"U stond op {dutch_date(proposal.uwv_list.peildatum) if proposal.uwv_list else ''} niet "
        f"ingeschreven als werkzoekende bij UWV, ook niet na de uiterste datum van "
        f"{dutch_date(proposal.ultimatum_deadline)}.",
    }
    letter = new_letter(session, case, position, "voornemen", data, proposal.uwv_list_id)
    proposal.intent_letter_id = letter.id
    proposal.view_deadline = view_deadline
    proposal.approved_by = actor.user_id
    proposal.approved_at = utcnow()
    proposal.status = "voornemen"
    add_event(
        session,
        case,
        actor,
        "maatregel",
        f"Goedgekeurd; voornemen aangemaakt, zienswijze tot {dutch_date(view_deadline)}",
    )
    audit.record(session, actor, "approve", "sanction_proposal", proposal.id, purpose="goedkeuring voornemen")
    refresh_cases(session, [case.id], today, actor.user_id)
    return letter


def record_view(session: orm.Session, proposal: SanctionProposal, actor: audit.Actor, text: str) -> None:
    """An oral or written view (zienswijze) received during the view period."""
    _require_status(proposal, "voornemen")
    text = " ".join(text.split())
    if len(text) < 3:
        raise InvalidInput("Beschrijf de zienswijze.")
    proposal.view_received = ((proposal.view_received + "\n") if proposal.view_received else "") + text[:2000]
    case = session.get(Case, proposal.case_id)
    add_event(session, case, actor, "zienswijze", f"Zienswijze vastgelegd: {text[:200]}")
    audit.record(session, actor, "write", "sanction_proposal", proposal.id, purpose="zienswijze vastleggen")


# --------------------------------------------------------------------------- ordinance and decision
def ordinance_rule(session: orm.Session, category: str, day: dt.date) -> OrdinanceRule | None:
    return session.scalar(
        sa.select(OrdinanceRule)
        .where(
            OrdinanceRule.category == category,
            OrdinanceRule.valid_from <= day,
            sa.or_(OrdinanceRule.valid_to.is_(None), OrdinanceRule.valid_to >= day),
        )
        .order_by(OrdinanceRule.valid_from.desc())
        .limit(1)
    )


def previous_decisions(
    session: orm.Session, case: Case, before: dt.date, *, exclude_id: int | None = None
) -> list[SanctionProposal]:
    """Warnings and reductions for the same person (BSN, any campaign) in the 12 months before ``before``."""
    since = add_months(before, -RECIDIVE_MONTHS) if before != dt.date.max else dt.date.min
    query = (
        sa.select(SanctionProposal)
        .join(Case, Case.id == SanctionProposal.case_id)
        .where(
            Case.bsn == case.bsn,
            SanctionProposal.status == "besluit",
            SanctionProposal.outcome.in_(("waarschuwing", "verlaging")),
            SanctionProposal.decided_on >= since,
            SanctionProposal.decided_on <= before,
        )
        .order_by(SanctionProposal.decided_on.desc())
    )
    if exclude_id is not None:
        query = query.where(SanctionProposal.id != exclude_id)
    return list(session.scalars(query))


def _intended(session, case, outcome, rule: OrdinanceRule | None, day: dt.date) -> tuple[int | None, int | None, bool]:
    recidive = bool(previous_decisions(session, case, day))
    if outcome != "verlaging" or rule is None:
        return None, None, recidive
    if recidive:
        return rule.recidive_percentage, rule.recidive_months, True
    return rule.percentage, rule.months, False


def _check_decidable(session, proposal: SanctionProposal, actor: audit.Actor, today: dt.date, outcome: str) -> None:
    _require_role(actor, Role.BESLISSER)
    _require_status(proposal, "voornemen")
    if actor.user_id is not None and actor.user_id == proposal.assessed_by:
        raise Forbidden("U heeft dit dossier zelf beoordeeld; een andere beslisser moet besluiten (vier ogen).")
    intent = session.get(Letter, proposal.intent_letter_id) if proposal.intent_letter_id else None
    if intent is None or not intent.is_dispatched:
        raise IllegalTransition("Het voornemen is nog niet verzonden; pas daarna kan een besluit volgen (Awb 4:8).")
    view_deadline = intent.deadline or proposal.view_deadline
    if view_deadline and today <= view_deadline and not proposal.view_received:
        raise IllegalTransition(
            f"De termijn voor een zienswijze loopt tot en met {dutch_date(view_deadline)}; besluit daarna."
        )
    if outcome not in OUTCOMES:
        raise InvalidInput("Kies de uitkomst: geen maatregel, waarschuwing of verlaging.")
    if proposal.blame == "geen" and outcome != "geen":
        raise InvalidInput("De beoordeling vond geen verwijtbaarheid: dan volgt geen maatregel (Pw 18 lid 9).")


def decision_terms(
    session, proposal: SanctionProposal, case: Case, outcome: str, today: dt.date
) -> tuple[OrdinanceRule | None, bool, int | None, int | None]:
    """The ordinance row of today, whether it is a repeat within 12 months, and percentage and months."""
    rule = ordinance_rule(session, proposal.category, today)
    recidive = bool(previous_decisions(session, case, today, exclude_id=proposal.id))
    percentage = months = None
    if outcome in ("waarschuwing", "verlaging"):
        if rule is None:
            raise InvalidInput(
                "Er is geen maatregelenverordening ingesteld die vandaag geldt voor deze gedraging. "
                "Stel die eerst in bij 'Verordening'."
            )
        if outcome == "waarschuwing" and (not rule.warning_allowed or recidive):
            why = (
                "binnen 12 maanden eerder een waarschuwing of maatregel"
                if recidive
                else "de verordening staat het niet toe"
            )
            raise InvalidInput(f"Een waarschuwing is hier niet mogelijk: {why}.")
        if outcome == "verlaging":
            percentage = rule.recidive_percentage if recidive else rule.percentage
            months = rule.recidive_months if recidive else rule.months
    return rule, recidive, percentage, months


def decide(
    session: orm.Session,
    proposal: SanctionProposal,
    actor: audit.Actor,
    today: dt.date,
    outcome: str,
    motivation: str,
) -> Letter:
    """The decision (besluit) after the view period, by a beslisser who did not assess the case."""
    _check_decidable(session, proposal, actor, today, outcome)
    motivation = (motivation or "").strip()
    if len(motivation) < 20:
        raise InvalidInput("Geef een individuele motivering van minstens 20 tekens (Awb 3:46).")
    case = session.get(Case, proposal.case_id)
    rule, recidive, percentage, months = decision_terms(session, proposal, case, outcome, today)
    effective = add_months(today.replace(day=1), 1) if outcome == "verlaging" else None
    objection_deadline = deadline_after(today, OBJECTION_DAYS)
    position = next((s.position for s in case.campaign.steps if s.kind == "besluit"), None)
    if position is None:
        raise IllegalTransition("De ladder van deze campagne heeft geen stap 'besluit'.")
    peildatum = proposal.uwv_list.peildatum if proposal.uwv_list else None
    data: dict[str, Any] = {
        "step_title": case.campaign.step(position).title,
        "outcome": outcome,
        "outcome_text": OUTCOMES[outcome],
        "percentage": percentage,
        "months": months,
        "recidive": recidive,
        "effective_month": effective.isoformat() if effective else None,
        "effective_month_text": dutch_date(effective)[2:].strip() if effective else "",
        "motivation": motivation[:4000],
        "legal_basis": (rule.legal_basis if rule and rule.legal_basis else DEFAULT_LEGAL_BASIS),
        "ordinance_source": rule.source if rule else "",
        "uwv_peildatum": peildatum.isoformat() if peildatum else None,
        "uwv_peildatum_text": dutch_date(peildatum),
        "objection_days": OBJECTION_DAYS,
        "objection_deadline": objection_deadline.isoformat(),
        "objection_deadline_text": dutch_date(objection_deadline),
        "objection_clause": OBJECTION_CLAUSE,
        "view_received": bool(proposal.view_received),
    }
    letter = new_letter(session, case, position, "besluit", data, proposal.uwv_list_id)
    proposal.outcome = outcome
    proposal.percentage = percentage
    proposal.months = months
    proposal.recidive = recidive
    proposal.effective_month = effective
    proposal.ordinance_rule_id = rule.id if rule else None
    proposal.decision_motivation = motivation[:4000]
    proposal.decided_by = actor.user_id
    proposal.decided_on = today
    proposal.decision_letter_id = letter.id
    proposal.status = "besluit"
    if outcome != "geen":
        session.add(ReviewTask(proposal_id=proposal.id, case_id=case.id, due_on=add_months(today, REVIEW_MONTHS)))
    add_event(
        session,
        case,
        actor,
        "maatregel",
        f"Besluit: {OUTCOMES[outcome]}" + (f" {percentage}% gedurende {months} maand(en)" if percentage else ""),
    )
    audit.record(session, actor, "decide", "sanction_proposal", proposal.id, purpose="besluit maatregel")
    refresh_cases(session, [case.id], today, actor.user_id)
    return letter


# --------------------------------------------------------------------------- undo and withdrawal
def undo(session: orm.Session, proposal: SanctionProposal, actor: audit.Actor, reason: str, today: dt.date) -> str:
    """Undo the last step while its letter is not dispatched; returns the new proposal status."""
    _require_role(actor, Role.PROJECTLEIDER, Role.BESLISSER)
    reason = " ".join((reason or "").split())
    if len(reason) < 5:
        raise InvalidInput("Geef een reden voor het terugdraaien (minstens 5 tekens).")
    case = session.get(Case, proposal.case_id)
    if proposal.status == "besluit":
        _cancel_letter(session, proposal.decision_letter_id, reason)
        session.execute(sa.delete(ReviewTask).where(ReviewTask.proposal_id == proposal.id))
        proposal.decision_letter_id = None
        for name in (
            "outcome",
            "percentage",
            "months",
            "effective_month",
            "ordinance_rule_id",
            "decided_by",
            "decided_on",
        ):
            setattr(proposal, name, None)
        proposal.recidive = False
        proposal.decision_motivation = ""
        proposal.status = "voornemen"
    elif proposal.status == "voornemen":
        _cancel_letter(session, proposal.intent_letter_id, reason)
        proposal.intent_letter_id = None
        proposal.view_deadline = None
        proposal.approved_by = None
        proposal.approved_at = None
        proposal.status = "beoordeeld"
    elif proposal.status in ("beoordeeld", "voorstel"):
        proposal.status = "ingetrokken"
        proposal.withdrawn_reason = reason[:300]
    else:
        raise IllegalTransition("Dit voorstel is al ingetrokken.")
    add_event(session, case, actor, "maatregel", f"Teruggedraaid naar '{proposal.status}': {reason}")
    audit.record(session, actor, "undo", "sanction_proposal", proposal.id, purpose=f"terugdraaien: {reason}"[:200])
    refresh_cases(session, [case.id], today, actor.user_id)
    return proposal.status


def _cancel_letter(session, letter_id: int | None, reason: str) -> None:
    letter = session.get(Letter, letter_id) if letter_id else None
    if letter is None:
        return
    if letter.status == "verzonden":
        raise IllegalTransition(
            "Deze brief is al verzonden. Terugdraaien kan niet meer; stuur een correctie- of intrekkingsbrief."
        )
    if letter.replaces_id is not None:  # the letter it replaces was dispatched: only a correction or withdrawal
        raise IllegalTransition(
            "Dit is een vervangende brief; de brief die hij vervangt is al verzonden. Annuleer de vervangende brief "
            "bij de brieven van het dossier, of trek de verzonden brief in."
        )
    if letter.batch_id is not None:
        raise IllegalTransition("De brief zit in een printopdracht; haal hem daar eerst uit of annuleer die opdracht.")
    letter.status = "geannuleerd"
    letter.cancelled_at = utcnow()
    letter.cancel_reason = reason[:300]


def open_blockers(session: orm.Session, proposal: SanctionProposal, today: dt.date) -> list[str]:
    """Guards that now hold for the person of an open proposal (shown in the queue)."""
    case = session.get(Case, proposal.case_id)
    facts = load_facts(session, [case.id], today)[case.id]
    ladder = load_ladders(session, [case.campaign_id])[case.campaign_id]
    return [b.message for b in person_blockers(facts, ladder, today)]


# --------------------------------------------------------------------------- export for benefits administration
DECISION_COLUMNS = (
    "Kenmerk", "BSN", "Naam", "Besluitdatum", "Uitkomst", "Percentage", "Maanden", "Ingangsmaand",
    "Recidive", "Peildatum UWV-lijst", "Verordening", "Beslisser", "Ingetrokken",
)  # fmt: skip


def decision_rows(session: orm.Session, campaign_id: int) -> list[list[object]]:
    from campaign.models import User

    decider = orm.aliased(User)
    decision_letter = orm.aliased(Letter)
    # A decision withdrawn after dispatch stays in the list, marked as withdrawn (the benefits administration
    # must undo what it applied).
    rows = session.execute(
        sa.select(SanctionProposal, Case, decider.name, decision_letter.withdrawn_on, decision_letter.withdrawn_reason)
        .join(Case, Case.id == SanctionProposal.case_id)
        .outerjoin(decider, decider.id == SanctionProposal.decided_by)
        .outerjoin(decision_letter, decision_letter.id == SanctionProposal.decision_letter_id)
        .where(
            SanctionProposal.campaign_id == campaign_id,
            sa.or_(
                SanctionProposal.status == "besluit",
                sa.and_(SanctionProposal.status == "ingetrokken", decision_letter.status == "ingetrokken"),
            ),
        )
        .order_by(SanctionProposal.decided_on, Case.reference)
    ).all()
    out = []
    for proposal, case, decider_name, withdrawn_on, withdrawn_reason in rows:
        withdrawn = ""
        if proposal.status == "ingetrokken":
            withdrawn = f"Ingetrokken op {dutch_date(withdrawn_on)}: {withdrawn_reason}"
        out.append(
            [
                case.reference, case.bsn, case.display_name, proposal.decided_on,
                OUTCOMES.get(proposal.outcome or "", ""),
                proposal.percentage, proposal.months, proposal.effective_month, "ja" if proposal.recidive else "nee",
                proposal.uwv_list.peildatum if proposal.uwv_list else None,
                proposal.ordinance_rule.source if proposal.ordinance_rule else "", decider_name or "", withdrawn,
            ]
        )  # fmt: skip
    return out


# --------------------------------------------------------------------------- the municipality's ordinance settings
CATEGORIES = {"niet_ingeschreven": "Niet ingeschreven als werkzoekende (artikel 9, eerste lid, onderdeel a, Pw)"}


def add_ordinance_rule(session: orm.Session, actor: audit.Actor, form: dict[str, str]) -> OrdinanceRule:
    """A dated row of the maatregelenverordening; an open-ended earlier row of the category ends the day before."""
    _require_role(actor, Role.BEHEERDER, Role.PROJECTLEIDER)
    errors: dict[str, str] = {}

    def number(key: str, low: int, high: int) -> int:
        text = (form.get(key) or "").strip()
        if not text.isdigit() or not low <= int(text) <= high:
            errors[key] = f"Vul een geheel getal van {low} tot en met {high} in."
            return 0
        return int(text)

    category = form.get("category", "")
    if category not in CATEGORIES:
        errors["category"] = "Kies een gedraging."
    percentage = number("percentage", 1, 100)
    months = number("months", 1, 12)
    recidive_percentage = number("recidive_percentage", 1, 100)
    recidive_months = number("recidive_months", 1, 12)
    try:
        valid_from = dt.date.fromisoformat((form.get("valid_from") or "").strip())
    except ValueError:
        errors["valid_from"] = "Vul een datum in (JJJJ-MM-DD)."
        valid_from = None
    source = " ".join((form.get("source") or "").split())
    if len(source) < 5:
        errors["source"] = "Noem de bron (naam en datum van de verordening)."
    if errors:
        raise AssessmentInvalid(errors)
    previous = session.scalars(
        sa.select(OrdinanceRule).where(OrdinanceRule.category == category, OrdinanceRule.valid_to.is_(None))
    ).all()
    for rule in previous:
        if rule.valid_from >= valid_from:
            raise AssessmentInvalid({"valid_from": "Er geldt al een regel vanaf deze datum of later."})
        rule.valid_to = valid_from - dt.timedelta(days=1)
    rule = OrdinanceRule(
        category=category,
        label=CATEGORIES[category],
        percentage=percentage,
        months=months,
        warning_allowed=form.get("warning_allowed") in ("1", "on", "ja"),
        recidive_percentage=recidive_percentage,
        recidive_months=recidive_months,
        valid_from=valid_from,
        source=source[:200],
        legal_basis=" ".join((form.get("legal_basis") or "").split())[:200],
    )
    session.add(rule)
    session.flush()
    audit.record(session, actor, "create", "ordinance_rule", rule.id, purpose="maatregelenverordening instellen")
    return rule
