"""Letters: templates with live preview, waves, print batches, "Nog te printen", returned mail, letter PDFs."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, Response, flash, redirect, render_template, request, send_file, url_for

from campaign import audit, runtime
from campaign.case_changes import FieldErrors
from campaign.case_facts import SANCTION_KINDS
from campaign.dates import dutch_date, parse_iso_date, today_amsterdam
from campaign.errors import DomainError, InvalidInput, NotFound
from campaign.models import Case, Letter, PrintBatch, TemplateVersion
from campaign.phone import NewAddress
from campaign.roles import Role
from campaign.status import NO_ACTION_REASONS
from letters import batches, followups, render, returned, templates, waves
from web.campaigns import get_campaign_or_404
from web.db_session import get_session
from web.htmx import render_page_or_block, wants_fragment
from web.permissions import actor, allow

bp = Blueprint("letters", __name__)
P = Role.PROJECTLEIDER
CASE_READERS = (Role.PROJECTLEIDER, Role.BESLISSER, Role.TELEFOONTEAM)


def _kind_or_404(kind: str) -> str:
    if kind not in templates.LETTER_KINDS:
        raise NotFound("Dit soort brief bestaat niet.")
    return kind


# -- overview ------------------------------------------------------------------------------------------


@bp.route("/campagnes/<int:campaign_id>/brieven")
@allow(P)
def index(campaign_id: int):
    campaign = get_campaign_or_404(campaign_id)
    db = get_session()
    current = {kind: templates.current_version(db, campaign.id, kind) for kind in templates.LETTER_KINDS}
    db.commit()
    all_batches = db.scalars(
        sa.select(PrintBatch).where(PrintBatch.campaign_id == campaign.id).order_by(PrintBatch.id.desc())
    ).all()
    return render_template(
        "letters/index.html",
        campaign=campaign,
        current=current,
        kinds=templates.KIND_LABELS,
        batches=all_batches,
        status_labels=batches.BATCH_STATUS_LABELS,
        unbatched=batches.unbatched_summary(db, campaign.id),
    )


# -- templates -----------------------------------------------------------------------------------------


def _preview_case(campaign_id: int, reference: str) -> Case | None:
    db = get_session()
    query = sa.select(Case).where(Case.campaign_id == campaign_id)
    reference = reference.strip().upper()
    if reference:
        return db.scalar(query.where(Case.reference == reference))
    return db.scalar(query.order_by(Case.id).limit(1))


def _preview(campaign, kind: str, subject: str, body: str, reference: str) -> dict:
    """The preview of unsaved text for a chosen case (or example values); errors are shown, not raised."""
    db = get_session()
    try:
        checked = templates.check_template(subject, body)
    except InvalidInput as exc:
        return {"error": str(exc)}
    case = _preview_case(campaign.id, reference)
    if reference.strip() and case is None:
        return {"error": f"Kenmerk {reference.strip()!r} bestaat niet in deze campagne."}
    m = render.municipality(db)
    today = today_amsterdam()
    if case is None:
        values = templates.sample_values() | {"datum": "23 november 2026", "termijn": "7 december 2026"}
        address = ["[naam]", "[straat en huisnummer]", "[postcode]  [PLAATS]"]
    else:
        step = next((s.position for s in campaign.steps if s.kind == kind), 1)
        letter = Letter(case_id=case.id, step=step, kind=kind, data={})
        values = render.letter_values(db, letter, case, campaign, m, today)
        from campaign.address import address_lines

        address = address_lines(case)
        audit.record(db, actor(), "view", "case", case.id, purpose="voorbeeld briefsjabloon")
        db.commit()
    subject_text, body_html = templates.render_parts(checked, values)
    return {"subject": subject_text, "body": body_html, "address": address, "values": values, "case": case, "m": m}


@bp.route("/campagnes/<int:campaign_id>/sjablonen/<kind>", methods=["GET", "POST"])
@allow(P)
def template_edit(campaign_id: int, kind: str):
    campaign = get_campaign_or_404(campaign_id)
    kind = _kind_or_404(kind)
    db = get_session()
    errors = {}
    status = 200
    if request.method == "POST":
        try:
            version = templates.save_version(
                db, actor(), campaign, kind, request.form.get("subject", ""), request.form.get("body", "")
            )
        except InvalidInput as exc:
            db.rollback()
            errors["form"] = str(exc)
            status = 422
        else:
            db.commit()
            flash(f"Sjabloon opgeslagen als versie {version.version}.", "success")
            return redirect(url_for("letters.template_edit", campaign_id=campaign.id, kind=kind))
    current = templates.current_version(db, campaign.id, kind)
    db.commit()
    subject = request.form.get("subject", current.subject)
    body = request.form.get("body", current.body)
    reference = request.values.get("kenmerk", "")
    context = {
        "campaign": campaign,
        "kind": kind,
        "kind_label": templates.KIND_LABELS[kind],
        "current": current,
        "versions": templates.versions(db, campaign.id, kind),
        "subject": subject,
        "body": body,
        "reference": reference,
        "placeholders": templates.PLACEHOLDERS,
        "errors": errors,
        "preview": _preview(campaign, kind, subject, body, reference),
    }
    return render_template("letters/template_edit.html", **context), status


@bp.route("/campagnes/<int:campaign_id>/sjablonen/<kind>/voorbeeld", methods=["POST"])
@allow(P)
def template_preview(campaign_id: int, kind: str):
    campaign = get_campaign_or_404(campaign_id)
    kind = _kind_or_404(kind)
    form = request.form
    preview = _preview(campaign, kind, form.get("subject", ""), form.get("body", ""), form.get("kenmerk", ""))
    return render_template("letters/_preview.html", preview=preview)


@bp.route("/campagnes/<int:campaign_id>/sjablonen/<kind>/voorbeeld.pdf")
@allow(P)
def template_preview_pdf(campaign_id: int, kind: str):
    """The saved version as a real PDF for one case (the layout exactly as printed), not stored anywhere."""
    campaign = get_campaign_or_404(campaign_id)
    kind = _kind_or_404(kind)
    db = get_session()
    reference = request.args.get("kenmerk", "")
    case = _preview_case(campaign.id, reference)
    if case is None:
        raise NotFound("Er is geen dossier om een voorbeeld voor te maken.")
    step = next((s.position for s in campaign.steps if s.kind == kind), 1)
    version = templates.current_version(db, campaign.id, kind)
    letter = Letter(case_id=case.id, step=step, kind=kind, data={})
    document = render.letter_document(db, letter, letter_date=today_amsterdam(), template=version)
    audit.record(db, actor(), "view", "case", case.id, purpose="voorbeeld briefsjabloon (PDF)")
    db.commit()
    pdf, _pages = render.render_pdf(document.html)
    disposition = f'inline; filename="voorbeeld-{kind}-{case.reference}.pdf"'
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": disposition})


@bp.route("/campagnes/<int:campaign_id>/sjablonen/<kind>/versies/<int:version>")
@allow(P)
def template_version(campaign_id: int, kind: str, version: int):
    campaign = get_campaign_or_404(campaign_id)
    kind = _kind_or_404(kind)
    row = get_session().scalar(
        sa.select(TemplateVersion).where(
            TemplateVersion.campaign_id == campaign.id, TemplateVersion.kind == kind, TemplateVersion.version == version
        )
    )
    if row is None:
        raise NotFound("Deze versie bestaat niet.")
    used = get_session().scalar(sa.select(sa.func.count()).where(Letter.template_version_id == row.id))
    return render_template(
        "letters/template_version.html",
        campaign=campaign,
        kind=kind,
        kind_label=templates.KIND_LABELS[kind],
        version=row,
        used=used,
    )


# -- waves ---------------------------------------------------------------------------------------------


def _wave_context(campaign, **extra):
    db = get_session()
    return {
        "campaign": campaign,
        "overview": waves.waves_overview(db, campaign),
        "status_labels": batches.BATCH_STATUS_LABELS,
        "teams": list(
            db.scalars(
                sa.select(Case.team)
                .where(Case.campaign_id == campaign.id, Case.team != "")
                .distinct()
                .order_by(Case.team)
            )
        ),
        "form": request.form if request.method == "POST" else {},
        "errors": {},
        "preview": None,
        "token": waves.new_token(),
        "today": today_amsterdam(),
        **extra,
    }


@bp.route("/campagnes/<int:campaign_id>/golven")
@allow(P)
def wave_index(campaign_id: int):
    campaign = get_campaign_or_404(campaign_id)
    return render_template("letters/waves.html", **_wave_context(campaign))


@bp.route("/campagnes/<int:campaign_id>/golven/voorbeeld", methods=["POST"])
@allow(P)
def wave_preview(campaign_id: int):
    campaign = get_campaign_or_404(campaign_id)
    db = get_session()
    try:
        plan = waves.parse_plan(request.form)
    except InvalidInput as exc:
        context = _wave_context(campaign, errors={exc.location or "form": exc.args[0]})
        return render_page_or_block("letters/waves.html", "plan", "golf-plan", **context), 422
    found = waves.preview(db, campaign, plan, today_amsterdam())
    context = _wave_context(campaign, preview=found)
    return render_page_or_block("letters/waves.html", "plan", "golf-plan", **context)


@bp.route("/campagnes/<int:campaign_id>/golven", methods=["POST"])
@allow(P)
def wave_launch(campaign_id: int):
    campaign = get_campaign_or_404(campaign_id)
    db = get_session()
    today = today_amsterdam()
    try:
        plan = waves.parse_plan(request.form)
        letter_date = parse_iso_date(request.form.get("letter_date") or today.isoformat())
        if letter_date < today:
            raise InvalidInput("De datum op de brieven ligt in het verleden.", location="letter_date")
        result = waves.launch(db, actor(), campaign, plan, today, token=request.form.get("token", ""),
                              letter_date=letter_date)  # fmt: skip
    except InvalidInput as exc:
        db.rollback()
        errors = {exc.location or "form": exc.args[0]}
        return render_template("letters/waves.html", **_wave_context(campaign, errors=errors)), 422
    db.commit()
    if result.batch is not None and not result.already_launched:
        batches.start_rendering(result.batch.id, actor().user_id)
    if result.already_launched:
        flash(f"{result.wave.name} was al gestart; er zijn geen nieuwe brieven gemaakt.", "success")
    else:
        flash(f"{result.wave.name} gestart: {result.letters} uitnodigingen worden gemaakt.", "success")
    if result.batch is None:
        return redirect(url_for("letters.wave_index", campaign_id=campaign.id))
    return redirect(url_for("letters.batch", campaign_id=campaign.id, batch_id=result.batch.id))


# -- print batches -------------------------------------------------------------------------------------


def _batch_or_404(campaign_id: int, batch_id: int) -> tuple:
    campaign = get_campaign_or_404(campaign_id)
    return campaign, batches.get_batch(get_session(), batch_id, campaign_id=campaign.id)


@bp.route("/campagnes/<int:campaign_id>/printbatches/<int:batch_id>")
@allow(P)
def batch(campaign_id: int, batch_id: int):
    campaign, row = _batch_or_404(campaign_id, batch_id)
    db = get_session()
    from campaign.models import Job

    job = db.get(Job, row.job_id) if row.job_id else None
    letters = db.execute(
        sa.select(Letter, Case).join(Case, Case.id == Letter.case_id).where(Letter.batch_id == row.id)
        .order_by(Case.postcode, Case.reference).limit(500)
    ).all()  # fmt: skip
    status_rows = db.execute(
        sa.select(Letter.status, sa.func.count()).where(Letter.batch_id == row.id).group_by(Letter.status)
    ).all()
    counts = dict(status_rows)
    audit.record(db, actor(), "view", "print_batch", row.id, purpose="printbatch controleren")
    db.commit()
    return render_template(
        "letters/batch.html",
        campaign=campaign,
        batch=row,
        job=job,
        letters=letters,
        counts=counts,
        status_labels=batches.BATCH_STATUS_LABELS,
        letter_labels=batches.LETTER_STATUS_LABELS,
        kind_label=templates.KIND_LABELS.get(row.kind, row.kind),
        today=today_amsterdam(),
        errors={},
    )


def _batch_action(campaign_id: int, batch_id: int, action, message: str):
    campaign, row = _batch_or_404(campaign_id, batch_id)
    db = get_session()
    try:
        changed = action(db, row)
    except DomainError as exc:
        db.rollback()
        flash(str(exc), "error")
        return redirect(url_for("letters.batch", campaign_id=campaign.id, batch_id=batch_id))
    db.commit()
    flash(message if changed is not False else "Dit was al vastgelegd; er is niets gewijzigd.", "success")
    return redirect(url_for("letters.batch", campaign_id=campaign.id, batch_id=batch_id))


@bp.route("/campagnes/<int:campaign_id>/printbatches/<int:batch_id>/verzonden", methods=["POST"])
@allow(P)
def batch_dispatch(campaign_id: int, batch_id: int):
    today = today_amsterdam()

    def dispatch(db, row):
        day = parse_iso_date(request.form.get("dispatched_on") or today.isoformat())
        return batches.mark_dispatched(db, actor(), row, day, today)

    return _batch_action(campaign_id, batch_id, dispatch, "De printbatch is als verzonden vastgelegd.")


@bp.route("/campagnes/<int:campaign_id>/printbatches/<int:batch_id>/annuleren", methods=["POST"])
@allow(P)
def batch_cancel(campaign_id: int, batch_id: int):
    def cancel(db, row):
        return batches.cancel_batch(db, actor(), row, request.form.get("reason", ""), today_amsterdam())

    return _batch_action(campaign_id, batch_id, cancel, "De printbatch is geannuleerd.")


@bp.route("/campagnes/<int:campaign_id>/printbatches/<int:batch_id>/nieuwe-datum", methods=["POST"])
@allow(P)
def batch_redate(campaign_id: int, batch_id: int):
    today = today_amsterdam()
    campaign, row = _batch_or_404(campaign_id, batch_id)
    db = get_session()
    try:
        day = parse_iso_date(request.form.get("letter_date") or today.isoformat())
        if day < today:
            raise InvalidInput("De nieuwe datum ligt in het verleden.")
        batches.redate_batch(db, actor(), row, day)
    except DomainError as exc:
        db.rollback()
        flash(str(exc), "error")
        return redirect(url_for("letters.batch", campaign_id=campaign.id, batch_id=batch_id))
    db.commit()
    batches.start_rendering(row.id, actor().user_id)
    flash("De brieven worden opnieuw gemaakt met de nieuwe datum.", "success")
    return redirect(url_for("letters.batch", campaign_id=campaign.id, batch_id=batch_id))


@bp.route("/campagnes/<int:campaign_id>/printbatches/<int:batch_id>/maken", methods=["POST"])
@allow(P)
def batch_render(campaign_id: int, batch_id: int):
    campaign, row = _batch_or_404(campaign_id, batch_id)
    try:
        batches.start_rendering(row.id, actor().user_id)
    except DomainError as exc:
        flash(str(exc), "error")
    else:
        flash("De brieven worden gemaakt; brieven die al klaar waren, blijven zoals ze zijn.", "success")
    return redirect(url_for("letters.batch", campaign_id=campaign.id, batch_id=batch_id))


@bp.route("/campagnes/<int:campaign_id>/printbatches/<int:batch_id>/bundel.pdf")
@allow(P)
def batch_bundle(campaign_id: int, batch_id: int):
    _campaign, row = _batch_or_404(campaign_id, batch_id)
    if not row.bundle_path:
        raise NotFound("De printbundel is nog niet klaar.")
    audit.record(get_session(), actor(), "download", "print_batch", row.id, purpose="printbundel")
    get_session().commit()
    return send_file(row.bundle_path, mimetype="application/pdf", as_attachment=True,
                     download_name=f"printbundel-batch-{row.id}.pdf")  # fmt: skip


@bp.route("/campagnes/<int:campaign_id>/printbatches/<int:batch_id>/verzendlijst.xlsx")
@allow(P)
def batch_manifest(campaign_id: int, batch_id: int):
    _campaign, row = _batch_or_404(campaign_id, batch_id)
    if not row.manifest_path:
        raise NotFound("De verzendlijst is nog niet klaar.")
    audit.record(get_session(), actor(), "download", "print_batch", row.id, purpose="verzendlijst")
    get_session().commit()
    return send_file(
        row.manifest_path,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=f"verzendlijst-batch-{row.id}.xlsx",
    )


# -- not yet printed -----------------------------------------------------------------------------------


@bp.route("/campagnes/<int:campaign_id>/nog-te-printen", methods=["GET", "POST"])
@allow(P)
def unbatched(campaign_id: int):
    campaign = get_campaign_or_404(campaign_id)
    db = get_session()
    today = today_amsterdam()
    if request.method == "POST":
        step = request.form.get("step", "")
        try:
            if not step.isdigit():
                raise InvalidInput("Kies een stap.")
            letter_date = parse_iso_date(request.form.get("letter_date") or today.isoformat())
            if letter_date < today:
                raise InvalidInput("De datum op de brieven ligt in het verleden.")
            kind = request.form.get("kind") or None
            ids = batches.unbatched_letter_ids(db, campaign.id, int(step), kind)
            if not ids:
                raise InvalidInput("Er zijn voor deze stap geen brieven meer die nog in een printbatch moeten.")
            row = batches.create_batch(db, campaign.id, ids, actor().user_id, letter_date=letter_date)
        except DomainError as exc:
            db.rollback()
            flash(str(exc), "error")
            return redirect(url_for("letters.unbatched", campaign_id=campaign.id))
        db.commit()
        batches.start_rendering(row.id, actor().user_id)
        flash(f"Printbatch {row.id} gemaakt met {row.letter_count} brieven.", "success")
        return redirect(url_for("letters.batch", campaign_id=campaign.id, batch_id=row.id))
    return render_template(
        "letters/unbatched.html",
        campaign=campaign,
        rows=batches.unbatched_summary(db, campaign.id),
        kinds=templates.KIND_LABELS,
        today=today,
    )


# -- returned mail -------------------------------------------------------------------------------------


@bp.route("/campagnes/<int:campaign_id>/retour", methods=["GET", "POST"])
@allow(P)
def returned_mail(campaign_id: int):
    campaign = get_campaign_or_404(campaign_id)
    db = get_session()
    today = today_amsterdam()
    report, errors, status = None, {}, 200
    if request.method == "POST":
        try:
            report = returned.register_returned(db, actor(), campaign.id, request.form.get("kenmerken", ""), today)
        except InvalidInput as exc:
            db.rollback()
            errors["kenmerken"], status = exc.args[0], 422
        else:
            db.commit()
    work = returned.address_research_list(db, campaign.id, today)
    if work:
        audit.record(db, actor(), "view", "case_list", campaign.id, purpose="werklijst adresonderzoek (retour)")
        db.commit()
    context = {"campaign": campaign, "report": report, "errors": errors, "work": work}
    if wants_fragment("retour-resultaat"):
        return render_page_or_block("letters/returned.html", "result", "retour-resultaat", **context), status
    return render_template("letters/returned.html", **context), status


# -- one letter ----------------------------------------------------------------------------------------


def _letter_or_404(letter_id: int) -> tuple[Letter, Case]:
    db = get_session()
    letter = db.get(Letter, letter_id)
    if letter is None:
        raise NotFound("Deze brief bestaat niet.")
    case = db.get(Case, letter.case_id)
    get_campaign_or_404(case.campaign_id)  # the phone team sees only its own campaigns
    return letter, case


@bp.route("/brieven/<int:letter_id>.pdf")
@allow(*CASE_READERS)
def letter_pdf(letter_id: int):
    letter, case = _letter_or_404(letter_id)
    if not letter.pdf_path:
        raise NotFound("Deze brief is nog niet gemaakt.")
    path = Path(letter.pdf_path)
    if not path.is_absolute():
        path = runtime.settings().instance_path / path
    if not path.is_file():
        raise NotFound("Het PDF-bestand van deze brief is niet (meer) aanwezig, bijvoorbeeld na de bewaartermijn.")
    audit.record(get_session(), actor(), "view", "letter", letter.id, purpose="brief in dossier bekijken")
    get_session().commit()
    return send_file(path, mimetype="application/pdf", download_name=f"{case.reference}-stap-{letter.step}.pdf")


@bp.route("/brieven/<int:letter_id>/annuleren", methods=["POST"])
@allow(P)
def letter_cancel(letter_id: int):
    letter, case = _letter_or_404(letter_id)
    db = get_session()
    try:
        changed = batches.cancel_letter(db, actor(), letter, request.form.get("reason", ""), today_amsterdam())
    except DomainError as exc:
        db.rollback()
        flash(str(exc), "error")
    else:
        db.commit()
        message = "De brief is geannuleerd." if changed else "Deze brief was al geannuleerd."
        if changed and letter.replaces_id is not None:
            message = "De vervangende brief is geannuleerd; de brief die hij zou vervangen, geldt weer."
        elif changed and letter.correction_of_id is not None:
            message = (
                "De intrekkingsbrief is geannuleerd. De intrekking blijft staan: er staat een nieuwe intrekkingsbrief "
                "(naar het huidige adres) klaar bij Nog te printen."
            )
        flash(message, "success")
    if letter.batch_id:
        return redirect(url_for("letters.batch", campaign_id=case.campaign_id, batch_id=letter.batch_id))
    return redirect(url_for("letters.unbatched", campaign_id=case.campaign_id))


# -- after dispatch: correction and withdrawal ------------------------------------------------------------


def _followup_context(letter: Letter, case: Case, **extra) -> dict:
    db = get_session()
    return {
        "letter": letter,
        "case": case,
        "kind_label": followups.letter_label(letter),
        "printed_on": followups.printed_date(letter),
        "errors": {},
        "form": request.form if request.method == "POST" else {},
        "no_action_reasons": NO_ACTION_REASONS,
        "ladder_letter": letter.kind not in SANCTION_KINDS,
        "later": followups.later_live_letter(db, letter) if letter.status == "verzonden" else None,
        **extra,
    }


def _followup_page(template: str, letter_id: int, action):
    """GET: the form; POST: call ``action(db, letter, case)``, then to the case page (422 with the message)."""
    letter, case = _letter_or_404(letter_id)
    db = get_session()
    if request.method == "POST":
        try:
            message = action(db, letter, case)
        except DomainError as exc:
            db.rollback()
            letter, case = _letter_or_404(letter_id)
            errors = {getattr(exc, "location", None) or "form": str(exc)}
            return render_template(template, **_followup_context(letter, case, errors=errors)), 422
        db.commit()
        flash(message, "success")
        return redirect(url_for("cases.show", case_id=case.id))
    audit.record(db, actor(), "view", "letter", letter.id, purpose="brief corrigeren of intrekken")
    db.commit()
    return render_template(template, **_followup_context(letter, case))


@bp.route("/brieven/<int:letter_id>/corrigeren", methods=["GET", "POST"])
@allow(P)
def letter_correct(letter_id: int):
    def correct(db, letter, case):
        new = followups.create_replacement(db, actor(), letter, request.form.get("reason", ""), today_amsterdam())
        return (
            f"Correctiebrief {new.id} gemaakt; de brief van {dutch_date(followups.printed_date(letter))} is vervangen. "
            "De correctiebrief staat bij Nog te printen."
        )

    return _followup_page("letters/letter_correct.html", letter_id, correct)


@bp.route("/brieven/<int:letter_id>/intrekken", methods=["GET", "POST"])
@allow(P)
def letter_withdraw(letter_id: int):
    def withdraw(db, letter, case):
        notice = followups.withdraw(
            db, actor(), letter, request.form.get("reason", ""), today_amsterdam(),
            no_action_reason=request.form.get("no_action_reason", ""),
        )  # fmt: skip
        return (
            f"De brief van {dutch_date(followups.printed_date(letter))} is ingetrokken. De intrekkingsbrief "
            f"({notice.id}) staat bij Nog te printen."
        )

    return _followup_page("letters/letter_withdraw.html", letter_id, withdraw)


# -- address research after returned mail -------------------------------------------------------------------


def _research_case(campaign_id: int, case_id: int) -> tuple:
    campaign = get_campaign_or_404(campaign_id)
    case = get_session().get(Case, case_id)
    if case is None or case.campaign_id != campaign.id:
        raise NotFound("Dit dossier bestaat niet in deze campagne.")
    return campaign, case


def _research_page(campaign, case, *, errors=None, form=None, status=200):
    db = get_session()
    context = {
        "campaign": campaign,
        "case": case,
        "pause": returned.open_retour_pause(db, case.id),
        "letter": returned.returned_letter(db, case.id),
        "errors": errors or {},
        "form": form or {},
    }
    return render_template("letters/returned_case.html", **context), status


@bp.route("/campagnes/<int:campaign_id>/retour/<int:case_id>")
@allow(P)
def returned_case(campaign_id: int, case_id: int):
    campaign, case = _research_case(campaign_id, case_id)
    audit.record(get_session(), actor(), "view", "case", case.id, purpose="adresonderzoek (retour)")
    get_session().commit()
    return _research_page(campaign, case)


def _research_action(campaign_id: int, case_id: int, action):
    campaign, case = _research_case(campaign_id, case_id)
    db = get_session()
    version = request.form.get("version", "")
    try:
        messages = action(db, case, int(version) if version.isdigit() else -1)
    except FieldErrors as exc:
        db.rollback()
        campaign, case = _research_case(campaign_id, case_id)
        return _research_page(campaign, case, errors=exc.errors, form=request.form, status=422)
    except DomainError as exc:
        db.rollback()
        campaign, case = _research_case(campaign_id, case_id)
        return _research_page(campaign, case, errors={"form": str(exc)}, form=request.form, status=422)
    db.commit()
    flash(f"{case.reference}: " + " ".join(messages), "success")
    return redirect(url_for("letters.returned_mail", campaign_id=campaign.id))


@bp.route("/campagnes/<int:campaign_id>/retour/<int:case_id>/adres-gevonden", methods=["POST"])
@allow(P)
def returned_address_found(campaign_id: int, case_id: int):
    form = request.form
    address = NewAddress.from_fields(form)
    return _research_action(
        campaign_id, case_id,
        lambda db, case, version: returned.address_found(db, actor(), case, address, today_amsterdam(),
                                                         expected_version=version),
    )  # fmt: skip


@bp.route("/campagnes/<int:campaign_id>/retour/<int:case_id>/adres-onbekend", methods=["POST"])
@allow(P)
def returned_address_unknown(campaign_id: int, case_id: int):
    return _research_action(
        campaign_id, case_id,
        lambda db, case, version: returned.address_unknown(db, actor(), case, today_amsterdam(),
                                                           expected_version=version),
    )  # fmt: skip


# -- for the case page ---------------------------------------------------------------------------------


def case_letters(case_id: int) -> list[Letter]:
    """The letters of one case, newest step first (for ``letters/_case_letters.html`` on the case page)."""
    query = sa.select(Letter).where(Letter.case_id == case_id).order_by(Letter.step.desc(), Letter.id)
    return list(get_session().scalars(query))


@bp.app_context_processor
def _letters_helpers():
    return {
        "case_letters": case_letters,
        "letter_status_labels": batches.LETTER_STATUS_LABELS,
        "letter_kind_labels": templates.KIND_LABELS,
    }
