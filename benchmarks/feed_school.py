"""The school-scale data set of the feed benchmark, written with fast bulk inserts.

2,000 students in classes of about 35 (one school-wide network) with their teachers, 40 personas
of 20 companies, 50 connections per student, 50 groups with their members, contact lists, follows
of people, companies and hashtags, and 200,000 posts over six months: mostly to the network, some
to connections, groups and contact lists; hashtags; shares; a few deleted. Core `insert()`
executemany in batches, in one transaction: a few seconds on SQLite. `load_school` reads the
same facts back from a database seeded earlier.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from sandbox.accounts.models import Role, User
from sandbox.classes.models import NetworkScope, SchoolClass, class_teachers
from sandbox.companies.models import Company, Sector
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.groups.models import Group, GroupMembership, MembershipStatus
from sandbox.network.models import (
    Connection,
    ContactList,
    ContactListMember,
    FollowedCompany,
    FollowedHashtag,
    FollowedPerson,
)
from sandbox.personas.models import Persona, PersonaKind
from sandbox.posts.models import Audience, Post, PostHashtag
from sandbox.profiles.models import Profile

NOW = utcnow()
TAGS = [f"sujet{n}" for n in range(100)]
BATCH = 20_000


def _batches(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start:start + BATCH]


def insert(table: Any, rows: list[dict[str, Any]]) -> None:
    """Core executemany in batches, inside the caller's one transaction."""
    for batch in _batches(rows):
        db.session.execute(sa.insert(table), batch)


def _people(students: int, rng: random.Random) -> dict[str, Any]:
    """Classes, teachers, students, companies and personas; returns their ids."""
    class_count = students // 35 + 1
    insert(SchoolClass, [{"name": f"Classe {n}", "join_code": f"FEED-{n:04d}",
                          "network_scope": NetworkScope.SCHOOL.value, "created_at": NOW}
                         for n in range(class_count)])
    class_ids = list(db.session.scalars(sa.select(SchoolClass.id).order_by(SchoolClass.id)))
    insert(Company, [{"slug": f"entreprise-{n}", "name": f"Entreprise {n}",
                      "sector": Sector.LOGISTICS.value, "city": "Lyon", "good_to_know": [],
                      "created_at": NOW} for n in range(20)])
    company_ids = list(db.session.scalars(sa.select(Company.id).order_by(Company.id)))

    def user(username: str, role: Role, class_id: int | None) -> dict[str, Any]:
        return {"username": username, "role": role.value, "first_name": username.capitalize(),
                "last_name": "Bench", "class_id": class_id, "session_token": "x" * 32,
                "password_hash": None if role is Role.PERSONA else "x", "is_disabled": False,
                "must_change_password": False, "created_at": NOW}

    rows = [user(f"s{n}", Role.STUDENT, class_ids[n // 35]) for n in range(students)]
    rows += [user(f"t{n}", Role.TEACHER, None) for n in range(class_count)]
    rows += [user(f"p{n}", Role.PERSONA, None) for n in range(40)]
    insert(User, rows)
    ids = list(db.session.scalars(sa.select(User.id).order_by(User.id)))
    student_ids = ids[:students]
    teacher_ids = ids[students:students + class_count]
    persona_ids = ids[students + class_count:]
    insert(class_teachers, [{"class_id": c, "teacher_id": t}
                            for c, t in zip(class_ids, teacher_ids, strict=True)])
    insert(Profile, [{"user_id": i, "visibility": {}, "photo_checklist": {}} for i in ids])
    insert(Persona, [{"user_id": p, "company_id": company_ids[n % len(company_ids)],
                      "kind": PersonaKind.RECRUITER.value, "job_title": "Recruteur"}
                     for n, p in enumerate(persona_ids)])
    return {"students": student_ids, "teachers": teacher_ids, "personas": persona_ids,
            "companies": company_ids, "classes": class_ids}


def _network(people: dict[str, Any], connections: int, rng: random.Random) -> dict[str, Any]:
    """Connections, groups and memberships, contact lists, follows."""
    students = people["students"]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < len(students) * connections // 2:
        a, b = rng.sample(students, 2)
        pairs.add((min(a, b), max(a, b)))
    insert(Connection, [{"user_id": a, "contact_id": b, "created_at": NOW} for a, b in pairs]
           + [{"user_id": b, "contact_id": a, "created_at": NOW} for a, b in pairs])
    contacts: dict[int, list[int]] = {s: [] for s in students}
    for a, b in pairs:
        contacts[a].append(b)
        contacts[b].append(a)

    # 45 school-wide groups and 5 of a class (the workshop group of that class).
    insert(Group, [{"slug": f"groupe-{n}", "name": f"Groupe {n}", "description": "",
                    "join_policy": "open", "class_id": people["classes"][n] if n < 5 else None,
                    "created_by_id": people["teachers"][n % len(people["teachers"])],
                    "created_at": NOW} for n in range(50)])
    group_ids = list(db.session.scalars(sa.select(Group.id).order_by(Group.id)))
    memberships: dict[int, list[int]] = {}
    rows = []
    for n, student in enumerate(students):
        klass = n // 35
        chosen = set(rng.sample(group_ids[5:], 3))
        if klass < 5:
            chosen.add(group_ids[klass])
        memberships[student] = sorted(chosen)
        rows += [{"group_id": g, "user_id": student, "role": "member", "status": "active",
                  "created_at": NOW} for g in chosen]
        pending = rng.choice(group_ids[5:])
        if pending not in chosen and rng.random() < 0.2:
            rows.append({"group_id": pending, "user_id": student, "role": "member",
                         "status": MembershipStatus.PENDING.value, "created_at": NOW})
    insert(GroupMembership, rows)

    # A third of the students keep one contact list ("Stage") of ten connections.
    owners = rng.sample(students, len(students) // 3)
    insert(ContactList, [{"owner_id": o, "name": "Stage", "created_at": NOW} for o in owners])
    list_of = dict(db.session.execute(sa.select(ContactList.owner_id, ContactList.id)).all())
    insert(ContactListMember, [{"list_id": list_of[o], "contact_id": c}
                               for o in owners for c in rng.sample(contacts[o], 10)])

    others = students + people["personas"]
    insert(FollowedPerson, [{"follower_id": s, "followed_id": f, "created_at": NOW}
                            for s in students for f in {*rng.sample(others, 8)} - {s}])
    insert(FollowedCompany, [{"follower_id": s, "company_id": c, "created_at": NOW}
                             for s in students for c in rng.sample(people["companies"], 3)])
    insert(FollowedHashtag, [{"follower_id": s, "tag": t, "created_at": NOW}
                             for s in students for t in rng.sample(TAGS, 5)])
    return {"memberships": memberships, "lists": list_of, "groups": group_ids}


def _posts(people: dict[str, Any], network: dict[str, Any], count: int,
           rng: random.Random) -> None:
    """`count` posts over six months, oldest first; ids given here so shares can point back."""
    students, personas = people["students"], people["personas"]
    start = db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(Post.id), 0))) + 1
    span = timedelta(days=180).total_seconds()
    posts, tags = [], []
    for n in range(count):
        post_id = start + n
        author = rng.choice(personas) if rng.random() < 0.08 else rng.choice(students)
        roll = rng.random()
        row: dict[str, Any] = {
            "id": post_id, "author_id": author, "body": f"Publication n°{n} du banc d'essai",
            "audience": Audience.NETWORK.value, "group_id": None, "contact_list_id": None,
            "image_path": None, "shared_post_id": None, "edited_at": None, "deleted_at": None,
            "created_at": NOW - timedelta(seconds=span * (count - n) / count),
        }
        if author in network["memberships"] and roll < 0.10:
            row["audience"] = Audience.GROUP.value
            row["group_id"] = rng.choice(network["memberships"][author])
        elif author in network["lists"] and roll < 0.15:
            row["audience"] = Audience.LIST.value
            row["contact_list_id"] = network["lists"][author]
        elif roll < 0.30:
            row["audience"] = Audience.CONNECTIONS.value
        if n > 100 and rng.random() < 0.05:
            row["shared_post_id"] = start + rng.randrange(n)
            row["body"] = "À lire"
        if rng.random() < 0.01:
            row["deleted_at"] = row["created_at"]
        if rng.random() < 0.35:
            for tag in {*rng.sample(TAGS, rng.choice((1, 1, 2)))}:
                tags.append({"post_id": post_id, "tag": tag})
                row["body"] += f" #{tag}"
        posts.append(row)
    insert(Post, posts)
    insert(PostHashtag, tags)
    if db.engine.dialect.name == "postgresql":  # explicit ids: move the sequence past them
        db.session.execute(sa.text(
            "SELECT setval(pg_get_serial_sequence('posts', 'id'), (SELECT max(id) FROM posts))"))


def build_school(students: int, connections: int, posts: int, seed: int = 11) -> dict[str, Any]:
    """Everything in one transaction; then fresh statistics, as a periodic ANALYZE gives."""
    rng = random.Random(seed)
    people = _people(students, rng)
    network = _network(people, connections, rng)
    _posts(people, network, posts, rng)
    db.session.commit()
    with db.engine.begin() as connection:
        connection.execute(sa.text("ANALYZE"))
    return {**people, **network}


def load_school() -> dict[str, Any]:
    """The ids `build_school` returns, read back from a database it seeded earlier."""
    def ids(role: Role) -> list[int]:
        return list(db.session.scalars(sa.select(User.id).where(User.role == role)
                                       .order_by(User.id)))

    memberships: dict[int, list[int]] = {}
    for user_id, group_id in db.session.execute(
        sa.select(GroupMembership.user_id, GroupMembership.group_id)
        .where(GroupMembership.status == MembershipStatus.ACTIVE)
        .order_by(GroupMembership.user_id, GroupMembership.group_id)
    ):
        memberships.setdefault(user_id, []).append(group_id)
    return {"students": ids(Role.STUDENT), "teachers": ids(Role.TEACHER),
            "personas": ids(Role.PERSONA), "memberships": memberships}


def counts() -> dict[str, int]:
    """How many rows of the main tables: what was seeded."""
    return {name: db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0
            for name, model in (("users", User), ("connections", Connection), ("posts", Post),
                                ("hashtags", PostHashtag), ("memberships", GroupMembership))}
