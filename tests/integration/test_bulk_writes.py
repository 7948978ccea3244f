"""Bulk writes (campaign.bulk): one statement on PostgreSQL, executemany on SQLite; the rows stored are the same."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy import exc

from campaign.bulk import id_in, insert_rows, is_postgresql, update_rows
from campaign.models import Case, CaseEvent
from tests.escalation_support import make_campaign, make_cases

AT = dt.datetime(2026, 11, 30, 7, 15, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def events_of(session, case_ids):
    return session.execute(
        sa.select(
            CaseEvent.case_id, CaseEvent.kind, CaseEvent.summary, CaseEvent.data, CaseEvent.at, CaseEvent.actor_id
        )
        .where(CaseEvent.case_id.in_(case_ids), CaseEvent.kind.like("bulk%"))
        .order_by(CaseEvent.id)
    ).all()


def test_inserted_rows_keep_their_order_values_json_and_time_zone(session):
    cases = make_cases(session, make_campaign(session), 3)
    ids = [c.id for c in reversed(cases)]
    rows = [
        {"case_id": ids[0], "actor_id": None, "kind": "bulk", "summary": "Brief \"stap\" 2, {met} 'tekens' é",
         "data": {"step": 2, "lines": ["a", None]}, "at": AT},
        {"case_id": ids[1], "actor_id": None, "kind": "bulk", "summary": "tweede", "data": {}, "at": AT},
        {"case_id": ids[2], "actor_id": None, "kind": "bulk-ander", "summary": "derde", "data": None, "at": AT},
    ]  # fmt: skip
    insert_rows(session, CaseEvent.__table__, rows)
    stored = events_of(session, ids)
    assert [r.case_id for r in stored] == ids
    assert [r.summary for r in stored] == ["Brief \"stap\" 2, {met} 'tekens' é", "tweede", "derde"]
    assert [r.kind for r in stored] == ["bulk", "bulk", "bulk-ander"]
    assert [r.data for r in stored] == [{"step": 2, "lines": ["a", None]}, {}, None]
    assert {r.at for r in stored} == {AT} and stored[0].at.utcoffset() == dt.timedelta(0)


def test_one_row_with_every_value_shared_is_inserted(session):
    (case,) = make_cases(session, make_campaign(session), 1)
    insert_rows(session, CaseEvent.__table__, [
        {"case_id": case.id, "actor_id": None, "kind": "bulk", "summary": "enige", "data": {"day": "2026-11-30"},
         "at": AT},
    ])  # fmt: skip
    assert [(r.summary, r.data) for r in events_of(session, [case.id])] == [("enige", {"day": "2026-11-30"})]


def test_a_value_too_long_for_its_column_is_refused_not_cut_off(session):
    if not is_postgresql(session):
        pytest.skip("SQLite does not enforce column lengths")
    cases = make_cases(session, make_campaign(session), 2)
    rows = [{"case_id": c.id, "kind": "bulk" + "x" * 60, "summary": "s", "data": {}, "at": AT} for c in cases]
    with pytest.raises(exc.DBAPIError):
        insert_rows(session, CaseEvent.__table__, rows)


def test_updated_rows_get_their_own_values_and_a_new_version(session):
    cases = make_cases(session, make_campaign(session), 3)
    session.flush()
    before = {c.id: c.version for c in cases}
    update_rows(session, Case.__table__, "b_id", [
        {"b_id": cases[0].id, "status_reason": "een", "deadline": dt.date(2026, 12, 7)},
        {"b_id": cases[2].id, "status_reason": "drie", "deadline": None},
    ], bump_version=True)  # fmt: skip
    rows = {
        r.id: r
        for r in session.execute(
            sa.select(Case.id, Case.status_reason, Case.deadline, Case.version).where(
                id_in(Case.id, list(before), session)
            )
        )
    }
    assert (rows[cases[0].id].status_reason, rows[cases[0].id].deadline) == ("een", dt.date(2026, 12, 7))
    assert (rows[cases[2].id].status_reason, rows[cases[2].id].deadline) == ("drie", None)
    assert [rows[c.id].version - before[c.id] for c in cases] == [1, 0, 1]
