"""The ``herinschrijving`` command: the operations interface for schedulers and administrators.

Conventions: exit 0 on success; exit 2 on bad input with a Dutch message on stderr (no traceback);
exit 1 on anything unexpected.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
import traceback

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import exc as sa_exc

from campaign import accounts, campaigns, migrate
from campaign.audit import Actor
from campaign.dates import today_amsterdam
from campaign.errors import DomainError
from campaign.settings import SettingsError


def cli_errors(func):
    """Run in the app context; map domain errors to exit 2 with the Dutch message, anything else to exit 1."""

    @with_appcontext
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (DomainError, SettingsError) as exc:
            click.echo(f"Fout: {exc}", err=True)
            sys.exit(2)
        except click.exceptions.Exit:
            raise
        except sa_exc.DBAPIError as exc:
            if _is_missing_table(exc):
                click.echo("Fout: de database is nog niet ingericht. Voer 'herinschrijving db upgrade' uit.", err=True)
                sys.exit(2)
            _unexpected(exc)
        except Exception as exc:  # noqa: BLE001
            _unexpected(exc)

    return wrapper


def _is_missing_table(exc: Exception) -> bool:
    text = str(exc).lower()
    return "no such table" in text or ("relation" in text and "does not exist" in text)


def _unexpected(exc: Exception) -> None:
    if os.environ.get("HERINSCHRIJVING_DEBUG"):
        traceback.print_exc()
    click.echo(f"Onverwachte fout ({exc.__class__.__name__}): {str(exc).splitlines()[0] if str(exc) else ''}", err=True)
    click.echo("Zet HERINSCHRIJVING_DEBUG=1 voor de volledige foutmelding.", err=True)
    sys.exit(1)


class IsoDate(click.ParamType):
    name = "JJJJ-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is geen datum; gebruik JJJJ-MM-DD.", param, ctx)


ISO_DATE = IsoDate()


def today_option(func):
    """``--today YYYY-MM-DD``: the date to record (default: today in Europe/Amsterdam)."""
    return click.option(
        "--today",
        type=ISO_DATE,
        default=None,
        help="De datum die wordt vastgelegd (standaard: vandaag); zo neemt u een lopende campagne met echte data over.",
    )(func)


def resolve_today(value: dt.date | None) -> dt.date:
    return value or today_amsterdam()


def cli_actor() -> Actor:
    return Actor.system("cli")


def database():
    return current_app.extensions["herinschrijving.db"]


@click.group("db", help="De database bijwerken naar de nieuwste versie (Alembic).")
def db_group():
    pass


@db_group.command("upgrade", help="Voer alle openstaande databasemigraties uit (SQLite en PostgreSQL).")
@cli_errors
def db_upgrade():
    url = database().url
    migrate.upgrade(url)
    click.echo(f"Database bijgewerkt tot versie {migrate.current_revision(url)}.")


@db_group.command("current", help="Toon de huidige versie van de database.")
@cli_errors
def db_current():
    click.echo(migrate.current_revision(database().url) or "(leeg)")


@click.group("users", help="Accounts beheren.")
def users_group():
    pass


@users_group.command(
    "add", help="Maak een account aan. Het wachtwoord wordt gevraagd, of gelezen met --password-stdin."
)
@click.argument("email")
@click.option("--role", required=True, help="projectleider, beslisser, telefoonteam, uwv of beheerder")
@click.option("--name", default="", help="Naam zoals anderen die zien.")
@click.option("--password-stdin", is_flag=True, help="Lees het wachtwoord van standaardinvoer.")
@cli_errors
def users_add(email, role, name, password_stdin):
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Wachtwoord", hide_input=True, confirmation_prompt="Nogmaals")
    with database().transaction() as session:
        user = accounts.create_user(session, cli_actor(), email, role, password, name)
        click.echo(
            f"Account {user.email} aangemaakt met rol {user.role}. "
            "De tweede factor wordt bij de eerste login ingesteld."
        )


@click.group("campaigns", help="Campagnes beheren.")
def campaigns_group():
    pass


@campaigns_group.command("add", help="Maak een campagne aan met de standaard escalatieladder.")
@click.argument("name")
@cli_errors
def campaigns_add(name):
    with database().transaction() as session:
        campaign = campaigns.create_campaign(session, cli_actor(), name)
        click.echo(
            f"Campagne {campaign.name!r} aangemaakt (nummer {campaign.id}, kenmerken {campaign.reference_prefix}-…)."
        )


@campaigns_group.command("list", help="Toon alle campagnes.")
@cli_errors
def campaigns_list():
    import sqlalchemy as sa

    from campaign.models import Campaign

    with database().transaction() as session:
        for campaign in session.scalars(sa.select(Campaign).order_by(Campaign.id)):
            click.echo(f"{campaign.id}\t{campaign.name}\t{campaign.status}")


@click.group("import", help="Lijsten inlezen: cliëntenlijsten van de gemeente en UWV-lijsten.")
def import_group():
    pass


@click.group("export", help="Lijsten uitvoeren als .xlsx of .csv (veilig tegen formules).")
def export_group():
    pass


@click.command("serve", help="Start de ontwikkelserver op 127.0.0.1 (niet voor productie: gebruik gunicorn).")
@click.option("--port", default=5000, show_default=True, help="Poort.")
@with_appcontext
def serve(port):
    from werkzeug.serving import run_simple

    app = current_app._get_current_object()
    run_simple("127.0.0.1", port, app, use_reloader=False, use_debugger=False, threaded=True)


@click.command("worker", help="Start een rq-worker die achtergrondtaken uitvoert (vereist REDIS_URL).")
@click.option("--burst", is_flag=True, help="Stop zodra de wachtrij leeg is.")
@cli_errors
def worker(burst):
    from campaign.worker import run_worker

    run_worker(burst=burst)


#: Modules that contribute commands; each has a module-level ``commands`` list.
CLI_MODULES = (
    "web.cli_demo",
    "web.cli_retention",
    "web.cli_escalation",
    "web.cli_uwv",
    "web.cli_letters",
    "web.cli_imports",
    "web.cli_phone",
)


def register_commands(app: Flask) -> None:
    import importlib

    for command in (db_group, users_group, campaigns_group, import_group, export_group, serve, worker):
        app.cli.add_command(command)
    for name in CLI_MODULES:
        module = importlib.import_module(name)
        for command in module.commands:
            app.cli.add_command(command)
        for command in getattr(module, "campaign_commands", []):
            campaigns_group.add_command(command)


def main() -> None:
    from web import create_app

    group = FlaskGroup(
        create_app=lambda: create_app(),
        add_default_commands=False,
        add_version_option=False,
        help="Herinschrijving: de herinschrijvingsactie van de gemeente vanaf de opdrachtregel.",
    )
    group.main(prog_name="herinschrijving")


if __name__ == "__main__":  # python -m web.cli
    main()
