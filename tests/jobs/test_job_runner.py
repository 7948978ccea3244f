"""Background jobs run on a real rq worker with Redis, and in-process without Redis, with the same progress rows."""

import pytest

from campaign import jobs, runtime
from campaign.audit import Actor
from campaign.campaigns import create_campaign
from campaign.models import Job
from tests.jobs.conftest import run_worker

pytestmark = pytest.mark.jobs


def make_campaign(db):
    with db.transaction() as session:
        return create_campaign(session, Actor.system("test"), "Banen 2026").id


def test_a_job_runs_on_a_real_rq_worker_and_reports_progress(db, redis_settings):
    campaign_id = make_campaign(db)
    job_id = jobs.enqueue("tests.jobs.sample_jobs:count_in_steps", campaign_id, 4, kind="test", title="Tellen")
    with db.session() as session:
        assert session.get(Job, job_id).status == "wachtend"
    result = run_worker(redis_settings)
    assert result.returncode == 0, result.stderr
    with db.session() as session:
        job = session.get(Job, job_id)
        assert (job.status, job.done, job.total, job.percent) == ("klaar", 4, 4, 100)
        assert job.result == {"campaign": "Banen 2026"}


def test_a_failing_job_is_marked_failed_with_its_message(db, redis_settings):
    job_id = jobs.enqueue("tests.jobs.sample_jobs:fail", kind="test", title="Mislukt")
    run_worker(redis_settings)
    with db.session() as session:
        job = session.get(Job, job_id)
        assert job.status == "mislukt"
        assert "bewust mislukt" in job.message


def test_without_redis_the_job_runs_in_process_with_the_same_progress(db, settings):
    runtime.configure(settings, db)
    campaign_id = make_campaign(db)
    job_id = jobs.enqueue("tests.jobs.sample_jobs:count_in_steps", campaign_id, 3, kind="test", title="Tellen")
    jobs.wait_for_inprocess_jobs()
    with db.session() as session:
        job = session.get(Job, job_id)
        assert (job.status, job.done, job.total) == ("klaar", 3, 3)


def test_the_progress_fragment_polls_until_the_job_is_done(db, app, web):
    from campaign.roles import Role

    web.login_as(Role.PROJECTLEIDER)
    with db.transaction() as session:
        session.add(Job(id="abc", kind="test", title="Brieven maken", status="bezig", done=30, total=120))
    running = web.get("/taken/abc")
    box = running.select_one(".job-status")
    assert box["hx-trigger"] == "load delay:1s"
    assert running.select_one("progress")["value"] == "25"
    with db.transaction() as session:
        job = session.get(Job, "abc")
        job.status, job.done = "klaar", 120
    done = web.get("/taken/abc")
    assert done.select_one(".job-status").get("hx-trigger") is None
    assert "Klaar" in done.text(".job-status")
