"""Every example in the README and docs/ is what fabula really prints.

An HTML comment before a fenced block (invisible on GitHub) says what the block is; each
document's examples run in order in a fresh folder:

- ``<!-- example-file: NAME -->``: the block is written to NAME (with a final newline);
- ``<!-- example-command: fabula ARGS -->``: the command is run, its output not shown;
- ``<!-- example-run -->``: a terminal session: each ``$ .venv/bin/fabula ARGS`` line is run,
  and what it prints must be the lines after it;
- ``<!-- example-json: PATH -->``: the file PATH, written by an earlier command, holds this JSON;
- ``<!-- example-python -->``: the code runs; an ``<!-- example-output -->`` block after it
  is what it prints.

``FABULA_UPDATE_DOCS=1 pytest tests/test_doc_examples.py`` rewrites the expected blocks with
what fabula prints now, for review in ``git diff``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from fabula.cli import main

pytestmark = pytest.mark.model

REPO_ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]
UPDATE = os.environ.get("FABULA_UPDATE_DOCS") == "1"
PROMPT = "$ "
COMMAND_PREFIX = ".venv/bin/"
JSON_WIDTH = 96

_EXAMPLE = re.compile(
    r"<!-- (?P<kind>example-[a-z]+)(?::\s*(?P<argument>.*?))?\s*-->\n"
    r"(?:```(?P<language>\w*)\n(?P<body>.*?)```\n)?",
    re.DOTALL,
)


@dataclass
class Example:
    kind: str
    argument: str
    body: str | None
    body_start: int  # offset of the body in the document, for rewriting it


def examples_of(document: str) -> list[Example]:
    return [
        Example(
            match["kind"],
            match["argument"] or "",
            match["body"],
            match.start("body") if match["body"] is not None else -1,
        )
        for match in _EXAMPLE.finditer(document)
    ]


def run_fabula(command: str) -> str:
    """What ``fabula ARGS`` prints on the terminal (stdout and stderr as they interleave)."""
    words = shlex.split(command.removeprefix(COMMAND_PREFIX))
    assert words[0] == "fabula", command
    result = CliRunner().invoke(main, words[1:])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.output


def transcript(session: str) -> str:
    """The session with each command's output replaced by what it prints now."""
    lines: list[str] = []
    for line in session.splitlines():
        if line.startswith(PROMPT):
            lines.append(line)
            lines.extend(run_fabula(line.removeprefix(PROMPT)).splitlines())
    return "\n".join(lines) + "\n"


def fold_json(value: object, indent: int = 0, prefix: int = 0) -> str:
    """JSON with each object or list on one line when it fits in ``JSON_WIDTH`` (after
    ``indent`` spaces and a ``prefix`` of that many characters, a key), else one item a line."""
    flat = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    if indent + prefix + len(flat) <= JSON_WIDTH or not isinstance(value, dict | list) or not value:
        return flat
    inner = indent + 2
    if isinstance(value, dict):
        items = []
        for key, item in value.items():
            name = json.dumps(key, ensure_ascii=False) + ": "
            items.append(name + fold_json(item, inner, len(name)))
        opening, closing = "{", "}"
    else:
        items = [fold_json(item, inner) for item in value]
        opening, closing = "[", "]"
    body = ",\n".join(" " * inner + item for item in items)
    return f"{opening}\n{body}\n{' ' * indent}{closing}"


def run_python(code: str) -> str:
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(code, "<example>", "exec"), {"__name__": "__example__"})
    return output.getvalue()


def check_document(path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Run the document's examples in ``folder``; the differences found, or none."""
    monkeypatch.chdir(folder)
    document = path.read_text(encoding="utf-8")
    rewrites: list[tuple[Example, str]] = []
    printed: str | None = None
    for example in examples_of(document):
        body = example.body
        if example.kind == "example-file":
            Path(example.argument).write_text(body or "", encoding="utf-8")
        elif example.kind == "example-command":
            run_fabula(example.argument)
        elif example.kind == "example-run":
            rewrites.append((example, transcript(body or "")))
        elif example.kind == "example-json":
            real = json.loads(Path(example.argument).read_text(encoding="utf-8"))
            same = body is not None and json.loads(body) == real
            rewrites.append((example, body if same else fold_json(real) + "\n"))
        elif example.kind == "example-python":
            printed = run_python(body or "")
        elif example.kind == "example-output":
            rewrites.append((example, printed or ""))
        else:
            pytest.fail(f"{path.name}: unknown example kind {example.kind!r}")
    differences = [
        f"{path.name}, {example.kind} {example.argument}: the docs show\n{example.body}\n"
        f"but fabula prints\n{real}"
        for example, real in rewrites
        if _timeless(example.body or "") != _timeless(real)
    ]
    if UPDATE and differences:
        for example, real in sorted(rewrites, key=lambda pair: -pair[0].body_start):
            start = example.body_start
            document = document[:start] + real + document[start + len(example.body or "") :]
        path.write_text(document, encoding="utf-8")
    return differences


# How long a run took ("(1.9 s)", "(3 min 12 s)") is the one thing that differs between runs.
_DURATION = re.compile(r"\((\d+ h )?(\d+ min )?\d+(\.\d+)? (s|min)\)")


def _timeless(shown: str) -> str:
    return _DURATION.sub("(…)", shown)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: path.name)
def test_examples_print_what_they_show(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    differences = check_document(path, tmp_path, monkeypatch)
    assert not differences or UPDATE, "\n\n".join(differences)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: path.name)
def test_every_shown_session_and_story_json_is_an_example(path: Path) -> None:
    """A terminal session or a story's JSON shown without a marker would go unchecked."""
    document = path.read_text(encoding="utf-8")
    unmarked = []
    for block in re.finditer(
        r"(?P<before>[^\n]*)\n```(?P<language>\w*)\n(?P<body>.*?)```", document, re.DOTALL
    ):
        session = block["body"].startswith(PROMPT)
        story_json = block["language"] == "json" and '"schema": "fabula.story/' in block["body"]
        marked = block["before"].startswith("<!-- example-")
        if (session or story_json) and not marked:
            unmarked.append(block["body"].splitlines()[0])
    assert not unmarked, f"{path.name}: examples without a marker: {unmarked}"
