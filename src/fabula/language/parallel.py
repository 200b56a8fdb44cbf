"""spaCy's parse over several processes, stoppable with Ctrl-C.

``nlp.pipe(n_process=...)`` cannot be stopped cleanly: its workers take the terminal's Ctrl-C
too, each printing a traceback, and it waits for their queued batches before warning that they
did not finish. Here the workers ignore Ctrl-C (``fabula.workers``) and the pool is terminated
as soon as the caller stops reading, whatever the reason.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence

from fabula.nlp import load_spacy
from fabula.workers import ignore_interrupts, interrupts_held

# The parse is all fabula reads from a Doc; the tensor is large and not needed.
_EXCLUDED_FROM_TRANSFER = ("tensor", "user_data")


def pipe(texts: Sequence[str], *, batch_size: int, processes: int) -> Iterator:
    """Docs for ``texts``, in order, parsed by ``processes`` worker processes."""
    from spacy.tokens import Doc

    nlp = load_spacy()  # loaded before the workers start, so forked workers share it
    if processes <= 1:
        yield from nlp.pipe(texts, batch_size=batch_size)
        return
    batches = [texts[i : i + batch_size] for i in range(0, len(texts), batch_size)]
    with interrupts_held():
        pool = multiprocessing.get_context().Pool(processes, initializer=ignore_interrupts)
    try:
        for parsed in pool.imap(_parse_batch, batches):
            for data in parsed:
                yield Doc(nlp.vocab).from_bytes(data)
    except BaseException:  # Ctrl-C, an error, or the caller stopped early: stop at once
        pool.terminate()
        raise
    else:
        pool.close()
    finally:
        pool.join()


def _parse_batch(texts: list[str]) -> list[bytes]:
    """In a worker: one batch of paragraphs, parsed and serialised for the main process."""
    nlp = load_spacy()
    docs = nlp.pipe(texts, batch_size=len(texts))
    return [doc.to_bytes(exclude=list(_EXCLUDED_FROM_TRANSFER)) for doc in docs]
