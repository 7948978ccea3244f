"""The audit trail: every read and write of a person's data is logged (AVG/BIO)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import orm

from campaign.models import AuditEvent


@dataclass(frozen=True)
class Actor:
    """Who acts, from where. The web builds it from the session; the CLI and jobs name themselves."""

    user_id: int | None
    label: str
    origin: str
    role: str = ""

    @classmethod
    def system(cls, origin: str = "systeem") -> Actor:
        return cls(user_id=None, label=origin, origin=origin)


def record(
    session: orm.Session,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object = "",
    *,
    result: str = "ok",
    purpose: str = "",
) -> AuditEvent:
    event = AuditEvent(
        actor_id=actor.user_id,
        actor_label=actor.label[:254],
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:40],
        result=result,
        origin=actor.origin[:80],
        purpose=purpose[:200],
    )
    session.add(event)
    return event
