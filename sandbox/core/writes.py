"""Writes that two identical requests may race on (a double click, two tabs)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from sandbox.extensions import db


def commit_unless_duplicate() -> bool:
    """Commit; False (and nothing kept) when a simultaneous request already wrote the same row.

    For rows whose primary key is the whole fact (a follow, a like): the other request's row
    says the same thing, so losing the race is not an error.
    """
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True
