"""Applying client lists: matched by BSN, changes in the history, missing people flagged, all or nothing."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from campaign.audit import Actor
from campaign.campaigns import create_campaign
from campaign.errors import InvalidInput, StaleData
from campaign.models import AuditEvent, Case, CaseEvent, ImportRun
from imports import apply as applying
from imports import runs
from imports.reader import Limits

SAMPLES = Path("/work/shared/data")
TODAY = dt.date(2026, 11, 23)
ACTOR = Actor.system("test")
LIMITS = Limits()
HEADER = ["BSN", "Voorletters", "Achternaam", "Straatnaam", "Huisnummer", "Postcode", "Woonplaats", "Geslacht"]
PEOPLE = [
    ["012345672", "A.", "Jansen", "Kerkstraat", 1, "3011 AA", "Rotterdam", "V"],
    ["123456782", "B.", "de Vries", "Dorpsweg", "12a", "3012 BB", "Rotterdam", "M"],
    ["111222333", "C.", "Öztürk", "Laan", 5, "3013 CC", "Rotterdam", "X"],
]


def write_list(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    workbook = Workbook()
    workbook.active.append(["Export uitkeringen november"])
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def run_import(session, campaign, path: Path, *, list_type="clients", skip_invalid=False, today=TODAY):
    run = runs.start_run(
        session, campaign, ACTOR, path=path, filename=path.name, list_type=list_type, today=today, keep_path=False
    )
    prepared = runs.check_run(session, run, limits=LIMITS, path=path)
    assert prepared is not None, run.message
    counts = runs.apply_run(session, run, ACTOR, skip_invalid=skip_invalid, limits=LIMITS, path=path, prepared=prepared)
    session.flush()
    return run, counts


@pytest.fixture
def campaign(session):
    return create_campaign(session, ACTOR, "Herinschrijving 2026")


def cases_by_bsn(session, campaign) -> dict[str, Case]:
    session.expire_all()
    return {c.bsn: c for c in session.scalars(sa.select(Case).where(Case.campaign_id == campaign.id))}


def test_sample_file_imports_cleanly_and_the_identical_file_is_recognised(session, campaign, tmp_path):
    run, counts = run_import(session, campaign, SAMPLES / "gemeente-export-voorbeeld.xlsx")
    assert counts["nieuw"] == 200 and counts["fouten"] == 0
    assert runs.summary_line(counts) == "nieuw: 200, gewijzigd: 0, ongewijzigd: 0, fouten: 0"
    cases = cases_by_bsn(session, campaign)
    assert len(cases) == 200
    case = cases["017468140"]
    assert (case.surname, case.street, case.house_number, case.postcode) == ("Herstal", "Fembaan", 206, "3076 KA")
    assert case.reference.startswith(campaign.reference_prefix + "-")
    assert len({c.reference for c in cases.values()}) == 200
    assert case.surname_key.startswith("herstal")
    assert [e.kind for e in case.events] == ["import_nieuw"]

    second = runs.start_run(
        session, campaign, ACTOR, path=SAMPLES / "gemeente-export-voorbeeld.xlsx",
        filename="gemeente-export-voorbeeld.xlsx", list_type="clients", today=TODAY, keep_path=False,
    )  # fmt: skip
    assert second.duplicate_of_id == run.id
    runs.check_run(session, second, limits=LIMITS, path=SAMPLES / "gemeente-export-voorbeeld.xlsx")
    assert second.summary["counts"]["nieuw"] == 0
    assert second.summary["counts"]["ongewijzigd"] == 200


def test_csv_sample_matches_the_same_people(session, campaign):
    run_import(session, campaign, SAMPLES / "gemeente-export-voorbeeld.xlsx")
    _, counts = run_import(session, campaign, SAMPLES / "gemeente-export-voorbeeld.csv")
    assert counts["nieuw"] == 0
    assert counts["ongewijzigd"] == 50
    assert counts["niet_meer_in_lijst"] == 150


def test_updated_list_records_changes_and_flags_missing_people_without_deleting(session, campaign, tmp_path):
    run_import(session, campaign, write_list(tmp_path / "okt.xlsx", PEOPLE))
    moved = [["012345672", "A.", "Jansen", "Nieuwe Weg", 7, "3015 DD", "Rotterdam", "V"], PEOPLE[1]]
    _, counts = run_import(session, campaign, write_list(tmp_path / "nov.xlsx", moved), today=TODAY)
    assert counts == {"nieuw": 0, "gewijzigd": 1, "ongewijzigd": 1, "niet_meer_in_lijst": 1, "al_niet_in_lijst": 0,
                      "fouten": 0}  # fmt: skip
    cases = cases_by_bsn(session, campaign)
    assert len(cases) == 3
    jansen = cases["012345672"]
    assert (jansen.street, jansen.house_number, jansen.postcode) == ("Nieuwe Weg", 7, "3015 DD")
    change = next(e for e in jansen.events if e.kind == "import_wijziging")
    assert change.summary == "Gewijzigd door nov.xlsx (import 2): straat, huisnummer, postcode."
    assert change.data["changes"]["street"] == ["Kerkstraat", "Nieuwe Weg"]
    assert cases["111222333"].missing_from_list_since == TODAY
    assert cases["123456782"].missing_from_list_since is None
    assert (cases["123456782"].house_number, cases["123456782"].house_letter) == (12, "a")

    _, counts = run_import(session, campaign, write_list(tmp_path / "dec.xlsx", PEOPLE[2:]), today=TODAY)
    assert counts["gewijzigd"] == 1  # back on the list
    assert counts["niet_meer_in_lijst"] == 2
    assert cases_by_bsn(session, campaign)["111222333"].missing_from_list_since is None


def test_rows_with_errors_block_apply_unless_explicitly_left_out(session, campaign, tmp_path):
    rows = [*PEOPLE, ["111222334", "D.", "Fout", "Weg", 1, "3011 AA", "Rotterdam", ""], ["123456782", "E."]]
    path = write_list(tmp_path / "fouten.xlsx", rows)
    run = runs.start_run(
        session, campaign, ACTOR, path=path, filename=path.name, list_type="clients", today=TODAY, keep_path=False
    )
    runs.check_run(session, run, limits=LIMITS, path=path)
    assert run.error_rows == 3  # the bad BSN, and both rows of the BSN that is in the file twice
    assert run.summary["counts"]["nieuw"] == 2
    with pytest.raises(InvalidInput, match="3 regels hebben fouten"):
        runs.apply_run(session, run, ACTOR, skip_invalid=False, limits=LIMITS, path=path)
    assert cases_by_bsn(session, campaign) == {}

    counts = runs.apply_run(session, run, ACTOR, skip_invalid=True, limits=LIMITS, path=path)
    assert counts["nieuw"] == 2 and counts["fouten"] == 3
    assert set(cases_by_bsn(session, campaign)) == {"012345672", "111222333"}
    assert (run.status, run.skip_invalid, run.skipped_rows) == ("toegepast", True, 3)
    skip = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "import_skip"))
    assert "3 regels met fouten weggelaten" in skip.purpose

    workbook = runs.error_workbook(session, run, limits=LIMITS, path=path)
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(workbook)).active
    assert [c.value for c in sheet[1]] == [*HEADER, "fout"]
    assert sheet.max_row == 4
    assert sheet["A2"].value == "123456782"
    assert "BSN: dit BSN staat meer dan eens" in sheet["I2"].value
    assert sheet["I3"].value.startswith("regel 6: BSN: dit is geen geldig BSN")


def test_uitstroom_marks_benefit_ended_and_forgets_unknown_bsns(session, campaign, tmp_path):
    run_import(session, campaign, write_list(tmp_path / "klanten.xlsx", PEOPLE))
    path = tmp_path / "uitstroom.xlsx"
    workbook = Workbook()
    workbook.active.append(["Burgerservicenummer", "Einddatum uitkering"])
    workbook.active.append(["123456782", dt.date(2026, 11, 1)])
    workbook.active.append(["012345672", None])
    workbook.active.append(["100000009", "01-11-2026"])
    workbook.save(path)
    _, counts = run_import(session, campaign, path, list_type="uitstroom")
    assert counts["gewijzigd"] == 2 and counts["niet_in_campagne"] == 1
    cases = cases_by_bsn(session, campaign)
    assert "100000009" not in cases
    assert cases["123456782"].no_action_reason == "UITKERING_BEEINDIGD"
    assert cases["123456782"].no_action_since == dt.date(2026, 11, 1)
    assert cases["012345672"].no_action_since == TODAY
    assert cases["123456782"].status == "geen_actie"
    assert cases["111222333"].missing_from_list_since is None  # an uitstroom list flags nobody as missing


def test_failure_halfway_writes_nothing(session, campaign, tmp_path, monkeypatch):
    run_import(session, campaign, write_list(tmp_path / "okt.xlsx", PEOPLE[:1]))
    session.commit()

    def broken(*args, **kwargs):
        raise RuntimeError("schijf vol")

    monkeypatch.setattr(applying, "_flag_missing", broken)
    with pytest.raises(RuntimeError):
        run_import(session, campaign, write_list(tmp_path / "nov.xlsx", PEOPLE[1:]))
    session.rollback()
    assert set(cases_by_bsn(session, campaign)) == {"012345672"}
    assert session.scalar(sa.select(sa.func.count()).select_from(ImportRun)) == 1


def test_a_case_edited_between_check_and_apply_stops_the_whole_apply(session, campaign, tmp_path):
    run_import(session, campaign, write_list(tmp_path / "okt.xlsx", PEOPLE))
    path = write_list(tmp_path / "nov.xlsx", [[*PEOPLE[0][:3], "Andere straat", *PEOPLE[0][4:]], PEOPLE[1]])
    run = runs.start_run(
        session, campaign, ACTOR, path=path, filename=path.name, list_type="clients", today=TODAY, keep_path=False
    )
    prepared = runs.check_run(session, run, limits=LIMITS, path=path)
    session.execute(sa.update(Case).where(Case.bsn == "012345672").values(version=Case.version + 1))
    with pytest.raises(StaleData):
        runs.apply_run(session, run, ACTOR, skip_invalid=False, limits=LIMITS, path=path, prepared=prepared)


def test_missing_required_column_is_named(session, campaign, tmp_path):
    path = write_list(tmp_path / "geen-bsn.xlsx", [["A.", "Jansen"]], header=["Voorletters", "Achternaam"])
    run = runs.start_run(
        session, campaign, ACTOR, path=path, filename=path.name, list_type="clients", today=TODAY, keep_path=False
    )
    assert runs.check_run(session, run, limits=LIMITS, path=path) is None
    assert run.status == "gecontroleerd"  # the user can still choose the column on the check page
    assert run.headers == ["Voorletters", "Achternaam"]
    assert run.message.startswith("geen-bsn.xlsx: In het bestand is geen kolom gevonden voor: BSN.")
    with pytest.raises(InvalidInput, match="verplichte kolom"):
        runs.apply_run(session, run, ACTOR, skip_invalid=True, limits=LIMITS, path=path)


def test_stored_upload_is_removed_after_apply(session, campaign, tmp_path):
    stored = runs.store_upload(tmp_path / "opslag", shutil.copy(SAMPLES / "gemeente-export-voorbeeld.csv", tmp_path),
                               "lijst.csv")  # fmt: skip
    run = runs.start_run(session, campaign, ACTOR, path=stored, filename="lijst.csv", list_type="clients", today=TODAY)
    runs.check_run(session, run, limits=LIMITS)
    runs.apply_run(session, run, ACTOR, skip_invalid=False, limits=LIMITS)
    runs.discard_files(session, campaign.id)
    assert not stored.exists() and run.stored_path is None
    assert session.scalar(sa.select(sa.func.count()).select_from(CaseEvent)) == 50
