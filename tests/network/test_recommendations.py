"""Recommendations and skill endorsements: who may write, answer and endorse, what profiles show."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.core.errors import NotFound, ServiceError
from sandbox.extensions import db
from sandbox.network import recommendations as service
from sandbox.network.models import Endorsement, Recommendation, RecommendationStatus
from sandbox.network.services import connect
from sandbox.notifications.models import Notification
from sandbox.profiles.models import ProfileSkill
from sandbox.profiles.services import PreviewAudience, preview_as, profile_page

TEXT = "Léa a mené notre prospection export avec rigueur, écoute et beaucoup d’énergie."


def _connect(first, second) -> None:  # type: ignore[no-untyped-def]
    connect(first, second)
    db.session.commit()


def _recommendations() -> list[Recommendation]:
    return list(db.session.scalars(sa.select(Recommendation).order_by(Recommendation.id)))


def _notifications(user, kind: str) -> list[Notification]:  # type: ignore[no-untyped-def]
    return list(db.session.scalars(
        sa.select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
    ))


def _events(user, kind: str) -> list[ActivityEvent]:  # type: ignore[no-untyped-def]
    return list(db.session.scalars(
        sa.select(ActivityEvent).where(ActivityEvent.user_id == user.id, ActivityEvent.kind == kind)
    ))


def _skill(owner, name="Prospection", position=0) -> ProfileSkill:  # type: ignore[no-untyped-def]
    skill = ProfileSkill(profile_id=owner.id, name=name, position=position)
    db.session.add(skill)
    db.session.commit()
    return skill


@pytest.fixture
def pair(school):  # type: ignore[no-untyped-def]
    """Hugo (the classmate) is connected with Léa (the student)."""
    _connect(school["classmate"], school["student"])
    return school["classmate"], school["student"]


# ---- writing -------------------------------------------------------------------------------


def test_a_connection_writes_a_recommendation_that_waits(client_as, pair):
    author, recipient = pair
    response = client_as(author).post(f"/people/{recipient.id}/recommendations",
                                      data={"text": f"  {TEXT}  "})
    assert response.status_code == 302
    [recommendation] = _recommendations()
    assert (recommendation.author_id, recommendation.recipient_id) == (author.id, recipient.id)
    assert recommendation.status is RecommendationStatus.PENDING
    assert recommendation.text == TEXT
    [notification] = _notifications(recipient, "recommendation_received")
    assert notification.actor_id == author.id and notification.subject_id == recommendation.id
    assert len(_events(author, "recommendation_written")) == 1


def test_a_non_connection_cannot_recommend_and_nothing_is_written(client_as, school):
    author, recipient = school["classmate"], school["student"]
    with pytest.raises(ServiceError) as error:
        service.write_recommendation(author, recipient.id, TEXT)
    assert not isinstance(error.value, NotFound) and error.value.field is None
    response = client_as(author).post(f"/people/{recipient.id}/recommendations",
                                      data={"text": TEXT})
    assert response.status_code == 200
    assert _recommendations() == []
    assert _notifications(recipient, "recommendation_received") == []
    assert _events(author, "recommendation_written") == []


def test_nobody_recommends_themselves(client_as, school):
    student = school["student"]
    with pytest.raises(ServiceError):
        service.write_recommendation(student, student.id, TEXT)
    assert client_as(student).post(f"/people/{student.id}/recommendations",
                                   data={"text": TEXT}).status_code == 200
    assert _recommendations() == []


def test_someone_outside_the_writers_network_does_not_exist(client_as, school):
    # Connected once, but their classes do not see each other: the person is out of scope.
    _connect(school["student"], school["other_student"])
    with pytest.raises(NotFound):
        service.write_recommendation(school["student"], school["other_student"].id, TEXT)
    client = client_as(school["student"])
    assert client.post(f"/people/{school['other_student'].id}/recommendations",
                       data={"text": TEXT}).status_code == 404
    assert client.post("/people/99999999/recommendations", data={"text": TEXT}).status_code == 404
    assert _recommendations() == []


@pytest.mark.parametrize(
    "text", ["Trop court.", "x" * 1501, "Un texte assez long \x1b[31m pour passer ce contrôle"]
)
def test_the_text_is_checked_and_explained(client_as, pair, text):
    author, recipient = pair
    with pytest.raises(ServiceError) as error:
        service.write_recommendation(author, recipient.id, text)
    assert error.value.field == "text"
    page = client_as(author).post(f"/people/{recipient.id}/recommendations", data={"text": text})
    assert page.status_code == 200 and "field__error" in page.get_data(as_text=True)
    assert _recommendations() == []


def test_one_waiting_recommendation_per_author(client_as, pair):
    author, recipient = pair
    service.write_recommendation(author, recipient.id, TEXT)
    with pytest.raises(ServiceError):
        service.write_recommendation(author, recipient.id, TEXT + " Encore.")
    assert client_as(author).post(f"/people/{recipient.id}/recommendations",
                                  data={"text": TEXT}).status_code == 200
    assert len(_recommendations()) == 1
    # Once answered, the author may write again (e.g. an updated recommendation).
    service.accept_recommendation(recipient, _recommendations()[0].id)
    service.write_recommendation(author, recipient.id, TEXT + " Encore.")
    assert len(_recommendations()) == 2


# ---- answering -----------------------------------------------------------------------------


def test_only_the_recipient_answers(client_as, school, pair):
    author, recipient = pair
    recommendation = service.write_recommendation(author, recipient.id, TEXT)
    for someone in (author, school["teacher"], school["admin"], school["other_student"]):
        for action in ("accept", "decline"):
            response = client_as(someone).post(f"/recommendations/{recommendation.id}/{action}")
            assert response.status_code == 404, (someone.username, action)
    assert client_as(recipient).post("/recommendations/99999999/accept").status_code == 404
    db.session.expire_all()
    assert db.session.get(Recommendation, recommendation.id).status is RecommendationStatus.PENDING
    with pytest.raises(NotFound):
        service.accept_recommendation(author, recommendation.id)


def test_accepting_tells_the_author_and_answers_once(client_as, pair):
    author, recipient = pair
    recommendation = service.write_recommendation(author, recipient.id, TEXT)
    client = client_as(recipient)
    assert client.post(f"/recommendations/{recommendation.id}/accept").status_code == 302
    db.session.expire_all()
    accepted = db.session.get(Recommendation, recommendation.id)
    assert accepted.status is RecommendationStatus.ACCEPTED and accepted.answered_at is not None
    assert len(_notifications(author, "recommendation_accepted")) == 1
    assert len(_events(recipient, "recommendation_accepted")) == 1
    # a second click changes nothing and tells nobody again
    assert client.post(f"/recommendations/{recommendation.id}/accept").status_code == 302
    with pytest.raises(ServiceError):
        service.accept_recommendation(recipient, recommendation.id)
    assert len(_notifications(author, "recommendation_accepted")) == 1


def test_declining_does_not_tell_the_author(client_as, pair):
    author, recipient = pair
    recommendation = service.write_recommendation(author, recipient.id, TEXT)
    assert client_as(recipient).post(
        f"/recommendations/{recommendation.id}/decline").status_code == 302
    db.session.expire_all()
    assert db.session.get(Recommendation, recommendation.id).status is RecommendationStatus.DECLINED
    assert _notifications(author, "recommendation_accepted") == []
    assert len(_events(recipient, "recommendation_declined")) == 1
    with pytest.raises(ServiceError):
        service.accept_recommendation(recipient, recommendation.id)


# ---- what profiles show --------------------------------------------------------------------


def test_only_accepted_recommendations_reach_the_profile(client_as, factories, school, pair):
    author, recipient = pair
    third = factories.make_student(school["class"])
    recommendation = service.write_recommendation(author, recipient.id, TEXT)
    viewers = [third, school["teacher"], school["admin"], recipient, author]

    def shown_to(viewer) -> bool:  # type: ignore[no-untyped-def]
        return TEXT in client_as(viewer).get(f"/people/{recipient.id}").get_data(as_text=True)

    assert not any(shown_to(viewer) for viewer in viewers)  # pending
    service.accept_recommendation(recipient, recommendation.id)
    assert all(shown_to(viewer) for viewer in viewers)
    page = client_as(third).get(f"/people/{recipient.id}").get_data(as_text=True)
    assert f'href="/people/{author.id}"' in page  # the author, linked
    service.decline_recommendation(recipient, recommendation.id)  # taken off the profile
    assert not any(shown_to(viewer) for viewer in viewers)
    assert client_as(school["other_student"]).get(f"/people/{recipient.id}").status_code == 404


def test_a_declined_recommendation_never_shows(client_as, school, pair):
    author, recipient = pair
    recommendation = service.write_recommendation(author, recipient.id, TEXT)
    service.decline_recommendation(recipient, recommendation.id)
    assert TEXT not in client_as(school["teacher"]).get(
        f"/people/{recipient.id}").get_data(as_text=True)


def test_the_author_is_named_as_the_viewer_may_know_them(client_as, school, pair):
    author, recipient = pair
    author.pseudonym = "Hugo P."
    db.session.commit()
    recommendation = service.write_recommendation(author, recipient.id, TEXT)
    service.accept_recommendation(recipient, recommendation.id)
    classmate_view = service.profile_sections(recipient, profile_page(recipient, recipient.id),
                                              None)
    assert classmate_view.recommendations[0].author_name == "Hugo P."
    teacher = school["teacher"]
    teacher_view = service.profile_sections(teacher, profile_page(teacher, recipient.id), None)
    assert teacher_view.recommendations[0].author_name == f"Hugo P. ({author.full_name})"
    preview = client_as(recipient).get("/profile/view-as/recruiter").get_data(as_text=True)
    assert TEXT in preview and "Hugo P." in preview
    assert f'href="/people/{author.id}"' not in preview  # nothing clickable in a preview


def test_the_recommendations_page(client_as, pair):
    author, recipient = pair
    recommendation = service.write_recommendation(author, recipient.id, TEXT)
    received = client_as(recipient).get("/recommendations/").get_data(as_text=True)
    assert TEXT in received and f"/recommendations/{recommendation.id}/accept" in received
    written = client_as(author).get("/recommendations/")
    assert written.status_code == 200 and TEXT in written.get_data(as_text=True)
    assert f"/recommendations/{recommendation.id}/accept" not in written.get_data(as_text=True)
    # choosing a connection opens the form addressed to them; anybody else gets the chooser
    chosen = client_as(author).get(f"/recommendations/?to={recipient.id}").get_data(as_text=True)
    assert f'action="/people/{recipient.id}/recommendations"' in chosen
    chooser = client_as(author).get("/recommendations/").get_data(as_text=True)
    assert f'<option value="{recipient.id}"' in chooser
    assert 'action="/people/' not in chooser


# ---- endorsements --------------------------------------------------------------------------


def test_a_connection_endorses_a_skill_once(client_as, pair):
    endorser, owner = pair
    skill = _skill(owner)
    client = client_as(endorser)
    url = f"/people/{owner.id}/skills/{skill.id}/endorse"
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # idempotent
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Endorsement)) == 1
    assert len(_notifications(owner, "skill_endorsed")) == 1
    assert len(_events(endorser, "skill_endorsed")) == 1
    unendorse = f"/people/{owner.id}/skills/{skill.id}/unendorse"
    assert client.post(unendorse).status_code == 302
    assert client.post(unendorse).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Endorsement)) == 0


def test_a_non_connection_cannot_endorse_and_nothing_is_written(client_as, school):
    owner = school["student"]
    skill = _skill(owner)
    with pytest.raises(ServiceError):
        service.endorse_skill(school["classmate"], owner.id, skill.id)
    response = client_as(school["classmate"]).post(f"/people/{owner.id}/skills/{skill.id}/endorse")
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Endorsement)) == 0
    assert _notifications(owner, "skill_endorsed") == []


def test_nobody_endorses_their_own_skills(client_as, school):
    owner = school["student"]
    skill = _skill(owner)
    with pytest.raises(ServiceError):
        service.endorse_skill(owner, owner.id, skill.id)
    client_as(owner).post(f"/people/{owner.id}/skills/{skill.id}/endorse")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Endorsement)) == 0


def test_the_skill_must_belong_to_that_person_and_be_visible(client_as, school, pair):
    endorser, owner = pair
    someone_elses = _skill(school["teacher"], "Pédagogie")
    client = client_as(endorser)
    assert client.post(f"/people/{owner.id}/skills/{someone_elses.id}/endorse").status_code == 404
    assert client.post(f"/people/{owner.id}/skills/99999999/endorse").status_code == 404
    hidden = _skill(owner)
    owner.profile.visibility = {"skills": "teacher"}
    db.session.commit()
    assert client.post(f"/people/{owner.id}/skills/{hidden.id}/endorse").status_code == 404
    # out of scope: as if the person did not exist
    _connect(school["other_student"], owner)
    other = client_as(school["other_student"])
    assert other.post(f"/people/{owner.id}/skills/{hidden.id}/endorse").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Endorsement)) == 0


def test_endorsements_are_counted_per_skill(client_as, factories, school, pair):
    endorser, owner = pair
    third = factories.make_student(school["class"])
    _connect(third, owner)
    english, export = _skill(owner, "Anglais", 0), _skill(owner, "Export", 1)
    for someone in (endorser, third):
        service.endorse_skill(someone, owner.id, english.id)
    service.endorse_skill(third, owner.id, export.id)
    sections = service.profile_sections(endorser, profile_page(endorser, owner.id), None)
    assert [(line.name, line.count, line.endorsed) for line in sections.skills] == [
        ("Anglais", 2, True), ("Export", 1, False)]
    assert sections.is_connection
    page = client_as(endorser).get(f"/people/{owner.id}").get_data(as_text=True)
    assert f"/people/{owner.id}/skills/{english.id}/unendorse" in page
    assert f"/people/{owner.id}/skills/{export.id}/endorse" in page
    # no button for someone who is not a connection, nor in a preview
    teacher_page = client_as(school["teacher"]).get(f"/people/{owner.id}").get_data(as_text=True)
    assert "/endorse" not in teacher_page and "Anglais" in teacher_page
    preview = client_as(owner).get("/profile/view-as/connection").get_data(as_text=True)
    assert "/endorse" not in preview and "/unendorse" not in preview
    page, _ = preview_as(owner, PreviewAudience.CONNECTION)
    previewed = service.profile_sections(owner, page, PreviewAudience.CONNECTION)
    assert [line.count for line in previewed.skills] == [2, 1] and not previewed.is_connection


def test_hidden_skills_show_no_endorsements(school, pair):
    endorser, owner = pair
    skill = _skill(owner)
    service.endorse_skill(endorser, owner.id, skill.id)
    owner.profile.visibility = {"skills": "teacher"}
    db.session.commit()
    sections = service.profile_sections(endorser, profile_page(endorser, owner.id), None)
    assert sections.skills == ()


def test_the_profile_page_runs_a_fixed_number_of_queries(
    client_as, factories, school, pair, count_queries
):
    viewer, owner = pair
    skill = _skill(owner)
    people = [factories.make_student(school["class"]) for _ in range(10)]
    for person in people:
        connect(person, owner)
    db.session.commit()

    def add(person) -> None:  # type: ignore[no-untyped-def]
        recommendation = service.write_recommendation(person, owner.id, TEXT)
        service.accept_recommendation(owner, recommendation.id)
        service.endorse_skill(person, owner.id, skill.id)

    add(people[0])
    counts = {}
    for label in ("one", "ten"):
        if label == "ten":
            for person in people[1:]:
                add(person)
        for who in (viewer, school["teacher"], owner):
            client = client_as(who)
            with count_queries() as counter:
                response = client.get(f"/people/{owner.id}")
            assert response.status_code == 200
            counts[label, who.id] = counter.count
    for who in (viewer, school["teacher"], owner):
        assert counts["one", who.id] == counts["ten", who.id], who.username
    page = client_as(viewer).get(f"/people/{owner.id}").get_data(as_text=True)
    assert page.count(TEXT) == 10
