"""Soak and faults: simulated students for minutes on PostgreSQL, two app processes, two workers.

Seeds an empty PostgreSQL database (--database-url): the fictional companies and professionals
(`sandbox seed`) and 200 students in 6 classes of a school-wide network, each connected to
their classmates, the classes in one group. Starts, all on 127.0.0.1: a throwaway Redis, two
gunicorn processes configured by deploy/gunicorn.conf.py (sharing Redis for live events and
rate limits) and two `sandbox worker` processes. Then each student, in a thread of this
process, logs in through the login form and, after 2 to 8 s of "thinking" each time, does one
thing: read the home feed, a profile, the group, the notifications; post; comment; like;
invite a professional; write to a classmate or a professional. Requests alternate between the
two processes, as nginx's `least_conn` would spread them.

1. Soak (--minutes, 5 by default): no fault. Target: no 5xx answer.
2. Faults (--fault-minutes, 3 by default), the same load while, in turn: app process 1 is
   restarted (SIGTERM, started again), worker 1 is killed (SIGKILL) and started again, Redis
   is stopped for 30 s, and PostgreSQL is stopped for --db-outage seconds (with --pg-data:
   the data folder of a server this script may stop and start with pg_ctl). Target: failures
   only while a piece is down, each a readable page (the outage page, 503), and none in the
   last 30 s: service resumes by itself.

Afterwards, whatever the phase: every write the app acknowledged (a post, a comment, a message,
each carrying a unique mark) is in the database exactly once, and no professional did anything
twice (answered an invitation twice, sent the same reply twice, notified twice).

    .venv/bin/python benchmarks/soak.py --database-url postgresql+psycopg://…/empty_db
        [--students 200] [--minutes 5] [--fault-minutes 3] [--pg-data /path/to/data]
        [--db-outage 8]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa
from flask_migrate import upgrade
from loopback import free_port

from sandbox import create_app
from sandbox.accounts.models import Role, User
from sandbox.accounts.services import build_user
from sandbox.activity.models import ActivityEvent
from sandbox.classes.models import NetworkScope, SchoolClass
from sandbox.core.resources import resource_dir
from sandbox.extensions import db
from sandbox.groups.models import Group, GroupMembership
from sandbox.messages.models import Message
from sandbox.network.models import Connection
from sandbox.notifications.models import Notification
from sandbox.personas.models import Persona
from sandbox.posts.models import Comment, Post

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "soak-password-42"
FAST_HASH = "pbkdf2:sha256:1000"  # logins are not what is measured
SECRET = "soak-" + uuid.uuid4().hex
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')
CLASSES = 6
THINK = (2.0, 8.0)
ACTIONS = (  # (name, weight)
    ("home", 30), ("profile", 10), ("group", 10), ("notifications", 5), ("post", 10),
    ("comment", 10), ("like", 10), ("invite", 5), ("message", 10),
)
POST_TEXTS = (
    "Point d’étape sur ma recherche de stage en logistique, merci pour vos conseils #{mark}",
    "Je prépare mon rapport de stage et je cherche des exemples de fiches métier #{mark}",
    "Belle visite de l’entrepôt ce matin avec la classe, très instructif #{mark}",
)
COMMENT_TEXT = "Merci pour ce partage, c’est très utile pour notre projet #{mark}"
MESSAGE_TEXT = ("Bonjour, je suis étudiant en BTS et j’aimerais avoir vos conseils pour "
                "ma recherche de stage #{mark}")
INVITATION_TEXT = ("Bonjour, je suis étudiant en BTS et votre parcours m’intéresse "
                   "beaucoup pour mon projet professionnel.")


# --- the school ----------------------------------------------------------------------------


def seed(url: str, folder: Path, students: int) -> dict[str, Any]:
    app = create_app({"INSTANCE_PATH": folder / "setup", "SQLALCHEMY_DATABASE_URI": url,
                      "SECRET_KEY": SECRET, "PASSWORD_HASH_METHOD": FAST_HASH,
                      "SOCKETIO_MESSAGE_QUEUE": None})
    with app.app_context():
        reflected = sa.MetaData()
        reflected.reflect(db.engine)
        reflected.drop_all(db.engine)
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        upgrade(directory=str(resource_dir("migrations")))
        result = subprocess.run([sys.executable, "-m", "sandbox", "seed"], cwd=ROOT,
                                env={**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET,
                                     "SANDBOX_INSTANCE_PATH": str(folder / "setup")},
                                capture_output=True, text=True)
        if result.returncode:
            raise SystemExit(result.stdout + result.stderr)
        classes = []
        for number in range(CLASSES):
            # The fastest time compression a teacher may choose: the professionals answer
            # within the run (an hour's delay becomes 6 s).
            klass = SchoolClass(name=f"BTS soak {number}", join_code=f"SOAK-{number:04d}",
                                network_scope=NetworkScope.SCHOOL, persona_time_compression=600)
            db.session.add(klass)
            classes.append(klass)
        db.session.flush()
        people = [build_user(username=f"soak.{n}", role=Role.STUDENT, first_name=f"Élève{n}",
                             last_name=f"Soak{n % CLASSES}", password=PASSWORD,
                             class_id=classes[n % CLASSES].id) for n in range(students)]
        db.session.flush()
        group = Group(slug="soak-atelier", name="Atelier réseau", description="")
        db.session.add(group)
        db.session.flush()
        db.session.add_all(GroupMembership(group_id=group.id, user_id=user.id)
                           for user in people)
        by_class: dict[int, list[User]] = defaultdict(list)
        for user in people:
            by_class[user.class_id].append(user)
        db.session.add_all(Connection(user_id=a.id, contact_id=b.id)
                           for mates in by_class.values() for a in mates for b in mates
                           if a.id != b.id)
        # Two professionals in each student's network: they may write to them.
        personas = list(db.session.scalars(sa.select(Persona.user_id).order_by(Persona.user_id)))
        contacts = {user.id: [personas[n % len(personas)], personas[(n + 7) % len(personas)]]
                    for n, user in enumerate(people)}
        db.session.add_all(Connection(user_id=a, contact_id=b)
                           for student, pros in contacts.items() for pro in pros
                           for a, b in ((student, pro), (pro, student)))
        db.session.commit()
        school = {
            "students": [(user.username, user.id, user.class_id) for user in people],
            "mates": {cid: [user.id for user in mates] for cid, mates in by_class.items()},
            "personas": personas, "contacts": contacts, "group": group.slug,
        }
        db.session.remove()
        db.engine.dispose()
    return school


# --- the processes -------------------------------------------------------------------------


@dataclass
class Piece:
    """A process this script started, and how to start it again."""

    name: str
    command: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = None

    def start(self) -> None:
        output = self.log.open("ab")
        self.process = subprocess.Popen(self.command, env=self.env, cwd=ROOT, stdout=output,
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def stop(self, sig: int = signal.SIGTERM, wait: float = 30) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def wait_for_port(port: int, seconds: float = 60, path: str | None = "/healthz") -> None:
    """Until the port answers (an HTTP 200 on `path`, when given)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if path is None:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return
            if requests.get(f"http://127.0.0.1:{port}{path}", timeout=5).status_code == 200:
                return
        except (OSError, requests.RequestException):
            pass
        time.sleep(0.1)
    raise SystemExit(f"nothing answers on {port}")


class Postgres:
    """The PostgreSQL server of --pg-data, stopped and started again for the outage."""

    def __init__(self, data: Path) -> None:
        self.data = data
        words = shlex.split((data / "postmaster.opts").read_text())
        self.ctl = str(Path(words[0]).with_name("pg_ctl"))
        self.options = " ".join(shlex.quote(w) for w in words[1:]
                                if w not in {"-D", str(data)})
        self.owner = data.stat().st_uid

    def _run(self, *args: str) -> None:
        command = [self.ctl, "-D", str(self.data), *args]
        if os.getuid() == 0 and self.owner != 0:
            import pwd
            command = ["runuser", "-u", pwd.getpwuid(self.owner).pw_name, "--", *command]
        subprocess.run(command, check=True, capture_output=True)

    def stop(self) -> None:
        self._run("-m", "fast", "-w", "stop")

    def start(self) -> None:
        self._run("-o", self.options, "-l", str(self.data.parent / "soak-restart.log"), "-w",
                  "start")


# --- the students --------------------------------------------------------------------------


@dataclass
class Tally:
    """Every answer, by phase; the writes acknowledged, by their mark."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    phase: str = "soak"
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: list[tuple[float, str, str, int, str]] = field(default_factory=list)
    acknowledged: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def record(self, action: str, status: int, seconds: float, detail: str = "") -> None:
        with self.lock:
            self.statuses[self.phase][status // 100 * 100 if status else 0] += 1
            self.latencies[f"{self.phase} {action}"].append(seconds * 1000)
            if status == 0 or status >= 500:
                self.failures.append((time.monotonic(), self.phase, action, status, detail))

    def acknowledge(self, kind: str, mark: str) -> None:
        with self.lock:
            self.acknowledged[kind].add(mark)


class Student(threading.Thread):
    def __init__(self, username: str, user_id: int, class_id: int, school: dict[str, Any],
                 bases: list[str], tally: Tally, stop: threading.Event, seed: int) -> None:
        super().__init__(daemon=True)
        self.username, self.user_id, self.class_id = username, user_id, class_id
        self.school, self.bases, self.tally, self.stop_event = school, bases, tally, stop
        self.rng = random.Random(seed)
        self.session = requests.Session()
        self.turn = seed
        self.token = ""
        self.seen_posts: list[int] = []

    def base(self) -> str:
        self.turn += 1
        return self.bases[self.turn % len(self.bases)]

    def request(self, action: str, method: str, path: str, **kwargs: Any) -> requests.Response | None:
        started = time.perf_counter()
        try:
            answer = self.session.request(method, self.base() + path, timeout=30,
                                          allow_redirects=False, **kwargs)
        except requests.RequestException as error:
            self.tally.record(action, 0, time.perf_counter() - started, type(error).__name__)
            return None
        detail = ""
        if answer.status_code >= 500:
            detail = "readable" if "<h1>" in answer.text or answer.headers.get(
                "Content-Type", "").startswith("application/json") else answer.text[:80]
        self.tally.record(action, answer.status_code, time.perf_counter() - started, detail)
        return answer

    def log_in(self) -> bool:
        page = self.request("login", "GET", "/login")
        if page is None or page.status_code != 200:
            return False
        token = CSRF.search(page.text)
        answer = self.request("login", "POST", "/login",
                              data={"username": self.username, "password": PASSWORD,
                                    "csrf_token": token.group(1) if token else ""})
        return answer is not None and answer.status_code == 302

    def read(self, action: str, path: str) -> None:
        answer = self.request(action, "GET", path)
        if answer is not None and answer.status_code == 200:
            token = CSRF.search(answer.text)
            if token:
                self.token = token.group(1)
            found = [int(n) for n in re.findall(r'id="post-(\d+)"', answer.text)]
            if found:
                self.seen_posts = found[:20]

    def write(self, action: str, path: str, kind: str | None, data: dict[str, str],
              mark: str, json: bool = False) -> None:
        headers = {"X-CSRFToken": self.token}
        if json:
            headers["Accept"] = "application/json"
        answer = self.request(action, "POST", path, data={**data, "csrf_token": self.token},
                              headers=headers)
        if answer is not None and kind and answer.status_code in (200, 201, 302):
            self.tally.acknowledge(kind, mark)

    def act(self) -> None:
        action = self.rng.choices([a for a, _ in ACTIONS], [w for _, w in ACTIONS])[0]
        mark = "m" + uuid.uuid4().hex[:12]
        mates = [m for m in self.school["mates"][self.class_id] if m != self.user_id]
        persona = self.rng.choice(self.school["personas"])
        if action == "home" or not self.token:
            self.read("home", "/")
        elif action == "profile":
            self.read("profile", f"/people/{self.rng.choice(mates + [persona])}")
        elif action == "group":
            self.read("group", f"/groups/{self.school['group']}")
        elif action == "notifications":
            self.read("notifications", "/notifications/")
        elif action == "post":
            self.write("post", "/posts/", "post",
                       {"body": self.rng.choice(POST_TEXTS).format(mark=mark),
                        "audience": "network"}, mark)
        elif action == "comment" and self.seen_posts:
            post = self.rng.choice(self.seen_posts)
            self.write("comment", f"/posts/{post}/comments", "comment",
                       {"body": COMMENT_TEXT.format(mark=mark)}, mark, json=True)
        elif action == "like" and self.seen_posts:
            self.write("like", f"/posts/{self.rng.choice(self.seen_posts)}/like", None, {},
                       mark, json=True)
        elif action == "invite":
            self.write("invite", f"/network/invite/{persona}", None,
                       {"message": INVITATION_TEXT, "send_anyway": "y"}, mark)
        elif action == "message":
            to = self.rng.choice(mates) if self.rng.random() < 0.6 else \
                self.rng.choice(self.school["contacts"][self.user_id])
            self.write("message", f"/messages/{to}", "message",
                       {"body": MESSAGE_TEXT.format(mark=mark)}, mark, json=True)
        else:
            self.read("home", "/")

    def run(self) -> None:
        time.sleep(self.rng.uniform(0, 10))  # not all at once
        while not self.stop_event.is_set() and not self.log_in():
            time.sleep(2)
        while not self.stop_event.is_set():
            self.act()
            self.stop_event.wait(self.rng.uniform(*THINK))


# --- the checks ----------------------------------------------------------------------------


def check(url: str, folder: Path, tally: Tally) -> bool:
    app = create_app({"INSTANCE_PATH": folder / "setup", "SQLALCHEMY_DATABASE_URI": url,
                      "SECRET_KEY": SECRET, "SOCKETIO_MESSAGE_QUEUE": None})
    ok = True
    with app.app_context():
        for kind, model, column in (("post", Post, Post.body), ("comment", Comment, Comment.body),
                                    ("message", Message, Message.body)):
            marks = tally.acknowledged[kind]
            found: Counter = Counter()
            for body in db.session.scalars(sa.select(column).where(column.like("%#m%"))):
                for mark in re.findall(r"#(m[0-9a-f]{12})", body):
                    found[mark] += 1
            lost = [m for m in marks if found[m] == 0]
            doubled = [m for m in marks if found[m] > 1]
            print(f"{kind}s acknowledged: {len(marks)}; missing: {len(lost)}; "
                  f"written twice: {len(doubled)}")
            ok = ok and not lost and not doubled
        persona_ids = sa.select(Persona.user_id)
        answers = db.session.execute(
            sa.select(ActivityEvent.subject_id, sa.func.count())
            .where(ActivityEvent.subject_type == "Invitation",
                   ActivityEvent.kind.in_(["invitation_accepted", "invitation_declined",
                                           "invitation_ignored"]))
            .group_by(ActivityEvent.subject_id).having(sa.func.count() > 1)).all()
        # A professional answers each message once: two identical messages from them in a row,
        # with nothing from the student in between, would be one reply sent twice.
        replies = 0
        last: dict[int, tuple[int, str]] = {}
        for conversation, sender, body, is_pro in db.session.execute(
            sa.select(Message.conversation_id, Message.sender_id, Message.body,
                      Message.sender_id.in_(persona_ids))
            .order_by(Message.conversation_id, Message.created_at, Message.id)):
            if is_pro and last.get(conversation) == (sender, body):
                replies += 1
            last[conversation] = (sender, body)
        notices = db.session.execute(
            sa.select(Notification.user_id, Notification.kind, Notification.subject_type,
                      Notification.subject_id, sa.func.count())
            .where(Notification.actor_id.in_(persona_ids))
            .group_by(Notification.user_id, Notification.kind, Notification.subject_type,
                      Notification.subject_id)
            .having(sa.func.count() > 1)).all()
        persona_messages = db.session.scalar(
            sa.select(sa.func.count()).select_from(Message)
            .where(Message.sender_id.in_(persona_ids))) or 0
        print(f"professionals: {persona_messages} messages written; invitations answered "
              f"twice: {len(answers)}; same reply twice in a row: {replies}; same notice twice: "
              f"{len(notices)}")
        ok = ok and not answers and not replies and not notices
        db.engine.dispose()
    return ok


def report(tally: Tally, fault_log: list[tuple[float, str]], started: float) -> bool:
    ok = True
    for phase, counts in tally.statuses.items():
        total = sum(counts.values())
        print(f"{phase}: {total} requests; " + ", ".join(
            f"{'no answer' if status == 0 else f'{status // 100}xx'} {count}"
            for status, count in sorted(counts.items())))
    for name, values in sorted(tally.latencies.items()):
        if len(values) >= 20:
            print(f"  {name}: {len(values)} × p50 {statistics.median(values):.0f} ms, "
                  f"p95 {sorted(values)[int(len(values) * 0.95) - 1]:.0f} ms")
    soak_failures = [f for f in tally.failures if f[1] == "soak"]
    if soak_failures:
        ok = False
        print(f"SOAK: {len(soak_failures)} failures, e.g. {soak_failures[:3]}")
    fault_failures = [f for f in tally.failures if f[1] == "faults"]
    if fault_failures:
        unreadable = [f for f in fault_failures if f[3] >= 500 and f[4] != "readable"]
        print(f"faults: {len(fault_failures)} failed requests "
              f"({sum(1 for f in fault_failures if f[3] == 0)} without an answer, "
              f"{len(unreadable)} 5xx without a readable page)")
        by_second = Counter(int(f[0] - started) for f in fault_failures)
        print("  failures by second since the start: " + ", ".join(
            f"{second}s:{count}" for second, count in sorted(by_second.items())))
        ok = ok and not unreadable
    for moment, what in fault_log:
        print(f"  {moment - started:6.1f} s  {what}")
    return ok


# --- the run -------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True,
                        help="an empty PostgreSQL database (everything in it is dropped)")
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--fault-minutes", type=float, default=3)
    parser.add_argument("--pg-data", type=Path, default=None)
    parser.add_argument("--db-outage", type=float, default=8)
    parser.add_argument("--keep-logs", type=Path, default=None,
                        help="copy the processes' logs into this folder")
    args = parser.parse_args()
    if args.fault_minutes < 2.5:
        raise SystemExit("--fault-minutes: at least 2.5 (the last fault ends at 98 s, then "
                         "30 s must pass without a failure)")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    postgres = Postgres(args.pg_data) if args.pg_data else None

    with tempfile.TemporaryDirectory(prefix="tremplin-soak-") as name:
        folder = Path(name)
        started_seed = time.perf_counter()
        school = seed(args.database_url, folder, args.students)
        print(f"seeded {len(school['students'])} students, {len(school['personas'])} "
              f"professionals in {time.perf_counter() - started_seed:.0f} s", flush=True)
        redis_port = free_port()
        redis = Piece("redis", ["redis-server", "--bind", "127.0.0.1", "--port",
                                str(redis_port), "--save", "", "--appendonly", "no",
                                "--dir", str(folder)], dict(os.environ), folder / "redis.log")
        queue = f"redis://127.0.0.1:{redis_port}/0"
        env = {**os.environ, "DATABASE_URL": args.database_url, "SECRET_KEY": SECRET,
               "SANDBOX_INSTANCE_PATH": str(folder / "instance"),
               "SOCKETIO_MESSAGE_QUEUE": queue, "RATELIMIT_STORAGE_URI": queue.replace("/0", "/1"),
               # One address for 200 students: the per-address login limit of a whole school.
               "LOGIN_ADDRESS_RATE_LIMIT": "2000 per minute", "PYTHONUNBUFFERED": "1"}
        ports = [free_port(), free_port()]
        apps = [Piece(f"app{n + 1}", [sys.executable, "-m", "gunicorn", "--config",
                                      str(ROOT / "deploy" / "gunicorn.conf.py"),
                                      "--access-logfile", "/dev/null", "sandbox.wsgi:app"],
                      {**env, "TREMPLIN_BIND": f"127.0.0.1:{port}", "TREMPLIN_THREADS": "60"},
                      folder / f"app{n + 1}.log") for n, port in enumerate(ports)]
        workers = [Piece(f"worker{n + 1}", [sys.executable, "-m", "sandbox", "worker",
                                            "--worker-id", f"soak-{n + 1}"], env,
                         folder / f"worker{n + 1}.log") for n in range(2)]
        pieces = [redis, *apps, *workers]
        tally = Tally()
        stop = threading.Event()
        fault_log: list[tuple[float, str]] = []
        ok = False
        try:
            redis.start()
            wait_for_port(redis_port, path=None)
            for piece in (*apps, *workers):
                piece.start()
            for port in ports:
                wait_for_port(port)
            bases = [f"http://127.0.0.1:{port}" for port in ports]
            students = [Student(username, user_id, class_id, school, bases, tally, stop, n)
                        for n, (username, user_id, class_id) in enumerate(school["students"])]
            started = time.monotonic()
            for student in students:
                student.start()
            print(f"soak: {len(students)} students for {args.minutes} min; "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)
            time.sleep(args.minutes * 60)

            tally.phase = "faults"
            phase_start = time.monotonic()
            print(f"faults for {args.fault_minutes} min; load {os.getloadavg()[0]:.1f}",
                  flush=True)

            def at(offset: float) -> None:
                time.sleep(max(0.0, phase_start + offset - time.monotonic()))

            at(10)
            fault_log.append((time.monotonic(), "app process 1: SIGTERM"))
            apps[0].stop()
            apps[0].start()
            wait_for_port(ports[0])
            fault_log.append((time.monotonic(), "app process 1: serving again"))
            at(30)
            fault_log.append((time.monotonic(), "worker 1: SIGKILL, started again"))
            workers[0].stop(signal.SIGKILL)
            workers[0].start()
            at(45)
            fault_log.append((time.monotonic(), "Redis: stopped for 30 s"))
            redis.stop()
            at(75)
            redis.start()
            wait_for_port(redis_port, path=None)
            fault_log.append((time.monotonic(), "Redis: started again"))
            if postgres is not None:
                at(90)
                fault_log.append((time.monotonic(), f"PostgreSQL: stopped for "
                                                    f"{args.db_outage:.0f} s"))
                postgres.stop()
                time.sleep(args.db_outage)
                postgres.start()
                fault_log.append((time.monotonic(), "PostgreSQL: started again"))
            at(args.fault_minutes * 60)
            stop.set()
            for student in students:
                student.join(timeout=40)
            fault_log.append((time.monotonic(), "load stopped"))
            # The last 30 s of the fault phase must have been served without a failure.
            late = [f for f in tally.failures
                    if f[1] == "faults" and f[0] > phase_start + args.fault_minutes * 60 - 30]
            print(f"failures in the last 30 s: {len(late)}")
            # Let the professionals finish what fell due before checking them.
            time.sleep(20)
            ok = report(tally, fault_log, started) and not late
        finally:
            stop.set()
            for piece in reversed(pieces):
                piece.stop()
            if postgres is not None:
                try:
                    postgres.start()  # in case the run stopped during the outage
                except subprocess.CalledProcessError:
                    pass
        ok = check(args.database_url, folder, tally) and ok
        for piece in pieces:
            lines = piece.log.read_text(errors="replace").splitlines()
            tracebacks = sum(1 for line in lines if line.startswith("Traceback"))
            # What the tracebacks ended with: the exceptions, by class.
            raised = Counter(match.group(1) for line in lines
                             if (match := re.match(r"^([\w.]+(?:Error|Exception|Exit))\b", line)))
            if tracebacks:
                print(f"{piece.name}: {tracebacks} tracebacks in its log: "
                      f"{dict(raised.most_common(4))}")
        if args.keep_logs:
            args.keep_logs.mkdir(parents=True, exist_ok=True)
            for piece in pieces:
                (args.keep_logs / piece.log.name).write_bytes(piece.log.read_bytes())
    print("SOAK AND FAULTS: OK" if ok else "SOAK AND FAULTS: NOT OK")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
