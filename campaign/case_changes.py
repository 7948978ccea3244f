"""Shared steps after the phone team changes a case's facts: version check, flush, and status refresh."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import orm
from sqlalchemy.orm.exc import StaleDataError

from campaign.audit import Actor
from campaign.errors import InvalidInput, StaleData
from campaign.lifecycle import refresh_cases
from campaign.models import Case

STALE_MESSAGE = (
    "Dit dossier is intussen gewijzigd (door een collega, of doordat u twee keer klikte). Hieronder ziet u de "
    "nieuwe stand; uw invoer staat nog in het formulier. Kijk of het contact al in de lijst staat en sla zo nodig "
    "opnieuw op."
)


class FieldErrors(InvalidInput):
    """Several Dutch messages keyed by form field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


def check_version(case: Case, expected_version: int) -> None:
    if case.version != expected_version:
        raise StaleData(STALE_MESSAGE)


def touch(case: Case) -> None:
    """Make the case row part of this unit of work, so its version is checked and raised (optimistic locking)."""
    orm.attributes.flag_modified(case, "status_reason")


def flush_case(session: orm.Session) -> None:
    """Flush; a concurrent save of the same case (version check in the UPDATE) becomes a Dutch StaleData."""
    try:
        session.flush()
    except StaleDataError:
        raise StaleData(STALE_MESSAGE) from None


def refresh(session: orm.Session, case: Case, today: dt.date, actor: Actor) -> None:
    """Re-derive the status from the facts just changed (``campaign.lifecycle``, escalation area)."""
    refresh_cases(session, [case.id], today, actor.user_id)
