"""Every dashboard route, registered on the one blueprint by importing their modules."""

from sandbox.dashboard import chart_views, feed_views, overview_views, student_views  # noqa: F401
from sandbox.dashboard.blueprint import blueprint

__all__ = ["blueprint"]
