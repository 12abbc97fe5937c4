"""The account, profile and network sections of a student's archive.

Each function returns plain JSON-ready data. Other people appear only by the name the student
sees (`NameBook`), never with anything of their own profile.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from sandbox.accounts.models import User
from sandbox.charter.models import CharterSignature
from sandbox.classes.models import SchoolClass
from sandbox.companies.models import Company
from sandbox.extensions import db
from sandbox.groups.models import Group, GroupMembership
from sandbox.network.journal import OUTCOME_LABELS
from sandbox.network.models import (
    Connection,
    ContactList,
    ContactListMember,
    Endorsement,
    FollowedCompany,
    FollowedHashtag,
    FollowedPerson,
    Introduction,
    Invitation,
    InvitationStatus,
    NetworkOutcome,
    Recommendation,
)
from sandbox.privacy.people import NameBook, iso
from sandbox.profiles.completeness import completeness
from sandbox.profiles.models import FIELD_VISIBILITY_DEFAULTS, Profile, ProfileSkill


def account_section(student: User) -> dict[str, Any]:
    """Who the student is in Tremplin; never the password hash nor the session token."""
    klass = student.school_class
    return {
        "username": student.username,
        "first_name": student.first_name,
        "last_name": student.last_name,
        "pseudonym": student.pseudonym,
        "name_shown_to_others": student.public_name,
        "role": student.role.value,
        "class": klass.name if klass is not None else None,
        "language": student.locale,
        "created_at": iso(student.created_at),
        "last_login_at": iso(student.last_login_at),
        "disabled": student.is_disabled,
    }


def profile_section(student: User, book: NameBook, images: dict[str, str]) -> dict[str, Any]:
    """Every field of the profile with its visibility, its lists and the photo checklist.

    `images` maps "photo"/"banner" to their path in the archive (when the file exists).
    """
    profile = db.session.get(Profile, student.id)
    if profile is None:
        return {}
    skill_ids = [skill.id for skill in profile.skills]
    endorsements = db.session.execute(
        sa.select(Endorsement.skill_id, Endorsement.endorser_id, Endorsement.created_at)
        .where(Endorsement.skill_id.in_(skill_ids))
        .order_by(Endorsement.created_at)
    ).all() if skill_ids else []
    book.load(row.endorser_id for row in endorsements)
    endorsed_by: dict[int, list[dict[str, Any]]] = {}
    for row in endorsements:
        endorsed_by.setdefault(row.skill_id, []).append(
            {"person": book.name(row.endorser_id), "at": iso(row.created_at)}
        )
    return {
        "headline": profile.headline,
        "about": profile.about,
        "city": profile.city,
        "contact_email": profile.contact_email,
        "contact_phone": profile.contact_phone,
        "photo": images.get("photo"),
        "banner": images.get("banner"),
        "visibility": {field: profile.visibility_of(field).value
                       for field in FIELD_VISIBILITY_DEFAULTS},
        "photo_checklist": dict(profile.photo_checklist or {}),
        "completeness": completeness(profile).score,
        "skills": [{"name": skill.name, "endorsed_by": endorsed_by.get(skill.id, [])}
                   for skill in profile.skills],
        "experiences": [
            {"role": item.role, "organisation": item.organisation,
             "start_date": iso(item.start_date), "end_date": iso(item.end_date),
             "description": item.description}
            for item in profile.experiences
        ],
        "education": [
            {"school": item.school, "diploma": item.diploma, "start_year": item.start_year,
             "end_year": item.end_year}
            for item in profile.education
        ],
        "languages": [{"language": item.language, "level": item.level}
                      for item in profile.languages],
        "links": [{"label": item.label, "url": item.url} for item in profile.links],
        "hashtags": [item.tag for item in profile.hashtags],
    }


def _invitation_status(invitation: Invitation, sent: bool) -> tuple[str, str | None]:
    # An ignored invitation looks pending to its sender, in the archive as on the site.
    if sent and invitation.status is InvitationStatus.IGNORED:
        return InvitationStatus.PENDING.value, None
    return invitation.status.value, iso(invitation.answered_at)


def invitations_section(student: User, book: NameBook) -> dict[str, list[dict[str, Any]]]:
    invitations = db.session.scalars(
        sa.select(Invitation)
        .where(sa.or_(Invitation.sender_id == student.id, Invitation.recipient_id == student.id))
        .order_by(Invitation.created_at, Invitation.id)
    ).all()
    book.load(i.sender_id for i in invitations)
    book.load(i.recipient_id for i in invitations)
    sent, received = [], []
    for invitation in invitations:
        mine = invitation.sender_id == student.id
        status, answered = _invitation_status(invitation, mine)
        line = {"message": invitation.message, "status": status,
                "sent_at": iso(invitation.created_at), "answered_at": answered}
        if mine:
            sent.append({"to": book.name(invitation.recipient_id), **line})
        else:
            received.append({"from": book.name(invitation.sender_id), **line})
    return {"sent": sent, "received": received}


def connections_section(student: User, book: NameBook) -> list[dict[str, Any]]:
    rows = db.session.execute(
        sa.select(Connection.contact_id, Connection.created_at)
        .where(Connection.user_id == student.id).order_by(Connection.created_at)
    ).all()
    book.load(row.contact_id for row in rows)
    return [{"person": book.name(row.contact_id), "since": iso(row.created_at)} for row in rows]


def follows_section(student: User, book: NameBook) -> dict[str, list[dict[str, Any]]]:
    people = db.session.execute(
        sa.select(FollowedPerson.followed_id, FollowedPerson.created_at)
        .where(FollowedPerson.follower_id == student.id).order_by(FollowedPerson.created_at)
    ).all()
    book.load(row.followed_id for row in people)
    companies = db.session.execute(
        sa.select(Company.name, FollowedCompany.created_at)
        .join(Company, Company.id == FollowedCompany.company_id)
        .where(FollowedCompany.follower_id == student.id).order_by(FollowedCompany.created_at)
    ).all()
    tags = db.session.execute(
        sa.select(FollowedHashtag.tag, FollowedHashtag.created_at)
        .where(FollowedHashtag.follower_id == student.id).order_by(FollowedHashtag.created_at)
    ).all()
    return {
        "people": [{"person": book.name(r.followed_id), "since": iso(r.created_at)}
                   for r in people],
        "companies": [{"company": r.name, "since": iso(r.created_at)} for r in companies],
        "hashtags": [{"hashtag": r.tag, "since": iso(r.created_at)} for r in tags],
    }


def contact_lists_section(student: User, book: NameBook) -> list[dict[str, Any]]:
    lists = db.session.scalars(
        sa.select(ContactList).where(ContactList.owner_id == student.id)
        .order_by(ContactList.name)
    ).all()
    members = db.session.execute(
        sa.select(ContactListMember.list_id, ContactListMember.contact_id)
        .where(ContactListMember.list_id.in_([item.id for item in lists]))
    ).all() if lists else []
    book.load(row.contact_id for row in members)
    by_list: dict[int, list[str | None]] = {}
    for row in members:
        by_list.setdefault(row.list_id, []).append(book.name(row.contact_id))
    return [{"name": item.name, "created_at": iso(item.created_at),
             "members": sorted(filter(None, by_list.get(item.id, [])))} for item in lists]


def recommendations_section(student: User, book: NameBook) -> dict[str, list[dict[str, Any]]]:
    rows = db.session.scalars(
        sa.select(Recommendation)
        .where(sa.or_(Recommendation.author_id == student.id,
                      Recommendation.recipient_id == student.id))
        .order_by(Recommendation.created_at, Recommendation.id)
    ).all()
    book.load(r.author_id for r in rows)
    book.load(r.recipient_id for r in rows)

    def line(item: Recommendation) -> dict[str, Any]:
        return {"text": item.text, "status": item.status.value,
                "written_at": iso(item.created_at), "answered_at": iso(item.answered_at)}

    return {
        "written": [{"to": book.name(r.recipient_id), **line(r)}
                    for r in rows if r.author_id == student.id],
        "received": [{"from": book.name(r.author_id), **line(r)}
                     for r in rows if r.recipient_id == student.id],
    }


def endorsements_given_section(student: User, book: NameBook) -> list[dict[str, Any]]:
    rows = db.session.execute(
        sa.select(ProfileSkill.profile_id, ProfileSkill.name, Endorsement.created_at)
        .join(ProfileSkill, ProfileSkill.id == Endorsement.skill_id)
        .where(Endorsement.endorser_id == student.id).order_by(Endorsement.created_at)
    ).all()
    book.load(row.profile_id for row in rows)
    return [{"person": book.name(r.profile_id), "skill": r.name, "at": iso(r.created_at)}
            for r in rows]


def introductions_section(student: User, book: NameBook) -> list[dict[str, Any]]:
    """Introductions the student made, received, or was the contact of (all three read the
    note on the site)."""
    rows = db.session.scalars(
        sa.select(Introduction).where(sa.or_(
            Introduction.introducer_id == student.id, Introduction.student_id == student.id,
            Introduction.introduced_id == student.id,
        )).order_by(Introduction.created_at, Introduction.id)
    ).all()
    book.load(i for r in rows for i in (r.introducer_id, r.student_id, r.introduced_id))
    return [{"introduced_by": book.name(row.introducer_id),
             "introduced": book.name(row.student_id), "to": book.name(row.introduced_id),
             "note": row.note, "at": iso(row.created_at)} for row in rows]


def outcomes_section(student: User, book: NameBook) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        sa.select(NetworkOutcome).where(NetworkOutcome.student_id == student.id)
        .order_by(NetworkOutcome.created_at, NetworkOutcome.id)
    ).all()
    book.load(row.contact_id for row in rows)
    return [{"kind": row.kind.value, "kind_label": str(OUTCOME_LABELS[row.kind]),
             "contact": book.name(row.contact_id), "note": row.note,
             "occurred_on": iso(row.occurred_on), "recorded_at": iso(row.created_at)}
            for row in rows]


def groups_section(student: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        sa.select(GroupMembership).where(GroupMembership.user_id == student.id)
        .options(joinedload(GroupMembership.group)).order_by(GroupMembership.created_at)
    ).all()
    return [{"group": row.group.name, "role": row.role.value, "status": row.status.value,
             "created_by_me": row.group.created_by_id == student.id,
             "since": iso(row.created_at)} for row in rows]


def groups_created_section(student: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        sa.select(Group).where(Group.created_by_id == student.id).order_by(Group.created_at)
    ).all()
    return [{"name": row.name, "description": row.description,
             "created_at": iso(row.created_at)} for row in rows]


def signatures_section(student: User) -> list[dict[str, Any]]:
    rows = db.session.execute(
        sa.select(CharterSignature.version, CharterSignature.signed_at, SchoolClass.name)
        .join(SchoolClass, SchoolClass.id == CharterSignature.class_id)
        .where(CharterSignature.user_id == student.id).order_by(CharterSignature.signed_at)
    ).all()
    return [{"class": row.name, "version": row.version, "signed_at": iso(row.signed_at)}
            for row in rows]
