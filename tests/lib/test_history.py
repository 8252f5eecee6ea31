"""The gallery store: crash safety, concurrent writers, owners kept apart, no path traversal."""

from __future__ import annotations

import io
import multiprocessing
import os
import signal
import sqlite3
import time
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from lib import pnginfo
from lib.errors import BadInput
from lib.history import THUMB_PX, History, check_id, new_owner_id
from tests.lib.history_workers import make_image, tiny_png, write_forever, write_many

SPAWN = multiprocessing.get_context("spawn")


@pytest.fixture
def history(tmp_path: Path) -> History:
    return History(tmp_path / "data")


def test_save_then_read_back_everything(history: History) -> None:
    owner = new_owner_id()
    image = make_image("a lighthouse at night", seed=11)

    image_id = history.save(image, owner=owner, page="create")

    entry = history.get(owner, image_id)
    assert (entry.owner, entry.page, entry.engine, entry.model, entry.operation) == (
        owner, "create", "storybook", "storybook-1", "generate",
    )  # fmt: skip
    assert (entry.prompt_typed, entry.prompt_sent, entry.size, entry.seed, entry.temperature) == (
        "a lighthouse at night", "A friendly picture: a lighthouse at night", "256x256", 11, 0.5,
    )  # fmt: skip
    assert entry.created == pytest.approx(image.created)
    assert entry.path == f"images/{owner}/{image_id}.png"
    with Image.open(io.BytesIO(entry.thumbnail)) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) <= THUMB_PX
    png = history.read_png(owner, image_id)
    with Image.open(io.BytesIO(png)) as im, Image.open(io.BytesIO(image.png)) as original:
        assert im.tobytes() == original.tobytes()
    record = pnginfo.read_settings(png)
    assert record is not None and record["id"] == image_id and record["page"] == "create"
    assert entry.settings() == {
        "prompt_typed": "a lighthouse at night", "engine": "storybook", "model": "storybook-1",
        "size": "256x256", "seed": 11, "temperature": 0.5, "quality": "auto",
    }  # fmt: skip


def test_thumbnail_of_a_big_picture_is_small(history: History) -> None:
    owner = new_owner_id()
    out = io.BytesIO()
    Image.effect_noise((1024, 768), 60).convert("RGB").save(out, format="PNG")
    big = make_image()
    big = type(big)(**{**big.__dict__, "png": out.getvalue()})
    entry = history.get(owner, history.save(big, owner=owner, page="create"))
    with Image.open(io.BytesIO(entry.thumbnail)) as thumb:
        assert thumb.size == (THUMB_PX, THUMB_PX * 3 // 4)
    assert len(entry.thumbnail) < 20_000 < len(out.getvalue())


def test_list_filters_paginates_and_counts(history: History) -> None:
    owner = new_owner_id()
    ids = []
    for i, (page, prompt) in enumerate([("create", "a cat"), ("compare", "a dog"), ("create", "100% cat_x")] * 3):
        ids.append(history.save(make_image(prompt, seed=i), owner=owner, page=page))

    assert history.count(owner) == 9
    assert history.count(owner, page="compare") == 3
    assert history.count(owner, engine="storybook") == 9
    assert history.count(owner, engine="openai") == 0
    assert history.count(owner, text="CAT") == 6
    assert history.count(owner, text="100%") == 3  # LIKE wildcards are taken literally
    assert history.count(owner, text="t_x") == 3
    assert history.count(owner, text="%") == 3
    assert history.count(owner, page="create", text="dog") == 0
    first, second = history.list(owner, limit=5), history.list(owner, limit=5, offset=5)
    assert len(first) == 5 and len(second) == 4
    # Newest first, no image twice, none lost.
    assert [e.id for e in first + second] == list(reversed(ids))
    view = history.overview(owner, text="cat", limit=4, offset=4)
    assert (view.total, view.matching, view.pages, view.engines) == (9, 6, ["compare", "create"], ["storybook"])
    assert [e.id for e in view.entries] == [e.id for e in history.list(owner, text="cat")][4:]


def test_delete_removes_row_and_file(history: History) -> None:
    owner = new_owner_id()
    keep = history.save(make_image("keep"), owner=owner, page="create")
    drop = history.save(make_image("drop"), owner=owner, page="create")
    path = history.root / history.get(owner, drop).path

    assert history.delete(owner, drop) is True
    assert not path.exists()
    assert [e.id for e in history.list(owner)] == [keep]
    with pytest.raises(BadInput):
        history.get(owner, drop)
    assert history.delete(owner, drop) is False


def test_owners_never_see_each_other(history: History) -> None:
    alice, bob = new_owner_id(), new_owner_id()
    a = history.save(make_image("alice's"), owner=alice, page="create")
    history.save(make_image("bob's"), owner=bob, page="create")

    assert [e.prompt_typed for e in history.list(bob)] == ["bob's"]
    with pytest.raises(BadInput):
        history.get(bob, a)
    with pytest.raises(BadInput):
        history.read_png(bob, a)
    assert history.delete(bob, a) is False
    assert history.count(alice) == 1
    with zipfile.ZipFile(io.BytesIO(history.zip_all(bob) or b"")) as zf:
        assert len(zf.namelist()) == 1 and a not in zf.namelist()[0]


@pytest.mark.parametrize(
    "bad",
    ["../../etc", "..", "a/../../b1234567", "/etc/passwd", "abc", "x" * 65, "name with space", "abcd\x00efgh",
     "..%2f..%2fetc", "C:\\Windows\\x", "ünïcode-id", "", None],
)  # fmt: skip
def test_path_traversal_and_bad_ids_are_refused(history: History, bad: object) -> None:
    owner = new_owner_id()
    good = history.save(make_image(), owner=owner, page="create")
    with pytest.raises(BadInput):
        check_id(bad)
    with pytest.raises(BadInput):
        history.save(make_image(), owner=bad, page="create")  # type: ignore[arg-type]
    with pytest.raises(BadInput):
        history.read_png(owner, bad)  # type: ignore[arg-type]
    with pytest.raises(BadInput):
        history.read_png(bad, good)  # type: ignore[arg-type]
    with pytest.raises(BadInput):
        history.delete(owner, bad)  # type: ignore[arg-type]
    with pytest.raises(BadInput):
        history.list(bad)  # type: ignore[arg-type]
    assert history.count(owner) == 1
    # Nothing was written anywhere but the owner's own folder.
    assert [p.name for p in history.root.parent.iterdir()] == ["data"]
    assert [p.name for p in history.images_dir.iterdir()] == [owner]
    assert [p.stem for p in (history.images_dir / owner).iterdir()] == [good]


def test_page_names_are_checked(history: History) -> None:
    with pytest.raises(BadInput):
        history.save(make_image(), owner=new_owner_id(), page="../create")


def test_zip_all_holds_every_png_with_its_settings(history: History) -> None:
    owner = new_owner_id()
    ids = {history.save(make_image(f"picture {i}"), owner=owner, page="create") for i in range(3)}
    buffer = io.BytesIO()
    assert history.zip_all(owner, buffer) is None
    with zipfile.ZipFile(buffer) as zf:
        names = zf.namelist()
        # "<YYYY-mm-dd_HH-MM-SS>_<id>.png": the stamp has a fixed width, and ids may hold "_" too.
        assert {n[len("2026-01-01_00-00-00_") :].removesuffix(".png") for n in names} == ids
        records = [pnginfo.read_settings(zf.read(n)) for n in names]
    assert sorted(r["prompt_typed"] for r in records if r) == ["picture 0", "picture 1", "picture 2"]


def test_import_png_reads_a_dropped_app_png_into_another_gallery(history: History) -> None:
    alice, bob = new_owner_id(), new_owner_id()
    png = history.read_png(alice, history.save(make_image("a kite", seed=5), owner=alice, page="create"))

    new_id = history.import_png(png, owner=bob)

    entry = history.get(bob, new_id)
    assert (entry.prompt_typed, entry.seed, entry.page) == ("a kite", 5, "gallery")
    with pytest.raises(BadInput, match="not made by the Image Studio"):
        history.import_png(tiny_png(), owner=bob)
    with pytest.raises(BadInput):
        history.import_png(b"\x89PNG\r\n\x1a\n" + b"junk" * 10, owner=bob)
    assert history.count(bob) == 1


def test_two_concurrent_writer_processes_lose_nothing(tmp_path: Path) -> None:
    data_dir = str(tmp_path / "data")
    History(data_dir)
    owners = [new_owner_id(), new_owner_id()]
    procs = [SPAWN.Process(target=write_many, args=(data_dir, owner, 200)) for owner in owners]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=240)
        assert p.exitcode == 0

    history = History(data_dir)
    for owner in owners:
        entries = history.list(owner, limit=1000)
        assert len(entries) == history.count(owner) == 200
        assert {e.prompt_typed for e in entries} == {f"{owner} picture {i}" for i in range(200)}
        assert all(e.owner == owner for e in entries)
        files = list((history.images_dir / owner).iterdir())
        assert sorted(f.stem for f in files) == sorted(e.id for e in entries)


def test_a_writer_killed_mid_write_leaves_the_store_readable(tmp_path: Path) -> None:
    data_dir = str(tmp_path / "data")
    history = History(data_dir)
    owner = new_owner_id()
    child = SPAWN.Process(target=write_forever, args=(data_dir, owner))
    child.start()
    try:
        deadline = time.monotonic() + 120
        while history.count(owner) < 25:  # wait for real writes, not for a fixed time
            assert child.is_alive() and time.monotonic() < deadline
            time.sleep(0.01)
        assert child.pid is not None
        os.kill(child.pid, signal.SIGKILL)
        child.join(timeout=30)
    finally:
        if child.is_alive():
            child.kill()
    assert child.exitcode == -signal.SIGKILL

    reopened = History(data_dir)
    with sqlite3.connect(reopened.db_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    entries = reopened.list(owner, limit=10_000)
    assert len(entries) >= 25
    for entry in entries:
        record = pnginfo.read_settings(reopened.read_png(owner, entry.id))
        assert record is not None and record["id"] == entry.id
    # The store still takes new images after the crash.
    reopened.save(make_image("after the crash"), owner=owner, page="create")
    assert reopened.count(owner) == len(entries) + 1
