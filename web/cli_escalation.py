"""``herinschrijving tick``, ``report`` and ``clock``: the daily escalation and its monitoring."""

from __future__ import annotations

import datetime as dt
import json
import time

import click
import sqlalchemy as sa

from campaign import campaigns, reports, tick
from campaign.audit import Actor
from campaign.dates import AMSTERDAM
from campaign.models import Campaign, TickRun
from letters import batches
from web.cli import cli_errors, database, resolve_today, today_option
from web.cli_retention import run_retention


@click.command("tick", help="Dagelijkse verwerking: volgende brieven, maatregelvoorstellen, pauzes en heroverwegingen.")
@click.option("--campaign", "campaign_ref", default=None, help="Alleen deze campagne (nummer of naam).")
@today_option
@cli_errors
def tick_command(campaign_ref, today):
    day = resolve_today(today)
    with database().transaction() as session:
        campaign = campaigns.get_campaign(session, campaign_ref) if campaign_ref else None
        runs = tick.run_all(session, day, Actor.system("cli"), campaign)
        if not runs:
            click.echo("Geen open campagnes.")
        for run in runs:
            name = session.get(Campaign, run.campaign_id).name
            click.echo(f"== {name}")
            for line in tick.summary_lines(run):
                click.echo(line)
        campaign_ids = [run.campaign_id for run in runs]
    for batch_id in batches.auto_launch(campaign_ids, day):
        click.echo(f"Printbatch {batch_id} aangemaakt en wordt gemaakt (campagne start zelf).")


@click.command("report", help="Aantallen dossiers per status en per stap van een campagne.")
@click.argument("campaign_ref", metavar="CAMPAGNE")
@click.option("--json", "as_json", is_flag=True, help="Als JSON (voor dashboards en monitoring).")
@cli_errors
def report_command(campaign_ref, as_json):
    with database().transaction() as session:
        campaign = campaigns.get_campaign(session, campaign_ref)
        data = reports.campaign_report(session, campaign)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
        return
    click.echo(f"{data['campaign']['name']}: {data['cases']} dossiers")
    for status, n in data["per_status"].items():
        if n:
            click.echo(f"  {status:<24} {n}")
    for position, step in sorted(data["per_step"].items(), key=lambda kv: int(kv[0])):
        click.echo(
            f"  stap {position} {step.get('title', '')}: {step['cases_at_step']} dossiers, brieven {step['letters']}"
        )


def clock_once(db, now: dt.datetime, hour: int) -> bool:
    """Run the tick for all open campaigns once a day from ``hour`` (Amsterdam time); True when it ran."""
    local = now.astimezone(AMSTERDAM)
    if local.hour < hour:
        return False
    day = local.date()
    with db.transaction() as session:
        done = session.scalar(
            sa.select(sa.func.count()).select_from(TickRun).where(TickRun.day == day, TickRun.actor_label == "klok")
        )
        if done:
            return False
        runs = tick.run_all(session, day, Actor.system("klok"))
        campaign_ids = [run.campaign_id for run in runs]
    batches.auto_launch(campaign_ids, day)
    return bool(runs)


@click.command("clock", help="Klokproces: voert de dagelijkse verwerking eens per dag uit (Procfile 'clock').")
@click.option("--hour", default=6, show_default=True, type=click.IntRange(0, 23), help="Vanaf dit uur (Amsterdam).")
@click.option(
    "--interval", default=60, show_default=True, type=click.IntRange(1, 3600), help="Seconden tussen controles."
)
@cli_errors
def clock_command(hour, interval):
    db = database()
    click.echo(f"Klok gestart: dagelijkse verwerking vanaf {hour}:00 uur (Europe/Amsterdam).")
    while True:
        if clock_once(db, dt.datetime.now(dt.UTC), hour):
            click.echo(f"Dagelijkse verwerking uitgevoerd op {dt.datetime.now(AMSTERDAM):%Y-%m-%d %H:%M}.")
            for line in run_retention(dt.datetime.now(AMSTERDAM).date()):
                click.echo(f"Bewaartermijn: {line}")
        time.sleep(interval)


commands = [tick_command, report_command, clock_command]
