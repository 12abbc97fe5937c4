"""The one visibility rule, tried for each audience against each kind of viewer."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.groups.models import Group, GroupMembership, MembershipStatus
from sandbox.network.models import Connection, ContactList, ContactListMember
from sandbox.posts.models import Audience, Comment, Post
from sandbox.posts.visibility import (
    can_view_comment,
    can_view_post,
    visible_post_ids,
    visible_posts,
)


def connect(first: Any, second: Any) -> None:
    db.session.add_all([
        Connection(user_id=first.id, contact_id=second.id),
        Connection(user_id=second.id, contact_id=first.id),
    ])
    db.session.commit()


def post(author: Any, audience: Audience = Audience.NETWORK, **fields: Any) -> Post:
    item = Post(author_id=author.id, body="Bonjour à tous", audience=audience, **fields)
    db.session.add(item)
    db.session.commit()
    return item


@pytest.fixture
def people(school: dict[str, Any], factories: Any) -> dict[str, Any]:
    """Léa (the author) is connected to Hugo and to the persona; Zoé is a classmate not connected."""
    people = dict(school)
    people["stranger_classmate"] = factories.make_student(school["class"], username="zoe.blanc")
    connect(school["student"], school["classmate"])
    connect(school["student"], school["persona"])
    return people


VIEWERS = ["student", "classmate", "stranger_classmate", "persona", "other_student",
           "teacher", "other_teacher", "admin"]


def who_sees(people: dict[str, Any], item: Post) -> set[str]:
    db.session.expire_all()
    return {name for name in VIEWERS if can_view_post(people[name], item)}


def test_a_network_post_is_seen_by_the_authors_network_and_not_by_other_classes(
    people: dict[str, Any],
) -> None:
    item = post(people["student"])
    assert who_sees(people, item) == {
        "student", "classmate", "stranger_classmate", "persona", "teacher", "admin",
    }


def test_a_connections_post_is_seen_by_connections_the_teacher_and_the_author(
    people: dict[str, Any],
) -> None:
    item = post(people["student"], Audience.CONNECTIONS)
    assert who_sees(people, item) == {"student", "classmate", "persona", "teacher", "admin"}


def test_a_group_post_is_seen_by_active_members_only(people: dict[str, Any]) -> None:
    group = Group(slug="atelier", name="Atelier", class_id=people["class"].id)
    db.session.add(group)
    db.session.flush()
    db.session.add_all([
        GroupMembership(group_id=group.id, user_id=people["student"].id),
        GroupMembership(group_id=group.id, user_id=people["stranger_classmate"].id),
        GroupMembership(group_id=group.id, user_id=people["classmate"].id,
                        status=MembershipStatus.PENDING),
    ])
    db.session.commit()
    item = post(people["student"], Audience.GROUP, group_id=group.id)
    assert who_sees(people, item) == {"student", "stranger_classmate", "teacher", "admin"}


def test_a_list_post_is_seen_by_the_lists_members_only(people: dict[str, Any]) -> None:
    pro = ContactList(owner_id=people["student"].id, name="Pro")
    db.session.add(pro)
    db.session.flush()
    db.session.add(ContactListMember(list_id=pro.id, contact_id=people["persona"].id))
    db.session.commit()
    item = post(people["student"], Audience.LIST, contact_list_id=pro.id)
    assert who_sees(people, item) == {"student", "persona", "teacher", "admin"}


def test_a_list_post_whose_list_was_deleted_is_left_to_its_author(
    people: dict[str, Any],
) -> None:
    pro = ContactList(owner_id=people["student"].id, name="Pro")
    db.session.add(pro)
    db.session.flush()
    db.session.add(ContactListMember(list_id=pro.id, contact_id=people["persona"].id))
    item = post(people["student"], Audience.LIST, contact_list_id=pro.id)
    db.session.delete(pro)
    db.session.commit()
    assert who_sees(people, item) == {"student", "teacher", "admin"}


def test_a_deleted_post_is_seen_by_nobody(people: dict[str, Any]) -> None:
    item = post(people["student"], deleted_at=utcnow())
    assert who_sees(people, item) == set()


def test_a_disabled_authors_posts_disappear_from_the_network(people: dict[str, Any]) -> None:
    item = post(people["classmate"])
    people["classmate"].is_disabled = True
    db.session.commit()
    assert who_sees(people, item) == {"admin"}


def test_sharing_a_connections_post_does_not_widen_its_audience(people: dict[str, Any]) -> None:
    original = post(people["student"], Audience.CONNECTIONS)
    share = post(people["classmate"], Audience.NETWORK, shared_post_id=original.id)
    # Zoé sees Hugo's network posts, but not what Léa kept for her connections.
    assert who_sees(people, share) == {"student", "classmate", "persona", "teacher", "admin"}


def test_a_share_of_a_post_deleted_since_keeps_the_sharers_own_audience(
    people: dict[str, Any],
) -> None:
    original = post(people["student"], Audience.CONNECTIONS)
    share = post(people["classmate"], Audience.NETWORK, shared_post_id=original.id)
    original.deleted_at = utcnow()
    db.session.commit()
    assert "stranger_classmate" in who_sees(people, share)
    assert not can_view_post(people["stranger_classmate"], original)


def test_the_list_clause_and_the_single_check_agree(people: dict[str, Any]) -> None:
    posts = [
        post(people["student"]),
        post(people["student"], Audience.CONNECTIONS),
        post(people["other_student"]),
        post(people["persona"], Audience.CONNECTIONS),
    ]
    ids = [item.id for item in posts]
    for name in VIEWERS:
        viewer = people[name]
        listed = set(db.session.scalars(db.select(Post.id).where(visible_posts(viewer))))
        assert visible_post_ids(viewer, ids) == listed & set(ids)
        assert listed & set(ids) == {item.id for item in posts if can_view_post(viewer, item)}


def test_a_comment_follows_its_post_and_hides_when_deleted(people: dict[str, Any]) -> None:
    item = post(people["student"], Audience.CONNECTIONS)
    comment = Comment(post_id=item.id, author_id=people["classmate"].id, body="Bravo !")
    db.session.add(comment)
    db.session.commit()
    assert can_view_comment(people["persona"], comment)
    assert not can_view_comment(people["stranger_classmate"], comment)
    comment.deleted_at = utcnow()
    db.session.commit()
    assert not can_view_comment(people["student"], comment)


def test_comments_by_people_outside_the_viewers_network_stay_hidden(
    people: dict[str, Any],
) -> None:
    from sandbox.posts.reactions import comments_for, summaries_for

    public = post(people["persona"])
    own_class = Comment(post_id=public.id, author_id=people["classmate"].id, body="Merci !")
    other_class = Comment(post_id=public.id, author_id=people["other_student"].id,
                          body="Très intéressant")
    db.session.add_all([own_class, other_class])
    db.session.commit()

    viewer = people["student"]
    assert can_view_comment(viewer, own_class)
    assert not can_view_comment(viewer, other_class)  # Nina is in another class
    shown = [thread.comment.comment.id for thread in comments_for(viewer, public)]
    assert shown == [own_class.id]
    assert summaries_for(viewer, [public])[public.id].comment_count == 1
    assert can_view_comment(people["persona"], other_class)


def test_the_sharer_and_their_teacher_see_a_share_whose_original_they_cannot_see(
    people: dict[str, Any],
) -> None:
    from sandbox.classes.models import NetworkScope

    for klass in (people["class"], people["other_class"]):
        klass.network_scope = NetworkScope.SCHOOL
    db.session.commit()
    original = post(people["other_student"])  # Nina's, in the other class
    share = post(people["student"], shared_post_id=original.id)
    # Léa's teacher does not see Nina, but must see what Léa wrote to moderate it.
    assert not can_view_post(people["teacher"], original)
    assert can_view_post(people["teacher"], share)
    assert can_view_post(people["student"], share)

    connections_only = post(people["classmate"], Audience.CONNECTIONS)
    own_share = post(people["student"], shared_post_id=connections_only.id)
    db.session.execute(db.delete(Connection))  # Léa and Hugo are no longer connected
    db.session.commit()
    assert can_view_post(people["student"], own_share)  # she can still edit or delete it
    assert not can_view_post(people["stranger_classmate"], own_share)


def test_a_reply_under_a_hidden_comment_is_neither_shown_nor_counted(
    people: dict[str, Any],
) -> None:
    from sandbox.posts.reactions import summaries_for

    public = post(people["persona"])
    hidden = Comment(post_id=public.id, author_id=people["other_student"].id, body="Bonjour")
    db.session.add(hidden)
    db.session.flush()
    reply = Comment(post_id=public.id, author_id=people["persona"].id, parent_id=hidden.id,
                    body="Merci pour ton message")
    db.session.add(reply)
    db.session.commit()
    assert not can_view_comment(people["student"], reply)
    assert summaries_for(people["student"], [public])[public.id].comment_count == 0
    assert summaries_for(people["persona"], [public])[public.id].comment_count == 2


def test_the_shortcut_from_loaded_rows_agrees_with_the_full_rule(
    people: dict[str, Any],
) -> None:
    """`can_view_post` answers the commonest questions (a persona reacting to a network post,
    an author, a hidden post) without SQL; wherever it does, the SQL rule says the same."""
    from sandbox.posts.visibility import _answer_at_hand

    original = post(people["persona"])
    posts = [
        post(people["student"]),
        post(people["student"], Audience.CONNECTIONS),
        post(people["other_student"]),
        post(people["persona"]),
        post(people["teacher"]),
        post(people["student"], hidden_at=utcnow()),
        post(people["student"], deleted_at=utcnow()),
        post(people["student"], awaiting_consent=True),
        post(people["student"], shared_post_id=original.id),
        post(people["admin"]),
    ]
    people["other_student"].is_disabled = True
    db.session.commit()
    answered = 0
    for name in VIEWERS:
        viewer = people[name]
        for item in posts:
            full = db.session.scalar(db.select(db.exists().where(
                Post.id == item.id, visible_posts(viewer))))
            quick = _answer_at_hand(viewer, item)
            assert quick in (None, full), (name, item.audience, item.author_id)
            answered += quick is not None
    assert answered >= len(posts) * 2  # the shortcut does answer (authors, personas, removed)
