"""The seeded fictional school: valid files, enough variety, loaded idempotently."""

from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa

from sandbox.accounts.models import Role, User
from sandbox.charter.models import CharterRule
from sandbox.classes.models import School, SchoolClass
from sandbox.companies.models import Company, JobKind, JobOffer, Sector
from sandbox.extensions import db
from sandbox.groups.models import Group, GroupMembership, MemberRole
from sandbox.network.models import Connection, FollowedCompany
from sandbox.personas.models import PersonaKind
from sandbox.posts.models import Audience, Post, PostHashtag
from sandbox.seeding.files import (
    SeedError,
    default_charter,
    read_demo_seed,
    read_groups_seed,
    read_network_seed,
    seed_dir,
)
from sandbox.seeding.group_loader import seed_groups
from sandbox.seeding.loader import seed_demo_class, seed_network

WORKSHOP_SECTORS = {
    Sector.TOURISM, Sector.AGRIFOOD, Sector.BANKING, Sector.RETAIL, Sector.INDUSTRY,
    Sector.CONSULTING, Sector.TECH, Sector.ECOMMERCE, Sector.LOGISTICS, Sector.COLLABORATIVE,
    Sector.FASHION, Sector.MEDIA,
}


def _count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_network_seed_has_the_variety_the_workshops_need():
    network = read_network_seed()
    assert len(network.companies) >= 12
    assert WORKSHOP_SECTORS <= {c.sector for c in network.companies}
    assert all(1 <= len(c.offers) <= 3 for c in network.companies)
    assert {o.kind for c in network.companies for o in c.offers} == set(JobKind)
    assert len(network.personas) >= 40
    assert {p.kind for p in network.personas} == set(PersonaKind)
    recruiting = {p.company for p in network.personas if p.kind is PersonaKind.RECRUITER}
    assert recruiting == {c.slug for c in network.companies}
    assert all(p.posts for p in network.personas)
    emails = [p.contact_email for p in network.personas if p.contact_email]
    assert all(email.endswith(".example") for email in emails), "fictional domains only"


def test_demo_class_seed():
    demo = read_demo_seed()
    assert len(demo.students) == 12
    usernames = {demo.admin.username, demo.teacher.username, *(s.username for s in demo.students)}
    assert len(usernames) == 14
    assert not usernames & {p.username for p in read_network_seed().personas}


def test_default_charter_is_bilingual():
    rules = default_charter().rules
    assert len(rules) >= 10
    assert all(rule.title_fr and rule.title_en and rule.text_fr and rule.text_en for rule in rules)
    checked = {check for rule in rules for check in rule.checks}
    assert {"phone", "email", "address", "sms", "register", "spelling", "insult"} <= checked


def test_loading_twice_changes_nothing(app):
    network, demo, groups = read_network_seed(), read_demo_seed(), read_groups_seed()
    first = seed_network(network)
    first.merge(seed_demo_class(demo))
    first.merge(seed_groups(groups))
    models = (User, Company, JobOffer, Post, SchoolClass, CharterRule, Group, GroupMembership,
              PostHashtag, Connection, FollowedCompany)
    counts = {model: _count(model) for model in models}
    assert first.created["companies"] == len(network.companies)
    assert first.created["students"] == 12
    assert first.created["groups"] == len(groups.groups)

    second = seed_network(network)
    second.merge(seed_demo_class(demo))
    second.merge(seed_groups(groups))
    assert second.created == {}
    assert counts == {model: _count(model) for model in counts}


def test_demo_students_start_with_contacts_whose_posts_fill_their_news(app):
    from sandbox.posts.feed import home_feed

    seed_network(read_network_seed())
    seed_demo_class(read_demo_seed())
    mathieu = db.session.scalar(sa.select(User).where(User.username == "mathieu.dupre"))
    contacts = set(db.session.scalars(
        sa.select(Connection.contact_id).where(Connection.user_id == mathieu.id)
    ))
    back = set(db.session.scalars(
        sa.select(Connection.user_id).where(Connection.contact_id == mathieu.id)
    ))
    assert len(contacts) == 4 and contacts == back  # both ways
    authors = {post.author_id for post in home_feed(mathieu).posts}
    assert authors - {mathieu.id}, "the news shows only his own posts"


def test_demo_students_can_log_in_and_personas_cannot(app, auth):
    seed_network(read_network_seed())
    demo = read_demo_seed()
    seed_demo_class(demo)
    first = demo.students[0]
    assert auth.login(first.username, first.password).status_code == 302
    personas = db.session.scalars(sa.select(User).where(User.role == Role.PERSONA)).all()
    assert personas and all(p.password_hash is None for p in personas)
    klass = db.session.scalar(sa.select(SchoolClass).where(SchoolClass.join_code == demo.klass.join_code))
    assert _count(CharterRule) == len(default_charter().rules)
    assert [t.username for t in klass.teachers] == [demo.teacher.username]


def test_reseeding_keeps_a_changed_password(app, auth):
    seed_network(read_network_seed())
    demo = read_demo_seed()
    seed_demo_class(demo)
    student = db.session.scalar(sa.select(User).where(User.username == demo.students[0].username))
    student.password_hash = "changed"
    db.session.commit()
    seed_demo_class(demo)
    db.session.refresh(student)
    assert student.password_hash == "changed"


def test_a_broken_seed_file_is_refused_with_its_location(tmp_path):
    for name in ("companies.yaml", "personas.yaml"):
        shutil.copy(seed_dir() / name, tmp_path / name)
    text = (tmp_path / "companies.yaml").read_text(encoding="utf-8")
    (tmp_path / "companies.yaml").write_text(
        text.replace("sector: tourism", "sector: piracy", 1), encoding="utf-8"
    )
    with pytest.raises(SeedError) as error:
        read_network_seed(tmp_path)
    assert "companies.0.sector" in str(error.value) or "sector" in str(error.value)


def test_a_persona_of_an_unknown_company_is_refused(tmp_path):
    shutil.copy(seed_dir() / "companies.yaml", tmp_path / "companies.yaml")
    (tmp_path / "personas.yaml").write_text(
        "- username: ghost.persona\n  first_name: A\n  last_name: B\n  company: nowhere\n"
        "  kind: employee\n  job_title: Fantôme\n",
        encoding="utf-8",
    )
    with pytest.raises(SeedError, match="unknown company 'nowhere'"):
        read_network_seed(tmp_path)


def test_seeding_never_takes_over_a_real_account(app, factories):
    """A real student who happens to be called like the demo teacher stays a student."""
    klass = factories.make_class(None)
    demo = read_demo_seed()
    factories.make_student(klass, username=demo.teacher.username)
    with pytest.raises(SeedError, match=f"'{demo.teacher.username}' as a teacher"):
        seed_demo_class(demo)
    assert _count(School) == 0  # nothing of the failed attempt was kept


def test_groups_seed_has_the_workshop_groups():
    groups = {group.slug: group for group in read_groups_seed().groups}
    assert len(groups) >= 4
    workshop = [g for g in groups.values() if g.class_code == read_demo_seed().klass.join_code]
    assert len(workshop) == 1 and workshop[0].join_policy.value == "open"
    trade = groups["commerce-international"]
    assert trade.class_code is None and {"export", "import", "international"} <= set(trade.topics)
    internships = groups["stages-et-alternances"]
    assert internships.join_policy.value == "request"
    personas = {p.username for p in read_network_seed().personas}
    assert internships.admins[0] in personas
    assert all(group.posts for group in groups.values())


def test_groups_link_what_exists_then_the_rest_once_the_demo_is_loaded(app):
    network, demo, groups = read_network_seed(), read_demo_seed(), read_groups_seed()
    seed_network(network)
    summary = seed_groups(groups)  # a real school: no demo class, no demo students
    school_wide = [g for g in groups.groups if g.class_code is None]
    assert summary.created["groups"] == len(school_wide)
    assert _count(Group) == len(school_wide)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Group).where(
        Group.class_id.is_not(None))) == 0
    students = sa.select(User.id).where(User.role == Role.STUDENT)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GroupMembership).where(
        GroupMembership.user_id.in_(students))) == 0

    seed_demo_class(demo)
    again = seed_groups(groups)
    assert again.created["groups"] == len(groups.groups) - len(school_wide)
    klass = db.session.scalar(sa.select(SchoolClass).where(
        SchoolClass.join_code == demo.klass.join_code))
    workshop = db.session.scalar(sa.select(Group).where(Group.class_id == klass.id))
    teacher = db.session.scalar(sa.select(User).where(User.username == demo.teacher.username))
    assert db.session.get(GroupMembership, (workshop.id, teacher.id)).role is MemberRole.ADMIN
    posts = db.session.scalars(sa.select(Post).where(Post.group_id == workshop.id)).all()
    assert posts and all(post.audience is Audience.GROUP for post in posts)


def test_a_group_naming_an_unknown_person_is_refused(tmp_path):
    for name in ("companies.yaml", "personas.yaml", "demo_class.yaml"):
        shutil.copy(seed_dir() / name, tmp_path / name)
    (tmp_path / "groups.yaml").write_text(
        "- slug: fantomes\n  name: Fantômes\n  description: Personne.\n"
        "  admins: [personne.inconnue]\n",
        encoding="utf-8",
    )
    with pytest.raises(SeedError, match="unknown people"):
        read_groups_seed(tmp_path)
