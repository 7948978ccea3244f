"""The phone team's part of the demo: contacts, "says registered" pauses, pending exemptions and call-backs."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm

from campaign import accounts, callbacks, exemptions, phone
from campaign.audit import Actor
from campaign.models import Campaign, Case, Contact, ExemptionType
from campaign.roles import Role


def _actor(session: orm.Session, role: Role) -> Actor:
    from campaign.demo import demo_email

    user = accounts.find_user(session, demo_email(role))
    return Actor(user.id, user.email, "demo", role.value)


def add_phone_demo(session: orm.Session, campaign: Campaign, today: dt.date) -> None:
    """Idempotent: does nothing when the demo campaign already has contacts."""
    has_contacts = session.scalar(
        sa.select(Contact.id).join(Case, Case.id == Contact.case_id).where(Case.campaign_id == campaign.id).limit(1)
    )
    if has_contacts:
        return
    cases = list(
        session.scalars(
            sa.select(Case)
            .where(Case.campaign_id == campaign.id, Case.status.in_(("pool", "aangeschreven")))
            .order_by(Case.id)
            .limit(16)
        )
    )
    if not cases:
        return
    caller = _actor(session, Role.TELEFOONTEAM)
    leader = _actor(session, Role.PROJECTLEIDER)
    types = {t.code: t.id for t in exemptions.exemption_types(session)}
    session.flush()
    plans = [
        phone.ContactInput(channel="telefoon_in", reasons=["vraag_over_brief"], note="Wist niet wat werk.nl is."),
        phone.ContactInput(channel="telefoon_in", reasons=["hulp_bij_inschrijven", "digid_problemen"],
                           note="DigiD verlopen; uitgelegd hoe een nieuwe aan te vragen.", callback=True,
                           callback_time="donderdagmiddag"),
        phone.ContactInput(channel="telefoon_in", reasons=["zegt_ingeschreven"], note="Vorige week ingeschreven."),
        phone.ContactInput(channel="balie", reasons=["zegt_ingeschreven"], note="Liet inschrijfbewijs zien."),
        phone.ContactInput(channel="telefoon_in", reasons=["ontheffing_aanvragen"], exemption_type_id=types["medisch"],
                           exemption_motivation="Medische reden, verklaring volgt.",
                           exemption_until=today + dt.timedelta(days=180)),
        phone.ContactInput(channel="telefoon_in", reasons=["ontheffing_aanvragen"],
                           exemption_type_id=types["zorgtaken"], exemption_motivation="Zorgt voltijds voor ouder."),
        phone.ContactInput(channel="email", reasons=["ontheffing_aanvragen"], exemption_type_id=types["crisis"],
                           exemption_motivation="Acute woonproblemen."),
        phone.ContactInput(channel="telefoon_in", reasons=["adreswijziging"], note="Verhuisd binnen de gemeente.",
                           address=phone.NewAddress(street="Nieuwe Binnenweg", house_number="80", house_letter="b",
                                                    postcode="3015 BD", city="Rotterdam")),
        phone.ContactInput(channel="telefoon_uit", outcome="niet_bereikt", note="Voicemail ingesproken.",
                           callback=True, callback_time="na 17.00 uur"),
        phone.ContactInput(channel="telefoon_in", reasons=["klacht"], note="Vond de toon van de brief streng.",
                           callback=True, callback_time="ochtend"),
        phone.ContactInput(channel="telefoon_in", reasons=["hulp_bij_inschrijven"], callback=True),
        phone.ContactInput(channel="telefoon_in", reasons=["zienswijze"],
                           view_report="Kon zich niet inschrijven omdat DigiD niet werkte; wil alsnog."),
    ]  # fmt: skip
    for case, form in zip(cases, plans, strict=False):
        phone.log_contact(session, caller, case, form, expected_version=case.version, today=today)
        session.flush()
    for case in cases[12:15]:
        callbacks.request_callback(session, leader, case, note="Geen reactie op de brieven", source="uitbellen")
    if len(cases) < 16:
        return  # a very small demo: contacts only
    exemption_type = session.get(ExemptionType, types["alleenstaande_ouder"])
    exemption = exemptions.request_exemption(
        session, caller, cases[15], type_id=exemption_type.id, motivation="Alleenstaande ouder, kind van 3.",
        requested_from=today, requested_until=today + dt.timedelta(days=365), today=today,
    )  # fmt: skip
    exemptions.decide_exemption(
        session, _actor(session, Role.BESLISSER), exemption, grant=True, starts_on=today,
        ends_on=today + dt.timedelta(days=365), motivation="Voldoet aan Pw 9a.", today=today,
    )  # fmt: skip
    session.flush()
