"""Editing a campaign's escalation ladder and its settings (project leaders)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm

from campaign import audit
from campaign.errors import IllegalTransition, InvalidInput
from campaign.models import Campaign, Case, LadderStep, Letter

KIND_LABELS = {
    "uitnodiging": "Uitnodiging",
    "herinnering": "Herinnering",
    "ultimatum": "Laatste oproep (ultimatum)",
    "voornemen": "Voornemen maatregel",
    "besluit": "Besluit",
}
LIMITS = {
    "delay_days": (1, 90),
    "ultimatum_days": (7, 60),
    "view_period_days": (7, 42),
    "uwv_freshness_days": (1, 60),
    "says_registered_pause_days": (1, 90),
}


class LadderInvalid(InvalidInput):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("De instellingen van de ladder zijn niet juist ingevuld.")
        self.errors = errors


def _number(form, key: str, limits: tuple[int, int], errors: dict[str, str]) -> int | None:
    text = (form.get(key) or "").strip()
    low, high = limits
    if not text.isdigit() or not low <= int(text) <= high:
        errors[key] = f"Vul een aantal dagen van {low} tot en met {high} in."
        return None
    return int(text)


def update_ladder(session: orm.Session, actor: audit.Actor, campaign: Campaign, form) -> None:
    """Save titles and delays per step, the ultimatum deadline, the view period, freshness and pause limits."""
    errors: dict[str, str] = {}
    values = _step_values(campaign, form, errors)
    settings = {
        name: _number(form, name, LIMITS[name], errors)
        for name in ("view_period_days", "uwv_freshness_days", "says_registered_pause_days")
    }
    if errors:
        raise LadderInvalid(errors)
    settings["auto_launch_steps"] = form.get("auto_launch_steps") == "ja"
    _apply(session, actor, campaign, values, settings)


def _step_values(campaign: Campaign, form, errors: dict[str, str]) -> dict[int, dict[str, object]]:
    values: dict[int, dict[str, object]] = {}
    for step in campaign.steps:
        key = f"step-{step.position}"
        title = " ".join((form.get(f"{key}-title") or "").split())
        if not title or len(title) > 120:
            errors[f"{key}-title"] = "Geef de stap een titel van hoogstens 120 tekens."
        entry: dict[str, object] = {"title": title}
        if step.kind in ("herinnering", "ultimatum"):
            entry["delay_days"] = _number(form, f"{key}-delay", LIMITS["delay_days"], errors)
        if step.kind == "ultimatum":
            entry["deadline_days"] = _number(form, f"{key}-deadline", LIMITS["ultimatum_days"], errors)
        values[step.position] = entry
    return values


def _apply(session, actor, campaign: Campaign, values, settings) -> None:
    changes = []
    for step in campaign.steps:
        for name, value in values[step.position].items():
            if getattr(step, name) != value:
                changes.append(f"stap {step.position} {name}: {getattr(step, name)} -> {value}")
                setattr(step, name, value)
        if step.kind == "voornemen" and step.deadline_days != settings["view_period_days"]:
            step.deadline_days = settings["view_period_days"]
    for name, value in settings.items():
        if getattr(campaign, name) != value:
            changes.append(f"{name}: {getattr(campaign, name)} -> {value}")
            setattr(campaign, name, value)
    if changes:
        audit.record(session, actor, "update", "campaign_ladder", campaign.id, purpose="; ".join(changes)[:200])


def _letters_after_invitation(session: orm.Session, campaign: Campaign) -> bool:
    return bool(
        session.scalar(
            sa.select(sa.func.count())
            .select_from(Letter)
            .join(Case, Case.id == Letter.case_id)
            .where(Case.campaign_id == campaign.id, Letter.step > 1)
        )
    )


def add_reminder(session: orm.Session, actor: audit.Actor, campaign: Campaign) -> LadderStep:
    """Insert one more reminder before the ultimatum (only before any reminder letter exists)."""
    if _letters_after_invitation(session, campaign):
        raise IllegalTransition("Er zijn al herinneringen of latere brieven gemaakt; de ladder ligt nu vast.")
    ultimatum = next((s for s in campaign.steps if s.kind == "ultimatum"), None)
    if ultimatum is None:
        raise IllegalTransition("Deze ladder heeft geen laatste oproep.")
    if sum(1 for s in campaign.steps if s.kind == "herinnering") >= 3:
        raise IllegalTransition("Hoogstens drie herinneringen.")
    _shift(session, campaign, ultimatum.position, +1)
    step = LadderStep(
        campaign_id=campaign.id, position=ultimatum.position - 1, kind="herinnering", title="Tweede herinnering",
        delay_days=14, deadline_days=None,
    )  # fmt: skip
    campaign.steps.append(step)
    session.flush()
    audit.record(session, actor, "update", "campaign_ladder", campaign.id, purpose="herinnering toegevoegd")
    return step


def remove_reminder(session: orm.Session, actor: audit.Actor, campaign: Campaign, position: int) -> None:
    """Remove a reminder (never the last one; only before any reminder letter exists)."""
    if _letters_after_invitation(session, campaign):
        raise IllegalTransition("Er zijn al herinneringen of latere brieven gemaakt; de ladder ligt nu vast.")
    step = campaign.step(position)
    if step is None or step.kind != "herinnering":
        raise IllegalTransition("Alleen een herinnering kan worden verwijderd.")
    if sum(1 for s in campaign.steps if s.kind == "herinnering") <= 1:
        raise IllegalTransition("De ladder houdt minstens één herinnering.")
    campaign.steps.remove(step)
    session.flush()
    _shift(session, campaign, position + 1, -1)
    audit.record(session, actor, "update", "campaign_ladder", campaign.id, purpose=f"herinnering {position} verwijderd")


def _shift(session: orm.Session, campaign: Campaign, from_position: int, delta: int) -> None:
    """Move steps at and after ``from_position`` by ``delta`` without tripping the unique (campaign, position)."""
    moving = sorted((s for s in campaign.steps if s.position >= from_position), key=lambda s: s.position)
    for s in moving:
        s.position = -s.position  # park at negative positions first
    session.flush()
    for s in moving:
        s.position = -s.position + delta
    session.flush()
    session.expire(campaign, ["steps"])
