"""Process-wide access to settings and the database, for code that runs outside a request.

The web app and the CLI call :func:`configure`; an rq worker started without them builds
both from the environment on first use.
"""

from __future__ import annotations

import threading

from campaign.db import Database
from campaign.settings import Settings

_lock = threading.Lock()
_state: dict[str, object] = {}


def configure(settings: Settings, database: Database) -> None:
    with _lock:
        _state["settings"] = settings
        _state["database"] = database


def settings() -> Settings:
    with _lock:
        if "settings" not in _state:
            _state["settings"] = Settings.from_env()
        return _state["settings"]  # type: ignore[return-value]


def database() -> Database:
    current = settings()
    with _lock:
        if "database" not in _state:
            _state["database"] = Database(current.database_url)
        return _state["database"]  # type: ignore[return-value]


def reset() -> None:
    with _lock:
        _state.clear()
