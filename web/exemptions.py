"""The beslisser's queue of exemption requests: grant with an end date, or refuse with a motivation."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for

from campaign import exemptions
from campaign.case_changes import FieldErrors
from campaign.dates import today_amsterdam
from campaign.errors import IllegalTransition, NotFound, StaleData
from campaign.models import Case, Exemption, User
from campaign.roles import Role
from web.db_session import get_session
from web.main import visible_campaigns
from web.permissions import actor, allow

bp = Blueprint("exemptions", __name__, url_prefix="/ontheffingen")


def _render(errors: dict | None = None, failed_id: int | None = None, form: dict | None = None, status: int = 200):
    db = get_session()
    pending = exemptions.pending_exemptions(db, [c.id for c in visible_campaigns()])
    cases = {c.id: c for c in db.scalars(sa.select(Case).where(Case.id.in_([e.case_id for e in pending])))}
    requester_ids = {e.requested_by for e in pending}
    requesters = dict(db.execute(sa.select(User.id, User.name).where(User.id.in_(requester_ids))).all())
    db.commit()
    return (
        render_template(
            "exemptions/queue.html",
            pending=pending,
            cases=cases,
            requesters=requesters,
            errors=errors or {},
            failed_id=failed_id,
            form=form or {},
        ),
        status,
    )


@bp.route("/")
@allow(Role.BESLISSER)
def queue():
    return _render()


def _date(name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.form.get(name, "").strip())
    except ValueError:
        return None


@bp.route("/<int:exemption_id>/besluit", methods=["POST"])
@allow(Role.BESLISSER)
def decide(exemption_id: int):
    db = get_session()
    exemption = db.get(Exemption, exemption_id)
    case = db.get(Case, exemption.case_id) if exemption else None
    if case is None or case.campaign_id not in {c.id for c in visible_campaigns()}:
        raise NotFound("Deze aanvraag bestaat niet.")
    decision = request.form.get("decision", "")
    if decision not in ("verlenen", "weigeren"):
        return _render({"decision": "Kies: verlenen of weigeren."}, exemption_id, dict(request.form), 422)
    try:
        exemptions.decide_exemption(
            db,
            actor(),
            exemption,
            grant=decision == "verlenen",
            starts_on=_date("starts_on"),
            ends_on=_date("ends_on"),
            motivation=request.form.get("motivation", ""),
            today=today_amsterdam(),
        )
        db.commit()
    except FieldErrors as exc:
        db.rollback()
        return _render(exc.errors, exemption_id, dict(request.form), 422)
    except (StaleData, IllegalTransition):
        db.rollback()
        flash("Over deze aanvraag of dit dossier is intussen door iemand anders beslist of iets gewijzigd. "
              "Hieronder staat de nieuwe stand.", "error")  # fmt: skip
        return redirect(url_for("exemptions.queue"))
    flash(f"Besluit vastgelegd voor {case.display_name} ({case.reference}).", "success")
    return redirect(url_for("exemptions.queue"))
