"""Worker processes that leave Ctrl-C to the main process.

A terminal sends Ctrl-C's SIGINT to every process of the job, so each worker would die with
its own traceback. Workers ignore it instead; the main process stops them (its pool's
``terminate``) and reports one line. ``interrupts_held`` covers a worker's first moments, before
its initializer has run: a worker is started with SIGINT blocked, and the main process gets a
Ctrl-C that came meanwhile as soon as the worker is started.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator

_CAN_BLOCK = hasattr(signal, "pthread_sigmask")


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Start worker processes inside this block."""
    if not _CAN_BLOCK:
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def ignore_interrupts() -> None:
    """A worker's initializer: Ctrl-C is for the main process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _CAN_BLOCK:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
