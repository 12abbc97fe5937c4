"""Students sign their class's charter first, and again when it changes; teachers see who did."""

from __future__ import annotations

import html

import pytest
import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.charter import edits, services, signing
from sandbox.charter.models import CharterSignature, ClassCharter
from sandbox.charter.services import rules_of
from sandbox.extensions import db
from sandbox.seeding.files import read_demo_seed, read_network_seed
from sandbox.seeding.loader import seed_demo_class, seed_network


def _signatures(user) -> list[CharterSignature]:  # type: ignore[no-untyped-def]
    return list(db.session.scalars(
        sa.select(CharterSignature).where(CharterSignature.user_id == user.id)
        .order_by(CharterSignature.version)
    ))


def _events(user) -> list[ActivityEvent]:  # type: ignore[no-untyped-def]
    return list(db.session.scalars(sa.select(ActivityEvent).where(
        ActivityEvent.user_id == user.id, ActivityEvent.kind == "charter_signed")))


def _change_the_charter(school) -> int:  # type: ignore[no-untyped-def]
    change = services.update_charter(school["teacher"], school["class"].id,
                                     edits.CharterEdit(forbidden_words="nul"))
    return change.version


@pytest.fixture
def newcomer(school, factories):  # type: ignore[no-untyped-def]
    """A student of Léa's class who has not signed anything yet, reading in English."""
    student = factories.make_student(school["class"], username="mathieu.dupre", signed=False)
    student.locale = "en"
    db.session.commit()
    return student


def test_students_of_the_fixtures_have_signed(school, client_as):
    for name in ("student", "classmate", "other_student"):
        assert signing.pending_version(school[name]) is None
    assert client_as(school["student"]).get("/").status_code == 200


def test_an_unsigned_student_is_sent_to_the_sign_page(newcomer, client_as):
    client = client_as(newcomer)
    response = client.get("/network/?tab=connections")
    assert response.status_code == 302
    assert response.headers["Location"] == "/charter/sign?next=/network/?tab%3Dconnections"
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    rules = rules_of(newcomer.class_id, enabled_only=True)
    for rule in rules:  # in the reader's language, numbered
        assert rule.title_en in page and rule.text_en in page
    assert page.count('class="charter-rules__item') == len(rules)
    assert "I have read the charter and I commit to respecting it" in page
    assert 'name="next" type="hidden" value="/network/?tab=connections"' in page


def test_french_readers_get_the_french_rules(school, factories, client_as):
    student = factories.make_student(school["class"], signed=False)
    student.locale = "fr"
    db.session.commit()
    page = client_as(student).get("/charter/sign").get_data(as_text=True)
    assert "Aucune information personnelle" in page


def test_other_requests_are_refused_until_signed(newcomer, client_as):
    client = client_as(newcomer)
    response = client.post("/posts/", data={"body": "Bonjour", "audience": "network"})
    assert response.status_code == 403
    assert "Sign your class&#39;s charter before you go on." in response.get_data(as_text=True)
    response = client.post("/api/charter/check", json={"text": "Bonjour"})
    assert response.status_code == 403
    assert response.get_json()["sign_url"] == "/charter/sign"
    assert "Sign your class's charter" in response.get_json()["message"]
    response = client.get("/notifications/", headers={"Accept": "application/json"})
    assert response.status_code == 403 and response.is_json
    response = client.get("/", headers={"X-Requested-With": "fetch"})
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CharterSignature).where(
        CharterSignature.user_id == newcomer.id)) == 0


def test_what_an_unsigned_student_may_still_do(newcomer, client_as):
    client = client_as(newcomer)
    static = client.get("/static/css/app.css")
    static.close()
    assert static.status_code == 200
    assert client.get("/no-such-page").status_code == 404
    assert client.post("/language", data={"language": "fr"}).status_code == 302
    assert client.post("/logout").headers["Location"] == "/login"


def test_the_password_change_comes_before_the_charter(newcomer, client_as):
    client = client_as(newcomer)
    newcomer.must_change_password = True
    db.session.commit()
    assert client.get("/").headers["Location"] == "/account/password"


def test_the_box_must_be_ticked(newcomer, client_as):
    response = client_as(newcomer).post("/charter/sign", data={"version": "1"})
    assert response.status_code == 200
    assert "Tick the box to sign the charter." in response.get_data(as_text=True)
    assert _signatures(newcomer) == []


def test_signing_records_the_version_and_goes_on(newcomer, client_as):
    client = client_as(newcomer)
    response = client.post("/charter/sign", data={"agree": "y", "version": "1",
                                                  "next": "/network/?tab=connections"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/network/?tab=connections"
    [signature] = _signatures(newcomer)
    assert (signature.class_id, signature.version) == (newcomer.class_id, 1)
    [event] = _events(newcomer)
    assert event.data == {"version": 1}
    assert client.get("/").status_code == 200
    page = client.get("/charter").get_data(as_text=True)
    assert "version 1." in page and "Signed on" in page


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil", ""])
def test_only_a_local_next_is_followed(newcomer, client_as, target):
    response = client_as(newcomer).post("/charter/sign", data={"agree": "y", "version": "1",
                                                                "next": target})
    assert response.headers["Location"] == "/"


def test_the_form_sent_twice_signs_once(newcomer, client_as):
    client = client_as(newcomer)
    data = {"agree": "y", "version": "1", "next": "/network/"}
    first = client.post("/charter/sign", data=data)
    second = client.post("/charter/sign", data=data)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == "/network/"
    assert len(_signatures(newcomer)) == 1 and len(_events(newcomer)) == 1
    assert signing.sign(newcomer, 1) is False  # the service itself is idempotent too


def test_a_changed_charter_is_signed_again(school, client_as):
    lea = school["student"]
    lea.locale = "en"
    db.session.commit()
    client = client_as(lea)
    assert client.get("/").status_code == 200
    data = edits.CharterEdit(forbidden_words="nul")
    services.update_charter(school["teacher"], school["class"].id, data)
    assert client.get("/").headers["Location"] == "/charter/sign?next=/"
    page = client.get("/charter/sign").get_data(as_text=True)
    assert "The charter has changed since you signed version 1." in page
    assert "also changed the allowed words" in page
    # signing the version read, while a teacher made another one meanwhile, is refused
    _change_the_charter_rule(school)
    response = client.post("/charter/sign", data={"agree": "y", "version": "2"})
    assert response.status_code == 200
    assert "The charter has just changed" in response.get_data(as_text=True)
    assert [s.version for s in _signatures(lea)] == [1]
    page = client.get("/charter/sign").get_data(as_text=True)
    assert "badge--changed" in page  # the rule changed since version 1 is marked
    client.post("/charter/sign", data={"agree": "y", "version": "3"})
    assert [s.version for s in _signatures(lea)] == [1, 3]
    assert client.get("/").status_code == 200


def _change_the_charter_rule(school) -> None:  # type: ignore[no-untyped-def]
    klass = school["class"]
    rules = rules_of(klass.id)
    edit = edits.CharterEdit(
        forbidden_words="nul",
        rules=[edits.RuleEdit(code=rules[0].code, title_fr="Nouveau titre",
                              title_en=rules[0].title_en, text_fr=rules[0].text_fr,
                              text_en=rules[0].text_en)],
    )
    services.update_charter(school["teacher"], klass.id, edit)


def test_staff_are_never_asked_to_sign(school, client_as):
    _change_the_charter(school)
    assert client_as(school["teacher"]).get("/classes/").status_code == 200
    assert client_as(school["teacher"]).get("/charter/sign").headers["Location"] == "/classes/"
    assert client_as(school["admin"]).post("/charter/sign", data={"agree": "y"}
                                           ).status_code == 403


def test_joining_with_the_class_code_asks_to_sign_first(client, school):
    response = client.post("/join", data={
        "join_code": school["class"].join_code, "first_name": "Mathieu", "last_name": "Dupré",
        "pseudonym": "", "username": "mathieu.dupre", "password": "un-mot-de-passe",
        "confirm": "un-mot-de-passe",
    })
    assert response.headers["Location"] == "/"
    assert client.get("/").headers["Location"] == "/charter/sign?next=/"


def test_the_demo_students_have_signed_and_seeding_again_adds_nothing(app):
    seed_network(read_network_seed())
    demo = read_demo_seed()
    seed_demo_class(demo)
    seed_demo_class(demo)
    from sandbox.accounts.models import User

    students = db.session.scalars(sa.select(User).where(
        User.username.in_([s.username for s in demo.students]))).all()
    assert students and all(signing.pending_version(s) is None for s in students)
    count = sa.select(sa.func.count()).select_from(CharterSignature)
    assert db.session.scalar(count) == len(students)
    # a version a teacher made since is not signed for them by seeding again
    klass = students[0].school_class
    charter = db.session.get(ClassCharter, klass.id)
    charter.version = 2
    db.session.commit()
    seed_demo_class(demo)
    assert all(signing.pending_version(s) == 2 for s in students)


# ---- the teacher's view of the signatures -------------------------------------------------


def test_the_signatures_page_shows_who_signed_which_version(school, factories, client_as):
    klass = school["class"]
    newcomer = factories.make_student(klass, username="mathieu.dupre", signed=False)
    _change_the_charter(school)
    hugo = school["classmate"]
    signing.sign(hugo, 2)
    teacher = school["teacher"]
    teacher.locale = "en"
    db.session.commit()
    page = client_as(teacher).get(f"/classes/{klass.id}/charter/signatures").get_data(
        as_text=True)
    assert 'data-count="current">1<' in page
    assert 'data-count="older">1<' in page
    assert 'data-count="never">1<' in page
    rows = page.split("<tbody>")[1]
    lea_row = rows.split(f'data-student="{school["student"].id}"')[1].split("</tr>")[0]
    hugo_row = rows.split(f'data-student="{hugo.id}"')[1].split("</tr>")[0]
    new_row = rows.split(f'data-student="{newcomer.id}"')[1].split("</tr>")[0]
    assert "version 1" in lea_row and "must sign version 2" in lea_row
    assert "version 2" in hugo_row and "must sign" not in hugo_row
    assert "none" in new_row and "must sign version 2" in new_row
    assert "Mathieu" in new_row  # names as the teacher sees them
    assert school["other_student"].last_name not in page


def test_the_signatures_page_runs_a_fixed_number_of_queries(school, factories, client_as,
                                                             count_queries):
    klass = school["class"]
    client = client_as(school["teacher"])
    url = f"/classes/{klass.id}/charter/signatures"
    client.get(url)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    for number in range(6):
        factories.make_student(klass, signed=number % 2 == 0, pseudonym=f"Pseudo {number}")
    _change_the_charter(school)
    with count_queries() as many:
        page = client.get(url).get_data(as_text=True)
    assert page.count("data-student=") == 8
    assert many.count == few.count, many.statements


def test_a_post_sent_while_the_charter_changes_is_not_lost(school, client_as):
    """Léa was typing when her teacher changed the charter: her post goes out (checked against
    the new charter), and the next page asks her to sign."""
    client = client_as(school["student"])
    services.update_charter(school["teacher"], school["class"].id,
                            edits.CharterEdit(forbidden_words="nul"))
    response = client.post("/posts/", data={"body": "Bonjour à tous.", "audience": "network"})
    assert response.status_code == 302
    assert client.get("/").headers["Location"] == "/charter/sign?next=/"
