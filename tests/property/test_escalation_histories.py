"""Random histories (letters, dispatches, UWV lists, exemptions, pauses, returns, no-action reasons, corrections
and withdrawals after dispatch, ticks on random days) and, after every tick, the promises of issue 7 checked from
the raw tables (not via the guards)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign.case_facts import latest_lists, load_facts, load_ladders
from campaign.dates import deadline_after, is_working_day
from campaign.errors import IllegalTransition
from campaign.escalation import create_step_letters
from campaign.guards import blockers, first_guard_sql, freshness_blocker, person_blockers
from campaign.lifecycle import refresh_cases
from campaign.models import (
    Case,
    Exemption,
    ExemptionType,
    Letter,
    Pause,
    SanctionProposal,
    UwvList,
    UwvRegistration,
)
from campaign.tick import run_tick
from letters import followups
from tests.escalation_support import ACTOR, make_campaign, make_cases

N = 4
START = dt.date(2026, 9, 1)
who = st.integers(0, N - 1)
ACTIONS = st.one_of(
    st.tuples(st.just("advance"), st.integers(1, 12)),
    st.tuples(st.just("launch"), st.lists(who, min_size=1, max_size=N, unique=True)),
    st.tuples(st.just("dispatch"), st.integers(0, 3)),
    st.tuples(st.just("uwv"), st.integers(0, 12), st.lists(who, unique=True, max_size=N)),
    st.tuples(st.just("exemption"), who, st.sampled_from(["aangevraagd", "verleend", "geweigerd"]), st.integers(1, 30)),
    st.tuples(st.just("pause"), who, st.sampled_from(["retour", "detentie", "zegt_ingeschreven"]), st.integers(0, 20)),
    st.tuples(st.just("returned"), who),
    st.tuples(st.just("no_action"), who, st.sampled_from(["OVERLEDEN", "VERHUISD", None])),
    st.tuples(st.just("cancel"), who),
    st.tuples(st.just("correct"), who),
    st.tuples(st.just("withdraw"), who),
    st.tuples(st.just("uwv_ended"), st.integers(0, 12), who, st.integers(-3, 3)),
    st.just(("tick",)),
)
#: Letter statuses that no longer count for their step (the live-letter rule, restated here for the oracle).
NOT_LIVE = ("geannuleerd", "vervangen", "ingetrokken")


class World:
    def __init__(self, session):
        self.s = session
        self.campaign = make_campaign(session)
        self.cases = make_cases(session, self.campaign, N)
        self.ids = [c.id for c in self.cases]
        self.today = START
        kind = session.scalar(sa.select(ExemptionType).where(ExemptionType.code == "prop"))
        if kind is None:
            kind = ExemptionType(code="prop", label="Medische reden")
            session.add(kind)
            session.flush()
        self.kind = kind

    def refresh(self, ids=None):
        refresh_cases(self.s, ids or self.ids, self.today, None)

    def apply(self, action):  # noqa: C901 - one branch per kind of fact
        s, name = self.s, action[0]
        if name == "advance":
            self.today += dt.timedelta(days=action[1])
        elif name == "launch":
            create_step_letters(s, self.campaign, [self.ids[i] for i in action[1]], 1, self.today, None)
        elif name == "dispatch":
            # the print room dispatches what is waiting, some days later (never in the future)
            on = self.today
            for letter in s.scalars(
                sa.select(Letter).where(Letter.case_id.in_(self.ids), Letter.status == "aangemaakt")
            ):
                step = self.campaign.step(letter.step)
                letter.status, letter.dispatched_on, letter.letter_date = "verzonden", on, on
                if step.deadline_days:
                    letter.deadline = deadline_after(on, step.deadline_days)
            self.refresh()
        elif name == "uwv":
            lst = UwvList(campaign_id=self.campaign.id, peildatum=self.today - dt.timedelta(days=action[1]))
            s.add(lst)
            s.flush()
            for i in action[2]:
                s.add(UwvRegistration(uwv_list_id=lst.id, case_id=self.ids[i], registered_on=lst.peildatum))
            self.refresh()
        elif name == "exemption":
            _, i, status, days = action
            ex = Exemption(case_id=self.ids[i], type_id=self.kind.id, status=status, requested_on=self.today)
            if status == "verleend":
                ex.starts_on, ex.ends_on = self.today, self.today + dt.timedelta(days=days)
            s.add(ex)
            self.refresh([self.ids[i]])
        elif name == "pause":
            _, i, reason, days = action
            until = self.today + dt.timedelta(days=days) if days else None
            s.add(Pause(case_id=self.ids[i], reason=reason, starts_on=self.today, until=until))
            self.refresh([self.ids[i]])
        elif name == "returned":
            letter = s.scalar(
                sa.select(Letter)
                .where(Letter.case_id == self.ids[action[1]], Letter.status == "verzonden")
                .order_by(Letter.step.desc())
                .limit(1)
            )
            if letter is not None and letter.returned_on is None:
                letter.returned_on = self.today
                self.refresh([letter.case_id])
        elif name == "no_action":
            case = s.get(Case, self.ids[action[1]])
            case.no_action_reason = action[2]
            self.refresh([case.id])
        elif name == "cancel":
            for letter in s.scalars(
                sa.select(Letter).where(Letter.case_id == self.ids[action[1]], Letter.status == "aangemaakt")
            ):
                letter.status, letter.cancel_reason = "geannuleerd", "test"
            self.refresh([self.ids[action[1]]])
        elif name in ("correct", "withdraw"):
            letter = s.scalar(
                sa.select(Letter)
                .where(
                    Letter.case_id == self.ids[action[1]],
                    Letter.status == "verzonden",
                    Letter.correction_of_id.is_(None),
                )
                .order_by(Letter.step.desc())
                .limit(1)
            )
            if letter is not None:
                try:
                    if name == "correct":
                        followups.create_replacement(s, ACTOR, letter, "Het telefoonnummer klopte niet", self.today)
                    else:
                        followups.withdraw(s, ACTOR, letter, "Verkeerde persoon aangeschreven", self.today)
                except IllegalTransition:  # refused with a reason (e.g. a later step exists): nothing changed
                    pass
                s.flush()
        elif name == "uwv_ended":
            # a list on which one person was registered on ``deadline + offset`` and deregistered again since
            _, age, i, offset = action
            lst = UwvList(campaign_id=self.campaign.id, peildatum=self.today - dt.timedelta(days=age))
            s.add(lst)
            s.flush()
            ultimatum = self.live_ultimatum(self.ids[i])
            if ultimatum is not None and ultimatum.deadline is not None:
                on = ultimatum.deadline + dt.timedelta(days=offset)
                if on < lst.peildatum:
                    s.add(UwvRegistration(uwv_list_id=lst.id, case_id=self.ids[i], registered_on=on,
                                          ended_on=on + dt.timedelta(days=1)))  # fmt: skip
            self.refresh()
        elif name == "tick":
            before = set(s.scalars(sa.select(Letter.id).where(Letter.case_id.in_(self.ids))))
            proposals_before = set(
                s.scalars(sa.select(SanctionProposal.id).where(SanctionProposal.case_id.in_(self.ids)))
            )
            run_tick(s, self.campaign, self.today, ACTOR)
            s.flush()
            new = s.scalars(sa.select(Letter).where(Letter.case_id.in_(self.ids), Letter.id.not_in(before))).all()
            new_proposals = s.scalars(
                sa.select(SanctionProposal).where(
                    SanctionProposal.case_id.in_(self.ids), SanctionProposal.id.not_in(proposals_before)
                )
            ).all()
            self.check(new, new_proposals)
            self.check_sql_guards_agree()

    # ------------------------------------------------------------------ the oracle, from the raw tables
    def latest_list(self):
        return self.s.scalar(
            sa.select(UwvList)
            .where(UwvList.campaign_id == self.campaign.id)
            .order_by(UwvList.peildatum.desc(), UwvList.id.desc())
            .limit(1)
        )

    def held(self, case_id) -> str | None:
        s, today = self.s, self.today
        case = s.get(Case, case_id)
        if case.no_action_reason:
            return "no-action reason"
        lst = self.latest_list()
        if lst is not None:
            reg = s.scalar(
                sa.select(UwvRegistration).where(
                    UwvRegistration.uwv_list_id == lst.id, UwvRegistration.case_id == case_id
                )
            )
            if reg is not None and reg.is_registered_on(lst.peildatum):
                return "registered"
        for ex in s.scalars(sa.select(Exemption).where(Exemption.case_id == case_id)):
            if ex.is_pending or ex.is_active_on(today):
                return "exempt"
        for pause in s.scalars(sa.select(Pause).where(Pause.case_id == case_id)):
            if pause.is_active_on(today) and not (
                pause.reason == "zegt_ingeschreven" and lst is not None and lst.peildatum >= pause.starts_on
            ):
                return "paused"
        returned = s.scalar(
            sa.select(sa.func.count())
            .select_from(Letter)
            .where(Letter.case_id == case_id, Letter.returned_on.is_not(None), *self.live(Letter))
        )
        if returned:
            return "returned mail"
        return None

    @staticmethod
    def live(letter) -> tuple:
        return (letter.status.not_in(NOT_LIVE), letter.correction_of_id.is_(None))

    def live_ultimatum(self, case_id) -> Letter | None:
        ultimatum = next(st.position for st in self.campaign.steps if st.kind == "ultimatum")
        return self.s.scalar(
            sa.select(Letter).where(
                Letter.case_id == case_id, Letter.step == ultimatum, Letter.status == "verzonden", *self.live(Letter)
            )
        )

    def check_sql_guards_agree(self):
        """The tick's one-statement guards (SQL) give the same first guard as the Python guards."""
        s, today = self.s, self.today
        facts = load_facts(s, self.ids, today)
        ladder = load_ladders(s, [self.campaign.id])[self.campaign.id]
        latest = latest_lists(s, [self.campaign.id]).get(self.campaign.id)
        for step in (1, 2, 3, None):
            sql = dict(
                s.execute(
                    sa.select(Case.id, first_guard_sql(ladder, step, today, latest)).where(Case.id.in_(self.ids))
                ).all()
            )
            for case_id in self.ids:
                if step is None:
                    found = person_blockers(facts[case_id], ladder, today)
                    stale = freshness_blocker(facts[case_id], ladder, today, required=True)
                    found += [stale] if stale else []
                else:
                    found = blockers(facts[case_id], ladder, step, today)
                assert sql[case_id] == (found[0].code if found else None), f"SQL and Python guards differ (step {step})"

    def check(self, new_letters, new_proposals):
        s, today = self.s, self.today
        lst = self.latest_list()
        for letter in new_letters:
            assert self.held(letter.case_id) is None, f"letter for a case that is {self.held(letter.case_id)}"
            previous = s.scalar(
                sa.select(Letter).where(
                    Letter.case_id == letter.case_id, Letter.step == letter.step - 1, *self.live(Letter)
                )
            )
            assert previous is not None and previous.status == "verzonden", "a step before the previous was sent"
            delay = self.campaign.step(letter.step).delay_days
            assert previous.dispatched_on + dt.timedelta(days=delay) <= today, "a step before its delay"
            assert lst is not None and (today - lst.peildatum).days <= self.campaign.uwv_freshness_days, "stale list"
        live = s.execute(
            sa.select(Letter.case_id, Letter.step, sa.func.count())
            .where(Letter.case_id.in_(self.ids), *self.live(Letter))
            .group_by(Letter.case_id, Letter.step)
        ).all()
        assert all(n == 1 for _, _, n in live), "two letters for one step"
        for proposal in new_proposals:
            assert self.held(proposal.case_id) is None, "a proposal for a held case"
            letter = self.live_ultimatum(proposal.case_id)
            assert letter is not None, "a proposal without a dispatched ultimatum"
            assert letter.deadline < today, "a proposal before the deadline"
            assert proposal.ultimatum_deadline == letter.deadline, "a proposal on a replaced ultimatum's deadline"
            used = s.get(UwvList, proposal.uwv_list_id)
            in_time = s.scalar(
                sa.select(sa.func.count()).where(
                    UwvRegistration.uwv_list_id == used.id,
                    UwvRegistration.case_id == proposal.case_id,
                    UwvRegistration.registered_on <= letter.deadline,
                    sa.or_(UwvRegistration.ended_on.is_(None), UwvRegistration.ended_on > letter.deadline),
                )
            )
            assert not in_time, "a proposal for someone registered on or before the deadline"
            assert used.peildatum >= letter.deadline, "a proposal on a list from before the deadline"
            assert (today - used.peildatum).days <= self.campaign.uwv_freshness_days, "a proposal on a stale list"
        for (deadline,) in s.execute(
            sa.select(Letter.deadline).where(Letter.case_id.in_(self.ids), Letter.deadline.is_not(None))
        ):
            assert is_working_day(deadline), "a deadline on a weekend or holiday"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=st.lists(ACTIONS, min_size=5, max_size=40))
def test_random_histories_keep_every_promise(session, history):
    world = World(session)
    for action in [("launch", list(range(N))), *history, ("tick",)]:
        world.apply(action)
    session.rollback()


AFTER_DISPATCH = st.one_of(
    st.tuples(st.just("correct"), who),
    st.tuples(st.just("withdraw"), who),
    st.tuples(st.just("uwv_ended"), st.just(0), who, st.integers(-3, 3)),
)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    gaps=st.lists(st.integers(3, 9), min_size=8, max_size=16),
    registered=st.lists(who, unique=True, max_size=2),
    changes=st.dictionaries(st.integers(0, 30), AFTER_DISPATCH, max_size=4),
)
def test_a_full_ladder_run_with_lists_every_few_days_keeps_every_promise(session, gaps, registered, changes):
    """Histories that actually climb the ladder up to proposals (random ones rarely get that far), with
    corrections, withdrawals and registrations around the deadline on the way."""
    world = World(session)
    world.apply(("launch", list(range(N))))
    world.apply(("dispatch", 0))
    for round_number, gap in enumerate(gaps * 3):
        world.apply(("advance", gap))
        world.apply(("uwv", 1, registered if gap % 3 == 0 else []))
        if round_number in changes:
            world.apply(changes[round_number])
        world.apply(("tick",))
        world.apply(("dispatch", 0))
    proposals = session.scalar(
        sa.select(sa.func.count()).select_from(SanctionProposal).where(SanctionProposal.case_id.in_(world.ids))
    )
    assert proposals >= 1, "the ladder was climbed up to a sanction proposal"
    session.rollback()
