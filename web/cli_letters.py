"""``herinschrijving waves ...`` and ``herinschrijving letters ...``: waves, print batches, dispatch, returned mail."""

from __future__ import annotations

import sys

import click
import sqlalchemy as sa

from campaign import runtime
from campaign.campaigns import get_campaign
from campaign.dates import dutch_date
from campaign.errors import InvalidInput, NotFound
from campaign.jobs import wait_for_inprocess_jobs
from campaign.models import Job, Letter, PrintBatch
from letters import batches, followups, returned, waves
from web.cli import ISO_DATE, cli_actor, cli_errors, database, resolve_today, today_option


def _plan_options(func):
    for option in reversed(
        [
            click.option("--size", required=True, type=int, help="Aantal personen in de golf."),
            click.option("--team", default="", help="Alleen dit team."),
            click.option("--postcode-van", "postcode_from", default="", help="Vanaf postcode (4 cijfers)."),
            click.option("--postcode-tot", "postcode_to", default="", help="Tot en met postcode (4 cijfers)."),
            click.option("--leeftijd-vanaf", "age_min", default="", help="Vanaf leeftijd."),
            click.option("--leeftijd-tot", "age_max", default="", help="Tot en met leeftijd."),
            click.option("--sample", is_flag=True, help="Willekeurige steekproef (pilot); vereist --seed."),
            click.option("--seed", default="", help="Seed van de steekproef."),
            click.option("--name", default="", help="Naam van de golf."),
        ]
    ):
        func = option(func)
    return func


def _plan(size, team, postcode_from, postcode_to, age_min, age_max, sample, seed, name) -> waves.WavePlan:
    return waves.parse_plan(
        {"size": str(size), "team": team, "postcode_from": postcode_from, "postcode_to": postcode_to,
         "age_min": age_min, "age_max": age_max, "sample": "1" if sample else "", "seed": seed, "name": name}
    )  # fmt: skip


def _wait_and_report(batch_id: int, job_id: str) -> None:
    if runtime.settings().uses_redis:
        click.echo(f"De brieven worden gemaakt door de worker (taak {job_id}).")
        return
    wait_for_inprocess_jobs()
    with database().transaction() as session:
        job = session.get(Job, job_id)
        batch = session.get(PrintBatch, batch_id)
        if job is not None and job.status == "mislukt":
            raise InvalidInput(f"Het maken van printbatch {batch_id} is mislukt: {job.message}")
        click.echo(
            f"Printbatch {batch.id}: {batch.letter_count} brieven, {batch.page_count or 0} pagina's, "
            f"status {batches.BATCH_STATUS_LABELS[batch.status].lower()}."
        )
        if batch.bundle_path:
            click.echo(f"  printbundel:  {batch.bundle_path}")
            click.echo(f"  verzendlijst: {batch.manifest_path}")
            click.echo(f"  SHA-256:      {batch.bundle_sha256}")


@click.group("waves", help="Golven: een deel van de pool aanschrijven.")
def waves_group():
    pass


@waves_group.command("preview", help="Toon wie in een golf zou komen en wie wordt tegengehouden (en waarom).")
@click.argument("campaign")
@_plan_options
@today_option
@cli_errors
def waves_preview(campaign, today, **plan_values):
    with database().transaction() as session:
        row = get_campaign(session, campaign)
        found = waves.preview(session, row, _plan(**plan_values), resolve_today(today))
        click.echo(f"Pool (nog niet aangeschreven): {found.pool_total}")
        click.echo(f"Passend bij de keuze:          {found.matching}")
        click.echo(f"Kan nu een uitnodiging krijgen: {found.eligible}")
        click.echo(f"In deze golf:                  {len(found.selected_ids)}")
        for label, count in found.held_rows:
            click.echo(f"  tegengehouden: {label}: {count}")


@waves_group.command("launch", help="Start een golf: maak de uitnodigingen (stap 1) en hun printbatch.")
@click.argument("campaign")
@_plan_options
@click.option("--letter-date", type=ISO_DATE, default=None, help="Datum op de brieven (standaard: vandaag).")
@click.option("--token", default="", help="Sleutel die een herhaalde opdracht herkent (dan geen tweede golf).")
@today_option
@cli_errors
def waves_launch(campaign, letter_date, token, today, **plan_values):
    day = resolve_today(today)
    plan = _plan(**plan_values)
    with database().transaction() as session:
        row = get_campaign(session, campaign)
        result = waves.launch(
            session, cli_actor(), row, plan, day, token=token or waves.new_token(), letter_date=letter_date or day
        )
        wave_name, batch_id, count = result.wave.name, (result.batch.id if result.batch else None), result.letters
    if result.already_launched:
        click.echo(f"{wave_name} was al gestart met deze sleutel; er zijn geen nieuwe brieven gemaakt.")
        return
    click.echo(f"{wave_name} gestart: {count} uitnodigingen.")
    if batch_id is not None:
        _wait_and_report(batch_id, batches.start_rendering(batch_id, None))


@click.group("letters", help="Brieven: printbatches maken, verzending en retourpost vastleggen.")
def letters_group():
    pass


@letters_group.command("batches", help="Toon de printbatches van een campagne.")
@click.argument("campaign")
@cli_errors
def letters_batches(campaign):
    with database().transaction() as session:
        row = get_campaign(session, campaign)
        for batch in session.scalars(
            sa.select(PrintBatch).where(PrintBatch.campaign_id == row.id).order_by(PrintBatch.id)
        ):
            click.echo(
                f"{batch.id}\tstap {batch.step} ({batch.kind})\t{batch.letter_count} brieven\t"
                f"{batches.BATCH_STATUS_LABELS[batch.status].lower()}\tdatum {dutch_date(batch.letter_date) or '-'}\t"
                f"verzonden {dutch_date(batch.dispatched_on) or '-'}"
            )
        for step, kind, count in batches.unbatched_summary(session, row.id):
            click.echo(f"-\tstap {step} ({kind})\t{count} brieven\tnog te printen")


@letters_group.command("batch", help="Maak een printbatch van de brieven van een stap die nog geprint moeten worden.")
@click.argument("campaign")
@click.option("--step", required=True, type=int, help="De stap van de ladder.")
@click.option("--letter-date", type=ISO_DATE, default=None, help="Datum op de brieven (standaard: vandaag).")
@today_option
@cli_errors
def letters_batch(campaign, step, letter_date, today):
    day = resolve_today(today)
    with database().transaction() as session:
        row = get_campaign(session, campaign)
        ids = batches.unbatched_letter_ids(session, row.id, step)
        batch = batches.create_batch(session, row.id, ids, None, letter_date=letter_date or day)
        batch_id = batch.id
    click.echo(f"Printbatch {batch_id} gemaakt met {len(ids)} brieven.")
    _wait_and_report(batch_id, batches.start_rendering(batch_id, None))


@letters_group.command("render", help="Maak (of hervat) de PDF's van een printbatch.")
@click.argument("batch", type=int)
@cli_errors
def letters_render(batch):
    _wait_and_report(batch, batches.start_rendering(batch, None))


@letters_group.command("dispatch", help="Leg vast dat een printbatch aan de postkamer is gegeven.")
@click.argument("batch", type=int)
@click.option("--on", "dispatched_on", type=ISO_DATE, default=None, help="Verzenddatum (standaard: vandaag).")
@today_option
@cli_errors
def letters_dispatch(batch, dispatched_on, today):
    day = resolve_today(today)
    with database().transaction() as session:
        row = batches.get_batch(session, batch)
        changed = batches.mark_dispatched(session, cli_actor(), row, dispatched_on or day, day)
        if changed:
            click.echo(f"Printbatch {row.id} verzonden op {dutch_date(row.dispatched_on)}: {row.letter_count} brieven.")
        else:
            click.echo(f"Printbatch {row.id} was al als verzonden vastgelegd op {dutch_date(row.dispatched_on)}.")


@letters_group.command("cancel", help="Annuleer een printbatch die nog niet verzonden is.")
@click.argument("batch", type=int)
@click.option("--reason", required=True, help="De reden.")
@today_option
@cli_errors
def letters_cancel(batch, reason, today):
    with database().transaction() as session:
        row = batches.get_batch(session, batch)
        changed = batches.cancel_batch(session, cli_actor(), row, reason, resolve_today(today))
        click.echo(f"Printbatch {row.id} geannuleerd." if changed else f"Printbatch {row.id} was al geannuleerd.")


@letters_group.command("returned", help="Registreer retourpost: een bestand met kenmerken (één per regel; - = stdin).")
@click.argument("file", type=click.File("r", encoding="utf-8-sig"))
@click.option("--campaign", default=None, help="Alleen deze campagne (nummer of naam); standaard alle.")
@today_option
@cli_errors
def letters_returned(file, campaign, today):
    text = file.read(2_000_000)
    with database().transaction() as session:
        campaign_id = get_campaign(session, campaign).id if campaign else None
        report = returned.register_returned(session, cli_actor(), campaign_id, text, resolve_today(today))
    click.echo(f"{len(report.registered)} brieven als retour geregistreerd; de dossiers zijn gepauzeerd.")
    if report.already:
        click.echo(f"Al eerder geregistreerd: {', '.join(report.already)}")
    if report.not_dispatched:
        click.echo(f"Nog geen verzonden brief: {', '.join(report.not_dispatched)}")
    if report.unknown:
        click.echo(f"Onbekende kenmerken: {', '.join(report.unknown)}", err=True)
        sys.exit(2)


def _letter(session, letter_id: int) -> Letter:
    letter = session.get(Letter, letter_id)
    if letter is None:
        raise NotFound(f"Brief {letter_id} bestaat niet.")
    return letter


@letters_group.command("correct", help="Stuur een correctiebrief voor een verzonden brief (vervangt die brief).")
@click.argument("letter", type=int)
@click.option("--reason", required=True, help="Wat er niet klopte (komt bovenaan de nieuwe brief).")
@today_option
@cli_errors
def letters_correct(letter, reason, today):
    with database().transaction() as session:
        original = _letter(session, letter)
        new = followups.create_replacement(session, cli_actor(), original, reason, resolve_today(today))
        click.echo(f"Correctiebrief {new.id} gemaakt; brief {original.id} is vervangen. Hij staat bij Nog te printen.")


@letters_group.command("withdraw", help="Trek een verzonden brief in; er wordt een intrekkingsbrief gemaakt.")
@click.argument("letter", type=int)
@click.option("--reason", required=True, help="Waarom de brief wordt ingetrokken (komt in de intrekkingsbrief).")
@click.option("--no-action-reason", default="", help="Tegelijk een reden geen actie (code, bijv. OVERLEDEN).")
@today_option
@cli_errors
def letters_withdraw(letter, reason, no_action_reason, today):
    with database().transaction() as session:
        original = _letter(session, letter)
        notice = followups.withdraw(
            session, cli_actor(), original, reason, resolve_today(today), no_action_reason=no_action_reason.upper()
        )
        click.echo(f"Brief {original.id} ingetrokken; intrekkingsbrief {notice.id} staat bij Nog te printen.")


commands = [waves_group, letters_group]
