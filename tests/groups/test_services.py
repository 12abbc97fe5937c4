"""Who finds, creates and edits groups; what a group's name, description and topics may be."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.extensions import db
from sandbox.groups import services
from sandbox.groups.models import (
    GROUP_DESCRIPTION_MAX_LENGTH,
    GROUP_NAME_MAX_LENGTH,
    Group,
    GroupMembership,
    GroupTopic,
    JoinPolicy,
    MemberRole,
    MembershipStatus,
)
from tests.groups.helpers import DESCRIPTION, add_member, make_group


def _count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _found(viewer) -> set[str]:  # type: ignore[no-untyped-def]
    return set(db.session.scalars(sa.select(Group.slug).where(services.visible_groups(viewer))))


# ---- creating ------------------------------------------------------------------------------


def test_a_teacher_creates_a_school_wide_group_and_becomes_its_admin(school):
    teacher = school["teacher"]
    group = services.create_group(
        teacher, "  Commerce   international ", "Export, import :\r\n\r\n\r\n\r\nles deux.",
        "#Export #import, international", "request",
    )
    assert group.slug == "commerce-international"
    assert group.name == "Commerce international"
    assert group.description == "Export, import :\n\nles deux."
    assert group.class_id is None
    assert group.join_policy is JoinPolicy.REQUEST
    assert [topic.tag for topic in group.topics] == ["export", "import", "international"]
    creator = db.session.get(GroupMembership, (group.id, teacher.id))
    assert (creator.role, creator.status) == (MemberRole.ADMIN, MembershipStatus.ACTIVE)
    created = sa.select(ActivityEvent).where(ActivityEvent.kind == "group_created")
    event = db.session.scalar(created)
    assert event.user_id == teacher.id and event.subject_id == group.id


def test_a_teacher_creates_a_group_only_for_a_class_they_teach(school):
    teacher = school["teacher"]
    group = make_group(teacher, "Atelier réseau", class_id=school["class"].id)
    assert group.class_id == school["class"].id
    with pytest.raises(PermissionDenied):
        make_group(teacher, "Pas ma classe", class_id=school["other_class"].id)
    with pytest.raises(ServiceError):
        make_group(teacher, "Classe fantôme", class_id=999_999)
    assert _count(Group) == 1


def test_an_admin_creates_a_group_for_any_class(school):
    group = make_group(school["admin"], "Atelier MCO", class_id=school["other_class"].id)
    assert group.class_id == school["other_class"].id


def test_a_student_creates_a_group_only_when_the_class_allows_it(school):
    lea = school["student"]
    with pytest.raises(PermissionDenied):
        make_group(lea, "Mon groupe")
    assert not services.can_create_groups(lea)
    school["class"].students_create_groups = True
    db.session.commit()
    assert services.can_create_groups(lea)
    group = make_group(lea, "Mon groupe")
    assert group.class_id == lea.class_id  # the student's group belongs to the class
    with pytest.raises(PermissionDenied):
        make_group(lea, "Ailleurs", class_id=school["other_class"].id)
    assert not services.can_create_groups(school["other_student"])  # the other class: no
    with pytest.raises(PermissionDenied):
        make_group(school["persona"], "Recruteurs")
    assert _count(Group) == 1


def test_slugs_drop_accents_and_take_a_suffix_when_taken(school):
    teacher = school["teacher"]
    first = make_group(teacher, "Générations Œuvre & Co")
    second = make_group(teacher, "Generations oeuvre co")
    third = make_group(teacher, "GÉNÉRATIONS ŒUVRE CO !")
    assert [first.slug, second.slug, third.slug] == [
        "generations-oeuvre-co", "generations-oeuvre-co-2", "generations-oeuvre-co-3",
    ]
    assert make_group(teacher, "¡¿ !!").slug == "groupe"
    assert make_group(teacher, "New").slug == "new-2"  # never the address of the create page


@pytest.mark.parametrize("name, description, topics, policy, field", [
    ("", DESCRIPTION, "", "open", "name"),
    ("ab", DESCRIPTION, "", "open", "name"),
    ("x" * (GROUP_NAME_MAX_LENGTH + 1), DESCRIPTION, "", "open", "name"),
    ("Groupe\x00nul", DESCRIPTION, "", "open", "name"),
    ("Bon nom", "   \n  ", "", "open", "description"),
    ("Bon nom", "x" * (GROUP_DESCRIPTION_MAX_LENGTH + 1), "", "open", "description"),
    ("Bon nom", DESCRIPTION, "#pas bon!", "open", "topics"),
    ("Bon nom", DESCRIPTION, " ".join(f"#sujet{n}" for n in range(11)), "open", "topics"),
    ("Bon nom", DESCRIPTION, "", "secret", "join_policy"),
])
def test_bad_input_says_what_is_wrong_and_writes_nothing(school, name, description, topics,
                                                         policy, field):
    with pytest.raises(ServiceError) as error:
        services.create_group(school["teacher"], name, description, topics, policy)
    assert error.value.field == field
    assert str(error.value.message)
    assert (_count(Group), _count(GroupMembership), _count(GroupTopic)) == (0, 0, 0)
    assert _count(ActivityEvent) == 0


# ---- finding -------------------------------------------------------------------------------


def test_who_finds_a_class_group(school, factories):
    workshop = make_group(school["teacher"], "Atelier", class_id=school["class"].id)
    wide = make_group(school["other_teacher"], "Toute l'école")
    everyone = {wide.slug}
    both = {workshop.slug, wide.slug}
    assert _found(school["student"]) == both
    assert _found(school["classmate"]) == both
    assert _found(school["teacher"]) == both
    assert _found(school["admin"]) == both
    assert _found(school["persona"]) == both
    assert _found(school["other_student"]) == everyone
    assert _found(school["other_teacher"]) == everyone
    # A member keeps finding it (e.g. a guest added by the teacher).
    add_member(workshop, school["other_student"])
    assert _found(school["other_student"]) == both
    with pytest.raises(NotFound):
        services.get_visible_group(school["other_teacher"], workshop.slug)
    assert services.get_visible_group(school["student"], workshop.slug).id == workshop.id


def test_groups_of_lists_active_memberships_by_name(school):
    teacher, lea = school["teacher"], school["student"]
    zebra = make_group(teacher, "Zèbres du commerce")
    alpha = make_group(teacher, "Alpha export")
    asked = make_group(teacher, "Sur demande", join_policy=JoinPolicy.REQUEST)
    add_member(zebra, lea)
    add_member(alpha, lea)
    add_member(asked, lea, status=MembershipStatus.PENDING)
    assert [g.slug for g in services.groups_of(lea)] == [alpha.slug, zebra.slug]
    assert services.is_member(lea, alpha) and not services.is_member(lea, asked)


# ---- editing -------------------------------------------------------------------------------


def test_who_edits_a_group(school):
    lea, hugo = school["student"], school["classmate"]
    school["class"].students_create_groups = True
    db.session.commit()
    group = make_group(lea, "Groupe de Léa")  # a class group, Léa its admin
    add_member(group, hugo)

    def rename(actor, name):  # type: ignore[no-untyped-def]
        return services.update_group(actor, group, name, DESCRIPTION, "#stage", "request")

    assert rename(lea, "Groupe des stages").name == "Groupe des stages"
    assert rename(school["teacher"], "Stages BTS").name == "Stages BTS"  # teaches the class
    assert rename(school["admin"], "Stages BTS CI").name == "Stages BTS CI"
    with pytest.raises(PermissionDenied):
        rename(hugo, "Piraté")  # a plain member
    with pytest.raises(NotFound):
        rename(school["other_teacher"], "Piraté")  # cannot even find it
    db.session.refresh(group)
    assert group.name == "Stages BTS CI"
    assert group.slug == "groupe-de-lea"  # the address stays
    assert [topic.tag for topic in group.topics] == ["stage"]
    assert group.join_policy is JoinPolicy.REQUEST


def test_a_school_wide_group_is_edited_by_its_admins_not_by_other_teachers(school):
    group = make_group(school["teacher"], "Commerce international")
    with pytest.raises(PermissionDenied):
        services.update_group(school["other_teacher"], group, "Autre", DESCRIPTION, "", "open")
    updated = services.update_group(school["teacher"], group, "Commerce international",
                                    DESCRIPTION, "#export #douane", "open")
    assert [topic.tag for topic in updated.topics] == ["douane", "export"]


def test_a_bad_edit_changes_nothing(school):
    group = make_group(school["teacher"], "Commerce international")
    with pytest.raises(ServiceError):
        services.update_group(school["teacher"], group, "Nouveau nom", "", "", "open")
    db.session.rollback()
    db.session.refresh(group)
    assert group.name == "Commerce international"
