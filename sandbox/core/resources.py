"""Where the top-level folders (templates, static, seed, migrations) are.

In a checkout or an editable install they sit beside the package; a wheel carries them
inside the package (see pyproject.toml's force-include), so a plain `pip install .` works too.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def resource_dir(name: str) -> Path:
    bundled = PACKAGE_DIR / name
    if bundled.is_dir():
        return bundled
    return PACKAGE_DIR.parent / name
