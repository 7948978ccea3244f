"""A UWV job that fails unexpectedly leaves nothing half-done: the upload says so and the file is gone."""

import pytest

from campaign import runtime
from campaign.audit import Actor
from campaign.jobs import JobContext
from campaign.models import Job, UwvUpload
from imports import uwv_jobs
from imports.uwv_apply import start_upload
from tests.uwv_support import HEADER, D, make_campaign, write_xlsx


@pytest.fixture
def upload(db, settings, tmp_path):
    runtime.configure(settings, db)
    with db.transaction() as session:
        campaign, cases, _ = make_campaign(session, 1)
        record = start_upload(session, campaign, Actor.system("test"), filename="u.xlsx", sha256="",
                              peildatum=D(2026, 11, 20), today=D(2026, 11, 30))  # fmt: skip
        session.add(Job(id="job1", kind="uwv_check", title="Controle"))
        bsn, upload_id = cases[0].bsn, record.id
    yield upload_id, write_xlsx(tmp_path / "u.xlsx", [HEADER, [bsn, D(2026, 11, 2)]])
    runtime.reset()


def test_an_unexpected_failure_while_checking_rejects_the_upload_and_deletes_the_file(db, upload, monkeypatch):
    upload_id, path = upload

    def broken(*args, **kwargs):
        raise RuntimeError("schijf vol")

    monkeypatch.setattr(uwv_jobs, "check_upload", broken)
    with pytest.raises(RuntimeError):
        uwv_jobs.check_job(JobContext("job1", db), upload_id, str(path))
    assert not path.exists()
    with db.session() as session:
        record = session.get(UwvUpload, upload_id)
        assert record.status == "afgekeurd"
        assert "onverwacht mislukt" in record.report["file_error"]


def test_a_refused_apply_goes_back_to_checked_with_the_reason(db, upload):
    upload_id, path = upload
    uwv_jobs.check_job(JobContext("job1", db), upload_id, str(path))
    with db.transaction() as session:
        session.get(UwvUpload, upload_id).status = "toepassen"
        session.get(UwvUpload, upload_id).report = {**session.get(UwvUpload, upload_id).report, "previous_list_id": 99}
    with pytest.raises(Exception, match="andere UWV-lijst"):
        uwv_jobs.apply_job(JobContext("job1", db), upload_id, "2026-11-30", None, "test", "test")
    with db.session() as session:
        record = session.get(UwvUpload, upload_id)
        assert record.status == "gecontroleerd"
        assert "andere UWV-lijst" in record.report["apply_error"]
