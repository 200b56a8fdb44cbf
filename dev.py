"""Set up a fresh clone and use it: ``python3 dev.py demo`` or ``python3 dev.py test [ARGS]``.

Needs only Python >= 3.11 and pip. Both commands first make sure ``.venv`` exists and holds
``pip install -e '.[test]'``; the install is skipped while pyproject.toml is unchanged (a marker
file in .venv keeps its hash), so a second run starts at once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
MARKER = VENV / ".fabula-installed"
PYTEST_NO_TESTS = 5
USAGE = "usage: python3 dev.py demo | python3 dev.py test [PYTEST ARGS...]"


def main(argv: list[str]) -> int:
    # dev.py runs on whatever python3 the machine has, before pip can enforce requires-python.
    if sys.version_info < (3, 11):  # noqa: UP036
        return fail(f"fabula needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not argv or argv[0] not in {"demo", "test"}:
        print(USAGE, file=sys.stderr)
        return 2
    install()
    return demo() if argv[0] == "demo" else test(argv[1:])


def install() -> None:
    """Create .venv with this interpreter and install the project into it, unless up to date."""
    if not PYTHON.exists():
        say(f"creating {VENV.relative_to(ROOT)} with Python {sys.version.split()[0]}")
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except subprocess.CalledProcessError:
            # Debian-style Pythons can lack ensurepip; the system pip can still install into it.
            shutil.rmtree(VENV)
            venv.EnvBuilder(with_pip=False).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if MARKER.exists() and MARKER.read_text().strip() == wanted and Path(tool("fabula")).exists():
        return
    say("installing fabula and its pinned dependencies into .venv (first run: a minute or two)")
    pip = [str(PYTHON), "-m", "pip"]
    if not has_pip():
        pip = [sys.executable, "-m", "pip", "--python", str(PYTHON)]
    done = subprocess.run(
        [*pip, "install", "--quiet", "--disable-pip-version-check", "-e", ".[test]"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(fail("pip install failed (output above)"))
    MARKER.write_text(wanted + "\n")


def has_pip() -> bool:
    found = subprocess.run([str(PYTHON), "-m", "pip", "--version"], capture_output=True)
    return found.returncode == 0


def demo() -> int:
    """Analyse the example story into out/ (JSON and the HTML report); show the summary."""
    stories = sorted((ROOT / "examples").glob("*.txt"))
    if len(stories) != 1:
        return fail(f"expected one examples/*.txt, found {len(stories)}")
    story = stories[0].relative_to(ROOT)
    say(f"fabula analyze {story} -o out/ --html")
    return run(tool("fabula"), "analyze", str(story), "-o", "out/", "--html")


def test(pytest_args: list[str]) -> int:
    """Lint, check formatting and run every test (model and corpus tests included)."""
    lint = run(tool("ruff"), "check", "src", "tests")
    formatting = run(tool("ruff"), "format", "--check", "src", "tests")
    code = run(tool("pytest"), "-q", *pytest_args)
    if code == PYTEST_NO_TESTS:
        return fail("pytest collected no tests")
    if code == 0 and (lint or formatting):
        return fail("ruff found problems (see above)")
    return code


def tool(name: str) -> str:
    return str(BIN / (f"{name}.exe" if os.name == "nt" else name))


def run(*command: str) -> int:
    return subprocess.run(command, cwd=ROOT).returncode


def say(message: str) -> None:
    print(f"dev.py: {message}", flush=True)


def fail(message: str) -> int:
    print(f"dev.py: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
