"""Background jobs of an import run: checking and applying a large file never blocks the web process."""

from __future__ import annotations

from campaign import runtime
from campaign.audit import Actor
from campaign.jobs import JobContext
from campaign.models import ImportRun, User
from imports import runs
from imports.reader import Limits


def _limits() -> Limits:
    return Limits.from_settings(runtime.settings())


def _actor(session, user_id: int | None) -> Actor:
    user = session.get(User, user_id) if user_id else None
    if user is None:
        return Actor.system("achtergrondtaak")
    return Actor(user.id, user.email, "web (achtergrondtaak)", user.role)


def check_job(ctx: JobContext, run_id: int) -> None:
    """Read and check the stored file; the run page shows the result."""

    def progress(done: int, total: int, message: str) -> None:
        ctx.progress(done, total, message)

    with ctx.db.transaction() as session:
        run = session.get(ImportRun, run_id)
        if run is None:
            return
        runs.check_run(session, run, limits=_limits(), progress=progress)
        ctx.set_result(import_run=run_id, status=run.status)


def apply_job(ctx: JobContext, run_id: int) -> None:
    """Apply in ONE transaction; on any error nothing is written and the run can be applied again."""

    def progress(done: int, total: int, message: str) -> None:
        ctx.progress(done, total, message)

    try:
        with ctx.db.transaction() as session:
            run = session.get(ImportRun, run_id)
            if run is None:
                return
            actor = _actor(session, run.applied_by or run.created_by)
            prepared = runs.prepare(session, run, limits=_limits(), progress=progress)
            ctx.progress(0, 0, "Wijzigingen opslaan")
            # SQLite allows one writer: progress rows (another connection) wait until this transaction ends,
            # so only PostgreSQL reports progress while writing.
            counts = runs.apply_run(
                session, run, actor, skip_invalid=run.skip_invalid, limits=_limits(), prepared=prepared,
                progress=None if ctx.db.is_sqlite else progress,
            )  # fmt: skip
        ctx.set_result(import_run=run_id, status="toegepast", **counts)
    except Exception as exc:
        with ctx.db.transaction() as session:
            run = session.get(ImportRun, run_id)
            if run is not None and run.status == "toepassen":
                run.status = "gecontroleerd"
                run.message = f"Toepassen is mislukt; er is niets opgeslagen. {exc}"[:500]
        raise
    with ctx.db.transaction() as session:
        run = session.get(ImportRun, run_id)
        runs.discard_files(session, run.campaign_id)
