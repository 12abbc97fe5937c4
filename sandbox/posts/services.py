"""Reading posts. Writing, the full feed and its audiences come with the posts feature."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from sandbox.accounts.models import User
from sandbox.extensions import db
from sandbox.network.scope import visible_people
from sandbox.personas.models import Persona
from sandbox.posts.models import Audience, Post


def recent_network_posts(viewer: User, limit: int = 20) -> list[Post]:
    """The latest posts addressed to the whole network by people the viewer may see.

    One query, whatever the number of posts: authors and their classes are loaded with it.
    """
    query = (
        sa.select(Post)
        .join(Post.author)
        .where(visible_people(viewer), Post.audience == Audience.NETWORK)
        .options(
            joinedload(Post.author).joinedload(User.school_class),
            joinedload(Post.author).joinedload(User.profile),
            joinedload(Post.author).joinedload(User.persona).joinedload(Persona.company),
        )
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))
