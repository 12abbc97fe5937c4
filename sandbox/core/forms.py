"""Helpers shared by every feature's views."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_wtf import FlaskForm

from sandbox.core.errors import ServiceError


def attach_service_error(form: FlaskForm, error: ServiceError) -> bool:
    """Show a service's message beside the field it concerns; False when no field matches."""
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        return False
    field.errors = [*field.errors, str(error.message)] if isinstance(field.errors, list) else [
        str(error.message)
    ]
    return True


def safe_next_url(target: str | None) -> str | None:
    """Only a path on this site: never send someone to another host after logging in."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target
