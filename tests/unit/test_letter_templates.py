"""Letter templates: sanitised HTML, sandboxed placeholders, and the default texts."""

from __future__ import annotations

import pytest

from campaign.errors import InvalidInput
from letters import templates
from letters.defaults import DEFAULT_TEMPLATES


@pytest.mark.parametrize("kind", list(DEFAULT_TEMPLATES))
def test_every_default_text_passes_its_own_checks_and_names_the_phone_number(kind):
    subject, body = DEFAULT_TEMPLATES[kind]
    checked = templates.check_template(subject, body)
    assert "{{ telefoon }}" in checked.body
    assert "{{ naam }}" in checked.body


def test_the_ultimatum_and_the_decisions_carry_their_legal_clauses():
    assert "vóór {{ termijn }}" in DEFAULT_TEMPLATES["ultimatum"][1]
    assert "4:8" in DEFAULT_TEMPLATES["voornemen"][1]
    besluit = DEFAULT_TEMPLATES["besluit"][1]
    assert "bezwaar" in besluit and "zes weken" in besluit and "3:46" in besluit


def test_scripts_attributes_and_links_are_removed_from_authored_html():
    checked = templates.check_template(
        "Onderwerp", '<p onclick="x()">Hoi <a href="javascript:x">hier</a><img src=x></p><script>x</script>'
    )
    assert checked.body == "<p>Hoi hier</p>"


def test_placeholder_values_are_escaped():
    checked = templates.check_template("Over {{ naam }}", "<p>{{ naam }}</p>")
    subject, body = templates.render_parts(checked, {"naam": "<b>Jan</b> & Piet"})
    assert subject == "Over <b>Jan</b> & Piet"  # plain text, escaped by the layout
    assert str(body) == "<p>&lt;b&gt;Jan&lt;/b&gt; &amp; Piet</p>"


@pytest.mark.parametrize(
    "body",
    ["<p>{{ naam.__class__.__mro__ }}</p>", "<p>{{ ''.__class__ }}</p>", "<p>{% for x in range(10**9) %}{% endfor %}"],
)
def test_the_sandbox_refuses_reaching_into_python(body):
    with pytest.raises(InvalidInput):
        templates.check_template("Onderwerp", body)


def test_syntax_errors_name_the_line():
    with pytest.raises(InvalidInput, match="regel 2"):
        templates.check_template("Onderwerp", "<p>a</p>\n<p>{{ naam </p>")


def test_loops_and_assignments_are_refused_but_choices_are_allowed():
    with pytest.raises(InvalidInput, match="geen herhalingen"):
        templates.check_template("Onderwerp", "<p>{% for c in naam %}{{ c }}{% endfor %}</p>")
    with pytest.raises(InvalidInput, match="geen herhalingen"):
        templates.check_template("Onderwerp", "<p>{% set x = 1 %}</p>")
    checked = templates.check_template("Onderwerp", "<p>{% if vorige_brief %}Op {{ vorige_brief }}{% endif %}</p>")
    assert str(templates.render_parts(checked, {"vorige_brief": "2 november 2026"})[1]) == "<p>Op 2 november 2026</p>"


def test_the_sanction_tracks_frozen_data_fills_the_notice_and_decision_texts():
    from letters.render import frozen_deadline, step_values

    intent = {"intended_outcome": "verlaging", "percentage": 30, "months": 1, "view_deadline": "2026-12-07",
              "facts": "U stond op 20 november 2026 niet ingeschreven."}  # fmt: skip
    values = step_values(intent)
    assert values["voorgenomen_uitkomst"] == "uw uitkering 1 maand met 30% te verlagen"
    assert values["motivering"] == "U stond op 20 november 2026 niet ingeschreven."
    assert str(frozen_deadline(intent)) == "2026-12-07"
    decision = {"outcome": "verlaging", "outcome_text": "Verlaging van de uitkering", "percentage": 30, "months": 2,
                "effective_month_text": "januari 2027", "motivation": "Geen dringende reden gebleken.",
                "objection_deadline_text": "12 januari 2027"}  # fmt: skip
    values = step_values(decision)
    assert values["uitkomst"] == "verlaging van de uitkering met 30% gedurende 2 maanden"
    assert values["ingang"] == "De verlaging gaat in vanaf januari 2027."
    checked = templates.check_template(*DEFAULT_TEMPLATES["besluit"])
    body = str(templates.render_parts(checked, values)[1])
    assert "uiterlijk op 12 januari 2027 binnen" in body
    assert "Geen dringende reden gebleken." in body
