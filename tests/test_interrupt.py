"""Ctrl-C during ``fabula analyze``, as a terminal sends it (SIGINT to every process of the
job), while a long text is parsed in two processes: one line, exit code 130, no output file,
no worker left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from fabula.settings import DEFAULT_SETTINGS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.model,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)"),
]

FABULA = Path(sys.executable).with_name("fabula")
NAMES = ("Maren", "Casimir", "Ottilie", "Rafe", "Juno", "Lorcan")
SCENE = """\
{a} set the lantern on the sill and waited for the tide to turn.

"You said the ferry would come at nine," {b} said, not looking up from the chart.

"I said it might," {a} answered. "The weather never asks me first."

{b} folded the chart twice. "Then we walk along the causeway before the water rises."
"""


def long_story(min_chars: int) -> str:
    """A story of our own, long enough to be parsed in several processes."""
    scenes, length = [], 0
    while length <= min_chars:
        a, b = NAMES[len(scenes) % len(NAMES)], NAMES[(len(scenes) + 1) % len(NAMES)]
        scenes.append(SCENE.format(a=a, b=b))
        length += len(scenes[-1]) + len("\n* * *\n\n")
    return "\n* * *\n\n".join(scenes)


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it ended meanwhile
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_ctrl_c_during_a_two_process_parse(
    tmp_path: Path, group_ends: Callable[[int], bool], start_job: Callable[..., subprocess.Popen]
) -> None:
    story = tmp_path / "long.txt"
    story.write_text(long_story(DEFAULT_SETTINGS.parallel_parse_min_chars), encoding="utf-8")
    out = tmp_path / "out"
    run = start_job([str(FABULA), "analyze", str(story), "-o", str(out), "--html"])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(children(run.pid)) < 2 and run.poll() is None:
        time.sleep(0.05)
    assert len(children(run.pid)) >= 2, "the parse should run in worker processes"
    time.sleep(1)  # well into the parse
    os.killpg(run.pid, signal.SIGINT)
    stdout, stderr = run.communicate(timeout=60)
    assert run.returncode == 130
    assert stderr == "fabula: interrupted\n"
    assert stdout == ""
    assert list(out.iterdir()) == []
    assert group_ends(run.pid)  # no worker left behind


def test_ctrl_c_during_a_long_query(
    tmp_path: Path, group_ends: Callable[[int], bool], start_job: Callable[..., subprocess.Popen]
) -> None:
    (tmp_path / "works").mkdir()  # an empty corpus: the query needs no table
    run = start_job(
        [str(FABULA), "query", str(tmp_path), "SELECT sum(i) FROM range(100000000000) t(i)"]
    )
    threads = Path(f"/proc/{run.pid}/task")
    deadline = time.monotonic() + 60
    # DuckDB starts its threads when the database opens; the query follows at once.
    while time.monotonic() < deadline and len(list(threads.glob("*"))) < 3:
        time.sleep(0.05)
    time.sleep(1)
    os.killpg(run.pid, signal.SIGINT)
    stdout, stderr = run.communicate(timeout=60)
    assert (run.returncode, stderr, stdout) == (130, "fabula: interrupted\n", "")
    assert group_ends(run.pid)
