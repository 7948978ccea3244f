"""The call-back queue: requests from callers and outbound calls marked by a project leader.

A member claims a batch; a claimed call-back is offered to nobody else until it is done, released, or the
claim expires (``Campaign.callback_claim_minutes``). Claiming is a guarded UPDATE (only if still unclaimed
or expired), so two members can never both hold one call-back; on PostgreSQL the candidates are picked with
``FOR UPDATE SKIP LOCKED`` so concurrent members get different rows without waiting. A partial unique index
keeps at most one open call-back per case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from campaign import audit
from campaign.audit import Actor
from campaign.cases import add_event
from campaign.errors import Forbidden, IllegalTransition, InvalidInput
from campaign.models import Callback, Campaign, Case, User, utcnow

SOURCES = {"terugbelverzoek": "Terugbelverzoek", "uitbellen": "Uitbellen (gemarkeerd door projectleider)"}
MAX_BATCH = 50


@dataclass
class QueueRow:
    callback: Callback
    case: Case
    claimed_by_name: str
    claim_active: bool


def open_callback(session: orm.Session, case: Case) -> Callback | None:
    return session.scalar(sa.select(Callback).where(Callback.case_id == case.id, Callback.done_at.is_(None)))


def request_callback(
    session: orm.Session,
    actor: Actor,
    case: Case,
    *,
    preferred_time: str = "",
    note: str = "",
    source: str = "terugbelverzoek",
) -> Callback:
    """Put the case in the queue; if it is already there, the preferred time and note are updated."""
    preferred_time = " ".join(preferred_time.split())
    if len(preferred_time) > 120:
        raise InvalidInput("Het voorkeursmoment mag hoogstens 120 tekens lang zijn.")
    callback = open_callback(session, case)
    if callback is not None:
        callback.preferred_time = preferred_time or callback.preferred_time
        callback.note = (note or callback.note)[:300]
        summary = "Terugbelverzoek bijgewerkt"
    else:
        callback = Callback(
            case_id=case.id,
            source=source,
            preferred_time=preferred_time,
            note=note[:300],
            created_by=actor.user_id,
        )
        try:
            with session.begin_nested():
                session.add(callback)
                session.flush()
        except sa_exc.IntegrityError:
            raise InvalidInput("Voor dit dossier staat al een terugbelverzoek open. Ververs de pagina.") from None
        summary = "Gemarkeerd om te bellen" if source == "uitbellen" else "Terugbelverzoek"
    if preferred_time:
        summary += f" (voorkeur: {preferred_time})"
    add_event(session, case, actor, "terugbellen", summary, callback_id=callback.id)
    audit.record(session, actor, "create", "callback", callback.id, purpose="terugbelverzoek")
    return callback


def _cutoffs(session: orm.Session, campaign_ids: list[int], now: dt.datetime) -> dict[int, dt.datetime]:
    rows = session.execute(
        sa.select(Campaign.id, Campaign.callback_claim_minutes).where(Campaign.id.in_(campaign_ids))
    ).all()
    return {cid: now - dt.timedelta(minutes=minutes) for cid, minutes in rows}


def _claimable(cutoffs: dict[int, dt.datetime]):
    expired = sa.or_(
        *[sa.and_(Case.campaign_id == cid, Callback.claimed_at < cutoff) for cid, cutoff in cutoffs.items()]
    )
    return sa.and_(Callback.done_at.is_(None), sa.or_(Callback.claimed_by.is_(None), expired))


def queue(session: orm.Session, campaign_ids: list[int], now: dt.datetime, *, limit: int = 200) -> list[QueueRow]:
    """Open call-backs, oldest first, with who holds them."""
    cutoffs = _cutoffs(session, campaign_ids, now)
    rows = session.execute(
        sa.select(Callback, Case, User.name)
        .join(Case, Case.id == Callback.case_id)
        .outerjoin(User, User.id == Callback.claimed_by)
        .where(Callback.done_at.is_(None), Case.campaign_id.in_(campaign_ids))
        .order_by(Callback.created_at, Callback.id)
        .limit(limit)
    ).all()
    return [
        QueueRow(
            callback=cb,
            case=case,
            claimed_by_name=name or "",
            claim_active=cb.claimed_by is not None and cb.claimed_at >= cutoffs.get(case.campaign_id, now),
        )
        for cb, case, name in rows
    ]


def claim_batch(
    session: orm.Session, actor: Actor, campaign_ids: list[int], size: int, now: dt.datetime
) -> list[Callback]:
    """Claim up to ``size`` call-backs nobody else holds. Returns the ones this member now holds."""
    if not 1 <= size <= MAX_BATCH:
        raise InvalidInput(f"Kies een aantal van 1 tot en met {MAX_BATCH}.")
    if not campaign_ids:
        return []
    cutoffs = _cutoffs(session, campaign_ids, now)
    candidates = (
        sa.select(Callback.id, Case.campaign_id)
        .join(Case, Case.id == Callback.case_id)
        .where(Case.campaign_id.in_(campaign_ids), _claimable(cutoffs))
        .order_by(Callback.created_at, Callback.id)
        .limit(size)
    )
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True, of=Callback)
    claimed_ids = []
    for callback_id, campaign_id in session.execute(candidates).all():
        result = session.execute(
            sa.update(Callback)
            .where(
                Callback.id == callback_id,
                Callback.done_at.is_(None),
                sa.or_(Callback.claimed_by.is_(None), Callback.claimed_at < cutoffs[campaign_id]),
            )
            .values(claimed_by=actor.user_id, claimed_at=now)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            claimed_ids.append(callback_id)
    for callback_id in claimed_ids:
        audit.record(session, actor, "claim", "callback", callback_id, purpose="terugbellen")
    if not claimed_ids:
        return []
    session.expire_all()
    return list(session.scalars(sa.select(Callback).where(Callback.id.in_(claimed_ids)).order_by(Callback.id)))


def my_claims(session: orm.Session, actor: Actor, campaign_ids: list[int], now: dt.datetime) -> list[QueueRow]:
    return [
        row
        for row in queue(session, campaign_ids, now)
        if row.claim_active and row.callback.claimed_by == actor.user_id
    ]


def release(session: orm.Session, actor: Actor, callback: Callback) -> None:
    if callback.done_at is not None:
        raise IllegalTransition("Dit terugbelverzoek is al afgerond.")
    if callback.claimed_by != actor.user_id:
        raise Forbidden("U kunt alleen terugbelverzoeken vrijgeven die u zelf hebt opgepakt.")
    callback.claimed_by = None
    callback.claimed_at = None
    audit.record(session, actor, "release", "callback", callback.id, purpose="terugbellen")


def complete(session: orm.Session, actor: Actor, callback: Callback) -> None:
    if callback.done_at is not None:
        raise IllegalTransition("Dit terugbelverzoek is al afgerond.")
    callback.done_at = utcnow()
    callback.done_by = actor.user_id
    case = session.get(Case, callback.case_id)
    add_event(session, case, actor, "terugbellen", "Terugbelverzoek afgerond", callback_id=callback.id)
    audit.record(session, actor, "complete", "callback", callback.id, purpose="terugbellen")
