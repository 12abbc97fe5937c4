"""Helpers for the posts tests: people connected, following, in groups, posting."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from sandbox.extensions import db
from sandbox.groups.models import Group, GroupMembership, MembershipStatus
from sandbox.network.models import FollowedCompany, FollowedHashtag, FollowedPerson
from sandbox.network.services import connect
from sandbox.posts.models import Audience, Post


def png(width: int = 300, height: int = 300) -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(data, "PNG")
    return data.getvalue()


class Network:
    """Small verbs to set up who is connected to, follows or belongs to what."""

    def connect(self, first: Any, second: Any) -> None:
        connect(first, second)
        db.session.commit()

    def follow(self, follower: Any, followed: Any) -> None:
        db.session.add(FollowedPerson(follower_id=follower.id, followed_id=followed.id))
        db.session.commit()

    def follow_company(self, follower: Any, company: Any) -> None:
        db.session.add(FollowedCompany(follower_id=follower.id, company_id=company.id))
        db.session.commit()

    def follow_tag(self, follower: Any, tag: str) -> None:
        db.session.add(FollowedHashtag(follower_id=follower.id, tag=tag))
        db.session.commit()

    def group(self, name: str, *members: Any, klass: Any = None,
              pending: tuple = ()) -> Group:
        group = Group(slug=name.lower().replace(" ", "-"), name=name,
                      class_id=klass.id if klass is not None else None)
        db.session.add(group)
        db.session.flush()
        db.session.add_all([GroupMembership(group_id=group.id, user_id=m.id) for m in members])
        db.session.add_all([GroupMembership(group_id=group.id, user_id=m.id,
                                            status=MembershipStatus.PENDING) for m in pending])
        db.session.commit()
        return group

    def post(self, author: Any, body: str = "Bonjour", audience: Audience = Audience.NETWORK,
             **fields: Any) -> Post:
        """A post written straight into the table (for reading tests)."""
        post = Post(author_id=author.id, body=body, audience=audience, **fields)
        db.session.add(post)
        db.session.commit()
        return post


@pytest.fixture
def network(app: Any) -> Network:
    return Network()


@pytest.fixture
def people(school: dict[str, Any], factories: Any) -> dict[str, Any]:
    """The school, in English (messages are checked as written), plus Zoé, a classmate of Léa's
    who is connected to nobody. Léa (student) is connected to Hugo (classmate)."""
    people = dict(school)
    people["zoe"] = factories.make_student(school["class"], username="zoe.blanc")
    for user in people.values():
        if hasattr(user, "locale"):
            user.locale = "en"
    connect(school["student"], school["classmate"])
    db.session.commit()
    return people
