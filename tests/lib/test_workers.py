"""The server's picture workers: the same seed and words give the same bytes in a worker as
inline, the work really runs in other processes, and a settled heap is frozen."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from lib import workers
from lib.engines.base import GenerateRequest
from lib.engines.storybook import StorybookEngine


@pytest.fixture
def fresh_pool() -> Iterator[None]:
    workers.shutdown()
    yield
    workers.shutdown()


def _generate(n: int) -> list[bytes]:
    request = GenerateRequest(
        prompt="A dog next to the Eiffel Tower in early morning sunlight", model="storybook-1", size="512x512",
        n=n, seed=1234, temperature=0.6,
    )  # fmt: skip
    return [image.png for image in StorybookEngine().generate(request)]


def test_a_worker_paints_the_same_bytes_as_the_server_itself(fresh_pool: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDIO_WORKERS", "0")
    inline = _generate(3)
    assert workers.pool() is None
    workers.shutdown()
    monkeypatch.setenv("STUDIO_WORKERS", "2")
    pooled = _generate(3)
    assert workers.pool() is not None
    assert pooled == inline
    assert len(set(pooled)) == 3  # three different pictures of one batch, each reproduced exactly
    assert _generate(3) == inline  # and again, on warm workers


def test_work_sent_to_the_pool_runs_in_other_processes() -> None:
    # In a fresh interpreter, as a server starts: the pool (and its fork server) belong to one
    # process, and earlier tests in this one have moved its working directory about.
    script = (
        "import os; from lib import workers; "
        "pids = set(workers.map_cpu(os.getpid, [() for _ in range(6)])); "
        "print(os.getpid() in pids, len(pids))"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "STUDIO_WORKERS": "2"})  # fmt: skip
    assert done.returncode == 0, done.stderr
    inline, count = done.stdout.split()
    assert inline == "False" and 1 <= int(count) <= 2


def test_no_pool_on_one_core_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STUDIO_WORKERS", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert workers.pool_size() == 0  # off unless asked for
    monkeypatch.setenv("STUDIO_WORKERS", "auto")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert workers.pool_size() == 0
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    assert workers.pool_size() == 1  # the other core is the server's own
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert workers.pool_size() == 3
    monkeypatch.setenv("STUDIO_WORKERS", "1")
    assert workers.pool_size() == 1


def test_a_settled_heap_is_frozen_and_later_reruns_are_not(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "_reruns", 0)
    try:
        assert workers.settle_heap()  # the first rerun of a process
        assert gc.get_freeze_count() > 0
        assert workers.settle_heap()  # the second
        assert not workers.settle_heap()  # the third is not in the list
    finally:
        gc.unfreeze()
