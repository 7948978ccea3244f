"""``campaigns close`` and ``retention``: ending a campaign and clearing its data after the retention period."""

from __future__ import annotations

from pathlib import Path

import click

from campaign import campaigns, retention, runtime
from web.cli import cli_actor, cli_errors, database, resolve_today, today_option


def _delete_files(paths: list[str]) -> int:
    """Delete the files of cleared data (relative paths are under the instance folder); missing ones are fine."""
    root = runtime.settings().instance_path
    deleted = 0
    for raw in sorted(set(paths)):
        path = Path(raw)
        path = path if path.is_absolute() else root / path
        try:
            path.unlink()
            deleted += 1
        except FileNotFoundError:
            pass
    return deleted


@click.command("close", help="Sluit een campagne: geen nieuwe golven en brieven meer; de bewaartermijn begint.")
@click.argument("campaign")
@today_option
@cli_errors
def campaigns_close(campaign, today):
    day = resolve_today(today)
    with database().transaction() as session:
        found = campaigns.get_campaign(session, campaign)
        retention.close_campaign(session, cli_actor(), found, day)
        due = retention.purge_due_on(found)
        click.echo(
            f"Campagne {found.name!r} gesloten op {day.isoformat()}. "
            f"Werkgegevens worden vanaf {due.isoformat()} verwijderd (herinschrijving retention)."
        )


@click.command(
    "retention",
    help=(
        "Verwijder of anonimiseer de werkgegevens van gesloten campagnes waarvan de bewaartermijn is verstreken. "
        "Besluiten blijven bewaard tot ook hun termijn voorbij is. Bedoeld om dagelijks te draaien."
    ),
)
@today_option
@click.option("--dry-run", is_flag=True, help="Toon alleen wat er zou worden verwijderd.")
@click.option(
    "--decision-years",
    type=click.IntRange(1, 100),
    default=retention.DECISION_RETENTION_YEARS,
    show_default=True,
    help="Bewaartermijn van besluiten in jaren na sluiting van de campagne.",
)
@cli_errors
def retention_command(today, dry_run, decision_years):
    lines = run_retention(resolve_today(today), dry_run=dry_run, decision_years=decision_years)
    for line in lines or ["Geen campagnes waarvan de bewaartermijn is verstreken."]:
        click.echo(line)


def run_retention(day, *, dry_run: bool = False, decision_years: int = retention.DECISION_RETENTION_YEARS) -> list[str]:
    """Clear every campaign whose retention period has passed (also run daily by the clock); one line each."""
    files: list[str] = []
    lines: list[str] = []
    with database().transaction() as session:
        for campaign in retention.due_campaigns(session, day, decision_years):
            result = retention.purge_campaign(
                session, cli_actor(), campaign, day, decision_years=decision_years, dry_run=dry_run
            )
            rows = ", ".join(f"{name}: {count}" for name, count in sorted(result.deleted_rows.items())) or "geen"
            verb = "zou anonimiseren" if dry_run else "geanonimiseerd"
            lines.append(
                f"{result.campaign_name}: {result.anonymised} dossiers {verb}; "
                f"{result.kept_for_decision} bewaard vanwege een besluit; rijen: {rows}; "
                f"bestanden: {len(result.files)}."
            )
            files.extend(result.files)
        if dry_run:
            session.rollback()
    if not dry_run:
        _delete_files(files)
    return lines


commands = [retention_command]
campaign_commands = [campaigns_close]
