"""The store's picture contract, run on both backends: embedded (SQLite + folder) and PostgreSQL + S3.

Crash safety, concurrent writers, owners kept apart, no path traversal, and the class view's
queries across owners.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import signal
import time
import zipfile
from dataclasses import replace

import pytest
from PIL import Image

from lib import pnginfo
from lib.errors import BadInput
from lib.pictures import THUMB_PX, GeneratedImage, check_id, new_owner_id
from lib.store import Filters, Store
from lib.store.pictures import object_key
from tests.lib.store.workers import make_image, tiny_png, write_forever, write_many
from tests.store_servers import StoreSpec

SPAWN = multiprocessing.get_context("spawn")


def test_save_then_read_back_everything(store: Store) -> None:
    owner = new_owner_id()
    image = make_image("a lighthouse at night", seed=11)

    image_id = store.pictures.save(image, owner=owner, page="create")

    entry = store.pictures.get(owner, image_id)
    assert (entry.owner, entry.page, entry.engine, entry.model, entry.operation) == (
        owner, "create", "storybook", "storybook-1", "generate",
    )  # fmt: skip
    assert (entry.prompt_typed, entry.prompt_sent, entry.size, entry.seed, entry.temperature) == (
        "a lighthouse at night", "A friendly picture: a lighthouse at night", "256x256", 11, 0.5,
    )  # fmt: skip
    assert entry.created == pytest.approx(image.created) and entry.hidden is False
    with Image.open(io.BytesIO(entry.thumbnail)) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) <= THUMB_PX
    png = store.pictures.read_png(owner, image_id)
    assert store.objects.get(object_key(owner, image_id)) == png
    with Image.open(io.BytesIO(png)) as im, Image.open(io.BytesIO(image.png)) as original:
        assert im.tobytes() == original.tobytes()
    record = pnginfo.read_settings(png)
    assert record is not None and record["id"] == image_id and record["page"] == "create"
    assert entry.settings() == {
        "prompt_typed": "a lighthouse at night", "engine": "storybook", "model": "storybook-1",
        "size": "256x256", "seed": 11, "temperature": 0.5, "quality": "auto",
    }  # fmt: skip
    loaded = store.pictures.load(owner, image_id)
    assert (loaded.png, loaded.seed, loaded.extra) == (png, 11, {"drawn": ["fox"]})


def test_thumbnail_of_a_big_picture_is_small(store: Store) -> None:
    owner = new_owner_id()
    out = io.BytesIO()
    Image.effect_noise((1024, 768), 60).convert("RGB").save(out, format="PNG")
    big = replace(make_image(), png=out.getvalue())
    entry = store.pictures.get(owner, store.pictures.save(big, owner=owner, page="create"))
    with Image.open(io.BytesIO(entry.thumbnail)) as thumb:
        assert thumb.size == (THUMB_PX, THUMB_PX * 3 // 4)
    assert len(entry.thumbnail) < 20_000 < len(out.getvalue())


def test_list_filters_paginates_and_counts(store: Store) -> None:
    pictures, owner = store.pictures, new_owner_id()
    ids = []
    for i, (page, prompt) in enumerate([("create", "a cat"), ("compare", "a dog"), ("create", "100% cat_x")] * 3):
        ids.append(pictures.save(replace(make_image(prompt, seed=i), created=1_000 + i), owner=owner, page=page))

    assert pictures.count(owner) == 9
    assert pictures.count(owner, page="compare") == 3
    assert pictures.count(owner, engine="storybook") == 9
    assert pictures.count(owner, engine="openai") == 0
    assert pictures.count(owner, text="CAT") == 6  # case does not matter, on either database
    assert pictures.count(owner, text="100%") == 3  # LIKE wildcards are taken literally
    assert pictures.count(owner, text="t_x") == 3
    assert pictures.count(owner, text="%") == 3
    assert pictures.count(owner, page="create", text="dog") == 0
    first, second = pictures.list(owner, limit=5), pictures.list(owner, limit=5, offset=5)
    assert len(first) == 5 and len(second) == 4
    assert [e.id for e in first + second] == list(reversed(ids))  # newest first, none twice, none lost
    view = pictures.overview(owner, text="cat", limit=4, offset=4)
    assert (view.total, view.matching, view.pages, view.engines) == (9, 6, ["compare", "create"], ["storybook"])
    assert [e.id for e in view.entries] == [e.id for e in pictures.list(owner, text="cat")][4:]


def test_delete_removes_row_and_file(store: Store) -> None:
    owner = new_owner_id()
    keep = store.pictures.save(make_image("keep"), owner=owner, page="create")
    drop = store.pictures.save(make_image("drop"), owner=owner, page="create")

    assert store.pictures.delete(owner, drop) is True
    with pytest.raises(FileNotFoundError):
        store.objects.get(object_key(owner, drop))
    assert [e.id for e in store.pictures.list(owner)] == [keep]
    with pytest.raises(BadInput):
        store.pictures.get(owner, drop)
    assert store.pictures.delete(owner, drop) is False


def test_owners_never_see_each_other(store: Store) -> None:
    alice, bob = new_owner_id(), new_owner_id()
    a = store.pictures.save(make_image("alice's"), owner=alice, page="create")
    store.pictures.save(make_image("bob's"), owner=bob, page="create")

    assert [e.prompt_typed for e in store.pictures.list(bob)] == ["bob's"]
    with pytest.raises(BadInput):
        store.pictures.get(bob, a)
    with pytest.raises(BadInput):
        store.pictures.read_png(bob, a)
    assert store.pictures.delete(bob, a) is False
    assert store.pictures.count(alice) == 1
    with zipfile.ZipFile(io.BytesIO(store.pictures.zip_all(bob) or b"")) as zf:
        assert len(zf.namelist()) == 1 and a not in zf.namelist()[0]


@pytest.mark.parametrize(
    "bad",
    ["../../etc", "..", "a/../../b1234567", "/etc/passwd", "abc", "x" * 65, "name with space", "abcd\x00efgh",
     "..%2f..%2fetc", "C:\\Windows\\x", "ünïcode-id", "", None],
)  # fmt: skip
def test_path_traversal_and_bad_ids_are_refused(store: Store, store_spec: StoreSpec, bad: object) -> None:
    owner = new_owner_id()
    good = store.pictures.save(make_image(), owner=owner, page="create")
    with pytest.raises(BadInput):
        check_id(bad)
    with pytest.raises(BadInput):
        store.pictures.save(make_image(), owner=bad, page="create")  # type: ignore[arg-type]
    with pytest.raises(BadInput):
        store.pictures.read_png(owner, bad)  # type: ignore[arg-type]
    with pytest.raises(BadInput):
        store.pictures.read_png(bad, good)  # type: ignore[arg-type]
    with pytest.raises(BadInput):
        store.pictures.delete(owner, bad)  # type: ignore[arg-type]
    with pytest.raises(BadInput):
        store.pictures.list(bad)  # type: ignore[arg-type]
    assert store.pictures.count(owner) == 1
    if store_spec.kind == "embedded":  # nothing was written anywhere but the owner's own folder
        images = store_spec.data_dir / "images"
        assert sorted(p.name for p in store_spec.data_dir.iterdir() if not p.name.startswith("history")) == ["images"]
        assert [p.name for p in images.iterdir()] == [owner]
        assert [p.stem for p in (images / owner).iterdir()] == [good]


def test_page_names_are_checked(store: Store) -> None:
    with pytest.raises(BadInput):
        store.pictures.save(make_image(), owner=new_owner_id(), page="../create")


def test_zip_all_holds_every_png_with_its_settings(store: Store) -> None:
    owner = new_owner_id()
    ids = {store.pictures.save(make_image(f"picture {i}"), owner=owner, page="create") for i in range(3)}
    buffer = io.BytesIO()
    assert store.pictures.zip_all(owner, buffer) is None
    with zipfile.ZipFile(buffer) as zf:
        names = zf.namelist()
        # "<YYYY-mm-dd_HH-MM-SS>_<id>.png": the stamp has a fixed width, and ids may hold "_" too.
        assert {n[len("2026-01-01_00-00-00_") :].removesuffix(".png") for n in names} == ids
        records = [pnginfo.read_settings(zf.read(n)) for n in names]
    assert sorted(r["prompt_typed"] for r in records if r) == ["picture 0", "picture 1", "picture 2"]


def test_the_students_zip_leaves_out_hidden_pictures_and_follows_the_filters(store: Store) -> None:
    owner = new_owner_id()
    cat, dog, hidden_cat = (
        store.pictures.save(make_image(p), owner=owner, page="create") for p in ("a cat", "a dog", "a cat")
    )
    store.pictures.set_hidden(hidden_cat, True)

    def ids(data: bytes | None) -> set[str]:
        with zipfile.ZipFile(io.BytesIO(data or b"")) as zf:
            return {n[len("2026-01-01_00-00-00_") :].removesuffix(".png") for n in zf.namelist()}

    assert ids(store.pictures.zip_all(owner)) == {cat, dog}
    assert store.pictures.downloadable(owner) == 2
    assert ids(store.pictures.zip_all(owner, text="CAT")) == {cat}
    assert store.pictures.downloadable(owner, text="cat") == 1
    assert ids(store.pictures.zip_all(owner, page="compare")) == set()
    assert store.pictures.downloadable(owner, page="compare") == 0
    assert store.pictures.read_png(owner, hidden_cat, teacher=True)  # the teacher still has it


def test_import_png_reads_a_dropped_app_png_into_another_gallery(store: Store) -> None:
    alice, bob = new_owner_id(), new_owner_id()
    png = store.pictures.read_png(alice, store.pictures.save(make_image("a kite", seed=5), owner=alice, page="create"))

    new_id = store.pictures.import_png(png, owner=bob)

    entry = store.pictures.get(bob, new_id)
    assert (entry.prompt_typed, entry.seed, entry.page) == ("a kite", 5, "gallery")
    with pytest.raises(BadInput, match="not made by the Image Studio"):
        store.pictures.import_png(tiny_png(), owner=bob)
    with pytest.raises(BadInput):
        store.pictures.import_png(b"\x89PNG\r\n\x1a\n" + b"junk" * 10, owner=bob)
    assert store.pictures.count(bob) == 1


def test_class_view_reads_across_owners_and_hidden_pictures_are_marked(store: Store) -> None:
    alice, bob = new_owner_id(), new_owner_id()
    a1 = store.pictures.save(replace(make_image("alice one"), created=100.0), owner=alice, page="create")
    store.pictures.save(replace(make_image("bob one"), created=200.0), owner=bob, page="compare")
    store.pictures.save(replace(make_image("alice two"), created=300.0), owner=alice, page="create")

    total, newest = store.pictures.class_page(Filters(), limit=2)
    assert total == 3 and [e.prompt_typed for e in newest] == ["alice two", "bob one"]
    assert store.pictures.class_page(Filters(owner=alice))[0] == 2
    assert store.pictures.class_page(Filters(page="compare"))[0] == 1
    assert store.pictures.class_page(Filters(since=150.0, until=250.0))[0] == 1

    assert store.pictures.set_hidden(a1, True) is True
    assert store.pictures.get(alice, a1).hidden is True
    assert [e.id for e in store.pictures.class_page(Filters(hidden=True))[1]] == [a1]
    assert store.pictures.set_hidden(a1, False) and store.pictures.get(alice, a1).hidden is False
    assert store.pictures.set_hidden("NoSuchPicture1", True) is False


def test_two_concurrent_writer_processes_lose_nothing(store: Store, store_spec: StoreSpec) -> None:
    owners = [new_owner_id(), new_owner_id()]
    procs = [SPAWN.Process(target=write_many, args=(store_spec, owner, 100)) for owner in owners]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=240)
        assert p.exitcode == 0

    for owner in owners:
        entries = store.pictures.list(owner, limit=1000)
        assert len(entries) == store.pictures.count(owner) == 100
        assert {e.prompt_typed for e in entries} == {f"{owner} picture {i}" for i in range(100)}
        assert all(e.owner == owner for e in entries)
        for entry in entries[::10]:
            assert pnginfo.read_settings(store.pictures.read_png(owner, entry.id))["id"] == entry.id  # type: ignore[index]


def test_a_writer_killed_mid_write_leaves_the_store_readable(store: Store, store_spec: StoreSpec) -> None:
    owner = new_owner_id()
    child = SPAWN.Process(target=write_forever, args=(store_spec, owner))
    child.start()
    try:
        deadline = time.monotonic() + 120
        while store.pictures.count(owner) < 25:  # wait for real writes, not for a fixed time
            assert child.is_alive() and time.monotonic() < deadline
            time.sleep(0.01)
        assert child.pid is not None
        os.kill(child.pid, signal.SIGKILL)
        child.join(timeout=30)
    finally:
        if child.is_alive():
            child.kill()
    assert child.exitcode == -signal.SIGKILL

    reopened = store_spec.open()
    try:
        entries = reopened.pictures.list(owner, limit=10_000)
        assert len(entries) >= 25
        for entry in entries:  # every row has its whole picture
            record = pnginfo.read_settings(reopened.pictures.read_png(owner, entry.id))
            assert record is not None and record["id"] == entry.id
        reopened.pictures.save(make_image("after the crash"), owner=owner, page="create")
        assert reopened.pictures.count(owner) == len(entries) + 1
    finally:
        reopened.close()


def test_a_hidden_picture_is_not_handed_to_its_student_only_to_the_teacher(store: Store) -> None:
    owner = new_owner_id()
    image_id = store.pictures.save(make_image("a rude drawing"), owner=owner, page="create")
    store.pictures.set_hidden(image_id, True)
    with pytest.raises(BadInput, match="teacher hid"):
        store.pictures.read_png(owner, image_id)
    with pytest.raises(BadInput, match="teacher hid"):
        store.pictures.load(owner, image_id)
    assert store.pictures.read_png(owner, image_id, teacher=True).startswith(b"\x89PNG")
    assert store.pictures.get(owner, image_id).hidden  # the gallery still lists it, as a note


def _tagged(prompt: str, created: float, **extra: object) -> GeneratedImage:
    image = make_image(prompt)
    return replace(image, created=created, extra={**image.extra, **extra})


def test_a_compare_run_is_one_card_and_pages_count_cards(store: Store) -> None:
    pictures, owner = store.pictures, new_owner_id()
    singles = [pictures.save(_tagged(f"single {i}", 1_000 + i), owner=owner, page="create") for i in range(3)]
    run = [
        pictures.save(
            _tagged("a kite", 2_000 + i, experiment="run1", column=f"col {i % 2}"), owner=owner, page="compare"
        )
        for i in range(6)
    ]
    sweep = [
        pictures.save(_tagged("a kite", 2_010 + i, experiment="run2"), owner=owner, page="compare") for i in range(5)
    ]
    newest = pictures.save(_tagged("the newest", 3_000), owner=owner, page="create")
    # A Compare picture from before experiments had ids folds with the others of its minute.
    old = [pictures.save(_tagged("old", 600 + i), owner=owner, page="compare") for i in range(2)]

    view = pictures.overview(owner, grouped=True, limit=3, offset=0)
    assert (view.total, view.matching, view.group_count) == (17, 17, 7)
    assert [g.key for g in view.groups] == [newest, "x:run2", "x:run1"]
    assert [g.count for g in view.groups] == [1, 5, 6]
    assert [g.folded for g in view.groups] == [False, True, True]
    assert [e.id for e in view.groups[2].entries] == run[:4]  # the preview: the first four, oldest first
    assert [e.id for e in view.entries] == [newest, sweep[0], run[0]]
    rest = pictures.overview(owner, grouped=True, limit=10, offset=3)
    assert [g.key for g in rest.groups] == singles[::-1] + ["m:10"]
    assert [e.id for e in rest.groups[-1].entries] == old

    assert [e.id for e in pictures.experiment(owner, "x:run1")] == run
    assert [e.meta["extra"]["column"] for e in pictures.experiment(owner, "x:run1")][:2] == ["col 0", "col 1"]
    assert pictures.experiment(new_owner_id(), "x:run1") == []  # another owner's key opens nothing
    # Filters apply to the cards' counts too.
    assert pictures.overview(owner, grouped=True, page="create").group_count == 4
    assert pictures.overview(owner, grouped=True, text="kite").group_count == 2


def test_the_last_batch_of_a_page(store: Store) -> None:
    pictures, owner = store.pictures, new_owner_id()
    assert pictures.last_batch(owner, "create") == []
    first = [pictures.save(_tagged("a cat", 1_000 + i, batch="b1"), owner=owner, page="create") for i in range(2)]
    second = [pictures.save(_tagged("a cat", 1_010 + i, batch="b2"), owner=owner, page="create") for i in range(3)]
    edited = pictures.save(_tagged("edited", 1_020, batch="b3"), owner=owner, page="edit")
    assert [e.id for e in pictures.last_batch(owner, "create")] == second
    assert [e.id for e in pictures.last_batch(owner, "edit")] == [edited]
    assert first  # the older batch stays in the gallery, it just is not "the last one"
    # Saved before batches had ids: the same words, engine and model, close in time.
    legacy = [pictures.save(_tagged("a dog", 5_000 + i), owner=owner, page="create") for i in range(2)]
    pictures.save(_tagged("a dog", 4_000), owner=owner, page="create")  # long before: another click
    assert [e.id for e in pictures.last_batch(owner, "create")] == legacy
