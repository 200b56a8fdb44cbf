"""fabula corpus: every work once, resumable after kill -9, failures recorded, SQL on top."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from story_generator import generate_corpus, generate_story

from fabula.cli import main
from fabula.corpus.inputs import list_works
from fabula.corpus.query import run_query
from fabula.corpus.run import run_corpus
from fabula.errors import InputError

pytestmark = pytest.mark.model

FABULA = Path(sys.executable).with_name("fabula")


def _sources(outdir: Path) -> list[str]:
    _, rows = run_query(outdir, "SELECT source FROM works ORDER BY source")
    return [row[0] for row in rows]


@pytest.mark.slow
def test_a_killed_run_resumes_and_counts_every_work_once(tmp_path: Path) -> None:
    names = generate_corpus(tmp_path / "in", 14)
    outdir = tmp_path / "out"
    command = [str(FABULA), "corpus", str(tmp_path / "in"), "-o", str(outdir), "--workers", "1"]
    first = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list((outdir / "works").glob("*"))) < 3:
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait()
    done_before = len(list((outdir / "works").glob("*")))
    assert 3 <= done_before < len(names), "kill the run mid-way"

    second = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr
    assert f"{len(names) - done_before} analysed, {done_before} already done, 0 failed" in (
        second.stdout
    )
    assert _sources(outdir) == names
    _, rows = run_query(outdir, "SELECT count(*), count(DISTINCT work_id) FROM works")
    assert rows == [(len(names), len(names))]
    _, rows = run_query(
        outdir,
        "SELECT count(*) FROM quotes q LEFT JOIN works w USING (work_id) WHERE w.source IS NULL",
    )
    assert rows == [(0,)]
    assert not any((outdir / ".staging").iterdir())


@pytest.mark.slow
def test_tables_hold_the_story(tmp_path: Path) -> None:
    generate_corpus(tmp_path / "in", 3)
    outdir = tmp_path / "out"
    progress = run_corpus(list_works(tmp_path / "in"), outdir, workers=1, want_json=True)
    assert (progress.done, progress.failed, progress.skipped) == (3, 0, 0)
    for folder in (outdir / "works").iterdir():
        story = json.loads((folder / "story.json").read_text(encoding="utf-8"))
        quotes = pq.read_table(folder / "quotes.parquet").to_pylist()
        assert [q["quote_id"] for q in quotes] == [q["id"] for q in story["quotes"]]
        assert [q["speaker_id"] for q in quotes] == [q["speaker"] for q in story["quotes"]]
        characters = pq.read_table(folder / "characters.parquet").to_pylist()
        assert {c["name"] for c in characters} == {c["name"] for c in story["characters"]}
        assert {row["work_id"] for row in quotes + characters} == {folder.name}
        events = pq.read_table(folder / "events.parquet").to_pylist()
        assert [(e["start"], e["text"]) for e in events] == [
            (e["start"], e["text"]) for e in story["events"]
        ]
        words = pq.read_table(folder / "profile_words.parquet").to_pylist()
        agents = {(w["character_id"], w["word"]) for w in words if w["role"] == "agent"}
        assert agents == {
            (c["id"], entry["word"]) for c in story["characters"] for entry in c["profile"]["agent"]
        }
    _, rows = run_query(
        outdir,
        "SELECT count(*) FROM interactions i JOIN characters c"
        " ON c.work_id = i.work_id AND c.character_id = i.speaker_id",
    )
    assert rows[0][0] > 0


@pytest.mark.slow
def test_failures_are_recorded_and_the_run_goes_on(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    generate_corpus(corpus, 2)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (corpus / "notes.jpg").write_bytes(b"\xff\xd8\xff not a story, and not listed")
    outdir = tmp_path / "out"
    progress = run_corpus(list_works(corpus), outdir, workers=2)
    assert (progress.done, progress.failed) == (2, 2)
    _, rows = run_query(outdir, "SELECT source, kind, message FROM errors ORDER BY source")
    assert [(r[0], r[1]) for r in rows] == [("binary.txt", "input"), ("empty.txt", "input")]
    assert all("\n" not in r[2] for r in rows)
    again = run_corpus(list_works(corpus), outdir, workers=1)
    assert (again.done, again.failed, again.skipped) == (0, 0, 4)
    retried = run_corpus(list_works(corpus), outdir, workers=1, retry_errors=True)
    assert (retried.failed, retried.skipped) == (2, 2)


def test_a_work_over_its_time_is_stopped_and_recorded(tmp_path: Path) -> None:
    generate_corpus(tmp_path / "in", 1)
    progress = run_corpus(list_works(tmp_path / "in"), tmp_path / "out", workers=1, timeout=1e-3)
    assert progress.failed == 1
    _, rows = run_query(tmp_path / "out", "SELECT kind FROM errors")
    assert rows == [("timeout",)]


def test_archives_and_lists_give_the_same_works(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    names = generate_corpus(folder, 4)
    with zipfile.ZipFile(tmp_path / "works.zip", "w") as archive:
        for name in names:
            archive.write(folder / name, name)
    with tarfile.open(tmp_path / "works.tar.gz", "w:gz") as archive:
        for name in names:
            archive.add(folder / name, name)
    (tmp_path / "works.lst").write_text(
        "# one path per line\n" + "\n".join(f"in/{n}" for n in names) + "\n", encoding="utf-8"
    )
    expected = [(folder / n).read_bytes() for n in names]
    for corpus in ("in", "works.zip", "works.tar.gz", "works.lst"):
        works = list(list_works(tmp_path / corpus))
        assert [w.read() for w in works] == expected, corpus
        assert works[0].name.endswith(names[0])


def test_what_is_not_a_corpus_is_one_clear_error(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(generate_story(1)[1], encoding="utf-8")
    with pytest.raises(InputError, match="for one story use fabula analyze"):
        list(list_works(story))
    result = CliRunner().invoke(main, ["corpus", str(tmp_path / "nowhere"), "-o", "out"])
    assert result.exit_code == 3 and result.stderr.count("\n") == 1
    result = CliRunner().invoke(main, ["query", str(tmp_path), "SELECT 1"])
    assert result.exit_code == 3 and "not a corpus folder" in result.stderr


@pytest.mark.slow
def test_query_formats_and_bad_sql(tmp_path: Path) -> None:
    generate_corpus(tmp_path / "in", 2)
    run_corpus(list_works(tmp_path / "in"), tmp_path / "out", workers=1)
    out = str(tmp_path / "out")
    sql = "SELECT source, quotes FROM works ORDER BY source"
    table = CliRunner().invoke(main, ["query", out, sql])
    assert table.exit_code == 0 and table.output.splitlines()[0].split() == ["source", "quotes"]
    assert table.output.rstrip().endswith("(2 rows)")
    lines = CliRunner().invoke(main, ["query", out, sql, "--format", "json"]).output.splitlines()
    assert [json.loads(line)["source"] for line in lines] == _sources(tmp_path / "out")
    csv_out = CliRunner().invoke(main, ["query", out, sql, "--format", "csv"]).output
    assert csv_out.splitlines()[0] == "source,quotes"
    bad = CliRunner().invoke(main, ["query", out, "SELECT nope FROM works"])
    assert bad.exit_code == 4 and bad.stderr.startswith("fabula: query failed:")
    assert bad.stderr.count("\n") == 1
    empty = CliRunner().invoke(main, ["query", out, "SELECT count(*) AS n FROM errors"])
    assert empty.exit_code == 0 and "0" in empty.output.splitlines()[2]


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="Linux CPU affinity")
def test_the_default_is_one_worker_per_cpu(tmp_path: Path) -> None:
    generate_corpus(tmp_path / "in", 1)
    result = CliRunner().invoke(main, ["corpus", str(tmp_path / "in"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "1 analysed, 0 already done, 0 failed" in result.stdout


@pytest.mark.slow
def test_ctrl_c_stops_the_run_in_one_line_and_it_resumes(
    tmp_path: Path, group_ends: Callable[[int], bool], start_job: Callable[..., subprocess.Popen]
) -> None:
    names = generate_corpus(tmp_path / "in", 30)
    outdir = tmp_path / "out"
    command = [str(FABULA), "corpus", str(tmp_path / "in"), "-o", str(outdir), "--workers", "2"]
    # Its own job: Ctrl-C reaches the workers too, as in a terminal.
    first = start_job([*command, "--quiet"])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list((outdir / "works").glob("*"))) < 2:
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGINT)
    stdout, stderr = first.communicate(timeout=60)
    assert first.returncode == 130
    assert stderr.splitlines() == [
        "fabula: interrupted; the works finished are kept: the same command resumes the run"
    ]
    assert stdout == ""
    assert group_ends(first.pid)  # no worker left behind
    assert not any((outdir / ".staging").iterdir())
    done_before = len(list((outdir / "works").glob("*")))
    assert 2 <= done_before < len(names), "stop the run mid-way"

    second = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr
    assert f"{len(names) - done_before} analysed, {done_before} already done, 0 failed" in (
        second.stdout
    )


def test_a_duplicate_is_counted_as_one_not_as_already_done(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    names = generate_corpus(corpus, 2)
    (corpus / "copy.txt").write_bytes((corpus / names[0]).read_bytes())
    (corpus / "no-extension").write_text(generate_story(99)[1], encoding="utf-8")
    first = run_corpus(list_works(corpus), tmp_path / "out", workers=1)
    assert (first.done, first.duplicates, first.skipped, first.failed) == (3, 1, 0, 0)
    again = run_corpus(list_works(corpus), tmp_path / "out", workers=1)
    assert (again.done, again.duplicates, again.skipped, again.failed) == (0, 1, 3, 0)
