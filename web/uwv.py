"""UWV lists: upload a registration list, check it, apply it; download the lists for UWV.

Every page here is open to the UWV contact and shows BSNs, dates and counts only: never a name, address,
letter, contact, exemption or sanction.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, Response, redirect, render_template, request, url_for

from campaign import jobs
from campaign.dates import today_amsterdam
from campaign.errors import DomainError, InvalidInput, NotFound
from campaign.models import Campaign, Job, UwvUpload
from campaign.roles import Role
from campaign.uwv import freshness_problem, latest_list
from imports import lists
from imports.reader import SPREADSHEET_SUFFIXES
from imports.uwv_apply import UPLOAD_STATUS_LABELS, file_sha256, report_lines, start_upload, withdraw_upload
from imports.uwv_lists import DESCRIPTIONS, UWV_LIST_NAMES
from web.campaigns import get_campaign_or_404
from web.db_session import get_session, settings
from web.htmx import render_page_or_block
from web.main import visible_campaigns
from web.permissions import actor, allow, current_user

bp = Blueprint("uwv", __name__, url_prefix="/uwv-lijsten")
ROLES = (Role.UWV, Role.PROJECTLEIDER)
MIMETYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv"}


@bp.app_template_global("uwv_newest_list")
def uwv_newest_list(campaign_id: int):
    return latest_list(get_session(), campaign_id)


@bp.route("/")
@allow(*ROLES)
def index():
    campaigns = visible_campaigns()
    newest = {c.id: latest_list(get_session(), c.id) for c in campaigns}
    return render_template("uwv/index.html", campaigns=campaigns, newest=newest)


@bp.route("/campagnes/<int:campaign_id>")
@allow(*ROLES)
def campaign(campaign_id: int):
    return _campaign_page(get_campaign_or_404(campaign_id), errors={})


def _campaign_page(found: Campaign, errors: dict, status: int = 200):
    db = get_session()
    uploads = db.scalars(
        sa.select(UwvUpload).where(UwvUpload.campaign_id == found.id).order_by(UwvUpload.id.desc()).limit(25)
    ).all()
    context = {
        "campaign": found,
        "uploads": uploads,
        "newest": latest_list(db, found.id),
        "stale": freshness_problem(db, found, today_amsterdam()),
        "lists": [(lists.get_list(name), DESCRIPTIONS[name]) for name in UWV_LIST_NAMES],
        "labels": UPLOAD_STATUS_LABELS,
        "errors": errors,
        "form": request.form,
    }
    return render_template("uwv/campaign.html", **context), status


@bp.route("/campagnes/<int:campaign_id>", methods=["POST"])
@allow(*ROLES)
def upload(campaign_id: int):
    found = get_campaign_or_404(campaign_id)
    file = request.files.get("bestand")
    errors = _upload_errors(file)
    peildatum = _parse_peildatum(request.form.get("peildatum", ""), errors)
    if errors:
        return _campaign_page(found, errors, 422)
    path = _store_upload(file)
    db = get_session()
    try:
        record = start_upload(
            db, found, actor(), filename=file.filename, sha256=file_sha256(path), peildatum=peildatum,
            today=today_amsterdam(),
        )  # fmt: skip
    except InvalidInput as exc:
        path.unlink(missing_ok=True)
        return _campaign_page(found, {"peildatum": str(exc)}, 422)
    except DomainError:
        path.unlink(missing_ok=True)
        raise
    db.commit()
    record.job_id = jobs.enqueue(
        "imports.uwv_jobs:check_job", record.id, str(path), kind="uwv_check", title="UWV-lijst controleren",
        campaign_id=found.id, created_by=current_user().id,
    )  # fmt: skip
    db.commit()
    return redirect(url_for("uwv.check", upload_id=record.id), 303)


def _upload_errors(file) -> dict:
    if file is None or not file.filename:
        return {"bestand": "Kies het bestand met de UWV-lijst."}
    if Path(file.filename).suffix.lower() not in SPREADSHEET_SUFFIXES:
        return {"bestand": "Lever een .xlsx-, .xls-, .ods- of .csv-bestand aan."}
    return {}


def _parse_peildatum(text: str, errors: dict) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        errors["peildatum"] = "Vul de peildatum in (de datum waarop UWV de lijst heeft opgemaakt)."
        return None


def _store_upload(file) -> Path:
    """Keep the file only until the check job has read it (it holds BSNs outside the campaign)."""
    folder = settings().instance_path / "uploads"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"uwv-{uuid.uuid4().hex}{Path(file.filename).suffix.lower()}"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        file.save(handle)
    return path


def _get_upload(upload_id: int) -> UwvUpload:
    record = get_session().get(UwvUpload, upload_id)
    if record is None:
        raise NotFound("Deze UWV-lijst bestaat niet.")
    get_campaign_or_404(record.campaign_id)
    return record


@bp.route("/controles/<int:upload_id>")
@allow(*ROLES)
def check(upload_id: int):
    record = _get_upload(upload_id)
    context = {
        "upload": record,
        "campaign": get_session().get(Campaign, record.campaign_id),
        "job": get_session().get(Job, record.job_id) if record.job_id else None,
        "lines": report_lines(record.report or {}),
        "labels": UPLOAD_STATUS_LABELS,
    }
    return render_page_or_block("uwv/check.html", "check", "uwv-check", **context)


@bp.route("/controles/<int:upload_id>/toepassen", methods=["POST"])
@allow(*ROLES)
def apply(upload_id: int):
    record = _get_upload(upload_id)
    db = get_session()
    claimed = db.execute(
        sa.update(UwvUpload)
        .where(UwvUpload.id == record.id, UwvUpload.status == "gecontroleerd")
        .values(status="toepassen")
    ).rowcount  # a double click or a second user finds it taken
    db.commit()
    if claimed:
        who = actor()
        record.job_id = jobs.enqueue(
            "imports.uwv_jobs:apply_job", record.id, today_amsterdam().isoformat(), who.user_id, who.label,
            who.origin, kind="uwv_apply", title="UWV-lijst toepassen", campaign_id=record.campaign_id,
            created_by=who.user_id,
        )  # fmt: skip
        db.commit()
    return redirect(url_for("uwv.check", upload_id=record.id), 303)


@bp.route("/controles/<int:upload_id>/intrekken", methods=["POST"])
@allow(*ROLES)
def withdraw(upload_id: int):
    record = _get_upload(upload_id)
    db = get_session()
    withdraw_upload(db, record, actor())
    db.commit()
    return redirect(url_for("uwv.campaign", campaign_id=record.campaign_id), 303)


@bp.route("/campagnes/<int:campaign_id>/<any('te-controleren', 'uit-te-schrijven'):name>.<any(xlsx, csv):file_format>")
@allow(*ROLES)
def download(campaign_id: int, name: str, file_format: str):
    found = get_campaign_or_404(campaign_id)
    db = get_session()
    today = today_amsterdam()
    data = lists.export_list(db, found, name, actor(), today=today, fmt=file_format)
    db.commit()
    filename = lists.get_list(name).filename(found, today, file_format)
    return Response(
        data, mimetype=MIMETYPES[file_format], headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
