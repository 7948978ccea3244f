"""Ladder settings of a campaign and the daily tick's runs (project leaders)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for

from campaign import ladder, tick
from campaign.dates import today_amsterdam
from campaign.errors import IllegalTransition
from campaign.models import TickRun
from campaign.roles import Role
from letters import batches
from web.campaigns import get_campaign_or_404
from web.db_session import get_session
from web.permissions import actor, allow

bp = Blueprint("escalation", __name__, url_prefix="/campagnes")


def _ladder_page(campaign, errors=None, status=200):
    return render_template(
        "escalation/ladder.html", campaign=campaign, errors=errors or {}, form=request.form, kinds=ladder.KIND_LABELS
    ), status


@bp.route("/<int:campaign_id>/ladder")
@allow(Role.PROJECTLEIDER)
def ladder_settings(campaign_id: int):
    return _ladder_page(get_campaign_or_404(campaign_id))


@bp.route("/<int:campaign_id>/ladder", methods=["POST"])
@allow(Role.PROJECTLEIDER)
def ladder_save(campaign_id: int):
    campaign = get_campaign_or_404(campaign_id)
    db = get_session()
    try:
        ladder.update_ladder(db, actor(), campaign, request.form)
    except ladder.LadderInvalid as exc:
        db.rollback()
        return _ladder_page(get_campaign_or_404(campaign_id), exc.errors, 422)
    db.commit()
    flash("De ladder is opgeslagen.", "success")
    return redirect(url_for("escalation.ladder_settings", campaign_id=campaign.id))


@bp.route("/<int:campaign_id>/ladder/herinnering", methods=["POST"])
@allow(Role.PROJECTLEIDER)
def ladder_add_reminder(campaign_id: int):
    campaign = get_campaign_or_404(campaign_id)
    db = get_session()
    try:
        ladder.add_reminder(db, actor(), campaign)
    except IllegalTransition as exc:
        db.rollback()
        flash(str(exc), "error")
    else:
        db.commit()
        flash("Er is een herinnering toegevoegd vóór de laatste oproep.", "success")
    return redirect(url_for("escalation.ladder_settings", campaign_id=campaign_id))


@bp.route("/<int:campaign_id>/ladder/stap/<int:position>/verwijderen", methods=["POST"])
@allow(Role.PROJECTLEIDER)
def ladder_remove_reminder(campaign_id: int, position: int):
    campaign = get_campaign_or_404(campaign_id)
    db = get_session()
    try:
        ladder.remove_reminder(db, actor(), campaign, position)
    except IllegalTransition as exc:
        db.rollback()
        flash(str(exc), "error")
    else:
        db.commit()
        flash(f"Stap {position} is verwijderd.", "success")
    return redirect(url_for("escalation.ladder_settings", campaign_id=campaign_id))


@bp.route("/<int:campaign_id>/dagelijkse-verwerking")
@allow(Role.PROJECTLEIDER, Role.BESLISSER)
def tick_runs(campaign_id: int):
    campaign = get_campaign_or_404(campaign_id)
    runs = (
        get_session()
        .scalars(sa.select(TickRun).where(TickRun.campaign_id == campaign.id).order_by(TickRun.id.desc()).limit(30))
        .all()
    )
    return render_template(
        "escalation/tick_runs.html", campaign=campaign, runs=runs, lines=tick.summary_lines, guards=tick.GUARDS
    )


@bp.route("/<int:campaign_id>/dagelijkse-verwerking", methods=["POST"])
@allow(Role.PROJECTLEIDER)
def tick_run_now(campaign_id: int):
    campaign = get_campaign_or_404(campaign_id)
    db = get_session()
    today = today_amsterdam()
    run = tick.run_tick(db, campaign, today, actor())
    db.commit()
    created = sum(step["created"] for step in run.summary.get("steps", []))
    launched = batches.auto_launch([campaign.id], today)
    extra = f"; {len(launched)} printbatch(es) worden gemaakt" if launched else ""
    flash(f"Dagelijkse verwerking uitgevoerd: {created} brieven aangemaakt{extra}.", "success")
    return redirect(url_for("escalation.tick_runs", campaign_id=campaign.id))
