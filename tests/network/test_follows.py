"""Follows: people in one's network, companies, hashtags; idempotent, notified, query-planned."""

from __future__ import annotations

from html import unescape

import pytest
import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.core.errors import NotFound, ServiceError
from sandbox.extensions import db
from sandbox.network import follows
from sandbox.network.models import FollowedCompany, FollowedHashtag, FollowedPerson
from sandbox.notifications.models import Notification


def _rows(model, **where) -> list:  # type: ignore[no-untyped-def]
    query = sa.select(model).filter_by(**where)
    return list(db.session.scalars(query))


def _events(user, kind: str) -> list[ActivityEvent]:  # type: ignore[no-untyped-def]
    return _rows(ActivityEvent, user_id=user.id, kind=kind)


def _flashes(client) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


# ---- people --------------------------------------------------------------------------------


def test_following_a_classmate_tells_them_and_is_recorded(client_as, school):
    lea, hugo = school["student"], school["classmate"]
    response = client_as(lea).post(f"/follows/people/{hugo.id}")

    assert response.status_code == 302
    assert response.headers["Location"] == "/follows/"
    assert follows.is_following_person(lea, hugo.id)
    assert follows.followed_people_ids(lea) == {hugo.id}
    assert follows.followed_people_ids(hugo) == set()  # one-sided
    [notification] = _rows(Notification, user_id=hugo.id, kind="new_follower")
    assert notification.actor_id == lea.id
    [event] = _events(lea, "followed_person")
    assert (event.subject_type, event.subject_id) == ("User", hugo.id)


def test_following_twice_changes_nothing(client_as, school):
    lea, hugo = school["student"], school["classmate"]
    client = client_as(lea)
    assert client.post(f"/follows/people/{hugo.id}").status_code == 302
    second = client.post(f"/follows/people/{hugo.id}")

    assert second.status_code == 302
    assert len(_rows(FollowedPerson, follower_id=lea.id)) == 1
    assert len(_rows(Notification, user_id=hugo.id)) == 1
    assert len(_events(lea, "followed_person")) == 1
    assert all(category == "success" for category, _message in _flashes(client))


def test_unfollowing_records_an_event_and_tells_nobody(client_as, school):
    lea, hugo = school["student"], school["classmate"]
    client = client_as(lea)
    client.post(f"/follows/people/{hugo.id}")
    response = client.post(f"/follows/people/{hugo.id}/delete")

    assert response.status_code == 302
    assert not follows.is_following_person(lea, hugo.id)
    assert len(_events(lea, "unfollowed_person")) == 1
    assert len(_rows(Notification, user_id=hugo.id)) == 1  # only the follow's


def test_unfollowing_someone_not_followed_is_not_an_error(client_as, school):
    lea = school["student"]
    client = client_as(lea)
    for user_id in (school["classmate"].id, school["other_student"].id, 99999999):
        response = client.post(f"/follows/people/{user_id}/delete")
        assert response.status_code == 302
    assert _events(lea, "unfollowed_person") == []


def test_following_again_does_not_flood_the_person_with_notifications(client_as, school):
    lea, hugo = school["student"], school["classmate"]
    client = client_as(lea)
    for _round in range(3):
        client.post(f"/follows/people/{hugo.id}")
        client.post(f"/follows/people/{hugo.id}/delete")
    client.post(f"/follows/people/{hugo.id}")

    assert follows.is_following_person(lea, hugo.id)
    assert len(_rows(Notification, user_id=hugo.id, kind="new_follower")) == 1


def test_nobody_follows_themselves(client_as, school):
    lea = school["student"]
    with pytest.raises(ServiceError) as raised:
        follows.follow_person(lea, lea.id)
    assert not isinstance(raised.value, NotFound)

    client = client_as(lea)
    response = client.post(f"/follows/people/{lea.id}")
    assert response.status_code == 302
    assert [category for category, _message in _flashes(client)] == ["error"]
    assert _rows(FollowedPerson) == []


def test_a_person_outside_the_network_cannot_be_followed(client_as, school):
    other, lea = school["other_student"], school["student"]
    assert client_as(other).post(f"/follows/people/{lea.id}").status_code == 404
    assert client_as(other).post("/follows/people/99999999").status_code == 404
    with pytest.raises(NotFound):
        follows.follow_person(other, lea.id)
    assert client_as(school["other_teacher"]).post(f"/follows/people/{lea.id}").status_code == 404
    assert _rows(FollowedPerson) == [] and _rows(Notification) == []


def test_teachers_admins_and_students_follow_whom_they_see(client_as, school):
    lea, persona = school["student"], school["persona"]
    for follower in (school["teacher"], school["admin"], school["classmate"]):
        assert client_as(follower).post(f"/follows/people/{lea.id}").status_code == 302
    assert client_as(lea).post(f"/follows/people/{persona.id}").status_code == 302
    assert {row.follower_id for row in _rows(FollowedPerson, followed_id=lea.id)} == {
        school["teacher"].id, school["admin"].id, school["classmate"].id
    }
    assert follows.followed_people_ids(lea) == {persona.id}


def test_back_to_a_safe_next_page_only(client_as, school):
    client = client_as(school["student"])
    hugo = school["classmate"]
    here = f"/people/{hugo.id}"
    response = client.post(f"/follows/people/{hugo.id}", data={"next": here})
    assert response.headers["Location"] == here
    response = client.post(f"/follows/people/{hugo.id}/delete",
                           data={"next": "https://elsewhere.example/"})
    assert response.headers["Location"] == "/follows/"


def test_anonymous_visitors_are_sent_to_log_in(client, school):
    response = client.post(f"/follows/people/{school['student'].id}")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert _rows(FollowedPerson) == []


# ---- companies -----------------------------------------------------------------------------


def test_following_a_company(client_as, school):
    lea = school["student"]
    company = school["persona"].persona.company
    client = client_as(lea)
    for _twice in range(2):
        response = client.post(f"/follows/companies/{company.slug}",
                               data={"next": f"/companies/{company.slug}"})
        assert response.headers["Location"] == f"/companies/{company.slug}"

    assert follows.followed_company_ids(lea) == {company.id}
    assert follows.is_following_company(lea, company.id)
    [event] = _events(lea, "followed_company")
    assert (event.subject_type, event.subject_id) == ("Company", company.id)
    assert _rows(Notification) == []

    assert client.post(f"/follows/companies/{company.slug}/delete").status_code == 302
    assert client.post(f"/follows/companies/{company.slug}/delete").status_code == 302
    assert _rows(FollowedCompany) == []
    assert len(_events(lea, "unfollowed_company")) == 1


def test_an_unknown_company_is_not_found(client_as, school):
    client = client_as(school["student"])
    assert client.post("/follows/companies/no-such-company").status_code == 404
    assert client.post("/follows/companies/no-such-company/delete").status_code == 404


def test_the_company_page_offers_the_right_button(client_as, school):
    company = school["persona"].persona.company
    client = client_as(school["student"])
    follow_url = f'action="/follows/companies/{company.slug}"'
    unfollow_url = f'action="/follows/companies/{company.slug}/delete"'

    page = client.get(f"/companies/{company.slug}").get_data(as_text=True)
    assert follow_url in page and unfollow_url not in page
    client.post(f"/follows/companies/{company.slug}")
    page = client.get(f"/companies/{company.slug}").get_data(as_text=True)
    assert unfollow_url in page and follow_url not in page


# ---- hashtags ------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["#Export", "export", " #EXPORT ", "#éxport"])
def test_hashtags_are_normalised(typed):
    assert follows.normalise_hashtag(typed) == "export"


def test_hyphens_become_underscores_as_on_profiles():
    assert follows.normalise_hashtag("#stage-bts") == "stage_bts"


@pytest.mark.parametrize(
    "typed", ["", "#", "x", "#two words", "#export #stage", "a/b", "#" + "a" * 61]
)
def test_what_is_not_one_hashtag_is_refused(typed):
    with pytest.raises(ServiceError) as raised:
        follows.normalise_hashtag(typed)
    assert raised.value.field == "tag"


def test_following_a_hashtag_by_url_or_by_form_is_one_follow(client_as, school):
    lea = school["student"]
    client = client_as(lea)
    assert client.post("/follows/hashtags", data={"tag": "#Export"}).status_code == 302
    assert client.post("/follows/hashtags/export").status_code == 302
    assert client.post("/follows/hashtags/%23EXPORT").status_code == 302

    assert follows.followed_hashtags(lea) == {"export"}
    [event] = _events(lea, "followed_hashtag")
    assert event.data == {"tag": "export"}

    assert client.post("/follows/hashtags/%23Export/delete").status_code == 302
    assert client.post("/follows/hashtags/export/delete").status_code == 302
    assert follows.followed_hashtags(lea) == set()
    assert len(_events(lea, "unfollowed_hashtag")) == 1


def test_an_invalid_hashtag_writes_nothing_and_says_why(client_as, school):
    client = client_as(school["student"])
    response = client.post("/follows/hashtags", data={"tag": "deux mots"})
    assert response.status_code == 302
    assert [category for category, _message in _flashes(client)] == ["error"]
    assert client.post("/follows/hashtags/x").status_code == 302
    assert client.post("/follows/hashtags", data={}).status_code == 302
    assert _rows(FollowedHashtag) == [] and _events(school["student"], "followed_hashtag") == []


# ---- the page of what one follows ----------------------------------------------------------


def test_the_page_lists_what_one_follows(client_as, school, factories):
    lea, hugo = school["student"], school["classmate"]
    company = factories.make_company(slug="la-fromagerie")
    follows.follow_person(lea, hugo.id)
    follows.follow_company(lea, company.slug)
    follows.follow_hashtag(lea, "#export")

    response = client_as(lea).get("/follows/")
    assert response.status_code == 200
    page = unescape(response.get_data(as_text=True))
    assert hugo.full_name in page and f'href="/people/{hugo.id}"' in page
    assert company.name in page and 'href="/companies/la-fromagerie"' in page
    assert 'href="/search?q=%23export"' in page
    for action in (f"/follows/people/{hugo.id}/delete", "/follows/companies/la-fromagerie/delete",
                   "/follows/hashtags/export/delete", "/follows/hashtags"):
        assert f'action="{action}"' in page


def test_people_who_left_the_network_leave_the_page(client_as, school):
    lea, hugo = school["student"], school["classmate"]
    follows.follow_person(lea, hugo.id)
    hugo.is_disabled = True
    db.session.commit()
    page = client_as(lea).get("/follows/").get_data(as_text=True)
    assert f'href="/people/{hugo.id}"' not in page
    assert follows.following_of(lea).people == []


def test_the_page_shows_pseudonyms_and_runs_a_fixed_number_of_queries(
    client_as, school, factories, count_queries
):  # type: ignore[no-untyped-def]
    teacher, klass = school["teacher"], school["class"]
    client = client_as(teacher)
    first = factories.make_student(klass, pseudonym="Renard")
    follows.follow_person(teacher, first.id)
    follows.follow_company(teacher, school["persona"].persona.company.slug)
    follows.follow_hashtag(teacher, "export")
    with count_queries() as few:
        page = client.get("/follows/").get_data(as_text=True)
    assert f"Renard ({first.full_name})" in page  # their teacher knows who is behind it

    for number in range(4):
        student = factories.make_student(klass, pseudonym=f"Pseudo{number}")
        follows.follow_person(teacher, student.id)
        follows.follow_company(teacher, factories.make_company().slug)
        follows.follow_hashtag(teacher, f"tag{number}")
    follows.follow_person(teacher, school["persona"].id)
    with count_queries() as many:
        page = client.get("/follows/").get_data(as_text=True)
    assert page.count('action="/follows/people/') == 6
    assert page.count('action="/follows/companies/') == 5
    assert many.count == few.count, many.statements


def test_the_follow_button_macro_posts_to_the_right_route(app, school):
    hugo = school["classmate"]
    with app.test_request_context("/"):
        macro = app.jinja_env.get_template("network/follow_button.html").module
        follow = str(macro.follow_person_button(hugo, False, f"/people/{hugo.id}"))
        unfollow = str(macro.follow_person_button(hugo, True, f"/people/{hugo.id}"))
    assert f'action="/follows/people/{hugo.id}"' in follow
    assert f'action="/follows/people/{hugo.id}/delete"' in unfollow
    for form in (follow, unfollow):
        assert 'name="csrf_token"' in form
        assert f'name="next" value="/people/{hugo.id}"' in form
