"""The home page: what each role works on."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template

from campaign.models import Campaign, Case
from web.db_session import get_session
from web.permissions import any_user, current_user, public

bp = Blueprint("main", __name__)


@bp.route("/")
@any_user
def home():
    db = get_session()
    campaigns = visible_campaigns()
    counts = {}
    if current_user().role in ("projectleider", "beslisser", "telefoonteam"):
        rows = db.execute(sa.select(Case.campaign_id, sa.func.count()).group_by(Case.campaign_id)).all()
        counts = dict(rows)
    return render_template("main/home.html", campaigns=campaigns, counts=counts)


def visible_campaigns() -> list[Campaign]:
    """Project leaders, decision-makers and UWV contacts see all campaigns; the phone team its own."""
    db = get_session()
    user = current_user()
    query = sa.select(Campaign).order_by(Campaign.created_at.desc())
    if user.role == "telefoonteam":
        query = query.where(Campaign.users.any(id=user.id))
    return list(db.scalars(query))


@bp.route("/gezond")
@public
def health():
    get_session().execute(sa.text("SELECT 1"))
    return {"status": "ok"}
