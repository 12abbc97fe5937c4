"""The dashboard's blueprint; its routes live in the `*_views` modules that `views` imports."""

from flask import Blueprint

blueprint = Blueprint("dashboard", __name__)

# Ids in URLs: beyond what the database stores there is no such row, so a 404 rather than a 500.
ID = "int(min=1, max=2147483647)"
CLASS_ID = f"<{ID}:class_id>"
STUDENT_ID = f"<{ID}:student_id>"
