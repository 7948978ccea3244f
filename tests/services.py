"""Finding the PostgreSQL and Redis services for the test run.

Where a service is missing, its tests skip with a reason, except under CI=true, where they fail.
"""

from __future__ import annotations

import os
import uuid

import pytest

PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def missing(service: str, reason: str):
    message = f"{service} is niet bereikbaar ({reason})"
    if in_ci():
        pytest.fail(f"{message}; onder CI=true is dat een fout", pytrace=False)
    pytest.skip(message)


def create_postgres_database() -> tuple[str, callable]:
    """Create a fresh database for this run; returns its URL and a function that drops it."""
    import sqlalchemy as sa

    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"herinschrijving_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001
        admin.dispose()
        missing("PostgreSQL", str(exc).splitlines()[0])
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def redis_url_or_skip() -> str:
    try:
        from redis import Redis

        Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001
        missing("Redis", str(exc).splitlines()[0])
    return REDIS_URL
