"""What the UWV lists say about a case: only applied lists count, the newest one decides."""

import datetime as dt

from campaign import audit
from campaign.campaigns import create_campaign
from campaign.cases import new_case
from campaign.models import UwvList, UwvRegistration
from campaign.uwv import freshness_problem, is_registered, latest_list, registered_by

D = dt.date


def make_case(session):
    campaign = create_campaign(session, audit.Actor.system("test"), "UWV-stand")
    case = new_case(campaign, {"bsn": "123456782", "surname": "Jansen"})
    session.add(case)
    session.flush()
    return campaign, case


def add_list(session, campaign, peildatum, registration=None, case=None):
    uwv_list = UwvList(campaign_id=campaign.id, peildatum=peildatum)
    session.add(uwv_list)
    session.flush()
    if registration:
        registered_on, ended_on = registration
        session.add(
            UwvRegistration(uwv_list_id=uwv_list.id, case_id=case.id, registered_on=registered_on, ended_on=ended_on)
        )
        session.flush()
    return uwv_list


def test_without_a_list_registration_is_unknown(session):
    campaign, case = make_case(session)
    assert latest_list(session, campaign.id) is None
    assert is_registered(session, case, D(2026, 11, 1)) is None


def test_the_newest_applied_list_decides_and_absence_means_not_registered(session):
    campaign, case = make_case(session)
    add_list(session, campaign, D(2026, 11, 10), registration=(D(2026, 11, 1), None), case=case)
    newest = add_list(session, campaign, D(2026, 11, 20))
    assert latest_list(session, campaign.id).id == newest.id
    assert is_registered(session, case, D(2026, 11, 15)) is False
    assert is_registered(session, case, D(2026, 11, 21)) is None


def test_an_ended_registration_counts_as_not_registered_from_its_end_date(session):
    campaign, case = make_case(session)
    add_list(session, campaign, D(2026, 11, 20), registration=(D(2026, 10, 1), D(2026, 11, 15)), case=case)
    assert is_registered(session, case, D(2026, 11, 20)) is False
    assert registered_by(session, case, D(2026, 11, 14)) is True
    assert registered_by(session, case, D(2026, 11, 16)) is False


def test_a_registration_before_the_deadline_is_in_time_whatever_the_peildatum(session):
    campaign, case = make_case(session)
    add_list(session, campaign, D(2026, 11, 30), registration=(D(2026, 11, 25), None), case=case)
    assert registered_by(session, case, D(2026, 11, 25)) is True
    assert registered_by(session, case, D(2026, 11, 24)) is False


def test_a_list_older_than_the_deadline_cannot_say_someone_was_late(session):
    campaign, case = make_case(session)
    add_list(session, campaign, D(2026, 11, 20))
    assert registered_by(session, case, D(2026, 11, 25)) is None


def test_a_stale_or_missing_list_blocks_with_a_message_that_names_it(session):
    campaign, _ = make_case(session)
    assert "nog geen UWV-lijst" in freshness_problem(session, campaign, D(2026, 11, 30))
    add_list(session, campaign, D(2026, 11, 16))
    assert freshness_problem(session, campaign, D(2026, 11, 26)) is None
    message = freshness_problem(session, campaign, D(2026, 11, 27))
    assert "16 november 2026" in message and "11 dagen oud" in message
