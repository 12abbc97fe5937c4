"""What the administrator's pages read."""

from __future__ import annotations

import sqlalchemy as sa

from sandbox.accounts.models import Role, User
from sandbox.classes.models import SchoolClass
from sandbox.extensions import db


def people_by_role() -> dict[Role, int]:
    rows = db.session.execute(sa.select(User.role, sa.func.count()).group_by(User.role))
    return {role: count for role, count in rows}


def class_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(SchoolClass)) or 0


def teachers() -> list[User]:
    query = sa.select(User).where(User.role == Role.TEACHER).order_by(User.last_name, User.first_name)
    return list(db.session.scalars(query))
