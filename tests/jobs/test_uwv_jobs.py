"""The UWV check and apply jobs run on a real rq worker: the uploaded file is read and then deleted."""

import pytest
import sqlalchemy as sa

from campaign import jobs
from campaign.audit import Actor
from campaign.models import Case, Job, UwvList, UwvUpload
from imports.uwv_apply import start_upload
from tests.jobs.conftest import run_worker
from tests.uwv_support import HEADER, D, make_campaign, write_xlsx

pytestmark = pytest.mark.jobs


def test_checking_and_applying_run_on_the_worker_and_the_upload_is_deleted(db, redis_settings):
    with db.transaction() as session:
        campaign, cases, _ = make_campaign(session, 2)
        case_id, bsn = cases[0].id, cases[0].bsn
        upload = start_upload(session, campaign, Actor.system("test"), filename="uwv.xlsx", sha256="",
                              peildatum=D(2026, 11, 20), today=D(2026, 11, 30))  # fmt: skip
        upload_id = upload.id
    folder = redis_settings.instance_path / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    path = write_xlsx(folder / "uwv-test.xlsx", [HEADER, [bsn, D(2026, 11, 2), None, None]])

    check_id = jobs.enqueue("imports.uwv_jobs:check_job", upload_id, str(path), kind="uwv_check", title="Controle")
    assert run_worker(redis_settings).returncode == 0
    assert not path.exists()
    with db.transaction() as session:
        assert session.get(Job, check_id).status == "klaar"
        upload = session.get(UwvUpload, upload_id)
        assert upload.status == "gecontroleerd"
        upload.status = "toepassen"

    jobs.enqueue("imports.uwv_jobs:apply_job", upload_id, "2026-11-30", None, "test", "test", kind="uwv_apply",
                 title="Toepassen")  # fmt: skip
    assert run_worker(redis_settings).returncode == 0
    with db.session() as session:
        assert session.get(UwvUpload, upload_id).status == "toegepast"
        assert session.scalar(sa.select(UwvList.peildatum)) == D(2026, 11, 20)
        assert session.get(Case, case_id).status == "ingeschreven"
