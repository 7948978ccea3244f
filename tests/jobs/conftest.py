import dataclasses
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from campaign import runtime
from tests import services

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_settings(settings, db):
    url = services.redis_url_or_skip()
    configured = dataclasses.replace(settings, redis_url=url, queue_name=f"test-{uuid.uuid4().hex[:8]}")
    runtime.configure(configured, db)
    yield configured
    runtime.reset()
    from redis import Redis

    connection = Redis.from_url(url)
    for key in connection.scan_iter(f"rq:queue:{configured.queue_name}*"):
        connection.delete(key)


def run_worker(settings, *, timeout: int = 60) -> subprocess.CompletedProcess:
    """Run a real rq worker process (our own command) until the queue is empty."""
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "HERINSCHRIJVING_QUEUE": settings.queue_name,
        "HERINSCHRIJVING_INSTANCE": str(settings.instance_path),
        "SECRET_KEY": "test",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "web.cli", "worker", "--burst"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
