"""Lists in: upload -> check page (counts, mapping, first errors, sample) -> apply, both as background jobs."""

from __future__ import annotations

import tempfile
from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, Response, redirect, render_template, request, url_for

from campaign import audit, jobs
from campaign.dates import today_amsterdam
from campaign.errors import IllegalTransition, InvalidInput
from campaign.models import ImportRun, Job
from campaign.roles import Role
from imports import lists, runs
from imports.columns import LIST_TYPES, fields_for, mapping_from_choices
from imports.reader import Limits
from imports.runs import COUNT_LABELS
from web.campaigns import get_campaign_or_404
from web.db_session import get_session, settings
from web.htmx import render_page_or_block, wants_fragment
from web.permissions import actor, allow

bp = Blueprint("imports", __name__, url_prefix="/campagnes/<int:campaign_id>/lijsten")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _limits() -> Limits:
    return Limits.from_settings(settings())


def _storage() -> Path:
    return settings().instance_path / "imports"


def _runs(campaign_id: int) -> list[ImportRun]:
    return list(
        get_session().scalars(
            sa.select(ImportRun).where(ImportRun.campaign_id == campaign_id).order_by(ImportRun.id.desc()).limit(20)
        )
    )


@bp.route("/")
@allow(Role.PROJECTLEIDER)
def index(campaign_id: int):
    campaign = get_campaign_or_404(campaign_id)
    return render_template(
        "imports/index.html", campaign=campaign, runs=_runs(campaign.id), list_types=LIST_TYPES, errors={}
    )


@bp.route("/", methods=["POST"])
@allow(Role.PROJECTLEIDER)
def upload(campaign_id: int):
    campaign = get_campaign_or_404(campaign_id)
    db = get_session()
    upload_file = request.files.get("bestand")
    list_type = request.form.get("soort", "clients")
    errors = {}
    if upload_file is None or not upload_file.filename:
        errors["bestand"] = "Kies een bestand (.xlsx, .xlsm, .xls, .ods of .csv)."
    elif list_type not in LIST_TYPES:
        errors["soort"] = "Kies het soort lijst."
    if errors:
        return render_template(
            "imports/index.html", campaign=campaign, runs=_runs(campaign.id), list_types=LIST_TYPES, errors=errors
        ), 422
    with tempfile.TemporaryDirectory() as folder:
        temporary = Path(folder) / "upload"
        upload_file.save(temporary)
        stored = runs.store_upload(_storage(), temporary, upload_file.filename)
    run = runs.start_run(
        db, campaign, actor(), path=stored, filename=upload_file.filename, list_type=list_type,
        today=today_amsterdam(),
    )  # fmt: skip
    db.commit()
    _enqueue(run, "imports.jobs:check_job", f"Controleren: {run.filename}")
    return redirect(url_for("imports.show", campaign_id=campaign.id, run_id=run.id))


def _enqueue(run: ImportRun, func: str, title: str) -> None:
    db = get_session()
    job_id = jobs.enqueue(
        func, run.id, kind="import", title=title, campaign_id=run.campaign_id, created_by=actor().user_id
    )
    if func.endswith("check_job"):
        run.check_job_id = job_id
    else:
        run.apply_job_id = job_id
    db.commit()


def _page(campaign, run: ImportRun, errors: dict | None = None, status: int = 200):
    db = get_session()
    job_id = run.apply_job_id if run.status == "toepassen" else run.check_job_id
    job = db.get(Job, job_id) if job_id and run.status in ("controleren", "toepassen") else None
    labels = {f.name: f.label for f in fields_for(run.list_type)}
    response = render_page_or_block(
        "imports/show.html", "run", "import-run",
        campaign=campaign, run=run, job=job, labels=labels, count_labels=COUNT_LABELS, errors=errors or {},
        fields=fields_for(run.list_type), list_types=LIST_TYPES,
    )  # fmt: skip
    return (response, status) if status != 200 else response


@bp.route("/<int:run_id>")
@allow(Role.PROJECTLEIDER)
def show(campaign_id: int, run_id: int):
    campaign = get_campaign_or_404(campaign_id)
    db = get_session()
    run = runs.get_run(db, campaign.id, run_id)
    if not wants_fragment("import-run"):  # the progress polls are not new views
        audit.record(db, actor(), "view", "import_run", run.id, purpose="controle van een ingelezen lijst")
        db.commit()
    return _page(campaign, run)


@bp.route("/<int:run_id>/koppeling", methods=["POST"])
@allow(Role.PROJECTLEIDER)
def mapping(campaign_id: int, run_id: int):
    campaign = get_campaign_or_404(campaign_id)
    db = get_session()
    run = runs.get_run(db, campaign.id, run_id)
    if run.status != "gecontroleerd":
        raise IllegalTransition("De koppeling kan alleen worden gewijzigd zolang de lijst nog niet is toegepast.")
    choices = [request.form.get(f"kolom-{index}", "") or None for index in range(len(run.headers))]
    try:
        chosen = mapping_from_choices(run.list_type, run.headers, choices)
    except InvalidInput as exc:
        return _page(campaign, run, {"koppeling": str(exc)}, 422)
    run.mapping = list(chosen.fields)
    runs.remember_mapping(campaign, run.list_type, chosen)
    run.status = "controleren"
    audit.record(db, actor(), "update", "import_run", run.id, purpose="kolomkoppeling aangepast")
    db.commit()
    _enqueue(run, "imports.jobs:check_job", f"Opnieuw controleren: {run.filename}")
    return redirect(url_for("imports.show", campaign_id=campaign.id, run_id=run.id))


@bp.route("/<int:run_id>/toepassen", methods=["POST"])
@allow(Role.PROJECTLEIDER)
def apply(campaign_id: int, run_id: int):
    campaign = get_campaign_or_404(campaign_id)
    db = get_session()
    run = runs.get_run(db, campaign.id, run_id)
    skip_invalid = request.form.get("fouten_weglaten") == "ja"
    if run.status != "gecontroleerd":
        raise IllegalTransition("Deze lijst wordt al toegepast of is al toegepast.")
    if run.summary.get("missing_columns"):
        raise InvalidInput("Kies eerst voor elke verplichte kolom welke kolom in het bestand het is.")
    if run.error_rows and not skip_invalid:
        message = (
            f"Deze lijst heeft {run.error_rows} regels met fouten. Vink aan dat u de geldige regels wilt toepassen "
            "en deze regels wilt weglaten, of verbeter het bestand en upload het opnieuw."
        )
        return _page(campaign, run, {"fouten_weglaten": message}, 422)
    # A conditional update: a double click or a second tab cannot start a second apply.
    started = db.execute(
        sa.update(ImportRun)
        .where(ImportRun.id == run.id, ImportRun.status == "gecontroleerd")
        .values(status="toepassen", skip_invalid=skip_invalid and bool(run.error_rows), applied_by=actor().user_id)
    ).rowcount
    if started != 1:
        raise IllegalTransition("Deze lijst wordt al toegepast of is al toegepast.")
    db.commit()
    db.refresh(run)
    _enqueue(run, "imports.jobs:apply_job", f"Toepassen: {run.filename}")
    return redirect(url_for("imports.show", campaign_id=campaign.id, run_id=run.id))


@bp.route("/<int:run_id>/fouten.xlsx")
@allow(Role.PROJECTLEIDER)
def error_file(campaign_id: int, run_id: int):
    campaign = get_campaign_or_404(campaign_id)
    db = get_session()
    run = runs.get_run(db, campaign.id, run_id)
    if not run.error_rows:
        raise InvalidInput("Deze lijst heeft geen regels met fouten.")
    data = runs.error_workbook(db, run, limits=_limits())
    audit.record(db, actor(), "export", "import_run", run.id, purpose="foutenbestand downloaden")
    db.commit()
    name = Path(run.filename).stem[:80] or "lijst"
    return Response(
        data, mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{_ascii(name)}-fouten.xlsx"'}
    )


def _ascii(text: str) -> str:
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_ ") else "_" for ch in text)


@bp.route("/download/<name>.xlsx")
@allow(Role.PROJECTLEIDER, Role.BESLISSER, Role.TELEFOONTEAM, Role.UWV)
def download(campaign_id: int, name: str):
    campaign = get_campaign_or_404(campaign_id)
    db = get_session()
    definition = lists.get_list(name)
    today = today_amsterdam()
    data = lists.export_list(db, campaign, name, actor(), today=today)
    db.commit()
    filename = _ascii(definition.filename(campaign, today))
    return Response(data, mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.app_context_processor
def _downloadable_lists():
    """``downloadable_lists(role)`` for the campaign page: the registered lists this role may download."""
    return {"downloadable_lists": lambda role: lists.lists_for(str(role))}
