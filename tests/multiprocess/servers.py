"""Real servers for the multi-process tests: a throwaway Redis, and app processes served the way
a school deploys them (gunicorn with deploy/gunicorn.conf.py).

Everything listens on 127.0.0.1 only, on a free port, and is stopped by the caller (a fixture's
teardown). Without `redis-server` the tests skip, unless TREMPLIN_REQUIRE_REDIS=1 (as in
`.ci/run`), where a missing Redis is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

STARTUP_SECONDS = 20.0


def require_redis_server() -> str:
    """The path of `redis-server`, or skip (fail under TREMPLIN_REQUIRE_REDIS=1)."""
    executable = shutil.which("redis-server")
    if executable is None:
        reason = "redis-server is not installed (Debian: apt-get install redis-server)"
        if os.environ.get("TREMPLIN_REQUIRE_REDIS") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    for module in ("redis", "socketio", "requests", "websocket", "gunicorn"):
        if os.environ.get("TREMPLIN_REQUIRE_REDIS") == "1":
            __import__(module)  # a missing client library is a failure too
        else:
            pytest.importorskip(module, reason=f"{module} is missing (pip install '.[test]')")
    return executable


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"not listening on {port} after {STARTUP_SECONDS} s:\n{log.read_text()}")


def start_redis(executable: str, folder: Path) -> tuple[subprocess.Popen, str]:
    """A Redis server with no persistence, in `folder`; returns the process and its URL."""
    port = free_port()
    log = folder / "redis.log"
    process = subprocess.Popen(
        [executable, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
         "--appendonly", "no", "--dir", str(folder), "--protected-mode", "yes",
         "--logfile", str(log)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )
    log.touch()
    try:
        _wait_for_port(port, process, log)
    except BaseException:
        stop(process)
        raise
    return process, f"redis://127.0.0.1:{port}/0"


def app_environment(folder: Path, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of an app process: its own instance folder, the shared database."""
    env = dict(os.environ)
    for name in ("SOCKETIO_MESSAGE_QUEUE", "RATELIMIT_STORAGE_URI", "SANDBOX_PROXY_COUNT"):
        env.pop(name, None)
    env.update({
        "DATABASE_URL": database_url,
        "SANDBOX_INSTANCE_PATH": str(folder),
        "SANDBOX_LOCALE": "fr",
        "PYTHONUNBUFFERED": "1",
        **extra,
    })
    return env


CHECKOUT = Path(__file__).resolve().parents[2]
GUNICORN_CONFIG = CHECKOUT / "deploy" / "gunicorn.conf.py"


def start_app(env: dict[str, str], log: Path) -> tuple[subprocess.Popen, int]:
    """One app process as deployed: gunicorn with the school's config file, on a free port of
    127.0.0.1; returns the process and its port."""
    port = free_port()
    env = {**env, "TREMPLIN_BIND": f"127.0.0.1:{port}", "TREMPLIN_THREADS": "20"}
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONFIG),
             "sandbox.wsgi:app"],
            env=env, stdout=output, stderr=subprocess.STDOUT, cwd=CHECKOUT,
        )
    return process, port


def wait_until_serving(process: subprocess.Popen, port: int, log: Path) -> None:
    try:
        _wait_for_port(port, process, log)
    except BaseException:
        stop(process)
        raise


def stop(process: subprocess.Popen) -> None:
    """Stop one process we started: politely, then for good."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


CSRF_INPUT = re.compile(
    r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"'
)


def csrf_token(html: str) -> str:
    """The CSRF token of the first form of a page."""
    found = CSRF_INPUT.search(html)
    assert found, "no csrf_token in the page"
    return found.group(1) or found.group(2)
