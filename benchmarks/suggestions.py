"""How fast are "people you may know" suggestions at school scale?

Builds a throwaway school (2,000 students in one school-wide network, 50 connections each,
hashtags and skills from a small vocabulary, 40 personas), then times `suggestions_for` for a
sample of students and counts its SQL queries. Uses a temporary SQLite file unless DATABASE_URL
points at an empty PostgreSQL database.

    .venv/bin/python benchmarks/suggestions.py [--students 2000] [--connections 50] [--samples 200]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from sandbox import create_app
from sandbox.accounts.models import Role, User
from sandbox.classes.models import NetworkScope, SchoolClass
from sandbox.companies.models import Company, Sector
from sandbox.core.resources import resource_dir
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.network.models import Connection
from sandbox.network.suggestions import suggestions_for
from sandbox.personas.models import Persona, PersonaKind
from sandbox.profiles.models import Profile, ProfileHashtag, ProfileSkill

NOW = utcnow()
TAGS = [f"tag{n}" for n in range(60)]
SKILLS = [f"Compétence {n}" for n in range(80)]


def build_school(students: int, connections: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    classes = [SchoolClass(name=f"Classe {n}", join_code=f"BENCH-{n:04d}",
                           network_scope=NetworkScope.SCHOOL) for n in range(students // 35 + 1)]
    db.session.add_all(classes)
    company = Company(slug="bench", name="Bench SA", sector=Sector.LOGISTICS, city="Lyon")
    db.session.add(company)
    db.session.flush()
    users = [{"username": f"s{n}", "role": Role.STUDENT.value, "first_name": f"Élève{n}",
              "last_name": f"Nom{n}", "class_id": classes[n // 35].id, "session_token": "x" * 32,
              "password_hash": "x", "is_disabled": False, "must_change_password": False,
              "created_at": NOW} for n in range(students)]
    users += [{"username": f"p{n}", "role": Role.PERSONA.value, "first_name": "Pro",
               "last_name": f"Persona{n}", "class_id": None, "session_token": "x" * 32,
               "password_hash": None, "is_disabled": False, "must_change_password": False,
               "created_at": NOW} for n in range(40)]
    db.session.execute(sa.insert(User), users)
    ids = list(db.session.scalars(sa.select(User.id).order_by(User.id)))
    student_ids, persona_ids = ids[:students], ids[students:]
    db.session.execute(sa.insert(Profile), [
        {"user_id": i, "visibility": {}, "photo_checklist": {}} for i in ids])
    db.session.execute(sa.insert(Persona), [
        {"user_id": i, "company_id": company.id, "kind": PersonaKind.RECRUITER.value,
         "job_title": "Recruteur"} for i in persona_ids])
    db.session.execute(sa.insert(ProfileHashtag), [
        {"profile_id": i, "tag": tag} for i in ids for tag in rng.sample(TAGS, 3)])
    db.session.execute(sa.insert(ProfileSkill), [
        {"profile_id": i, "name": skill, "position": p} for i in ids
        for p, skill in enumerate(rng.sample(SKILLS, 5))])
    pairs: set[tuple[int, int]] = set()
    target = students * connections // 2
    while len(pairs) < target:
        a, b = rng.sample(student_ids, 2)
        pairs.add((min(a, b), max(a, b)))
    rows = [{"user_id": a, "contact_id": b, "created_at": NOW} for a, b in pairs]
    rows += [{"user_id": b, "contact_id": a, "created_at": NOW} for a, b in pairs]
    for start in range(0, len(rows), 20_000):
        db.session.execute(sa.insert(Connection), rows[start:start + 20_000])
    db.session.commit()
    # Fresh statistics, as autovacuum (PostgreSQL) or a periodic ANALYZE (SQLite) would give.
    with db.engine.begin() as connection:
        connection.execute(sa.text("ANALYZE"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        app = create_app({"INSTANCE_PATH": Path(folder), "SECRET_KEY": "bench",
                          "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade(directory=str(resource_dir("migrations")))
            started = time.perf_counter()
            build_school(args.students, args.connections)
            print(f"school built in {time.perf_counter() - started:.1f} s "
                  f"({db.engine.dialect.name}, {args.students} students, "
                  f"{args.connections} connections each)")
            sample = random.Random(1).sample(
                list(db.session.scalars(sa.select(User).where(User.role == Role.STUDENT))),
                args.samples,
            )
            queries: list[int] = []

            def count(*_args: object) -> None:
                queries[-1] += 1

            sa.event.listen(db.engine, "before_cursor_execute", count)
            timings = []
            for student in sample:
                queries.append(0)
                started = time.perf_counter()
                found = suggestions_for(student)
                timings.append((time.perf_counter() - started) * 1000)
                assert found, "every student should get suggestions here"
            sa.event.remove(db.engine, "before_cursor_execute", count)
            timings.sort()
            p95 = timings[int(len(timings) * 0.95) - 1]
            print(f"suggestions_for: p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
                  f"max {timings[-1]:.1f} ms over {len(timings)} students; "
                  f"queries per call: {min(queries)}–{max(queries)}")


if __name__ == "__main__":
    main()
