"""Socket.IO: who may connect, and which rooms they join.

Only a logged-in session may open a socket (the login cookie is shared with the page). Each user
joins their own room, for a student their class's room, and the room of every group they are an
active member of (a pending request is not membership); emits go to those rooms only. Every
socket also joins the school's room, which carries only content-free moderation events.

Teachers also join the staff room of each class they teach, admins that of every class: the
dashboard's content-free "something happened in this class" signals (`sandbox.dashboard.live`).
Students never join a staff room.

Each exercise not finished yet has a room (`exercise:<id>`, `sandbox.exercises.live`): its
members join it, and so do the teachers of its class and the admins. It carries only
content-free "the timer / the board changed" signals; pages then ask the server again.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room

from sandbox.classes.models import SchoolClass, class_teachers
from sandbox.dashboard.live import class_staff_room
from sandbox.exercises.live import exercise_room
from sandbox.exercises.models import Exercise, ExerciseMember, ExerciseStatus
from sandbox.extensions import db, socketio
from sandbox.groups.models import GroupMembership, MembershipStatus
from sandbox.moderation.live import school_room
from sandbox.notifications.publisher import group_room, user_room

__all__ = ["class_room", "class_staff_room", "exercise_room", "group_room", "on_connect",
           "user_room"]


def class_room(class_id: int) -> str:
    return f"class:{class_id}"


def _staff_class_ids() -> list[int]:
    """The classes whose staff room the current user joins (one query; none for others)."""
    if current_user.is_admin:
        query = sa.select(SchoolClass.id)
    elif current_user.is_teacher:
        query = sa.select(class_teachers.c.class_id).where(
            class_teachers.c.teacher_id == current_user.id
        )
    else:
        return []
    return list(db.session.scalars(query))


def _exercise_ids(staff_class_ids: list[int]) -> list[int]:
    """The exercises not finished yet whose room the current user joins (one query): a
    student's own, the exercises of the classes a teacher teaches (every one for an admin)."""
    unfinished = Exercise.status != ExerciseStatus.FINISHED
    if current_user.is_admin:
        query = sa.select(Exercise.id).where(unfinished)
    elif current_user.is_teacher:
        if not staff_class_ids:
            return []
        query = sa.select(Exercise.id).where(unfinished, Exercise.class_id.in_(staff_class_ids))
    elif current_user.is_student and current_user.class_id is not None:
        query = (sa.select(Exercise.id)
                 .join(ExerciseMember, ExerciseMember.exercise_id == Exercise.id)
                 .where(unfinished, ExerciseMember.user_id == current_user.id,
                        Exercise.class_id == current_user.class_id))
    else:
        return []
    return list(db.session.scalars(query))


@socketio.on("connect")
def on_connect(_auth: object = None) -> None:
    if not current_user.is_authenticated:
        raise ConnectionRefusedError("unauthorized")
    join_room(user_room(current_user.id))
    # Content-free events for everyone (a teacher removed a post: drop its card if shown).
    join_room(school_room())
    if current_user.class_id is not None:
        join_room(class_room(current_user.class_id))
    # One query, whatever the number of groups.
    group_ids = db.session.scalars(
        sa.select(GroupMembership.group_id).where(
            GroupMembership.user_id == current_user.id,
            GroupMembership.status == MembershipStatus.ACTIVE,
        )
    )
    for group_id in group_ids:
        join_room(group_room(group_id))
    staff_class_ids = _staff_class_ids()
    for class_id in staff_class_ids:
        join_room(class_staff_room(class_id))
    for exercise_id in _exercise_ids(staff_class_ids):
        join_room(exercise_room(exercise_id))
