"""Live news: when a post is published, the open home pages it may enter hear about it.

The event is named "feed" and carries nothing but the fact that something new may be there:
the page then asks `/feed/new`, which filters by the one visibility rule. So the list of rooms
may be generous (a follower who cannot read a connections-only post just finds nothing new),
but it never needs to be exact, and no text ever travels through the socket.
"""

from __future__ import annotations

import sqlalchemy as sa

from sandbox.accounts.models import User
from sandbox.extensions import db
from sandbox.network.models import (
    Connection,
    ContactListMember,
    FollowedCompany,
    FollowedHashtag,
    FollowedPerson,
)
from sandbox.notifications.publisher import group_room, publish, user_room
from sandbox.personas.models import Persona
from sandbox.posts.models import Audience, Post, PostHashtag

FEED_EVENT = "feed"


def audience_ids(post: Post, author: User) -> set[int]:
    """The people whose home feed `post` may enter, in one query (group posts: see `announce`)."""
    if post.audience is Audience.LIST:
        if post.contact_list_id is None:
            return set()
        query: sa.Select = sa.select(ContactListMember.contact_id).where(
            ContactListMember.list_id == post.contact_list_id
        )
        return set(db.session.scalars(query)) - {author.id}
    sources = [sa.select(Connection.contact_id.label("id")).where(Connection.user_id == author.id)]
    if post.audience is Audience.NETWORK:
        tags = sa.select(PostHashtag.tag).where(PostHashtag.post_id == post.id)
        company = sa.select(Persona.company_id).where(Persona.user_id == author.id)
        sources += [
            sa.select(FollowedPerson.follower_id).where(FollowedPerson.followed_id == author.id),
            sa.select(FollowedCompany.follower_id).where(FollowedCompany.company_id.in_(company)),
            sa.select(FollowedHashtag.follower_id).where(FollowedHashtag.tag.in_(tags)),
        ]
    query = sources[0] if len(sources) == 1 else sa.union(*sources)
    return set(db.session.scalars(query)) - {author.id}


def announce(post: Post, author: User) -> None:
    """Queue the "feed" event for the rooms concerned; it goes out only once committed."""
    if post.audience is Audience.GROUP and post.group_id is not None:
        publish(FEED_EVENT, {}, group_room(post.group_id))
        return
    for user_id in sorted(audience_ids(post, author)):
        publish(FEED_EVENT, {}, user_room(user_id))
