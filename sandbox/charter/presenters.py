"""What templates need to show the charter coach: the findings of a refusal, their labels."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from sandbox.charter.display import highlight, severity_label
from sandbox.charter.engine import Finding
from sandbox.charter.gate import CharterCoaching, CharterRefusal


def register_template_helpers(blueprint: Blueprint) -> None:
    @blueprint.app_template_global("charter_findings")
    def charter_findings(error: Any) -> list[Finding]:
        """The findings behind a refusal (empty for any other error)."""
        if isinstance(error, CharterCoaching | CharterRefusal):
            return error.findings
        return []

    @blueprint.app_template_global("charter_coaching")
    def charter_coaching(error: Any) -> bool:
        return isinstance(error, CharterCoaching)

    @blueprint.app_template_global("charter_segments")
    def charter_segments(text: str, findings: list[Finding]) -> list[Any]:
        """`text` cut at the findings, for the template to escape piece by piece."""
        return highlight(text, findings)[0]

    blueprint.add_app_template_global(severity_label, "charter_severity_label")
