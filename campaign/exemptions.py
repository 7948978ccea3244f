"""Exemptions (ontheffing): types are data, requests come from the phone team, a beslisser decides."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm

from campaign import audit, code_lists
from campaign.audit import Actor
from campaign.case_changes import FieldErrors, flush_case, refresh, touch
from campaign.cases import add_event
from campaign.dates import dutch_date
from campaign.errors import Forbidden, IllegalTransition
from campaign.models import Case, Exemption, ExemptionType, utcnow
from campaign.roles import Role

#: (code, label, legal basis, statutory). Installed on first use; maintained with ``herinschrijving ontheffingstypen``.
DEFAULT_TYPES = (
    ("medisch", "Medische reden", "Pw art. 9 lid 2", False),
    ("zorgtaken", "Zorgtaken", "Pw art. 9 lid 2", False),
    ("crisis", "Acute crisissituatie", "Pw art. 9 lid 2", False),
    ("overig_dringend", "Andere dringende reden", "Pw art. 9 lid 2", False),
    ("volledig_duurzaam_ao", "Volledig en duurzaam arbeidsongeschikt", "Pw art. 9 lid 5", True),
    ("alleenstaande_ouder", "Alleenstaande ouder met jonge kinderen", "Pw art. 9a", True),
)
MOTIVATION_MAX = 500


def ensure_default_types(session: orm.Session) -> None:
    """Install the default types once, when no type exists yet."""
    if session.scalar(sa.select(sa.func.count()).select_from(ExemptionType)):
        return
    for code, label, basis, statutory in DEFAULT_TYPES:
        session.add(ExemptionType(code=code, label=label, legal_basis=basis, statutory=statutory))
    session.flush()


def exemption_types(session: orm.Session, *, include_inactive: bool = False) -> list[ExemptionType]:
    ensure_default_types(session)
    query = sa.select(ExemptionType).order_by(ExemptionType.statutory, ExemptionType.label)
    if not include_inactive:
        query = query.where(ExemptionType.active.is_(True))
    return list(session.scalars(query))


def add_type(session: orm.Session, code: str, label: str, legal_basis: str = "", statutory: bool = False):
    ensure_default_types(session)
    return code_lists.new_entry(
        session,
        ExemptionType,
        "Ontheffingstype",
        code,
        label,
        legal_basis=legal_basis.strip()[:60],
        statutory=statutory,
    )


def set_type_active(session: orm.Session, code: str, active: bool) -> ExemptionType:
    ensure_default_types(session)
    return code_lists.set_active(session, ExemptionType, "Ontheffingstype", code, active)


def pending_request(session: orm.Session, case: Case) -> Exemption | None:
    return session.scalar(
        sa.select(Exemption).where(Exemption.case_id == case.id, Exemption.status == "aangevraagd").limit(1)
    )


def request_exemption(
    session: orm.Session,
    actor: Actor,
    case: Case,
    *,
    type_id: int | None,
    motivation: str,
    requested_from: dt.date | None,
    requested_until: dt.date | None,
    today: dt.date,
) -> Exemption:
    """Record a request; it goes to the beslisser's queue. Raises InvalidInput keyed by field (``errors``)."""
    errors = {}
    exemption_type = session.get(ExemptionType, type_id) if type_id else None
    if exemption_type is None or not exemption_type.active:
        errors["exemption_type"] = "Kies de soort ontheffing."
    motivation = " ".join(motivation.split())
    if not motivation:
        errors["exemption_motivation"] = "Geef een korte motivering (zonder medische details)."
    elif len(motivation) > MOTIVATION_MAX:
        errors["exemption_motivation"] = f"De motivering mag hoogstens {MOTIVATION_MAX} tekens lang zijn."
    if requested_from and requested_until and requested_until < requested_from:
        errors["exemption_until"] = "De einddatum ligt vóór de begindatum."
    if pending_request(session, case) is not None:
        errors["exemption_type"] = "Voor dit dossier loopt al een aanvraag voor ontheffing."
    if errors:
        raise FieldErrors(errors)
    exemption = Exemption(
        case_id=case.id,
        type_id=exemption_type.id,
        motivation=motivation,
        requested_on=today,
        requested_from=requested_from,
        requested_until=requested_until,
        requested_by=actor.user_id,
    )
    session.add(exemption)
    session.flush()
    period = ""
    if requested_from or requested_until:
        period = f" ({dutch_date(requested_from) or '…'} tot en met {dutch_date(requested_until) or '…'})"
    add_event(
        session, case, actor, "ontheffing_aangevraagd", f"Ontheffing aangevraagd: {exemption_type.label}{period}",
        exemption_id=exemption.id,
    )  # fmt: skip
    audit.record(session, actor, "create", "exemption", exemption.id, purpose="ontheffing aanvragen")
    return exemption


def pending_exemptions(session: orm.Session, campaign_ids: list[int]) -> list[Exemption]:
    query = (
        sa.select(Exemption)
        .join(Case, Case.id == Exemption.case_id)
        .where(Exemption.status == "aangevraagd", Case.campaign_id.in_(campaign_ids))
        .order_by(Exemption.requested_on, Exemption.id)
        .options(orm.selectinload(Exemption.type))
    )
    return list(session.scalars(query))


def decide_exemption(
    session: orm.Session,
    actor: Actor,
    exemption: Exemption,
    *,
    grant: bool,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    motivation: str,
    today: dt.date,
) -> Exemption:
    """Grant (with an end date) or refuse (with a motivation). Only a beslisser decides."""
    if actor.role != Role.BESLISSER.value:
        raise Forbidden("Alleen een beslisser beslist over een ontheffing.")
    if exemption.status != "aangevraagd":
        raise IllegalTransition("Over deze aanvraag is al beslist. Ververs de pagina om de beslissing te zien.")
    motivation = " ".join(motivation.split())
    errors = {}
    if grant:
        if starts_on is None:
            errors["starts_on"] = "Vul de begindatum in."
        if ends_on is None:
            errors["ends_on"] = "Een ontheffing is tijdelijk: vul de einddatum in."
        elif starts_on and ends_on < starts_on:
            errors["ends_on"] = "De einddatum ligt vóór de begindatum."
    elif not motivation:
        errors["motivation"] = "Motiveer de weigering."
    if len(motivation) > MOTIVATION_MAX:
        errors["motivation"] = f"De motivering mag hoogstens {MOTIVATION_MAX} tekens lang zijn."
    if errors:
        raise FieldErrors(errors)
    case = session.get(Case, exemption.case_id)
    exemption.status = "verleend" if grant else "geweigerd"
    exemption.decided_by = actor.user_id
    exemption.decided_at = utcnow()
    exemption.decision_motivation = motivation
    if grant:
        exemption.starts_on, exemption.ends_on = starts_on, ends_on
        summary = (
            f"Ontheffing verleend ({exemption.type.label}) van {dutch_date(starts_on)} tot en met {dutch_date(ends_on)}"
        )
    else:
        summary = f"Ontheffing geweigerd ({exemption.type.label}): {motivation}"
    touch(case)
    add_event(session, case, actor, "ontheffing_besluit", summary, exemption_id=exemption.id, granted=grant)
    audit.record(session, actor, "decide", "exemption", exemption.id, purpose="besluit op ontheffing")
    flush_case(session)
    refresh(session, case, today, actor)
    return exemption
