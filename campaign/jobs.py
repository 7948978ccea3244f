"""Background jobs as plain functions over ids, run by rq or in-process with the same progress rows.

A job function has the signature ``func(ctx: JobContext, *ids)``. It opens its own sessions with
``ctx.db`` and reports progress with ``ctx.progress(done, total, message)``.
"""

from __future__ import annotations

import importlib
import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from campaign import runtime
from campaign.db import Database
from campaign.models import Job, utcnow

log = logging.getLogger(__name__)
_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


@dataclass
class JobContext:
    job_id: str
    db: Database

    def progress(self, done: int, total: int | None = None, message: str | None = None) -> None:
        with self.db.transaction() as session:
            job = session.get(Job, self.job_id)
            if job is None:
                return
            job.done = done
            if total is not None:
                job.total = total
            if message is not None:
                job.message = message[:500]

    def set_result(self, **result) -> None:
        with self.db.transaction() as session:
            job = session.get(Job, self.job_id)
            if job is not None:
                job.result = {**(job.result or {}), **result}


def _resolve(func_path: str) -> Callable:
    module_name, _, attr = func_path.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def run_job(job_id: str, func_path: str, args: tuple) -> None:
    """Entry point for rq and for the in-process runner."""
    db = runtime.database()
    with db.transaction() as session:
        job = session.get(Job, job_id)
        if job is not None:
            job.status = "bezig"
    ctx = JobContext(job_id, db)
    try:
        _resolve(func_path)(ctx, *args)
    except Exception as exc:
        log.exception("job %s (%s) failed", job_id, func_path)
        with db.transaction() as session:
            job = session.get(Job, job_id)
            if job is not None:
                job.status = "mislukt"
                job.message = (str(exc) or exc.__class__.__name__)[:500]
                job.finished_at = utcnow()
        raise
    with db.transaction() as session:
        job = session.get(Job, job_id)
        if job is not None:
            job.status = "klaar"
            if job.total and job.done < job.total:
                job.done = job.total
            job.finished_at = utcnow()


def enqueue(
    func_path: str,
    *args,
    kind: str,
    title: str,
    campaign_id: int | None = None,
    created_by: int | None = None,
    timeout: int = 3600,
) -> str:
    """Record a job row and start it: on rq when REDIS_URL is set, else in a background thread."""
    job_id = uuid.uuid4().hex
    db = runtime.database()
    with db.transaction() as session:
        session.add(Job(id=job_id, kind=kind, title=title, campaign_id=campaign_id, created_by=created_by))
    settings = runtime.settings()
    if settings.uses_redis:
        from redis import Redis
        from rq import Queue, Retry

        queue = Queue(settings.queue_name, connection=Redis.from_url(settings.redis_url))
        queue.enqueue(run_job, job_id, func_path, tuple(args), job_id=job_id, job_timeout=timeout, retry=Retry(max=2))
    else:
        _thread_executor().submit(_run_quietly, job_id, func_path, tuple(args))
    return job_id


def _run_quietly(job_id: str, func_path: str, args: tuple) -> None:
    try:
        run_job(job_id, func_path, args)
    except Exception:  # noqa: BLE001 - recorded on the job row already
        pass


def _thread_executor() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="herinschrijving-job")
        return _executor


def wait_for_inprocess_jobs() -> None:
    """Block until queued in-process jobs are done (CLI commands and tests)."""
    global _executor
    with _executor_lock:
        executor, _executor = _executor, None
    if executor is not None:
        executor.shutdown(wait=True)
