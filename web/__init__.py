"""The Flask app factory."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from campaign import runtime
from campaign.db import Database
from campaign.settings import Settings

csrf = CSRFProtect()

BLUEPRINT_MODULES = (
    "auth", "main", "campaigns", "admin", "jobs_view", "privacy", "escalation", "sanctions", "cases", "exemptions",
    "callbacks",
)  # fmt: skip


def create_app(config: dict[str, Any] | None = None, *, settings: Settings | None = None) -> Flask:
    """Build the app. ``config`` overrides Flask config (tests); ``settings`` overrides the environment."""
    settings = settings or Settings.from_env()
    overrides = {k: v for k, v in (config or {}).items() if k.startswith("SETTINGS_")}
    if overrides:
        settings = dataclasses.replace(settings, **{k[9:].lower(): v for k, v in overrides.items()})
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    app = Flask(__name__, instance_path=str(settings.instance_path), instance_relative_config=True)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.is_production,
        SESSION_COOKIE_NAME="herinschrijving_session",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(minutes=settings.session_idle_minutes),
        MAX_CONTENT_LENGTH=settings.import_max_bytes + 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
    )
    app.config.update({k: v for k, v in (config or {}).items() if not k.startswith("SETTINGS_")})
    database = Database(settings.database_url)
    runtime.configure(settings, database)
    app.extensions["herinschrijving.settings"] = settings
    app.extensions["herinschrijving.db"] = database

    csrf.init_app(app)
    from web import db_session, errors, filters, layout, permissions

    db_session.init_app(app)
    errors.init_app(app)
    filters.init_app(app)
    layout.init_app(app)
    permissions.init_app(app)
    _register_blueprints(app)
    from web.cli import register_commands

    register_commands(app)
    return app


def _register_blueprints(app: Flask) -> None:
    import importlib

    for name in BLUEPRINT_MODULES:
        module = importlib.import_module(f"web.{name}")
        app.register_blueprint(module.bp)
