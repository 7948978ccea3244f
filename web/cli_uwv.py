"""``herinschrijving import uwv``: read a UWV registration list into a campaign from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app

from campaign.campaigns import get_campaign
from imports.uwv_apply import apply_upload, check_upload, file_sha256, report_lines, start_upload, uwv_limits
from web.cli import ISO_DATE, cli_actor, cli_errors, database, import_group, resolve_today, today_option


@click.command("uwv", help="Lees een UWV-lijst (BSN, datum inschrijving, einddatum, status) in bij een campagne.")
@click.argument("campaign")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--peildatum", type=ISO_DATE, required=True, help="De datum waarop UWV de lijst heeft opgemaakt.")
@click.option("--dry-run", is_flag=True, help="Alleen controleren en het verslag tonen; niets toepassen.")
@today_option
@cli_errors
def import_uwv(campaign, file, peildatum, dry_run, today):
    today = resolve_today(today)
    limits = uwv_limits(current_app.extensions["herinschrijving.settings"])
    with database().transaction() as session:
        found = get_campaign(session, campaign)
        upload = start_upload(
            session, found, cli_actor(), filename=file.name, sha256=file_sha256(file), peildatum=peildatum, today=today
        )
        check_upload(session, upload, file, limits=limits)
        _print_report(upload.report)
        if upload.status != "gecontroleerd" or dry_run:
            session.rollback()  # nothing of a rejected or trial run is kept
        else:
            uwv_list = apply_upload(session, upload, cli_actor(), today)
            click.echo(f"UWV-lijst met peildatum {uwv_list.peildatum.isoformat()} toegepast (lijst {uwv_list.id}).")
            return
    if upload.status != "gecontroleerd":
        click.echo("Fout: de UWV-lijst is afgekeurd en niet toegepast.", err=True)
        sys.exit(2)
    click.echo("Proefrun (--dry-run): niets toegepast.")


def _print_report(report: dict) -> None:
    if "file_error" in report:
        click.echo(f"Fout: {report['file_error']}", err=True)
        return
    for label, count in report_lines(report):
        click.echo(f"{label}: {count}")
    for problem in report.get("errors", []):
        click.echo(f"  regel {problem['row']}, kolom {problem['column']}: {problem['message']}", err=True)
    if report.get("error_count", 0) > len(report.get("errors", [])):
        click.echo(f"  … en nog {report['error_count'] - len(report['errors'])} fouten.", err=True)
    for rows in report.get("duplicates", []):
        click.echo("  dubbel BSN op regels " + ", ".join(str(r) for r in rows))
    if report.get("ignored_columns"):
        click.echo("Genegeerde kolommen (niet bewaard): " + ", ".join(report["ignored_columns"]))
    for warning in report.get("warnings", []):
        click.echo(f"Let op: {warning}")


# ``import`` is a group of the base CLI; the UWV list is one of its subcommands.
import_group.add_command(import_uwv)
commands: list[click.Command] = []
