"""The dashboard benchmark's data: classes of 35 students with a semester of activity.

Each class has its teacher, its own copy of the default charter, four workshop groups and 35
students (a fifth with a pseudonym) whose profiles are filled unevenly, so completeness varies;
24 personas of 8 companies. `dashboard_activity.py` then plays each class's semester: about
20,000 activity events with the rows they stand for (posts, shares, comments, likes,
invitations and connections, follows, messages with classmates and personas, network outcomes,
charter findings).

Written with Core `insert()` executemany in one transaction (explicit ids where rows point at
each other), not through the services: a few seconds on SQLite.
"""

from __future__ import annotations

import random
from typing import Any

import sqlalchemy as sa
from dashboard_activity import (
    NOW,
    SEMESTER,
    TAGS,
    ClassActivity,
    Rows,
    insert,
    next_ids,
    write_rows,
)

from sandbox.accounts.models import Role, User
from sandbox.activity.models import ActivityEvent
from sandbox.charter.models import CharterFinding
from sandbox.charter.services import copy_default_charter
from sandbox.classes.models import SchoolClass, class_teachers
from sandbox.companies.models import Company, Sector
from sandbox.extensions import db
from sandbox.groups.models import Group
from sandbox.messages.models import Message
from sandbox.network.models import Connection, Invitation, NetworkOutcome
from sandbox.personas.models import Persona, PersonaKind
from sandbox.posts.models import Comment, Post
from sandbox.profiles.models import (
    Education,
    Experience,
    LanguageSkill,
    Profile,
    ProfileHashtag,
    ProfileSkill,
)

STUDENTS_PER_CLASS = 35

FIRST_NAMES = ["Léa", "Hugo", "Inès", "Noah", "Chloé", "Lucas", "Jade", "Adam", "Manon",
               "Yanis", "Camille", "Rayan", "Sarah", "Enzo", "Lina", "Nathan", "Zoé", "Mathis"]
LAST_NAMES = ["Martin", "Bernard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent",
              "Michel", "Garcia", "Roux", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert"]


def _user(username: str, role: Role, first: str, last: str, class_id: int | None,
          pseudonym: str | None = None) -> dict[str, Any]:
    return {"username": username, "role": role.value, "first_name": first, "last_name": last,
            "pseudonym": pseudonym, "class_id": class_id, "session_token": "x" * 32,
            "password_hash": None if role is Role.PERSONA else "x", "is_disabled": False,
            "must_change_password": False, "created_at": NOW - SEMESTER}


def _people(classes: int, rng: random.Random) -> dict[str, Any]:
    """Companies and personas, the classes with their teachers, charters and students (added
    to whatever the database already holds: `school_load.py` seeds them beside a school)."""
    def newer(model: Any, since: int) -> list[int]:
        return list(db.session.scalars(sa.select(model.id).where(model.id > since)
                                       .order_by(model.id)))

    def largest(model: Any) -> int:
        return db.session.scalar(sa.select(sa.func.max(model.id))) or 0

    before = {model: largest(model) for model in (Company, SchoolClass, User)}
    insert(Company, [{"slug": f"dash-entreprise-{n}", "name": f"Entreprise {n}",
                      "sector": Sector.LOGISTICS.value, "city": "Lyon", "good_to_know": [],
                      "created_at": NOW - SEMESTER} for n in range(8)])
    companies = newer(Company, before[Company])
    insert(SchoolClass, [{"name": f"BTS CI {n + 1}", "join_code": f"DASH-{n:04d}",
                          "created_at": NOW - SEMESTER} for n in range(classes)])
    class_ids = newer(SchoolClass, before[SchoolClass])
    users = [_user(f"prof{n}", Role.TEACHER, "Prof", f"Classe{n}", None)
             for n in range(classes)]
    users += [_user(f"pro{n}", Role.PERSONA, rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES),
                    None) for n in range(24)]
    for c, class_id in enumerate(class_ids):
        for n in range(STUDENTS_PER_CLASS):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            pseudonym = f"{first} {last[0]}." if rng.random() < 0.2 else None
            users.append(_user(f"c{c}s{n}", Role.STUDENT, first, last, class_id, pseudonym))
    insert(User, users)
    ids = newer(User, before[User])
    teachers, personas = ids[:classes], ids[classes:classes + 24]
    students = ids[classes + 24:]
    insert(class_teachers, [{"class_id": c, "teacher_id": t}
                            for c, t in zip(class_ids, teachers, strict=True)])
    insert(Persona, [{"user_id": p, "company_id": companies[n % len(companies)],
                      "kind": PersonaKind.RECRUITER.value, "job_title": "Recruteuse"}
                     for n, p in enumerate(personas)])
    for klass in db.session.scalars(sa.select(SchoolClass).where(SchoolClass.id.in_(class_ids))
                                    .order_by(SchoolClass.id)):
        copy_default_charter(klass)
    rosters = {class_id: students[n * STUDENTS_PER_CLASS:(n + 1) * STUDENTS_PER_CLASS]
               for n, class_id in enumerate(class_ids)}
    return {"classes": class_ids, "teachers": teachers, "personas": personas,
            "companies": companies, "rosters": rosters, "students": students}


def _profiles(people: dict[str, Any], rng: random.Random) -> None:
    """Every profile; students' are filled unevenly (completeness from 0 to 100)."""
    everyone = people["teachers"] + people["personas"] + people["students"]
    student_ids = set(people["students"])
    profiles, skills, experiences, education, languages, tags = [], [], [], [], [], []
    for user_id in everyone:
        care = rng.random() if user_id in student_ids else 1.0
        filled = care > 0.3
        profiles.append({
            "user_id": user_id, "visibility": {}, "photo_checklist": {"bed": False},
            "headline": "Étudiant·e en BTS commerce international" if filled else "",
            "about": ("Je prépare un BTS commerce international et je cherche un stage. " * 3
                      if care > 0.5 else ""),
            "city": "Lyon" if care > 0.4 else "",
            "photo_path": f"{user_id}/avatar-bench.webp" if care > 0.35 else None,
            "banner_path": None, "contact_email": "", "contact_phone": "", "search_text": "",
        })
        for n in range(int(care * 5)):
            skills.append({"profile_id": user_id, "name": f"Compétence {n}", "position": n})
        if care > 0.45:
            experiences.append({"profile_id": user_id, "role": "Stagiaire",
                                "organisation": "Entreprise 1", "position": 0,
                                "description": ""})
        if care > 0.25:
            education.append({"profile_id": user_id, "school": "Lycée Jean Moulin",
                              "diploma": "BTS CI", "position": 0})
        if care > 0.55:
            languages.append({"profile_id": user_id, "language": "Anglais", "level": "B2",
                              "position": 0})
        for tag in rng.sample(TAGS, int(care * 3)):
            tags.append({"profile_id": user_id, "tag": tag})
    insert(Profile, profiles)
    for model, rows in ((ProfileSkill, skills), (Experience, experiences),
                        (Education, education), (LanguageSkill, languages),
                        (ProfileHashtag, tags)):
        insert(model, rows)


def _groups(people: dict[str, Any]) -> dict[int, list[int]]:
    """Four workshop groups per class; returns each class's group ids."""
    rows = [{"slug": f"atelier-{c}-{n}", "name": f"Atelier {n + 1}", "description": "",
             "join_policy": "open", "class_id": class_id,
             "created_by_id": people["teachers"][c], "created_at": NOW - SEMESTER}
            for c, class_id in enumerate(people["classes"]) for n in range(4)]
    insert(Group, rows)
    groups: dict[int, list[int]] = {}
    for group_id, class_id in db.session.execute(
            sa.select(Group.id, Group.class_id).order_by(Group.id)):
        groups.setdefault(class_id, []).append(group_id)
    return groups


def build_classes(classes: int = 6, events: int = 20_000, seed: int = 7) -> dict[str, Any]:
    """`classes` classes of 35 students, about `events` activity events each, in one
    transaction; then fresh statistics, as a periodic ANALYZE gives. The first class is the one
    to measure."""
    rng = random.Random(seed)
    people = _people(classes, rng)
    _profiles(people, rng)
    groups = _groups(people)
    ids = next_ids()
    rows = Rows()
    for class_id in people["classes"]:
        ClassActivity(rows, people, class_id, groups[class_id], ids, rng).run(events)
    write_rows(rows)
    if db.engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
        for table in ("posts", "comments", "messages", "conversations", "invitations",
                      "network_outcomes"):
            db.session.execute(sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"))
    db.session.commit()
    with db.engine.begin() as connection:
        connection.execute(sa.text("ANALYZE"))
    return people


def load_classes() -> dict[str, Any]:
    """What `build_classes` returns, read back from a database it seeded earlier."""
    class_ids = list(db.session.scalars(sa.select(SchoolClass.id).order_by(SchoolClass.id)))
    teachers = [db.session.scalar(sa.select(class_teachers.c.teacher_id)
                                  .where(class_teachers.c.class_id == class_id))
                for class_id in class_ids]
    rosters = {class_id: list(db.session.scalars(
        sa.select(User.id).where(User.class_id == class_id, User.role == Role.STUDENT)
        .order_by(User.id))) for class_id in class_ids}
    return {"classes": class_ids, "teachers": teachers, "rosters": rosters}


def counts(class_id: int) -> dict[str, int]:
    """What one class holds: its students' events and the rows behind them."""
    def count(model: Any, *where: Any) -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0

    roster = sa.select(User.id).where(User.class_id == class_id).scalar_subquery()
    return {
        "students": count(User, User.class_id == class_id),
        "events": count(ActivityEvent, ActivityEvent.class_id == class_id),
        "posts": count(Post, Post.author_id.in_(roster)),
        "comments": count(Comment, Comment.author_id.in_(roster)),
        "invitations": count(Invitation, Invitation.sender_id.in_(roster)),
        "connections": count(Connection, Connection.user_id.in_(roster)),
        "messages": count(Message, Message.sender_id.in_(roster)),
        "findings": count(CharterFinding, CharterFinding.class_id == class_id),
        "outcomes": count(NetworkOutcome, NetworkOutcome.student_id.in_(roster)),
        "all events": count(ActivityEvent),
    }
