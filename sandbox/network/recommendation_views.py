"""Recommendations, skill endorsements and the journal of what contacts brought."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("recommendations", __name__)
