"""The dashboard's page of one student: what they did, their findings, in a fixed query count.

The teacher reads the page in English here (their saved language), so that the sentences are
the message ids whatever the state of the French catalogue.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.charter.gate import CharterCoaching
from sandbox.charter.models import CharterRule, Severity
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.groups.membership import join_group
from sandbox.messages.services import send_message
from sandbox.moderation.actions import decide
from sandbox.moderation.models import ModerationCase
from sandbox.network.follows import follow_company, follow_hashtag
from sandbox.network.invitations import answer_invitation, send_invitation
from sandbox.network.journal import add_outcome
from sandbox.network.lists import create_list
from sandbox.network.models import InvitationStatus, Recommendation, RecommendationStatus
from sandbox.network.services import connect
from sandbox.posts.comment_services import add_comment
from sandbox.posts.like_services import like_post
from sandbox.posts.services import create_post, delete_post
from tests.groups.helpers import make_group

SMS = "slt tout le monde, jsp si je viens demain au forum des métiers."
FIXED = "Bonjour à tous, je ne sais pas encore si je viens demain au forum des métiers."


def url(school, student=None) -> str:
    student = student or school["student"]
    return f"/classes/{school['class'].id}/dashboard/students/{student.id}"


@pytest.fixture
def teacher(school):
    school["teacher"].locale = "en"
    db.session.commit()
    return school["teacher"]


def page_of(client_as, user, address: str) -> str:
    response = client_as(user).get(address)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def set_severity(klass, code: str, severity: Severity) -> None:
    rule = db.session.scalars(sa.select(CharterRule).where(
        CharterRule.class_id == klass.id, CharterRule.code == code)).one()
    rule.severity = severity
    db.session.commit()


def timeline_of(page: str) -> str:
    return page.split('id="timeline"', 1)[1].split("</section>", 1)[0]


def test_the_timeline_tells_what_the_student_did_newest_first(school, teacher, client_as):
    lea, claire = school["student"], school["persona"]
    first = create_post(lea, body="Je cherche un stage en commerce international.",
                        audience="network")
    send_invitation(lea, claire.id, "Bonjour, votre parcours m'intéresse beaucoup.",
                    send_anyway=True)
    with pytest.raises(CharterCoaching):
        create_post(lea, body=SMS, audience="network")
    create_post(lea, body=FIXED, audience="network")
    add_outcome(lea, "advice", note="Refaire mon CV")

    timeline = timeline_of(page_of(client_as, teacher, url(school)))

    said = [
        "Wrote in their journal: Advice",
        "Published a post",  # the fixed text
        f"Invited {claire.name_for(teacher)} with a personal message",
        "Published a post",  # the first one
    ]
    position = 0
    for sentence in said:
        found = timeline.find(sentence, position)
        assert found >= 0, f"{sentence!r} missing or out of order"
        position = found + len(sentence)
    assert f'href="/posts/{first.id}"' in timeline
    assert f'href="/people/{claire.id}"' in timeline
    assert "Je cherche un stage en commerce international." in timeline  # the text, quoted
    assert "slt tout le monde" not in timeline  # the refused text was never published


def test_findings_show_the_words_in_context_and_that_they_were_fixed(school, teacher,
                                                                     client_as):
    lea = school["student"]
    with pytest.raises(CharterCoaching):
        create_post(lea, body=SMS, audience="network")
    post = create_post(lea, body=FIXED, audience="network")

    page = page_of(client_as, teacher, url(school))
    findings = page.split('id="findings"', 1)[1].split("</section>", 1)[0]

    assert '<mark class="mod-mark mod-mark--sms">slt</mark>' in findings
    assert "forum des métiers." in findings  # the context around the words
    assert "What became of it:</strong> Fixed" in findings
    assert f'href="/posts/{post.id}"' in findings  # the text sent in the end
    # The summary table: two SMS findings ("slt", "jsp"), both fixed.
    row = re.search(r"<th scope=\"row\">SMS language</th>(.*?)</tr>", findings, re.S)
    assert row is not None
    assert re.findall(r">(\d+)</td>", row.group(1)) == ["2", "0", "0", "0", "0", "2"]


def test_a_flagged_finding_shows_what_the_teacher_decided(school, teacher, client_as):
    lea = school["student"]
    set_severity(school["class"], "no_sms_language", Severity.FLAG)
    post = create_post(lea, body=SMS, audience="network")
    case = db.session.scalars(sa.select(ModerationCase)).one()
    decide(teacher, case.id, "hide")

    page = page_of(client_as, teacher, url(school))
    findings = page.split('id="findings"', 1)[1].split("</section>", 1)[0]

    assert "What became of it:</strong> Flagged" in findings
    assert f'<a href="/moderation/cases/{case.id}">Hidden</a>' in findings
    assert f'href="/posts/{post.id}"' not in findings  # nobody reads it any more
    assert "hidden by a teacher" in findings
    assert "hidden by a teacher" in timeline_of(page)


def test_a_deleted_post_reads_deleted_without_a_link(school, teacher, client_as):
    lea = school["student"]
    post = create_post(lea, body="Une publication que je vais retirer.", audience="network")
    delete_post(lea, post.id)
    timeline = timeline_of(page_of(client_as, teacher, url(school)))
    assert "Deleted a post" in timeline and "deleted</span>" in timeline
    assert f"/posts/{post.id}" not in timeline


def test_the_timeline_pages_by_fifty_without_repeating_an_event(school, teacher, client_as):
    lea = school["student"]
    start = utcnow() - timedelta(days=3)
    for number in range(51):
        # Two events share each second, so the keyset must break ties by id.
        db.session.add(ActivityEvent(user_id=lea.id, class_id=lea.class_id,
                                     kind="followed_hashtag", data={"tag": f"tag{number}"},
                                     created_at=start + timedelta(seconds=number // 2)))
    db.session.commit()

    first = timeline_of(page_of(client_as, teacher, url(school)))
    older = re.search(r'href="([^"]*before=\d+[^"]*)"', first)
    assert older is not None
    second = timeline_of(page_of(client_as, teacher, older.group(1).replace("&amp;", "&")))

    tags_first = re.findall(r"#(tag\d+)</a>", first)
    tags_second = re.findall(r"#(tag\d+)</a>", second)
    assert len(tags_first) == 50 and tags_second == ["tag0"]
    assert tags_first[:3] == ["tag50", "tag49", "tag48"]
    assert not set(tags_first) & set(tags_second)
    assert "Older activity" not in second


def test_the_period_leaves_out_older_activity(school, teacher, client_as):
    lea = school["student"]
    db.session.add(ActivityEvent(user_id=lea.id, class_id=lea.class_id, kind="logged_in",
                                 created_at=utcnow() - timedelta(days=40)))
    db.session.commit()
    start = (utcnow() - timedelta(days=7)).date().isoformat()
    page = page_of(client_as, teacher, f"{url(school)}?start={start}")
    assert "Logged in" not in timeline_of(page)
    assert "No activity in this period." in timeline_of(page)
    assert f"start={start}" in page.split('id="timeline"', 1)[0]  # the way back keeps it


def test_an_empty_student_has_an_empty_state_in_every_section(school, teacher, client_as):
    page = page_of(client_as, teacher, url(school, school["classmate"]))
    for empty in ("No activity in this period.", "No charter finding in this period.",
                  "No conversation with a professional in this period."):
        assert empty in page


def test_conversations_with_personas_are_listed_with_their_counts(school, teacher, client_as):
    lea, claire = school["student"], school["persona"]
    connect(lea, claire)
    db.session.commit()
    send_message(lea, claire.id, "Bonjour, pourrais-je vous poser une question ?")
    send_message(lea, claire.id, "Merci pour votre réponse.")
    page = page_of(client_as, teacher, url(school))
    section = page.split('id="persona-messages"', 1)[1].split("</section>", 1)[0]
    assert f'href="/messages/students/{lea.id}/{claire.id}"' in section
    assert claire.persona.company.name in section
    assert "2 messages" in section and "2 sent by the student" in section


def _many_kinds_of_activity(school) -> None:
    """About forty events of many kinds, with their subjects, findings and a conversation."""
    hugo, lea, claire = school["classmate"], school["student"], school["persona"]
    group = make_group(school["teacher"], "Stage 2027", class_id=school["class"].id)
    join_group(hugo, group)
    sent = send_invitation(hugo, claire.id, "Bonjour, votre entreprise m'intéresse.",
                           send_anyway=True)
    answer_invitation(school["teacher"], sent.invitation.id, InvitationStatus.ACCEPTED)
    send_invitation(hugo, lea.id, "", send_anyway=True)
    send_message(hugo, claire.id, "Bonjour, merci d'avoir accepté mon invitation.")
    follow_company(hugo, claire.persona.company.slug)
    follow_hashtag(hugo, "#export")
    create_list(hugo, "Pro")
    add_outcome(hugo, "appointment", contact_id=claire.id)
    other = create_post(lea, body="Qui vient au forum des métiers demain ?", audience="network")
    with pytest.raises(CharterCoaching):
        create_post(hugo, body=SMS, audience="network")
    for number in range(16):
        post = create_post(hugo, body=f"Ma veille sur l'export, épisode {number}.",
                           audience="network" if number % 2 else "group",
                           group_id=None if number % 2 else group.id)
        add_comment(hugo, other.id, f"Je serai là, à demain ({number}) !")
        like_post(hugo, other.id)
        if number == 0:
            delete_post(hugo, post.id)
    create_post(hugo, body="Je partage cette annonce.", audience="network",
                shared_post_id=other.id)


def test_the_page_runs_the_same_queries_for_three_events_or_forty(school, teacher,
                                                                  client_as, count_queries):
    lea, hugo = school["student"], school["classmate"]
    create_post(lea, body="Bonjour à tous, je cherche un stage.", audience="network")
    follow_hashtag(lea, "#stage")
    add_outcome(lea, "advice")
    _many_kinds_of_activity(school)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ActivityEvent).where(
        ActivityEvent.user_id == hugo.id)) >= 40

    client = client_as(teacher)
    client.get(url(school))  # whatever a first request sets up once
    with count_queries() as few:
        assert client.get(url(school)).status_code == 200
    with count_queries() as many:
        assert client.get(url(school, hugo)).status_code == 200
    assert few.count == many.count, (few.statements, many.statements)


def test_only_the_class_staff_reach_a_student_of_the_class(school, client_as):
    other = school["other_student"]
    wrong_class = f"/classes/{school['class'].id}/dashboard/students/{other.id}"
    assert client_as(school["teacher"]).get(wrong_class).status_code == 404
    assert client_as(school["admin"]).get(wrong_class).status_code == 404
    assert client_as(school["other_teacher"]).get(url(school)).status_code == 403
    assert client_as(school["student"]).get(url(school)).status_code == 403
    assert client_as(school["admin"]).get(url(school)).status_code == 200


def test_the_profile_shows_what_a_recruiter_sees_and_what_is_missing(school, teacher,
                                                                      client_as):
    lea, hugo = school["student"], school["classmate"]
    profile = lea.profile
    profile.headline = "Étudiante en BTS Commerce international"
    profile.contact_email = "lea.martin@example.org"  # connections only, by default
    profile.about = "Je parle trois langues."
    profile.visibility = {"about": "teacher"}
    db.session.commit()
    recommendation = Recommendation(
        author_id=hugo.id, recipient_id=lea.id, status=RecommendationStatus.ACCEPTED,
        text="Léa est une camarade rigoureuse et toujours prête à aider.")
    db.session.add(recommendation)
    db.session.commit()

    page = page_of(client_as, teacher, url(school))
    view = page.split('id="recruiter-view"', 1)[1].split('id="outcomes"', 1)[0]

    assert "Étudiante en BTS Commerce international" in view
    assert "lea.martin@example.org" not in view and "Je parle trois langues." not in view
    assert "Add a professional photo." in view  # a missing step, with its points
    assert "Léa est une camarade rigoureuse" in view  # the recommendation a recruiter reads
    assert f'href="/people/{hugo.id}"' not in view  # as in the preview: nothing to click


def test_the_journal_lists_the_outcomes_of_the_period(school, teacher, client_as):
    lea, claire = school["student"], school["persona"]
    connect(lea, claire)
    db.session.commit()
    add_outcome(lea, "appointment", contact_id=claire.id, note="Café jeudi à 10 h")
    page = page_of(client_as, teacher, url(school))
    journal = page.split('id="outcomes"', 1)[1].split("</section>", 1)[0]
    assert "An appointment" in journal and "Café jeudi à 10 h" in journal
    assert f"From {claire.name_for(teacher)}" in journal
    later = (utcnow() + timedelta(days=2)).date().isoformat()
    journal = page_of(client_as, teacher, f"{url(school)}?start={later}").split(
        'id="outcomes"', 1)[1].split("</section>", 1)[0]
    assert "Café jeudi" not in journal and "Nothing recorded yet." in journal
