"""The composer's @-autocomplete: whom the author may mention.

Only people the author may see are offered (the same rule that resolves a mention), matched on
the start of their username or of the name the author sees (never on a real name hidden behind a
pseudonym).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from sandbox.accounts.models import Role, User
from sandbox.classes.models import SchoolClass
from sandbox.core.text import fold
from sandbox.extensions import db
from sandbox.network.scope import visible_people
from sandbox.profiles.models import Profile

MAX_SUGGESTIONS = 8
_CANDIDATES = 200


def _escaped(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def mention_suggestions(author: User, typed: str) -> list[dict[str, str]]:
    """Up to eight people for "@<typed>": their @handle (what gets written) and shown name.

    Matched on the start of the handle or of a word of the name the author sees, never on a
    login name or a real name hidden behind a pseudonym.
    """
    prefix = fold(typed.lstrip("@"))[:40]
    if not prefix or any(not char.isprintable() for char in prefix):
        return []
    words = prefix.replace(".", " ").split()
    if not words:
        return []
    people = db.session.scalars(
        sa.select(User)
        .outerjoin(Profile, Profile.user_id == User.id)
        .where(
            visible_people(author), User.id != author.id, User.role != Role.ADMIN,
            # Candidates only (search_text holds every name): what is shown is checked below.
            Profile.search_text.like(f"%{_escaped(words[0])}%", escape="\\"),
        )
        .options(joinedload(User.school_class).selectinload(SchoolClass.teachers))
        .order_by(User.last_name, User.first_name, User.id)
        .limit(_CANDIDATES)
    ).all()
    found = []
    for person in people:
        handle = person.mention_handle
        shown = fold(person.public_name).split()
        if handle.startswith(prefix) or any(word.startswith(prefix) for word in shown):
            found.append({"handle": handle, "name": person.name_for(author)})
        if len(found) == MAX_SUGGESTIONS:
            break
    return found
