"""The group's page: members read its feed and post to it; the others are invited to join."""

from __future__ import annotations

import sqlalchemy as sa

from sandbox.extensions import db
from sandbox.groups.models import JoinPolicy, MembershipStatus
from sandbox.posts.models import Audience, Post
from tests.groups.helpers import add_member, make_group


def _post(group, author, body: str) -> Post:  # type: ignore[no-untyped-def]
    post = Post(author_id=author.id, body=body, audience=Audience.GROUP, group_id=group.id)
    db.session.add(post)
    db.session.commit()
    return post


def test_members_read_the_feed_and_others_do_not(client_as, school):
    teacher, lea, hugo = school["teacher"], school["student"], school["classmate"]
    group = make_group(teacher, "Stages et alternances", join_policy=JoinPolicy.REQUEST)
    add_member(group, lea)
    add_member(group, hugo, status=MembershipStatus.PENDING)
    _post(group, teacher, "Bienvenue dans le groupe des stages.")

    member = client_as(lea).get(f"/groups/{group.slug}").get_data(as_text=True)
    assert "Bienvenue dans le groupe des stages." in member
    assert 'name="group_id" value="%d"' % group.id in member  # the composer, fixed to the group

    for outsider in (hugo, school["other_student"]):  # waiting for an answer / not a member
        page = client_as(outsider).get(f"/groups/{group.slug}").get_data(as_text=True)
        assert "Bienvenue dans le groupe des stages." not in page
        assert 'name="group_id"' not in page


def test_a_member_posts_to_the_group_from_its_page(client_as, school):
    group = make_group(school["teacher"], "Commerce international")
    add_member(group, school["student"])
    response = client_as(school["student"]).post("/posts/", data={
        "body": "Qui connaît les incoterms ?", "audience": "group", "group_id": str(group.id),
        "next": f"/groups/{group.slug}",
    })
    assert response.headers["Location"] == f"/groups/{group.slug}"
    post = db.session.scalar(sa.select(Post))
    assert (post.audience, post.group_id) == (Audience.GROUP, group.id)
    assert "Qui connaît les incoterms ?" in client_as(school["teacher"]).get(
        f"/groups/{group.slug}").get_data(as_text=True)


def test_load_more_pages_the_group_feed(client_as, school):
    group = make_group(school["teacher"], "Commerce international")
    for number in range(25):
        _post(group, school["teacher"], f"Message numéro {number:02d}")
    client = client_as(school["teacher"])
    first = client.get(f"/groups/{group.slug}").get_data(as_text=True)
    assert "Message numéro 24" in first and "Message numéro 00" not in first
    more = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert more.startswith(f"/groups/{group.slug}?before=")
    fragment = client.get(more, headers={"X-Requested-With": "fetch"}).get_data(as_text=True)
    assert "Message numéro 00" in fragment and "<html" not in fragment
    assert client.get(f"/groups/{group.slug}?before=garbage").status_code == 400
