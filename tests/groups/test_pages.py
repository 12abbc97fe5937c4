"""The group pages: directory and search, a group's page, the member directory, the forms."""

from __future__ import annotations

import sqlalchemy as sa

from sandbox.classes.models import NetworkScope
from sandbox.extensions import db
from sandbox.groups.directory import directory, members_of
from sandbox.groups.models import Group, JoinPolicy, MemberRole, MembershipStatus
from tests.groups.helpers import DESCRIPTION, add_member, make_group, membership


def _page(client, url: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_directory_lists_what_the_viewer_finds_with_member_counts(client_as, school):
    wide = make_group(school["teacher"], "Commerce international",
                      topics="#export #import")
    add_member(wide, school["student"])
    workshop = make_group(school["teacher"], "Atelier réseau", class_id=school["class"].id)
    page = _page(client_as(school["student"]), "/groups/")
    assert "Commerce international" in page and "Atelier réseau" in page
    assert f'href="/groups/{wide.slug}"' in page
    assert 'href="/hashtags/export"' in page
    other = _page(client_as(school["other_student"]), "/groups/")
    assert "Commerce international" in other and "Atelier réseau" not in other
    assert client_as(school["other_student"]).get(f"/groups/{workshop.slug}").status_code == 404


def test_directory_search_by_name_or_topic_ignores_accents(school):
    teacher = school["teacher"]
    make_group(teacher, "Génération export", topics="#export")
    make_group(teacher, "Stages et alternances", topics="#stage #alternance")
    lea = school["student"]
    assert [e.group.name for e in directory(lea, "generation").entries] == ["Génération export"]
    assert [e.group.name for e in directory(lea, "#altern").entries] == [
        "Stages et alternances"]
    assert [e.group.name for e in directory(lea, "STAGE").entries] == ["Stages et alternances"]
    assert directory(lea, "introuvable").entries == []
    assert directory(lea, "introuvable").total == 2


def test_directory_runs_a_fixed_number_of_queries(client_as, school, factories, count_queries):
    teacher, lea = school["teacher"], school["student"]
    client = client_as(lea)
    make_group(teacher, "Premier groupe", class_id=school["class"].id)
    client.get("/groups/")  # warm-up (translations, templates)
    with count_queries() as few:
        _page(client, "/groups/")
    for number in range(8):
        group = make_group(teacher, f"Groupe {number}", topics=f"#sujet{number} #export",
                           class_id=school["class"].id if number % 2 else None)
        for _ in range(3):
            add_member(group, factories.make_student(school["class"]))
        add_member(group, lea, status=MembershipStatus.PENDING if number % 3 else
                   MembershipStatus.ACTIVE)
    with count_queries() as many:
        _page(client, "/groups/")
    assert many.count == few.count, many.statements


def test_group_page_shows_admins_and_offers_the_right_button(client_as, school):
    teacher, lea = school["teacher"], school["student"]
    group = make_group(teacher, "Stages et alternances", join_policy=JoinPolicy.REQUEST)
    page = _page(client_as(lea), f"/groups/{group.slug}")
    assert teacher.name_for(lea) in page
    assert f'action="/groups/{group.slug}/join"' in page
    response = client_as(lea).post(f"/groups/{group.slug}/join")
    assert response.status_code == 302
    assert membership(group, lea).status is MembershipStatus.PENDING
    page = _page(client_as(lea), f"/groups/{group.slug}")
    assert f'action="/groups/{group.slug}/request/cancel"' in page
    admin_page = _page(client_as(teacher), f"/groups/{group.slug}")
    assert f'href="/groups/{group.slug}/members#requests"' in admin_page
    assert f'action="/groups/{group.slug}/edit"' not in admin_page  # a link, not a form
    assert f'href="/groups/{group.slug}/edit"' in admin_page


def test_joining_and_leaving_through_the_pages(client_as, school):
    group = make_group(school["teacher"], "Commerce international")
    lea = client_as(school["student"])
    response = lea.post(f"/groups/{group.slug}/join", data={"next": "/groups/?q=commerce"})
    assert response.headers["Location"] == "/groups/?q=commerce"
    assert membership(group, school["student"]).status is MembershipStatus.ACTIVE
    lea.post(f"/groups/{group.slug}/join", data={"next": "https://ailleurs.example/"})
    response = lea.post(f"/groups/{group.slug}/leave")
    assert response.headers["Location"] == f"/groups/{group.slug}"
    assert membership(group, school["student"]) is None
    # The last admin is told why they cannot leave yet.
    lea.post(f"/groups/{group.slug}/join")
    teacher = client_as(school["teacher"])
    response = teacher.post(f"/groups/{group.slug}/leave", follow_redirects=True)
    assert 'class="flash flash--error"' in response.get_data(as_text=True)
    assert membership(group, school["teacher"]) is not None


def test_member_directory_names_only_people_in_scope(client_as, school):
    teacher, lea = school["teacher"], school["student"]
    nina = school["other_student"]
    nina.pseudonym = None
    group = make_group(teacher, "Commerce international")
    for person in (lea, school["classmate"], nina, school["persona"]):
        add_member(group, person)
    members = members_of(lea, group)
    named = {entry.user.id for entry in members.members}
    assert named == {teacher.id, lea.id, school["classmate"].id, school["persona"].id}
    assert members.total == 5 and members.hidden_count == 1
    assert members.members[0].user.id == teacher.id  # admins first
    page = _page(client_as(lea), f"/groups/{group.slug}/members")
    assert nina.full_name not in page and f"/people/{nina.id}" not in page
    # The other class's teacher sees Nina's class, not Léa's.
    other = members_of(school["other_teacher"], group)
    assert {e.user.id for e in other.members} == {nina.id, school["persona"].id}
    assert members_of(school["admin"], group).hidden_count == 0


def test_member_directory_shows_requests_to_group_admins_only(client_as, school):
    teacher, lea = school["teacher"], school["student"]
    group = make_group(teacher, "Stages", join_policy=JoinPolicy.REQUEST)
    add_member(group, lea, status=MembershipStatus.PENDING)
    add_member(group, school["other_student"], status=MembershipStatus.PENDING)
    add_member(group, school["classmate"])
    requests = members_of(teacher, group).requests
    # Someone outside the admin's network asks too: counted, not named.
    assert [(r.user_id, r.user is not None) for r in requests] == [
        (lea.id, True), (school["other_student"].id, False)]
    assert members_of(school["classmate"], group).requests == []
    admin_page = _page(client_as(teacher), f"/groups/{group.slug}/members")
    assert f"/groups/{group.slug}/requests/{lea.id}/accept" in admin_page
    assert f"/groups/{group.slug}/members/{school['classmate'].id}/admin" in admin_page
    member_page = _page(client_as(school["classmate"]), f"/groups/{group.slug}/members")
    assert "/accept" not in member_page and "/admin" not in member_page
    response = client_as(teacher).post(f"/groups/{group.slug}/requests/{lea.id}/accept")
    assert response.headers["Location"] == f"/groups/{group.slug}/members"
    assert membership(group, lea).status is MembershipStatus.ACTIVE


def test_member_directory_runs_a_fixed_number_of_queries(client_as, school, factories,
                                                         count_queries):
    teacher = school["teacher"]
    school["class"].network_scope = NetworkScope.SCHOOL
    db.session.commit()
    group = make_group(teacher, "Commerce international", join_policy=JoinPolicy.REQUEST)

    def add_people(number: int) -> None:
        """Some of each: named students, admins, requests, outsiders, personas."""
        student = factories.make_student(school["class"], pseudonym=f"Pseudo{number}")
        add_member(group, student, role=MemberRole.ADMIN if number % 3 == 0 else MemberRole.MEMBER)
        add_member(group, factories.make_student(school["class"]),
                   status=MembershipStatus.PENDING)
        add_member(group, factories.make_student(school["other_class"]))
        add_member(group, factories.make_persona())

    add_people(0)
    client = client_as(teacher)
    url = f"/groups/{group.slug}/members"
    client.get(url)
    with count_queries() as few:
        _page(client, url)
    for number in range(1, 7):
        add_people(number)
    with count_queries() as many:
        _page(client, url)
    assert many.count == few.count, many.statements


def test_creating_a_group_through_the_form(client_as, school):
    teacher = client_as(school["teacher"])
    page = _page(teacher, "/groups/new")
    assert f'value="{school["class"].id}"' in page  # the class they teach is offered
    assert f'value="{school["other_class"].id}"' not in page
    response = teacher.post("/groups/new", data={
        "name": "Atelier réseau pro", "description": DESCRIPTION, "topics": "#reseau",
        "join_policy": "open", "class_id": str(school["class"].id),
    })
    group = db.session.scalar(sa.select(Group))
    assert response.headers["Location"] == f"/groups/{group.slug}"
    assert group.class_id == school["class"].id
    response = teacher.post("/groups/new", data={
        "name": "", "description": DESCRIPTION, "join_policy": "open", "class_id": "",
    })
    assert response.status_code == 200
    assert "obligatoire" in response.get_data(as_text=True)
    forbidden = teacher.post("/groups/new", data={
        "name": "Pas à moi", "description": DESCRIPTION, "join_policy": "open",
        "class_id": str(school["other_class"].id),
    })
    assert forbidden.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Group)) == 1


def test_a_student_creates_a_group_of_their_class_when_allowed(client_as, school):
    lea = client_as(school["student"])
    assert lea.get("/groups/new").status_code == 403
    assert "/groups/new" not in _page(lea, "/groups/")
    school["class"].students_create_groups = True
    db.session.commit()
    assert "/groups/new" in _page(lea, "/groups/")
    assert 'name="class_id"' not in _page(lea, "/groups/new")
    response = lea.post("/groups/new", data={
        "name": "Révisions anglais", "description": DESCRIPTION, "join_policy": "open",
        "class_id": str(school["other_class"].id),  # ignored: a student's group is their class's
    })
    assert response.status_code == 302
    group = db.session.scalar(sa.select(Group))
    assert group.class_id == school["class"].id


def test_editing_through_the_form(client_as, school):
    group = make_group(school["teacher"], "Commerce international", topics="#export")
    teacher = client_as(school["teacher"])
    page = _page(teacher, f"/groups/{group.slug}/edit")
    assert "#export" in page
    response = teacher.post(f"/groups/{group.slug}/edit", data={
        "name": "Commerce international", "description": "Nouvelle description.",
        "topics": "#export #douane", "join_policy": "request",
    })
    assert response.status_code == 302
    db.session.refresh(group)
    assert group.description == "Nouvelle description."
    assert group.join_policy is JoinPolicy.REQUEST
    assert client_as(school["student"]).get(f"/groups/{group.slug}/edit").status_code == 403


def test_an_edit_posted_without_some_fields_keeps_nothing_of_the_group_in_their_place(
        client_as, school):
    """A form posted without "topics" (a script, an old page) once took the group's topic rows
    for text and failed; now it is the empty value: the group loses its topics, nothing breaks."""
    group = make_group(school["teacher"], "Commerce international", topics="#export")
    teacher = client_as(school["teacher"])
    response = teacher.post(f"/groups/{group.slug}/edit", data={
        "name": "Commerce international", "description": "Sans sujets.", "join_policy": "open",
    })
    assert response.status_code == 302
    db.session.refresh(group)
    assert [topic.tag for topic in group.topics] == []
    assert group.description == "Sans sujets."


def test_a_json_body_that_is_not_an_object_is_a_bad_request(client_as, school):
    group = make_group(school["teacher"], "Commerce international", topics="#export")
    for body in ([], [1, 2], True, 3, "texte"):
        response = client_as(school["teacher"]).post(f"/groups/{group.slug}/edit", json=body)
        assert response.status_code == 400, body
