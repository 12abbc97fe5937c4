"""Fixtures of the jobs tests: offers, a company with its recruiter, letters good and poor."""

from __future__ import annotations

from datetime import date

import pytest

import sandbox.jobs.processing  # noqa: F401  (registers the `application_review` handler)
from sandbox.companies.models import Company, JobKind, JobOffer, Sector
from sandbox.exercises.models import (
    Exercise,
    ExerciseMember,
    ExerciseStatus,
    ExerciseTeam,
    ExerciseTemplate,
    TeamRole,
)
from sandbox.extensions import db
from sandbox.personas.models import PersonaKind

GOOD_LETTER = (
    "Madame Morvan, bonjour,\n\n"
    "Étudiante en BTS Commerce International à Lyon, je souhaite rejoindre Cimes & Lacs Voyages "
    "pour le stage d'assistante commerciale export. Vos circuits entre lacs et montagnes m'ont "
    "donné envie de faire découvrir la région à vos clients néerlandais et scandinaves. "
    "J'ai déjà préparé des devis et mis à jour un fichier clients pendant un stage de première "
    "année dans une agence de voyages, et je parle anglais couramment. La prospection de "
    "tour-opérateurs étrangers et la préparation d'un salon professionnel sont exactement ce "
    "que je veux apprendre. Je serais heureuse de vous présenter mon projet lors d'un "
    "entretien.\n\nCordialement,\nLéa Martin"
)
WEAK_LETTER = (
    "Bonjour, je suis motivée et sérieuse. Je cherche un stage pour valider ma formation. "
    "Je suis disponible tout de suite et je peux venir quand vous voulez pour un entretien."
)
OFFER_TEXT = (
    "Au sein du service commercial, vous participerez à la prospection de tour-opérateurs "
    "étrangers et à la préparation des devis. Profil recherché : étudiant(e) en BTS Commerce "
    "International, anglais courant, goût du contact."
)


def make_offer(company: Company, title: str = "Stage assistant(e) commercial(e) export", *,
               kind: JobKind = JobKind.INTERNSHIP, city: str = "Annecy",
               start_date: date | None = date(2027, 2, 1), class_id: int | None = None,
               is_open: bool = True, description: str = OFFER_TEXT) -> JobOffer:
    offer = JobOffer(slug=f"{company.slug}-{len(company.offers)}-{title[:20]}", company=company,
                     title=title, kind=kind, city=city, start_date=start_date,
                     duration="8 semaines", description=description, class_id=class_id,
                     is_open=is_open)
    db.session.add(offer)
    db.session.commit()
    return offer


@pytest.fixture
def cimes(factories):  # type: ignore[no-untyped-def]
    """A tourism company of Annecy with its recruiter (e-mail on her profile) and a manager."""
    company = Company(slug="cimes-et-lacs", name="Cimes & Lacs Voyages", sector=Sector.TOURISM,
                      city="Annecy")
    db.session.add(company)
    db.session.commit()
    recruiter = factories.make_persona(username="claire.morvan", company=company)
    recruiter.profile.contact_email = "claire.morvan@cimes-et-lacs.example"
    manager = factories.make_persona(username="thomas.vuillermoz", company=company)
    manager.persona.kind = PersonaKind.MANAGER
    manager.profile.contact_email = "thomas.vuillermoz@cimes-et-lacs.example"
    db.session.commit()
    return {"company": company, "recruiter": recruiter, "manager": manager,
            "offer": make_offer(company)}


def recruitment(klass, company, recruiters,  # type: ignore[no-untyped-def]
                status=ExerciseStatus.RUNNING):
    """A recruitment exercise of `klass` where `recruiters` play `company`."""
    exercise = Exercise(class_id=klass.id, title="Recrutement simulé",
                        template=ExerciseTemplate.RECRUITMENT, status=status)
    team = ExerciseTeam(exercise=exercise, name="Recruteurs", role=TeamRole.RECRUITER,
                        company_id=company.id)
    db.session.add_all([exercise, team])
    db.session.flush()
    for student in recruiters:
        db.session.add(ExerciseMember(exercise_id=exercise.id, user_id=student.id,
                                      team_id=team.id))
    db.session.commit()
    return exercise
