"""The shared call-back queue: claim a batch, call, and finish or release."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from campaign import callbacks
from campaign.errors import DomainError, NotFound
from campaign.models import Callback, Case, utcnow
from campaign.roles import Role
from web.db_session import get_session
from web.main import visible_campaigns
from web.permissions import actor, allow

bp = Blueprint("callbacks", __name__, url_prefix="/terugbellen")
CALLERS = (Role.TELEFOONTEAM, Role.PROJECTLEIDER)


def _campaign_ids() -> list[int]:
    return [c.id for c in visible_campaigns()]


@bp.route("/")
@allow(*CALLERS)
def index():
    db = get_session()
    now = utcnow()
    rows = callbacks.queue(db, _campaign_ids(), now)
    mine = [r for r in rows if r.claim_active and r.callback.claimed_by == actor().user_id]
    waiting = [r for r in rows if not r.claim_active]
    others = [r for r in rows if r.claim_active and r.callback.claimed_by != actor().user_id]
    return render_template(
        "callbacks/index.html", mine=mine, waiting=waiting, others=others, sources=callbacks.SOURCES,
        max_batch=callbacks.MAX_BATCH,
    )  # fmt: skip


@bp.route("/oppakken", methods=["POST"])
@allow(*CALLERS)
def claim():
    db = get_session()
    raw = request.form.get("size", "10")
    try:
        claimed = callbacks.claim_batch(
            db, actor(), _campaign_ids(), int(raw) if raw.isdigit() else 0, utcnow()
        )  # fmt: skip
        db.commit()
    except DomainError as exc:
        db.rollback()
        flash(str(exc), "error")
        return redirect(url_for("callbacks.index"))
    if claimed:
        flash(f"U hebt {len(claimed)} terugbelverzoek(en) opgepakt.", "success")
    else:
        flash("Er zijn geen terugbelverzoeken meer vrij.", "info")
    return redirect(url_for("callbacks.index"))


def _callback_or_404(callback_id: int) -> Callback:
    db = get_session()
    callback = db.get(Callback, callback_id)
    case = db.get(Case, callback.case_id) if callback else None
    if case is None or case.campaign_id not in _campaign_ids():
        raise NotFound("Dit terugbelverzoek bestaat niet.")
    return callback


@bp.route("/<int:callback_id>/vrijgeven", methods=["POST"])
@allow(*CALLERS)
def release(callback_id: int):
    db = get_session()
    callbacks.release(db, actor(), _callback_or_404(callback_id))
    db.commit()
    flash("Het terugbelverzoek is weer vrij voor anderen.", "success")
    return redirect(url_for("callbacks.index"))


@bp.route("/<int:callback_id>/afronden", methods=["POST"])
@allow(*CALLERS)
def complete(callback_id: int):
    db = get_session()
    callback = _callback_or_404(callback_id)
    if callback.claimed_by != actor().user_id:
        flash("Pak het terugbelverzoek eerst op.", "error")
        return redirect(url_for("callbacks.index"))
    callbacks.complete(db, actor(), callback)
    db.commit()
    flash("Het terugbelverzoek is afgerond.", "success")
    return redirect(url_for("callbacks.index"))
