"""The job-search and exercise sections of a student's archive: their applications (with their
cover letters), saved offers, reviews of companies, and the exercise teams they were in.

Only what is theirs: an application they handled while playing a recruiter is the candidate's,
not theirs, so it is not here (their activity log says they did it). Who, behind a company,
moved their application is not said either: on the site, the company answers.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from sandbox.accounts.models import User
from sandbox.companies.models import JobOffer
from sandbox.exercises.models import Exercise, ExerciseMember, ExerciseObjective, ExerciseTeam
from sandbox.extensions import db
from sandbox.jobs.models import Application, SavedOffer
from sandbox.privacy.people import NameBook, iso
from sandbox.reviews.models import CRITERIA, CompanyReview


def _offer(offer: JobOffer) -> dict[str, Any]:
    return {"title": offer.title, "company": offer.company.name, "kind": offer.kind.value,
            "city": offer.city}


def applications_section(student: User) -> list[dict[str, Any]]:
    """Every application, with the letter as the student wrote it (even one a teacher hid)."""
    rows = db.session.scalars(
        sa.select(Application).where(Application.student_id == student.id)
        .options(joinedload(Application.offer).joinedload(JobOffer.company))
        .order_by(Application.created_at, Application.id)
    ).all()
    return [{"offer": _offer(row.offer), "cover_letter": row.cover_letter,
             "recruiter_email": row.recruiter_email, "status": row.status.value,
             "sent_at": iso(row.created_at), "updated_at": iso(row.updated_at),
             "hidden_by_teacher_at": iso(row.hidden_at)} for row in rows]


def saved_offers_section(student: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        sa.select(SavedOffer).where(SavedOffer.user_id == student.id)
        .options(joinedload(SavedOffer.offer).joinedload(JobOffer.company))
        .order_by(SavedOffer.created_at, SavedOffer.offer_id)
    ).all()
    return [{"offer": _offer(row.offer), "saved_at": iso(row.created_at)} for row in rows]


def reviews_section(student: User) -> list[dict[str, Any]]:
    """The student's reviews of companies, deleted or hidden ones too (they are still stored)."""
    rows = db.session.scalars(
        sa.select(CompanyReview).where(CompanyReview.author_id == student.id)
        .options(joinedload(CompanyReview.company))
        .order_by(CompanyReview.created_at, CompanyReview.id)
    ).all()
    return [{"company": row.company.name, "recommend": row.recommend,
             "scores": {name: getattr(row, name) for name in CRITERIA},
             "liked": row.liked, "advice": row.advice, "written_at": iso(row.created_at),
             "updated_at": iso(row.updated_at), "hidden_by_teacher_at": iso(row.hidden_at),
             "deleted_at": iso(row.deleted_at)} for row in rows]


def exercises_section(student: User, book: NameBook) -> list[dict[str, Any]]:
    """Each exercise the student took part in: their team, its role (and company for a
    recruiter team), their teammates by the name the student sees, the role's objectives."""
    memberships = db.session.scalars(
        sa.select(ExerciseMember).where(ExerciseMember.user_id == student.id)
        .options(joinedload(ExerciseMember.team).joinedload(ExerciseTeam.company),
                 joinedload(ExerciseMember.team).joinedload(ExerciseTeam.exercise))
    ).all()
    team_ids = [row.team_id for row in memberships]
    teammates = db.session.execute(
        sa.select(ExerciseMember.team_id, ExerciseMember.user_id)
        .where(ExerciseMember.team_id.in_(team_ids), ExerciseMember.user_id != student.id)
    ).all() if team_ids else []
    book.load(row.user_id for row in teammates)
    exercise_ids = [row.exercise_id for row in memberships]
    objectives = db.session.scalars(
        sa.select(ExerciseObjective).where(ExerciseObjective.exercise_id.in_(exercise_ids))
        .order_by(ExerciseObjective.position, ExerciseObjective.id)
    ).all() if exercise_ids else []
    lines = []
    for row in sorted(memberships, key=lambda row: (row.team.exercise.created_at,
                                                    row.exercise_id)):
        team, exercise = row.team, row.team.exercise
        lines.append(_exercise_line(exercise, team, sorted(filter(None, (
            book.name(mate.user_id) for mate in teammates if mate.team_id == team.id))),
            [item for item in objectives
             if item.exercise_id == exercise.id and item.role == team.role]))
    return lines


def _exercise_line(exercise: Exercise, team: ExerciseTeam, teammates: list[str],
                   objectives: list[ExerciseObjective]) -> dict[str, Any]:
    return {
        "exercise": exercise.title, "template": exercise.template.value,
        "status": exercise.status.value, "started_at": iso(exercise.started_at),
        "finished_at": iso(exercise.finished_at), "team": team.name, "role": team.role.value,
        "company": team.company.name if team.company is not None else None,
        "teammates": teammates,
        "objectives": [{"kind": item.kind.value, "target": item.target} for item in objectives],
    }
