"""A wave from launch to dispatch: letters rendered as PDFs, the print bundle, and the proof of dispatch."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pypdf
import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from campaign.errors import IllegalTransition, InvalidInput
from campaign.models import Case, Letter, PrintBatch
from letters import batches
from tests.letters.support import ACTOR, BSNS, TODAY, launch_wave, make_people, render


def pdf_text(path: str) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def test_a_launched_wave_renders_letters_with_name_address_dates_and_without_the_bsn(db, letters_runtime):
    campaign_id = make_people(db, 3)
    _wave, batch_id, count = launch_wave(db, campaign_id, 3)
    assert count == 3
    render(batch_id)
    with db.transaction() as session:
        batch = session.get(PrintBatch, batch_id)
        assert batch.status == "klaar"
        letters = session.scalars(sa.select(Letter).where(Letter.batch_id == batch_id).order_by(Letter.id)).all()
        first_case = session.get(Case, letters[0].case_id)
        assert [lt.status for lt in letters] == ["gerenderd"] * 3
        text = pdf_text(letters[0].pdf_path)
        assert "J. Vries0" in text
        assert "Coolsingel 40a-2" in text
        assert "3011 AD  ROTTERDAM" in text
        assert "23 november 2026" in text  # Datum
        assert "uiterlijk 7 december 2026" in text  # 14 days later, a working day
        assert first_case.reference in text
        for bsn in BSNS:
            assert bsn not in text
        assert letters[0].sha256 == hashlib.sha256(Path(letters[0].pdf_path).read_bytes()).hexdigest()
        assert letters[0].template_version_id is not None
        assert letters[0].address == ["J. Vries0", "Coolsingel 40a-2", "3011 AD  ROTTERDAM"]
        bundle = pypdf.PdfReader(batch.bundle_path)
        assert len(bundle.pages) == batch.page_count == sum(lt.page_count for lt in letters)
        assert batch.bundle_sha256 == hashlib.sha256(Path(batch.bundle_path).read_bytes()).hexdigest()
        sheet = load_workbook(batch.manifest_path).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:3] == ("Volgnummer", "Kenmerk", "Naam")
        postcodes = [row[4] for row in rows[1:]]
        assert postcodes == sorted(postcodes)
        assert len(rows) == 4


def test_a_letter_points_to_the_werk_nl_guide_printed_as_its_enclosure(db, letters_runtime):
    campaign_id = make_people(db, 1)
    _wave, batch_id, _ = launch_wave(db, campaign_id, 1)
    render(batch_id)
    with db.transaction() as session:
        letter = session.scalar(sa.select(Letter).where(Letter.batch_id == batch_id))
        pages = [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(letter.pdf_path).pages]
    assert "In de bijlage bij deze brief leest u stap voor stap hoe u zich inschrijft op werk.nl." in pages[0]
    assert "<p>" not in pages[0] and "&lt;" not in pages[0]
    assert "Zo schrijft u zich in op werk.nl" not in pages[0]
    assert "Bijlage bij de brief van" in pages[1] and "Zo schrijft u zich in op werk.nl" in pages[1]


def test_the_print_bundle_holds_every_page_of_every_letter_in_postcode_order(db, letters_runtime, monkeypatch):
    import pikepdf

    from letters import pdfbundle

    monkeypatch.setattr(pdfbundle, "GROUP", 4)  # a page tree of several groups, as in a big wave
    campaign_id = make_people(db, 5)
    with db.transaction() as session:  # postcodes in the opposite order of the letters
        for case in session.scalars(sa.select(Case).where(Case.campaign_id == campaign_id)):
            case.postcode = f"{9999 - case.id:04d}AB"
    _wave, batch_id, _ = launch_wave(db, campaign_id, 5)
    render(batch_id)
    with db.transaction() as session:
        batch = session.get(PrintBatch, batch_id)
        letters = session.scalars(
            sa.select(Letter).join(Case).where(Letter.batch_id == batch_id).order_by(Case.postcode)
        ).all()
        expected = [page.extract_text() for lt in letters for page in pypdf.PdfReader(lt.pdf_path).pages]
        references = [session.get(Case, lt.case_id).reference for lt in letters]
        bundle_path, page_count = batch.bundle_path, batch.page_count
        rows = list(load_workbook(batch.manifest_path).active.iter_rows(values_only=True))[1:]
    assert [page.extract_text() for page in pypdf.PdfReader(bundle_path).pages] == expected
    assert page_count == len(expected) == 10
    assert [row[1] for row in rows] == references
    assert [row[6] for row in rows] == [1, 3, 5, 7, 9]  # first page of each letter in the bundle
    with pikepdf.open(bundle_path) as bundle:
        assert bundle.check_pdf_syntax() == []
        assert len(bundle.pages) == 10


def test_page_numbers_appear_only_on_letters_of_more_than_one_page(db, letters_runtime):
    campaign_id = make_people(db, 1)
    _wave, batch_id, _ = launch_wave(db, campaign_id, 1)
    render(batch_id)
    with db.transaction() as session:
        letter = session.scalar(sa.select(Letter).where(Letter.batch_id == batch_id))
        pages = [page.extract_text() for page in pypdf.PdfReader(letter.pdf_path).pages]
    assert len(pages) == 2
    assert "Pagina 1 van 2" in pages[0] and "Pagina 2 van 2" in pages[1]
    from letters import render as rendering
    from letters.templates import check_template

    short = check_template("Kort", "<p>Beste {{ naam }}, dit past op één pagina.</p>")
    with db.transaction() as session:
        letter = session.scalar(sa.select(Letter).where(Letter.batch_id == batch_id))
        document = rendering.letter_document(session, letter, letter_date=TODAY, template=short)
    pdf, count = rendering.render_pdf(document.html)
    assert count == 1
    import io

    assert "Pagina" not in pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_dispatch_sets_the_date_and_is_recorded_once_even_when_clicked_twice(db, letters_runtime):
    campaign_id = make_people(db, 2)
    _wave, batch_id, _ = launch_wave(db, campaign_id, 2)
    render(batch_id)
    with db.transaction() as session:
        batch = session.get(PrintBatch, batch_id)
        assert batches.mark_dispatched(session, ACTOR, batch, TODAY, TODAY) is True
    with db.transaction() as session:
        batch = session.get(PrintBatch, batch_id)
        assert batches.mark_dispatched(session, ACTOR, batch, TODAY, TODAY) is False
        letters = session.scalars(sa.select(Letter).where(Letter.batch_id == batch_id)).all()
        assert {(lt.status, lt.dispatched_on) for lt in letters} == {("verzonden", TODAY)}
        assert batch.dispatched_at is not None and batch.dispatched_on == TODAY
        cases = session.scalars(sa.select(Case).where(Case.campaign_id == campaign_id)).all()
        assert {c.status for c in cases} == {"aangeschreven"}
        with pytest.raises(IllegalTransition):
            batches.cancel_batch(session, ACTOR, batch, "te laat", TODAY)


def test_dispatch_after_the_date_on_the_letters_is_refused(db, letters_runtime):
    campaign_id = make_people(db, 1)
    _wave, batch_id, _ = launch_wave(db, campaign_id, 1)
    render(batch_id)
    with db.transaction() as session:
        batch = session.get(PrintBatch, batch_id)
        with pytest.raises(InvalidInput, match="gedateerd 23 november 2026"):
            batches.mark_dispatched(session, ACTOR, batch, TODAY + dt.timedelta(days=1), TODAY + dt.timedelta(days=1))


def test_a_cancelled_batch_frees_the_people_for_a_new_wave_and_keeps_the_reason(db, letters_runtime):
    campaign_id = make_people(db, 2)
    _wave, batch_id, _ = launch_wave(db, campaign_id, 2)
    with db.transaction() as session:
        batch = session.get(PrintBatch, batch_id)
        with pytest.raises(InvalidInput):
            batches.cancel_batch(session, ACTOR, batch, "  ", TODAY)
        assert batches.cancel_batch(session, ACTOR, batch, "Verkeerde tekst", TODAY) is True
    with db.transaction() as session:
        letters = session.scalars(sa.select(Letter).where(Letter.batch_id == batch_id)).all()
        assert {(lt.status, lt.cancel_reason) for lt in letters} == {("geannuleerd", "Verkeerde tekst")}
    _wave2, batch2, count = launch_wave(db, campaign_id, 2, token="t2")
    assert count == 2 and batch2 != batch_id


def test_cancelling_one_letter_rebuilds_the_bundle_without_it(db, letters_runtime):
    campaign_id = make_people(db, 3)
    _wave, batch_id, _ = launch_wave(db, campaign_id, 3)
    render(batch_id)
    with db.transaction() as session:
        letter = session.scalar(sa.select(Letter).where(Letter.batch_id == batch_id).order_by(Letter.id))
        batches.cancel_letter(session, ACTOR, letter, "Adres klopt niet", TODAY)
    with db.transaction() as session:
        batch = session.get(PrintBatch, batch_id)
        assert batch.letter_count == 2
        rows = list(load_workbook(batch.manifest_path).active.iter_rows(values_only=True))
        assert len(rows) == 3
        assert len(pypdf.PdfReader(batch.bundle_path).pages) == batch.page_count


def test_a_rendering_that_stopped_halfway_resumes_without_rendering_twice(db, letters_runtime, monkeypatch):
    campaign_id = make_people(db, 5)
    _wave, batch_id, _ = launch_wave(db, campaign_id, 5)
    monkeypatch.setenv("HERINSCHRIJVING_RENDER_CHUNK", "2")
    calls = []
    original = batches.render.render_to_file

    def dies_after_two(job):
        if len(calls) == 2:
            raise RuntimeError("worker gestopt")
        calls.append(job[0])
        return original(job)

    monkeypatch.setattr(batches.render, "render_to_file", dies_after_two)
    render(batch_id)
    with db.transaction() as session:
        statuses = sorted(session.scalars(sa.select(Letter.status).where(Letter.batch_id == batch_id)))
        first_hashes = dict(
            session.execute(sa.select(Letter.id, Letter.sha256).where(Letter.sha256.is_not(None))).all()
        )
    assert statuses == ["aangemaakt"] * 3 + ["gerenderd"] * 2
    monkeypatch.setattr(batches.render, "render_to_file", original)
    render(batch_id)
    with db.transaction() as session:
        batch = session.get(PrintBatch, batch_id)
        assert batch.status == "klaar" and batch.letter_count == 5
        hashes = dict(session.execute(sa.select(Letter.id, Letter.sha256)).all())
        assert all(hashes[i] == h for i, h in first_hashes.items())
        assert session.scalar(sa.select(sa.func.count()).select_from(Letter)) == 5


def test_an_ultimatum_prints_its_deadline_and_dispatch_records_the_same_date(db, letters_runtime):
    campaign_id = make_people(db, 1)
    with db.transaction() as session:
        case = session.scalar(sa.select(Case).where(Case.campaign_id == campaign_id))
        letter = Letter(case_id=case.id, step=3, kind="ultimatum", status="aangemaakt", data={})
        session.add(letter)
        session.flush()
        batch_id = batches.create_batch(session, campaign_id, [letter.id], None, letter_date=TODAY).id
    render(batch_id)
    with db.transaction() as session:
        batch = session.get(PrintBatch, batch_id)
        letter = session.scalar(sa.select(Letter).where(Letter.batch_id == batch_id))
        text = pdf_text(letter.pdf_path)
        assert "Laatste oproep: schrijf u vóór 7 december 2026 in bij UWV" in " ".join(text.split())
        assert "U moet zich vóór 7 december 2026 inschrijven op werk.nl." in " ".join(text.split())
        batches.mark_dispatched(session, ACTOR, batch, TODAY, TODAY)
    with db.transaction() as session:
        letter = session.scalar(sa.select(Letter).where(Letter.batch_id == batch_id))
        assert (letter.dispatched_on, letter.deadline) == (TODAY, dt.date(2026, 12, 7))
