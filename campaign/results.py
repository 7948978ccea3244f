"""Results per wave, for the project leader: who registered, who is exempt or out, who is in the sanction track.

Counted from the cases' derived statuses (``campaign.lifecycle``), the dispatched letters and the contacts, so the
figures always agree with the case pages. Waves are compared by share registered: that is the campaign's aim.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import orm

from campaign.models import Case, Contact, Letter, Wave
from campaign.status import Status

#: Status groups shown as columns, in reading order.
GROUPS = {
    "ingeschreven": (Status.INGESCHREVEN,),
    "ontheffing": (Status.ONTHEFFING, Status.ONTHEFFING_AANGEVRAAGD),
    "geen_actie": (Status.GEEN_ACTIE,),
    "maatregel": (Status.MAATREGEL_VOORSTEL, Status.BEOORDEELD, Status.VOORNEMEN, Status.BESLUIT),
    "open": (Status.AANGESCHREVEN, Status.TERMIJN_VERSTREKEN, Status.GEPAUZEERD, Status.POOL),
}
GROUP_OF = {status.value: group for group, statuses in GROUPS.items() for status in statuses}


@dataclass
class WaveResult:
    wave_id: int
    name: str
    launched_on: dt.date | None
    people: int = 0
    groups: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GROUPS, 0))
    contacted: int = 0
    #: step -> number of people whose letter of that step was dispatched
    dispatched: dict[int, int] = field(default_factory=dict)

    @property
    def registered_share(self) -> float | None:
        return self.groups["ingeschreven"] / self.people if self.people else None


def wave_results(session: orm.Session, campaign_id: int) -> list[WaveResult]:
    """One row per wave of the campaign, newest first."""
    waves = session.execute(
        sa.select(Wave.id, Wave.name, Wave.launched_on)
        .where(Wave.campaign_id == campaign_id)
        .order_by(Wave.number.desc())
    ).all()
    results = {w.id: WaveResult(w.id, w.name, w.launched_on) for w in waves}
    if not results:
        return []
    in_waves = sa.and_(Case.campaign_id == campaign_id, Case.wave_id.is_not(None))
    for wave_id, status, count in session.execute(
        sa.select(Case.wave_id, Case.status, sa.func.count()).where(in_waves).group_by(Case.wave_id, Case.status)
    ):
        row = results.get(wave_id)
        if row is not None:
            row.people += count
            row.groups[GROUP_OF.get(status, "open")] += count
    for wave_id, count in session.execute(
        sa.select(Case.wave_id, sa.func.count(sa.distinct(Contact.case_id)))
        .join(Contact, Contact.case_id == Case.id)
        .where(in_waves)
        .group_by(Case.wave_id)
    ):
        if wave_id in results:
            results[wave_id].contacted = count
    for wave_id, step, count in session.execute(
        sa.select(Case.wave_id, Letter.step, sa.func.count(sa.distinct(Letter.case_id)))
        .join(Letter, Letter.case_id == Case.id)
        .where(in_waves, Letter.dispatched_on.is_not(None), Letter.correction_of_id.is_(None))
        .group_by(Case.wave_id, Letter.step)
    ):
        if wave_id in results:
            results[wave_id].dispatched[step] = count
    return list(results.values())
