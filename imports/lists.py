"""The downloadable lists of the tool: one registry behind the web download buttons and ``herinschrijving export``.

Every area registers its lists here (uwv: te-controleren, uit-te-schrijven; escalation: besluiten)::

    @register("dossiers", "Alle dossiers", COLUMNS, roles=("projectleider",), purpose="...")
    def case_rows(session, campaign, today): yield (...)

Output is always formula-safe (``imports.xlsx_out``), and every download is recorded in the audit trail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from campaign import audit
from campaign.errors import Forbidden, InvalidInput
from campaign.models import Campaign, Case
from campaign.status import NO_ACTION_REASONS, STATUS_LABELS
from imports.xlsx_out import Column, write_csv, write_xlsx

RowsFunction = Callable[[orm.Session, Campaign, dt.date], Iterable[Sequence[object]]]


@dataclass(frozen=True)
class ListDefinition:
    name: str  # kebab-case, used in URLs and on the command line
    title: str  # Dutch, shown on buttons and as the sheet title
    columns: tuple[Column, ...]
    rows: RowsFunction
    roles: tuple[str, ...]  # roles that may download it on the web
    purpose: str  # recorded in the audit trail
    on_campaign_page: bool = True  # False when the owning area offers the download on its own page

    def filename(self, campaign: Campaign, today: dt.date, suffix: str = "xlsx") -> str:
        return f"{campaign.reference_prefix}-{self.name}-{today.isoformat()}.{suffix}"


REGISTRY: dict[str, ListDefinition] = {}


def register(
    name: str, title: str, columns: Sequence[Column], *, roles: Sequence[str], purpose: str
) -> Callable[[RowsFunction], RowsFunction]:
    def decorate(func: RowsFunction) -> RowsFunction:
        REGISTRY[name] = ListDefinition(name, title, tuple(columns), func, tuple(str(r) for r in roles), purpose)
        return func

    return decorate


def get_list(name: str) -> ListDefinition:
    definition = REGISTRY.get(name)
    if definition is None:
        raise InvalidInput(f"Onbekende lijst {name!r}. Beschikbaar: {', '.join(sorted(REGISTRY)) or 'geen'}.")
    return definition


def lists_for(role: str, *, campaign_page: bool = False) -> list[ListDefinition]:
    return [d for d in REGISTRY.values() if role in d.roles and (d.on_campaign_page or not campaign_page)]


def export_list(
    session: orm.Session,
    campaign: Campaign,
    name: str,
    actor: audit.Actor,
    *,
    today: dt.date,
    fmt: str = "xlsx",
    check_role: bool = True,
) -> bytes:
    """The list as .xlsx (or .csv); ``check_role`` is off for the command line (operators)."""
    definition = get_list(name)
    if check_role and actor.role not in definition.roles:
        raise Forbidden("U mag deze lijst met uw rol niet downloaden.")
    rows = definition.rows(session, campaign, today)
    audit.record(session, actor, "export", "list", f"{campaign.id}:{name}"[:40], purpose=definition.purpose)
    if fmt == "csv":
        return write_csv(definition.columns, rows)
    if fmt != "xlsx":
        raise InvalidInput("Kies .xlsx of .csv als bestandsformaat.")
    return write_xlsx(definition.columns, rows, sheet_title=definition.title)


# -- the lists of the imports area -----------------------------------------------------------------------------------

CASE_COLUMNS = (
    Column("Kenmerk", 16), Column("BSN", 12), Column("Voorletters", 12), Column("Tussenvoegsel", 12),
    Column("Achternaam", 24), Column("Geboortedatum", 14, "date"), Column("Straat", 24), Column("Huisnummer", 11),
    Column("Huisletter", 10), Column("Toevoeging", 11), Column("Postcode", 10), Column("Woonplaats", 18),
    Column("Team", 14), Column("Status", 24), Column("Geen actie", 24), Column("Niet meer in lijst sinds", 14, "date"),
)  # fmt: skip


def _case_rows(session: orm.Session, query: sa.Select) -> Iterable[Sequence[object]]:
    statuses = {status.value: label for status, label in STATUS_LABELS.items()}
    for case in session.execute(query.order_by(Case.reference).execution_options(yield_per=2000)).scalars():
        yield (
            case.reference, case.bsn, case.initials, case.prefix, case.surname, case.birth_date, case.street,
            "" if case.house_number is None else str(case.house_number), case.house_letter, case.house_addition,
            case.postcode, case.city, case.team, statuses.get(case.status, case.status),
            NO_ACTION_REASONS.get(case.no_action_reason or "", case.no_action_reason or ""),
            case.missing_from_list_since,
        )  # fmt: skip


@register(
    "dossiers", "Alle dossiers", CASE_COLUMNS, roles=("projectleider",), purpose="lijst van alle dossiers downloaden"
)
def all_cases(session: orm.Session, campaign: Campaign, today: dt.date) -> Iterable[Sequence[object]]:
    return _case_rows(session, sa.select(Case).where(Case.campaign_id == campaign.id))


@register(
    "niet-meer-in-lijst",
    "Niet meer in lijst",
    CASE_COLUMNS,
    roles=("projectleider",),
    purpose="lijst van dossiers die niet meer in de cliëntenlijst staan downloaden",
)
def missing_cases(session: orm.Session, campaign: Campaign, today: dt.date) -> Iterable[Sequence[object]]:
    return _case_rows(
        session,
        sa.select(Case).where(Case.campaign_id == campaign.id, Case.missing_from_list_since.is_not(None)),
    )


# -- lists of other areas, registered here so that ``export`` and the campaign page offer them too --------------------


def _register_uwv_lists() -> None:
    import imports.uwv_lists  # noqa: F401 - its module registers te-controleren and uit-te-schrijven


DECISION_KINDS = (
    ("text", 16), ("text", 11), ("text", 28), ("date", 14), ("text", 24), ("number", 11), ("number", 9),
    ("date", 14), ("text", 9), ("date", 18), ("text", 30), ("text", 20), ("text", 40),
)  # fmt: skip


def _register_decisions() -> None:
    from campaign import sanctions

    columns = tuple(
        Column(title, width, kind)
        for title, (kind, width) in zip(sanctions.DECISION_COLUMNS, DECISION_KINDS, strict=True)
    )
    REGISTRY["besluiten"] = ListDefinition(
        "besluiten",
        "Besluiten",
        columns,
        lambda session, campaign, today: sanctions.decision_rows(session, campaign.id),
        ("projectleider", "beslisser"),
        "besluiten voor de uitkeringsadministratie",
        on_campaign_page=False,  # the sanctions pages offer it
    )


_register_uwv_lists()
_register_decisions()
