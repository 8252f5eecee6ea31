"""What one server process shares between its students' reruns: a settled heap and a pool of
worker processes for picture work.

**The heap.** Streamlit runs a full garbage collection (``gc.collect(2)``) after every script
run (``runner.postScriptGC``). In this app the process holds ~200,000 long-lived objects (the
lexicons, the intent model, SQLAlchemy, the storybook's tables), and walking them all took
about 50 ms of every Create click, a third of its CPU. :func:`settle_heap` moves what is alive
after the first reruns into the permanent generation (``gc.freeze()``), so those collections only
look at what the reruns since then made. Frozen objects are still freed by reference counting as
usual; only the cycle collector skips them, so nothing made later is kept.

**The pool.** Painting and encoding a picture is CPU work in one Python thread, so thirty
students' clicks would queue behind the interpreter lock. :func:`run_cpu` sends such work (a
plain module-level function and picklable arguments) to a process pool started once per server,
on first use, with one worker per core this process may run on, less one for the server itself
(``STUDIO_WORKERS`` overrides it; ``0`` runs everything inline, as on a one-core machine). Workers
fork from a ``forkserver`` (a fresh interpreter that imports only the painter), never from the
server, which is full of threads. The functions sent are pure: the same arguments
give the same bytes in a worker as inline, so seeds stay reproducible. If the pool breaks (a
worker killed), the work is done inline and a new pool is started next time.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TypeVar

log = logging.getLogger(__name__)

_T = TypeVar("_T")

#: Reruns of the process after which the heap is settled again: the first ones load the shared
#: models and tables (the prompt screen, the intent model, the storybook's lexicon on the first click).
_SETTLE_AT = frozenset({1, 2, 4, 8, 16, 32})
_lock = threading.Lock()
_reruns = 0
_pool: ProcessPoolExecutor | None = None
_pool_size: int | None = None


def settle_heap() -> bool:
    """Called once per rerun (by :func:`lib.ui.state.start_rerun`); True when it froze the heap now."""
    global _reruns
    with _lock:
        _reruns += 1
        if _reruns not in _SETTLE_AT:
            return False
        # Collect first, so that garbage cycles are freed rather than frozen for good.
        gc.collect()
        gc.freeze()
    log.debug("heap settled after rerun %d: %d objects frozen", _reruns, gc.get_freeze_count())
    return True


def pool_size() -> int:
    """Worker processes to use: ``STUDIO_WORKERS`` if it is a number, else one per usable core
    but the one the server's own thread needs (0, inline, on one core: a worker would only add
    the trip there and back)."""
    raw = os.environ.get("STUDIO_WORKERS", "").strip()
    if raw.isdigit():
        return min(int(raw), 32)
    if raw.lower() != "auto":
        # Off unless asked for: on two cores the pool measured no gain (the Streamlit rerun around
        # the picture holds the interpreter lock for most of a click), and the fork server and
        # each worker import the app's modules (app.py runs as ``__mp_main__`` there, and draws
        # nothing: see its ``__name__`` guard), ~80 MB each. ``STUDIO_WORKERS=auto`` turns it on.
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(0, cores - 1)


def _warm() -> int:
    """Run in each worker as it starts: import the storybook's painter before the first click."""
    import lib.engines.storybook.render  # noqa: F401

    return os.getpid()


def pool() -> Executor | None:
    """The server's pool, started on first use; None when work is to run inline."""
    global _pool, _pool_size
    with _lock:
        if _pool_size is None:
            _pool_size = pool_size()
        if _pool is None and _pool_size > 0:
            # Workers import the app from its own folder, whatever the server's working directory.
            root = str(Path(__file__).resolve().parents[1])
            if root not in sys.path:
                sys.path.insert(0, root)
            context = multiprocessing.get_context("forkserver")
            # The fork server is a fresh interpreter (never a fork of this threaded server) that
            # imports only the painter; workers fork from it and share its pages.
            context.set_forkserver_preload(["lib.engines.storybook.render", "lib.pictures"])
            _pool = ProcessPoolExecutor(max_workers=_pool_size, mp_context=context)
            for _ in range(_pool_size):
                _pool.submit(_warm)
            log.info("picture workers: %d processes", _pool_size)
        return _pool


def start() -> None:
    """Start the pool now (in the background), so that the first student's click does not wait."""
    pool()


def run_cpu(function: Callable[..., _T], *args: Any) -> _T:
    """``function(*args)`` in a worker process, or inline when there is no pool (or it broke)."""
    return map_cpu(function, [args])[0]


def map_cpu(function: Callable[..., _T], calls: Sequence[Sequence[Any]]) -> list[_T]:
    """``[function(*args) for args in calls]``, side by side in the workers; results in order."""
    executor = pool()
    if executor is not None:
        try:
            futures = [executor.submit(function, *args) for args in calls]
            return [future.result() for future in futures]
        except BrokenProcessPool:
            log.warning("a picture worker died; this picture is made here, and a new pool starts next time")
            shutdown()
    return [function(*args) for args in calls]


def shutdown() -> None:
    """Stop the pool (tests; a broken pool). The next :func:`pool` call starts a new one."""
    global _pool, _pool_size
    with _lock:
        executor, _pool, _pool_size = _pool, None, None
    if executor is not None:
        executor.shutdown(wait=True, cancel_futures=True)
