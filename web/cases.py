"""The phone team's workspace: finding a case, the case page, and logging a contact."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for

from campaign import audit, callbacks, exemptions, phone
from campaign.case_changes import FieldErrors
from campaign.case_view import case_overview
from campaign.dates import today_amsterdam
from campaign.errors import InvalidInput, NotFound, StaleData
from campaign.models import PAUSE_REASONS, Callback, Case
from campaign.roles import Role
from campaign.search import search_cases
from web.db_session import get_session
from web.htmx import render_page_or_block, wants_fragment
from web.main import visible_campaigns
from web.permissions import actor, allow, current_user

bp = Blueprint("cases", __name__)
READERS = (Role.PROJECTLEIDER, Role.BESLISSER, Role.TELEFOONTEAM)
CONTACT_LOGGERS = (Role.TELEFOONTEAM, Role.PROJECTLEIDER)
RESULTS_TARGET = "zoekresultaten"


def _campaign_ids() -> list[int]:
    return [c.id for c in visible_campaigns()]


def get_case_or_404(case_id: int) -> Case:
    case = get_session().get(Case, case_id)
    if case is None or case.campaign_id not in _campaign_ids():
        raise NotFound("Dit dossier bestaat niet of hoort bij een campagne waaraan u niet werkt.")
    return case


@bp.route("/zoeken", methods=["GET", "POST"])
@allow(*READERS)
def search():
    """Searching posts the query, so a BSN or name never ends up in a URL, the browser history or access logs."""
    db = get_session()
    query = request.form.get("q", "") if request.method == "POST" else ""
    result = search_cases(db, query, _campaign_ids()) if query.strip() else None
    if result is not None and result.cases:
        audit.record(db, actor(), "search", "case_search", len(result.cases), purpose="dossier zoeken")
        db.commit()
    if result is not None and len(result.cases) == 1 and not wants_fragment(RESULTS_TARGET):
        return redirect(url_for("cases.show", case_id=result.cases[0].id), 303)
    return render_page_or_block("cases/search.html", "results", RESULTS_TARGET, result=result, query=query)


@bp.route("/dossiers/<int:case_id>")
@allow(*READERS)
def show(case_id: int):
    case = get_case_or_404(case_id)
    return _render_case(case, form=None, errors={})


def _render_case(case: Case, *, form: dict | None, errors: dict, status: int = 200, notice: str = ""):
    db = get_session()
    overview = case_overview(db, actor(), case, today_amsterdam())
    callback_id = request.values.get("callback_id") or request.args.get("terugbellen")
    callback = db.get(Callback, int(callback_id)) if callback_id and str(callback_id).isdigit() else None
    if callback is not None and (callback.case_id != case.id or callback.done_at is not None):
        callback = None
    all_reasons = phone.contact_reasons(db, include_inactive=True)
    context = {
        "o": overview,
        "case": case,
        "form": form or {"channel": "telefoon_uit" if callback else "telefoon_in", "outcome": "bereikt"},
        "errors": errors,
        "notice": notice,
        "reasons": [r for r in all_reasons if r.active],
        "all_reasons": {r.code: r.label for r in all_reasons},
        "exemption_types": exemptions.exemption_types(db),
        "channels": phone.CHANNELS,
        "outcomes": phone.OUTCOMES,
        "callback": callback,
        "can_log": current_user().role in {r.value for r in CONTACT_LOGGERS},
        "can_mark": current_user().role == Role.PROJECTLEIDER.value,
        "sources": callbacks.SOURCES,
        "pause_labels": PAUSE_REASONS,
        "note_max": phone.NOTE_MAX,
        "view_max": phone.VIEW_MAX,
    }
    db.commit()  # the audited view (and default reasons and types, installed on first use)
    return render_template("cases/show.html", **context), status


def _date(name: str) -> dt.date | None:
    raw = request.form.get(name, "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput("Vul een geldige datum in.") from None


def _contact_input() -> phone.ContactInput:
    form = request.form
    type_id = form.get("exemption_type", "")
    callback_id = form.get("callback_id", "")
    return phone.ContactInput(
        channel=form.get("channel", ""),
        reasons=form.getlist("reasons"),
        outcome=form.get("outcome", ""),
        note=form.get("note", ""),
        exemption_type_id=int(type_id) if type_id.isdigit() else None,
        exemption_motivation=form.get("exemption_motivation", ""),
        exemption_from=_date("exemption_from"),
        exemption_until=_date("exemption_until"),
        view_report=form.get("view_report", ""),
        address=phone.NewAddress.from_fields(form),
        callback=form.get("callback") == "1",
        callback_time=form.get("callback_time", ""),
        callback_id=int(callback_id) if callback_id.isdigit() else None,
    )


def _form_values() -> dict:
    values = {key: request.form.get(key, "") for key in request.form if key != "csrf_token"}
    values["reasons"] = request.form.getlist("reasons")
    return values


@bp.route("/dossiers/<int:case_id>/contacten", methods=["POST"])
@allow(*CONTACT_LOGGERS)
def log_contact(case_id: int):
    db = get_session()
    case = get_case_or_404(case_id)
    version = request.form.get("version", "")
    try:
        contact_input = _contact_input()
        outcome = phone.log_contact(
            db,
            actor(),
            case,
            contact_input,
            expected_version=int(version) if version.isdigit() else -1,
            today=today_amsterdam(),
        )
        db.commit()
    except StaleData as exc:
        db.rollback()
        fresh = get_case_or_404(case_id)
        values = {**_form_values(), "version": str(fresh.version)}  # saving again is a conscious second try
        return _render_case(fresh, form=values, errors={}, status=409, notice=str(exc))
    except FieldErrors as exc:
        db.rollback()
        return _render_case(get_case_or_404(case_id), form=_form_values(), errors=exc.errors, status=422)
    except InvalidInput as exc:
        db.rollback()
        return _render_case(get_case_or_404(case_id), form=_form_values(), errors={"form": str(exc)}, status=422)
    for message in outcome.messages:
        flash(message, "success")
    if contact_input.callback_id:  # calling back from the queue: straight back to the next one
        return redirect(url_for("callbacks.index"))
    return redirect(url_for("cases.show", case_id=case.id) + "#samenvatting")


@bp.route("/dossiers/<int:case_id>/uitbellen", methods=["POST"])
@allow(Role.PROJECTLEIDER)
def mark_outbound(case_id: int):
    db = get_session()
    case = get_case_or_404(case_id)
    try:
        callbacks.request_callback(
            db, actor(), case, note=request.form.get("note", "")[:300], source="uitbellen"
        )  # fmt: skip
        db.commit()
    except InvalidInput as exc:
        db.rollback()
        flash(str(exc), "error")
        return redirect(url_for("cases.show", case_id=case.id))
    flash("Het dossier staat in de wachtrij om te bellen.", "success")
    return redirect(url_for("cases.show", case_id=case.id))


@bp.route("/campagnes/<int:campaign_id>/telefoonteam")
@allow(*READERS)
def campaign_summary(campaign_id: int):
    from campaign.phone_stats import phone_stats
    from web.campaigns import get_campaign_or_404

    campaign = get_campaign_or_404(campaign_id)
    stats = phone_stats(get_session(), campaign.id, today_amsterdam())
    return render_page_or_block(
        "cases/campaign_summary.html", "summary", f"telefoonteam-{campaign.id}", campaign=campaign, stats=stats
    )
