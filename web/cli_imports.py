"""``herinschrijving import clients`` and ``herinschrijving export``: the same code path as the web pages."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from campaign.campaigns import get_campaign
from campaign.errors import InvalidInput
from imports import lists, runs
from imports.columns import LIST_TYPES
from imports.reader import Limits
from web.cli import cli_actor, cli_errors, database, import_group, resolve_today, today_option

SHOWN_PROBLEMS = 20


def _limits() -> Limits:
    return Limits.from_settings(current_app.extensions["herinschrijving.settings"])


@import_group.command("clients", help="Lees een cliëntenlijst (of met --list-type uitstroom een uitstroomlijst) in.")
@click.argument("campaign")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Alleen controleren en de samenvatting tonen; er wordt niets opgeslagen.")
@click.option("--list-type", type=click.Choice(list(LIST_TYPES)), default="clients", show_default=True)
@click.option(
    "--skip-invalid", is_flag=True, help="Pas de geldige regels toe en laat de regels met fouten uitdrukkelijk weg."
)
@today_option
@cli_errors
def import_clients(campaign, file, dry_run, list_type, skip_invalid, today):
    today = resolve_today(today)
    with database().transaction() as session:
        target = get_campaign(session, campaign)
        run = runs.start_run(
            session, target, cli_actor(), path=file, filename=file.name, list_type=list_type, today=today,
            keep_path=False,
        )  # fmt: skip
        prepared = runs.check_run(session, run, limits=_limits(), path=file)
        if prepared is None:
            raise InvalidInput(run.message)  # nothing is written: the transaction rolls back
        _print_check(run, prepared)
        counts = prepared.plan.counts
        if dry_run:
            session.rollback()
            click.echo("Proefdraai: er is niets opgeslagen.")
            click.echo(runs.summary_line(counts))
            return
        if prepared.parsed.error_rows and not skip_invalid:
            click.echo(runs.summary_line(counts))
            raise InvalidInput(
                f"{len(prepared.parsed.error_rows)} regels hebben fouten; er is niets opgeslagen. Verbeter het "
                "bestand, of gebruik --skip-invalid om de geldige regels toe te passen en deze regels weg te laten."
            )
        counts = runs.apply_run(
            session, run, cli_actor(), skip_invalid=skip_invalid, limits=_limits(), path=file, prepared=prepared
        )
        run_id = run.id
    click.echo(f"Toegepast (import {run_id}).")
    click.echo(runs.summary_line(counts))


def _print_check(run, prepared) -> None:
    if run.duplicate_of_id:
        click.echo(f"Let op: dit bestand is eerder ingelezen (import {run.duplicate_of_id}).")
    click.echo(f"Bestand {run.filename}: kopregel op regel {run.header_row}, {run.total_rows} regels.")
    not_stored = prepared.mapping.not_stored
    if not_stored:
        click.echo(f"Niet opgeslagen kolommen: {', '.join(not_stored)}.")
    for key, value in prepared.plan.counts.items():
        click.echo(f"  {runs.COUNT_LABELS.get(key, key)}: {value}")
    problems = prepared.parsed.problems
    for problem in problems[:SHOWN_PROBLEMS]:
        click.echo(f"  {problem} (waarde: {problem.value[:40]!r})", err=True)
    if len(problems) > SHOWN_PROBLEMS:
        click.echo(f"  ... en nog {len(problems) - SHOWN_PROBLEMS} meldingen.", err=True)


@click.command(
    "export",
    help="Schrijf een lijst van een campagne naar een .xlsx- of .csv-bestand (veilig tegen formules). "
    f"Lijsten: {', '.join(sorted(lists.REGISTRY))}.",
)
@click.argument("campaign")
@click.argument("list_name", metavar="LIST")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@today_option
@cli_errors
def export_command(campaign, list_name, output, today):
    suffix = output.suffix.lower().lstrip(".")
    if suffix not in ("xlsx", "csv"):
        raise InvalidInput("Geef een bestandsnaam die eindigt op .xlsx of .csv.")
    with database().transaction() as session:
        target = get_campaign(session, campaign)
        data = lists.export_list(
            session, target, list_name, cli_actor(), today=resolve_today(today), fmt=suffix, check_role=False
        )
    output.write_bytes(data)
    click.echo(f"Lijst {list_name!r} geschreven naar {output}.")


#: ``export`` replaces the empty ``export`` group of web/cli.py: the contract is ``export CAMPAIGN LIST -o FILE``.
commands = [export_command]
