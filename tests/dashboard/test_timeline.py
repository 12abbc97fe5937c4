"""Activity events as the sentences of a student's timeline."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from flask_babel import force_locale

from sandbox.activity.models import ActivityEvent
from sandbox.companies.models import JobKind, JobOffer
from sandbox.dashboard import student_page, timeline
from sandbox.dashboard.student_subjects import Subjects, Wanted, load_subjects
from sandbox.exercises.models import Exercise, ExercisePhase, ExerciseTemplate
from sandbox.extensions import db
from sandbox.moderation.services import ACTIONS
from sandbox.network.invitations import send_invitation
from sandbox.network.models import InvitationStatus
from sandbox.network.services import connect
from sandbox.posts.like_services import like_post
from sandbox.posts.services import create_post

SOURCE = Path(__file__).resolve().parents[2] / "sandbox"
LITERAL_KIND = re.compile(r'record_event\(\s*[\w.]+\s*,\s*"([a-z_]+)"')


def recorded_kinds() -> set[str]:
    """Every kind the code records today, read from the source, with the computed ones."""
    kinds: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        kinds.update(LITERAL_KIND.findall(path.read_text(encoding="utf-8")))
    kinds.update(f"moderation_{action}" for action in ACTIONS)  # moderation/actions.py
    kinds.update(f"invitation_{status.value}" for status in InvitationStatus  # invitations.py
                 if status not in (InvitationStatus.PENDING, InvitationStatus.WITHDRAWN))
    kinds.update({"group_joined", "group_join_requested"})  # groups/membership.py
    kinds.add("review_updated")  # reviews/services.py: written or updated
    return kinds


def event(kind: str, student, data: dict | None = None, **fields) -> ActivityEvent:
    """An event as stored (not saved: the sentences only read it)."""
    fields.setdefault("id", 1)
    fields.setdefault("created_at", datetime(2026, 3, 2))
    return ActivityEvent(user_id=student.id, kind=kind, data=data or {}, **fields)


def test_every_kind_recorded_today_reads_as_its_own_sentence(app, school):
    kinds = recorded_kinds()
    assert len(kinds) > 60  # the scan found the code's events
    subjects = Subjects(viewer=school["teacher"], student=school["student"])
    with app.test_request_context():
        for kind in sorted(kinds):
            fallback = str(timeline._l("Other activity (%(kind)s)", kind=kind))
            said = timeline.describe(event(kind, school["student"]), subjects)
            assert said.text and said.text != fallback, f"no sentence for {kind}"


def test_an_unknown_kind_still_says_what_it_was(app, school):
    subjects = Subjects(viewer=school["teacher"], student=school["student"])
    with app.test_request_context():
        said = timeline.describe(event("badge_earned", school["student"]), subjects)
    assert "badge_earned" in said.text


def _lines(app, viewer, student, events):
    wanted = Wanted()
    wanted.add_events(events)
    with app.test_request_context(), force_locale("en"):
        return student_page.build_timeline(events, False, load_subjects(viewer, student, wanted))


def test_people_are_named_as_the_teacher_knows_them(app, school):
    lea, hugo, teacher = school["student"], school["classmate"], school["teacher"]
    hugo.pseudonym = "Hugo P."
    db.session.commit()
    sent = send_invitation(lea, hugo.id, "", send_anyway=True)
    invited = event("invitation_sent", lea, {"recipient_id": hugo.id, "personal": False},
                    subject_type="Invitation", subject_id=sent.invitation.id)
    line = _lines(app, teacher, lea, [invited]).days[0].lines[0]
    assert line.sentence.text == "Invited Hugo P. (Hugo Petit) without a personal message"
    assert line.sentence.link == f"/people/{hugo.id}"


def test_a_post_the_teacher_may_not_see_gets_no_link(app, school):
    lea, claire = school["student"], school["persona"]
    connect(lea, claire)
    db.session.commit()
    private = create_post(claire, body="Pour mes relations : nous recrutons bientôt.",
                          audience="connections")
    like_post(lea, private.id)
    liked = event("liked_post", lea, subject_type="Post", subject_id=private.id)
    said = _lines(app, school["teacher"], lea, [liked]).days[0].lines[0].sentence
    assert said.text == f"Liked a post by {claire.name_for(school['teacher'])}"
    assert said.link is None and said.quote is None
    # Lea's teacher sees her own posts, whoever they are addressed to.
    own = create_post(lea, body="Pour mes relations seulement.", audience="connections")
    published = event("post_created", lea, {"audience": "connections"}, subject_type="Post",
                      subject_id=own.id)
    said = _lines(app, school["teacher"], lea, [published]).days[0].lines[0].sentence
    assert said.text == "Published a post for their connections"
    assert said.link == f"/posts/{own.id}" and said.quote == "Pour mes relations seulement."


@pytest.mark.parametrize("moments, days", [
    # 23:30 in Paris is still the 10th; 00:30 is the 11th (UTC+1 in March).
    ([datetime(2026, 3, 10, 23, 30), datetime(2026, 3, 10, 22, 30)], ["2026-03-11", "2026-03-10"]),
    ([datetime(2026, 3, 10, 12, 0), datetime(2026, 3, 10, 9, 0)], ["2026-03-10"]),
])
def test_days_are_the_school_days(app, school, moments, days):
    lea = school["student"]
    events = [event("logged_in", lea, id=number + 1, created_at=moment)
              for number, moment in enumerate(moments)]
    grouped = _lines(app, school["teacher"], lea, events)
    assert [day.day.isoformat() for day in grouped.days] == days
    assert sum(len(day.lines) for day in grouped.days) == len(moments)


# ---- offers, applications, reviews, gifts, exercises, and what is done while playing --------


@pytest.fixture
def jobs_world(school):
    """An offer of Claire's company, an exercise with its phases, a shortlisted application."""
    claire = school["persona"]
    company = claire.persona.company
    offer = JobOffer(slug="stage-export", company_id=company.id, title="Stage export",
                     kind=JobKind.INTERNSHIP, city="Lyon")
    exercise = Exercise(class_id=school["class"].id, title="Recrutement simulé",
                        template=ExerciseTemplate.RECRUITMENT)
    exercise.phases = [ExercisePhase(position=1, name="Préparation", minutes=10),
                       ExercisePhase(position=2, name="Entretiens", minutes=20)]
    db.session.add_all([offer, exercise])
    db.session.commit()
    return {"offer": offer, "company": company, "exercise": exercise, "claire": claire}


def _said(app, viewer, student, events):
    return [line.sentence for day in _lines(app, viewer, student, events).days
            for line in day.lines]


def test_job_and_review_sentences_name_the_offer_the_company_and_the_status(
        app, school, jobs_world):
    lea, hugo, teacher = school["student"], school["classmate"], school["teacher"]
    offer, company = jobs_world["offer"], jobs_world["company"]
    events = [
        event("applied", lea, {"offer_id": offer.id, "application_id": 4}, id=5,
              subject_type="Application", subject_id=4),
        event("offer_saved", lea, {"offer_id": offer.id}, id=4, subject_type="JobOffer",
              subject_id=offer.id),
        event("review_updated", lea, {"company_id": company.id}, id=3,
              subject_type="CompanyReview", subject_id=9),
        event("application_processed", lea, {"application_id": 8, "offer_id": offer.id,
                                             "student_id": hugo.id, "status": "shortlisted"},
              id=2, subject_type="Application", subject_id=8),
        event("gift_received", lea, {"outcome": "advice", "contact_id": jobs_world["claire"].id},
              id=1, subject_type="NetworkOutcome", subject_id=3),
    ]
    said = _said(app, teacher, lea, events)
    claire = jobs_world["claire"].name_for(teacher)
    assert [sentence.text for sentence in said] == [
        f"Applied to the offer “Stage export” of {company.name}",
        f"Saved the offer “Stage export” of {company.name}",
        f"Updated their review of the company {company.name}",
        "Moved the application of Hugo Petit to “Shortlisted”",
        f"Received from {claire}: Advice",
    ]
    assert said[0].link == f"/companies/{company.slug}" == said[2].link
    assert said[3].link == f"/people/{hugo.id}"


def test_exercise_sentences_name_the_exercise_and_its_phase(app, school, jobs_world):
    teacher, exercise = school["teacher"], jobs_world["exercise"]
    data = {"exercise_id": exercise.id}
    events = [event("exercise_phase_started", teacher, {**data, "phase": 2}, id=2,
                    subject_type="Exercise", subject_id=exercise.id),
              event("exercise_created", teacher, {**data, "template": "recruitment"}, id=1,
                    subject_type="Exercise", subject_id=exercise.id)]
    said = _said(app, teacher, teacher, events)
    assert [sentence.text for sentence in said] == [
        "Started the phase “Entretiens” of the exercise “Recrutement simulé”",
        "Created the exercise “Recrutement simulé”"]


def test_what_is_gone_since_reads_without_it(app, school):
    lea, teacher = school["student"], school["teacher"]
    events = [event("applied", lea, {"offer_id": 999}, id=2),
              event("exercise_finished", teacher, {"exercise_id": 998}, id=1)]
    said = _said(app, teacher, lea, events)
    assert [sentence.text for sentence in said] == ["Applied to a job offer",
                                                    "Ended an exercise"]


def test_what_is_done_while_playing_says_which_persona(app, school, jobs_world):
    lea, hugo, teacher = school["student"], school["classmate"], school["teacher"]
    claire, offer = jobs_world["claire"], jobs_world["offer"]
    played = ActivityEvent(id=1, created_at=datetime(2026, 3, 2), user_id=claire.id,
                           kind="application_processed", subject_type="Application",
                           subject_id=8, data={"application_id": 8, "offer_id": offer.id,
                                               "student_id": hugo.id, "status": "interview",
                                               "played_by": lea.id})
    posted = event("offer_posted", lea, {"offer_id": offer.id, "played_by": lea.id,
                                         "persona_id": claire.id}, id=2)
    said = _said(app, teacher, lea, [posted, played])
    name = claire.name_for(teacher)
    assert [sentence.text for sentence in said] == [
        f"Posted the offer “Stage export” for {offer.company.name} (playing {name})",
        f"Moved the application of Hugo Petit to “Interview” (playing {name})"]


def test_the_names_are_loaded_in_a_fixed_number_of_queries(app, school, jobs_world,
                                                           count_queries):
    lea, teacher = school["student"], school["teacher"]
    exercise, offer = jobs_world["exercise"], jobs_world["offer"]
    few = [event("logged_in", lea)]
    many = [event("exercise_started", teacher, {"exercise_id": exercise.id}, id=3),
            event("review_written", lea, {"company_id": offer.company_id}, id=2),
            event("applied", lea, {"offer_id": offer.id, "played_by": lea.id}, id=1)]
    counts = []
    for events in (few, many):
        wanted = Wanted()
        wanted.add_events(events)
        db.session.expire_all()
        with count_queries() as counter:
            load_subjects(teacher, lea, wanted)
        counts.append(counter.count)
    assert counts[0] == counts[1]
