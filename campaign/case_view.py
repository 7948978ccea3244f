"""Everything the case page shows about one case, gathered in a few indexed queries, and the view logged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import orm

from campaign import audit
from campaign.audit import Actor
from campaign.dates import AMSTERDAM, dutch_date
from campaign.models import (
    PAUSE_REASONS,
    Callback,
    Campaign,
    Case,
    CaseEvent,
    Contact,
    Exemption,
    Letter,
    Pause,
    User,
    UwvList,
    UwvRegistration,
)
from campaign.status import NO_ACTION_REASONS, STATUS_LABELS, Status


@dataclass
class TimelineItem:
    at: dt.datetime
    kind: str
    title: str
    detail: str = ""
    actor: str = ""
    letter: Letter | None = None


@dataclass
class CaseOverview:
    case: Case
    campaign: Campaign
    status_label: str
    letters: list[Letter]
    registrations: list[tuple[UwvRegistration, UwvList]]
    contacts: list[tuple[Contact, str]]
    exemptions: list[Exemption]
    pauses: list[Pause]
    callbacks: list[Callback]
    events: list[tuple[CaseEvent, str]]
    warnings: list[str] = field(default_factory=list)
    timeline: list[TimelineItem] = field(default_factory=list)

    @property
    def open_callback(self) -> Callback | None:
        return next((c for c in self.callbacks if c.done_at is None), None)

    @property
    def pending_exemption(self) -> Exemption | None:
        return next((e for e in self.exemptions if e.is_pending), None)


def _names(session: orm.Session, ids: set[int | None]) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {uid: name or email for uid, name, email in session.execute(
        sa.select(User.id, User.name, User.email).where(User.id.in_(ids))
    )}  # fmt: skip


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), AMSTERDAM).astimezone(dt.UTC)


def case_overview(session: orm.Session, actor: Actor, case: Case, today: dt.date) -> CaseOverview:
    """Gather the case page and log the view (the full BSN is shown)."""
    campaign = session.get(Campaign, case.campaign_id)
    letters = list(
        session.scalars(
            sa.select(Letter)
            .where(Letter.case_id == case.id)
            .order_by(Letter.step.desc(), Letter.id.desc())
            .options(orm.selectinload(Letter.template_version))
        )
    )
    registrations = [
        tuple(row)
        for row in session.execute(
            sa.select(UwvRegistration, UwvList)
            .join(UwvList, UwvList.id == UwvRegistration.uwv_list_id)
            .where(UwvRegistration.case_id == case.id)
            .order_by(UwvList.peildatum.desc(), UwvList.id.desc())
        )
    ]
    contacts = list(session.scalars(sa.select(Contact).where(Contact.case_id == case.id).order_by(Contact.id.desc())))
    exemptions = list(
        session.scalars(
            sa.select(Exemption)
            .where(Exemption.case_id == case.id)
            .order_by(Exemption.id.desc())
            .options(orm.selectinload(Exemption.type))
        )
    )
    pauses = list(session.scalars(sa.select(Pause).where(Pause.case_id == case.id).order_by(Pause.id.desc())))
    callbacks = list(
        session.scalars(sa.select(Callback).where(Callback.case_id == case.id).order_by(Callback.id.desc()))
    )
    events = list(
        session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id.desc()))
    )
    names = _names(
        session,
        {c.user_id for c in contacts} | {e.actor_id for e in events} | {x.decided_by for x in exemptions},
    )
    overview = CaseOverview(
        case=case,
        campaign=campaign,
        status_label=STATUS_LABELS.get(case.status, case.status),
        letters=letters,
        registrations=registrations,
        contacts=[(c, names.get(c.user_id, "")) for c in contacts],
        exemptions=exemptions,
        pauses=pauses,
        callbacks=callbacks,
        events=[(e, names.get(e.actor_id, "systeem")) for e in events],
    )
    overview.warnings = _warnings(overview, today)
    overview.timeline = _timeline(overview)
    audit.record(session, actor, "view", "case", case.id, purpose="dossier inzien (telefoonteam)")
    return overview


def _warnings(overview: CaseOverview, today: dt.date) -> list[str]:
    case = overview.case
    warnings = []
    for letter in overview.letters:
        if letter.returned_on:
            warnings.append(f"Brief {letter.step} ({letter.kind}) kwam retour op {dutch_date(letter.returned_on)}.")
    pending = overview.pending_exemption
    if pending:
        warnings.append(
            f"Ontheffing aangevraagd op {dutch_date(pending.requested_on)} ({pending.type.label}): "
            "wacht op de beslisser."
        )
    for pause in overview.pauses:
        if pause.is_active_on(today):
            label = PAUSE_REASONS.get(pause.reason, pause.reason)
            until = f" tot uiterlijk {dutch_date(pause.until)}" if pause.until else ""
            extra = " (wacht op de volgende UWV-lijst)" if pause.reason == "zegt_ingeschreven" else ""
            warnings.append(f"Gepauzeerd: {label}{extra}{until}.")
    if case.no_action_reason:
        warnings.append(f"Geen actie: {NO_ACTION_REASONS.get(case.no_action_reason, case.no_action_reason)}.")
    if case.deadline and case.deadline >= today and case.status != Status.INGESCHREVEN:
        warnings.append(f"Termijn loopt: inschrijven vóór {dutch_date(case.deadline)}.")
    return warnings


def _timeline(overview: CaseOverview) -> list[TimelineItem]:
    items = [
        TimelineItem(at=e.at, kind=e.kind, title=e.summary, actor=name) for e, name in overview.events
    ]  # fmt: skip
    for letter in overview.letters:
        if letter.dispatched_on:
            items.append(
                TimelineItem(
                    at=_moment(letter.dispatched_on),
                    kind="brief",
                    title=f"Brief {letter.step} verzonden: {letter.kind}",
                    detail=_letter_detail(letter),
                    letter=letter,
                )
            )
    for registration, uwv_list in overview.registrations:
        state = (
            "ingeschreven"
            if registration.ended_on is None
            else f"inschrijving beëindigd {dutch_date(registration.ended_on)}"
        )
        items.append(
            TimelineItem(
                at=uwv_list.created_at,
                kind="uwv",
                title=f"UWV-lijst peildatum {dutch_date(uwv_list.peildatum)}: {state}",
                detail=f"ingeschreven sinds {dutch_date(registration.registered_on)}",
            )
        )
    items.sort(key=lambda item: item.at, reverse=True)
    return items


def _letter_detail(letter: Letter) -> str:
    parts = []
    if letter.template_version is not None:
        parts.append(f"sjabloonversie {letter.template_version.version}")
    if letter.deadline:
        parts.append(f"termijn tot {dutch_date(letter.deadline)}")
    if letter.returned_on:
        parts.append(f"retour {dutch_date(letter.returned_on)}")
    return ", ".join(parts)
