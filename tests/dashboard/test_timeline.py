"""Activity events as the sentences of a student's timeline."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from flask_babel import force_locale

from sandbox.activity.models import ActivityEvent
from sandbox.dashboard import student_page, timeline
from sandbox.dashboard.student_subjects import Subjects, Wanted, load_subjects
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
    kinds.add("applied")  # the jobs feature (a later issue)
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
