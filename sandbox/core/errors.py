"""Errors raised by services and shown to people by the views."""

from __future__ import annotations


class ServiceError(Exception):
    """A rule was broken by the input; `message` is translatable text for the user.

    `field` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class PermissionDenied(ServiceError):
    """The acting user may not do this; views answer 403."""


class NotFound(ServiceError):
    """The object does not exist, or the acting user may not know it exists; views answer 404."""
