"""Phone team maintenance: contact reasons, exemption types and the call-back claim time."""

from __future__ import annotations

import click

from campaign import exemptions, phone
from campaign.campaigns import get_campaign
from campaign.errors import InvalidInput
from web.cli import cli_errors, database


@click.group("contact-reasons", help="De lijst met contactredenen op het contactformulier beheren.")
def reasons_group():
    pass


@reasons_group.command("list", help="Toon alle contactredenen (ook uitgeschakelde).")
@cli_errors
def reasons_list():
    with database().transaction() as session:
        for reason in phone.contact_reasons(session, include_inactive=True):
            state = "" if reason.active else "\t(uitgeschakeld)"
            click.echo(f"{reason.position}\t{reason.code}\t{reason.label}{state}")


@reasons_group.command("add", help="Voeg een contactreden toe, bijvoorbeeld: add taalproblemen 'Taalproblemen'.")
@click.argument("code")
@click.argument("label")
@click.option("--position", type=int, default=None, help="Plaats in de lijst (standaard: achteraan).")
@cli_errors
def reasons_add(code, label, position):
    with database().transaction() as session:
        reason = phone.add_reason(session, code, label, position)
        click.echo(f"Contactreden {reason.code!r} toegevoegd: {reason.label}.")


@click.group("exemption-types", help="Soorten ontheffing beheren (gegevens, geen code: er komen er meer bij).")
def types_group():
    pass


@types_group.command("list", help="Toon alle soorten ontheffing (ook uitgeschakelde).")
@cli_errors
def types_list():
    with database().transaction() as session:
        for row in exemptions.exemption_types(session, include_inactive=True):
            flags = ["wettelijk" if row.statutory else "", "" if row.active else "uitgeschakeld"]
            extra = ", ".join(f for f in flags if f)
            click.echo(f"{row.code}\t{row.label}\t{row.legal_basis}" + (f"\t({extra})" if extra else ""))


@types_group.command("add", help="Voeg een soort ontheffing toe.")
@click.argument("code")
@click.argument("label")
@click.option("--legal-basis", default="", help="Wettelijke grondslag, bijvoorbeeld 'Pw art. 9 lid 2'.")
@click.option("--statutory", is_flag=True, help="Een wettelijke ontheffing (niet op verzoek).")
@cli_errors
def types_add(code, label, legal_basis, statutory):
    with database().transaction() as session:
        row = exemptions.add_type(session, code, label, legal_basis, statutory)
        click.echo(f"Soort ontheffing {row.code!r} toegevoegd: {row.label}.")


def add_switch_commands(group: click.Group, noun: str, switch, *, keep_help: str, refuse=None) -> None:
    """``deactivate CODE`` and ``activate CODE`` for a list maintained as data (``switch(session, code, on)``)."""

    def run(code: str, active: bool) -> None:
        if not active and refuse is not None:
            refuse(code)
        with database().transaction() as session:
            row = switch(session, code, active)
            click.echo(f"{noun} {row.code!r} {'ingeschakeld' if active else 'uitgeschakeld'}.")

    @group.command("deactivate", help=f"Schakel een {noun.lower()} uit ({keep_help}).")
    @click.argument("code")
    @cli_errors
    def deactivate(code):
        run(code, False)

    @group.command("activate", help=f"Schakel een {noun.lower()} weer in.")
    @click.argument("code")
    @cli_errors
    def activate(code):
        run(code, True)


def _refuse_effect_reason(code: str) -> None:
    if code in phone.EFFECT_REASONS:
        raise InvalidInput(f"{code!r} verandert het dossier en kan niet worden uitgeschakeld.")


add_switch_commands(
    reasons_group, "Contactreden", phone.set_reason_active, keep_help="eerdere contacten houden hem",
    refuse=_refuse_effect_reason,
)  # fmt: skip
add_switch_commands(
    types_group, "Soort ontheffing", exemptions.set_type_active, keep_help="bestaande ontheffingen blijven"
)


@click.group("callbacks", help="De terugbellijst van het telefoonteam.")
def callbacks_group():
    pass


@callbacks_group.command("claim-minutes", help="Stel in na hoeveel minuten een opgepakt terugbelverzoek weer vrijkomt.")
@click.argument("campaign")
@click.argument("minutes", type=click.IntRange(5, 24 * 60))
@cli_errors
def callbacks_claim_minutes(campaign, minutes):
    with database().transaction() as session:
        row = get_campaign(session, campaign)
        row.callback_claim_minutes = minutes
        click.echo(f"Campagne {row.name!r}: een opgepakt terugbelverzoek komt na {minutes} minuten weer vrij.")


commands = [reasons_group, types_group, callbacks_group]
