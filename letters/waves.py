"""Phased waves: compose a wave from the pool, preview who is in and who is held back, launch it.

Launching creates the invitations (step 1) through the escalation engine's ``create_step_letters`` (the guards
apply, never twice) and groups them into one print batch. A launch carries a token from the form, so a double
click or a repeated command returns the wave already launched instead of writing to the next people.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import orm

from campaign import audit
from campaign.case_facts import load_facts, load_ladders
from campaign.errors import InvalidInput, StaleData
from campaign.escalation import create_step_letters
from campaign.guards import GUARDS, blockers
from campaign.models import Campaign, Case, Contact, Letter, PrintBatch, Wave, live_letter
from letters import templates
from letters.batches import create_batch

MAX_WAVE = 100_000


@dataclass(frozen=True)
class WavePlan:
    size: int
    team: str = ""
    postcode_from: str = ""
    postcode_to: str = ""
    age_min: int | None = None
    age_max: int | None = None
    sample: bool = False
    seed: int | None = None
    name: str = ""

    def filters(self) -> dict[str, object]:
        found = {
            "team": self.team,
            "postcode_van": self.postcode_from,
            "postcode_tot_en_met": self.postcode_to,
            "leeftijd_vanaf": self.age_min,
            "leeftijd_tot_en_met": self.age_max,
        }
        return {k: v for k, v in found.items() if v not in ("", None)}

    def describe(self) -> str:
        parts = []
        if self.team:
            parts.append(f"team {self.team}")
        if self.postcode_from or self.postcode_to:
            parts.append(f"postcode {self.postcode_from or '1000'}–{self.postcode_to or '9999'}")
        if self.age_min is not None or self.age_max is not None:
            parts.append(f"leeftijd {self.age_min or 18}–{self.age_max if self.age_max is not None else 'AOW'}")
        if self.sample:
            parts.append(f"steekproef (seed {self.seed})")
        return ", ".join(parts) or "hele pool"


def _int(raw: object, field_name: str, label: str, low: int, high: int) -> int | None:
    text = str(raw or "").strip()
    if not text:
        return None
    if not text.isdigit() or not low <= int(text) <= high:
        raise InvalidInput(f"{label} moet een geheel getal van {low} tot en met {high} zijn.", location=field_name)
    return int(text)


def _postcode(raw: object, field_name: str) -> str:
    text = str(raw or "").strip()
    if text and not (len(text) == 4 and text.isdigit() and text[0] != "0"):
        raise InvalidInput("Geef de vier cijfers van een postcode, bijvoorbeeld 3011.", location=field_name)
    return text


def parse_plan(values: dict[str, object]) -> WavePlan:
    """Read a wave plan from form or command-line values; InvalidInput names the field."""
    size = _int(values.get("size"), "size", "Het aantal personen", 1, MAX_WAVE)
    if size is None:
        raise InvalidInput("Geef aan hoeveel personen deze golf aanschrijft.", location="size")
    sample = str(values.get("sample") or "") in ("1", "on", "true", "True")
    seed = _int(values.get("seed"), "seed", "De seed", 0, 2**31 - 1)
    if sample and seed is None:
        raise InvalidInput("Een steekproef heeft een seed nodig, zodat de trekking te herhalen is.", location="seed")
    plan = WavePlan(
        size=size,
        team=" ".join(str(values.get("team") or "").split())[:60],
        postcode_from=_postcode(values.get("postcode_from"), "postcode_from"),
        postcode_to=_postcode(values.get("postcode_to"), "postcode_to"),
        age_min=_int(values.get("age_min"), "age_min", "De leeftijd vanaf", 0, 120),
        age_max=_int(values.get("age_max"), "age_max", "De leeftijd tot en met", 0, 120),
        sample=sample,
        seed=seed if sample else None,
        name=" ".join(str(values.get("name") or "").split())[:120],
    )
    if plan.postcode_from and plan.postcode_to and plan.postcode_from > plan.postcode_to:
        raise InvalidInput("De postcode 'van' ligt na de postcode 'tot en met'.", location="postcode_to")
    if plan.age_min is not None and plan.age_max is not None and plan.age_min > plan.age_max:
        raise InvalidInput("De leeftijd 'vanaf' is hoger dan 'tot en met'.", location="age_max")
    return plan


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def pool_query(campaign: Campaign, plan: WavePlan, today: dt.date) -> sa.Select:
    """Cases of the campaign without a live invitation, matching the plan's filters."""
    live_invitation = sa.select(Letter.id).where(Letter.case_id == Case.id, Letter.step == 1, live_letter()).exists()
    query = sa.select(Case.id).where(Case.campaign_id == campaign.id, ~live_invitation)
    if plan.team:
        query = query.where(sa.func.lower(Case.team) == plan.team.lower())
    if plan.postcode_from:
        query = query.where(sa.func.substr(Case.postcode, 1, 4) >= plan.postcode_from)
    if plan.postcode_to:
        query = query.where(sa.func.substr(Case.postcode, 1, 4) <= plan.postcode_to)
    if plan.age_min is not None:
        query = query.where(Case.birth_date <= _years_before(today, plan.age_min))
    if plan.age_max is not None:
        query = query.where(Case.birth_date > _years_before(today, plan.age_max + 1))
    return query.order_by(Case.id)


@dataclass
class WavePreview:
    plan: WavePlan
    pool_total: int
    matching: int
    eligible: int
    selected_ids: list[int]
    held: Counter[str] = field(default_factory=Counter)
    response_rate: float | None = None
    calls_per_day: float | None = None

    @property
    def held_rows(self) -> list[tuple[str, int]]:
        return [(GUARDS.get(code, code), count) for code, count in self.held.most_common()]


def preview(session: orm.Session, campaign: Campaign, plan: WavePlan, today: dt.date) -> WavePreview:
    all_plan = WavePlan(size=1)
    pool = pool_query(campaign, all_plan, today).subquery()
    pool_total = session.scalar(sa.select(sa.func.count()).select_from(pool))
    ids = list(session.scalars(pool_query(campaign, plan, today)))
    facts = load_facts(session, ids, today)
    ladder = load_ladders(session, [campaign.id])[campaign.id]
    held: Counter[str] = Counter()
    eligible: list[int] = []
    for case_id in ids:
        found = blockers(facts[case_id], ladder, 1, today)
        if found:
            held[found[0].code] += 1
        else:
            eligible.append(case_id)
    if plan.sample:
        selected = sorted(random.Random(plan.seed).sample(eligible, min(plan.size, len(eligible))))
    else:
        selected = eligible[: plan.size]
    result = WavePreview(
        plan=plan,
        pool_total=pool_total or 0,
        matching=len(ids),
        eligible=len(eligible),
        selected_ids=selected,
        held=held,
    )
    result.response_rate = response_rate(session, campaign)
    if result.response_rate is not None:
        # Most people react within the two weeks (ten working days) after the letter.
        result.calls_per_day = len(selected) * result.response_rate / 10
    return result


def response_rate(session: orm.Session, campaign: Campaign) -> float | None:
    """Share of people written to so far who contacted the phone team after their first letter."""
    dispatched = (
        sa.select(Letter.case_id, Letter.dispatched_on)
        .join(Case, Case.id == Letter.case_id)
        .where(Case.campaign_id == campaign.id, Letter.step == 1, Letter.status == "verzonden")
        .subquery()
    )
    written = session.scalar(sa.select(sa.func.count()).select_from(dispatched))
    if not written:
        return None
    reacted = session.scalar(
        sa.select(sa.func.count(sa.distinct(Contact.case_id))).join(dispatched, dispatched.c.case_id == Contact.case_id)
    )
    return (reacted or 0) / written


def new_token() -> str:
    return uuid.uuid4().hex


@dataclass
class LaunchResult:
    wave: Wave
    batch: PrintBatch | None
    letters: int
    already_launched: bool = False


def launch(
    session: orm.Session,
    actor: audit.Actor,
    campaign: Campaign,
    plan: WavePlan,
    today: dt.date,
    *,
    token: str,
    letter_date: dt.date | None = None,
) -> LaunchResult:
    """Create the wave, its invitations (after the guards) and their print batch. Idempotent per token."""
    token = (token or "").strip()[:64]
    if not token:
        raise InvalidInput("Het formulier is niet compleet; laad de pagina opnieuw.")
    for wave in session.scalars(sa.select(Wave).where(Wave.campaign_id == campaign.id)):
        if (wave.filters or {}).get("token") == token:
            batch = session.scalar(sa.select(PrintBatch).where(PrintBatch.wave_id == wave.id).limit(1))
            return LaunchResult(wave=wave, batch=batch, letters=wave.size, already_launched=True)
    found = preview(session, campaign, plan, today)
    if not found.selected_ids:
        raise InvalidInput("Er is niemand in de pool die nu een uitnodiging kan krijgen met deze keuze.")
    templates.current_version(session, campaign.id, "uitnodiging")
    number = (session.scalar(sa.select(sa.func.max(Wave.number)).where(Wave.campaign_id == campaign.id)) or 0) + 1
    wave = Wave(
        campaign_id=campaign.id,
        number=number,
        name=plan.name or f"Golf {number}",
        size=0,
        filters=plan.filters() | {"token": token, "omschrijving": plan.describe()},
        seed=plan.seed,
        created_by=actor.user_id,
        launched_on=today,
    )
    try:
        session.add(wave)
        session.flush()
        letters = create_step_letters(session, campaign, found.selected_ids, 1, today, actor.user_id)
    except sa.exc.IntegrityError:  # someone launched a wave with some of the same people at the same moment
        raise StaleData(
            "Tegelijk is een andere golf gestart met (een deel van) dezelfde mensen. Er is niets gemaakt; "
            "bekijk het voorbeeld opnieuw."
        ) from None
    wave.size = len(letters)
    batch = None
    if letters:
        case_ids = [letter.case_id for letter in letters]
        for start in range(0, len(case_ids), 2000):
            session.execute(
                sa.update(Case)
                .where(Case.id.in_(case_ids[start : start + 2000]))
                .values(wave_id=wave.id, version=Case.version + 1)
                .execution_options(synchronize_session=False)
            )
        batch = create_batch(
            session, campaign.id, [letter.id for letter in letters], actor.user_id,
            letter_date=letter_date or today, wave_id=wave.id,
        )  # fmt: skip
    audit.record(session, actor, "create", "wave", wave.id, purpose=f"golf {number} gestart: {len(letters)} brieven")
    return LaunchResult(wave=wave, batch=batch, letters=len(letters))


def waves_overview(session: orm.Session, campaign: Campaign) -> list[tuple[Wave, list[PrintBatch]]]:
    waves = session.scalars(sa.select(Wave).where(Wave.campaign_id == campaign.id).order_by(Wave.number.desc())).all()
    batches = session.scalars(
        sa.select(PrintBatch).where(PrintBatch.campaign_id == campaign.id).order_by(PrintBatch.id)
    ).all()
    by_wave: dict[int | None, list[PrintBatch]] = {}
    for batch in batches:
        by_wave.setdefault(batch.wave_id, []).append(batch)
    return [(wave, by_wave.get(wave.id, [])) for wave in waves]
