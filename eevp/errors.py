"""Domain errors. Pages and the CLI catch :class:`EevpError` and show its message."""

from __future__ import annotations


class EevpError(Exception):
    """Base class: the message is meant for a person and names the fix."""


class InputError(EevpError):
    """A file or value could not be read or understood."""


class ValidationFailed(EevpError):
    """Rows failed validation; ``errors`` holds one dict per problem (row, column, value, message)."""

    def __init__(self, message: str, errors: list[dict] | None = None, result=None):
        super().__init__(message)
        self.errors = errors or []
        self.result = result


class DuplicateBatchError(EevpError):
    """The same file content was stored before."""

    def __init__(self, message: str, batch_id: int):
        super().__init__(message)
        self.batch_id = batch_id


class NotFoundError(EevpError):
    """A batch, theme or record that was asked for does not exist."""


class TooFewUnitsError(EevpError):
    """Not enough text to build themes."""


class AccessDenied(EevpError):
    """The current user's role may not do this."""


class AnalysisRunning(EevpError):
    """A second analysis was asked for while one is running."""
