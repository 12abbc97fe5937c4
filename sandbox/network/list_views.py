"""Contact lists: a student sorts their connections ("pro", "personal")."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("contact_lists", __name__, url_prefix="/contact-lists")
