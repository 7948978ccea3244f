"""The default letter texts per ladder step kind, in plain Dutch (B1).

Bodies are HTML fragments with Jinja placeholders (see ``letters.templates.PLACEHOLDERS``). The letterhead,
address window, reference block and signature come from the fixed layout, not from these texts.
"""

from __future__ import annotations

WERK_NL_STEPS = """
<h2>Zo schrijft u zich in op werk.nl</h2>
<ol>
<li>Ga naar <strong>www.werk.nl</strong> en kies <strong>Inschrijven als werkzoekende</strong>.</li>
<li>Log in met uw <strong>DigiD</strong>. Hebt u geen DigiD? Vraag die aan op www.digid.nl.</li>
<li>Vul uw gegevens in: uw opleiding, uw werkervaring en het werk dat u zoekt.</li>
<li>Klik op <strong>Versturen</strong>. U krijgt een bevestiging. Bewaar die.</li>
</ol>
<p>Lukt het niet? Bel ons. Wij helpen u.</p>
""".strip()

EXEMPTION = """
<h2>Denkt u dat u zich niet hoeft in te schrijven?</h2>
<p>Soms hoeft iemand zich (even) niet in te schrijven. Bijvoorbeeld door een medische reden of door
zorg voor een ander. Bel ons dan vóór {{ termijn }}. Wij bespreken met u wat er kan.
U hoeft ons niet te vertellen welke ziekte u hebt.</p>
""".strip()

CONTACT = """
<h2>Vragen?</h2>
<p>Bel ons op {{ telefoon }} ({{ telefoontijden }}). Noem dan uw kenmerk: <strong>{{ kenmerk }}</strong>.</p>
""".strip()

DEFAULT_TEMPLATES: dict[str, tuple[str, str]] = {
    "uitnodiging": (
        "Schrijf u in als werkzoekende bij UWV",
        f"""
<p>Beste {{{{ naam }}}},</p>
<p>U krijgt een bijstandsuitkering van de gemeente. Daarom moet u ingeschreven staan als werkzoekende
bij UWV. Dat staat in de Participatiewet (artikel 9). Volgens onze gegevens staat u nu niet ingeschreven.</p>
<p><strong>Schrijf u uiterlijk {{{{ termijn }}}} in op werk.nl.</strong></p>
<p>Let op: een inschrijving verloopt na een tijd. Staat u al ingeschreven? Kijk dan op werk.nl of uw
inschrijving nog geldig is.</p>
{WERK_NL_STEPS}
{EXEMPTION}
{CONTACT}
""".strip(),
    ),
    "herinnering": (
        "Herinnering: schrijf u in als werkzoekende bij UWV",
        f"""
<p>Beste {{{{ naam }}}},</p>
<p>Op {{{{ vorige_brief }}}} hebben wij u een brief gestuurd. Daarin vroegen wij u om zich in te schrijven
als werkzoekende bij UWV. Volgens de lijst van UWV van {{{{ uwv_peildatum }}}} staat u nog niet ingeschreven.</p>
<p><strong>Schrijf u uiterlijk {{{{ termijn }}}} in op werk.nl.</strong></p>
<p>Hebt u zich na {{{{ uwv_peildatum }}}} ingeschreven? Dan hoeft u niets te doen.</p>
{WERK_NL_STEPS}
{EXEMPTION}
{CONTACT}
""".strip(),
    ),
    "ultimatum": (
        "Laatste oproep: schrijf u vóór {{ termijn }} in bij UWV",
        f"""
<p>Beste {{{{ naam }}}},</p>
<p>Wij hebben u al twee keer gevraagd om zich in te schrijven als werkzoekende bij UWV. Volgens de lijst van
UWV van {{{{ uwv_peildatum }}}} hebt u dat nog niet gedaan.</p>
<p><strong>U moet zich vóór {{{{ termijn }}}} inschrijven op werk.nl.</strong></p>
<h2>Wat gebeurt er als u zich niet inschrijft?</h2>
<p>Inschrijven is een verplichting uit de Participatiewet (artikel 9). Staat u op {{{{ termijn }}}} nog niet
ingeschreven? Dan kijken wij of wij uw uitkering tijdelijk verlagen (een maatregel, artikel 18 van de
Participatiewet). Dat doen wij niet zomaar. Eerst kijken wij naar uw situatie. U krijgt dan eerst een brief en
u mag uw mening geven voordat wij beslissen.</p>
{WERK_NL_STEPS}
{EXEMPTION}
{CONTACT}
""".strip(),
    ),
    "voornemen": (
        "Wij zijn van plan uw uitkering te verlagen",
        """
<p>Beste {{ naam }},</p>
<p>Wij hebben u gevraagd om zich vóór {{ vorige_termijn }} in te schrijven als werkzoekende bij UWV. Volgens de
lijst van UWV van {{ uwv_peildatum }} hebt u dat niet gedaan.</p>
<h2>Wat wij van plan zijn</h2>
<p>Wij zijn van plan om {{ voorgenomen_uitkomst }}.</p>
<p>{{ motivering }}</p>
<p>Dit doen wij op grond van artikel 9 en artikel 18 van de Participatiewet en onze maatregelenverordening.</p>
<h2>Uw mening geven</h2>
<p>Voordat wij een besluit nemen, mag u zeggen wat u hiervan vindt (artikel 4:8 van de Algemene wet
bestuursrecht). Dat kan tot en met <strong>{{ termijn }}</strong>:</p>
<ul>
<li>telefonisch: bel {{ telefoon }} ({{ telefoontijden }});</li>
<li>per brief: stuur een brief naar {{ retouradres }};</li>
<li>per e-mail: {{ email }}.</li>
</ul>
<p>Noem altijd uw kenmerk: <strong>{{ kenmerk }}</strong>.</p>
<p>Schrijft u zich alsnog in? Laat het ons dan weten. Dat nemen wij mee in ons besluit.</p>
""".strip(),
    ),
    "besluit": (
        "Besluit over uw uitkering",
        """
<p>Beste {{ naam }},</p>
<p>Op {{ vorige_brief }} schreven wij u dat wij van plan waren een maatregel op te leggen, omdat u zich niet
als werkzoekende bij UWV had ingeschreven.</p>
<h2>Ons besluit</h2>
<p>Wij hebben besloten: <strong>{{ uitkomst }}</strong>. {{ ingang }}</p>
<h2>Waarom</h2>
<p>{{ motivering }}</p>
<p>Dit besluit is genomen op grond van artikel 9 en artikel 18 van de Participatiewet, onze
maatregelenverordening en de artikelen 3:46 en 3:47 van de Algemene wet bestuursrecht.</p>
<h2>Bent u het niet eens met dit besluit?</h2>
<p>Dan kunt u bezwaar maken. Dat moet binnen zes weken. Die termijn begint op de dag na de datum van deze
brief{% if bezwaartermijn %}: uw bezwaar moet uiterlijk op {{ bezwaartermijn }} binnen zijn{% endif %}.
Stuur uw bezwaar naar het college van burgemeester en wethouders, {{ retouradres }}.
Zet in uw brief uw naam, adres, de datum, het kenmerk {{ kenmerk }}, waarom u het niet eens bent, en uw
handtekening.</p>
<p>Wilt u eerst met ons praten? Bel {{ telefoon }} ({{ telefoontijden }}).</p>
""".strip(),
    ),
    "intrekking": (
        "Wij trekken onze brief van {{ ingetrokken_brief }} in",
        """
<p>Beste {{ naam }},</p>
<p>Op {{ ingetrokken_brief }} stuurden wij u een brief met als onderwerp:
<strong>{{ ingetrokken_onderwerp }}</strong>.</p>
<p><strong>Die brief trekken wij in. Wat in die brief staat, geldt niet meer.</strong> U hoeft daar niets meer
mee te doen.</p>
<h2>Waarom</h2>
<p>{{ reden }}</p>
<p>Hebben wij u nog iets anders gevraagd? Dan krijgt u daarover een aparte brief.</p>
<h2>Vragen?</h2>
<p>Bel ons op {{ telefoon }} ({{ telefoontijden }}). Noem dan uw kenmerk: <strong>{{ kenmerk }}</strong>.</p>
""".strip(),
    ),
}
