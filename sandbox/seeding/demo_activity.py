"""A few weeks of the demo class, replayed through the app's own services (the charter gate
included), then dated back, so the teacher's dashboard, charts and grades have something to show.

Only `sandbox demo` loads it, once: the browser tests' demo school stays as the demo class seeds it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from sandbox.accounts.models import Role, User
from sandbox.activity.models import ActivityEvent
from sandbox.charter.gate import CharterCoaching, CharterRefusal
from sandbox.charter.models import CharterFinding
from sandbox.core.errors import ServiceError
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.network.invitations import answer_invitation, send_invitation
from sandbox.network.journal import add_outcome
from sandbox.network.models import Invitation, InvitationStatus, NetworkOutcome
from sandbox.posts.comment_services import add_comment
from sandbox.posts.models import Comment, Post
from sandbox.posts.services import create_post
from sandbox.seeding.files import SeedError, _read, _read_yaml


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TextSeed(_Strict):
    draft: str | None = None  # what the student typed first (the charter sends it back)
    text: str | None = None  # what they sent in the end; None: the draft, published anyway
    anyway: bool = False


class CommentSeed(TextSeed):
    post_of: str  # the student whose first post is commented


class StepSeed(_Strict):
    student: str
    days_ago: int
    post: TextSeed | None = None
    comment: CommentSeed | None = None
    invite: str | None = None
    message: str = ""
    accepted: bool = False
    outcome: Literal["name_and_number", "key_date", "recommendation", "advice", "appointment",
                     "recruitment", "document", "support"] | None = None
    contact: str | None = None
    note: str = ""


def read_demo_activity() -> list[StepSeed]:
    data = _read_yaml("demo_activity.yaml")
    if not isinstance(data, list):
        raise SeedError("demo_activity.yaml: a list of steps is expected")
    return [_read(StepSeed, step, "demo_activity.yaml") for step in data]


# Everything a step may write that carries a date the dashboard reads.
_DATED = (ActivityEvent, CharterFinding, Post, Comment, Invitation, NetworkOutcome)


def _latest_ids() -> dict[Any, int]:
    return {model: db.session.scalar(sa.select(sa.func.max(model.id))) or 0 for model in _DATED}


def _date_back(since: dict[Any, int], days_ago: int) -> None:
    moment = utcnow() - timedelta(days=days_ago, hours=days_ago % 5)
    for model, last_id in since.items():
        db.session.execute(sa.update(model).where(model.id > last_id).values(created_at=moment))
    db.session.commit()


def _send(write: Any, seed: TextSeed) -> None:
    """The draft first when there is one (kept as a finding), then the text the student sent."""
    if seed.draft:
        try:
            write(seed.draft, False)
        except (CharterCoaching, CharterRefusal):
            pass
        else:
            return
    final = seed.draft if seed.anyway or seed.text is None else seed.text
    try:
        write(final, seed.anyway)
    except CharterCoaching:  # a spelling engine stricter than expected: the student insists
        write(final, True)


def already_loaded(students: list[User]) -> bool:
    ids = [student.id for student in students]
    return bool(ids) and db.session.scalar(
        sa.select(sa.func.count()).select_from(ActivityEvent).where(
            ActivityEvent.user_id.in_(ids),
            ActivityEvent.kind.in_(("commented", "invitation_sent", "outcome_recorded")))
    ) > 0


def seed_demo_activity(steps: list[StepSeed], teacher_username: str) -> int:
    """Replay the steps not replayed yet (the whole file once); returns how many ran."""
    people = {user.username: user for user in db.session.scalars(sa.select(User))}
    students = [user for user in people.values() if user.role is Role.STUDENT]
    teacher = people.get(teacher_username)
    if teacher is None or already_loaded(students):
        return 0
    done = 0
    for step in sorted(steps, key=lambda s: -s.days_ago):
        student = people.get(step.student)
        if student is None:
            continue
        since = _latest_ids()
        try:
            _replay(step, student, people, teacher)
        except ServiceError:
            # A demo database from an older version may not allow a step (a person out of
            # reach, a connection already made): the demo starts without it.
            db.session.rollback()
        else:
            done += 1
        _date_back(since, step.days_ago)
    return done


def _first_post_of(user: User | None) -> Post | None:
    if user is None:
        return None
    return db.session.scalar(sa.select(Post).where(Post.author_id == user.id)
                             .order_by(Post.created_at, Post.id).limit(1))


def _replay(step: StepSeed, student: User, people: dict[str, User], teacher: User) -> None:
    if step.post is not None:
        _send(lambda text, ack: create_post(student, body=text, audience="network",
                                            charter_ack=ack), step.post)
    if step.comment is not None:
        post = _first_post_of(people.get(step.comment.post_of))
        if post is not None:
            _send(lambda text, ack: add_comment(student, post.id, text, charter_ack=ack),
                  step.comment)
    if step.invite and step.invite in people:
        sent = send_invitation(student, people[step.invite].id, step.message,
                               send_anyway=True, charter_ack=True)
        if step.accepted and sent.invitation is not None:
            answer_invitation(teacher, sent.invitation.id, InvitationStatus.ACCEPTED)
    if step.outcome is not None:
        contact = people.get(step.contact or "")
        add_outcome(student, step.outcome, contact.id if contact else None, note=step.note)
