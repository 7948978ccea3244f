"""Layout context: the municipality's name and the navigation per role."""

from __future__ import annotations

from flask import Flask, g

from campaign.models import Municipality
from web.db_session import get_session, settings

#: (endpoint, label). An item shows only when the endpoint exists and the user's role may visit it.
NAV_ITEMS = [
    ("main.home", "Start"),
    ("campaigns.index", "Campagnes"),
    ("cases.search", "Zoeken"),
    ("callbacks.index", "Terugbellen"),
    ("exemptions.queue", "Ontheffingen"),
    ("sanctions.queue", "Maatregelen"),
    ("uwv.index", "UWV-lijsten"),
    ("privacy.index", "Inzage (AVG)"),
    ("admin.users", "Accounts"),
    ("admin.municipality", "Gemeente"),
    ("sanctions.ordinance", "Verordening"),
]


def municipality_name() -> str:
    """The name from the municipality settings (letters use it too), else from the environment."""
    if "municipality_name" not in g:
        row = get_session().get(Municipality, 1)
        g.municipality_name = row.name if row is not None and row.name else settings().municipality_name
    return g.municipality_name


def init_app(app: Flask) -> None:
    @app.context_processor
    def _layout():
        return {"municipality_name": municipality_name(), "nav_items": NAV_ITEMS}
