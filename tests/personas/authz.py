"""The persona console in the authorization matrix (tests/test_authorization.py).

`add_entries` makes a company of its own whose persona Léa (the matrix's "student") plays in a
running exercise of her class: she may act for it, over her classmates only; a student of
another class never. Teachers play any persona, over their own students only (another class's
student's thread, invitation or application does not exist for them); admins over anyone.
"""

from __future__ import annotations

from tests.authz import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Case, logged_in


def add_entries(school: dict) -> dict:
    """A played company: its persona, a thread, invitations and applications from both classes."""
    from sandbox.companies.models import Company, JobKind, JobOffer, Sector
    from sandbox.exercises.models import (
        Exercise,
        ExerciseMember,
        ExerciseStatus,
        ExerciseTeam,
        ExerciseTemplate,
        TeamRole,
    )
    from datetime import timedelta

    from sandbox.core.time import utcnow
    from sandbox.extensions import db
    from sandbox.jobs.models import Application
    from sandbox.messages.services import send_message
    from sandbox.network.models import Invitation
    from sandbox.network.services import connect
    from tests.factories import Factories

    company = Company(slug="authz-recrutement", name="Recrutement Authz",
                      sector=Sector.LOGISTICS, city="Lyon")
    db.session.add(company)
    db.session.commit()
    persona = Factories(password="unused").make_persona(username="paul.joue", company=company)
    exercise = Exercise(class_id=school["class"].id, title="Recrutement simulé",
                        template=ExerciseTemplate.RECRUITMENT, status=ExerciseStatus.RUNNING,
                        started_at=utcnow() - timedelta(hours=1))
    db.session.add(exercise)
    db.session.flush()
    team = ExerciseTeam(exercise_id=exercise.id, name="Recruteurs", role=TeamRole.RECRUITER,
                        company_id=company.id)
    db.session.add(team)
    db.session.flush()
    db.session.add(ExerciseMember(exercise_id=exercise.id, user_id=school["student"].id,
                                  team_id=team.id))
    offer = JobOffer(slug="authz-recrutement-stage", company_id=company.id, title="Stage",
                     kind=JobKind.INTERNSHIP, city="Lyon", description="Un stage.")
    db.session.add(offer)
    db.session.flush()
    hugo, nina = school["classmate"], school["other_student"]
    connect(hugo, persona)
    db.session.commit()
    send_message(hugo, persona.id, "Bonjour, merci pour votre offre de stage.")
    invitations = [Invitation(sender_id=sender.id, recipient_id=persona.id,
                              message="Bonjour, votre entreprise m'intéresse beaucoup.")
                   for sender in (school["student"], nina)]
    # Hugo is connected already: the invitation answered in the matrix is a new classmate's.
    newcomer = Factories(password="unused").make_student(school["class"], username="ines.neuve")
    invitations.append(Invitation(sender_id=newcomer.id, recipient_id=persona.id,
                                  message="Bonjour, je cherche un stage en logistique."))
    applications = [Application(offer_id=offer.id, student_id=student.id,
                                cover_letter="Madame, votre offre m'intéresse.")
                    for student in (hugo, nina)]
    db.session.add_all([*invitations, *applications])
    db.session.commit()
    return {
        "played_persona": persona, "played_invitation": invitations[2],
        "played_outside_invitation": invitations[1], "played_application": applications[0],
        "played_outside_application": applications[1],
    }


def _console(s: dict) -> str:
    return f"/personas/{s['played_persona'].id}"


def played_by_students_class(ok: int = OK) -> dict[str, int | str]:
    """Léa, her class's teacher and the admins; another class's student is refused; another
    class's teacher plays the persona, but this class's people do not exist for them."""
    return {"anonymous": LOGIN, "student": ok, "other_student": FORBIDDEN,
            "other_teacher": NOT_FOUND, "teacher": ok, "admin": ok}


def anyone_who_plays(ok: int = OK) -> dict[str, int | str]:
    """Pages of the persona itself: every staff member and the recruiter student."""
    return {**played_by_students_class(ok), "other_teacher": ok}


def staff_who_play(ok: int = REDIRECT) -> dict[str, int | str]:
    """Taking over and handing back: staff only (a recruiter student never takes over)."""
    return {**anyone_who_plays(ok), "student": FORBIDDEN}


def _with_class(s: dict) -> str:
    return f"class_id={s['class'].id}"


CASES: dict[str, list[Case]] = {
    "personas.index": [Case("GET", lambda s: "/personas/", logged_in(OK))],
    "personas.console": [
        Case("GET", lambda s: _console(s), anyone_who_plays()),
        # Not the company Léa recruits for.
        Case("GET", lambda s: f"/personas/{s['persona'].id}",
             {**anyone_who_plays(), "student": FORBIDDEN}),
        Case("GET", lambda s: f"/personas/{s['student'].id}", logged_in(NOT_FOUND)),
        Case("GET", lambda s: "/personas/99999999", logged_in(NOT_FOUND)),
        # A class of someone else's: not theirs to play for (a student's own class is implied).
        Case("GET", lambda s: f"{_console(s)}?class_id={s['other_class'].id}",
             {**anyone_who_plays(), "teacher": NOT_FOUND}),
    ],
    "personas.thread": [
        Case("GET", lambda s: f"{_console(s)}/messages/{s['classmate'].id}?{_with_class(s)}",
             played_by_students_class()),
        # Léa herself: not someone she deals with as a recruiter (her teacher may write to her).
        Case("GET", lambda s: f"{_console(s)}/messages/{s['student'].id}",
             {**played_by_students_class(), "student": NOT_FOUND}),
        Case("GET", lambda s: f"{_console(s)}/messages/{s['other_student'].id}",
             {**played_by_students_class(NOT_FOUND), "other_teacher": OK, "admin": OK}),
    ],
    "personas.reply": [
        # An empty message: the thread comes back with the error, nothing is sent.
        Case("POST",
             lambda s: f"{_console(s)}/messages/{s['classmate'].id}?{_with_class(s)}",
             played_by_students_class(), data={"body": ""}),
        Case("POST", lambda s: f"{_console(s)}/messages/{s['other_student'].id}",
             {**played_by_students_class(NOT_FOUND), "other_teacher": OK, "admin": OK},
             data={"body": ""}),
    ],
    "personas.answer": [
        Case("POST", lambda s: f"{_console(s)}/invitations/{s['played_invitation'].id}/maybe",
             {**logged_in(NOT_FOUND)}),
        Case("POST", lambda s: f"{_console(s)}/invitations/{s['played_invitation'].id}/ignore",
             played_by_students_class(REDIRECT)),
        Case("POST",
             lambda s: f"{_console(s)}/invitations/{s['played_outside_invitation'].id}/ignore",
             {**played_by_students_class(NOT_FOUND), "other_teacher": REDIRECT,
              "admin": REDIRECT}),
    ],
    "personas.application": [
        Case("GET", lambda s: f"{_console(s)}/applications/{s['played_application'].id}",
             played_by_students_class()),
        Case("GET",
             lambda s: f"{_console(s)}/applications/{s['played_outside_application'].id}",
             {**played_by_students_class(NOT_FOUND), "other_teacher": OK, "admin": OK}),
        Case("GET", lambda s: f"{_console(s)}/applications/99999999",
             {**played_by_students_class(NOT_FOUND), "other_teacher": NOT_FOUND}),
    ],
    "personas.move_application": [
        Case("POST",
             lambda s: f"{_console(s)}/applications/{s['played_application'].id}/status",
             played_by_students_class(REDIRECT), data={"status": "shortlisted"}),
        Case("POST",
             lambda s: f"{_console(s)}/applications/{s['played_outside_application'].id}/status",
             {**played_by_students_class(NOT_FOUND), "other_teacher": REDIRECT,
              "admin": REDIRECT}, data={"status": "declined"}),
    ],
    "personas.post": [
        Case("GET", lambda s: f"{_console(s)}/post", anyone_who_plays()),
        Case("POST", lambda s: f"{_console(s)}/post", anyone_who_plays(), data={"body": ""}),
    ],
    "personas.new_offer": [
        Case("GET", lambda s: f"{_console(s)}/offers/new", anyone_who_plays()),
        Case("POST", lambda s: f"{_console(s)}/offers/new", anyone_who_plays(),
             data={"title": ""}),
    ],
    "personas.take_over": [Case("POST", lambda s: f"{_console(s)}/take-over", staff_who_play())],
    "personas.hand_back": [Case("POST", lambda s: f"{_console(s)}/hand-back", staff_who_play())],
}
