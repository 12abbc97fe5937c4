"""`sandbox.wsgi:app`, what gunicorn serves (deploy/); tests/multiprocess serves it for real."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent


def test_a_process_refuses_to_serve_a_database_that_is_not_migrated(tmp_path):
    env = {**os.environ, "SANDBOX_INSTANCE_PATH": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}", "SANDBOX_LOCALE": "fr"}
    started = subprocess.run([sys.executable, "-c", "import sandbox.wsgi"], env=env, cwd=CHECKOUT,
                             capture_output=True, text=True, timeout=60)
    assert started.returncode != 0
    assert "SchemaNotCurrent" in started.stderr
    assert "lancez d’abord `sandbox db upgrade`" in started.stderr
