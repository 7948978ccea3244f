"""Logging a contact with a citizen and the facts it changes (pause, exemption request, view, address, call-back)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.orm.exc import StaleDataError

from campaign import audit, callbacks, code_lists, sanctions
from campaign.address import address_lines, format_postcode, house_designation
from campaign.audit import Actor
from campaign.case_changes import STALE_MESSAGE, FieldErrors, check_version, flush_case, refresh, touch
from campaign.cases import add_event
from campaign.dates import dutch_date
from campaign.errors import StaleData
from campaign.exemptions import request_exemption
from campaign.models import Callback, Campaign, Case, Contact, ContactReason, Letter, Pause, SanctionProposal

CHANNELS = {
    "telefoon_in": "Telefoon (gebeld door de persoon)",
    "telefoon_uit": "Telefoon (wij belden)",
    "balie": "Balie",
    "email": "E-mail",
    "brief": "Brief",
}
OUTCOMES = {"bereikt": "Gesproken", "niet_bereikt": "Niet bereikt"}

#: Reasons whose outcome changes the case. Codes are fixed; labels and the rest of the list are data.
SAYS_REGISTERED = "zegt_ingeschreven"
ASKS_EXEMPTION = "ontheffing_aanvragen"
VIEW = "zienswijze"
NEW_ADDRESS = "adreswijziging"
EFFECT_REASONS = (SAYS_REGISTERED, ASKS_EXEMPTION, VIEW, NEW_ADDRESS)

DEFAULT_REASONS = (
    ("vraag_over_brief", "Vraag over de brief"),
    ("hulp_bij_inschrijven", "Hulp bij inschrijven"),
    ("digid_problemen", "DigiD-problemen"),
    (SAYS_REGISTERED, "Zegt ingeschreven te zijn"),
    (ASKS_EXEMPTION, "Ontheffing aanvragen"),
    (NEW_ADDRESS, "Adreswijziging"),
    (VIEW, "Zienswijze (reactie op voornemen)"),
    ("klacht", "Klacht"),
    ("overig", "Overig"),
)
NOTE_MAX = 500
VIEW_MAX = 2000


# -- contact reasons (maintained from the command line) ---------------------------------------------------------


def ensure_default_reasons(session: orm.Session) -> None:
    if session.scalar(sa.select(sa.func.count()).select_from(ContactReason)):
        return
    for position, (code, label) in enumerate(DEFAULT_REASONS, start=1):
        session.add(ContactReason(code=code, label=label, position=position * 10))
    session.flush()


def contact_reasons(session: orm.Session, *, include_inactive: bool = False) -> list[ContactReason]:
    ensure_default_reasons(session)
    query = sa.select(ContactReason).order_by(ContactReason.position, ContactReason.id)
    if not include_inactive:
        query = query.where(ContactReason.active.is_(True))
    return list(session.scalars(query))


def add_reason(session: orm.Session, code: str, label: str, position: int | None = None) -> ContactReason:
    ensure_default_reasons(session)
    if position is None:
        position = (session.scalar(sa.select(sa.func.max(ContactReason.position))) or 0) + 10
    return code_lists.new_entry(session, ContactReason, "Contactreden", code, label, position=position)


def set_reason_active(session: orm.Session, code: str, active: bool) -> ContactReason:
    ensure_default_reasons(session)
    return code_lists.set_active(session, ContactReason, "Contactreden", code, active)


# -- logging a contact ------------------------------------------------------------------------------------------


@dataclass
class NewAddress:
    street: str = ""
    house_number: str = ""
    house_letter: str = ""
    house_addition: str = ""
    postcode: str = ""
    city: str = ""

    @classmethod
    def from_fields(cls, fields: Mapping[str, str]) -> NewAddress:
        """From submitted form fields named like the attributes (missing ones empty)."""
        return cls(**{name: str(fields.get(name, "")) for name in cls.__dataclass_fields__})


@dataclass
class ContactInput:
    channel: str = ""
    reasons: list[str] = field(default_factory=list)
    outcome: str = "bereikt"
    note: str = ""
    exemption_type_id: int | None = None
    exemption_motivation: str = ""
    exemption_from: dt.date | None = None
    exemption_until: dt.date | None = None
    view_report: str = ""
    address: NewAddress = field(default_factory=NewAddress)
    callback: bool = False
    callback_time: str = ""
    callback_id: int | None = None


@dataclass
class ContactOutcome:
    contact: Contact
    messages: list[str]


def log_contact(
    session: orm.Session, actor: Actor, case: Case, form: ContactInput, *, expected_version: int, today: dt.date
) -> ContactOutcome:
    """Record a contact and apply what it changes. Raises FieldErrors, or StaleData when the case changed meanwhile."""
    check_version(case, expected_version)
    try:
        return _log_contact(session, actor, case, form, today)
    except StaleDataError:  # a colleague saved the case between our check and an (auto)flush
        raise StaleData(STALE_MESSAGE) from None


def _log_contact(session: orm.Session, actor: Actor, case: Case, form: ContactInput, today: dt.date) -> ContactOutcome:
    errors = _validate(session, form)
    if errors:
        raise FieldErrors(errors)
    labels = {r.code: r.label for r in contact_reasons(session, include_inactive=True)}
    contact = Contact(
        case_id=case.id,
        user_id=actor.user_id,
        channel=form.channel,
        reasons=form.reasons,
        outcome=form.outcome,
        note=form.note.strip(),
    )
    session.add(contact)
    session.flush()
    messages = ["Het contact is vastgelegd."]
    reached = form.outcome == "bereikt"
    if reached and SAYS_REGISTERED in form.reasons:
        messages.append(_pause_says_registered(session, actor, case, today))
    if reached and ASKS_EXEMPTION in form.reasons:
        exemption = request_exemption(
            session, actor, case,
            type_id=form.exemption_type_id, motivation=form.exemption_motivation,
            requested_from=form.exemption_from, requested_until=form.exemption_until, today=today,
        )  # fmt: skip
        contact.data = {**contact.data, "exemption_id": exemption.id}
        messages.append("De aanvraag voor ontheffing staat bij de beslisser; het dossier wacht zolang.")
    if reached and VIEW in form.reasons:
        messages.append(_record_view(session, actor, case, contact, form.view_report.strip()))
    if reached and NEW_ADDRESS in form.reasons:
        messages.extend(change_address(session, actor, case, form.address))
    if form.callback:
        callbacks.request_callback(session, actor, case, preferred_time=form.callback_time, note=form.note[:300])
        messages.append("Het terugbelverzoek staat in de wachtrij.")
    if form.callback_id:
        callback = session.get(Callback, form.callback_id)
        if callback is not None and callback.case_id == case.id and callback.done_at is None:
            callbacks.complete(session, actor, callback)
            messages.append("Het terugbelverzoek is afgerond.")
    reason_text = ", ".join(labels.get(code, code) for code in form.reasons) or "geen reden"
    add_event(
        session, case, actor, "contact",
        f"Contact via {CHANNELS[form.channel].lower()}: {reason_text}; {OUTCOMES[form.outcome].lower()}",
        contact_id=contact.id,
    )  # fmt: skip
    audit.record(session, actor, "create", "contact", contact.id, purpose="contact vastleggen")
    touch(case)
    flush_case(session)
    refresh(session, case, today, actor)
    return ContactOutcome(contact=contact, messages=messages)


def _record_view(session: orm.Session, actor: Actor, case: Case, contact: Contact, report: str) -> str:
    """An oral view: on the notice of intent when one is running (for the assessor), else on the case."""
    contact.data = {**contact.data, "zienswijze": report}
    proposal = session.scalar(
        sa.select(SanctionProposal)
        .where(SanctionProposal.case_id == case.id, SanctionProposal.status == "voornemen")
        .order_by(SanctionProposal.id.desc())
        .limit(1)
    )
    if proposal is not None:
        sanctions.record_view(session, proposal, actor, f"Mondeling ({CHANNELS[contact.channel].lower()}): {report}")
        return "De zienswijze is bij het voornemen vastgelegd voor de beoordelaar."
    add_event(session, case, actor, "zienswijze", f"Zienswijze mondeling gegeven: {report}", contact_id=contact.id)
    return "De zienswijze is vastgelegd (er loopt geen voornemen; de beoordelaar ziet hem in het dossier)."


def _validate(session: orm.Session, form: ContactInput) -> dict[str, str]:
    errors = {}
    if form.channel not in CHANNELS:
        errors["channel"] = "Kies hoe het contact verliep."
    if form.outcome not in OUTCOMES:
        errors["outcome"] = "Kies of u de persoon hebt gesproken."
    known = {r.code for r in contact_reasons(session)}
    unknown = [code for code in form.reasons if code not in known]
    if unknown:
        errors["reasons"] = "Kies redenen uit de lijst."
    elif not form.reasons and form.outcome == "bereikt":
        errors["reasons"] = "Kies minstens één reden."
    elif form.outcome == "niet_bereikt" and any(code in EFFECT_REASONS for code in form.reasons):
        errors["reasons"] = "Als u de persoon niet hebt gesproken, kunt u geen gevolgen vastleggen."
    if len(form.note) > NOTE_MAX:
        errors["note"] = f"De notitie mag hoogstens {NOTE_MAX} tekens lang zijn."
    if form.outcome == "bereikt" and VIEW in form.reasons:
        if not form.view_report.strip():
            errors["view_report"] = "Schrijf kort op wat de persoon naar voren bracht."
        elif len(form.view_report) > VIEW_MAX:
            errors["view_report"] = f"Het verslag mag hoogstens {VIEW_MAX} tekens lang zijn."
    if form.outcome == "bereikt" and NEW_ADDRESS in form.reasons:
        errors.update(_address_errors(form.address))
    if form.callback and len(form.callback_time) > 120:
        errors["callback_time"] = "Het voorkeursmoment mag hoogstens 120 tekens lang zijn."
    return errors


def _address_errors(address: NewAddress) -> dict[str, str]:
    errors = {}
    if not address.street.strip():
        errors["street"] = "Vul de straat in."
    if not address.house_number.strip().isdigit() or not 0 < int(address.house_number.strip()) < 100000:
        errors["house_number"] = "Vul het huisnummer in (alleen cijfers)."
    letter = address.house_letter.strip()
    if len(letter) > 1 or (letter and not letter.isalpha()):
        errors["house_letter"] = "Een huisletter is één letter."
    if len(address.house_addition.strip()) > 10:
        errors["house_addition"] = "De toevoeging mag hoogstens 10 tekens lang zijn."
    if format_postcode(address.postcode) is None:
        errors["postcode"] = "Vul een Nederlandse postcode in, bijvoorbeeld 3011 AB."
    if not address.city.strip():
        errors["city"] = "Vul de woonplaats in."
    return errors


def _pause_says_registered(session: orm.Session, actor: Actor, case: Case, today: dt.date) -> str:
    campaign = session.get(Campaign, case.campaign_id)
    existing = session.scalar(
        sa.select(Pause).where(Pause.case_id == case.id, Pause.reason == SAYS_REGISTERED, Pause.released_on.is_(None))
    )
    if existing is not None and existing.is_active_on(today):
        return f"Het dossier wachtte al op de volgende UWV-lijst (uiterlijk tot {dutch_date(existing.until)})."
    until = today + dt.timedelta(days=campaign.says_registered_pause_days)
    pause = Pause(
        case_id=case.id,
        reason=SAYS_REGISTERED,
        starts_on=today,
        until=until,
        note="Tot de volgende UWV-lijst de inschrijving bevestigt",
        created_by=actor.user_id,
    )
    session.add(pause)
    session.flush()
    add_event(
        session, case, actor, "pauze",
        f"Gepauzeerd: zegt ingeschreven te zijn; wacht op de volgende UWV-lijst, uiterlijk tot {dutch_date(until)}",
        pause_id=pause.id,
    )  # fmt: skip
    return f"Het dossier wacht op de volgende UWV-lijst, uiterlijk tot {dutch_date(until)}."


def change_address(session: orm.Session, actor: Actor, case: Case, address: NewAddress) -> list[str]:
    """Record a new address; the history keeps the old one. Unrendered letters get it, rendered ones are flagged."""
    errors = _address_errors(address)
    if errors:
        raise FieldErrors(errors)
    old = address_lines(case)[1:]
    case.street = " ".join(address.street.split())[:120]
    case.house_number = int(address.house_number.strip())
    case.house_letter = address.house_letter.strip().lower()
    case.house_addition = address.house_addition.strip()[:10]
    case.postcode = format_postcode(address.postcode)
    case.city = " ".join(address.city.split())[:80].title()
    new = address_lines(case)[1:]
    messages = [f"Nieuw adres vastgelegd: {', '.join(new)}."]
    open_letters = list(
        session.scalars(
            sa.select(Letter).where(Letter.case_id == case.id, Letter.status.in_(("aangemaakt", "gerenderd")))
        )
    )
    readdressed, flagged = [], []
    for letter in open_letters:
        if letter.status == "aangemaakt":
            letter.address = address_lines(case)
            readdressed.append(letter.id)
        else:
            flagged.append(letter.id)
    if readdressed:
        messages.append(f"{len(readdressed)} nog niet gemaakte brief(ven) krijgen het nieuwe adres.")
    if flagged:
        messages.append(
            f"Let op: {len(flagged)} brief(ven) zijn al gemaakt met het oude adres en nog niet verzonden. "
            "Laat de projectleider die annuleren en opnieuw maken."
        )
    add_event(
        session, case, actor, "adreswijziging",
        f"Adres gewijzigd van {', '.join(old) or '(onbekend)'} naar {', '.join(new)}",
        old=old, new=new, readdressed_letters=readdressed, flagged_letters=flagged,
    )  # fmt: skip
    audit.record(session, actor, "update", "case", case.id, purpose="adreswijziging")
    return messages


def house_text(case: Case) -> str:
    return house_designation(case.house_number, case.house_letter, case.house_addition)
