"""Layout context: the municipality's name and the navigation per role."""

from __future__ import annotations

from flask import Flask

from web.db_session import settings

#: (endpoint, label). An item shows only when the endpoint exists and the user's role may visit it.
NAV_ITEMS = [
    ("main.home", "Start"),
    ("campaigns.index", "Campagnes"),
    ("cases.search", "Zoeken"),
    ("callbacks.index", "Terugbellen"),
    ("exemptions.queue", "Ontheffingen"),
    ("sanctions.queue", "Maatregelen"),
    ("uwv.index", "UWV-lijsten"),
    ("admin.users", "Accounts"),
    ("admin.municipality", "Gemeente"),
]


def init_app(app: Flask) -> None:
    @app.context_processor
    def _layout():
        return {"municipality_name": settings().municipality_name, "nav_items": NAV_ITEMS}
