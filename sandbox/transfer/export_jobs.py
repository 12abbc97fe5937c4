"""The class's offers, its members' applications, saved offers and company reviews, its
exercises, and the part of the school's fictional world they refer to.

Companies, seeded offers and personas are not the class's: they are named by slug or username
(`world_part` lists those the document uses). An application or a saved offer about an offer of
another class is left out (counted), as is a team member no longer in the class.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from sandbox.accounts.models import Role, User
from sandbox.companies.models import Company, JobOffer
from sandbox.exercises.models import Exercise, ExerciseTeam
from sandbox.extensions import db
from sandbox.jobs.models import Application, SavedOffer
from sandbox.reviews.models import CRITERIA, CompanyReview
from sandbox.transfer.document import Row, in_order, stamp

if TYPE_CHECKING:
    from sandbox.transfer.exporter import ExportContext

WORLD_PARTS = {"Company": "companies", "JobOffer": "offers", "Persona": "personas"}


def _pairs(query: sa.Select[Any]) -> dict[Any, Any]:
    return {key: value for key, value in db.session.execute(query)}


def load_world(context: ExportContext) -> None:
    """Every company, seeded offer and persona of this server, by id (three small queries)."""
    world = context.keys.world
    world["Company"] = _pairs(sa.select(Company.id, Company.slug))
    world["JobOffer"] = _pairs(
        sa.select(JobOffer.id, JobOffer.slug).where(JobOffer.class_id.is_(None)))
    world["Persona"] = _pairs(
        sa.select(User.id, User.username).where(User.role == Role.PERSONA))


def world_part(context: ExportContext) -> dict[str, list[str]]:
    """What the document referred to in the world: called once every other part is made."""
    return {part: sorted(context.keys.used.get(type_name, set()))
            for type_name, part in WORLD_PARTS.items()}


def offers_part(context: ExportContext) -> list[dict[str, Any]]:
    """The offers written in the class, keyed by their slug (applications name them so)."""
    offers = db.session.scalars(
        sa.select(JobOffer).where(JobOffer.class_id == context.klass.id)
        .order_by(JobOffer.slug)).all()
    parts = []
    for offer in offers:
        context.keys.add("JobOffer", offer.id, offer.slug)
        parts.append({
            "slug": offer.slug,
            "company": context.link("Company", offer.company_id),
            "posted_by": context.link("Persona", offer.posted_by_id),
            "title": offer.title, "kind": offer.kind.value, "city": offer.city,
            "start_date": stamp(offer.start_date), "duration": offer.duration,
            "description": offer.description, "is_open": offer.is_open,
            "created_at": stamp(offer.created_at),
        })
    return parts


def _offer(context: ExportContext, offer_id: int) -> str | None:
    """The offer's slug when the document may refer to it (counted when it may not)."""
    key = context.keys.key("JobOffer", offer_id)
    if key is None:
        context.omitted["offers_elsewhere"] += 1
    return key


def applications_part(context: ExportContext) -> list[dict[str, Any]]:
    rows: list[Row] = []
    for application in db.session.scalars(sa.select(Application).where(
            Application.student_id.in_(context.member_ids))):
        offer = _offer(context, application.offer_id)
        if offer is None:
            continue
        rows.append(({
            "offer": offer, "student": context.username(application.student_id),
            "cover_letter": application.cover_letter,
            "recruiter_email": application.recruiter_email,
            "status": application.status.value,
            "created_at": stamp(application.created_at),
            "updated_at": stamp(application.updated_at),
            "decided_by": context.person(application.decided_by_id),
            "hidden_at": stamp(application.hidden_at),
        }, application.id))
    return [record for record, _id in context.keyed(rows, "Application", "application",
                                                    "created_at", "student", "offer")]


def saved_offers_part(context: ExportContext) -> list[dict[str, Any]]:
    rows: list[Row] = []
    for saved in db.session.scalars(sa.select(SavedOffer).where(
            SavedOffer.user_id.in_(context.member_ids))):
        offer = _offer(context, saved.offer_id)
        if offer is not None:
            rows.append(({"user": context.username(saved.user_id), "offer": offer,
                          "created_at": stamp(saved.created_at)}, saved.offer_id))
    return in_order(rows, "user", "offer")


def reviews_part(context: ExportContext) -> list[dict[str, Any]]:
    rows: list[Row] = []
    for review in db.session.scalars(sa.select(CompanyReview).where(
            CompanyReview.author_id.in_(context.member_ids))):
        record = {"company": context.link("Company", review.company_id),
                  "author": context.username(review.author_id), "recommend": review.recommend}
        record.update({name: getattr(review, name) for name in CRITERIA})
        record.update({
            "liked": review.liked, "advice": review.advice,
            "created_at": stamp(review.created_at), "updated_at": stamp(review.updated_at),
            "hidden_at": stamp(review.hidden_at), "deleted_at": stamp(review.deleted_at),
        })
        rows.append((record, review.id))
    return [record for record, _id in context.keyed(rows, "CompanyReview", "review",
                                                    "created_at", "author", "company")]


def _team(context: ExportContext, team: ExerciseTeam) -> dict[str, Any]:
    members = []
    for member in team.members:
        if context.is_member(member.user_id):
            members.append(context.username(member.user_id))
        else:
            context.omitted["team_members"] += 1
    return {"name": team.name, "role": team.role.value,
            "company": context.link("Company", team.company_id), "members": sorted(members)}


def exercises_part(context: ExportContext) -> list[dict[str, Any]]:
    """The class's exercises with their phases, teams and objectives. The personas' scheduled
    actions are not moved: the new server's personas plan their own."""
    exercises = db.session.scalars(
        sa.select(Exercise).where(Exercise.class_id == context.klass.id).options(
            selectinload(Exercise.phases), selectinload(Exercise.objectives),
            selectinload(Exercise.teams).selectinload(ExerciseTeam.members))).all()
    objectives: dict[int, list[Row]] = defaultdict(list)
    rows: list[Row] = []
    for exercise in exercises:
        for item in exercise.objectives:
            objectives[exercise.id].append(({"role": item.role.value, "kind": item.kind.value,
                                             "target": item.target,
                                             "position": item.position}, item.id))
        rows.append(({
            "title": exercise.title, "template": exercise.template.value,
            "status": exercise.status.value, "created_by": context.person(exercise.created_by_id),
            "created_at": stamp(exercise.created_at), "started_at": stamp(exercise.started_at),
            "finished_at": stamp(exercise.finished_at), "current_phase": exercise.current_phase,
            "phase_started_at": stamp(exercise.phase_started_at),
            "paused_remaining_seconds": exercise.paused_remaining_seconds,
            "phases": in_order(((({"position": phase.position, "name": phase.name,
                                   "minutes": phase.minutes}), phase.id)
                                for phase in exercise.phases), "position"),
            "teams": in_order(((_team(context, team), team.id) for team in exercise.teams),
                              "name"),
            "objectives": in_order(objectives[exercise.id], "position", "role", "kind"),
        }, exercise.id))
    return [record for record, _id in context.keyed(rows, "Exercise", "exercise",
                                                    "created_at", "title")]
