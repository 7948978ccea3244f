"""The progress of a background job, as a fragment that polls only while the job runs."""

from __future__ import annotations

from flask import Blueprint, render_template

from campaign.errors import Forbidden, NotFound
from campaign.models import Job
from web.db_session import get_session
from web.permissions import any_user, current_user

bp = Blueprint("jobs", __name__, url_prefix="/taken")


@bp.route("/<job_id>")
@any_user
def status(job_id: str):
    job = get_session().get(Job, job_id)
    if job is None:
        raise NotFound("Deze taak bestaat niet.")
    if job.created_by is not None and job.created_by != current_user().id and current_user().role == "uwv":
        raise Forbidden("Deze taak is niet van u.")
    return render_template("components/_job_status.html", job=job)
