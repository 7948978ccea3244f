"""Every route declares who may use it; paths are kebab-case with typed ids (Notify's url_map tests)."""

import re

import pytest

from campaign.roles import Role
from web.permissions import ANY_USER, PUBLIC, declared_roles

PUBLIC_ENDPOINTS = {"static", "auth.login", "auth.second_factor", "auth.enrol", "main.health"}


def test_every_route_declares_its_roles(app):
    undeclared = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and declared_roles(app.view_functions[rule.endpoint]) is None
    ]
    assert undeclared == []


def test_only_login_health_and_static_files_are_public(app):
    public = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint == "static" or declared_roles(app.view_functions[rule.endpoint]) == PUBLIC
    }
    assert public == PUBLIC_ENDPOINTS


def test_paths_are_kebab_case_and_ids_are_typed(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        static_parts = re.sub(r"<[^>]+>", "", rule.rule)
        assert re.fullmatch(r"[a-z0-9/\-.]*", static_parts), rule.rule
        for argument in re.findall(r"<([^>]+)>", rule.rule):
            if argument.endswith("_id") and ":" not in argument and argument != "job_id":
                pytest.fail(f"{rule.rule}: {argument} needs a converter such as <int:...>")


def test_no_route_admits_a_role_that_does_not_exist(app):
    for rule in app.url_map.iter_rules():
        declared = declared_roles(app.view_functions[rule.endpoint]) if rule.endpoint != "static" else PUBLIC
        if declared not in (PUBLIC, ANY_USER):
            assert declared <= set(Role)
