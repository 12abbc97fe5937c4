"""Personas process applications on their own: step by step, at their pace, deterministically,
judging the profile and the letter; never while a person plays the recruiter, but they take up
what the people playing left undecided once the play is over."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.core.time import utcnow
from sandbox.exercises.models import ExerciseStatus
from sandbox.extensions import db
from sandbox.jobs.assessment import assess
from sandbox.jobs.models import Application, ApplicationStatus
from sandbox.jobs.services import apply_to_offer
from sandbox.personas.behaviour import persona_random
from sandbox.exercises.running import finish_exercise
from sandbox.personas import console_actions as acts
from sandbox.personas.models import ActionStatus, ScheduledAction
from sandbox.personas.playing import hand_back, take_over
from sandbox.personas.scheduler import run_due
from sandbox.profiles.models import (
    Education,
    Experience,
    LanguageSkill,
    ProfileHashtag,
    ProfileSkill,
)
from tests.jobs.conftest import GOOD_LETTER, WEAK_LETTER, recruitment

LATER = timedelta(days=30)


def _complete_profile(student) -> None:  # type: ignore[no-untyped-def]
    """A profile that serves as a good CV for an export sales internship."""
    profile = student.profile
    profile.headline = "Étudiante en BTS Commerce International, à la recherche d'un stage export"
    profile.about = ("Passionnée par le tourisme et les langues, j'ai travaillé en agence de "
                     "voyages et je prépare la prospection de clients étrangers.")
    profile.city = "Annecy"
    profile.photo_path = "avatars/lea.webp"
    profile.banner_path = "banners/lea.webp"
    db.session.add_all([
        ProfileSkill(profile_id=student.id, name="Prospection", position=0),
        ProfileSkill(profile_id=student.id, name="Anglais courant", position=1),
        ProfileSkill(profile_id=student.id, name="Préparation de devis", position=2),
        Experience(profile_id=student.id, role="Stagiaire commerciale",
                   organisation="Agence Lac Bleu", start_date=date(2026, 5, 1),
                   description="Mise à jour du fichier clients, accueil des tour-opérateurs."),
        Education(profile_id=student.id, school="Lycée Berthollet",
                  diploma="BTS Commerce International"),
        LanguageSkill(profile_id=student.id, language="Anglais", level="C1"),
        ProfileHashtag(profile_id=student.id, tag="i4emploi"),
    ])
    db.session.commit()


def _statuses(application: Application) -> list[str]:
    return [event.data["status"] for event in db.session.scalars(
        sa.select(ActivityEvent).where(ActivityEvent.kind == "application_processed",
                                       ActivityEvent.subject_id == application.id)
        .order_by(ActivityEvent.id))]


def _decision(application: Application) -> dict:
    return db.session.scalars(sa.select(ActivityEvent.data).where(
        ActivityEvent.kind == "application_processed",
        ActivityEvent.subject_id == application.id).order_by(ActivityEvent.id.desc())).first()


def test_the_first_step_waits_for_the_recruiter_compressed_by_the_class(school, cimes):
    before = utcnow()
    apply_to_offer(school["student"], cimes["offer"].id, GOOD_LETTER)
    action = db.session.scalar(sa.select(ScheduledAction))
    # Her reaction delay, 30 minutes to 4 hours, divided by the class's compression (60).
    assert before + timedelta(seconds=30) <= action.run_at <= utcnow() + timedelta(minutes=4)
    assert run_due(now=utcnow()) == 0  # not yet


def test_a_strong_application_gets_the_job(school, cimes):
    student = school["student"]
    _complete_profile(student)
    application = apply_to_offer(student, cimes["offer"].id, GOOD_LETTER,
                                 "claire.morvan@cimes-et-lacs.example")
    assert run_due(now=utcnow() + LATER) == 4
    db.session.refresh(application)
    assert application.status is ApplicationStatus.OFFER
    assert application.decided_by_id is None  # nobody played her
    assert _statuses(application) == ["seen", "shortlisted", "interview", "offer"]
    assert _decision(application)["score"] == 94
    # Each step was its own action, each done once.
    actions = db.session.scalars(sa.select(ScheduledAction).order_by(ScheduledAction.id)).all()
    assert [a.payload["step"] for a in actions] == ["review", "decide", "interview", "final"]
    assert {a.status for a in actions} == {ActionStatus.DONE}
    assert run_due(now=utcnow() + 2 * LATER) == 0


def test_a_weak_application_is_declined_with_what_let_it_down(school, cimes, client_as):
    student = school["classmate"]
    application = apply_to_offer(student, cimes["offer"].id, WEAK_LETTER)
    run_due(now=utcnow() + LATER)
    db.session.refresh(application)
    assert application.status is ApplicationStatus.DECLINED
    assert _statuses(application) == ["seen", "declined"]
    decision = _decision(application)
    assert decision["score"] == 1
    assert decision["reasons"] == ["profile_incomplete", "profile_off_topic", "letter_short",
                                   "letter_generic"]
    # The student reads what to work on.
    student.locale = "en"
    db.session.commit()
    page = client_as(student).get("/jobs/applications")
    assert "Your letter does not name the company or the offer" in page.text


def test_decisions_are_the_same_under_the_same_seed(school, cimes, app):
    student = school["student"]
    _complete_profile(student)
    application = apply_to_offer(student, cimes["offer"].id, GOOD_LETTER)
    recruiter = cimes["recruiter"]
    first = assess(application, recruiter, persona_random("application", application.id))
    again = assess(application, recruiter, persona_random("application", application.id))
    assert first == again
    app.config["PERSONA_RANDOM_SEED"] = 1
    other_seed = assess(application, recruiter, persona_random("application", application.id))
    assert abs(other_seed.score - first.score) <= 8  # only the small noise differs


def test_the_same_letter_sent_twice_counts_against_it(school, cimes):
    from tests.jobs.conftest import make_offer

    student = school["student"]
    _complete_profile(student)
    first = apply_to_offer(student, cimes["offer"].id, GOOD_LETTER)
    second = apply_to_offer(student, make_offer(cimes["company"], "Stage export 2").id,
                            GOOD_LETTER)
    verdict = assess(second, cimes["recruiter"], persona_random("application", second.id))
    assert "letter_copied" in verdict.reasons
    assert "letter_copied" in assess(first, cimes["recruiter"],
                                     persona_random("application", first.id)).reasons


def _review_steps() -> dict[int, ScheduledAction]:
    """The first step of each application, by application id."""
    db.session.expire_all()
    return {action.payload["application_id"]: action for action in db.session.scalars(
        sa.select(ScheduledAction).where(ScheduledAction.dedupe_key.like("%:review")))}


def test_nothing_happens_on_its_own_while_a_person_plays_the_recruiter(school, cimes):
    teacher, recruiter = school["teacher"], cimes["recruiter"]
    take_over(teacher, recruiter.id)
    application = apply_to_offer(school["student"], cimes["offer"].id, GOOD_LETTER)
    assert run_due(now=utcnow() + LATER) == 0
    assert run_due(now=utcnow() + 2 * LATER) == 0  # looked at again: still played
    db.session.refresh(application)
    assert application.status is ApplicationStatus.SENT
    [step] = _review_steps().values()
    assert (step.status, step.attempts) == (ActionStatus.PENDING, 0)  # it waits, uncounted

    # Handed back, she processes the application nobody decided.
    hand_back(teacher, recruiter.id)
    run_due(now=utcnow() + 4 * LATER)
    db.session.refresh(application)
    assert application.status in (ApplicationStatus.OFFER, ApplicationStatus.DECLINED)
    assert _statuses(application)[0] == "seen" and application.decided_by_id is None


def test_nor_while_a_recruiter_team_of_the_class_plays_the_company(school, cimes):
    exercise = recruitment(school["class"], cimes["company"], [school["classmate"]])
    mine = apply_to_offer(school["student"], cimes["offer"].id, GOOD_LETTER)
    # Another class is not in the exercise: its students' applications go on as usual.
    theirs = apply_to_offer(school["other_student"], cimes["offer"].id, GOOD_LETTER)
    run_due(now=utcnow() + LATER)
    db.session.refresh(mine)
    db.session.refresh(theirs)
    assert mine.status is ApplicationStatus.SENT
    assert theirs.status is not ApplicationStatus.SENT
    assert exercise.status is ExerciseStatus.RUNNING
    assert _review_steps()[mine.id].status is ActionStatus.PENDING  # waiting, not cancelled

    # Over, the exercise leaves her the applications the team left alone.
    finish_exercise(school["teacher"], exercise.id)
    run_due(now=utcnow() + 3 * LATER)
    db.session.refresh(mine)
    assert mine.status in (ApplicationStatus.OFFER, ApplicationStatus.DECLINED)
    assert _review_steps()[mine.id].status is ActionStatus.DONE


def test_after_the_exercise_she_decides_what_the_recruiters_only_opened(school, cimes):
    from tests.jobs.conftest import make_offer

    lea, hugo, recruiter = school["student"], school["classmate"], cimes["recruiter"]
    exercise = recruitment(school["class"], cimes["company"], [hugo])
    exercise.started_at = utcnow() - timedelta(minutes=5)  # the team reads what came since
    db.session.commit()
    opened = apply_to_offer(lea, cimes["offer"].id, GOOD_LETTER)
    decided = apply_to_offer(lea, make_offer(cimes["company"], "Stage export 2").id,
                             GOOD_LETTER)
    acts.open_application(hugo, recruiter.id, opened.id)  # read, nothing decided
    acts.move_application_as(hugo, recruiter.id, decided.id, ApplicationStatus.DECLINED)
    assert run_due(now=utcnow() + LATER) == 0
    steps = _review_steps()
    assert steps[opened.id].status is ActionStatus.PENDING  # still hers to decide, later
    assert steps[decided.id].status is ActionStatus.CANCELLED  # Hugo decided: nothing to do
    db.session.refresh(opened)
    assert opened.status is ApplicationStatus.SEEN

    finish_exercise(school["teacher"], exercise.id)
    run_due(now=utcnow() + 3 * LATER)
    db.session.refresh(opened)
    db.session.refresh(decided)
    assert opened.status in (ApplicationStatus.OFFER, ApplicationStatus.DECLINED)
    assert opened.decided_by_id is None  # she decided it
    assert _statuses(opened)[:2] in (["seen", "shortlisted"], ["seen", "declined"])
    assert (decided.status, decided.decided_by_id) == (ApplicationStatus.DECLINED, hugo.id)


def test_an_application_a_teacher_only_opened_is_still_decided(school, cimes):
    """Opening it (as the recruiter, without taking her over) is not deciding."""
    application = apply_to_offer(school["student"], cimes["offer"].id, WEAK_LETTER)
    acts.open_application(school["teacher"], cimes["recruiter"].id, application.id)
    run_due(now=utcnow() + LATER)
    db.session.refresh(application)
    assert application.status is ApplicationStatus.DECLINED
    assert _statuses(application) == ["seen", "declined"]


def test_a_step_whose_application_moved_meanwhile_does_nothing(school, cimes):
    from sandbox.jobs.pipeline import set_application_status

    application = apply_to_offer(school["student"], cimes["offer"].id, WEAK_LETTER)
    # The teacher, playing her, shortlists it before she gets to it.
    set_application_status(cimes["recruiter"], application.id,
                           ApplicationStatus.SHORTLISTED, played_by=school["teacher"])
    assert run_due(now=utcnow() + LATER) == 0
    db.session.refresh(application)
    assert application.status is ApplicationStatus.SHORTLISTED


def test_the_recruiter_writes_to_the_student_about_her_decision(school, cimes):
    from sandbox.messages.models import Message

    student = school["classmate"]
    apply_to_offer(student, cimes["offer"].id, WEAK_LETTER)
    run_due(now=utcnow() + LATER)
    message = db.session.scalar(sa.select(Message))
    assert (message.sender_id, message.recipient_id) == (cimes["recruiter"].id, student.id)
    assert message.body.startswith("Bonjour Hugo,")
    assert "« Stage assistant(e) commercial(e) export »" in message.body.replace("\u00a0", " ")
    assert "complétez votre profil" in message.body  # the first thing to work on
    assert message.body.endswith("Claire Morvan\nChargée de recrutement – Cimes & Lacs Voyages")
