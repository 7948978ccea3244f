"""Correction and withdrawal letters go through the normal print flow and print what the person must read."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pypdf
import sqlalchemy as sa

from campaign.models import Letter, PrintBatch
from letters import batches, followups
from tests.letters.support import ACTOR, BSNS, TODAY, launch_wave, make_people, render

LATER = TODAY + dt.timedelta(days=3)


def pdf_text(path: str) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def print_and_dispatch(db, campaign_id: int, kind: str, day: dt.date) -> int:
    """What a project leader does on "Nog te printen": a batch of that kind, rendered and dispatched."""
    with db.transaction() as session:
        ids = batches.unbatched_letter_ids(session, campaign_id, 1, kind)
        batch_id = batches.create_batch(session, campaign_id, ids, None, letter_date=day).id
    render(batch_id)
    with db.transaction() as session:
        batch = session.get(PrintBatch, batch_id)
        assert batches.mark_dispatched(session, ACTOR, batch, day, day)
    return batch_id


def test_a_correction_and_a_withdrawal_are_printed_dispatched_and_say_what_they_replace_or_withdraw(
    db, letters_runtime
):
    campaign_id = make_people(db, 1)
    _wave, batch_id, _count = launch_wave(db, campaign_id, 1)
    render(batch_id)
    with db.transaction() as session:
        batches.mark_dispatched(session, ACTOR, session.get(PrintBatch, batch_id), TODAY, TODAY)
        original = session.scalar(sa.select(Letter).where(Letter.batch_id == batch_id))
        followups.create_replacement(session, ACTOR, original, "De inschrijfdatum in de brief was fout", TODAY)
    print_and_dispatch(db, campaign_id, "uitnodiging", LATER)
    with db.transaction() as session:
        new = session.scalar(sa.select(Letter).where(Letter.replaces_id.is_not(None)))
        assert (new.status, new.dispatched_on, new.letter_date) == ("verzonden", LATER, LATER)
        assert new.sha256 == hashlib.sha256(Path(new.pdf_path).read_bytes()).hexdigest()
        text = " ".join(pdf_text(new.pdf_path).split())
        assert "Deze brief vervangt onze brief van 23 november 2026. De inschrijfdatum in de brief was fout." in text
        assert "Schrijf u in als werkzoekende bij UWV" in text  # the full letter of the step follows
        assert "uiterlijk 10 december 2026" in text  # its own deadline, counted from its own date
        notice = followups.withdraw(session, ACTOR, new, "U bent verhuisd naar een andere gemeente", LATER)
        assert notice.kind == "intrekking"
    batch_id = print_and_dispatch(db, campaign_id, "intrekking", LATER)
    with db.transaction() as session:
        notice = session.scalar(sa.select(Letter).where(Letter.kind == "intrekking"))
        assert (notice.status, notice.batch_id, notice.deadline) == ("verzonden", batch_id, None)
        text = " ".join(pdf_text(notice.pdf_path).split())
        assert "Wij trekken onze brief van 26 november 2026 in" in text
        assert "onderwerp: Schrijf u in als werkzoekende bij UWV" in text
        assert "Die brief trekken wij in. Wat in die brief staat, geldt niet meer." in text
        assert "U bent verhuisd naar een andere gemeente." in text
        assert "14 010" in text
        for bsn in BSNS:
            assert bsn not in text
        assert session.get(PrintBatch, batch_id).bundle_sha256
