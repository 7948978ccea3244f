"""The request-scoped database session. Views call services and commit explicitly."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import orm

from campaign.db import Database
from campaign.settings import Settings


def database() -> Database:
    return current_app.extensions["herinschrijving.db"]


def settings() -> Settings:
    return current_app.extensions["herinschrijving.settings"]


def get_session() -> orm.Session:
    if "db_session" not in g:
        g.db_session = database().session()
    return g.db_session


def init_app(app: Flask) -> None:
    @app.teardown_appcontext
    def _close_session(exc):  # rolls back whatever was not committed
        session = g.pop("db_session", None)
        if session is not None:
            session.rollback()
            session.close()
