"""After dispatch only a correction or a withdrawal; returned mail is sent again to the new address."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from campaign import sanctions
from campaign.case_changes import FieldErrors
from campaign.dates import deadline_after
from campaign.errors import IllegalTransition, InvalidInput
from campaign.escalation import create_step_letters
from campaign.models import AuditEvent, CaseEvent, Letter, Pause, ReviewTask, SanctionProposal, live_letter
from campaign.phone import NewAddress
from campaign.tick import run_tick
from letters import batches, followups, returned
from tests.escalation_support import (
    ACTOR,
    dispatch,
    make_campaign,
    make_cases,
    ordinance,
    statuses,
    to_proposal,
    track_people,
    uwv_list,
)

D1 = dt.date(2026, 9, 1)  # a Tuesday
ANSWERS = {
    "bereikt": "ja", "kon_inschrijven": "ja", "zienswijze": "", "dringende_redenen": "geen",
    "blame": "volledig", "proposed_outcome": "verlaging", "motivation": "Drie brieven ontvangen, geen reactie.",
}  # fmt: skip


def invited(session, n: int = 1):
    """A campaign whose cases got their invitation, dispatched on D1."""
    campaign = make_campaign(session)
    cases = make_cases(session, campaign, n)
    letters = create_step_letters(session, campaign, [c.id for c in cases], 1, D1, None)
    dispatch(session, letters, D1)
    return campaign, cases, letters


def step_letters(session, case, step: int) -> list[Letter]:
    return list(
        session.scalars(sa.select(Letter).where(Letter.case_id == case.id, Letter.step == step).order_by(Letter.id))
    )


def live_ids(session, case) -> list[tuple[int, int]]:
    rows = session.execute(
        sa.select(Letter.step, Letter.id).where(Letter.case_id == case.id, live_letter()).order_by(Letter.step)
    )
    return [tuple(row) for row in rows]


def to_ultimatum(session):
    """Invitation, reminder and ultimatum dispatched 14 days apart; returns (campaign, case, ultimatum)."""
    campaign, (case,), _ = invited(session)
    day = D1
    for step in (2, 3):
        day += dt.timedelta(days=14)
        uwv_list(session, campaign, day)
        run_tick(session, campaign, day, ACTOR)
        dispatch(session, step_letters(session, case, step), day)
    return campaign, case, step_letters(session, case, 3)[0]


def proposals(session, case) -> list[SanctionProposal]:
    return list(session.scalars(sa.select(SanctionProposal).where(SanctionProposal.case_id == case.id)))


@pytest.fixture
def people(session):
    return track_people(session)


def test_a_correction_supersedes_the_dispatched_letter_and_the_step_keeps_exactly_one_live_letter(session, people):
    _campaign, (case,), (letter,) = invited(session)
    new = followups.create_replacement(session, people["pl"], letter, "Het telefoonnummer klopte niet", D1)
    assert (letter.status, new.status, new.replaces_id, new.step, new.kind) == (
        "vervangen", "aangemaakt", letter.id, 1, "uitnodiging",
    )  # fmt: skip
    assert new.data["notice"] == "Deze brief vervangt onze brief van 1 september 2026. Het telefoonnummer klopte niet."
    assert live_ids(session, case) == [(1, new.id)]
    assert new.id in batches.unbatched_letter_ids(session, case.campaign_id, 1)  # normal print flow
    history = session.scalars(sa.select(CaseEvent.summary).where(CaseEvent.case_id == case.id)).all()
    assert any(s.startswith("Correctiebrief: stap 1 (Uitnodiging) vervangt de brief van 1 september") for s in history)
    assert session.scalar(
        sa.select(AuditEvent.purpose).where(AuditEvent.object_type == "letter", AuditEvent.object_id == str(new.id))
    ).startswith("correctiebrief")


def test_a_second_submit_makes_no_second_replacement_and_the_database_refuses_one_too(session, people):
    _campaign, (case,), (letter,) = invited(session)
    new = followups.create_replacement(session, people["pl"], letter, "Het telefoonnummer klopte niet", D1)
    with pytest.raises(IllegalTransition, match=f"al vervangen door brief {new.id}"):
        followups.create_replacement(session, people["pl"], letter, "Het telefoonnummer klopte niet", D1)
    assert len(step_letters(session, case, 1)) == 2
    session.add(Letter(case_id=case.id, step=1, kind="uitnodiging", status="vervangen", replaces_id=letter.id))
    with pytest.raises(sa_exc.IntegrityError):
        session.flush()


def test_bad_input_is_refused_with_a_dutch_message_and_changes_nothing(session, people):
    campaign, (case,), (letter,) = invited(session)
    with pytest.raises(InvalidInput, match="uitleg van wat er niet klopte"):
        followups.create_replacement(session, people["pl"], letter, "  ", D1)
    with pytest.raises(InvalidInput, match="reden van de intrekking"):
        followups.withdraw(session, people["pl"], letter, "", D1)
    uwv_list(session, campaign, D1 + dt.timedelta(days=14))
    run_tick(session, campaign, D1 + dt.timedelta(days=14), ACTOR)
    (reminder,) = step_letters(session, case, 2)
    with pytest.raises(IllegalTransition, match="nog niet verzonden"):
        followups.withdraw(session, people["pl"], reminder, "Per ongeluk gemaakt", D1)
    with pytest.raises(IllegalTransition, match=f"al brief {reminder.id} voor stap 2"):
        followups.withdraw(session, people["pl"], letter, "Verkeerde persoon aangeschreven", D1)
    assert (letter.status, reminder.status) == ("verzonden", "aangemaakt")
    assert len(live_ids(session, case)) == 2


def test_cancelling_a_replacement_before_its_dispatch_makes_the_original_count_again(session, people):
    _campaign, (case,), (letter,) = invited(session)
    new = followups.create_replacement(session, people["pl"], letter, "Het telefoonnummer klopte niet", D1)
    assert batches.cancel_letter(session, people["pl"], new, "Toch niet nodig", D1)
    session.refresh(letter)
    assert (letter.status, new.status) == ("verzonden", "geannuleerd")
    assert live_ids(session, case) == [(1, letter.id)]
    again = followups.create_replacement(session, people["pl"], letter, "Nu echt: het nummer klopte niet", D1)
    assert again.replaces_id == letter.id  # a cancelled replacement does not block a new one


def test_a_corrected_ultimatum_moves_the_proposal_to_after_the_new_deadline(session, people):
    campaign, case, ultimatum = to_ultimatum(session)
    old_deadline = ultimatum.deadline
    new = followups.create_replacement(session, people["pl"], ultimatum, "De termijn in de brief was te kort", D1)
    uwv_list(session, campaign, old_deadline)
    run_tick(session, campaign, old_deadline + dt.timedelta(days=1), ACTOR)
    assert proposals(session, case) == []  # the replacement is not even sent yet
    sent = old_deadline - dt.timedelta(days=7)
    dispatch(session, [new], sent)
    new_deadline = deadline_after(sent, 14)
    assert new.deadline == new_deadline > old_deadline
    run_tick(session, campaign, old_deadline + dt.timedelta(days=2), ACTOR)
    assert proposals(session, case) == []
    uwv_list(session, campaign, new_deadline)
    run_tick(session, campaign, new_deadline + dt.timedelta(days=1), ACTOR)
    (proposal,) = proposals(session, case)
    assert proposal.ultimatum_deadline == new_deadline


def test_correcting_an_ultimatum_ends_a_proposal_not_yet_approved(session, people):
    _campaign, (case,), _day = to_proposal(session)
    ultimatum = step_letters(session, case, 3)[0]
    followups.create_replacement(session, people["pl"], ultimatum, "De termijn in de brief was te kort", _day)
    (proposal,) = proposals(session, case)
    assert proposal.status == "ingetrokken" and "laatste oproep is vervangen" in proposal.withdrawn_reason


def _intent_sent(session, people):
    ordinance(session)
    campaign, (case,), day = to_proposal(session)
    (proposal,) = proposals(session, case)
    sanctions.assess(session, proposal, people["pl"], ANSWERS, day)
    intent = sanctions.approve(session, proposal, people["b1"], day)
    dispatch(session, [intent], day)
    return campaign, case, proposal, intent, day


def test_withdrawing_a_notice_of_intent_ends_the_proposal_and_queues_a_withdrawal_notice(session, people):
    campaign, case, proposal, intent, day = _intent_sent(session, people)
    notice = followups.withdraw(session, people["pl"], intent, "De persoon was in die periode opgenomen", day)
    assert (intent.status, intent.withdrawn_on, intent.withdrawn_reason) == (
        "ingetrokken", day, "De persoon was in die periode opgenomen",
    )  # fmt: skip
    assert (notice.kind, notice.step, notice.correction_of_id, notice.status) == (
        "intrekking", intent.step, intent.id, "aangemaakt",
    )  # fmt: skip
    assert notice.data["ingetrokken_onderwerp"] == "Wij zijn van plan uw uitkering te verlagen"
    assert (proposal.status, proposal.withdrawn_reason) == (
        "ingetrokken", "Voornemen ingetrokken: De persoon was in die periode opgenomen",
    )  # fmt: skip
    assert statuses(session, [case]) == ["termijn_verstreken"]
    run_tick(session, campaign, day + dt.timedelta(days=1), ACTOR)
    assert len(proposals(session, case)) == 1  # the track ended: no new proposal on the same ultimatum
    with pytest.raises(IllegalTransition, match="al ingetrokken"):
        followups.withdraw(session, people["pl"], intent, "Nog een keer ingetrokken", day)
    summaries = session.scalars(sa.select(CaseEvent.summary).where(CaseEvent.case_id == case.id)).all()
    assert any(s.startswith("Brief stap 4 (Voornemen maatregel) van") and "ingetrokken" in s for s in summaries)


def test_undoing_a_proposal_whose_notice_of_intent_was_replaced_is_refused(session, people):
    _campaign, _case, proposal, intent, day = _intent_sent(session, people)
    later = day + dt.timedelta(days=7)
    new = followups.create_replacement(session, people["pl"], intent, "De motivering noemde de verkeerde datum", later)
    assert proposal.intent_letter_id == new.id
    assert proposal.view_deadline == deadline_after(later, 14) > intent.deadline  # a new view period, as on approval
    with pytest.raises(IllegalTransition, match="vervangende brief"):
        sanctions.undo(session, proposal, people["pl"], "Toch maar niet", day)


def test_a_withdrawn_decision_shows_in_the_decisions_export_and_its_review_task_is_closed(session, people):
    campaign, case, proposal, intent, _day = _intent_sent(session, people)
    later = intent.deadline + dt.timedelta(days=1)
    decision = sanctions.decide(session, proposal, people["b2"], later, "verlaging", "Niet ingeschreven, drie brieven.")
    dispatch(session, [decision], later)
    followups.withdraw(session, people["pl"], decision, "De uitkering was al beëindigd", later)
    assert proposal.status == "ingetrokken"
    task = session.scalar(sa.select(ReviewTask).where(ReviewTask.proposal_id == proposal.id))
    assert task.done_on == later and "ingetrokken" in task.note
    (row,) = sanctions.decision_rows(session, campaign.id)
    assert row[0] == case.reference
    assert row[-1] == f"Ingetrokken op {later.day} oktober 2026: De uitkering was al beëindigd"
    assert sanctions.previous_decisions(session, case, later) == []  # no recidive from a withdrawn decision


def test_a_withdrawn_reminder_lets_the_tick_send_the_step_again_when_due(session, people):
    campaign, (case,), _ = invited(session)
    day = D1 + dt.timedelta(days=14)
    uwv_list(session, campaign, day)
    run_tick(session, campaign, day, ACTOR)
    (reminder,) = step_letters(session, case, 2)
    dispatch(session, [reminder], day)
    notice = followups.withdraw(
        session, people["pl"], reminder, "Verstuurd met een verkeerde UWV-lijst", day + dt.timedelta(days=1)
    )
    assert live_ids(session, case) == [(1, step_letters(session, case, 1)[0].id)]
    run_tick(session, campaign, day + dt.timedelta(days=2), ACTOR)
    again = [letter for letter in step_letters(session, case, 2) if letter.id not in (reminder.id, notice.id)]
    assert [(letter.kind, letter.status, letter.correction_of_id) for letter in again] == [
        ("herinnering", "aangemaakt", None)
    ]


def test_a_withdrawal_with_a_no_action_reason_stops_the_ladder(session, people):
    campaign, (case,), (letter,) = invited(session)
    followups.withdraw(session, people["pl"], letter, "Overleden voor de brief kwam", D1, no_action_reason="OVERLEDEN")
    assert case.no_action_reason == "OVERLEDEN" and statuses(session, [case]) == ["geen_actie"]
    with pytest.raises(InvalidInput, match="reden geen actie"):
        followups.withdraw(session, people["pl"], letter, "Overleden", D1, no_action_reason="ONZIN")


def test_sending_again_after_returned_mail_releases_the_pause_and_the_tick_counts_from_the_new_dispatch(
    session, people
):
    campaign, (case,), (letter,) = invited(session)
    returned.register_returned(session, people["pl"], campaign.id, case.reference, D1 + dt.timedelta(days=3))
    assert [c.id for c, _p in returned.address_research_list(session, campaign.id, D1 + dt.timedelta(days=3))] == [
        case.id
    ]
    bad = NewAddress(street="", house_number="x", postcode="12", city="Rotterdam")
    with pytest.raises(FieldErrors) as refused:
        returned.address_found(session, people["pl"], case, bad, D1, expected_version=case.version)
    assert refused.value.errors["postcode"].startswith("Vul een Nederlandse postcode in")
    assert case.street == "Coolsingel" and returned.open_retour_pause(session, case.id) is not None
    found_on = D1 + dt.timedelta(days=6)
    address = NewAddress(street="Kleiweg", house_number="7", postcode="3051 GH", city="Rotterdam")
    messages = returned.address_found(session, people["pl"], case, address, found_on, expected_version=case.version)
    assert any("opnieuw gestuurd naar het nieuwe adres" in m for m in messages)
    pause = session.scalar(sa.select(Pause).where(Pause.case_id == case.id, Pause.reason == "retour"))
    assert (pause.released_on, pause.release_reason) == (found_on, "Adres gevonden")
    assert returned.address_research_list(session, campaign.id, found_on) == []
    old, new = step_letters(session, case, 1)
    assert (old.status, new.replaces_id, new.address[1:]) == ("vervangen", old.id, ["Kleiweg 7", "3051 GH  ROTTERDAM"])
    assert "kwam bij ons terug" in new.data["notice"]
    sent = found_on + dt.timedelta(days=1)
    dispatch(session, [new], sent)
    uwv_list(session, campaign, D1 + dt.timedelta(days=14))
    run_tick(session, campaign, D1 + dt.timedelta(days=14), ACTOR)
    assert step_letters(session, case, 2) == []  # 14 days from the new dispatch, not from the first
    uwv_list(session, campaign, sent + dt.timedelta(days=14))
    run_tick(session, campaign, sent + dt.timedelta(days=14), ACTOR)
    assert [letter.kind for letter in step_letters(session, case, 2)] == ["herinnering"]


def test_a_returned_letter_is_not_sent_again_to_someone_registered_meanwhile(session, people):
    campaign, (case,), (letter,) = invited(session)
    returned.register_returned(session, people["pl"], campaign.id, case.reference, D1 + dt.timedelta(days=3))
    uwv_list(session, campaign, D1 + dt.timedelta(days=5), {case.id: D1 + dt.timedelta(days=4)})
    address = NewAddress(street="Kleiweg", house_number="7", postcode="3051 GH", city="Rotterdam")
    found_on = D1 + dt.timedelta(days=6)
    messages = returned.address_found(session, people["pl"], case, address, found_on, expected_version=case.version)
    assert any(m.startswith("De brief wordt niet opnieuw gestuurd: Ingeschreven bij UWV") for m in messages)
    assert [lt.status for lt in step_letters(session, case, 1)] == ["verzonden"]
    assert case.street == "Kleiweg" and returned.address_research_list(session, campaign.id, found_on) == []
    assert statuses(session, [case]) == ["ingeschreven"]


def test_address_unknown_ends_the_research_with_the_no_action_reason(session, people):
    campaign, (case,), _ = invited(session)
    day = D1 + dt.timedelta(days=3)
    returned.register_returned(session, people["pl"], campaign.id, case.reference, day)
    returned.address_unknown(session, people["pl"], case, day, expected_version=case.version)
    assert case.no_action_reason == "ADRES_ONBEKEND" and statuses(session, [case]) == ["geen_actie"]
    assert returned.address_research_list(session, campaign.id, day) == []
    with pytest.raises(IllegalTransition, match="niet \\(meer\\) op de werklijst"):
        returned.address_unknown(session, people["pl"], case, day, expected_version=case.version)


def test_a_cancelled_withdrawal_notice_is_made_again_because_the_withdrawal_stands(session, people):
    _campaign, (case,), (letter,) = invited(session)
    notice = followups.withdraw(session, people["pl"], letter, "Verkeerde persoon aangeschreven", D1)
    assert batches.cancel_letter(session, people["pl"], notice, "Adres op de brief was oud", D1)
    session.refresh(letter)
    renewed = followups.withdrawal_notice(session, letter)
    assert letter.status == "ingetrokken" and notice.status == "geannuleerd"
    assert renewed is not None and renewed.id != notice.id and renewed.status == "aangemaakt"
    assert renewed.data["reden"] == "Verkeerde persoon aangeschreven."
