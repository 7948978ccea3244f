"""Campaigns: the list, creating one, and the campaign page with its status counts."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for

from campaign import audit, campaigns, results, retention
from campaign.dates import dutch_date, today_amsterdam
from campaign.errors import IllegalTransition, InvalidInput, NotFound
from campaign.models import Campaign, Case
from campaign.roles import Role
from campaign.status import STATUS_LABELS
from web.db_session import get_session
from web.main import visible_campaigns
from web.permissions import actor, allow, current_user

bp = Blueprint("campaigns", __name__, url_prefix="/campagnes")
READERS = (Role.PROJECTLEIDER, Role.BESLISSER, Role.TELEFOONTEAM, Role.UWV)


def get_campaign_or_404(campaign_id: int) -> Campaign:
    campaign = get_session().get(Campaign, campaign_id)
    if campaign is None or campaign not in visible_campaigns():
        raise NotFound("Deze campagne bestaat niet of u werkt er niet aan.")
    return campaign


@bp.route("/")
@allow(*READERS)
def index():
    return render_template("campaigns/index.html", campaigns=visible_campaigns(), errors={})


@bp.route("/", methods=["POST"])
@allow(Role.PROJECTLEIDER)
def create():
    db = get_session()
    try:
        campaign = campaigns.create_campaign(db, actor(), request.form.get("name", ""))
    except InvalidInput as exc:
        errors = {"name": str(exc)}
        return render_template("campaigns/index.html", campaigns=visible_campaigns(), errors=errors), 422
    db.commit()
    return redirect(url_for("campaigns.show", campaign_id=campaign.id))


@bp.route("/<int:campaign_id>")
@allow(*READERS)
def show(campaign_id: int):
    campaign = get_campaign_or_404(campaign_id)
    db = get_session()
    rows = db.execute(
        sa.select(Case.status, sa.func.count()).where(Case.campaign_id == campaign.id).group_by(Case.status)
    ).all()
    counts = dict(rows)
    if current_user().role != Role.UWV:
        audit.record(db, actor(), "view", "campaign", campaign.id, purpose="campagne-overzicht")
        db.commit()
    return render_template(
        "campaigns/show.html",
        campaign=campaign,
        counts=counts,
        labels=STATUS_LABELS,
        total=sum(counts.values()),
        purge_due_on=retention.purge_due_on(campaign),
        wave_results=results.wave_results(db, campaign.id) if current_user().role != Role.UWV else [],
    )


@bp.route("/<int:campaign_id>/sluiten", methods=["POST"])
@allow(Role.PROJECTLEIDER)
def close(campaign_id: int):
    campaign = get_campaign_or_404(campaign_id)
    db = get_session()
    if request.form.get("bevestig") != "ja":
        flash("Vink aan dat u de campagne wilt sluiten.", "error")
        return redirect(url_for("campaigns.show", campaign_id=campaign.id))
    try:
        retention.close_campaign(db, actor(), campaign, today_amsterdam())
    except IllegalTransition as exc:
        flash(str(exc), "error")
        return redirect(url_for("campaigns.show", campaign_id=campaign.id))
    db.commit()
    due = dutch_date(retention.purge_due_on(campaign))
    flash(f"Campagne gesloten. De werkgegevens worden vanaf {due} verwijderd of geanonimiseerd.", "ok")
    return redirect(url_for("campaigns.show", campaign_id=campaign.id))
