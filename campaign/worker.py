"""The rq worker for the production set-up (REDIS_URL)."""

from __future__ import annotations

from campaign import runtime
from campaign.errors import InvalidInput


def run_worker(*, burst: bool = False) -> None:
    settings = runtime.settings()
    if not settings.redis_url:
        raise InvalidInput("REDIS_URL is niet ingesteld: zonder Redis lopen taken in het webproces zelf.")
    from redis import Redis
    from rq import Queue, Worker

    connection = Redis.from_url(settings.redis_url)
    worker = Worker([Queue(settings.queue_name, connection=connection)], connection=connection)
    worker.work(burst=burst, with_scheduler=False)
