"""Settings read from the environment, shared by the web app, the CLI and workers."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(Exception):
    """A setting is missing or invalid; the message is Dutch and meant for an operator."""


def _int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} moet een geheel getal zijn, niet {raw!r}.") from exc


@dataclass(frozen=True)
class Settings:
    """All runtime settings. Build with :meth:`from_env`; override in tests with ``replace``."""

    environment: str = "development"
    instance_path: Path = PROJECT_ROOT / "instance"
    database_url: str = ""
    redis_url: str | None = None
    secret_key: str = ""
    queue_name: str = "herinschrijving"
    municipality_name: str = "Gemeente Voorbeeld"
    session_idle_minutes: int = 15
    login_max_failures: int = 5
    login_lockout_minutes: int = 15
    import_max_bytes: int = 20 * 1024 * 1024
    import_max_rows: int = 200_000
    import_max_columns: int = 200
    import_max_cell_chars: int = 1_000
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def uses_redis(self) -> bool:
        return bool(self.redis_url)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        environment = env.get("HERINSCHRIJVING_ENV", "development")
        instance = Path(env.get("HERINSCHRIJVING_INSTANCE") or PROJECT_ROOT / "instance")
        database_url = env.get("DATABASE_URL") or f"sqlite:///{instance / 'herinschrijving.sqlite'}"
        if database_url.startswith("postgres://"):
            database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
        elif database_url.startswith("postgresql://"):
            database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
        secret_key = env.get("SECRET_KEY", "")
        if not secret_key:
            if environment == "production":
                raise SettingsError("SECRET_KEY ontbreekt: in productie is een geheime sleutel verplicht.")
            secret_key = _instance_secret(instance)
        return cls(
            environment=environment,
            instance_path=instance,
            database_url=database_url,
            redis_url=env.get("REDIS_URL") or None,
            secret_key=secret_key,
            queue_name=env.get("HERINSCHRIJVING_QUEUE", "herinschrijving"),
            municipality_name=env.get("HERINSCHRIJVING_GEMEENTE", "Gemeente Voorbeeld"),
            session_idle_minutes=_int(env, "HERINSCHRIJVING_IDLE_MINUTES", 15),
            login_max_failures=_int(env, "HERINSCHRIJVING_LOGIN_MAX_FAILURES", 5),
            login_lockout_minutes=_int(env, "HERINSCHRIJVING_LOGIN_LOCKOUT_MINUTES", 15),
            import_max_bytes=_int(env, "HERINSCHRIJVING_IMPORT_MAX_MB", 20) * 1024 * 1024,
            import_max_rows=_int(env, "HERINSCHRIJVING_IMPORT_MAX_ROWS", 200_000),
            import_max_columns=_int(env, "HERINSCHRIJVING_IMPORT_MAX_COLUMNS", 200),
            import_max_cell_chars=_int(env, "HERINSCHRIJVING_IMPORT_MAX_CELL_CHARS", 1_000),
        )


def _instance_secret(instance: Path) -> str:
    """Generate the embedded default's secret key once and keep it in the instance folder."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
