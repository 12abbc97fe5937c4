"""Build step: compile the message catalogues and fetch the front-end libraries.

Both outputs are build artefacts (ignored by git): a compiled catalogue is made from the
`.po` it ships with, so it can never be stale, and third-party JavaScript comes from the
npm registry at install time instead of being committed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def compile_catalogues(root: Path) -> list[Path]:
    """Compile every sandbox/translations/*/LC_MESSAGES/*.po next to itself."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    compiled = []
    for po_path in sorted((root / "sandbox" / "translations").glob("*/LC_MESSAGES/*.po")):
        with po_path.open("rb") as po_file:
            catalogue = read_po(po_file)
        mo_path = po_path.with_suffix(".mo")
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalogue)
        compiled.append(mo_path)
    return compiled


def vendor_assets(root: Path) -> list[Path]:
    """Copy the files named in package.json's "tremplinVendor" into static/vendor/."""
    manifest = json.loads((root / "package.json").read_text(encoding="utf-8"))
    wanted = manifest["tremplinVendor"]
    vendor_dir = root / "static" / "vendor"
    missing = [src for src in wanted.values() if not (root / src).is_file()]
    # Packages not served (axe-core, for the accessibility tests) are still installed: a
    # clone whose static/vendor/ is already filled must not be left without them.
    missing += [name for name in manifest.get("dependencies", {})
                if not (root / "node_modules" / name / "package.json").is_file()]
    if missing:
        npm = shutil.which("npm")
        if npm is None:
            if all((vendor_dir / name).is_file() for name in wanted):
                return [vendor_dir / name for name in wanted]
            raise RuntimeError(
                "npm is needed once to fetch the front-end libraries (socket.io-client); "
                "install Node.js and npm, then build again."
            )
        subprocess.run(
            [npm, "ci" if (root / "package-lock.json").is_file() else "install",
             "--no-audit", "--no-fund", "--ignore-scripts", "--omit=dev"],
            cwd=root,
            check=True,
        )
    vendor_dir.mkdir(parents=True, exist_ok=True)
    copied = []
    for name, src in wanted.items():
        target = vendor_dir / name
        shutil.copyfile(root / src, target)
        copied.append(target)
    return copied


class AssetsBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        root = Path(self.root)
        compile_catalogues(root)
        vendor_assets(root)
