"""Helpers for the moderation tests: content written straight into the tables (so that the
charter's gate, tested elsewhere, does not get in the way), flags, reports."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.charter.engine import Category, Finding
from sandbox.charter.models import Severity
from sandbox.extensions import db
from sandbox.messages.models import Conversation, Message
from sandbox.network.services import connect
from sandbox.posts.models import Audience, Comment, Post


def finding(text: str, words: str, category: Category = Category.PHONE,
            rule: str = "personal_information") -> Finding:
    """A flag-severity finding on the first occurrence of `words` in `text`."""
    start = text.index(words)
    return Finding(category=category, rule=rule, start=start, end=start + len(words),
                   excerpt=words, message="Do not publish a phone number.",
                   fix="Remove it.", severity=Severity.FLAG)


class Content:
    """Small verbs to write posts, comments and messages without the services."""

    def post(self, author: Any, body: str = "Bonjour à tous",
             audience: Audience = Audience.NETWORK, **fields: Any) -> Post:
        post = Post(author_id=author.id, body=body, audience=audience, **fields)
        db.session.add(post)
        db.session.commit()
        return post

    def comment(self, author: Any, post: Post, body: str = "Bravo !", **fields: Any) -> Comment:
        comment = Comment(post_id=post.id, author_id=author.id, body=body, **fields)
        db.session.add(comment)
        db.session.commit()
        return comment

    def message(self, sender: Any, recipient: Any, body: str = "Salut") -> Message:
        first, second = sorted((sender.id, recipient.id))
        conversation = db.session.query(Conversation).filter_by(
            first_user_id=first, second_user_id=second).one_or_none()
        if conversation is None:
            conversation = Conversation(first_user_id=first, second_user_id=second)
            db.session.add(conversation)
            db.session.flush()
        message = Message(conversation_id=conversation.id, sender_id=sender.id,
                          recipient_id=recipient.id, body=body)
        db.session.add(message)
        db.session.commit()
        return message


@pytest.fixture
def content(app: Any) -> Content:
    return Content()


@pytest.fixture
def people(school: dict[str, Any]) -> dict[str, Any]:
    """The school in English (messages checked as written); Léa and Hugo are connected."""
    for user in school.values():
        if hasattr(user, "locale"):
            user.locale = "en"
    connect(school["student"], school["classmate"])
    db.session.commit()
    return school
