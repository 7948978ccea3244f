"""Never twice: a real rq worker is killed while it renders a batch; the resumed job finishes the rest only."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pypdf
import pytest
import sqlalchemy as sa

from campaign.models import Letter, PrintBatch
from letters import batches
from tests.jobs.conftest import ROOT, run_worker
from tests.letters.support import launch_wave, make_people

pytestmark = pytest.mark.jobs
LETTERS = 12


def start_worker(settings) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "HERINSCHRIJVING_QUEUE": settings.queue_name,
        "HERINSCHRIJVING_INSTANCE": str(settings.instance_path),
        "HERINSCHRIJVING_RENDER_CHUNK": "2",
        "HERINSCHRIJVING_RENDER_PROCESSES": "1",
        "SECRET_KEY": "test",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "web.cli", "worker", "--burst"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip


def rendered(db, batch_id: int) -> dict[int, str]:
    with db.session() as session:
        rows = session.execute(
            sa.select(Letter.id, Letter.sha256).where(Letter.batch_id == batch_id, Letter.status == "gerenderd")
        ).all()
    return dict(rows)


def test_a_worker_killed_mid_batch_leaves_no_double_letters_and_the_retry_resumes(db, redis_settings, monkeypatch):
    monkeypatch.setenv("HERINSCHRIJVING_RENDER_CHUNK", "2")
    campaign_id = make_people(db, LETTERS)
    _wave, batch_id, count = launch_wave(db, campaign_id, LETTERS)
    assert count == LETTERS
    batches.start_rendering(batch_id, None)
    worker = start_worker(redis_settings)
    deadline = time.monotonic() + 180
    try:
        while len(rendered(db, batch_id)) < 2 and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.1)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and its work-horse die mid-batch
        worker.wait()
    before = rendered(db, batch_id)
    assert 2 <= len(before) < LETTERS, "the worker should have been killed halfway"

    # launching the same wave again (same form token) makes no new letters
    assert launch_wave(db, campaign_id, LETTERS)[2] == LETTERS
    with db.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Letter)) == LETTERS

    batches.start_rendering(batch_id, None)  # "Brieven (verder) maken"
    result = run_worker(redis_settings, timeout=300)
    assert result.returncode == 0, result.stderr
    after = rendered(db, batch_id)
    assert len(after) == LETTERS
    assert all(after[letter_id] == sha for letter_id, sha in before.items())
    with db.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Letter)) == LETTERS
        batch = session.get(PrintBatch, batch_id)
        assert batch.status == "klaar"
        assert len(pypdf.PdfReader(batch.bundle_path).pages) == batch.page_count
        for letter in session.scalars(sa.select(Letter).where(Letter.batch_id == batch_id)):
            assert hashlib.sha256(Path(letter.pdf_path).read_bytes()).hexdigest() == letter.sha256
