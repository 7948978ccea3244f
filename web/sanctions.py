"""The sanction track on the web: the queue, the assessment form with known facts, approval, decision, undo."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from campaign import audit, sanctions
from campaign.dates import today_amsterdam
from campaign.errors import DomainError
from campaign.models import Case, OrdinanceRule, SanctionProposal, User
from campaign.models.sanctions import BLAME, OUTCOMES
from campaign.roles import Role
from imports.xlsx_out import Column, write_xlsx
from web.campaigns import get_campaign_or_404
from web.db_session import get_session
from web.main import visible_campaigns
from web.permissions import actor, allow, current_user

bp = Blueprint("sanctions", __name__, url_prefix="/maatregelen")
DECIDERS = (Role.PROJECTLEIDER, Role.BESLISSER)
QUEUE_ORDER = ("voorstel", "beoordeeld", "voornemen", "besluit")
QUEUE_TITLES = {
    "voorstel": "Te beoordelen (projectleider)",
    "beoordeeld": "Goed te keuren (beslisser, niet de beoordelaar)",
    "voornemen": "Voornemen: zienswijzetermijn en besluit",
    "besluit": "Besluiten",
}


@bp.route("/")
@allow(*DECIDERS)
def queue():
    db = get_session()
    campaign_ids = [c.id for c in visible_campaigns()]
    rows = db.execute(
        sa.select(SanctionProposal, Case)
        .join(Case, Case.id == SanctionProposal.case_id)
        .where(SanctionProposal.campaign_id.in_(campaign_ids), SanctionProposal.status.in_(QUEUE_ORDER))
        .order_by(SanctionProposal.proposed_on, Case.reference)
    ).all()
    groups = {status: [r for r in rows if r[0].status == status] for status in QUEUE_ORDER}
    audit.record(db, actor(), "view", "sanction_queue", "", purpose="wachtrij maatregelen")
    db.commit()
    return render_template("sanctions/queue.html", groups=groups, titles=QUEUE_TITLES, outcomes=OUTCOMES)


def _proposal_or_404(proposal_id: int) -> tuple[SanctionProposal, Case]:
    db = get_session()
    proposal = sanctions.get_proposal(db, proposal_id)
    get_campaign_or_404(proposal.campaign_id)
    return proposal, db.get(Case, proposal.case_id)


def _show(proposal_id: int, errors: dict | None = None, status: int = 200, message: str = ""):
    db = get_session()
    proposal, case = _proposal_or_404(proposal_id)
    today = today_amsterdam()
    names = dict(db.execute(sa.select(User.id, User.name)).all())
    audit.record(db, actor(), "view", "sanction_proposal", proposal.id, purpose="beoordeling maatregel")
    is_open = proposal.status in ("voorstel", "beoordeeld")
    context = {
        "proposal": proposal,
        "case": case,
        "facts": sanctions.known_facts(db, proposal),
        "questions": sanctions.QUESTIONS,
        "choices": sanctions.CHOICES,
        "blame": BLAME,
        "outcomes": OUTCOMES,
        "errors": errors or {},
        "form": request.form,
        "names": names,
        "blockers": sanctions.open_blockers(db, proposal, today) if is_open else [],
        "rule": sanctions.ordinance_rule(db, proposal.category, today),
        "message": message,
        "previous": sanctions.previous_decisions(db, case, today, exclude_id=proposal.id),
    }
    db.commit()
    return render_template("sanctions/show.html", **context), status


@bp.route("/<int:proposal_id>")
@allow(*DECIDERS)
def show(proposal_id: int):
    return _show(proposal_id)


def _act(proposal_id: int, action, success: str):
    db = get_session()
    proposal, _case = _proposal_or_404(proposal_id)
    try:
        action(db, proposal)
    except sanctions.AssessmentInvalid as exc:
        db.rollback()
        return _show(proposal_id, exc.errors, 422, str(exc))
    except DomainError as exc:
        db.rollback()
        return _show(proposal_id, {}, 422, str(exc))
    db.commit()
    flash(success, "success")
    return redirect(url_for("sanctions.show", proposal_id=proposal_id))


@bp.route("/<int:proposal_id>/beoordelen", methods=["POST"])
@allow(Role.PROJECTLEIDER)
def assess(proposal_id: int):
    return _act(
        proposal_id,
        lambda db, p: sanctions.assess(db, p, actor(), request.form.to_dict(), today_amsterdam()),
        "De beoordeling is opgeslagen. Een beslisser keurt het voorstel goed.",
    )


@bp.route("/<int:proposal_id>/goedkeuren", methods=["POST"])
@allow(Role.BESLISSER)
def approve(proposal_id: int):
    return _act(
        proposal_id,
        lambda db, p: sanctions.approve(db, p, actor(), today_amsterdam()),
        "Goedgekeurd. De brief 'voornemen' staat klaar om te printen.",
    )


@bp.route("/<int:proposal_id>/zienswijze", methods=["POST"])
@allow(*DECIDERS)
def view(proposal_id: int):
    return _act(
        proposal_id,
        lambda db, p: sanctions.record_view(db, p, actor(), request.form.get("view", "")),
        "De zienswijze is vastgelegd.",
    )


@bp.route("/<int:proposal_id>/besluiten", methods=["POST"])
@allow(Role.BESLISSER)
def decide(proposal_id: int):
    return _act(
        proposal_id,
        lambda db, p: sanctions.decide(
            db, p, actor(), today_amsterdam(), request.form.get("outcome", ""), request.form.get("motivation", "")
        ),
        "Het besluit is genomen. De besluitbrief staat klaar om te printen; de heroverweging is gepland.",
    )


@bp.route("/<int:proposal_id>/terugdraaien", methods=["POST"])
@allow(*DECIDERS)
def undo(proposal_id: int):
    return _act(
        proposal_id,
        lambda db, p: sanctions.undo(db, p, actor(), request.form.get("reason", ""), today_amsterdam()),
        "De laatste stap is teruggedraaid.",
    )


@bp.route("/verordening")
@allow(Role.PROJECTLEIDER, Role.BESLISSER, Role.BEHEERDER)
def ordinance():
    return _ordinance_page()


def _ordinance_page(errors=None, status=200):
    rules = (
        get_session()
        .scalars(sa.select(OrdinanceRule).order_by(OrdinanceRule.category, OrdinanceRule.valid_from.desc()))
        .all()
    )
    editable = current_user().role in (Role.PROJECTLEIDER.value, Role.BEHEERDER.value)
    return render_template(
        "sanctions/ordinance.html", rules=rules, categories=sanctions.CATEGORIES, errors=errors or {},
        form=request.form, editable=editable,
    ), status  # fmt: skip


@bp.route("/verordening", methods=["POST"])
@allow(Role.PROJECTLEIDER, Role.BEHEERDER)
def ordinance_add():
    db = get_session()
    try:
        sanctions.add_ordinance_rule(db, actor(), request.form)
    except sanctions.AssessmentInvalid as exc:
        db.rollback()
        return _ordinance_page(exc.errors, 422)
    db.commit()
    flash("De regel uit de verordening is opgeslagen.", "success")
    return redirect(url_for("sanctions.ordinance"))


@bp.route("/campagne/<int:campaign_id>/besluiten.xlsx")
@allow(*DECIDERS)
def decisions_export(campaign_id: int):
    campaign = get_campaign_or_404(campaign_id)
    db = get_session()
    rows = sanctions.decision_rows(db, campaign.id)
    widths = (16, 11, 28, 14, 24, 11, 9, 14, 9, 18, 30, 20, 40)
    kinds = ("text", "text", "text", "date", "text", "number", "number", "date", "text", "date", "text", "text", "text")
    columns = [Column(t, w, k) for t, w, k in zip(sanctions.DECISION_COLUMNS, widths, kinds, strict=True)]
    data = write_xlsx(columns, rows, sheet_title="Besluiten")
    audit.record(db, actor(), "export", "decisions", campaign.id, purpose="besluiten voor de uitkeringsadministratie")
    db.commit()
    filename = f"besluiten-{campaign.reference_prefix}-{today_amsterdam().isoformat()}.xlsx"
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
