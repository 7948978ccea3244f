"""Reading a UWV list into a campaign: check first, apply all or nothing, unknown BSNs never stored."""

import pytest
import sqlalchemy as sa

from campaign.audit import Actor
from campaign.db import Base
from campaign.errors import IllegalTransition, StaleData
from campaign.models import Case, CaseEvent, UwvList, UwvRegistration, UwvStagedRegistration
from campaign.uwv import is_registered
from imports.uwv_apply import apply_upload, check_upload, start_upload, withdraw_upload
from tests.uwv_support import HEADER, D, make_campaign, write_csv, write_xlsx

ACTOR = Actor(None, "uwv-test", "test")
TODAY = D(2026, 11, 30)


PEILDATUM = D(2026, 11, 28)


def upload_file(session, campaign, path, peildatum=PEILDATUM):
    upload = start_upload(
        session, campaign, ACTOR, filename=path.name, sha256="x" * 64, peildatum=peildatum, today=TODAY
    )
    check_upload(session, upload, path)
    return upload


def test_a_clean_list_is_checked_then_applied_and_the_cases_become_registered(session, tmp_path):
    campaign, cases, spare = make_campaign(session, 4)
    path = write_xlsx(
        tmp_path / "uwv.xlsx",
        [HEADER, [cases[0].bsn, D(2026, 11, 2), None, "Ingeschreven"], [cases[1].bsn, D(2026, 10, 1), D(2026, 11, 20),
         "Uitgeschreven"], [next(spare), D(2026, 11, 3), None, "Ingeschreven"]],
    )  # fmt: skip
    upload = upload_file(session, campaign, path)
    assert upload.status == "gecontroleerd"
    report = upload.report
    assert (report["rows"], report["matched"], report["newly_registered"], report["ended"]) == (3, 2, 1, 1)
    assert report["not_in_campaign"] == 1 and report["error_count"] == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(UwvList)) == 0  # nothing counts before apply

    uwv_list = apply_upload(session, upload, ACTOR, TODAY)
    assert uwv_list.peildatum == D(2026, 11, 28)
    assert is_registered(session, cases[0], D(2026, 11, 28)) is True
    assert is_registered(session, cases[1], D(2026, 11, 28)) is False
    session.expire_all()
    assert session.get(Case, cases[0].id).status == "ingeschreven"
    assert session.get(Case, cases[2].id).status == "pool"
    summaries = session.scalars(sa.select(CaseEvent.summary).where(CaseEvent.case_id == cases[0].id)).all()
    assert any("UWV-lijst met peildatum 28 november 2026" in s for s in summaries)
    assert session.scalar(sa.select(sa.func.count()).select_from(UwvStagedRegistration)) == 0


def test_bsns_outside_the_campaign_are_counted_and_stored_nowhere(session, tmp_path):
    campaign, cases, spare = make_campaign(session, 2)
    stranger = next(spare)
    path = write_xlsx(tmp_path / "uwv.xlsx", [HEADER, [cases[0].bsn, D(2026, 11, 2), None, None],
                                               [stranger, D(2026, 11, 3), None, "rommel"]])  # fmt: skip
    upload = upload_file(session, campaign, path)
    apply_upload(session, upload, ACTOR, TODAY)
    session.flush()
    assert upload.report["not_in_campaign"] == 1
    for table in Base.metadata.sorted_tables:
        for row in session.execute(sa.select(table)):
            assert stranger not in repr(tuple(row)), table.name


def test_row_problems_name_row_and_column_and_nothing_is_staged(session, tmp_path):
    campaign, cases, _ = make_campaign(session, 4)
    path = write_xlsx(
        tmp_path / "uwv.xlsx",
        [HEADER, ["111222334", D(2026, 11, 2), None, None], [cases[0].bsn, "31-02-2026", None, None],
         [cases[1].bsn, D(2026, 12, 1), None, None], [cases[2].bsn, D(2026, 11, 1), None, "Misschien"],
         [cases[3].bsn, D(2026, 11, 1), None, None]],
        title_rows=[["UWV inschrijvingen werkzoekenden"], []],
    )  # fmt: skip
    upload = upload_file(session, campaign, path)
    assert upload.status == "afgekeurd"
    problems = {(p["row"], p["column"]): p["message"] for p in upload.report["errors"]}
    assert "elfproef" in problems[(4, "BSN")]
    assert "111222334" not in problems[(4, "BSN")]
    assert problems[(5, "Datum inschrijving")] == "'31-02-2026': deze datum bestaat niet."
    assert "na de peildatum" in problems[(6, "Datum inschrijving")]
    assert "onbekende status" in problems[(7, "Status")]
    assert session.scalar(sa.select(sa.func.count()).select_from(UwvStagedRegistration)) == 0
    with pytest.raises(IllegalTransition):
        apply_upload(session, upload, ACTOR, TODAY)
    assert session.scalar(sa.select(sa.func.count()).select_from(UwvRegistration)) == 0


def test_a_list_whose_only_fault_is_a_strangers_bsn_is_rejected_and_nothing_stays_staged(session, tmp_path):
    campaign, cases, spare = make_campaign(session, 3)
    stranger = next(spare)
    rows = [[c.bsn, "1-11-2026", "", "Ingeschreven"] for c in cases] + [[stranger, "1-11-2026", "", "Ingeschreven"]]
    rows.insert(2, ["111222334", "1-11-2026", "", "Ingeschreven"])  # fails the elfproef, not in the campaign
    upload = upload_file(session, campaign, write_csv(tmp_path / "uwv.csv", [HEADER, *rows]))
    assert upload.status == "afgekeurd"
    assert [(e["row"], e["column"]) for e in upload.report["errors"]] == [(4, "BSN")]
    assert upload.report["matched"] == 3 and upload.report["not_in_campaign"] == 1
    session.flush()
    assert session.scalar(sa.select(sa.func.count()).select_from(UwvStagedRegistration)) == 0
    for table in Base.metadata.sorted_tables:
        for row in session.execute(sa.select(table)):
            assert stranger not in repr(tuple(row)), table.name


def test_a_semicolon_csv_with_lost_leading_zeros_and_text_dates_is_read(session, tmp_path):
    campaign, cases, _ = make_campaign(session, 2)
    assert cases[0].bsn.startswith("0")
    path = write_csv(
        tmp_path / "uwv.csv",
        [["Overzicht inschrijvingen"], ["Burgerservicenummer", "Inschrijfdatum", "Status", "Naam"],
         [cases[0].bsn.lstrip("0"), "2-11-2026", "Ingeschreven", "Jansen"], [cases[1].bsn, "2026-11-05", "", "Bakker"]],
    )  # fmt: skip
    upload = upload_file(session, campaign, path)
    assert upload.status == "gecontroleerd", upload.report
    assert upload.report["matched"] == 2
    assert upload.report["ignored_columns"] == ["Naam"]


def test_duplicates_are_reported_and_the_active_registration_counts(session, tmp_path):
    campaign, cases, _ = make_campaign(session, 1)
    bsn = cases[0].bsn
    path = write_xlsx(tmp_path / "uwv.xlsx", [HEADER, [bsn, D(2026, 11, 10), None, None],
                                               [bsn, D(2026, 1, 1), D(2026, 3, 1), "Uitgeschreven"]])  # fmt: skip
    upload = upload_file(session, campaign, path)
    assert upload.report["duplicate_count"] == 1
    assert upload.report["duplicates"] == [[2, 3]]
    apply_upload(session, upload, ACTOR, TODAY)
    assert is_registered(session, cases[0], D(2026, 11, 28)) is True


def test_a_second_list_tells_known_ended_and_no_longer_listed_apart(session, tmp_path):
    campaign, cases, _ = make_campaign(session, 3)
    first = write_xlsx(tmp_path / "a.xlsx", [HEADER] + [[c.bsn, D(2026, 11, 1), None, None] for c in cases])
    apply_upload(session, upload_file(session, campaign, first, D(2026, 11, 14)), ACTOR, TODAY)
    second = write_xlsx(tmp_path / "b.xlsx", [HEADER, [cases[0].bsn, D(2026, 11, 1), None, None],
                                              [cases[1].bsn, D(2026, 11, 1), D(2026, 11, 20), None]])  # fmt: skip
    upload = upload_file(session, campaign, second, D(2026, 11, 28))
    report = upload.report
    assert (report["already_known"], report["ended"], report["no_longer_listed"]) == (1, 1, 1)
    apply_upload(session, upload, ACTOR, TODAY)
    assert [is_registered(session, c, D(2026, 11, 28)) for c in cases] == [True, False, False]


def test_applying_after_another_list_was_applied_is_refused(session, tmp_path):
    campaign, cases, _ = make_campaign(session, 1)
    path = write_xlsx(tmp_path / "a.xlsx", [HEADER, [cases[0].bsn, D(2026, 11, 1), None, None]])
    stale = upload_file(session, campaign, path, D(2026, 11, 20))
    fresh = upload_file(session, campaign, path, D(2026, 11, 21))
    apply_upload(session, fresh, ACTOR, TODAY)
    with pytest.raises(StaleData):
        apply_upload(session, stale, ACTOR, TODAY)
    withdraw_upload(session, stale, ACTOR)
    assert stale.status == "ingetrokken"


def test_an_unreadable_file_is_rejected_with_a_message_naming_it(session, tmp_path):
    campaign, _, _ = make_campaign(session, 1)
    path = tmp_path / "lijst.xlsx"
    path.write_bytes(b"%PDF-1.4 not a spreadsheet")
    upload = upload_file(session, campaign, path)
    assert upload.status == "afgekeurd"
    assert "lijst.xlsx" in upload.report["file_error"]


def test_a_list_without_a_registration_date_column_is_refused(session, tmp_path):
    campaign, cases, _ = make_campaign(session, 1)
    path = write_xlsx(tmp_path / "a.xlsx", [["BSN", "Naam"], [cases[0].bsn, "Jansen"]])
    upload = upload_file(session, campaign, path)
    assert upload.status == "afgekeurd"
    assert "Datum inschrijving" in upload.report["file_error"]


def test_the_peildatum_must_be_given_and_not_in_the_future(session):
    from campaign.errors import InvalidInput

    campaign, _, _ = make_campaign(session, 1)
    for peildatum in (None, D(2026, 12, 1)):
        with pytest.raises(InvalidInput):
            start_upload(session, campaign, ACTOR, filename="a.xlsx", sha256="", peildatum=peildatum, today=TODAY)
