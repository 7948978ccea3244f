"""htmx helpers: decide on fragments by intent (the target), never on a bare HX-Request."""

from __future__ import annotations

from flask import request
from jinja2_fragments.flask import render_block


def wants_fragment(target_id: str) -> bool:
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Target") == target_id


def render_page_or_block(template: str, block: str, target_id: str, **context):
    """The full page, or only ``block`` when htmx asks for the element ``target_id``."""
    from flask import render_template

    if wants_fragment(target_id):
        return render_block(template, block, **context)
    return render_template(template, **context)
