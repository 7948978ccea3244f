"""After dispatch only a correction or a withdrawal (domain.md "Letters"; issues 4 and 7).

- A **replacement letter** (vervangende brief) is a full letter of the same step and kind, with a short notice
  at the top naming the letter it replaces. Creating it sets the dispatched original to "vervangen" in the same
  transaction, so the step always has exactly one live letter; its deadlines count from its own date, so the
  tick and the sanction track wait for it. Cancelling it before dispatch makes the original count again.
  Used for a correction ("Correctiebrief sturen") and to send a returned letter again to a new address.
- A **withdrawal** (intrekking): the dispatched letter becomes "ingetrokken" and a withdrawal notice (kind
  "intrekking", ``correction_of_id`` = the original) goes to the person. A withdrawn notice of intent ends the
  proposal; a withdrawn decision is withdrawn (its review task closed); a withdrawn ladder letter no longer
  counts as sent, so the tick can send that step again.

Every change is a conditional UPDATE on the original's status (a double click changes it once) and the unique
indexes on ``letters`` refuse a second replacement or notice even then. Services never commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import orm

from campaign import audit
from campaign.cases import add_event
from campaign.dates import deadline_after, dutch_date
from campaign.errors import IllegalTransition, InvalidInput
from campaign.escalation import new_letter
from campaign.lifecycle import refresh_cases
from campaign.models import Campaign, Case, Letter, ReviewTask, SanctionProposal, live_letter
from campaign.status import NO_ACTION_REASONS
from letters import render, templates

REASON_MIN = 5
REASON_MAX = 300
#: Keys a replacement adds to the original's frozen data (dropped again when a replacement is replaced).
_OWN_KEYS = ("notice", "replaces_letter_id", "replacement_reason", "replacement_type")
#: What kind of replacement it is: a correction of an error, or the same letter sent again after returned mail.
CORRECTION, RESEND = "correctie", "herzending"


def clean_reason(reason: str, *, what: str) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) < REASON_MIN:
        raise InvalidInput(f"Geef {what} (minstens {REASON_MIN} tekens).", location="reason")
    if len(reason) > REASON_MAX:
        raise InvalidInput(f"De uitleg mag hoogstens {REASON_MAX} tekens lang zijn.", location="reason")
    return reason


def sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else f"{text}."


def letter_label(letter: Letter) -> str:
    return templates.KIND_LABELS.get(letter.kind, letter.kind)


def printed_date(letter: Letter) -> dt.date | None:
    """The date printed on the letter (the dispatch date for letters made before letter dates existed)."""
    return letter.letter_date or letter.dispatched_on


def successor(session: orm.Session, letter: Letter) -> Letter | None:
    """The replacement of a letter that is not cancelled (at most one, by ``uq_letters_replaces_open``)."""
    return session.scalar(
        sa.select(Letter).where(Letter.replaces_id == letter.id, Letter.status != "geannuleerd").limit(1)
    )


def withdrawal_notice(session: orm.Session, letter: Letter) -> Letter | None:
    """The withdrawal notice of a letter that is not cancelled (at most one, by ``uq_letters_withdrawal_open``)."""
    return session.scalar(
        sa.select(Letter).where(Letter.correction_of_id == letter.id, Letter.status != "geannuleerd").limit(1)
    )


def check_followup_possible(session: orm.Session, letter: Letter) -> None:
    """Only a dispatched live letter can be corrected or withdrawn; otherwise a Dutch message saying why not."""
    if letter.correction_of_id is not None:
        raise IllegalTransition(
            "Dit is een intrekkingsbrief. Die kan niet worden gecorrigeerd of ingetrokken; bel de persoon als er "
            "iets niet klopt."
        )
    if letter.status == "vervangen":
        after = successor(session, letter)
        raise IllegalTransition(
            f"Deze brief is al vervangen door brief {after.id if after else '?'}; corrigeer zo nodig die brief."
        )
    if letter.status == "ingetrokken":
        raise IllegalTransition(f"Deze brief is al ingetrokken op {dutch_date(letter.withdrawn_on)}.")
    if letter.status == "geannuleerd":
        raise IllegalTransition("Deze brief is geannuleerd en nooit verzonden.")
    if not letter.is_dispatched:
        raise IllegalTransition(
            "Deze brief is nog niet verzonden. Annuleer hem (in de printbatch of bij Nog te printen); een "
            "correctie of intrekking is pas na verzending nodig."
        )


def _claim(session: orm.Session, letter: Letter, **values) -> None:
    """Move the dispatched original to its new status once; a second submit gets the reason why not."""
    changed = session.execute(
        sa.update(Letter)
        .where(Letter.id == letter.id, Letter.status == "verzonden", Letter.correction_of_id.is_(None))
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(letter)
    if changed == 0:
        check_followup_possible(session, letter)
        raise IllegalTransition("Deze brief is intussen gewijzigd; bekijk het dossier opnieuw.")


def open_proposal(session: orm.Session, case_id: int) -> SanctionProposal | None:
    return session.scalar(
        sa.select(SanctionProposal)
        .where(SanctionProposal.case_id == case_id, SanctionProposal.status != "ingetrokken")
        .order_by(SanctionProposal.id.desc())
        .limit(1)
    )


def _end_open_proposal(session, actor, case: Case, proposal: SanctionProposal, why: str) -> None:
    """A proposal not yet approved ends when the ultimatum it rests on is replaced or withdrawn."""
    proposal.status = "ingetrokken"
    proposal.withdrawn_reason = why[:300]
    add_event(session, case, actor, "maatregel", f"Voorstel maatregel vervallen: {why}")
    audit.record(session, actor, "withdraw", "sanction_proposal", proposal.id, purpose="voorstel vervallen")


def _campaign_open(session: orm.Session, case: Case) -> Campaign:
    campaign = session.get(Campaign, case.campaign_id)
    if campaign.status != "open":
        raise IllegalTransition("De campagne is gesloten; er gaan geen brieven meer uit.")
    return campaign


# -- replacement ------------------------------------------------------------------------------------------------


def create_replacement(
    session: orm.Session,
    actor: audit.Actor,
    letter: Letter,
    reason: str,
    today: dt.date,
    *,
    kind: str = CORRECTION,
) -> Letter:
    """Replace a dispatched letter by a new letter of the same step (status "aangemaakt", to "Nog te printen").

    ``kind`` CORRECTION needs the explanation of what was wrong (printed in the notice); RESEND is the same
    letter sent again after returned mail (to the case's current address)."""
    if kind == CORRECTION:
        reason = clean_reason(reason, what="een uitleg van wat er niet klopte in de brief")
    check_followup_possible(session, letter)
    case = session.get(Case, letter.case_id)
    _campaign_open(session, case)
    proposal = open_proposal(session, case.id)
    dated = dutch_date(printed_date(letter))
    if kind == CORRECTION:
        notice = f"Deze brief vervangt onze brief van {dated}. {sentence(reason)}"
        why = reason
    else:
        notice = (
            f"Deze brief vervangt onze brief van {dated}. Die brief kwam bij ons terug. Daarom sturen wij hem "
            "opnieuw, naar uw nieuwe adres."
        )
        why = "de brief kwam retour; opnieuw verstuurd naar het nieuwe adres"
    # The sanction track rests on the letters it refers to.
    if proposal is not None and letter.kind == "ultimatum" and proposal.status in ("voornemen", "besluit"):
        raise IllegalTransition(
            "Op basis van deze brief loopt al een voornemen of besluit. Trek eerst dat voornemen of besluit in."
        )
    if letter.kind == "voornemen" and proposal is not None and proposal.status == "besluit":
        raise IllegalTransition("Na dit voornemen is al besloten. Corrigeer of trek het besluit in.")
    _claim(session, letter, status="vervangen")
    data = {key: value for key, value in (letter.data or {}).items() if key not in _OWN_KEYS}
    data.update(notice=notice, replaces_letter_id=letter.id, replacement_reason=why, replacement_type=kind)
    new = new_letter(session, case, letter.step, letter.kind, data, letter.uwv_list_id, replaces_id=letter.id)
    if proposal is not None:
        if proposal.intent_letter_id == letter.id:
            # as on approval: a new view period from today; on dispatch the letter's own deadline is binding
            campaign = session.get(Campaign, case.campaign_id)
            rung = campaign.step(letter.step)
            view_deadline = deadline_after(today, (rung.deadline_days if rung else None) or campaign.view_period_days)
            proposal.view_deadline = max(view_deadline, proposal.view_deadline or view_deadline)
            proposal.intent_letter_id = new.id
        if proposal.decision_letter_id == letter.id:
            proposal.decision_letter_id = new.id
        if letter.kind == "ultimatum" and proposal.status in ("voorstel", "beoordeeld"):
            _end_open_proposal(
                session, actor, case, proposal,
                "de laatste oproep is vervangen; na de nieuwe termijn volgt zo nodig een nieuw voorstel",
            )  # fmt: skip
    what = "Correctiebrief" if kind == CORRECTION else "Brief opnieuw verstuurd na retour"
    add_event(
        session, case, actor, "brief_vervangen",
        f"{what}: stap {letter.step} ({letter_label(letter)}) vervangt de brief van {dated}: {why}",
        letter_id=new.id, replaces_id=letter.id,
    )  # fmt: skip
    audit.record(
        session, actor, "create", "letter", new.id,
        purpose=("correctiebrief" if kind == CORRECTION else "herzending na retour") + f" voor brief {letter.id}",
    )  # fmt: skip
    refresh_cases(session, [case.id], today, actor.user_id)
    return new


# -- withdrawal -------------------------------------------------------------------------------------------------


def later_live_letter(session: orm.Session, letter: Letter) -> Letter | None:
    return session.scalar(
        sa.select(Letter)
        .where(Letter.case_id == letter.case_id, Letter.step > letter.step, live_letter())
        .order_by(Letter.step)
        .limit(1)
    )


def withdraw(
    session: orm.Session,
    actor: audit.Actor,
    letter: Letter,
    reason: str,
    today: dt.date,
    *,
    no_action_reason: str = "",
) -> Letter:
    """Withdraw a dispatched letter; returns the withdrawal notice (status "aangemaakt", to "Nog te printen").

    ``no_action_reason`` (a code of ``NO_ACTION_REASONS``, optional) is set on the case at the same time, when
    the person should get nothing more."""
    reason = clean_reason(reason, what="de reden van de intrekking")
    if no_action_reason and no_action_reason not in NO_ACTION_REASONS:
        raise InvalidInput("Kies een reden geen actie uit de lijst.", location="no_action_reason")
    check_followup_possible(session, letter)
    case = session.get(Case, letter.case_id)
    later = later_live_letter(session, letter)
    if later is not None:
        raise IllegalTransition(
            f"Na deze brief is al brief {later.id} voor stap {later.step} ({letter_label(later)}) gemaakt. "
            "Trek eerst die brief in, of annuleer hem als hij nog niet is verzonden."
        )
    proposal = open_proposal(session, case.id)
    dated = dutch_date(printed_date(letter))
    subject = render.letter_document(session, letter, letter_date=printed_date(letter) or today).subject
    _claim(session, letter, status="ingetrokken", withdrawn_on=today, withdrawn_reason=reason)
    data = {
        "ingetrokken_brief": dated,
        "ingetrokken_onderwerp": subject,
        "reden": sentence(reason),
        "withdrawn_letter_id": letter.id,
    }
    notice = new_letter(session, case, letter.step, templates.WITHDRAWAL_KIND, data, correction_of_id=letter.id)
    if proposal is not None:
        _withdrawal_effects(session, actor, case, letter, proposal, reason, today)
    add_event(
        session, case, actor, "brief_ingetrokken",
        f"Brief stap {letter.step} ({letter_label(letter)}) van {dated} ingetrokken: {reason}. "
        "Een intrekkingsbrief staat klaar bij Nog te printen.",
        letter_id=letter.id, notice_id=notice.id,
    )  # fmt: skip
    if no_action_reason and case.no_action_reason != no_action_reason:
        case.no_action_reason = no_action_reason
        case.no_action_since = today
        add_event(session, case, actor, "geen_actie", f"Reden geen actie: {NO_ACTION_REASONS[no_action_reason]}")
    audit.record(session, actor, "withdraw", "letter", letter.id, purpose=f"brief intrekken: {reason}"[:200])
    refresh_cases(session, [case.id], today, actor.user_id)
    return notice


def _withdrawal_effects(session, actor, case, letter: Letter, proposal: SanctionProposal, reason: str, today) -> None:
    if letter.kind == "voornemen" and proposal.intent_letter_id == letter.id and proposal.status == "voornemen":
        proposal.status = "ingetrokken"
        proposal.withdrawn_reason = f"Voornemen ingetrokken: {reason}"[:300]
        add_event(session, case, actor, "maatregel", f"Voornemen ingetrokken: {reason}")
        audit.record(session, actor, "withdraw", "sanction_proposal", proposal.id, purpose="voornemen ingetrokken")
    elif letter.kind == "besluit" and proposal.decision_letter_id == letter.id and proposal.status == "besluit":
        proposal.status = "ingetrokken"
        proposal.withdrawn_reason = f"Besluit ingetrokken: {reason}"[:300]
        session.execute(
            sa.update(ReviewTask)
            .where(ReviewTask.proposal_id == proposal.id, ReviewTask.done_on.is_(None))
            .values(done_on=today, done_by=actor.user_id, note="Besluit ingetrokken; geen heroverweging nodig")
            .execution_options(synchronize_session=False)
        )
        add_event(session, case, actor, "maatregel", f"Besluit ingetrokken: {reason}")
        audit.record(session, actor, "withdraw", "sanction_proposal", proposal.id, purpose="besluit ingetrokken")
    elif letter.kind == "ultimatum" and proposal.status in ("voorstel", "beoordeeld"):
        _end_open_proposal(session, actor, case, proposal, "de laatste oproep is ingetrokken")


# -- cancelling a follow-up before its dispatch ----------------------------------------------------------------


def after_cancel(session: orm.Session, actor: audit.Actor, letter_ids: Iterable[int], today: dt.date) -> None:
    """Called after letters were cancelled before dispatch (``letters.batches``).

    A cancelled replacement makes its original count again ("verzonden"), for the tick and the sanction track.
    A withdrawal stands once decided, so a cancelled withdrawal notice is made again (to the current address),
    back in "Nog te printen": the person must still hear that the letter no longer applies."""
    ids = list(letter_ids)
    if not ids:
        return
    cancelled = session.scalars(
        sa.select(Letter).where(
            Letter.id.in_(ids),
            Letter.status == "geannuleerd",
            sa.or_(Letter.replaces_id.is_not(None), Letter.correction_of_id.is_not(None)),
        )
    ).all()
    for letter in cancelled:
        case = session.get(Case, letter.case_id)
        if letter.replaces_id is not None:
            _restore_original(session, actor, case, letter)
        else:
            _renew_notice(session, actor, case, letter)


def _restore_original(session, actor, case: Case, replacement: Letter) -> None:
    original = session.get(Letter, replacement.replaces_id)
    restored = session.execute(
        sa.update(Letter)
        .where(Letter.id == original.id, Letter.status == "vervangen")
        .values(status="verzonden")
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(original)
    if not restored:
        return
    proposal = open_proposal(session, case.id)
    if proposal is not None:
        if proposal.intent_letter_id == replacement.id:
            proposal.intent_letter_id = original.id
        if proposal.decision_letter_id == replacement.id:
            proposal.decision_letter_id = original.id
    add_event(
        session, case, actor, "brief_vervangen",
        f"Vervangende brief stap {replacement.step} geannuleerd; de brief van {dutch_date(printed_date(original))} "
        "geldt weer",
        letter_id=original.id, cancelled_id=replacement.id,
    )  # fmt: skip


def _renew_notice(session, actor, case: Case, cancelled: Letter) -> None:
    original = session.get(Letter, cancelled.correction_of_id)
    if original is None or original.status != "ingetrokken" or withdrawal_notice(session, original) is not None:
        return
    data = dict(cancelled.data or {})
    notice = new_letter(session, case, cancelled.step, cancelled.kind, data, correction_of_id=original.id)
    add_event(
        session, case, actor, "brief_ingetrokken",
        f"Intrekkingsbrief {cancelled.id} geannuleerd; de intrekking blijft staan, dus er staat een nieuwe "
        "intrekkingsbrief klaar bij Nog te printen",
        letter_id=original.id, notice_id=notice.id,
    )  # fmt: skip
