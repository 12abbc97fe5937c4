"""Writing the class's offers, applications, saved offers, company reviews and exercises, once
this server is known to have the part of the fictional world they refer to.

`find_world` runs before anything is written: a company, seeded offer or persona this server
lacks refuses the import with their names (the seed loads them: `sandbox seed`). An offer of the
class whose address another class here already uses gets the next free one ("-2", "-3"…): the
app made it from the company and the title, nobody chose it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask_babel import gettext as _

from sandbox.accounts.models import Role, User
from sandbox.companies.models import Company, JobOffer
from sandbox.exercises.models import (
    Exercise,
    ExerciseMember,
    ExerciseObjective,
    ExercisePhase,
    ExerciseTeam,
)
from sandbox.extensions import db
from sandbox.jobs.models import Application, SavedOffer
from sandbox.reviews.models import CRITERIA, CompanyReview
from sandbox.transfer.references import TransferError
from sandbox.transfer.schema import ClassDocument

if TYPE_CHECKING:
    from sandbox.transfer.importer import ImportContext

SHOWN = 10


def _pairs(query: sa.Select[Any]) -> dict[Any, Any]:
    return {key: value for key, value in db.session.execute(query)}


def _listed(names: Iterable[str]) -> str:
    names = sorted(names)
    shown = ", ".join(names[:SHOWN])
    if len(names) > SHOWN:
        shown = _("%(usernames)s and %(count)d more", usernames=shown, count=len(names) - SHOWN)
    return shown


def find_world(document: ClassDocument) -> tuple[dict[str, dict[str, int]], list[str]]:
    """This server's ids of the world the document refers to, by type and slug or username, and
    what it lacks, said for the person importing (three queries)."""
    world = document.world
    found = {
        "Company": _pairs(sa.select(Company.slug, Company.id).where(
            Company.slug.in_(world.companies))),
        "JobOffer": _pairs(sa.select(JobOffer.slug, JobOffer.id).where(
            JobOffer.slug.in_(world.offers), JobOffer.class_id.is_(None))),
        "Persona": _pairs(sa.select(User.username, User.id).where(
            User.username.in_(world.personas), User.role == Role.PERSONA)),
    }
    problems = []
    for type_name, wanted, message in (
        ("Company", world.companies,
         _("This server does not have these companies, which the class refers to: "
           "%(names)s.")),
        ("JobOffer", world.offers,
         _("This server does not have these offers of the companies, which the class refers "
           "to: %(names)s.")),
        ("Persona", world.personas,
         _("This server does not have these personas, which the class refers to: "
           "%(names)s.")),
    ):
        missing = set(wanted) - set(found[type_name])
        if missing:
            problems.append(message % {"names": _listed(missing)})
    if problems:
        problems.append(_("Load the fictional school first (sandbox seed), then import again."))
    return found, problems


def _once(items: Iterable[tuple[str, str]], message: str) -> None:
    """Refuse a pair that comes twice (an application per student and offer…)."""
    twice = sorted(pair for pair, count in Counter(items).items() if count > 1)
    if twice:
        raise TransferError(message % {"first": twice[0][0], "second": twice[0][1]})


def check_jobs(document: ClassDocument) -> None:
    """What the database would refuse late, or the app never does, said clearly first."""
    students = {person.username for person in document.people if person.role == "student"}
    acting = ({part.student for part in document.applications}
              | {part.author for part in document.reviews}
              | {member for exercise in document.exercises for team in exercise.teams
                 for member in team.members})
    outsiders = sorted(acting - students)
    if outsiders:
        raise TransferError(_("Only the class's students apply to offers, review companies and "
                              "join exercise teams; not %(usernames)s.",
                              usernames=_listed(outsiders)))
    _once(((part.student, part.offer) for part in document.applications),
          _("%(first)s applied twice to the offer “%(second)s”."))
    _once(((part.user, part.offer) for part in document.saved_offers),
          _("%(first)s saved the offer “%(second)s” twice."))
    _once(((part.author, part.company) for part in document.reviews),
          _("%(first)s reviewed the company “%(second)s” twice."))


def _free_slugs(wanted: list[str]) -> dict[str, str]:
    """Each slug, or the first free "slug-N" when an offer here has it (one query)."""
    if not wanted:
        return {}
    taken = set(db.session.scalars(sa.select(JobOffer.slug).where(sa.or_(
        JobOffer.slug.in_(wanted),
        *(JobOffer.slug.like(f"{slug}-%") for slug in wanted)))))
    free = {}
    for slug in wanted:
        chosen, number = slug, 1
        while chosen in taken:
            number += 1
            chosen = f"{slug}-{number}"
        taken.add(chosen)
        free[slug] = chosen
    return free


def write_jobs(context: ImportContext) -> None:
    ids, document = context.ids, context.document
    offers = document.offers
    slugs = _free_slugs([part.slug for part in offers])
    rows = [JobOffer(
        slug=slugs[part.slug], company_id=ids.id("Company", part.company),
        posted_by_id=ids.optional("Persona", part.posted_by), class_id=context.class_id,
        title=part.title, kind=part.kind, city=part.city, start_date=part.start_date,
        duration=part.duration, description=part.description, is_open=part.is_open,
        created_at=part.created_at) for part in offers]
    db.session.add_all(rows)
    db.session.flush()
    for part, offer in zip(offers, rows, strict=True):
        ids.add("JobOffer", part.slug, offer.id)
    applications = [Application(
        offer_id=ids.id("JobOffer", part.offer), student_id=context.user(part.student),
        cover_letter=part.cover_letter, recruiter_email=part.recruiter_email,
        status=part.status, created_at=part.created_at, updated_at=part.updated_at,
        decided_by_id=context.person(part.decided_by), hidden_at=part.hidden_at)
        for part in document.applications]
    reviews = [CompanyReview(
        company_id=ids.id("Company", part.company), author_id=context.user(part.author),
        recommend=part.recommend, liked=part.liked, advice=part.advice,
        created_at=part.created_at, updated_at=part.updated_at, hidden_at=part.hidden_at,
        deleted_at=part.deleted_at, **{name: getattr(part, name) for name in CRITERIA})
        for part in document.reviews]
    db.session.add_all([*applications, *reviews])
    db.session.add_all(SavedOffer(user_id=context.user(part.user),
                                  offer_id=ids.id("JobOffer", part.offer),
                                  created_at=part.created_at)
                       for part in document.saved_offers)
    db.session.flush()
    for type_name, parts, written in (("Application", document.applications, applications),
                                      ("CompanyReview", document.reviews, reviews)):
        for part, row in zip(parts, written, strict=True):
            ids.add(type_name, part.key, row.id)
    context.counts["offers"] += len(offers)
    context.counts["applications"] += len(applications)
    context.counts["reviews"] += len(reviews)


def write_exercises(context: ImportContext) -> None:
    ids, parts = context.ids, context.document.exercises
    exercises = []
    for part in parts:
        exercise = Exercise(
            class_id=context.class_id, title=part.title, template=part.template,
            status=part.status, created_by_id=context.person(part.created_by),
            created_at=part.created_at, started_at=part.started_at,
            finished_at=part.finished_at, current_phase=part.current_phase,
            phase_started_at=part.phase_started_at,
            paused_remaining_seconds=part.paused_remaining_seconds)
        exercise.phases = [ExercisePhase(**phase.model_dump()) for phase in part.phases]
        exercise.objectives = [ExerciseObjective(**item.model_dump())
                               for item in part.objectives]
        exercise.teams = [ExerciseTeam(name=team.name, role=team.role,
                                       company_id=ids.optional("Company", team.company))
                          for team in part.teams]
        exercises.append(exercise)
    db.session.add_all(exercises)
    db.session.flush()
    for part, exercise in zip(parts, exercises, strict=True):
        ids.add("Exercise", part.key, exercise.id)
        for team_part, team in zip(part.teams, exercise.teams, strict=True):
            db.session.add_all(ExerciseMember(exercise_id=exercise.id, team_id=team.id,
                                              user_id=context.user(username))
                               for username in team_part.members)
    db.session.flush()
    context.counts["exercises"] += len(exercises)
