"""Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from campaign import migrate
from campaign.db import Base, make_engine
from tests import services


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    url, drop = services.create_postgres_database()
    yield url
    drop()


def test_upgrade_to_head_matches_the_models(empty_database_url):
    import campaign.models  # noqa: F401

    migrate.upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
            tables = set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()
    assert differences == []
    assert {"campaigns", "cases", "users", "audit_events"} <= tables


def test_upgrade_twice_changes_nothing(empty_database_url):
    migrate.upgrade(empty_database_url)
    first = migrate.current_revision(empty_database_url)
    migrate.upgrade(empty_database_url)
    assert migrate.current_revision(empty_database_url) == first
