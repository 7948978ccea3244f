"""Jinja filters for Dutch dates and masking."""

from __future__ import annotations

from flask import Flask

from campaign.bsn import mask_bsn
from campaign.dates import dutch_date, dutch_datetime


def init_app(app: Flask) -> None:
    app.jinja_env.filters["datum"] = dutch_date
    app.jinja_env.filters["datumtijd"] = dutch_datetime
    app.jinja_env.filters["bsn_masked"] = mask_bsn
    app.jinja_env.filters["getal"] = lambda n: f"{n:,}".replace(",", ".") if isinstance(n, int) else n
