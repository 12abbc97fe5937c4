"""Fixtures of the messages tests: Léa connected with her classmate Hugo and with a persona."""

from __future__ import annotations

import pytest

from sandbox.extensions import db
from sandbox.network.services import connect


@pytest.fixture
def lea(school):  # type: ignore[no-untyped-def]
    """Léa, connected with Hugo (classmate) and Claire (persona); not with her teacher."""
    student = school["student"]
    connect(student, school["classmate"])
    connect(student, school["persona"])
    db.session.commit()
    return student
