"""Set up a fresh clone and use it: ``python3 dev.py demo`` or ``python3 dev.py test [ARGS]``.

Needs only Python >= 3.11 and pip. Both commands first make sure ``.venv`` holds exactly the
packages of ``requirements.lock`` (every extra and the test tools, each pinned with its hashes)
and fabula itself, editable. A marker file in .venv keeps the hashes of the lock and of
pyproject.toml: while both are unchanged, nothing is installed and a run starts at once.

``python3 dev.py lock [UV ARGS]`` regenerates requirements.lock after pyproject.toml changes
(uv, installed into .venv-lock; only this command needs it). Pins already in the lock are kept;
``--upgrade`` or ``--upgrade-package NAME`` moves them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
PYPROJECT = ROOT / "pyproject.toml"
MARKER = VENV / ".fabula-installed"
# A separate environment for the lock tool, so .venv holds only what the lock lists.
LOCK_TOOLS = ROOT / ".venv-lock"
UV = "uv==0.13.9"
# The lock covers every platform and Python fabula supports, from its oldest (requires-python).
LOCK_PYTHON = "3.11"
# pip itself is not in the lock; it stays in .venv.
UNLOCKED = {"pip"}
PYTEST_NO_TESTS = 5
USAGE = "usage: python3 dev.py demo | python3 dev.py test [PYTEST ARGS...] | python3 dev.py lock"


def main(argv: list[str]) -> int:
    # dev.py runs on whatever python3 the machine has, before pip can enforce requires-python.
    if sys.version_info < (3, 11):  # noqa: UP036
        return fail(f"fabula needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not argv or argv[0] not in {"demo", "test", "lock"}:
        print(USAGE, file=sys.stderr)
        return 2
    if argv[0] == "lock":
        return lock(argv[1:])
    install()
    return demo() if argv[0] == "demo" else test(argv[1:])


def install() -> None:
    """Create .venv with this interpreter; install the lock and the project, unless up to date."""
    fresh = not interpreter(VENV).exists()
    if fresh:
        make_venv(VENV)
    lock_hash, project_hash = digest(LOCK), digest(PYPROJECT)
    installed = MARKER.read_text().split() if MARKER.exists() else []
    if installed == [lock_hash, project_hash] and Path(tool("fabula")).exists():
        return
    if installed[:1] != [lock_hash]:
        say(f"installing {LOCK.name} into .venv" + (" (a minute or two)" if fresh else ""))
        pip(VENV, "install", "--require-hashes", "-r", str(LOCK))
        remove_unlocked()
    # The build backend (setuptools) is in the lock, so the project builds offline.
    pip(VENV, "install", "--no-deps", "--no-build-isolation", "-e", str(ROOT))
    MARKER.write_text(f"{lock_hash}\n{project_hash}\n")


def remove_unlocked() -> None:
    """Uninstall what an older lock installed and this one no longer lists, so the tests see
    what CI's fresh .venv has."""
    locked = {canonical(name) for name in re.findall(r"^([\w.-]+)==", LOCK.read_text(), re.M)}
    listing = pip(VENV, "list", "--format=json", "--exclude-editable")
    stale = [
        package["name"]
        for package in json.loads(listing)
        if canonical(package["name"]) not in locked | UNLOCKED
    ]
    if stale:
        say(f"removing {', '.join(stale)}: no longer in {LOCK.name}")
        pip(VENV, "uninstall", "--yes", *stale)


def lock(uv_args: list[str]) -> int:
    """Resolve pyproject.toml (every extra) and the build backend into requirements.lock."""
    uv = tool("uv", LOCK_TOOLS)
    if not Path(uv).exists():
        make_venv(LOCK_TOOLS)
        say(f"installing {UV} into {LOCK_TOOLS.name}")
        pip(LOCK_TOOLS, "install", UV)
    build = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["build-system"]["requires"]
    command = [
        uv, "pip", "compile", PYPROJECT.name, "-",  # "-": the build backend, from stdin
        "--all-extras", "--universal", "--python-version", LOCK_PYTHON, "--generate-hashes",
        "--custom-compile-command", "python3 dev.py lock", "--output-file", LOCK.name,
        "--quiet", *uv_args,
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, input="\n".join(build) + "\n", text=True)
    if done.returncode != 0:
        return fail("uv could not resolve the dependencies (output above)")
    pins = re.findall(r"^[\w.-]+==", LOCK.read_text(), re.M)
    say(f"wrote {LOCK.name}: {len(pins)} packages; the next dev.py demo or test installs them")
    return 0


def make_venv(path: Path) -> None:
    say(f"creating {path.name} with Python {sys.version.split()[0]}")
    try:
        venv.EnvBuilder(with_pip=True).create(path)
    except subprocess.CalledProcessError:
        # Debian-style Pythons can lack ensurepip; the system pip can still install into it.
        shutil.rmtree(path)
        venv.EnvBuilder(with_pip=False).create(path)


def pip(env: Path, *args: str) -> str:
    """Run pip for ``env`` (its own, or this interpreter's aimed at it); its output, or exit."""
    python = interpreter(env)
    own = subprocess.run([str(python), "-m", "pip", "--version"], capture_output=True)
    if own.returncode == 0:
        command = [str(python), "-m", "pip"]
    else:
        command = [sys.executable, "-m", "pip", "--python", str(python)]
    quiet = ["--quiet"] if args[0] in {"install", "uninstall"} else []
    done = subprocess.run(
        [*command, *args, *quiet, "--disable-pip-version-check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(fail(f"pip {args[0]} failed (output above)"))
    return done.stdout


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


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def canonical(name: str) -> str:
    """A distribution's name as PEP 503 compares them ("Jinja2" is "jinja2", "a_b" is "a-b")."""
    return re.sub(r"[-_.]+", "-", name).lower()


def interpreter(env: Path) -> Path:
    return Path(tool("python", env))


def tool(name: str, env: Path = VENV) -> str:
    """A program installed in ``env`` (Windows keeps them in Scripts, as .exe files)."""
    if os.name == "nt":
        return str(env / "Scripts" / f"{name}.exe")
    return str(env / "bin" / name)


def run(*command: str) -> int:
    return subprocess.run(command, cwd=ROOT).returncode


def say(message: str) -> None:
    print(f"dev.py: {message}", flush=True)


def fail(message: str) -> int:
    print(f"dev.py: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
