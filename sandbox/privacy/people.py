"""Names in a student's archive: every other person as the student sees them, nothing more."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from sandbox.accounts.models import User
from sandbox.extensions import db


class NameBook:
    """The names of the people a student's data refers to, loaded in batches (one query each).

    A name is what `User.name_for(student)` gives: a pseudonym stays a pseudonym, whoever
    downloads the archive (it is the student's copy of what they see, even when a teacher asks).
    """

    def __init__(self, student: User) -> None:
        self.student = student
        self._names: dict[int, str] = {student.id: student.name_for(student)}

    def load(self, ids: Iterable[int | None]) -> None:
        """Fetch the names of `ids` not known yet (one query, none when all are known)."""
        wanted = {i for i in ids if i is not None and i not in self._names}
        if not wanted:
            return
        people = db.session.scalars(
            sa.select(User).where(User.id.in_(wanted)).options(joinedload(User.school_class))
        )
        for person in people:
            self._names[person.id] = person.name_for(self.student)

    def name(self, user_id: int | None) -> str | None:
        """The name of a loaded person; None for nobody (or someone erased since)."""
        return self._names.get(user_id) if user_id is not None else None


def iso(value: datetime | date | None) -> str | None:
    """ISO 8601: dates as they are, timestamps in UTC with a "Z" (they are stored in UTC)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat() + "Z"
    return value.isoformat()
