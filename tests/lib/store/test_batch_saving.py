"""Each picture is saved the moment it exists, also inside a batch."""

from __future__ import annotations

import multiprocessing
import signal

from lib import pnginfo
from lib.pictures import new_owner_id
from lib.store import Store
from tests.lib.store.workers import batch_then_die
from tests.store_servers import StoreSpec

SPAWN = multiprocessing.get_context("spawn")


def test_a_process_killed_halfway_through_a_batch_keeps_the_pictures_already_made(
    store: Store, store_spec: StoreSpec
) -> None:
    owner = new_owner_id()
    child = SPAWN.Process(target=batch_then_die, args=(store_spec, owner, 2))
    child.start()
    child.join(timeout=120)
    assert child.exitcode == -signal.SIGKILL

    kept = store.pictures.list(owner)
    assert len(kept) == 2  # the two made before the kill; the batch asked for four
    for entry in kept:
        record = pnginfo.read_settings(store.pictures.read_png(owner, entry.id))
        assert record is not None and record["prompt_typed"] == "a fox in the snow"
