"""Lists maintained as data, not code (contact reasons, exemption types): one way to add and switch entries."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from campaign.errors import InvalidInput, NotFound

CODE_MAX = 40
LABEL_MAX = 120


def new_entry(session: orm.Session, model: type, noun: str, code: str, label: str, **values: Any):
    """Add an entry with a unique lower-case code and a label; ``noun`` names the list in messages."""
    code = code.strip().lower()
    label = " ".join(label.split())
    if not code or not code.replace("_", "").isalnum() or len(code) > CODE_MAX:
        raise InvalidInput(f"De code bestaat uit kleine letters, cijfers en _ (hoogstens {CODE_MAX} tekens).")
    if not label or len(label) > LABEL_MAX:
        raise InvalidInput(f"Geef een omschrijving van hoogstens {LABEL_MAX} tekens.")
    if session.scalar(sa.select(model.id).where(model.code == code)):
        raise InvalidInput(f"{noun} {code!r} bestaat al.")
    row = model(code=code, label=label, **values)
    session.add(row)
    session.flush()
    return row


def set_active(session: orm.Session, model: type, noun: str, code: str, active: bool):
    """Switch an entry on or off; earlier records keep referring to it."""
    row = session.scalar(sa.select(model).where(model.code == code.strip().lower()))
    if row is None:
        raise NotFound(f"{noun} {code!r} bestaat niet.")
    row.active = active
    return row
