"""Recommendations and skill endorsements, and what a profile page shows of the network.

Both come from a connection, never from oneself. A recommendation waits for its recipient: only
the accepted ones reach the profile. An endorsement vouches for one skill of someone's profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload

from sandbox.accounts.models import User
from sandbox.activity.services import record_event
from sandbox.charter.gate import screen, settle
from sandbox.classes.models import SchoolClass
from sandbox.core.errors import NotFound, ServiceError
from sandbox.core.time import utcnow
from sandbox.core.validation import has_control_characters
from sandbox.extensions import db
from sandbox.moderation.models import ContentKind
from sandbox.network.journal import JournalSummary, journal_summary
from sandbox.network.models import Endorsement, Recommendation, RecommendationStatus
from sandbox.network.scope import visible_people
from sandbox.network.services import are_connected
from sandbox.notifications.services import notify
from sandbox.profiles.models import ProfileSkill
from sandbox.profiles.visibility import Standing, field_visible, standing

if TYPE_CHECKING:
    from sandbox.profiles.services import PreviewAudience, ProfilePage

TEXT_MIN_LENGTH = 30
TEXT_MAX_LENGTH = 1500
LIST_LIMIT = 100  # per list of the recommendations page; the pending rule keeps them short


def _person_in_scope(viewer: User, user_id: int) -> tuple[User, Standing]:
    """Someone `viewer` may see; anyone else does not exist for them (404)."""
    person = db.session.get(User, user_id)
    if person is None:
        raise NotFound(_l("This profile does not exist."))
    seen_at = standing(viewer, person)
    if seen_at is Standing.STRANGER:
        raise NotFound(_l("This profile does not exist."))
    return person, seen_at


# ---- recommendations ------------------------------------------------------------------------


def _recommendation_text(value: str) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if has_control_characters(text):
        raise ServiceError(_l("This text contains invisible characters: retype it."), field="text")
    if len(text) < TEXT_MIN_LENGTH:
        raise ServiceError(
            _l("A recommendation needs at least %(count)d characters: say what you appreciated, "
               "with an example.", count=TEXT_MIN_LENGTH),
            field="text",
        )
    if len(text) > TEXT_MAX_LENGTH:
        raise ServiceError(_l("%(count)d characters at most.", count=TEXT_MAX_LENGTH), field="text")
    return text


def write_recommendation(author: User, recipient_id: int, text: str, *,
                         charter_ack: bool = False) -> Recommendation:
    """A connection recommends someone; it waits for their answer before reaching their profile."""
    recipient, _seen_at = _person_in_scope(author, recipient_id)
    if recipient.id == author.id:
        raise ServiceError(_l("You cannot recommend yourself."))
    if not are_connected(author, recipient):
        raise ServiceError(_l("You can only recommend your connections: connect first."))
    text = _recommendation_text(text)
    screening = screen(author, text, kind=ContentKind.RECOMMENDATION,
                       target=f"user:{recipient.id}", field="text", acknowledged=charter_ack)
    waiting = db.session.scalar(
        sa.select(Recommendation.id).where(
            Recommendation.author_id == author.id,
            Recommendation.recipient_id == recipient.id,
            Recommendation.status == RecommendationStatus.PENDING,
        ).limit(1)
    )
    if waiting is not None:
        raise ServiceError(
            _l("Your previous recommendation for this person is still waiting for their answer.")
        )
    recommendation = Recommendation(author_id=author.id, recipient_id=recipient.id, text=text)
    db.session.add(recommendation)
    try:
        db.session.flush()
    except IntegrityError:  # the same recommendation sent twice at the same instant
        db.session.rollback()
        raise ServiceError(
            _l("Your previous recommendation for this person is still waiting for their answer.")
        ) from None
    settle(screening, author, ContentKind.RECOMMENDATION, recommendation.id)
    notify(recipient, "recommendation_received", actor=author, subject=recommendation)
    record_event(author, "recommendation_written", subject=recommendation,
                 recipient_id=recipient.id)
    db.session.commit()
    return recommendation


def _received(actor: User, recommendation_id: int) -> Recommendation:
    """A recommendation written to `actor`; anybody else's is reported as not existing."""
    recommendation = db.session.get(Recommendation, recommendation_id)
    if recommendation is None or recommendation.recipient_id != actor.id:
        raise NotFound(_l("This recommendation does not exist."))
    return recommendation


def _answer(recommendation: Recommendation, was: RecommendationStatus,
            becomes: RecommendationStatus) -> None:
    """Change the status only if nobody changed it meanwhile (two clicks, two tabs)."""
    changed = db.session.execute(
        sa.update(Recommendation)
        .where(Recommendation.id == recommendation.id, Recommendation.status == was)
        .values(status=becomes, answered_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        db.session.rollback()
        raise ServiceError(_l("This recommendation has already been answered."))
    db.session.expire(recommendation, ["status", "answered_at"])


def accept_recommendation(actor: User, recommendation_id: int) -> Recommendation:
    recommendation = _received(actor, recommendation_id)
    _answer(recommendation, RecommendationStatus.PENDING, RecommendationStatus.ACCEPTED)
    notify(recommendation.author_id, "recommendation_accepted", actor=actor,
           subject=recommendation)
    record_event(actor, "recommendation_accepted", subject=recommendation,
                 author_id=recommendation.author_id)
    db.session.commit()
    return recommendation


def decline_recommendation(actor: User, recommendation_id: int) -> Recommendation:
    """Decline a waiting recommendation, or take an accepted one off one's profile.

    The author is not told, as on a real network.
    """
    recommendation = _received(actor, recommendation_id)
    was = recommendation.status
    if was is RecommendationStatus.DECLINED:
        raise ServiceError(_l("This recommendation has already been answered."))
    _answer(recommendation, was, RecommendationStatus.DECLINED)
    record_event(actor, "recommendation_declined", subject=recommendation,
                 author_id=recommendation.author_id, was=was.value)
    db.session.commit()
    return recommendation


@dataclass(frozen=True)
class RecommendationLine:
    recommendation: Recommendation
    person_id: int  # the author of one received, the recipient of one written
    person_name: str


@dataclass(frozen=True)
class RecommendationsOverview:
    pending: tuple[RecommendationLine, ...]  # received, waiting for my answer
    accepted: tuple[RecommendationLine, ...]  # received, shown on my profile
    written: tuple[RecommendationLine, ...]  # by me, with their status


def _names_loaded(relationship):  # type: ignore[no-untyped-def]
    return joinedload(relationship).joinedload(User.school_class).selectinload(
        SchoolClass.teachers
    )


def overview(user: User) -> RecommendationsOverview:
    """Everything the recommendations page lists, in a fixed number of queries."""
    received = db.session.scalars(
        sa.select(Recommendation)
        .where(
            Recommendation.recipient_id == user.id,
            Recommendation.status.in_(
                [RecommendationStatus.PENDING, RecommendationStatus.ACCEPTED]
            ),
        )
        .options(_names_loaded(Recommendation.author))
        .order_by(Recommendation.created_at.desc(), Recommendation.id.desc())
        .limit(2 * LIST_LIMIT)
    ).unique()
    written = db.session.scalars(
        sa.select(Recommendation)
        .where(Recommendation.author_id == user.id)
        .options(_names_loaded(Recommendation.recipient))
        .order_by(Recommendation.created_at.desc(), Recommendation.id.desc())
        .limit(LIST_LIMIT)
    ).unique()
    received_lines = [
        RecommendationLine(item, item.author_id, item.author.name_for(user)) for item in received
    ]
    return RecommendationsOverview(
        pending=tuple(line for line in received_lines
                      if line.recommendation.status is RecommendationStatus.PENDING),
        accepted=tuple(line for line in received_lines
                       if line.recommendation.status is RecommendationStatus.ACCEPTED),
        written=tuple(
            RecommendationLine(item, item.recipient_id, item.recipient.name_for(user))
            for item in written
        ),
    )


# ---- skill endorsements ---------------------------------------------------------------------


def _skill_of(viewer: User, owner_id: int, skill_id: int) -> tuple[User, ProfileSkill]:
    """A skill of `owner_id`'s profile that `viewer` may see; any other is not found."""
    owner, seen_at = _person_in_scope(viewer, owner_id)
    skill = db.session.get(ProfileSkill, skill_id)
    if (
        skill is None
        or skill.profile_id != owner.id
        or not field_visible(owner.profile, "skills", seen_at)
    ):
        raise NotFound(_l("This skill does not exist."))
    return owner, skill


def endorse_skill(endorser: User, owner_id: int, skill_id: int) -> ProfileSkill:
    """Vouch for a connection's skill. Endorsing twice changes nothing."""
    owner, skill = _skill_of(endorser, owner_id, skill_id)
    if owner.id == endorser.id:
        raise ServiceError(_l("You cannot endorse your own skills."))
    if not are_connected(endorser, owner):
        raise ServiceError(_l("You can only endorse the skills of your connections."))
    key = (endorser.id, skill.id)
    if db.session.get(Endorsement, key) is not None:
        return skill
    db.session.add(Endorsement(endorser_id=endorser.id, skill_id=skill.id))
    notify(owner, "skill_endorsed", actor=endorser, subject=skill, skill=skill.name)
    record_event(endorser, "skill_endorsed", subject=skill, owner_id=owner.id, skill=skill.name)
    try:
        db.session.commit()
    except IntegrityError:
        # The same endorsement sent twice at once: the other request already recorded it.
        db.session.rollback()
        if db.session.get(Endorsement, key) is None:
            raise
    return skill


def withdraw_endorsement(endorser: User, owner_id: int, skill_id: int) -> ProfileSkill:
    """Take back one's endorsement (possible even after the connection ended); idempotent."""
    owner, skill = _skill_of(endorser, owner_id, skill_id)
    endorsement = db.session.get(Endorsement, (endorser.id, skill.id))
    if endorsement is None:
        return skill
    db.session.delete(endorsement)
    record_event(endorser, "skill_unendorsed", subject=skill, owner_id=owner.id, skill=skill.name)
    db.session.commit()
    return skill


# ---- what the profile page shows --------------------------------------------------------------


@dataclass(frozen=True)
class ShownRecommendation:
    author_id: int
    author_name: str
    text: str
    written_at: datetime


@dataclass(frozen=True)
class SkillLine:
    id: int
    name: str
    count: int
    endorsed: bool  # by the viewer


@dataclass(frozen=True)
class ProfileSections:
    owner_id: int
    is_own: bool  # the owner on their own page (not a preview): links to manage
    recommendations: tuple[ShownRecommendation, ...]
    link_authors: bool  # False in a preview: nothing there is clickable
    skills: tuple[SkillLine, ...]  # empty when the viewer may not see the skills
    is_connection: bool  # the viewer may recommend the owner and endorse their skills
    journal: JournalSummary | None  # for the owner and their teachers only


def _accepted_recommendations(
    viewer: User, owner: User, preview: PreviewAudience | None
) -> tuple[ShownRecommendation, ...]:
    # Authors outside the viewer's network (or disabled) are left out, like everywhere else.
    seen_authors = User.is_disabled.is_(False) if preview else visible_people(viewer)
    query = (
        sa.select(Recommendation)
        .join(Recommendation.author)
        .where(
            Recommendation.recipient_id == owner.id,
            Recommendation.status == RecommendationStatus.ACCEPTED,
            seen_authors,
        )
        .options(
            contains_eager(Recommendation.author)
            .joinedload(User.school_class)
            .selectinload(SchoolClass.teachers)
        )
        .order_by(Recommendation.answered_at.desc(), Recommendation.id.desc())
    )
    return tuple(
        ShownRecommendation(
            author_id=item.author_id,
            author_name=item.author.public_name if preview else item.author.name_for(viewer),
            text=item.text,
            written_at=item.created_at,
        )
        for item in db.session.scalars(query).unique()
    )


def _skill_lines(viewer: User, owner: User) -> tuple[SkillLine, ...]:
    # Run even when there is no skill yet, so that the page's query count never varies.
    rows = db.session.execute(
        sa.select(
            Endorsement.skill_id,
            sa.func.count(),
            sa.func.sum(sa.case((Endorsement.endorser_id == viewer.id, 1), else_=0)),
        )
        .join(ProfileSkill, ProfileSkill.id == Endorsement.skill_id)
        .join(User, User.id == Endorsement.endorser_id)
        .where(ProfileSkill.profile_id == owner.id, User.is_disabled.is_(False))
        .group_by(Endorsement.skill_id)
    )
    counts = {skill_id: (count, bool(mine)) for skill_id, count, mine in rows}
    return tuple(
        SkillLine(
            id=skill.id,
            name=skill.name,
            count=counts.get(skill.id, (0, False))[0],
            endorsed=counts.get(skill.id, (0, False))[1],
        )
        for skill in owner.profile.skills
    )


def profile_sections(
    viewer: User, page: ProfilePage, preview: PreviewAudience | None
) -> ProfileSections:
    """What the network adds to a profile page, in a fixed number of queries whatever the counts.

    In a preview ("view as") the page shows what that audience would see, without any button.
    """
    owner = page.owner
    own_page = owner.id == viewer.id
    if preview or own_page:
        is_connection = False
    elif page.standing is Standing.CONNECTION:
        is_connection = True
    else:  # a teacher's standing hides whether they are also connected
        is_connection = page.standing is Standing.TEACHER and are_connected(viewer, owner)
    show_journal = page.standing >= Standing.TEACHER and not preview and owner.is_student
    return ProfileSections(
        owner_id=owner.id,
        is_own=own_page and not preview,
        recommendations=_accepted_recommendations(viewer, owner, preview),
        link_authors=not preview,
        skills=_skill_lines(viewer, owner) if page.shows("skills") else (),
        is_connection=is_connection,
        journal=journal_summary(viewer, owner) if show_journal else None,
    )
