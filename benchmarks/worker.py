"""How fast does the worker carry out 10,000 due actions, and does it carry each out once?

Seeds the fictional network (the real seed: companies, offers, 51 personas with their
behaviour), 200 students in 5 classes (half of them with a filled profile), then the causes of
the personas' reactions and their scheduled actions, through the features' own scheduling
functions, in the mix `MIX` (kind, count): invitations to personas (`persona_answer_invitation`),
messages to connected personas (`persona_reply`), posts to like (`persona_like`), applications
to review (`application_review`). Everything is then made due at once, and the worker carries
it out: in this process (`Worker`'s own claim → run loop, timed batch by batch), or with
`--processes 2` in two real `sandbox worker` processes started beforehand (timed from the
moment the actions fall due until the last is done).

Checks afterwards: every seeded action done (or cancelled by its handler as obsolete), none
failed or waiting, each claimed exactly once (attempts = 1), and each one's effect written
once (one answer event per invitation, at most one persona reply per conversation, one like
per post, one "seen" step per application).

Uses a temporary SQLite file, or the empty database given by --database-url (PostgreSQL).

    .venv/bin/python benchmarks/worker.py [--batch 200] [--processes 2] [--scale 1.0]
        [--database-url postgresql+psycopg://…] [--profile] [--no-preloads] [--only KIND]

It also times a fixed Python loop before and after the run ("machine probe"): on a shared host
the machine's speed changes from minute to minute, and the figures with it.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from sandbox import create_app
from sandbox.accounts.models import Role, User
from sandbox.activity.models import ActivityEvent
from sandbox.classes.models import SchoolClass
from sandbox.companies.models import JobOffer
from sandbox.core.resources import resource_dir
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.jobs.models import Application, ApplicationStatus
from sandbox.messages.models import Message
from sandbox.network.models import Invitation
from sandbox.network.services import connect
from sandbox.personas.handlers import import_all
from sandbox.personas.models import ActionStatus, Persona, ScheduledAction
from sandbox.notifications.models import Notification
from sandbox.notifications.services import notify
from sandbox.personas.scheduler import (
    HANDLERS,
    PRELOADERS,
    action_handler,
    claim_due,
    run_batch,
    schedule,
)
from sandbox.personas.worker import Worker
from sandbox.posts.models import Audience, Post, PostLike
from sandbox.profiles.models import Profile
from sandbox.seeding.files import read_network_seed
from sandbox.seeding.loader import seed_network

CHECKOUT = Path(__file__).resolve().parents[1]
SEEDED: list[int] = []  # the last seeded action's id: later ones are the handlers' follow-ups
CLASSES, STUDENTS_PER_CLASS = 5, 40
LATER = timedelta(days=30)  # seeded actions wait until the run makes them due

INVITATION_TEXTS = [
    "",
    "Bonjour, je souhaite rejoindre votre réseau.",
    "Bonjour {first}, j’ai lu votre parcours chez {company} : pourrais-je vous poser deux "
    "questions sur vos métiers ? Merci, {me}",
    "Bonjour {first}, étudiant en BTS, je m’intéresse à {company} et à l’export. Au plaisir "
    "d’échanger, {me}",
]
MESSAGE_TEXTS = [
    "Bonjour {first}, merci d’avoir accepté. Auriez-vous un conseil pour mon stage ?",
    "Bonjour, connaissez-vous quelqu’un au service export de {company} ?",
    "Bonjour {first}, serait-il possible de vous rencontrer pour un café ? Merci !",
    "Merci pour votre réponse, bonne journée.",
]
POST_TEXTS = [
    "Première semaine de stage terminée : beaucoup appris sur la logistique #stage",
    "Je cherche une alternance en commerce international à partir de septembre #i4emploi",
    "Retour sur la conférence sur l’export en Allemagne, merci à tous les intervenants #export",
]
LETTER = ("Madame, Monsieur, étudiant en BTS Commerce international, je souhaite rejoindre "
          "votre équipe pour ce stage. Mon expérience de vendeur et mon anglais courant "
          "m’ont préparé à vos missions. Je reste à votre disposition pour un entretien.")


@dataclass
class Part:
    """A kind of action in the mix: how to seed `count` of them, and how to count effects."""

    kind: str
    count: int
    seed: Callable[[dict[str, Any], int], None]
    # Given the ids of its done actions: (effects written, duplicates found).
    effects: Callable[[list[int]], tuple[int, int]]


def _students_and_personas() -> dict[str, Any]:
    personas = db.session.scalars(sa.select(User).join(Persona, Persona.user_id == User.id)
                                  .order_by(User.id)).all()
    students = []
    for number in range(CLASSES):
        klass = SchoolClass(name=f"BTS bench {number}", join_code=f"BENCH{number:04d}")
        db.session.add(klass)
        db.session.flush()
        for n in range(STUDENTS_PER_CLASS):
            student = User(username=f"bench.{number}.{n}", role=Role.STUDENT,
                           first_name=f"Élève{n}", last_name=f"Classe{number}",
                           class_id=klass.id, password_hash="!")
            student.profile = Profile()
            if n % 2:
                student.profile.headline = "Étudiant en BTS Commerce international"
                student.profile.about = "Curieux, rigoureux, je cherche un stage à l’export."
                student.profile.city = "Lyon"
            db.session.add(student)
            students.append(student)
    db.session.flush()
    offers = db.session.scalars(sa.select(JobOffer).order_by(JobOffer.id)).all()
    return {"students": students, "personas": personas, "offers": offers}


def _text(template: str, persona: User, student: User) -> str:
    assert persona.persona is not None
    return template.format(first=persona.first_name, company=persona.persona.company.name,
                           me=student.first_name)


def seed_invitations(ctx: dict[str, Any], count: int) -> None:
    from sandbox.personas.triggers import schedule_invitation_answer

    students, personas = ctx["students"], ctx["personas"]
    for n in range(count):
        student = students[n % len(students)]
        persona = personas[(n // len(students)) % len(personas)]
        invitation = Invitation(sender_id=student.id, recipient_id=persona.id,
                                message=_text(INVITATION_TEXTS[n % 4], persona, student))
        db.session.add(invitation)
        db.session.flush()
        schedule_invitation_answer(invitation.id, student, persona)


def invitation_effects(action_ids: list[int]) -> tuple[int, int]:
    answered = _counts(sa.select(ActivityEvent.subject_id, sa.func.count())
                       .where(ActivityEvent.subject_type == "Invitation",
                              ActivityEvent.kind.like("invitation_%"))
                       .group_by(ActivityEvent.subject_id))
    return len(answered), sum(1 for count in answered.values() if count > 1)


def seed_messages(ctx: dict[str, Any], count: int) -> None:
    from sandbox.messages.services import write_message
    from sandbox.personas.triggers import schedule_reply

    students, personas = ctx["students"], ctx["personas"]
    # Other personas than the invited ones: these are already contacts.
    offset = len(personas) // 2
    for n in range(count):
        student = students[n % len(students)]
        persona = personas[(offset + n // len(students)) % len(personas)]
        connect(student, persona)
        message = write_message(student, persona, _text(MESSAGE_TEXTS[n % 4], persona, student))
        schedule_reply(message, student, persona)


def reply_effects(action_ids: list[int]) -> tuple[int, int]:
    replies = _counts(sa.select(Message.conversation_id, sa.func.count())
                      .join(Persona, Persona.user_id == Message.sender_id)
                      .group_by(Message.conversation_id))
    return sum(replies.values()), sum(1 for count in replies.values() if count > 1)


def seed_likes(ctx: dict[str, Any], count: int) -> None:
    students, personas = ctx["students"], ctx["personas"]
    for n in range(count):
        student = students[n % len(students)]
        persona = personas[(n * 7) % len(personas)]
        post = Post(author_id=student.id, body=POST_TEXTS[n % 3], audience=Audience.NETWORK)
        db.session.add(post)
        db.session.flush()
        # What personas.social schedules when a post concerns a persona
        schedule("persona_like", utcnow() + LATER, payload={"post_id": post.id},
                 dedupe_key=f"persona_like:{persona.id}:{post.id}", persona_id=persona.id,
                 student_id=student.id)


def like_effects(action_ids: list[int]) -> tuple[int, int]:
    likes = _counts(sa.select(PostLike.post_id, sa.func.count())
                    .join(Persona, Persona.user_id == PostLike.user_id)
                    .group_by(PostLike.post_id))
    return sum(likes.values()), sum(1 for count in likes.values() if count > 1)


def seed_applications(ctx: dict[str, Any], count: int) -> None:
    from sandbox.jobs.processing import plan_step, reviewer_for

    students, offers = ctx["students"], ctx["offers"]
    reviewers = {offer.id: reviewer_for(offer, None) for offer in offers}
    for n in range(count):
        student = students[n % len(students)]
        offer = offers[(n // len(students)) % len(offers)]
        application = Application(offer_id=offer.id, student_id=student.id, cover_letter=LETTER,
                                  status=ApplicationStatus.SENT)
        db.session.add(application)
        db.session.flush()
        plan_step(application, reviewers[offer.id], "review")


def application_effects(action_ids: list[int]) -> tuple[int, int]:
    seen = _counts(sa.select(ActivityEvent.subject_id, sa.func.count())
                   .where(ActivityEvent.subject_type == "Application",
                          ActivityEvent.kind == "application_processed")
                   .group_by(ActivityEvent.subject_id))
    return len(seen), sum(1 for count in seen.values() if count > 1)


def _counts(query: sa.Select) -> dict[int, int]:
    return dict(db.session.execute(query).all())  # type: ignore[arg-type]


# The mix: fill with every real handler there is (the kinds must be registered by
# `sandbox.personas.handlers.import_all`, or imported below).
MIX = [
    Part("persona_answer_invitation", 3000, seed_invitations, invitation_effects),
    Part("persona_reply", 3000, seed_messages, reply_effects),
    Part("persona_like", 2000, seed_likes, like_effects),
    Part("application_review", 2000, seed_applications, application_effects),
]
HANDLER_MODULES = ("sandbox.personas.invitation_reactions", "sandbox.personas.replies",
                   "sandbox.personas.social", "sandbox.jobs.processing")


@action_handler("bench_notify")
def bench_notify(action: ScheduledAction) -> None:
    """The baseline: what the scheduler itself costs around a handler that writes one row."""
    notify(action.payload["user_id"], "bench_notify", subject=action)


def seed_baseline(ctx: dict[str, Any], count: int) -> None:
    students = ctx["students"]
    for n in range(count):
        schedule("bench_notify", utcnow() + LATER,
                 payload={"user_id": students[n % len(students)].id})


def baseline_effects(action_ids: list[int]) -> tuple[int, int]:
    notes = _counts(sa.select(Notification.subject_id, sa.func.count())
                    .where(Notification.kind == "bench_notify")
                    .group_by(Notification.subject_id))
    return sum(notes.values()), sum(1 for count in notes.values() if count > 1)


BASELINE = [Part("bench_notify", 10_000, seed_baseline, baseline_effects)]


def time_each_kind() -> dict[str, list[tuple[float, int]]]:
    """Wrap every handler to time it, its writes flushed included, and count its SQL
    statements (per kind: seconds and statements of each action)."""
    spent: dict[str, list[tuple[float, int]]] = {}
    statements = [0]

    @sa.event.listens_for(sa.engine.Engine, "before_cursor_execute")
    def count(*_args: Any) -> None:
        statements[0] += 1

    for kind, handler in list(HANDLERS.items()):
        def timed(action: ScheduledAction, handler=handler, kind=kind) -> None:  # type: ignore[no-untyped-def]
            started, before = time.perf_counter(), statements[0]
            try:
                handler(action)
                db.session.flush()
            finally:
                spent.setdefault(kind, []).append(
                    (time.perf_counter() - started, statements[0] - before))
        HANDLERS[kind] = timed
    return spent


def build(app: Flask, scale: float) -> dict[str, int]:
    """Seed the network, the students and the mix; returns how many actions of each kind (the
    handlers may schedule more, for later: those are not counted)."""
    with app.app_context():
        upgrade(directory=str(resource_dir("migrations")))
        seed_network(read_network_seed())
        ctx = _students_and_personas()
        for part in MIX:
            started = time.perf_counter()
            part.seed(ctx, int(part.count * scale))
            db.session.commit()
            print(f"seeded {int(part.count * scale)} {part.kind} in "
                  f"{time.perf_counter() - started:.1f} s", flush=True)
        counts = dict(db.session.execute(
            sa.select(ScheduledAction.kind, sa.func.count()).group_by(ScheduledAction.kind)
        ).all())
        SEEDED.append(db.session.scalar(sa.select(sa.func.max(ScheduledAction.id))) or 0)
        # Nothing falls due before the run makes it all due at once (the features' delays,
        # divided by the classes' time compression, are seconds to minutes).
        db.session.execute(sa.update(ScheduledAction)
                           .where(ScheduledAction.status == ActionStatus.PENDING)
                           .values(run_at=utcnow() + LATER))
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
    return counts  # type: ignore[return-value]


def make_due(app: Flask) -> tuple[int, datetime]:
    """Every seeded action due now (what the handlers schedule meanwhile comes later)."""
    now = utcnow()
    with app.app_context():
        count = db.session.execute(
            sa.update(ScheduledAction).where(ScheduledAction.status == ActionStatus.PENDING,
                                             ScheduledAction.id <= SEEDED[0])
            .values(run_at=now)).rowcount
        db.session.commit()
    return count, now


def run_in_process(app: Flask, batch: int, profile: bool, due_at: datetime) -> list[float]:
    """Claim → run, batch after batch, until nothing is due; returns each batch's seconds."""
    worker = Worker(app, worker_id="bench:in-process", batch=batch)
    timings = []
    profiler = cProfile.Profile() if profile else None
    while True:
        started = time.perf_counter()
        with app.app_context():
            if profiler:
                profiler.enable()
            claimed = claim_due(worker.worker_id, batch, due_at, kinds=worker.kinds)
            if claimed:
                run_batch(claimed, worker.worker_id, pause_gc=True)  # as `sandbox worker`
            if profiler:
                profiler.disable()
        if not claimed:
            break
        timings.append(time.perf_counter() - started)
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    return timings


def run_in_processes(app: Flask, url: str, processes: int, batch: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="tremplin-worker-bench-"))
    env = {**os.environ, "DATABASE_URL": url, "SANDBOX_INSTANCE_PATH": str(folder)}
    started = []
    for number in range(processes):
        log = (folder / f"worker{number}.log").open("wb")
        command = [sys.executable, "-m", "sandbox", "worker", "--batch", str(batch),
                   "--interval", "0.05", "--worker-id", f"bench:{number}"]
        # This file too (as `benchmarks.worker`, run from the checkout): the baseline's handler.
        for module in (*HANDLER_MODULES, "benchmarks.worker"):
            command += ["--import", module]
        started.append((subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                         cwd=CHECKOUT), folder / f"worker{number}.log"))
    try:
        for _process, log_path in started:
            while "bench:" not in log_path.read_text():
                time.sleep(0.1)
        print(f"{processes} worker processes ready", flush=True)
        due, _now = make_due(app)
        began = time.perf_counter()
        with app.app_context():
            while db.session.scalar(sa.select(sa.func.count()).select_from(ScheduledAction)
                                    .where(ScheduledAction.status.in_(
                                        (ActionStatus.PENDING, ActionStatus.RUNNING)),
                                        ScheduledAction.id <= SEEDED[0])):
                db.session.rollback()
                time.sleep(0.05)
        elapsed = time.perf_counter() - began
        print(f"{due} actions due → all carried out in {elapsed:.2f} s "
              f"({due / elapsed:,.0f} actions/s) by {processes} processes")
        # Each batch's line in the workers' logs: "… 200 in 0,09 s — …"
        batches = sorted(float(seconds.replace(",", ".")) for _process, log_path in started
                         for seconds in re.findall(r" (\d+[.,]\d\d) s ", log_path.read_text()))
        if batches:
            print(f"  {len(batches)} batches; per batch p50 {batches[len(batches) // 2]:.3f} s, "
                  f"p95 {batches[max(0, int(len(batches) * 0.95) - 1)]:.3f} s, "
                  f"max {batches[-1]:.3f} s")
    finally:
        for process, _log in started:
            process.terminate()
            process.wait(timeout=30)


def machine_probe() -> float:
    """Seconds for a fixed pure-Python loop: how fast the machine is right now (on this shared
    host the same loop took from 0.10 to 0.20 s within minutes, and every figure with it)."""
    started = time.perf_counter()
    total = 0
    for number in range(5_000_000):
        total += number
    return time.perf_counter() - started


def check(app: Flask, seeded: dict[str, int]) -> bool:
    """Every seeded action done once (or cancelled as obsolete), each effect written once."""
    ok = True
    with app.app_context():
        rows = db.session.execute(
            sa.select(ScheduledAction.kind, ScheduledAction.status, ScheduledAction.attempts,
                      sa.func.count())
            .where(ScheduledAction.kind.in_(seeded), ScheduledAction.id <= SEEDED[0])
            .group_by(ScheduledAction.kind, ScheduledAction.status, ScheduledAction.attempts)
        ).all()
        for part in MIX:
            mine = [row for row in rows if row.kind == part.kind]
            outcome = {f"{row.status.value} (attempts {row.attempts})": row[3] for row in mine}
            done_ids = list(db.session.scalars(sa.select(ScheduledAction.id).where(
                ScheduledAction.kind == part.kind, ScheduledAction.id <= SEEDED[0],
                ScheduledAction.status == ActionStatus.DONE)))
            effects, duplicates = part.effects(done_ids)
            print(f"  {part.kind}: {outcome}; effects {effects}, duplicates {duplicates}")
            bad = [row for row in mine if row.attempts != 1 or row.status not in
                   (ActionStatus.DONE, ActionStatus.CANCELLED)]
            ok = ok and not bad and not duplicates
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="an empty database (default: a temporary "
                                               "SQLite file)")
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--processes", type=int, default=0,
                        help="run N `sandbox worker` processes instead of this one")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the mix's counts")
    parser.add_argument("--profile", action="store_true", help="cProfile the in-process run")
    parser.add_argument("--no-preloads", action="store_true",
                        help="without the handlers' preloaders (what they save, per kind)")
    parser.add_argument("--only", action="append", metavar="KIND",
                        help="keep only this kind of the mix (repeatable)")
    parser.add_argument("--baseline", action="store_true",
                        help="instead of the real mix, 10,000 actions of a handler that writes "
                             "one notification: what the scheduler itself costs")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tremplin-worker-bench-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": folder,
                      "SECRET_KEY": "benchmark", "SOCKETIO_MESSAGE_QUEUE": None})
    import_all(HANDLER_MODULES)
    if args.baseline:
        MIX[:] = BASELINE
    if args.no_preloads:
        PRELOADERS.clear()
    if args.only:
        MIX[:] = [part for part in MIX if part.kind in args.only]
    missing = [part.kind for part in MIX if part.kind not in HANDLERS]
    if missing:
        sys.exit(f"no handler registered for {missing}")
    seeded = build(app, args.scale)
    print(f"scheduled: {seeded}", flush=True)
    before = machine_probe()
    if args.processes:
        run_in_processes(app, url, args.processes, args.batch)
    else:
        spent = time_each_kind()
        Worker(app).warm_up()  # as `sandbox worker` does before its first batch
        due, due_at = make_due(app)
        cpu = time.process_time()
        timings = run_in_process(app, args.batch, args.profile, due_at)
        cpu = time.process_time() - cpu
        total = sum(timings)
        ordered = sorted(timings)
        print(f"{due} actions due → {len(timings)} batches of {args.batch}: total {total:.2f} s "
              f"(CPU {cpu:.2f} s), {due / total:,.0f} actions/s; per batch p50 "
              f"{ordered[len(ordered) // 2]:.3f} s, p95 "
              f"{ordered[max(0, int(len(ordered) * 0.95) - 1)]:.3f} s, max {ordered[-1]:.3f} s")
        handlers_total = sum(seconds for values in spent.values() for seconds, _n in values)
        print(f"in the handlers (their writes flushed): {handlers_total:.2f} s; the scheduler "
              f"around them: {total - handlers_total:.2f} s")
        for kind, values in sorted(spent.items()):
            times = sorted(seconds for seconds, _n in values)
            queries = sum(n for _seconds, n in values) / len(values)
            print(f"  {kind}: {len(times)} actions, mean {1000 * sum(times) / len(times):.1f} ms,"
                  f" p50 {1000 * times[len(times) // 2]:.1f} ms, p95 "
                  f"{1000 * times[max(0, int(len(times) * 0.95) - 1)]:.1f} ms, "
                  f"{queries:.1f} SQL statements each")
    print(f"machine probe: {before:.3f} s before, {machine_probe():.3f} s after (the same "
          f"Python loop; this host's speed varies with its neighbours)")
    ok = check(app, seeded)
    print("check: every action once, no duplicate effect" if ok else "CHECK FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
