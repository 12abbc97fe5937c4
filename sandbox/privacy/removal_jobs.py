"""An erased student in the job offers, company reviews, exercises and personas' plans.

What is theirs goes: their applications (the cover letters are their words), saved offers,
reviews of companies, their place in exercise teams, and what the personas had planned to do
about them (scheduled actions). Where they only acted for someone else, the row stays without
them: an application they moved while playing a recruiter keeps its status (the decision is the
company's), an exercise they created stays the class's, a persona they were playing goes back
to acting on its own. Offers written in a class are the class's: they name nobody personally,
and `scrub` blanks the student's name should their text mention it.

Runs inside `removal.remove_student`, children first, without relying on ON DELETE rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from sandbox.companies.models import JobOffer
from sandbox.exercises.models import Exercise, ExerciseMember
from sandbox.extensions import db
from sandbox.jobs.models import Application, SavedOffer
from sandbox.personas.models import Persona, ScheduledAction
from sandbox.reviews.models import CompanyReview

Delete = Callable[..., None]

# The columns to users.id of these tables (see removal.HANDLED_USER_COLUMNS).
JOBS_USER_COLUMNS = frozenset({
    "applications.decided_by_id", "applications.student_id", "company_reviews.author_id",
    "exercise_members.user_id", "exercises.created_by_id", "job_offers.posted_by_id",
    "personas.taken_over_by_id", "saved_offers.user_id", "scheduled_actions.persona_id",
    "scheduled_actions.student_id",
})


def _ids(query: sa.Select[Any]) -> list[int]:
    return sorted(set(db.session.scalars(query)))


def own_applications(sid: int) -> list[int]:
    return _ids(sa.select(Application.id).where(Application.student_id == sid))


def own_reviews(sid: int) -> list[int]:
    return _ids(sa.select(CompanyReview.id).where(CompanyReview.author_id == sid))


def _set_null(column: Any, sid: int) -> None:
    db.session.execute(
        sa.update(column.class_).where(column == sid).values({column.key: None})
        .execution_options(synchronize_session=False)
    )


def remove_jobs(delete: Delete, sid: int, applications: list[int], reviews: list[int]) -> None:
    """Delete the student's rows in these tables and empty the links to them (no commit)."""
    # Pending or not: an action about someone who no longer exists has nothing left to do.
    delete(ScheduledAction, ScheduledAction.student_id == sid,
           ScheduledAction.persona_id == sid)
    delete(SavedOffer, SavedOffer.user_id == sid)
    delete(Application, Application.id.in_(applications))
    _set_null(Application.decided_by_id, sid)
    delete(CompanyReview, CompanyReview.id.in_(reviews))
    delete(ExerciseMember, ExerciseMember.user_id == sid)
    _set_null(Exercise.created_by_id, sid)
    _set_null(JobOffer.posted_by_id, sid)
    # Nobody plays the persona any more: left without a player, it would never act again.
    db.session.execute(
        sa.update(Persona).where(Persona.taken_over_by_id == sid)
        .values(taken_over_by_id=None, autopilot=True)
        .execution_options(synchronize_session=False)
    )
