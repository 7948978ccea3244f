"""The call-back queue: a call-back is held by one member at a time, guaranteed by the database."""

import datetime as dt
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from campaign import accounts, callbacks, phone
from campaign.audit import Actor
from campaign.errors import StaleData
from campaign.models import Callback, Case
from campaign.roles import Role
from tests.phone_helpers import make_campaign

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def member(session, name):
    user = accounts.create_user(
        session, Actor.system("test"), f"{name}@test.invalid", Role.TELEFOONTEAM, "een-lang-test-wachtwoord", name
    )
    session.flush()
    return Actor(user.id, user.email, "test", Role.TELEFOONTEAM.value)


@pytest.fixture
def queue_of_five(db):
    bsns = ["100000009", "100000010", "100000022", "100000034", "100000046"]
    people = [{"bsn": bsn, "surname": f"Persoon {i}"} for i, bsn in enumerate(bsns)]
    with db.transaction() as session:
        campaign, cases = make_campaign(session, people=people)
        ann, bob = member(session, "ann"), member(session, "bob")
        for case in cases:
            callbacks.request_callback(session, ann, case, preferred_time="ochtend")
    return campaign, cases, ann, bob


def claimed_by(db):
    with db.session() as session:
        return dict(session.execute(sa.select(Callback.id, Callback.claimed_by)).all())


def test_a_batch_is_the_oldest_requests_and_a_colleague_gets_the_rest(db, queue_of_five):
    campaign, _, ann, bob = queue_of_five
    with db.transaction() as session:
        first = callbacks.claim_batch(session, ann, [campaign.id], 3, NOW)
    with db.transaction() as session:
        second = callbacks.claim_batch(session, bob, [campaign.id], 3, NOW)
    assert len(first) == 3 and len(second) == 2
    assert {c.id for c in first}.isdisjoint({c.id for c in second})
    assert [c.id for c in first] == sorted(c.id for c in first)


def test_an_expired_claim_is_offered_again(db, queue_of_five):
    campaign, _, ann, bob = queue_of_five
    with db.transaction() as session:
        callbacks.claim_batch(session, ann, [campaign.id], 5, NOW)
    with db.transaction() as session:
        assert callbacks.claim_batch(session, bob, [campaign.id], 5, NOW + dt.timedelta(minutes=59)) == []
    with db.transaction() as session:
        assert len(callbacks.claim_batch(session, bob, [campaign.id], 5, NOW + dt.timedelta(minutes=61))) == 5


def test_a_released_call_back_is_free_again(db, queue_of_five):
    campaign, _, ann, bob = queue_of_five
    with db.transaction() as session:
        mine = callbacks.claim_batch(session, ann, [campaign.id], 1, NOW)
        callbacks.release(session, ann, mine[0])
    with db.transaction() as session:
        assert [c.id for c in callbacks.claim_batch(session, bob, [campaign.id], 1, NOW)] == [mine[0].id]


def test_a_case_has_at_most_one_open_call_back(db, queue_of_five):
    _, cases, ann, _ = queue_of_five
    with db.session() as session, pytest.raises(sa_exc.IntegrityError):
        session.add(Callback(case_id=cases[0].id))
        session.flush()
    with db.transaction() as session:
        case = session.get(Case, cases[0].id)
        callbacks.request_callback(session, ann, case, preferred_time="middag")
    with db.session() as session:
        open_ones = session.scalars(sa.select(Callback).where(Callback.case_id == cases[0].id)).all()
    assert [c.preferred_time for c in open_ones] == ["middag"]


def test_members_claiming_at_the_same_moment_never_share_a_call_back(db, queue_of_five):
    campaign, _, ann, bob = queue_of_five
    results, errors = {}, []
    barrier = threading.Barrier(2)

    def claim(who):
        try:
            barrier.wait(timeout=10)
            with db.transaction() as session:
                results[who.label] = [c.id for c in callbacks.claim_batch(session, who, [campaign.id], 4, NOW)]
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=claim, args=(who,)) for who in (ann, bob)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert set(results[ann.label]).isdisjoint(results[bob.label])
    owners = claimed_by(db)
    for who in (ann, bob):
        assert all(owners[i] == who.user_id for i in results[who.label])


@pytest.mark.postgres_only
def test_on_postgresql_a_second_member_skips_rows_another_is_claiming(db, queue_of_five):
    if db.is_sqlite:
        pytest.skip("SKIP LOCKED is PostgreSQL's")
    campaign, _, ann, bob = queue_of_five
    with db.session() as first, db.session() as second:
        held = callbacks.claim_batch(first, ann, [campaign.id], 2, NOW)  # locks two rows, not yet committed
        second.execute(sa.text("SET LOCAL lock_timeout = '5s'"))
        got = callbacks.claim_batch(second, bob, [campaign.id], 5, NOW)  # does not wait for the first
        assert {c.id for c in held}.isdisjoint({c.id for c in got})
        assert len(got) == 3
        second.commit()
        first.commit()
    owners = claimed_by(db)
    assert sorted(owners.values()) == sorted([ann.user_id] * 2 + [bob.user_id] * 3)


def test_two_people_saving_one_case_at_once_the_second_gets_a_clear_message(db, queue_of_five):
    _, cases, ann, bob = queue_of_five
    today = dt.date(2026, 11, 23)
    form = phone.ContactInput(channel="telefoon_in", reasons=["klacht"], outcome="bereikt", note="eerste")
    with db.session() as first, db.session() as second:
        case_a = first.get(Case, cases[0].id)
        case_b = second.get(Case, cases[0].id)
        version = case_a.version
        phone.log_contact(first, ann, case_a, form, expected_version=version, today=today)
        first.commit()
        with pytest.raises(StaleData, match="intussen gewijzigd"):
            phone.log_contact(second, bob, case_b, form, expected_version=version, today=today)
        second.rollback()
    with db.session() as session:
        assert session.get(Case, cases[0].id).version == version + 1


def test_an_address_change_racing_a_colleague_gets_the_same_clear_message(db, queue_of_five):
    _, cases, ann, bob = queue_of_five
    today = dt.date(2026, 11, 23)
    new_address = phone.NewAddress(street="Kleiweg", house_number="7", postcode="3051 GH", city="Rotterdam")
    move = phone.ContactInput(channel="telefoon_in", reasons=["adreswijziging"], address=new_address)
    with db.session() as first, db.session() as second:
        case_a, case_b = first.get(Case, cases[1].id), second.get(Case, cases[1].id)
        version = case_b.version
        phone.log_contact(first, ann, case_a, phone.ContactInput(channel="balie", reasons=["klacht"]),
                          expected_version=version, today=today)  # fmt: skip
        first.commit()
        with pytest.raises(StaleData):
            phone.log_contact(second, bob, case_b, move, expected_version=version, today=today)
        second.rollback()
    with db.session() as session:
        assert session.get(Case, cases[1].id).street == ""
