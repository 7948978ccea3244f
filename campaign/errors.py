"""Domain exceptions. Messages are Dutch: they reach the user as they are."""


class DomainError(Exception):
    """A business rule refused the action. ``str(exc)`` is a Dutch message for the user."""


class NotFound(DomainError):
    pass


class Forbidden(DomainError):
    pass


class IllegalTransition(DomainError):
    pass


class StaleData(DomainError):
    """Somebody else changed the object meanwhile (version check)."""


class InvalidInput(DomainError):
    """Bad input; ``location`` names file, row and column where there is one."""

    def __init__(self, message: str, *, location: str = "") -> None:
        super().__init__(message)
        self.location = location

    def __str__(self) -> str:
        base = super().__str__()
        return f"{self.location}: {base}" if self.location else base
