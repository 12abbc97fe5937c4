"""What views need from the charter gate: the student's "send anyway", and the refusal's findings."""

from __future__ import annotations

from typing import Any

from flask import request

from sandbox.charter.gate import CharterCoaching, CharterRefusal


def charter_ack() -> bool:
    """The student ticked "publish anyway" after reading the charter coach's advice."""
    return request.form.get("charter_ack") == "1"


def charter_error(error: Exception | None) -> CharterCoaching | CharterRefusal | None:
    """The error when the charter refused the text (for the coach box), else None."""
    return error if isinstance(error, CharterCoaching | CharterRefusal) else None


def findings_json(error: Exception) -> list[dict[str, Any]]:
    """The findings of a charter refusal, for a JSON answer (empty for other errors)."""
    refusal = charter_error(error)
    return [finding.as_json() for finding in refusal.findings] if refusal else []
