"""Charter rules of a class."""

from __future__ import annotations

from sandbox.charter.models import CharterRule
from sandbox.classes.models import SchoolClass
from sandbox.extensions import db
from sandbox.seeding.files import default_charter


def copy_default_charter(klass: SchoolClass) -> list[CharterRule]:
    """Give a new class its own copy of the default charter, which its teachers may then edit."""
    rules = [
        CharterRule(
            class_id=klass.id,
            position=position,
            code=rule.code,
            checks=list(rule.checks),
            severity=rule.severity,
            title_fr=rule.title_fr,
            title_en=rule.title_en,
            text_fr=rule.text_fr,
            text_en=rule.text_en,
        )
        for position, rule in enumerate(default_charter().rules, start=1)
    ]
    db.session.add_all(rules)
    return rules
