"""Erasing a student with an accented name: what others wrote about her keeps no trace of it.

Runs on SQLite (whose lower() knows ASCII only) and on PostgreSQL alike.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from sandbox.accounts.models import User
from sandbox.activity.models import ActivityEvent
from sandbox.charter.models import CharterFinding, FindingOutcome, Severity
from sandbox.extensions import db
from sandbox.groups.models import Group
from sandbox.groups.services import create_group
from sandbox.messages.services import send_message, student_thread
from sandbox.moderation.audit import record_audit
from sandbox.moderation.models import AuditEntry, ContentKind, ModerationCase
from sandbox.network.invitations import introduce
from sandbox.network.lists import create_list
from sandbox.network.models import ContactList, Introduction
from sandbox.network.services import connect
from sandbox.posts.comment_services import add_comment
from sandbox.posts.models import Comment, Post
from sandbox.posts.services import create_post
from sandbox.privacy.anonymise import PERSON_KEYS
from sandbox.privacy.erasure import erase_student
from sandbox.profiles.models import Experience, Profile, ProfileSkill
from sandbox.profiles.search_index import refresh_search_text
from sandbox.transfer.references import DATA_REFERENCES

NAME = "Élodie Étienne"
BLANKED = "•" * len(NAME)


@pytest.fixture
def elodie(school: dict[str, Any]) -> User:
    """Léa, renamed with accents on both names (and no pseudonym)."""
    student = school["student"]
    student.first_name, student.last_name, student.pseudonym = "Élodie", "Étienne", None
    db.session.commit()
    return student


def _erase(school: dict[str, Any], student: User) -> None:
    erase_student(school["teacher"], school["class"].id, student.id, student.username)
    db.session.expire_all()


def _every_text() -> list[tuple[str, str, str]]:
    """(table, column, value) for every text or JSON value of every table."""
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)).mappings():
            found += [(table.name, column, str(value)) for column, value in row.items()
                      if isinstance(value, (str, dict, list))]
    return found


def _named(value: str) -> bool:
    return any(word in value.casefold() for word in ("élodie", "étienne", "elodie", "etienne"))


def test_an_accented_name_is_blanked_whatever_its_case(school, elodie):
    hugo = school["classmate"]
    post = create_post(hugo, body="Bravo à Élodie Étienne pour sa présentation",
                       audience="network", charter_ack=True)
    shout = add_comment(hugo, post.id, "ÉLODIE ÉTIENNE en force !", charter_ack=True)
    _erase(school, elodie)
    assert db.session.get(Post, post.id).body == f"Bravo à {BLANKED} pour sa présentation"
    assert db.session.get(Comment, shout.id).body == f"{BLANKED} en force !"


def test_a_classmates_profile_lists_and_groups_lose_her_name(school, elodie):
    hugo, klass = school["classmate"], school["class"]
    profile = hugo.profile
    profile.headline = f"Binôme d'{NAME}"
    profile.about = f"Projet export en binôme avec {NAME}."
    profile.skills.append(ProfileSkill(name="Négociation", position=0))
    profile.experiences.append(Experience(role="Vendeur", organisation="Carrefour", position=0,
                                          description=f"Stand tenu avec {NAME}"))
    klass.students_create_groups = True
    db.session.commit()
    refresh_search_text(hugo)
    db.session.commit()
    assert "etienne" in profile.search_text
    group = create_group(hugo, f"Binôme {NAME}", f"Le projet de Hugo et {NAME}", "export",
                         "open", charter_ack=True)
    # Takes the slug the blanked name would get.
    create_group(hugo, "Binôme", "Un autre groupe", "export", "open", charter_ack=True)
    assert group.slug == "binome-elodie-etienne"
    friends = create_list(hugo, f"Amis de {NAME}")
    _erase(school, elodie)

    profile = db.session.get(Profile, hugo.id)
    assert profile.headline == f"Binôme d'{BLANKED}"
    assert profile.about == f"Projet export en binôme avec {BLANKED}."
    assert profile.experiences[0].description == f"Stand tenu avec {BLANKED}"
    assert "etienne" not in profile.search_text and "negociation" in profile.search_text
    group = db.session.get(Group, group.id)
    assert (group.name, group.slug) == (f"Binôme {BLANKED}", "binome-2")
    assert group.description == f"Le projet de Hugo et {BLANKED}"
    created = db.session.scalar(sa.select(ActivityEvent).where(
        ActivityEvent.kind == "group_created", ActivityEvent.subject_id == group.id))
    assert created.data["slug"] == "binome-2"
    assert db.session.get(ContactList, friends.id).name == f"Amis de {BLANKED}"
    leftovers = [(table, column) for table, column, value in _every_text() if _named(value)]
    assert leftovers == []


def test_a_blanked_list_name_that_another_list_has_gets_a_number(school, elodie):
    hugo = school["classmate"]
    first = create_list(hugo, BLANKED)  # as another erasure left it
    second = create_list(hugo, NAME)
    _erase(school, elodie)
    assert db.session.get(ContactList, first.id).name == BLANKED
    assert db.session.get(ContactList, second.id).name == f"{BLANKED} 2"


def test_json_records_of_overrides_flags_and_events_lose_her_name(school, elodie):
    hugo = school["classmate"]
    post = create_post(hugo, body="Une bonne journée", audience="network", charter_ack=True)
    finding = {"category": "name", "excerpt": NAME, "fix": f"{NAME} (prénom seul)",
               "start": 0, "end": len(NAME)}
    record_audit(hugo, "override", kind=ContentKind.POST, content_id=post.id, author=hugo,
                 findings=[finding])
    db.session.add(ModerationCase(class_id=hugo.class_id, content_kind=ContentKind.POST,
                                  content_id=post.id, author_id=hugo.id, excerpt="Une bonne "
                                  "journée", findings=[finding], flagged=True))
    listed = create_list(hugo, f"Avec {NAME}")
    db.session.commit()
    _erase(school, elodie)
    override = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "override"))
    assert override.data["findings"][0]["excerpt"] == BLANKED
    assert override.data["findings"][0]["fix"] == f"{BLANKED} (prénom seul)"
    case = db.session.scalar(sa.select(ModerationCase).where(
        ModerationCase.content_id == post.id))
    assert case.findings[0]["excerpt"] == BLANKED and case.findings[0]["end"] == len(NAME)
    event = db.session.scalar(sa.select(ActivityEvent).where(
        ActivityEvent.kind == "contact_list_created", ActivityEvent.subject_id == listed.id))
    assert event.data["name"] == f"Avec {BLANKED}"


def test_every_user_key_of_the_export_is_a_person_key():
    users = {key for key, kind in DATA_REFERENCES.items() if kind == "User"}
    assert users <= set(PERSON_KEYS)


def test_a_teachers_reading_of_a_thread_with_her_no_longer_points_at_her(school, elodie):
    hugo, teacher = school["classmate"], school["teacher"]
    connect(hugo, elodie)
    db.session.commit()
    send_message(hugo, elodie.id, "Salut !", charter_ack=True)
    student_thread(teacher, hugo.id, elodie.id)
    elodie_id = elodie.id
    _erase(school, elodie)
    event = db.session.scalar(sa.select(ActivityEvent).where(
        ActivityEvent.kind == "student_thread_reviewed"))
    assert event.user_id == teacher.id and event.data.get("student_id") == hugo.id
    assert "other_id" not in event.data and event.subject_id is None
    assert elodie_id not in event.data.values()


def test_an_introduction_of_her_and_its_case_go(school, elodie):
    hugo, persona = school["classmate"], school["persona"]
    connect(hugo, elodie)
    connect(hugo, persona)
    db.session.commit()
    introduction = introduce(hugo, elodie.id, persona.id, f"Je vous présente {NAME}.")
    case = ModerationCase(class_id=hugo.class_id, content_kind=ContentKind.INTRODUCTION,
                          content_id=introduction.id, author_id=hugo.id,
                          excerpt=introduction.note, findings=[], report_count=1)
    db.session.add(case)
    db.session.flush()
    record_audit(school["teacher"], "warn", kind=ContentKind.INTRODUCTION,
                 content_id=introduction.id, author=hugo, reason="Prénom seul", case_id=case.id)
    db.session.commit()
    ids = (introduction.id, case.id)
    _erase(school, elodie)
    assert db.session.get(Introduction, ids[0]) is None
    assert db.session.get(ModerationCase, ids[1]) is None
    warning = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "warn"))
    assert warning.content_kind == "introduction" and warning.content_id is None


def test_others_findings_no_longer_say_they_were_aimed_at_her(school, elodie):
    hugo, elodie_id = school["classmate"], elodie.id
    common = {"user_id": hugo.id, "class_id": hugo.class_id, "category": "sms",
              "severity": Severity.BLOCK, "outcome": FindingOutcome.BLOCKED, "excerpt": "slt"}
    db.session.add_all([
        CharterFinding(content_kind="message", target=f"user:{elodie_id}", **common),
        CharterFinding(content_kind="introduction", target=f"user:{elodie_id}:7", **common),
        CharterFinding(content_kind="message", target=f"user:{elodie_id}1", **common),
    ])
    db.session.commit()
    _erase(school, elodie)
    targets = db.session.scalars(sa.select(CharterFinding.target).where(
        CharterFinding.user_id == hugo.id).order_by(CharterFinding.id))
    assert list(targets) == ["", "", f"user:{elodie_id}1"]
