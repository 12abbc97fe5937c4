"""Direct messages: a conversation between exactly two people, and its messages.

The pair is stored once, lowest id first, so "the thread between A and B" is one unique lookup.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sandbox.accounts.models import User
from sandbox.core.time import utcnow
from sandbox.extensions import db

MESSAGE_MAX_LENGTH = 2000


class Conversation(db.Model):
    __tablename__ = "conversations"
    __table_args__ = (
        sa.UniqueConstraint("first_user_id", "second_user_id"),
        sa.CheckConstraint("first_user_id < second_user_id", name="ordered_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    second_user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    first_user: Mapped[User] = relationship(foreign_keys=[first_user_id])
    second_user: Mapped[User] = relationship(foreign_keys=[second_user_id])

    def other(self, user_id: int) -> User:
        return self.second_user if user_id == self.first_user_id else self.first_user


class Message(db.Model):
    __tablename__ = "messages"
    __table_args__ = (
        # A thread pages and is kept live by id (keysets), and its last message is its max id.
        sa.Index("ix_messages_conversation_order", "conversation_id", "id"),
        sa.Index("ix_messages_recipient_read", "recipient_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("conversations.id", ondelete="CASCADE")
    )
    sender_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    # A teacher hid it (moderation): the thread shows that a message was hidden, not its text.
    hidden_at: Mapped[datetime | None]

    conversation: Mapped[Conversation] = relationship()
    sender: Mapped[User] = relationship(foreign_keys=[sender_id])
    recipient: Mapped[User] = relationship(foreign_keys=[recipient_id])
