"""The class itself, its charter and rubric, and its people with their profiles."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from sandbox.accounts.models import User
from sandbox.charter.models import CharterRule, CharterSignature, ClassCharter
from sandbox.extensions import db
from sandbox.grading.models import Grade, Rubric, RubricCriterion
from sandbox.network.models import Endorsement
from sandbox.profiles.models import Profile, ProfileSkill
from sandbox.transfer.document import Row, encode_picture, in_order, stamp

if TYPE_CHECKING:
    from sandbox.transfer.exporter import ExportContext


def class_part(context: ExportContext) -> dict[str, Any]:
    klass = context.klass
    return {
        "name": klass.name,
        "join_code": klass.join_code,
        "network_scope": klass.network_scope.value,
        "allow_pseudonyms": klass.allow_pseudonyms,
        "weekly_invitation_cap": klass.weekly_invitation_cap,
        "students_create_groups": klass.students_create_groups,
        "persona_time_compression": klass.persona_time_compression,
        "created_at": stamp(klass.created_at),
        "teachers": sorted(context.username(user_id) for user_id in context.teacher_ids),
    }


def charter_part(context: ExportContext) -> dict[str, Any]:
    class_id = context.klass.id
    charter = db.session.get(ClassCharter, class_id)
    settings = None
    if charter is not None:
        settings = {
            "version": charter.version,
            "sms_allowlist": list(charter.sms_allowlist or []),
            "school_domains": list(charter.school_domains or []),
            "allowed_emails": list(charter.allowed_emails or []),
            "school_address": charter.school_address,
            "forbidden_words": list(charter.forbidden_words or []),
            "posting_windows": list(charter.posting_windows or []),
            "updated_at": stamp(charter.updated_at),
            "updated_by": context.person(charter.updated_by_id),
        }
    rules = db.session.scalars(sa.select(CharterRule).where(CharterRule.class_id == class_id))
    signatures = []
    for signature in db.session.scalars(
            sa.select(CharterSignature).where(CharterSignature.class_id == class_id)):
        if not context.is_member(signature.user_id):
            context.omitted["signatures"] += 1
            continue
        signatures.append(({"user": context.username(signature.user_id),
                            "version": signature.version,
                            "signed_at": stamp(signature.signed_at)}, signature.id))
    return {
        "settings": settings,
        "rules": in_order(((_rule(rule), rule.id) for rule in rules), "position", "code"),
        "signatures": in_order(signatures, "user", "version"),
    }


def _rule(rule: CharterRule) -> dict[str, Any]:
    return {
        "code": rule.code, "position": rule.position,
        "title_fr": rule.title_fr, "title_en": rule.title_en,
        "text_fr": rule.text_fr, "text_en": rule.text_en,
        "checks": list(rule.checks or []), "severity": rule.severity.value,
        "enabled": rule.enabled,
    }


def rubric_part(context: ExportContext) -> dict[str, Any] | None:
    rubric = db.session.scalar(sa.select(Rubric).where(Rubric.class_id == context.klass.id))
    if rubric is None:
        return None
    criteria = db.session.scalars(
        sa.select(RubricCriterion).where(RubricCriterion.rubric_id == rubric.id)).all()
    keys = {criterion.id: criterion.key for criterion in criteria}
    grades = []
    for grade in db.session.scalars(sa.select(Grade).where(Grade.criterion_id.in_(list(keys)))):
        if not context.is_member(grade.student_id):
            context.omitted["grades"] += 1
            continue
        grades.append(({
            "criterion": keys[grade.criterion_id],
            "student": context.username(grade.student_id),
            "score": grade.score,
            "comment": grade.comment,
            "graded_by": context.person(grade.graded_by_id),
            "updated_at": stamp(grade.updated_at),
        }, grade.id))
    return {
        "scale": rubric.scale,
        "updated_at": stamp(rubric.updated_at),
        "criteria": in_order(((_criterion(c), c.id) for c in criteria), "position", "key"),
        "grades": in_order(grades, "student", "criterion"),
    }


def _criterion(criterion: RubricCriterion) -> dict[str, Any]:
    return {
        "key": criterion.key, "measure": criterion.measure.value,
        "label_fr": criterion.label_fr, "label_en": criterion.label_en,
        "description_fr": criterion.description_fr,
        "description_en": criterion.description_en,
        "weight": criterion.weight, "position": criterion.position,
    }


def people_part(context: ExportContext) -> list[dict[str, Any]]:
    """Every member with their profile; their skills get keys (endorsements and events use
    them)."""
    people = db.session.scalars(
        sa.select(User).where(User.id.in_(context.member_ids)).order_by(User.username).options(
            selectinload(User.profile).selectinload(Profile.skills),
            selectinload(User.profile).selectinload(Profile.experiences),
            selectinload(User.profile).selectinload(Profile.education),
            selectinload(User.profile).selectinload(Profile.languages),
            selectinload(User.profile).selectinload(Profile.links),
            selectinload(User.profile).selectinload(Profile.hashtags),
        )
    ).all()
    endorsements = _endorsements(context)
    parts = []
    for user in people:
        parts.append({
            "username": user.username,
            "role": user.role.value,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "pseudonym": user.pseudonym,
            "locale": user.locale,
            "password_hash": user.password_hash,
            "is_disabled": user.is_disabled,
            "must_change_password": user.must_change_password,
            "created_at": stamp(user.created_at),
            "last_login_at": stamp(user.last_login_at),
            "profile": _profile(context, user.profile, endorsements),
        })
    return parts


def _endorsements(context: ExportContext) -> dict[int, list[dict[str, Any]]]:
    """Endorsements of the members' skills, by skill; those involving outsiders are counted."""
    by_skill: dict[int, list[Row]] = defaultdict(list)
    rows = db.session.execute(
        sa.select(Endorsement, ProfileSkill.profile_id)
        .join(ProfileSkill, Endorsement.skill_id == ProfileSkill.id)
        .where(sa.or_(ProfileSkill.profile_id.in_(context.member_ids),
                      Endorsement.endorser_id.in_(context.member_ids)))
    ).all()
    for endorsement, owner_id in rows:
        if not context.all_members(endorsement.endorser_id, owner_id):
            context.omitted["endorsements"] += 1
            continue
        by_skill[endorsement.skill_id].append((
            {"endorser": context.username(endorsement.endorser_id),
             "created_at": stamp(endorsement.created_at)},
            endorsement.endorser_id,
        ))
    return {skill_id: in_order(rows, "created_at", "endorser")
            for skill_id, rows in by_skill.items()}


def _item(item: Any, *names: str) -> dict[str, Any]:
    record = {"position": item.position}
    for name in names:
        value = getattr(item, name)
        record[name] = stamp(value) if isinstance(value, date) else value
    return record


def _profile(context: ExportContext, profile: Profile,
             endorsements: dict[int, list[dict[str, Any]]]) -> dict[str, Any]:
    skills = [record for record, _id in context.keyed(
        (({"name": skill.name, "position": skill.position,
           "endorsements": endorsements.get(skill.id, [])}, skill.id)
         for skill in profile.skills),
        "ProfileSkill", "skill", "position", "name",
    )]
    return {
        "headline": profile.headline,
        "about": profile.about,
        "city": profile.city,
        "contact_email": profile.contact_email,
        "contact_phone": profile.contact_phone,
        "visibility": dict(profile.visibility or {}),
        "photo_checklist": dict(profile.photo_checklist or {}),
        "photo": encode_picture(context.picture(profile.photo_path)),
        "banner": encode_picture(context.picture(profile.banner_path)),
        "skills": skills,
        "experiences": in_order(((_item(item, "role", "organisation", "start_date", "end_date",
                                        "description"), item.id)
                                 for item in profile.experiences), "position"),
        "education": in_order(((_item(item, "school", "diploma", "start_year", "end_year"),
                                item.id) for item in profile.education), "position"),
        "languages": in_order(((_item(item, "language", "level"), item.id)
                               for item in profile.languages), "position"),
        "links": in_order(((_item(item, "label", "url"), item.id) for item in profile.links),
                          "position"),
        "hashtags": sorted(tag.tag for tag in profile.hashtags),
    }
