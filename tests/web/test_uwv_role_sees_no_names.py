"""The UWV contact sees BSNs and registration data only: every page and export that role can reach, rendered
with the demo campaign, contains no name or street of anybody in it."""

import io
import itertools
import zipfile

import pytest
import sqlalchemy as sa
from werkzeug.routing.converters import AnyConverter

from campaign.demo import build_demo
from campaign.models import Base, Case
from campaign.roles import Role
from web.permissions import ANY_USER, PUBLIC, declared_roles

TODAY_DEMO = "2026-11-30"
SKIP_ENDPOINTS = {"static", "auth.logout"}


@pytest.fixture
def demo(db):
    import datetime as dt

    with db.transaction() as session:
        result = build_demo(session, clients=25, today=dt.date.fromisoformat(TODAY_DEMO))
        campaign = result.campaign
        people = session.execute(sa.select(Case.surname, Case.first_names, Case.street)).all()
        ids = {"campaign_id": campaign.id}
        for table in Base.metadata.sorted_tables:  # one real id per table, for every <int:..._id> in the url map
            if "id" in table.c and table.name != "users":
                first = session.scalar(sa.select(table.c.id).order_by(table.c.id).limit(1))
                if first is not None:
                    ids.setdefault(table.name.rstrip("s") + "_id", first)
                    ids.setdefault(table.name + "_id", first)
        ids["upload_id"] = ids.get("uwv_upload_id")
        ids["list_id"] = ids.get("uwv_list_id")
    forbidden = {value for person in people for value in person if value and len(value) >= 4}
    return campaign, ids, forbidden


def uwv_endpoints(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP_ENDPOINTS or "GET" not in rule.methods:
            continue
        declared = declared_roles(app.view_functions[rule.endpoint])
        if declared in (ANY_USER, PUBLIC) or Role.UWV in declared:
            yield rule


def urls_for(rule, ids):
    choices = []
    for argument in rule.arguments:
        converter = rule._converters.get(argument)
        if isinstance(converter, AnyConverter):
            choices.append([(argument, item) for item in sorted(converter.items)])
        elif argument == "name":  # a downloadable list: try every registered one (others must refuse)
            from imports.lists import REGISTRY

            choices.append([(argument, item) for item in sorted(REGISTRY)])
        elif argument == "job_id":
            choices.append([(argument, ids.get("job_id", "0"))])
        else:
            choices.append([(argument, ids.get(argument) or ids.get(argument.removesuffix("_id") + "s_id") or 1)])
    for combination in itertools.product(*choices):
        yield rule.build(dict(combination), append_unknown=False)[1]


def readable_text(response) -> str:
    data = response.data
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return " ".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return data.decode("utf-8", "replace")


def test_no_page_or_export_for_the_uwv_role_shows_a_name_or_street(web, demo):
    campaign, ids, forbidden = demo
    assert len(forbidden) > 20  # the demo people's surnames, first names and streets
    with web.app.app_context():
        from campaign.models import Job

        session = web.app.extensions["herinschrijving.db"].session()
        ids["job_id"] = session.scalar(sa.select(Job.id).limit(1)) or "0"
        session.close()
    web.login_as(Role.UWV, campaigns=[campaign])
    visited = {}
    for rule in uwv_endpoints(web.app):
        for url in urls_for(rule, ids):
            response = web.client.get(url)
            assert response.status_code < 500, url
            text = readable_text(response)
            leaks = sorted(value for value in forbidden if value in text)
            assert leaks == [], f"{url} shows {leaks[:3]}"
            visited[url] = response.status_code
    opened = {url for url, status in visited.items() if status == 200}
    assert f"/uwv-lijsten/campagnes/{campaign.id}" in opened
    assert f"/uwv-lijsten/campagnes/{campaign.id}/te-controleren.xlsx" in opened
    assert f"/uwv-lijsten/controles/{ids['upload_id']}" in opened
    assert f"/campagnes/{campaign.id}" in opened


def test_the_uwv_role_cannot_open_any_page_that_shows_case_content(web, demo):
    campaign, ids, _ = demo
    web.login_as(Role.UWV, campaigns=[campaign])
    for url in ("/inzage/", "/beheer/accounts"):
        assert web.get(url).status == 403
