"""The class document's parts about what people did: groups, posts, comments, network,
conversations, and the records (findings, moderation, activity events)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import Field

from sandbox.charter.engine import Category
from sandbox.charter.models import FindingOutcome, Severity
from sandbox.groups.models import JoinPolicy, MemberRole, MembershipStatus
from sandbox.moderation.models import CaseStatus, ContentKind, ReportReason
from sandbox.network.models import InvitationStatus, OutcomeKind, RecommendationStatus
from sandbox.posts.models import Audience, ConsentStatus
from sandbox.transfer.schema_types import Count, Key, Length, Part, Picture, Stamp, Tag, Username


class MemberPart(Part):
    user: Username
    role: MemberRole
    status: MembershipStatus
    created_at: Stamp


class GroupPart(Part):
    slug: Annotated[str, Length(100, 1)]
    name: Annotated[str, Length(80)]
    description: str
    join_policy: JoinPolicy
    created_by: Username | None
    created_at: Stamp
    topics: list[Tag]
    members: list[MemberPart]


class LikePart(Part):
    user: Username
    created_at: Stamp


class PhotoTagPart(Part):
    user: Username
    status: ConsentStatus
    answered_at: Stamp | None


class PostPart(Part):
    key: Key
    author: Username
    body: str
    audience: Audience
    group: str | None
    contact_list: Key | None
    image: Picture | None
    shared_post: Key | None
    shows_people: bool
    awaiting_consent: bool
    created_at: Stamp
    edited_at: Stamp | None
    deleted_at: Stamp | None
    hidden_at: Stamp | None
    hashtags: list[Tag]
    mentions: list[Username]
    photo_tags: list[PhotoTagPart]
    likes: list[LikePart]


class CommentPart(Part):
    key: Key
    post: Key
    parent: Key | None
    author: Username
    body: str
    created_at: Stamp
    edited_at: Stamp | None
    deleted_at: Stamp | None
    hidden_at: Stamp | None
    likes: list[LikePart]


class ConnectionPart(Part):
    user: Username
    contact: Username
    created_at: Stamp


class InvitationPart(Part):
    key: Key
    sender: Username
    recipient: Username
    message: Annotated[str, Length(300)]
    status: InvitationStatus
    created_at: Stamp
    answered_at: Stamp | None
    answered_by: Username | None


class FollowPart(Part):
    follower: Username
    followed: Username
    created_at: Stamp


class HashtagFollowPart(Part):
    follower: Username
    tag: Tag
    created_at: Stamp


class ContactListPart(Part):
    key: Key
    owner: Username
    name: Annotated[str, Length(60, 1)]
    created_at: Stamp
    members: list[Username]


class RecommendationPart(Part):
    key: Key
    author: Username
    recipient: Username
    text: str
    status: RecommendationStatus
    created_at: Stamp
    answered_at: Stamp | None


class IntroductionPart(Part):
    key: Key
    introducer: Username
    student: Username
    introduced: Username
    note: Annotated[str, Length(500)]
    created_at: Stamp


class OutcomePart(Part):
    key: Key
    student: Username
    contact: Username | None
    kind: OutcomeKind
    note: Annotated[str, Length(500)]
    occurred_on: date | None
    created_at: Stamp


class NetworkPart(Part):
    connections: list[ConnectionPart]
    invitations: list[InvitationPart]
    follows: list[FollowPart]
    hashtag_follows: list[HashtagFollowPart]
    contact_lists: list[ContactListPart]
    recommendations: list[RecommendationPart]
    introductions: list[IntroductionPart]
    outcomes: list[OutcomePart]


class MessagePart(Part):
    key: Key
    sender: Username
    recipient: Username
    body: str
    created_at: Stamp
    read_at: Stamp | None
    hidden_at: Stamp | None


class ConversationPart(Part):
    key: Key
    people: Annotated[list[Username], Field(min_length=2, max_length=2)]
    created_at: Stamp
    last_message_at: Stamp
    messages: list[MessagePart]


class FindingPart(Part):
    user: Username | None
    content_kind: ContentKind
    content: Key | None
    field: Annotated[str, Length(40)]
    category: Category
    rule: Annotated[str, Length(40)]
    severity: Severity
    outcome: FindingOutcome
    excerpt: Annotated[str, Length(300)]
    context: str
    context_start: int
    context_end: int
    created_at: Stamp
    resolved_at: Stamp | None


class ReportPart(Part):
    reporter: Username
    reason: ReportReason
    details: str
    created_at: Stamp


class CasePart(Part):
    key: Key
    content_kind: ContentKind
    content: Key
    author: Username
    excerpt: str
    findings: list[dict[str, Any]]
    flagged: bool
    report_count: Count
    status: CaseStatus
    created_at: Stamp
    updated_at: Stamp
    resolved_by: Username | None
    resolved_at: Stamp | None
    reports: list[ReportPart]


class AuditPart(Part):
    actor: Username | None
    action: Annotated[str, Length(40, 1)]
    content_kind: ContentKind | None
    content: Key | None
    author: Username | None
    reason: str
    data: dict[str, Any]
    created_at: Stamp


class ModerationPart(Part):
    cases: list[CasePart]
    audit: list[AuditPart]


class EventPart(Part):
    user: Username | None
    # False for a teacher's event about the class (teachers belong to no class themselves).
    in_class: bool
    kind: Annotated[str, Length(40, 1)]
    subject_type: Annotated[str, Length(40)] | None
    subject: Key | None
    data: dict[str, Any]
    created_at: Stamp
