"""Live removal: when a teacher hides or deletes content, open pages drop it without reload.

The event says only which kind of content and its id: no text, no author, no reason. That is
why it may go to one room that every logged-in socket joins (`SCHOOL_ROOM`): whoever has the
card on screen removes it, and everyone else learns nothing they could not already see. It is
queued with `publish`, so it leaves only once the teacher's action is committed.
"""

from __future__ import annotations

from sandbox.moderation.models import ContentKind
from sandbox.notifications.publisher import publish

REMOVED_EVENT = "content_removed"
SCHOOL_ROOM = "school"


def school_room() -> str:
    """The room of every authenticated socket (joined in `sandbox.realtime.on_connect`)."""
    return SCHOOL_ROOM


def announce_removal(kind: ContentKind, content_id: int) -> None:
    """Queue the content-free removal event; it goes out after the commit, or never."""
    publish(REMOVED_EVENT, {"kind": kind.value, "id": content_id}, school_room())
