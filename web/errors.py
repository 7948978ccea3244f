"""Domain errors and HTTP errors become Dutch pages, never tracebacks."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

from campaign.errors import DomainError, Forbidden, NotFound, StaleData

MESSAGES = {
    400: ("Ongeldig verzoek", "Het verzoek kon niet worden verwerkt."),
    401: ("Niet ingelogd", "Log opnieuw in om verder te gaan."),
    403: ("Geen toegang", "U hebt met uw rol geen toegang tot deze pagina."),
    404: ("Niet gevonden", "Deze pagina of dit dossier bestaat niet."),
    405: ("Niet toegestaan", "Deze handeling is hier niet mogelijk."),
    409: ("Gewijzigd door een ander", "Iemand anders heeft dit intussen gewijzigd."),
    413: ("Bestand te groot", "Het bestand is groter dan toegestaan."),
    422: ("Controleer de invoer", "De invoer is niet volledig of niet juist."),
    500: ("Er ging iets mis", "Er is een onverwachte fout opgetreden. De fout is vastgelegd."),
}


def error_page(status: int, detail: str | None = None):
    title, message = MESSAGES.get(status, MESSAGES[500])
    return render_template("error.html", title=title, message=detail or message, status=status), status


def init_app(app: Flask) -> None:
    for status in MESSAGES:
        if status == 422:
            continue
        app.register_error_handler(status, lambda exc, status=status: error_page(status))

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        return error_page(400, "Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.")

    @app.errorhandler(NotFound)
    def _not_found(exc):
        return error_page(404, str(exc))

    @app.errorhandler(Forbidden)
    def _forbidden(exc):
        return error_page(403, str(exc))

    @app.errorhandler(StaleData)
    def _stale(exc):
        return error_page(409, str(exc))

    @app.errorhandler(DomainError)
    def _domain(exc):
        return error_page(422, str(exc))
