"""The exercises' fixtures: a request context for the services, which read the user's
language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask


@pytest.fixture
def request_context(app: Flask) -> Iterator[None]:
    """Services that name things in the user's language run inside a request."""
    with app.test_request_context():
        yield
