"""The letter's cut-down browser defaults (letters/layout/ua.css) lay out every element a letter can hold
exactly as WeasyPrint's full defaults do."""

from __future__ import annotations

from weasyprint import HTML

from campaign.models import Municipality
from letters import defaults, render
from letters.templates import check_template

EVERY_ALLOWED_TAG = f"""
<p>Beste {{{{ naam }}}},</p>
<p>Gewone tekst met <strong>vet</strong>, <b>ook vet</b>, <em>schuin</em>, <i>ook schuin</i>, <u>onderstreept</u>
en <span>een span</span>.<br>Een nieuwe regel na een harde regelovergang.</p>
<h2>Kop twee</h2>
<h3>Kop drie</h3>
<blockquote>Een citaat dat over meer dan één regel doorloopt, zodat de inspringing aan beide kanten zichtbaar wordt
in de opmaak van de brief.</blockquote>
<ol><li>Eerste stap<ul><li>Onderdeel<ul><li>Nog dieper</li></ul></li></ul></li><li>Tweede stap</li></ol>
<ul><li>Een opsomming</li><li>Met twee punten</li></ul>
<table><thead><tr><th>Maand</th><th>Bedrag</th></tr></thead>
<tbody><tr><td>januari</td><td>€ 100,00</td></tr><tr><td>februari</td><td>€ 90,00</td></tr></tbody></table>
{defaults.WERK_NL_STEPS}
<p>Met een termijn tot {{{{ termijn }}}}.</p>
"""


def _boxes(html: str, html_class) -> list[tuple]:
    css, fonts, images = render._pdf_tools()
    document = html_class(string=html, base_url=str(render.LAYOUT_DIR)).render(
        stylesheets=[css], font_config=fonts, cache=images, presentational_hints=False
    )
    found = []
    for number, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            style = box.style
            found.append(
                (
                    number,
                    type(box).__name__,
                    getattr(box, "element_tag", None),
                    getattr(box, "text", None),
                    round(box.position_x, 2),
                    round(box.position_y, 2),
                    round(box.width, 2) if isinstance(box.width, int | float) else box.width,
                    round(box.height, 2) if isinstance(box.height, int | float) else box.height,
                    style["font_weight"],
                    style["font_style"],
                    style["font_size"],
                    tuple(style["text_decoration_line"] or ()),
                )
            )
    return found


def test_a_letter_with_every_allowed_tag_lays_out_as_with_weasyprints_full_browser_defaults():
    m = Municipality(
        name="Gemeente Voorbeeld",
        department="Werk en Inkomen",
        phone="14 010",
        return_address="Postbus 1, 1000 AA  VOORBEELD",
        signatory_name="A. de Vries",
        signatory_function="Teamleider Werk",
    )
    template = check_template(
        "Een onderwerp dat lang genoeg is om in het kenmerkblok af te breken, echt waar", EVERY_ALLOWED_TAG
    )
    values = {
        "naam": "J. de Vries",
        "kenmerk": "ABC-0000001",
        "datum": "23 november 2026",
        "termijn": "7 december 2026",
    }
    document = render.build_html(
        template=template, values=values, address=["J. de Vries", "Coolsingel 40", "3011 AD  ROTTERDAM"], m=m, logo=None
    )
    assert document.enclosure_html is not None
    render._pdf_tools()
    lean = render._process_cache["html"]
    for html in (document.personal_html, document.enclosure_html, document.html):
        full = _boxes(html, HTML)
        assert len(full) > 40
        assert _boxes(html, lean) == full


def test_weasyprint_still_calls_the_hook_that_swaps_in_the_cut_down_browser_defaults(monkeypatch):
    """If a WeasyPrint upgrade renames the hook, letters would silently lay out with the full (slower) defaults."""
    assert callable(vars(HTML).get("_ua_stylesheets")), "WeasyPrint's HTML._ua_stylesheets is gone: see render.py"
    render._pdf_tools()
    lean = render._process_cache["html"]
    calls = []
    original = lean._ua_stylesheets
    monkeypatch.setattr(lean, "_ua_stylesheets", lambda self, forms=False: calls.append(1) or original(self, forms))
    _boxes("<p>Beste lezer,</p>", lean)
    assert calls
