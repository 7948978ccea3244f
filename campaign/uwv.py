"""What the UWV lists say: the newest applied list of a campaign and a case's registration in it.

A UWV list is a snapshot of the register on its peildatum: a case that is not on the newest list is not
registered according to that list. A list exists only once it has been applied; uploads that are still being
checked live in ``uwv_uploads`` and never influence a decision.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm

from campaign.dates import dutch_date
from campaign.models import Campaign, Case, UwvList, UwvRegistration


def latest_list(session: orm.Session, campaign_id: int) -> UwvList | None:
    """The UWV list with the newest peildatum (the last applied one on a tie)."""
    return session.scalar(
        sa.select(UwvList)
        .where(UwvList.campaign_id == campaign_id)
        .order_by(UwvList.peildatum.desc(), UwvList.id.desc())
        .limit(1)
    )


def registration_in(session: orm.Session, uwv_list: UwvList, case_id: int) -> UwvRegistration | None:
    return session.scalar(
        sa.select(UwvRegistration).where(UwvRegistration.uwv_list_id == uwv_list.id, UwvRegistration.case_id == case_id)
    )


def is_registered(session: orm.Session, case: Case, on_or_after: dt.date) -> bool | None:
    """Registered according to the newest list, if that list's peildatum is on or after ``on_or_after``.

    None when there is no such list (the question cannot be answered yet). A registration that has ended
    counts as not registered from its end date.
    """
    uwv_list = latest_list(session, case.campaign_id)
    if uwv_list is None or uwv_list.peildatum < on_or_after:
        return None
    registration = registration_in(session, uwv_list, case.id)
    return registration is not None and (registration.ended_on is None or registration.ended_on > uwv_list.peildatum)


def registered_by(session: orm.Session, case: Case, deadline: dt.date) -> bool | None:
    """Was the case registered on or before ``deadline`` (in time), whatever the list's peildatum?

    True when the newest list shows a registration dated on or before the deadline that had not ended by
    then; False when the newest list is dated on or after the deadline and shows no such registration;
    None when the newest list is older than the deadline and shows none (it cannot be known yet).
    """
    uwv_list = latest_list(session, case.campaign_id)
    if uwv_list is None:
        return None
    registration = registration_in(session, uwv_list, case.id)
    if registration is not None and registration.is_registered_on(deadline):
        return True
    return False if uwv_list.peildatum >= deadline else None


def registered_in_time(session: orm.Session, uwv_list_id: int, deadlines: dict[int, dt.date]) -> set[int]:
    """The cases (of ``deadlines``: case id -> deadline) that the list shows registered on their deadline.

    A registration dated on or before the deadline that had not ended by then counts as in time, whatever
    happened after the deadline and whatever the list's peildatum (issue 7, domain.md "Guards").
    """
    found: set[int] = set()
    ids = list(deadlines)
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        rows = session.execute(
            sa.select(UwvRegistration.case_id, UwvRegistration.registered_on, UwvRegistration.ended_on).where(
                UwvRegistration.uwv_list_id == uwv_list_id, UwvRegistration.case_id.in_(chunk)
            )
        )
        for case_id, registered_on, ended_on in rows:
            deadline = deadlines[case_id]
            if registered_on <= deadline and (ended_on is None or ended_on > deadline):
                found.add(case_id)
    return found


def in_time_message(peildatum: dt.date, deadline: dt.date) -> str:
    return (
        f"Op tijd ingeschreven: volgens de UWV-lijst met peildatum {dutch_date(peildatum)} ingeschreven op of vóór "
        f"de termijn van {dutch_date(deadline)} (ook al is de inschrijving later beëindigd)."
    )


def freshness_problem(session: orm.Session, campaign: Campaign, today: dt.date) -> str | None:
    """A Dutch reason why steps that depend on registration status may not run now, or None."""
    uwv_list = latest_list(session, campaign.id)
    limit = campaign.uwv_freshness_days
    if uwv_list is None:
        return (
            "Er is nog geen UWV-lijst toegepast in deze campagne. Lees eerst een actuele UWV-lijst in "
            "(menu UWV-lijsten)."
        )
    age = (today - uwv_list.peildatum).days
    if age > limit:
        return (
            f"De nieuwste UWV-lijst (peildatum {dutch_date(uwv_list.peildatum)}) is {age} dagen oud; "
            f"de campagne staat maximaal {limit} dagen toe. Lees eerst een nieuwe UWV-lijst in (menu UWV-lijsten)."
        )
    return None
