"""A live server on 127.0.0.1 and headless Debian Chromium driven by Playwright, with axe-core."""

from __future__ import annotations

import dataclasses
import shutil
import threading
from pathlib import Path

import pytest

from campaign.db import Base, Database
from campaign.settings import Settings
from tests import services

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]  # fmt: skip


def _require(condition: bool, what: str) -> None:
    if not condition:
        services.missing(what, "niet geïnstalleerd; voer scripts/setup uit")


@pytest.fixture(scope="session")
def browser():
    _require(Path(CHROMIUM).exists(), "Chromium")
    playwright_sync = pytest.importorskip("playwright.sync_api")
    with playwright_sync.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def live_app(tmp_path):
    import campaign.models  # noqa: F401
    from web import create_app

    url = f"sqlite:///{tmp_path / 'browser.sqlite'}"
    database = Database(url)
    Base.metadata.create_all(database.engine)
    settings = dataclasses.replace(
        Settings(), instance_path=tmp_path / "instance", database_url=url, secret_key="browser-test"
    )
    app = create_app({"TESTING": False}, settings=settings)
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()
    database.dispose()


@pytest.fixture
def page(browser):
    context = browser.new_context(bypass_csp=True, locale="nl-NL")
    tab = context.new_page()
    yield tab
    context.close()


def axe_violations(tab) -> list[dict]:
    """Run axe-core (pinned npm package) on the page; returns the violations."""
    _require(AXE.exists(), "axe-core (npm)")
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
