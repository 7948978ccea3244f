"""Job functions used only by the job-runner tests."""

import sqlalchemy as sa

from campaign.models import Campaign


def count_in_steps(ctx, campaign_id: int, steps: int) -> None:
    with ctx.db.session() as session:
        name = session.scalar(sa.select(Campaign.name).where(Campaign.id == campaign_id))
    for done in range(steps + 1):
        ctx.progress(done, steps, f"stap {done}")
    ctx.set_result(campaign=name)


def fail(ctx) -> None:
    raise ValueError("bewust mislukt")
