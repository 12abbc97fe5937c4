"""One class's semester of activity, event after event, with the rows each event stands for.

`dashboard_class.py` builds the people; `ClassActivity` then plays each class's 140 days: about
20,000 activity events (logins, likes, messages, comments, posts, invitations, follows, groups,
shares, outcomes…) in the proportions of `MIX`, each with its row (a post, a like, an invitation
and, once accepted, the connection…), and the charter's findings on about one text in fifteen.
Students differ (lognormal activity); a few have done nothing for two weeks or more.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.charter.models import CharterFinding, FindingOutcome, Severity
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.groups.models import GroupMembership
from sandbox.messages.models import Conversation, Message
from sandbox.network.models import (
    Connection,
    FollowedCompany,
    FollowedHashtag,
    FollowedPerson,
    Invitation,
    NetworkOutcome,
    OutcomeKind,
)
from sandbox.posts.models import Comment, CommentLike, Post, PostLike

NOW = utcnow()
SEMESTER = timedelta(days=140)
BATCH = 10_000
INACTIVE_STUDENTS = 3  # nothing for 15 days or more: the "inactive" filter finds them
TAGS = ["stage", "alternance", "export", "logistique", "commerce", "i4emploi", "anglais",
        "negociation", "salon", "douane"]

# What students do, and how often (one activity event each).
MIX = {
    "logged_in": 22, "liked_post": 17, "message_sent": 12, "commented": 11, "post_created": 8,
    "liked_comment": 5, "profile_updated": 5, "invitation_sent": 4, "followed_person": 3,
    "followed_hashtag": 2, "post_shared": 2, "followed_company": 1.5, "group_joined": 1,
    "outcome_recorded": 1, "recommendation_written": 0.5,
}
# Charter findings, by category (weight, severity) on about one text in fifteen.
FINDING_RATE = 1 / 15
CATEGORIES = {"spelling": (30, Severity.COACH), "sms": (20, Severity.COACH),
              "register": (15, Severity.COACH), "phone": (8, Severity.BLOCK),
              "email": (6, Severity.BLOCK), "address": (3, Severity.BLOCK),
              "insult": (4, Severity.FLAG), "codes": (10, Severity.COACH),
              "discrimination": (1, Severity.FLAG), "defamation": (1, Severity.FLAG),
              "photo_consent": (2, Severity.COACH)}


def _batches(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start:start + BATCH]


def insert(table: Any, rows: list[dict[str, Any]]) -> None:
    """Core executemany in batches, inside the caller's one transaction."""
    for batch in _batches(rows):
        db.session.execute(sa.insert(table), batch)


def _next_id(model: Any) -> int:
    return (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1


@dataclass
class Rows:
    """Everything to insert, gathered first so that each table is one executemany."""

    posts: list[dict[str, Any]] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)
    post_likes: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    comment_likes: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    invitations: list[dict[str, Any]] = field(default_factory=list)
    connections: dict[tuple[int, int], Any] = field(default_factory=dict)
    follows_people: dict[tuple[int, int], Any] = field(default_factory=dict)
    follows_companies: dict[tuple[int, int], Any] = field(default_factory=dict)
    follows_tags: dict[tuple[int, str], Any] = field(default_factory=dict)
    memberships: dict[tuple[int, int], Any] = field(default_factory=dict)
    conversations: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    messages: list[dict[str, Any]] = field(default_factory=list)
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)


class ClassActivity:
    """One class's semester, event after event, with the rows each event stands for."""

    def __init__(self, rows: Rows, people: dict[str, Any], class_id: int,
                 groups: list[int], ids: dict[str, int], rng: random.Random) -> None:
        self.rows, self.people, self.class_id, self.groups = rows, people, class_id, groups
        self.ids, self.rng = ids, rng
        self.roster: list[int] = people["rosters"][class_id]
        self.class_posts: list[int] = []
        self.class_comments: list[int] = []
        self.member_of: dict[int, list[int]] = {}

    def _id(self, kind: str) -> int:
        self.ids[kind] += 1
        return self.ids[kind] - 1

    def _event(self, user: int, kind: str, when: Any, subject: tuple[str, int] | None = None,
               **data: Any) -> None:
        self.rows.events.append({
            "user_id": user, "class_id": self.class_id, "kind": kind,
            "subject_type": subject[0] if subject else None,
            "subject_id": subject[1] if subject else None, "data": data, "created_at": when,
        })

    def _finding(self, user: int, kind: str, content_id: int | None, when: Any) -> None:
        if self.rng.random() >= FINDING_RATE:
            return
        category = self.rng.choices(list(CATEGORIES),
                                    [weight for weight, _ in CATEGORIES.values()])[0]
        severity = CATEGORIES[category][1]
        if severity is Severity.FLAG:
            outcome = FindingOutcome.FLAGGED
        else:
            outcome = self.rng.choices(
                [FindingOutcome.FIXED, FindingOutcome.OVERRIDDEN, FindingOutcome.BLOCKED,
                 FindingOutcome.COACHED], [55, 20 if severity is Severity.COACH else 0, 15, 10],
            )[0]
        pending = outcome in (FindingOutcome.BLOCKED, FindingOutcome.COACHED)
        context = "Bonjour à tous, slt je cherche un stage pdt les vacances, appelez moi."
        self.rows.findings.append({
            "user_id": user, "class_id": self.class_id, "content_kind": kind,
            "content_id": None if pending else content_id, "field": "body",
            "category": category, "rule": "", "severity": severity.value,
            "outcome": outcome.value, "excerpt": "slt", "context": context,
            "context_start": 17, "context_end": 20, "created_at": when,
            "resolved_at": None if pending else when,
        })

    def run(self, events: int) -> None:
        weights = [self.rng.lognormvariate(0, 0.8) for _ in self.roster]
        total = sum(weights)
        quiet = set(self.rng.sample(self.roster, INACTIVE_STUDENTS))
        plan = []
        for student, weight in zip(self.roster, weights, strict=True):
            last = NOW - timedelta(days=self.rng.uniform(15, 40)) if student in quiet else NOW
            span = (last - (NOW - SEMESTER)).total_seconds()
            for _ in range(max(1, round(events * weight / total))):
                when = NOW - SEMESTER + timedelta(seconds=self.rng.uniform(0, span))
                plan.append((when, student))
        plan.sort()
        kinds, kind_weights = list(MIX), list(MIX.values())
        for student in self.roster:  # everyone starts in one or two workshop groups
            for group in self.rng.sample(self.groups, self.rng.choice((1, 2))):
                self._join(student, group, NOW - SEMESTER)
        for when, student in plan:
            self._act(student, self.rng.choices(kinds, kind_weights)[0], when)

    def _join(self, student: int, group: int, when: Any) -> None:
        if (group, student) not in self.rows.memberships:
            self.rows.memberships[(group, student)] = when
            self.member_of.setdefault(student, []).append(group)

    def _act(self, student: int, kind: str, when: Any) -> None:
        rng, rows = self.rng, self.rows
        if kind in ("commented", "liked_post", "post_shared") and not self.class_posts:
            kind = "post_created"
        if kind == "liked_comment" and not self.class_comments:
            kind = "liked_post" if self.class_posts else "post_created"
        if kind == "post_created":
            post_id = self._id("post")
            group = rng.choice(self.member_of[student]) if rng.random() < 0.15 else None
            rows.posts.append(_post(post_id, student, when, group))
            self.class_posts.append(post_id)
            self._event(student, kind, when, ("Post", post_id),
                        audience="group" if group else "network")
            self._finding(student, "post", post_id, when)
        elif kind == "post_shared":
            post_id = self._id("post")
            row = _post(post_id, student, when, None)
            row["shared_post_id"], row["body"] = rng.choice(self.class_posts), "À lire"
            rows.posts.append(row)
            self.class_posts.append(post_id)
            self._event(student, kind, when, ("Post", post_id))
        elif kind == "commented":
            comment_id, post_id = self._id("comment"), rng.choice(self.class_posts[-200:])
            rows.comments.append({"id": comment_id, "post_id": post_id, "author_id": student,
                                  "parent_id": None, "body": "Merci pour le partage !",
                                  "created_at": when})
            self.class_comments.append(comment_id)
            self._event(student, kind, when, ("Comment", comment_id), post_id=post_id)
            self._finding(student, "comment", comment_id, when)
        elif kind == "liked_post":
            post_id = rng.choice(self.class_posts[-300:])
            if (post_id, student) in rows.post_likes:
                return
            rows.post_likes[(post_id, student)] = {"post_id": post_id, "user_id": student,
                                                   "created_at": when}
            self._event(student, kind, when, ("Post", post_id))
        elif kind == "liked_comment":
            comment_id = rng.choice(self.class_comments[-300:])
            if (comment_id, student) in rows.comment_likes:
                return
            rows.comment_likes[(comment_id, student)] = {
                "comment_id": comment_id, "user_id": student, "created_at": when}
            self._event(student, kind, when, ("Comment", comment_id))
        elif kind == "message_sent":
            self._message(student, when)
        elif kind == "invitation_sent":
            self._invite(student, when)
        elif kind == "followed_person":
            other = rng.choice(self.roster + self.people["personas"])
            if other == student or (student, other) in rows.follows_people:
                return
            rows.follows_people[(student, other)] = when
            self._event(student, kind, when, ("User", other))
        elif kind == "followed_company":
            company = rng.choice(self.people["companies"])
            if (student, company) in rows.follows_companies:
                return
            rows.follows_companies[(student, company)] = when
            self._event(student, kind, when, ("Company", company))
        elif kind == "followed_hashtag":
            tag = rng.choice(TAGS)
            if (student, tag) in rows.follows_tags:
                return
            rows.follows_tags[(student, tag)] = when
            self._event(student, kind, when, tag=tag)
        elif kind == "group_joined":
            group = rng.choice(self.groups)
            if (group, student) in rows.memberships:
                return
            self._join(student, group, when)
            self._event(student, kind, when, ("Group", group))
        elif kind == "outcome_recorded":
            outcome_id = self._id("outcome")
            rows.outcomes.append({
                "id": outcome_id, "student_id": student,
                "contact_id": rng.choice(self.people["personas"]),
                "kind": rng.choice(list(OutcomeKind)).value, "note": "Un conseil pour mon CV",
                "occurred_on": when.date(), "created_at": when})
            self._event(student, kind, when, ("NetworkOutcome", outcome_id))
        else:
            self._event(student, kind, when)

    def _message(self, student: int, when: Any) -> None:
        rng = self.rng
        other = (rng.choice(self.people["personas"]) if rng.random() < 0.4
                 else rng.choice(self.roster))
        if other == student:
            return
        pair = (min(student, other), max(student, other))
        conversation = self.rows.conversations.get(pair)
        if conversation is None:
            conversation = {"id": self._id("conversation"), "first_user_id": pair[0],
                            "second_user_id": pair[1], "created_at": when}
            self.rows.conversations[pair] = conversation
        conversation["last_message_at"] = when
        message_id = self._id("message")
        self.rows.messages.append({
            "id": message_id, "conversation_id": conversation["id"], "sender_id": student,
            "recipient_id": other, "body": "Bonjour, auriez-vous un moment pour échanger ?",
            "created_at": when, "read_at": when + timedelta(hours=2), "hidden_at": None})
        self._event(student, "message_sent", when, ("Message", message_id))
        self._finding(student, "message", message_id, when)

    def _invite(self, student: int, when: Any) -> None:
        rng, rows = self.rng, self.rows
        other = (rng.choice(self.people["personas"]) if rng.random() < 0.45
                 else rng.choice(self.roster))
        if other == student or (student, other) in rows.connections:
            return
        accepted = rng.random() < 0.7
        answered = when + timedelta(hours=rng.uniform(1, 72))
        if accepted and answered > NOW:
            accepted = False
        invitation_id = self._id("invitation")
        rows.invitations.append({
            "id": invitation_id, "sender_id": student, "recipient_id": other,
            "message": ("Bonjour, votre parcours m'intéresse : pourrions-nous échanger ?"
                        if rng.random() < 0.65 else ""),
            "status": "accepted" if accepted else rng.choice(("declined", "ignored")),
            "created_at": when, "answered_at": answered if accepted else None,
            "answered_by_id": None})
        self._event(student, "invitation_sent", when, ("Invitation", invitation_id))
        if accepted:
            rows.connections[(student, other)] = answered
            rows.connections[(other, student)] = answered
            if other in self.roster:
                self._event(other, "invitation_accepted", answered,
                            ("Invitation", invitation_id))


def _post(post_id: int, author: int, when: Any, group: int | None) -> dict[str, Any]:
    return {"id": post_id, "author_id": author, "body": "Ma veille sur le commerce #export",
            "audience": "group" if group else "network", "group_id": group,
            "contact_list_id": None, "image_path": None, "shared_post_id": None,
            "created_at": when, "edited_at": None, "deleted_at": None, "hidden_at": None}


def write_rows(rows: Rows) -> None:
    """Each table in one executemany (in batches), in an order the foreign keys accept."""
    insert(Post, rows.posts)
    insert(Comment, rows.comments)
    insert(PostLike, list(rows.post_likes.values()))
    insert(CommentLike, list(rows.comment_likes.values()))
    insert(ActivityEvent, rows.events)
    insert(Invitation, rows.invitations)
    insert(Connection, [{"user_id": a, "contact_id": b, "created_at": when}
                        for (a, b), when in rows.connections.items()])
    insert(FollowedPerson, [{"follower_id": a, "followed_id": b, "created_at": when}
                            for (a, b), when in rows.follows_people.items()])
    insert(FollowedCompany, [{"follower_id": a, "company_id": b, "created_at": when}
                             for (a, b), when in rows.follows_companies.items()])
    insert(FollowedHashtag, [{"follower_id": a, "tag": b, "created_at": when}
                             for (a, b), when in rows.follows_tags.items()])
    insert(GroupMembership, [{"group_id": g, "user_id": u, "role": "member",
                              "status": "active", "created_at": when}
                             for (g, u), when in rows.memberships.items()])
    insert(Conversation, list(rows.conversations.values()))
    insert(Message, rows.messages)
    insert(NetworkOutcome, rows.outcomes)
    insert(CharterFinding, rows.findings)



def next_ids() -> dict[str, int]:
    """The first free id of each table whose rows get explicit ids."""
    return {"post": _next_id(Post), "comment": _next_id(Comment), "message": _next_id(Message),
            "conversation": _next_id(Conversation), "invitation": _next_id(Invitation),
            "outcome": _next_id(NetworkOutcome)}
