"""Following people, companies and hashtags without connecting."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("follows", __name__, url_prefix="/follows")
