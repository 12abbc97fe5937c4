"""Every exercise route, registered on the one blueprint by importing their modules."""

from sandbox.exercises import edit_views, page_views  # noqa: F401
from sandbox.exercises.blueprint import blueprint

__all__ = ["blueprint"]
