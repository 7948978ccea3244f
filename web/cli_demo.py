"""``herinschrijving demo``: the demo campaign and its logins."""

from __future__ import annotations

import shutil

import click
import pyotp
from flask import current_app

from campaign import demo
from campaign.roles import Role
from imports.demo import add_imports_demo
from letters.demo import add_letters_demo, dispatch_step_letters
from web.cli import cli_errors, database, resolve_today, today_option


@click.group("demo", invoke_without_command=True, help="Bouw of ververs de democampagne en toon de demo-logins.")
@click.option("--clients", default=2000, show_default=True, type=click.IntRange(1, 200_000), help="Aantal personen.")
@today_option
@click.option("--url", default="http://127.0.0.1:5000", show_default=True, help="Adres dat wordt getoond.")
@click.pass_context
@cli_errors
def demo_group(ctx, clients, today, url):
    if ctx.invoked_subcommand is not None:
        return
    settings = current_app.extensions["herinschrijving.settings"]
    if settings.is_production:
        click.echo("Fout: de democampagne is niet beschikbaar in productie.", err=True)
        raise SystemExit(2)
    with database().transaction() as session:
        result = demo.build_demo(session, clients=clients, today=resolve_today(today), dispatch=dispatch_step_letters)
        add_imports_demo(session, result.campaign, resolve_today(today))  # imports may not be imported by campaign/
        add_letters_demo(session, result.campaign, resolve_today(today))  # letters may not be imported by campaign/
        click.echo(
            f"Democampagne {result.campaign.name!r}: {result.total_cases} personen ({result.created_cases} nieuw)."
        )
    click.echo("")
    click.echo(f"Open {url} en log in met een van deze demo-accounts:")
    click.echo(f"  wachtwoord (voor alle): {demo.demo_password()}")
    for role in Role:
        click.echo(f"  {role.label:<20} {demo.demo_email(role)}")
    command = "herinschrijving" if shutil.which("herinschrijving") else ".venv/bin/herinschrijving"
    click.echo(f"De tweede factor (code van 6 cijfers): '{command} demo code EMAIL' toont de geldige code,")
    click.echo(f"of voeg de geheime sleutel toe aan een authenticator-app ('{command} demo code --secret EMAIL').")


@demo_group.command("code", help="Toon de huidige inlogcode (tweede factor) van een demo-account.")
@click.argument("email", default=demo.demo_email(Role.PROJECTLEIDER))
@click.option("--secret", is_flag=True, help="Toon de geheime sleutel in plaats van de code.")
@cli_errors
def demo_code(email, secret):
    from campaign.errors import InvalidInput

    settings = current_app.extensions["herinschrijving.settings"]
    if settings.is_production or not demo.is_demo_account(email):
        raise InvalidInput("Alleen voor demo-accounts buiten productie.")
    role = Role(email.split("@")[0])
    key = demo.DEMO_SECRETS[role]
    click.echo(key if secret else pyotp.TOTP(key).now())


commands = [demo_group]
