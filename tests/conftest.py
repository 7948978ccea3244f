"""Fixtures: every database test runs on SQLite and on PostgreSQL (a fresh database per run)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import sqlalchemy as sa

from campaign import runtime
from campaign.db import Base, Database
from campaign.settings import Settings
from tests import services
from tests.helpers import WebClient

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
        return
    url, drop = services.create_postgres_database()
    yield url
    drop()


@pytest.fixture(scope="session")
def database(database_url):
    import campaign.models  # noqa: F401 - registers the tables

    db = Database(database_url)
    Base.metadata.create_all(db.engine)
    yield db
    db.dispose()


def _empty_all_tables(db: Database) -> None:
    tables = list(reversed(Base.metadata.sorted_tables))
    with db.engine.begin() as conn:
        if db.is_sqlite:
            for table in tables:
                for column in table.c:  # a letter pointing at the letter it replaces or withdraws: unlink first
                    if column.nullable and any(fk.column.table is table for fk in column.foreign_keys):
                        conn.execute(table.update().values({column.name: None}))
                conn.execute(table.delete())
        else:
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def db(database):
    """A clean database for one test (all tables emptied afterwards)."""
    yield database
    _empty_all_tables(database)


@pytest.fixture
def session(db):
    with db.session() as s:
        yield s
        s.rollback()


@pytest.fixture
def settings(db, tmp_path) -> Settings:
    return dataclasses.replace(
        Settings(),
        instance_path=tmp_path / "instance",
        database_url=db.url,
        secret_key="test-secret",
        redis_url=None,
    )


@pytest.fixture
def app(settings, db):
    from web import create_app

    application = create_app({"TESTING": True}, settings=settings)
    application.extensions["herinschrijving.db"].dispose()
    application.extensions["herinschrijving.db"] = db
    runtime.configure(settings, db)
    yield application
    from campaign.jobs import wait_for_inprocess_jobs

    wait_for_inprocess_jobs()
    runtime.reset()


@pytest.fixture
def web(app) -> WebClient:
    return WebClient(app)


@pytest.fixture
def today() -> dt.date:
    return dt.date(2026, 11, 23)
