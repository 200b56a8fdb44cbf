"""Analyse a whole corpus into Parquet tables: on all local cores or on a Dask cluster,
resumable after any crash, one failing work never stopping the run.

Layout of OUTDIR (documented in docs/corpus-tables.md):

    works/<work_id>/{works,characters,quotes,mentions,scenes,interactions}.parquet
    works/<work_id>/story.json        (with --json)
    errors/<work_id>.parquet          a work that failed, and why

A work's folder is written under ``.staging/`` and renamed into ``works/`` in one step, so a
run killed at any moment leaves each work either complete or absent: starting it again skips
what is there and does the rest. ``work_id`` is a hash of the work's bytes, so the same work
found twice (or under a new path) is analysed and counted once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from fabula.corpus.inputs import WorkSource
from fabula.corpus.tables import WORK_TABLES, error_table, story_tables
from fabula.errors import ConfigError, InputError, StageError
from fabula.workers import ignore_interrupts, interrupts_held

WORKS_DIR = "works"
ERRORS_DIR = "errors"
STAGING_DIR = ".staging"
WORK_ID_HEX = 16
# Works handed out per worker ahead of time: keeps every worker busy without reading the
# whole corpus into memory.
IN_FLIGHT_PER_WORKER = 2


@dataclass(frozen=True, slots=True)
class WorkResult:
    """What a worker sends back: the tables, or why there are none."""

    work_id: str
    source: str
    seconds: float
    tokens: int = 0
    tables: dict[str, pa.Table] | None = None
    story_json: str | None = None
    error_kind: str | None = None
    error_message: str | None = None


@dataclass(slots=True)
class RunProgress:
    """Counts the caller's progress display reads after each finished work."""

    total: int
    skipped: int = 0  # done (or failed) in an earlier run
    duplicates: int = 0  # the same bytes as another file of this corpus, which is the work
    done: int = 0
    failed: int = 0
    tokens: int = 0
    started: float = field(default_factory=time.perf_counter)

    @property
    def finished(self) -> int:
        return self.skipped + self.duplicates + self.done + self.failed


Listener = Callable[[RunProgress, WorkResult | None], None]


def work_id_of(data: bytes) -> str:
    """A stable id for a work: the first hex digits of its bytes' SHA-256."""
    return hashlib.sha256(data).hexdigest()[:WORK_ID_HEX]


def analyze_work(
    work_id: str, source: str, data: bytes, *, timeout: float | None, want_json: bool
) -> WorkResult:
    """Analyse one work (in a worker); never raises: a failure becomes an error result.

    A local worker stops a work that runs past ``timeout`` seconds (by SIGALRM, so only where
    the work runs on a process's main thread: Dask's threads get no timeout).
    """
    from fabula import pipeline, reading
    from fabula.settings import DEFAULT_SETTINGS

    started = time.perf_counter()
    use_alarm = timeout is not None and threading.current_thread() is threading.main_thread()
    if use_alarm:
        signal.signal(signal.SIGALRM, _raise_timeout)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        # One process per work already: the parser must not fork more.
        settings = _single_process(DEFAULT_SETTINGS)
        story = pipeline.analyze_source(reading.read_bytes(data, name=source), settings=settings)
        seconds = time.perf_counter() - started
        tables = story_tables(story, work_id=work_id, source=source, seconds=seconds)
        story_json = story.to_json() if want_json else None
        tokens = len(story.text.split())
    except _WorkTimeout:
        return _failure(work_id, source, started, "timeout", f"ran over {timeout:g} s")
    except InputError as error:
        return _failure(work_id, source, started, "input", str(error))
    except StageError as error:
        return _failure(work_id, source, started, "stage", str(error))
    except Exception as error:  # a bug on one work must not stop the corpus
        message = f"{type(error).__name__}: {error}"
        return _failure(work_id, source, started, "internal", message)
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
    return WorkResult(work_id, source, seconds, tokens, tables=tables, story_json=story_json)


class _WorkTimeout(Exception):
    pass


def _raise_timeout(signum, frame) -> None:
    raise _WorkTimeout


def _single_process(settings):
    from dataclasses import replace

    return replace(settings, parse_processes=1)


def _failure(work_id: str, source: str, started: float, kind: str, message: str) -> WorkResult:
    one_line = " ".join(message.split())
    return WorkResult(
        work_id,
        source,
        time.perf_counter() - started,
        error_kind=kind,
        error_message=one_line,
    )


class CorpusStore:
    """OUTDIR: which works are done or failed, and atomic writes of their results."""

    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir
        self.works = outdir / WORKS_DIR
        self.errors = outdir / ERRORS_DIR
        self.staging = outdir / STAGING_DIR
        try:
            for folder in (self.works, self.errors, self.staging):
                folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ConfigError(f"cannot create {outdir}: {error.strerror}") from error
        # Half-written works of a killed run: their works are simply done again.
        for leftover in self.staging.iterdir():
            shutil.rmtree(leftover, ignore_errors=True)

    def is_done(self, work_id: str) -> bool:
        return (self.works / work_id).is_dir()

    def has_failed(self, work_id: str) -> bool:
        return (self.errors / f"{work_id}.parquet").exists()

    def save(self, result: WorkResult) -> None:
        """Write a finished work's tables (or its error row) so that it appears whole or not
        at all."""
        if result.tables is None:
            self._save_error(result)
            return
        if self.is_done(result.work_id):
            return  # the same bytes under two names: already counted once
        folder = self.staging / f"{result.work_id}.{os.getpid()}"
        folder.mkdir()
        try:
            for name in WORK_TABLES:
                pq.write_table(result.tables[name], folder / f"{name}.parquet")
            if result.story_json is not None:
                (folder / "story.json").write_text(result.story_json + "\n", encoding="utf-8")
            _sync_folder(folder)
            os.rename(folder, self.works / result.work_id)
        except BaseException:  # Ctrl-C or a full disk: leave no half-written work behind
            shutil.rmtree(folder, ignore_errors=True)
            raise
        (self.errors / f"{result.work_id}.parquet").unlink(missing_ok=True)

    def _save_error(self, result: WorkResult) -> None:
        table = error_table(
            work_id=result.work_id,
            source=result.source,
            kind=result.error_kind or "internal",
            message=result.error_message or "",
            seconds=result.seconds,
        )
        final = self.errors / f"{result.work_id}.parquet"
        partial = self.staging / f"{result.work_id}.{os.getpid()}.error.parquet"
        try:
            pq.write_table(table, partial)
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)  # already renamed unless writing failed


def _sync_folder(folder: Path) -> None:
    """Flush the files' data before the rename makes them visible: a power cut after the
    rename must not leave empty Parquet files."""
    for path in folder.iterdir():
        with open(path, "rb") as opened:
            os.fsync(opened.fileno())


def run_corpus(
    sources: Iterable[WorkSource],
    outdir: Path,
    *,
    workers: int,
    dask_address: str | None = None,
    timeout: float | None = None,
    want_json: bool = False,
    retry_errors: bool = False,
    listener: Listener | None = None,
) -> RunProgress:
    """Analyse every work not already done into ``outdir``; return the final counts.

    Works that failed in an earlier run are left as they are unless ``retry_errors``.
    """
    store = CorpusStore(outdir)
    # Longest first: a long novel started last would keep one worker busy while others idle.
    sources = list(sources)
    if not any(source.in_order for source in sources):
        sources.sort(key=lambda source: -source.size)
    progress = RunProgress(total=len(sources))
    notify = listener or (lambda progress, result: None)
    pending = _pending_works(sources, store, progress, retry_errors, notify)
    if dask_address is not None:
        results = _run_on_dask(pending, dask_address, timeout, want_json)
    else:
        results = _run_locally(pending, workers, timeout, want_json)
    for result in results:
        store.save(result)
        if result.tables is None:
            progress.failed += 1
        else:
            progress.done += 1
            progress.tokens += result.tokens
        notify(progress, result)
    return progress


def _pending_works(
    sources: list[WorkSource],
    store: CorpusStore,
    progress: RunProgress,
    retry_errors: bool,
    notify: Listener,
) -> Iterator[tuple[str, str, bytes]]:
    """(work_id, source, bytes) of each work still to do; unreadable files fail right here."""
    seen: set[str] = set()
    for source in sources:
        try:
            data = source.read()
        except InputError as error:
            result = _failure(
                work_id_of(source.name.encode()), source.name, time.perf_counter(), "input",
                str(error),
            )  # fmt: skip
            store.save(result)
            progress.failed += 1
            notify(progress, result)
            continue
        work_id = work_id_of(data)
        if work_id in seen:
            progress.duplicates += 1
            notify(progress, None)
            continue
        seen.add(work_id)
        if store.is_done(work_id) or (store.has_failed(work_id) and not retry_errors):
            progress.skipped += 1
            notify(progress, None)
            continue
        yield work_id, source.name, data


def _run_locally(
    pending: Iterator[tuple[str, str, bytes]], workers: int, timeout, want_json: bool
) -> Iterator[WorkResult]:
    """Works on ``workers`` processes (spawned: each loads the model once, for all its works).

    If a worker dies (killed for memory, say), its works become errors and a new pool goes on
    with the rest. On Ctrl-C (which the workers ignore) the workers are stopped at once.
    """
    limit = max(workers, 1) * IN_FLIGHT_PER_WORKER
    queue = iter(pending)
    broken = True
    while broken:
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=get_context("spawn"), initializer=ignore_interrupts
        ) as pool:
            try:
                broken = yield from _run_pool(pool, queue, limit, timeout, want_json)
            except BaseException:
                _stop_workers(pool)
                raise


def _run_pool(
    pool: ProcessPoolExecutor,
    queue: Iterator[tuple[str, str, bytes]],
    limit: int,
    timeout,
    want_json: bool,
) -> Generator[WorkResult, None, bool]:
    """Works from ``queue`` on ``pool`` until none is left (returns False) or a worker died
    (returns True: the pool is broken)."""
    running: dict[Future, tuple[str, str]] = {}
    exhausted = False
    while True:
        while not exhausted and len(running) < limit:
            item = next(queue, None)
            if item is None:
                exhausted = True
                break
            work_id, source, data = item
            with interrupts_held():  # the pool may start a worker for it
                future = pool.submit(
                    analyze_work, work_id, source, data, timeout=timeout, want_json=want_json
                )
            running[future] = (work_id, source)
        if not running:
            return False
        finished, _ = wait(running, return_when=FIRST_COMPLETED)
        broken = False
        for future in finished:
            work_id, source = running.pop(future)
            try:
                yield future.result()
            except BrokenProcessPool:
                broken = True
                yield _failure(
                    work_id, source, time.perf_counter(), "crash",
                    "the worker process died (out of memory?)",
                )  # fmt: skip
        if broken:
            for future, (work_id, source) in running.items():
                future.cancel()
                yield _failure(
                    work_id, source, time.perf_counter(), "crash",
                    "the worker process died while this work was running",
                )  # fmt: skip
            return True


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the pool's processes now, not after their works (``shutdown`` would wait)."""
    # The executor has no public way to reach its processes before Python 3.14.
    for process in list((pool._processes or {}).values()):
        process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def _run_on_dask(
    pending: Iterator[tuple[str, str, bytes]], address: str, timeout, want_json: bool
) -> Iterator[WorkResult]:
    """The same works on a running Dask cluster: each worker process keeps its model loaded
    between works, because ``nlp.load_spacy`` caches per process."""
    from distributed import Client, as_completed

    try:
        client = Client(address, timeout="10s")
    except OSError as error:
        raise ConfigError(f"cannot reach the Dask scheduler at {address}: {error}") from error
    try:
        limit = max(len(client.scheduler_info().get("workers", {})), 1) * IN_FLIGHT_PER_WORKER
        queue = iter(pending)
        works: dict[str, tuple[str, str]] = {}  # task key -> (work_id, source)

        def submit(item: tuple[str, str, bytes]):
            work_id, source, data = item
            future = client.submit(
                analyze_work, work_id, source, data, timeout=timeout, want_json=want_json,
                pure=False,
            )  # fmt: skip
            works[future.key] = (work_id, source)
            return future

        running = as_completed([submit(item) for item in _take(queue, limit)])
        for future in running:
            work_id, source = works.pop(future.key)
            try:
                yield future.result()
            except Exception as error:  # the worker died or the task was lost
                yield _failure(work_id, source, time.perf_counter(), "crash", str(error))
            item = next(queue, None)
            if item is not None:
                running.add(submit(item))
    finally:
        client.close()


def _take(items: Iterator, count: int) -> list:
    return [item for _, item in zip(range(count), items, strict=False)]
