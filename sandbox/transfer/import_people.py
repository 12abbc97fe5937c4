"""Writing the class, its people and profiles, its charter and its rubric with the grades."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.accounts.models import Role, User
from sandbox.charter.models import CharterRule, CharterSignature, ClassCharter
from sandbox.classes.models import SchoolClass, class_teachers
from sandbox.extensions import db
from sandbox.grading.models import Grade, Rubric, RubricCriterion
from sandbox.media.images import ImageKind
from sandbox.network.models import Endorsement
from sandbox.profiles.models import (
    Education,
    Experience,
    LanguageSkill,
    Profile,
    ProfileHashtag,
    ProfileLink,
    ProfileSkill,
)
from sandbox.profiles.search_index import refresh_search_text
from sandbox.transfer.references import CLASS_KEY
from sandbox.transfer.schema import PersonPart

if TYPE_CHECKING:
    from sandbox.transfer.importer import ImportContext


def write_class_and_people(context: ImportContext) -> None:
    part = context.document.school_class
    klass = SchoolClass(
        name=part.name, join_code=part.join_code, network_scope=part.network_scope,
        allow_pseudonyms=part.allow_pseudonyms,
        weekly_invitation_cap=part.weekly_invitation_cap,
        students_create_groups=part.students_create_groups,
        persona_time_compression=part.persona_time_compression, created_at=part.created_at,
    )
    db.session.add(klass)
    db.session.flush()
    context.class_id = klass.id
    context.ids.add("SchoolClass", CLASS_KEY, klass.id)
    _write_people(context)
    if part.teachers:
        db.session.execute(class_teachers.insert(), [
            {"class_id": klass.id, "teacher_id": context.user(username)}
            for username in part.teachers
        ])
    _write_charter(context)
    _write_rubric(context)


def _new_user(context: ImportContext, person: PersonPart) -> User:
    profile = person.profile
    user = User(
        username=person.username, role=Role(person.role), first_name=person.first_name,
        last_name=person.last_name, pseudonym=person.pseudonym, locale=person.locale,
        class_id=context.class_id if person.role == "student" else None,
        password_hash=person.password_hash, is_disabled=person.is_disabled,
        must_change_password=person.must_change_password, created_at=person.created_at,
        last_login_at=person.last_login_at,
    )
    user.profile = Profile(
        headline=profile.headline, about=profile.about, city=profile.city,
        contact_email=profile.contact_email, contact_phone=profile.contact_phone,
        visibility={name: chosen.value for name, chosen in profile.visibility.items()},
        photo_checklist=dict(profile.photo_checklist),
        skills=[ProfileSkill(name=skill.name, position=skill.position)
                for skill in profile.skills],
        experiences=[Experience(**item.model_dump()) for item in profile.experiences],
        education=[Education(**item.model_dump()) for item in profile.education],
        languages=[LanguageSkill(**item.model_dump()) for item in profile.languages],
        links=[ProfileLink(**item.model_dump()) for item in profile.links],
        hashtags=[ProfileHashtag(tag=tag) for tag in profile.hashtags],
    )
    refresh_search_text(user)
    return user


def _write_people(context: ImportContext) -> None:
    people = context.document.people
    users = [_new_user(context, person) for person in people]
    db.session.add_all(users)
    db.session.flush()
    endorsements = []
    for person, user in zip(people, users, strict=True):
        context.ids.add("User", person.username, user.id)
        context.counts[f"{person.role}s"] += 1
        part = person.profile
        user.profile.photo_path = context.picture(user.id, ImageKind.AVATAR, part.photo)
        user.profile.banner_path = context.picture(user.id, ImageKind.BANNER, part.banner)
        for skill_part, skill in zip(part.skills, user.profile.skills, strict=True):
            context.ids.add("ProfileSkill", skill_part.key, skill.id)
            endorsements.extend((skill.id, endorsement) for endorsement in skill_part.endorsements)
    db.session.add_all(Endorsement(skill_id=skill_id, endorser_id=context.user(part.endorser),
                                   created_at=part.created_at)
                       for skill_id, part in endorsements)


def _write_charter(context: ImportContext) -> None:
    charter = context.document.charter
    if charter.settings is not None:
        settings = charter.settings.model_dump(exclude={"updated_by"})
        db.session.add(ClassCharter(class_id=context.class_id,
                                    updated_by_id=context.person(charter.settings.updated_by),
                                    **settings))
    db.session.add_all(CharterRule(class_id=context.class_id, **rule.model_dump())
                       for rule in charter.rules)
    db.session.add_all(CharterSignature(user_id=context.user(signature.user),
                                        class_id=context.class_id, version=signature.version,
                                        signed_at=signature.signed_at)
                       for signature in charter.signatures)


def _write_rubric(context: ImportContext) -> None:
    part = context.document.rubric
    if part is None:
        return
    rubric = Rubric(class_id=context.class_id, scale=part.scale, updated_at=part.updated_at)
    criteria = [RubricCriterion(**criterion.model_dump()) for criterion in part.criteria]
    rubric.criteria = criteria
    db.session.add(rubric)
    db.session.flush()
    for criterion in criteria:
        context.ids.add("RubricCriterion", criterion.key, criterion.id)
    db.session.add_all(Grade(
        criterion_id=context.ids.id("RubricCriterion", grade.criterion),
        student_id=context.user(grade.student), score=grade.score, comment=grade.comment,
        graded_by_id=context.person(grade.graded_by), updated_at=grade.updated_at,
    ) for grade in part.grades)
