"""Everything `./ehb test` runs: lint, types, then the whole pytest suite (and the PWA's own tests)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def main(argv: list[str]) -> int:
    steps: list[tuple[str, list[str], Path]] = [
        ("ruff", [str(BIN / "ruff"), "check", "api", "push", "tests", "bench"], ROOT),
        ("ruff format", [str(BIN / "ruff"), "format", "--check", "api", "push", "tests", "bench"], ROOT),
        ("mypy", [str(BIN / "mypy")], ROOT),
    ]
    if (ROOT / "pwa" / "package.json").is_file() and shutil.which("npm"):
        steps.append(("pwa", ["npm", "run", "--silent", "test"], ROOT / "pwa"))
    steps.append(("pytest", [sys.executable, "-m", "pytest", *argv], ROOT))
    for name, command, cwd in steps:
        print(f"== {name}", flush=True)
        result = subprocess.run(command, cwd=cwd, check=False)  # noqa: S603 - fixed commands
        if result.returncode != 0:
            print(f"== {name} failed (exit {result.returncode})", flush=True)
            return result.returncode
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
