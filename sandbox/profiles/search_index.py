"""The folded text a profile is found by. Kept up to date by every write to a profile."""

from __future__ import annotations

from sandbox.accounts.models import User
from sandbox.core.text import fold


def refresh_search_text(user: User) -> None:
    """Recompute `profile.search_text` from the names, headline, city, skills and hashtags.

    It holds every field, whatever its visibility: search only uses it to find candidates,
    then shows a person only when the words match something the viewer may see.
    """
    profile = user.profile
    parts = [
        user.first_name,
        user.last_name,
        user.pseudonym or "",
        profile.headline,
        profile.city,
        *(skill.name for skill in profile.skills),
        *(f"#{tag.tag}" for tag in profile.hashtags),
    ]
    profile.search_text = fold(" ".join(part for part in parts if part))
