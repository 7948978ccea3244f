"""The facts a case's status and guards are derived from, loaded in bulk (a few queries per chunk of cases).

Both ``campaign.lifecycle`` (status) and ``campaign.guards`` (may a letter be made) read these facts,
so the two can never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import sqlalchemy as sa
from sqlalchemy import orm

from campaign.bulk import id_in
from campaign.models import (
    Campaign,
    Case,
    Exemption,
    Letter,
    Pause,
    SanctionProposal,
    UwvList,
    UwvRegistration,
    live_letter,
)

CHUNK = 2000
#: Cases per round of fact queries: their ids travel as one parameter (``campaign.bulk.id_in``).
FACT_CHUNK = 20000

#: Ladder step kinds the daily tick sends by itself (after the invitation, up to the ultimatum).
AUTOMATIC_KINDS = ("herinnering", "ultimatum")
#: Ladder step kinds made by the sanction track only.
SANCTION_KINDS = ("voornemen", "besluit")


@dataclass(frozen=True)
class LetterFact:
    step: int
    status: str
    dispatched_on: dt.date | None
    deadline: dt.date | None
    returned_on: dt.date | None

    @property
    def dispatched(self) -> bool:
        return self.status == "verzonden" and self.dispatched_on is not None


@dataclass(frozen=True)
class UwvFact:
    list_id: int
    peildatum: dt.date


@dataclass(frozen=True)
class StepRule:
    position: int
    kind: str
    title: str
    delay_days: int
    deadline_days: int | None


@dataclass(frozen=True)
class Ladder:
    """A campaign's ladder and settings, detached from the session."""

    campaign_id: int
    open: bool
    steps: tuple[StepRule, ...]
    freshness_days: int
    pause_days: int
    view_period_days: int

    @classmethod
    def of(cls, campaign: Campaign) -> Ladder:
        return cls(
            campaign_id=campaign.id,
            open=campaign.status == "open",
            steps=tuple(
                StepRule(s.position, s.kind, s.title, s.delay_days, s.deadline_days)
                for s in sorted(campaign.steps, key=lambda s: s.position)
            ),
            freshness_days=campaign.uwv_freshness_days,
            pause_days=campaign.says_registered_pause_days,
            view_period_days=campaign.view_period_days,
        )

    def step(self, position: int) -> StepRule | None:
        return self._by_position.get(position)

    @cached_property
    def _by_position(self) -> dict[int, StepRule]:
        return {s.position: s for s in reversed(self.steps)}  # reversed: the first of equal positions wins

    @cached_property
    def ultimatum(self) -> StepRule | None:
        return next((s for s in self.steps if s.kind == "ultimatum"), None)

    @property
    def automatic_positions(self) -> list[int]:
        """Steps 2.. that the tick creates (reminders and the ultimatum)."""
        return [s.position for s in self.steps if s.position > 1 and s.kind in AUTOMATIC_KINDS]

    def position_of(self, kind: str) -> int | None:
        return next((s.position for s in self.steps if s.kind == kind), None)


@dataclass
class CaseFacts:
    case_id: int
    campaign_id: int
    no_action_reason: str | None
    letters: dict[int, LetterFact] = field(default_factory=dict)
    latest_list: UwvFact | None = None
    registered: bool = False
    exemption_pending: bool = False
    exemption_active_until: dt.date | None = None
    exemption_active: bool = False
    pause_reason: str | None = None
    pause_until: dt.date | None = None
    proposal_status: str | None = None
    proposal_view_deadline: dt.date | None = None

    @property
    def dispatched_step(self) -> int:
        return max((s for s, letter in self.letters.items() if letter.dispatched), default=0)

    @property
    def paused(self) -> bool:
        return self.pause_reason is not None


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def load_ladders(session: orm.Session, campaign_ids: Iterable[int]) -> dict[int, Ladder]:
    ids = sorted(set(campaign_ids))
    if not ids:
        return {}
    campaigns = session.scalars(
        sa.select(Campaign).where(Campaign.id.in_(ids)).options(orm.selectinload(Campaign.steps))
    ).all()
    return {c.id: Ladder.of(c) for c in campaigns}


def latest_lists(session: orm.Session, campaign_ids: Iterable[int]) -> dict[int, UwvFact]:
    result: dict[int, UwvFact] = {}
    for campaign_id in sorted(set(campaign_ids)):
        row = session.execute(
            sa.select(UwvList.id, UwvList.peildatum)
            .where(UwvList.campaign_id == campaign_id)
            .order_by(UwvList.peildatum.desc(), UwvList.id.desc())
            .limit(1)
        ).first()
        if row is not None:
            result[campaign_id] = UwvFact(row.id, row.peildatum)
    return result


def load_facts(session: orm.Session, case_ids: Iterable[int], today: dt.date) -> dict[int, CaseFacts]:
    """Facts of the given cases as of ``today`` (unknown ids are skipped)."""
    ids = sorted(set(case_ids))
    facts: dict[int, CaseFacts] = {}
    lists_cache: dict[int, UwvFact | None] = {}
    for chunk in chunks(ids, FACT_CHUNK):
        part = _load_cases(session, chunk, lists_cache)
        facts.update(part)
        _load_letters(session, chunk, part)
        _load_registrations(session, chunk, part)
        _load_exemptions(session, chunk, part, today)
        _load_pauses(session, chunk, part, today)
        _load_proposals(session, chunk, part)
    return facts


def _load_cases(session, chunk: list[int], lists_cache: dict[int, UwvFact | None]) -> dict[int, CaseFacts]:
    rows = session.execute(
        sa.select(Case.id, Case.campaign_id, Case.no_action_reason).where(id_in(Case.id, chunk, session))
    ).all()
    part = {row.id: CaseFacts(row.id, row.campaign_id, row.no_action_reason) for row in rows}
    missing = {row.campaign_id for row in rows} - set(lists_cache)
    if missing:
        found = latest_lists(session, missing)
        for campaign_id in missing:
            lists_cache[campaign_id] = found.get(campaign_id)
    for f in part.values():
        f.latest_list = lists_cache.get(f.campaign_id)
    return part


def _load_letters(session, chunk: list[int], part: dict[int, CaseFacts]) -> None:
    for row in session.execute(
        sa.select(
            Letter.case_id, Letter.step, Letter.status, Letter.dispatched_on, Letter.deadline, Letter.returned_on
        ).where(id_in(Letter.case_id, chunk, session), live_letter(Letter))
    ):
        part[row[0]].letters[row[1]] = LetterFact(*row[1:])


def _load_registrations(session, chunk: list[int], part: dict[int, CaseFacts]) -> None:
    """Registered per the latest list: registration date on or before its peildatum, not ended."""
    list_ids = {f.latest_list.list_id for f in part.values() if f.latest_list}
    if not list_ids:
        return
    for row in session.execute(
        sa.select(
            UwvRegistration.case_id,
            UwvRegistration.uwv_list_id,
            UwvRegistration.registered_on,
            UwvRegistration.ended_on,
        ).where(id_in(UwvRegistration.case_id, chunk, session), UwvRegistration.uwv_list_id.in_(list_ids))
    ):
        f = part[row.case_id]
        if f.latest_list is None or f.latest_list.list_id != row.uwv_list_id:
            continue
        check = f.latest_list.peildatum
        if row.registered_on <= check and (row.ended_on is None or row.ended_on > check):
            f.registered = True


def _load_exemptions(session, chunk: list[int], part: dict[int, CaseFacts], today: dt.date) -> None:
    for row in session.execute(
        sa.select(Exemption.case_id, Exemption.status, Exemption.starts_on, Exemption.ends_on).where(
            id_in(Exemption.case_id, chunk, session), Exemption.status.in_(("aangevraagd", "verleend"))
        )
    ):
        f = part[row.case_id]
        if row.status == "aangevraagd":
            f.exemption_pending = True
        elif row.starts_on is not None and row.starts_on <= today and (row.ends_on is None or row.ends_on >= today):
            f.exemption_active = True
            if f.exemption_active_until is None or (row.ends_on and row.ends_on > f.exemption_active_until):
                f.exemption_active_until = row.ends_on


def _load_pauses(session, chunk: list[int], part: dict[int, CaseFacts], today: dt.date) -> None:
    for row in session.execute(
        sa.select(Pause.case_id, Pause.reason, Pause.starts_on, Pause.until).where(
            id_in(Pause.case_id, chunk, session),
            Pause.starts_on <= today,
            sa.or_(Pause.released_on.is_(None), Pause.released_on > today),
            sa.or_(Pause.until.is_(None), Pause.until >= today),
        )
    ):
        f = part[row.case_id]
        if row.reason == "zegt_ingeschreven" and f.latest_list and f.latest_list.peildatum >= row.starts_on:
            continue  # "says registered" holds only until the next UWV list
        f.pause_reason = row.reason
        f.pause_until = row.until


def _load_proposals(session, chunk: list[int], part: dict[int, CaseFacts]) -> None:
    for row in session.execute(
        sa.select(SanctionProposal.case_id, SanctionProposal.status, SanctionProposal.view_deadline)
        .where(id_in(SanctionProposal.case_id, chunk, session), SanctionProposal.status != "ingetrokken")
        .order_by(SanctionProposal.id)
    ):
        f = part[row.case_id]
        f.proposal_status = row.status
        f.proposal_view_deadline = row.view_deadline
