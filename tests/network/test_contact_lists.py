"""Contact lists: one's own, of one's connections only, never half-written, query-planned."""

from __future__ import annotations

from html import unescape

import pytest
import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.core.errors import NotFound, ServiceError
from sandbox.extensions import db
from sandbox.network import lists
from sandbox.network.models import Connection, ContactList, ContactListMember
from sandbox.network.services import connect


def _lists(owner) -> list[ContactList]:  # type: ignore[no-untyped-def]
    return list(db.session.scalars(sa.select(ContactList).where(ContactList.owner_id == owner.id)))


def _members() -> set[tuple[int, int]]:
    rows = db.session.execute(sa.select(ContactListMember.list_id, ContactListMember.contact_id))
    return {(list_id, contact_id) for list_id, contact_id in rows}


def _events(user, kind: str) -> list[ActivityEvent]:  # type: ignore[no-untyped-def]
    return list(db.session.scalars(
        sa.select(ActivityEvent).where(ActivityEvent.user_id == user.id, ActivityEvent.kind == kind)
    ))


def _flashes(client) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


@pytest.fixture
def lea(school):  # type: ignore[no-untyped-def]
    """Léa, connected with Hugo (classmate) and Claire (persona); not with her teacher."""
    student = school["student"]
    connect(student, school["classmate"])
    connect(student, school["persona"])
    db.session.commit()
    return student


# ---- creating, renaming, deleting ----------------------------------------------------------


def test_creating_a_list(client_as, lea):
    response = client_as(lea).post("/contact-lists/", data={"name": "  Réseau   pro "})

    assert response.status_code == 302
    [created] = _lists(lea)
    assert created.name == "Réseau pro"
    assert response.headers["Location"] == f"/contact-lists/#list-{created.id}"
    [event] = _events(lea, "contact_list_created")
    assert (event.subject_type, event.subject_id) == ("ContactList", created.id)
    assert lists.lists_of(lea) == [created]
    assert lists.member_ids(created.id) == set()


def test_students_teachers_and_admins_all_have_lists(client_as, school):
    for role in ("student", "teacher", "admin", "other_student"):
        response = client_as(school[role]).post("/contact-lists/", data={"name": "Pro"})
        assert response.status_code == 302
        assert [contact_list.name for contact_list in _lists(school[role])] == ["Pro"]


def test_a_duplicate_name_is_refused_clearly_and_nothing_is_written(client_as, lea, school):
    client = client_as(lea)
    client.post("/contact-lists/", data={"name": "Pro"})
    _flashes(client)  # the success message of the first list
    client.get("/contact-lists/")  # shows (and so empties) the flashed messages
    response = client.post("/contact-lists/", data={"name": "  PRO "})

    assert response.status_code == 302
    [(category, message)] = _flashes(client)
    assert category == "error" and "PRO" in message
    assert [contact_list.name for contact_list in _lists(lea)] == ["Pro"]
    assert len(_events(lea, "contact_list_created")) == 1
    with pytest.raises(ServiceError) as raised:
        lists.create_list(lea, "pro")
    assert raised.value.field == "name"

    # The same name is fine for someone else.
    lists.create_list(school["classmate"], "Pro")


@pytest.mark.parametrize("name", ["", "   ", "x" * 61, "Pro\x00"])
def test_a_bad_name_writes_nothing(client_as, lea, name):
    client = client_as(lea)
    assert client.post("/contact-lists/", data={"name": name}).status_code == 302
    assert [category for category, _message in _flashes(client)] == ["error"]
    assert _lists(lea) == [] and _events(lea, "contact_list_created") == []


def test_sixty_characters_is_the_longest_name(lea):
    assert lists.create_list(lea, "x" * 60).name == "x" * 60


def test_twenty_lists_at_most(lea):
    for number in range(lists.MAX_LISTS):
        lists.create_list(lea, f"Liste {number}")
    with pytest.raises(ServiceError):
        lists.create_list(lea, "Une de trop")
    assert len(_lists(lea)) == lists.MAX_LISTS
    assert not lists.lists_page(lea).can_create


def test_renaming_a_list(client_as, lea):
    pro = lists.create_list(lea, "pro")
    lists.create_list(lea, "Perso")
    client = client_as(lea)

    assert client.post(f"/contact-lists/{pro.id}/rename", data={"name": "Pro"}).status_code == 302
    db.session.refresh(pro)
    assert pro.name == "Pro"  # its own name, in capitals: fine

    client.get("/contact-lists/")
    client.post(f"/contact-lists/{pro.id}/rename", data={"name": "perso"})
    assert [category for category, _message in _flashes(client)] == ["error"]
    client.get("/contact-lists/")
    client.post(f"/contact-lists/{pro.id}/rename", data={"name": ""})
    assert [category for category, _message in _flashes(client)] == ["error"]
    db.session.expire_all()
    assert sorted(contact_list.name for contact_list in _lists(lea)) == ["Perso", "Pro"]


def test_deleting_a_list_keeps_the_connections(client_as, lea, school):
    pro = lists.create_list(lea, "Pro")
    lists.add_member(lea, pro.id, school["classmate"].id)

    response = client_as(lea).post(f"/contact-lists/{pro.id}/delete")
    assert response.status_code == 302
    assert _lists(lea) == [] and _members() == set()
    assert len(_events(lea, "contact_list_deleted")) == 1
    assert db.session.get(Connection, (lea.id, school["classmate"].id)) is not None


# ---- members -------------------------------------------------------------------------------


def test_adding_and_removing_a_connection(client_as, lea, school):
    hugo = school["classmate"]
    pro = lists.create_list(lea, "Pro")
    client = client_as(lea)

    for _twice in range(2):
        response = client.post(f"/contact-lists/{pro.id}/members", data={"contact_id": hugo.id})
        assert response.status_code == 302
    assert lists.member_ids(pro.id) == {hugo.id}
    [event] = _events(lea, "contact_added_to_list")
    assert (event.subject_type, event.subject_id, event.data) == (
        "ContactList", pro.id, {"contact_id": hugo.id}
    )

    for _twice in range(2):
        response = client.post(f"/contact-lists/{pro.id}/members/{hugo.id}/delete")
        assert response.status_code == 302
    assert lists.member_ids(pro.id) == set()


@pytest.mark.parametrize("contact", ["teacher", "other_student", "student"])
def test_only_a_connection_can_be_added(client_as, lea, school, contact):
    pro = lists.create_list(lea, "Pro")
    client = client_as(lea)
    response = client.post(
        f"/contact-lists/{pro.id}/members", data={"contact_id": school[contact].id}
    )

    assert response.status_code == 302
    assert [category for category, _message in _flashes(client)] == ["error"]
    assert _members() == set() and _events(lea, "contact_added_to_list") == []
    with pytest.raises(ServiceError) as raised:
        lists.add_member(lea, pro.id, school[contact].id)
    assert raised.value.field == "contact_id"


@pytest.mark.parametrize("value", [None, "", "hugo", "-3", "0", "99999999999999999999"])
def test_a_garbled_contact_is_refused(client_as, lea, value):
    pro = lists.create_list(lea, "Pro")
    client = client_as(lea)
    data = {} if value is None else {"contact_id": value}
    assert client.post(f"/contact-lists/{pro.id}/members", data=data).status_code == 302
    assert [category for category, _message in _flashes(client)] == ["error"]
    assert _members() == set()


def _someone_elses_routes(list_id: int, contact_id: int) -> list[tuple[str, dict]]:
    return [
        (f"/contact-lists/{list_id}/rename", {"name": "Volé"}),
        (f"/contact-lists/{list_id}/delete", {}),
        (f"/contact-lists/{list_id}/members", {"contact_id": contact_id}),
        (f"/contact-lists/{list_id}/members/{contact_id}/delete", {}),
    ]


@pytest.mark.parametrize("intruder", ["classmate", "teacher", "admin", "other_student"])
def test_someone_elses_list_does_not_exist(client_as, lea, school, intruder):
    hugo = school["classmate"]
    pro = lists.create_list(lea, "Pro")
    lists.add_member(lea, pro.id, hugo.id)
    client = client_as(school[intruder])
    for url, data in _someone_elses_routes(pro.id, hugo.id):
        assert client.post(url, data=data).status_code == 404, url
    assert client.post("/contact-lists/99999999/delete").status_code == 404

    db.session.expire_all()
    assert [(kept.name, kept.id) for kept in _lists(lea)] == [("Pro", pro.id)]
    assert _members() == {(pro.id, hugo.id)}
    with pytest.raises(NotFound):
        lists.own_list(school[intruder], pro.id)


def test_anonymous_visitors_are_sent_to_log_in(client, lea):
    pro = lists.create_list(lea, "Pro")
    for url in ("/contact-lists/", f"/contact-lists/{pro.id}/delete"):
        response = client.post(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert len(_lists(lea)) == 1


def test_forget_contact_takes_them_out_of_every_list_of_that_owner_only(lea, school):
    hugo, claire = school["classmate"], school["persona"]
    pro, perso = lists.create_list(lea, "Pro"), lists.create_list(lea, "Perso")
    for contact_list in (pro, perso):
        lists.add_member(lea, contact_list.id, hugo.id)
    lists.add_member(lea, pro.id, claire.id)
    # Hugo's own list, with Léa in it: not touched.
    hugos = lists.create_list(hugo, "Classe")
    lists.add_member(hugo, hugos.id, lea.id)

    lists.forget_contact(lea.id, hugo.id)
    db.session.commit()

    assert lists.member_ids(pro.id) == {claire.id}
    assert lists.member_ids(perso.id) == set()
    assert lists.member_ids(hugos.id) == {lea.id}


def test_forget_contact_leaves_the_commit_to_the_caller(lea, school):
    pro = lists.create_list(lea, "Pro")
    lists.add_member(lea, pro.id, school["classmate"].id)
    lists.forget_contact(lea.id, school["classmate"].id)
    db.session.rollback()
    assert lists.member_ids(pro.id) == {school["classmate"].id}


# ---- the page ------------------------------------------------------------------------------


def test_the_page_shows_lists_members_and_who_can_be_added(client_as, lea, school):
    hugo, claire = school["classmate"], school["persona"]
    pro = lists.create_list(lea, "Pro")
    lists.add_member(lea, pro.id, claire.id)

    response = client_as(lea).get("/contact-lists/")
    assert response.status_code == 200
    page = unescape(response.get_data(as_text=True))
    assert "Pro" in page and claire.full_name in page
    assert f'action="/contact-lists/{pro.id}/members/{claire.id}/delete"' in page
    assert f'<option value="{hugo.id}">' in page
    assert f'<option value="{claire.id}">' not in page  # already in it
    for action in ("rename", "delete", "members"):
        assert f'action="/contact-lists/{pro.id}/{action}"' in page

    entry = lists.lists_page(lea).lists[0]
    assert [person.id for person in entry.members] == [claire.id]
    assert [person.id for person in entry.addable] == [hugo.id]


def test_without_connections_the_page_says_so(client_as, school):
    teacher = school["teacher"]
    lists.create_list(teacher, "Collègues")
    assert client_as(teacher).get("/contact-lists/").status_code == 200
    page = lists.lists_page(teacher)
    assert not page.has_connections and page.lists[0].addable == []


def test_the_page_runs_a_fixed_number_of_queries(client_as, school, factories, count_queries):
    teacher, klass = school["teacher"], school["class"]
    client = client_as(teacher)
    first = factories.make_student(klass, pseudonym="Renard")
    connect(teacher, first)
    db.session.commit()
    pro = lists.create_list(teacher, "Pro")
    lists.add_member(teacher, pro.id, first.id)
    with count_queries() as few:
        page = client.get("/contact-lists/").get_data(as_text=True)
    assert f"Renard ({first.full_name})" in page  # their teacher knows who is behind it

    for number in range(5):
        student = factories.make_student(klass, pseudonym=f"Pseudo{number}")
        connect(teacher, student)
        db.session.commit()
        extra = lists.create_list(teacher, f"Liste {number}")
        lists.add_member(teacher, extra.id, student.id)
        lists.add_member(teacher, pro.id, student.id)
    connect(teacher, school["persona"])
    db.session.commit()
    with count_queries() as many:
        page = client.get("/contact-lists/").get_data(as_text=True)
    assert page.count("/members/") == 11  # a remove button per member of each list
    assert many.count == few.count, many.statements
