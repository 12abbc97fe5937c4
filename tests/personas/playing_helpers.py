"""What the play-as tests share: a live exercise, a conversation, an offer and an application."""

from __future__ import annotations



from sandbox.accounts.models import User
from sandbox.classes.models import SchoolClass
from sandbox.companies.models import Company, JobKind, JobOffer
from sandbox.core.time import utcnow
from sandbox.exercises.models import (
    Exercise,
    ExerciseMember,
    ExerciseStatus,
    ExerciseTeam,
    ExerciseTemplate,
    TeamRole,
)
from sandbox.extensions import db
from sandbox.jobs.models import Application
from sandbox.messages.models import Message
from sandbox.messages.services import send_message
from sandbox.network.services import connect

LETTER = ("Madame, votre offre de stage en logistique m'intéresse : je prépare un BTS et "
          "j'aimerais découvrir votre entrepôt.")


def start_exercise(klass: SchoolClass, company: Company, recruiters: list[User], *,
                   status: ExerciseStatus = ExerciseStatus.RUNNING,
                   candidates: list[User] = ()) -> Exercise:  # type: ignore[assignment]
    """A recruitment exercise of `klass` where `recruiters` play `company`, started now
    (unless a draft): what the persona received before is not the recruiters' to read."""
    started = None if status is ExerciseStatus.DRAFT else utcnow()
    exercise = Exercise(class_id=klass.id, title="Recrutement simulé",
                        template=ExerciseTemplate.RECRUITMENT, status=status,
                        started_at=started, phase_started_at=started)
    db.session.add(exercise)
    db.session.flush()
    teams = [(ExerciseTeam(exercise_id=exercise.id, name="Recruteurs", role=TeamRole.RECRUITER,
                           company_id=company.id), recruiters)]
    if candidates:
        teams.append((ExerciseTeam(exercise_id=exercise.id, name="Candidats",
                                   role=TeamRole.CANDIDATE), list(candidates)))
    for team, members in teams:
        db.session.add(team)
        db.session.flush()
        for member in members:
            db.session.add(ExerciseMember(exercise_id=exercise.id, user_id=member.id,
                                          team_id=team.id))
    db.session.commit()
    return exercise


def write_to(student: User, persona: User,
             body: str = "Bonjour Madame, merci pour votre accueil.") -> Message:
    """The student, connected to the persona, writes to it."""
    connect(student, persona)
    db.session.commit()
    return send_message(student, persona.id, body)


def offer_of(company: Company, class_id: int | None = None,
             title: str = "Stage logistique") -> JobOffer:
    slug = f"{company.slug}-{title.lower().replace(' ', '-')}"
    offer = JobOffer(slug=slug, company_id=company.id, title=title, kind=JobKind.INTERNSHIP,
                     city="Lyon",
                     description="Préparer les commandes, suivre les stocks.", class_id=class_id)
    db.session.add(offer)
    db.session.commit()
    return offer


def application_of(student: User, offer: JobOffer) -> Application:
    application = Application(offer_id=offer.id, student_id=student.id, cover_letter=LETTER)
    db.session.add(application)
    db.session.commit()
    return application
