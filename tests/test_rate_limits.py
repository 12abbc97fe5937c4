"""What students write is limited per person, as a real network stops bursts."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from sandbox.accounts.models import User
from sandbox.extensions import db
from sandbox.posts.models import Post, PostLike
from tests.conftest import login_client


def _count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_posting_and_liking_are_limited_per_person(
    make_app: Any, school: dict[str, Any], tmp_path: Any,
) -> None:
    lea_id, hugo_id = school["student"].id, school["classmate"].id
    limited = make_app(RATELIMIT_ENABLED=True, POST_RATE_LIMIT="2 per minute",
                       REACTION_RATE_LIMIT="3 per minute", INSTANCE_PATH=tmp_path / "limited")
    with limited.app_context():
        lea = login_client(limited, db.session.get(User, lea_id))
        posted = [lea.post("/posts/", data={"body": f"Bonjour @hugo.petit {n}",
                                             "audience": "network"}).status_code
                  for n in range(3)]
        assert posted == [302, 302, 429]
        assert _count(Post) == 2  # the third, and its mention, were never written

        post_id = db.session.scalar(sa.select(Post.id).limit(1))
        hugo = login_client(limited, db.session.get(User, hugo_id))
        toggles = [hugo.post(f"/posts/{post_id}/{action}").status_code
                   for action in ("like", "unlike", "like", "unlike")]
        assert toggles[:3] == [302, 302, 302] and toggles[3] == 429
        assert _count(PostLike) == 1
        # Someone else is not slowed down by Hugo's clicks.
        assert login_client(limited, db.session.get(User, lea_id)).post(
            f"/posts/{post_id}/like").status_code == 302
