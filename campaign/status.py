"""Case statuses in words. The derivation from facts lives in ``campaign.lifecycle``."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    POOL = "pool"
    GEEN_ACTIE = "geen_actie"
    AANGESCHREVEN = "aangeschreven"
    INGESCHREVEN = "ingeschreven"
    ONTHEFFING_AANGEVRAAGD = "ontheffing_aangevraagd"
    ONTHEFFING = "ontheffing"
    GEPAUZEERD = "gepauzeerd"
    TERMIJN_VERSTREKEN = "termijn_verstreken"
    MAATREGEL_VOORSTEL = "maatregel_voorstel"
    BEOORDEELD = "beoordeeld"
    VOORNEMEN = "voornemen"
    BESLUIT = "besluit"


STATUS_LABELS = {
    Status.POOL: "Nog niet aangeschreven",
    Status.GEEN_ACTIE: "Geen actie",
    Status.AANGESCHREVEN: "Aangeschreven",
    Status.INGESCHREVEN: "Ingeschreven bij UWV",
    Status.ONTHEFFING_AANGEVRAAGD: "Ontheffing aangevraagd",
    Status.ONTHEFFING: "Ontheffing verleend",
    Status.GEPAUZEERD: "Gepauzeerd",
    Status.TERMIJN_VERSTREKEN: "Termijn verstreken",
    Status.MAATREGEL_VOORSTEL: "Voorstel maatregel",
    Status.BEOORDEELD: "Beoordeeld",
    Status.VOORNEMEN: "Voornemen verzonden",
    Status.BESLUIT: "Besluit genomen",
}

NO_ACTION_REASONS = {
    "AL_INGESCHREVEN": "Al ingeschreven",
    "UITKERING_BEEINDIGD": "Uitkering beëindigd",
    "OVERLEDEN": "Overleden",
    "VERHUISD": "Verhuisd naar andere gemeente",
    "BUITEN_LEEFTIJD": "Jonger dan 18 of AOW-leeftijd bereikt",
    "NIET_REGISTREERBAAR": "Kan zich niet registreren",
    "VOLLEDIG_DUURZAAM_AO": "Volledig en duurzaam arbeidsongeschikt (Pw 9 lid 5)",
    "ONTHEFFING_ALLEENSTAANDE_OUDER": "Ontheffing alleenstaande ouder (Pw 9a)",
    "DETENTIE": "Detentie",
    "ADRES_ONBEKEND": "Adres onbekend",
}
