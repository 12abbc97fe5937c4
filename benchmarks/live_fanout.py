"""Does a live post or message reach 200 connected socket clients within one second?

Builds a throwaway school (one class, 200 students and an author, all members of one group) in a
temporary SQLite file, serves it with `sandbox run` in a subprocess on 127.0.0.1, logs every
student in through the real login form (CSRF on) and connects one Socket.IO client per student
over WebSocket. Then, for a few rounds, it does one action through the normal HTTP routes and
times, from the moment the request is sent, until every client it concerns has heard the event:

- `group-post`: the author posts to the group; all 200 members hear "feed" (one emit to the
  room `group:<id>`);
- `network-post`: the author, connected to all 200, posts to the network; each hears "feed"
  (one emit per person, to each one's own room);
- `message`: a direct message to one student ("direct_message"), the 199 others connected;
- `notification`: a follow, which notifies one student ("notification").

An action whose route does not exist yet (404) is reported as such and skipped.

    .venv/bin/python benchmarks/live_fanout.py [--clients 200] [--rounds 10]
        [--actions group-post,network-post,message,notification]
        [--message-queue redis://127.0.0.1:6379/0 | --message-queue local]
        [--processes 2]   (gunicorn processes sharing a throwaway Redis; clients spread over them)
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests
import socketio
from flask_migrate import upgrade
from loopback import free_port

from sandbox import create_app
from sandbox.accounts.models import Role
from sandbox.accounts.services import build_user
from sandbox.classes.models import NetworkScope, SchoolClass
from sandbox.core.resources import resource_dir
from sandbox.extensions import db
from sandbox.groups.models import Group, GroupMembership
from sandbox.network.models import Connection

PASSWORD = "bench-password-42"
FAST_HASH = "pbkdf2:sha256:1000"  # what the tests use: login speed is not what is measured here
SECRET = "live-fanout-bench"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
ROOT = Path(__file__).resolve().parents[1]


def build_school(folder: Path, url: str, students: int) -> dict[str, Any]:
    """One class of `students` plus an author, all active members of one school-wide group."""
    app = create_app({"INSTANCE_PATH": folder / "setup", "SQLALCHEMY_DATABASE_URI": url,
                      "SECRET_KEY": SECRET, "PASSWORD_HASH_METHOD": FAST_HASH,
                      "SOCKETIO_MESSAGE_QUEUE": None})
    with app.app_context():
        upgrade(directory=str(resource_dir("migrations")))
        klass = SchoolClass(name="Classe bench", join_code="BENCH-LIVE",
                            network_scope=NetworkScope.CLASS)
        db.session.add(klass)
        db.session.flush()
        people = [build_user(username=f"eleve{n}", role=Role.STUDENT, first_name=f"Élève{n}",
                             last_name="Bench", password=PASSWORD, class_id=klass.id)
                  for n in range(students + 1)]
        db.session.flush()
        group = Group(slug="bench-live", name="Bench live", description="")
        db.session.add(group)
        db.session.flush()
        db.session.add_all(GroupMembership(group_id=group.id, user_id=user.id) for user in people)
        # The author is connected to every student: their network posts reach all of them, and
        # a student may write only to connections.
        db.session.add_all(Connection(user_id=a.id, contact_id=b.id) for user in people[1:]
                           for a, b in ((people[0], user), (user, people[0])))
        db.session.commit()
        school = {"group_id": group.id, "author": (people[0].username, people[0].id),
                  "students": [(user.username, user.id) for user in people[1:]]}
        db.session.remove()
        db.engine.dispose()
    return school


def start_redis(folder: Path) -> tuple[subprocess.Popen, str]:
    """A Redis server of this run only: loopback, a free port, nothing written to disk."""
    port = free_port()
    redis = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port),
                              "--save", "", "--appendonly", "no", "--dir", str(folder)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return redis, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.05)
    redis.kill()
    raise SystemExit("redis-server did not start")


def start_server(folder: Path, url: str, queue: str | None, number: int = 0,
                 gunicorn_threads: int = 0) -> tuple[subprocess.Popen, str]:
    """`sandbox run`, or with `gunicorn_threads` one gunicorn process configured by
    deploy/gunicorn.conf.py (as a school runs it) with that many threads."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET,
           "SANDBOX_INSTANCE_PATH": str(folder / "instance"),
           "LOGIN_ADDRESS_RATE_LIMIT": "100000 per minute", "POST_RATE_LIMIT": "1000 per minute",
           "MESSAGE_RATE_LIMIT": "1000 per minute", "PYTHONUNBUFFERED": "1"}
    env.pop("SOCKETIO_MESSAGE_QUEUE", None)
    if queue:
        env["SOCKETIO_MESSAGE_QUEUE"] = queue
    log_path = folder / f"server{number}.log"
    log = log_path.open("wb")
    if gunicorn_threads:
        env.update(TREMPLIN_BIND=f"127.0.0.1:{port}", TREMPLIN_THREADS=str(gunicorn_threads))
        command = [sys.executable, "-m", "gunicorn", "--config",
                   str(ROOT / "deploy" / "gunicorn.conf.py"), "--access-logfile", "/dev/null",
                   "sandbox.wsgi:app"]
    else:
        command = [sys.executable, "-m", "sandbox", "run", "--host", "127.0.0.1",
                   "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(log_path.read_text())
        try:
            if requests.get(f"{base}/login", timeout=5).status_code == 200:
                return server, base
        except requests.RequestException:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not start")


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    if not found:
        raise SystemExit("no CSRF token in the page")
    return found.group(1) or found.group(2)


def log_in(base: str, username: str) -> requests.Session:
    session = requests.Session()
    token = csrf_of(session.get(f"{base}/login", timeout=10).text)
    answer = session.post(f"{base}/login", data={"username": username, "password": PASSWORD,
                                                 "csrf_token": token},
                          allow_redirects=False, timeout=10)
    if answer.status_code != 302:
        raise SystemExit(f"login failed for {username}: {answer.status_code}")
    return session


class Listener:
    """One connected student: a Socket.IO client recording when each event arrived."""

    def __init__(self, base: str, session: requests.Session) -> None:
        self.heard: dict[str, float] = {}
        self.lock = threading.Lock()
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", self._record)  # every event, by name
        cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.get_dict().items())
        self.client.connect(base, headers={"Cookie": cookie}, transports=["websocket"],
                            wait_timeout=20)

    def _record(self, name: str, *_args: object) -> None:
        with self.lock:
            self.heard.setdefault(name, time.perf_counter())

    def reset(self) -> None:
        with self.lock:
            self.heard.clear()


def wait_for(listeners: list[Listener], event: str, timeout: float) -> list[float]:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if all(event in listener.heard for listener in listeners):
            break
        time.sleep(0.002)
    return [listener.heard[event] for listener in listeners if event in listener.heard]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(len(ordered) * fraction)) - 1)]


def act(kind: str, author: requests.Session, base: str, school: dict[str, Any],
        round_number: int) -> tuple[requests.Response, str, list[int]]:
    """Do one action over HTTP; returns the answer, the event and who must hear it."""
    students = school["students"]
    token = school["author_token"]  # a session's CSRF token is valid for all its forms
    if kind in ("group-post", "network-post"):
        audience = {"audience": "group", "group_id": school["group_id"]} \
            if kind == "group-post" else {"audience": "network"}
        answer = author.post(f"{base}/posts/", data={
            "csrf_token": token, "body": f"Point d'étape n°{round_number} : qui vient ?",
            **audience}, allow_redirects=False, timeout=10)
        return answer, "feed", [user_id for _, user_id in students]
    target = students[(round_number * 37) % len(students)][1]
    if kind == "message":
        answer = author.post(f"{base}/messages/{target}", data={
            "csrf_token": token, "body": f"Bonjour, message n°{round_number}"},
            allow_redirects=False, timeout=10)
        return answer, "direct_message", [target]
    answer = author.post(f"{base}/follows/people/{target}", data={"csrf_token": token},
                         allow_redirects=False, timeout=10)
    return answer, "notification", [target]


def run_action(kind: str, rounds: int, base: str, school: dict[str, Any],
               author: requests.Session, listeners: dict[int, Listener]) -> None:
    completions, deliveries, answers = [], [], []
    for number in range(1, rounds + 1):
        for listener in listeners.values():
            listener.reset()
        started = time.perf_counter()
        answer, event, concerned = act(kind, author, base, school, number)
        answered = time.perf_counter()
        if answer.status_code == 404:
            print(f"{kind}: its route does not exist yet (404), skipped")
            return
        if answer.status_code >= 400:
            print(f"{kind}: HTTP {answer.status_code}, skipped: {answer.text[:300]!r}")
            return
        arrived = wait_for([listeners[i] for i in concerned], event, timeout=10)
        if len(arrived) < len(concerned):
            heard = sorted({name for i in concerned for name in listeners[i].heard})
            print(f"{kind} round {number}: only {len(arrived)}/{len(concerned)} clients heard "
                  f"{event!r} within 10 s (HTTP {answer.status_code}; heard {heard})")
            return
        answers.append((answered - started) * 1000)
        completions.append((max(arrived) - started) * 1000)
        deliveries += [(moment - started) * 1000 for moment in arrived]
        time.sleep(0.5)
    print(f"{kind}: {len(concerned)} client(s) per round, {rounds} rounds; all reached in "
          f"p50 {statistics.median(completions):.0f} ms, "
          f"p95 {percentile(completions, 0.95):.0f} ms, max {max(completions):.0f} ms; "
          f"each delivery p50 {statistics.median(deliveries):.0f} ms, "
          f"p95 {percentile(deliveries, 0.95):.0f} ms; "
          f"HTTP answer p50 {statistics.median(answers):.0f} ms")


def load_note() -> str:
    """The machine's load average: figures taken while other work runs are noisier."""
    return "load average %.1f %.1f %.1f" % os.getloadavg()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--actions", default="group-post,network-post,message,notification")
    parser.add_argument("--message-queue", default=None,
                        help="serve with SOCKETIO_MESSAGE_QUEUE set to this Redis URL, or "
                             "'local' for a throwaway redis-server")
    parser.add_argument("--processes", type=int, default=1,
                        help="app processes: with more than one, each is a gunicorn process "
                             "configured by deploy/gunicorn.conf.py, the clients are spread "
                             "over them and they share a Redis message queue")
    args = parser.parse_args()
    if args.processes > 1 and args.message_queue is None:
        args.message_queue = "local"
    # Stopped from outside (timeout, kill): still stop the server and Redis it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        url = f"sqlite:///{folder / 'live.sqlite3'}"
        school = build_school(folder, url, args.clients)
        redis = None
        servers: list[subprocess.Popen] = []
        listeners: dict[int, Listener] = {}
        try:
            queue = args.message_queue
            if queue == "local":
                redis, queue = start_redis(folder)
            # Every open WebSocket holds a thread of its process: room for them and requests.
            threads = args.clients // args.processes + 50 if args.processes > 1 else 0
            bases = []
            for number in range(args.processes):
                server, address = start_server(folder, url, queue, number, threads)
                servers.append(server)
                bases.append(address)
            base = bases[0]  # the author acts through the first process
            started = time.perf_counter()
            students = school["students"]
            homes = [bases[n % len(bases)] for n in range(len(students))]
            with ThreadPoolExecutor(max_workers=8) as pool:
                sessions = list(pool.map(lambda pair: log_in(pair[0], pair[1][0]),
                                         zip(homes, students)))
                clients = list(pool.map(lambda pair: Listener(*pair), zip(homes, sessions)))
            listeners = {user_id: client for (_, user_id), client
                         in zip(school["students"], clients, strict=True)}
            author = log_in(base, school["author"][0])
            school["author_token"] = csrf_of(author.get(f"{base}/", timeout=10).text)
            print(f"{len(listeners)} students logged in and connected over WebSocket to "
                  f"{len(bases)} process(es) in {time.perf_counter() - started:.1f} s")
            time.sleep(1)
            print(f"before: {load_note()}")
            for kind in args.actions.split(","):
                run_action(kind.strip(), args.rounds, base, school, author, listeners)
            print(f"after: {load_note()}")
        finally:
            # The server first: here a client closing its WebSocket waits 3 s for a closing
            # handshake it does not get; once the server is gone, it closes at once.
            for process in (*servers, redis):
                if process is not None:
                    process.terminate()
                    try:
                        process.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        process.kill()
            for listener in listeners.values():
                listener.client.disconnect()


if __name__ == "__main__":
    main()
