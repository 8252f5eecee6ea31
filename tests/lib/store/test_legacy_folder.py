"""A data folder written by the code before the store (tests/data/legacy_data_dir) opens with everything in it."""

from __future__ import annotations

import json
import shutil
import stat
import time
from pathlib import Path

import pytest

from lib import pnginfo
from lib.store import Store
from lib.store.db import current_revision

LEGACY = Path(__file__).resolve().parents[2] / "data" / "legacy_data_dir"
ADA, KWAME = "legacyOwnerAAAA1111", "legacyOwnerBBBB2222"


@pytest.fixture
def legacy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(LEGACY, folder)
    # The hourly counts only matter inside the last hour: move the fixture's stamps to now.
    rates = folder / "rate_limits.json"
    stamps = json.loads(rates.read_text())
    rates.write_text(json.dumps({owner: [time.time() - 60] * len(times) for owner, times in stamps.items()}))
    return folder


def test_every_picture_rule_name_log_line_and_count_is_still_there(legacy: Path) -> None:
    store = Store.embedded(legacy)

    assert (current_revision(store._engine) or "") >= "0002"  # noqa: SLF001
    assert store.pictures.count(ADA) == 2 and store.pictures.count(KWAME) == 3
    for owner in (ADA, KWAME):
        for entry in store.pictures.list(owner):
            record = pnginfo.read_settings(store.pictures.read_png(owner, entry.id))
            assert record is not None and record["id"] == entry.id and entry.thumbnail
    assert {e.page for e in store.pictures.list(KWAME)} == {"compare", "create"}
    rules = store.rules.read()
    assert rules.version == 1
    assert rules.rules.disallow == ("castle", "weapons") and rules.rules.max_images_per_hour == 7
    assert rules.rules.metaprompt == "Be kind. {disallow}"
    assert store.roster.names() == {ADA: "Ada", KWAME: "Kwame"}
    assert store.roster.known(ADA) and store.roster.known(KWAME)
    log = store.audit.latest(10)
    assert [(line["owner"], line["stage"], line["prompt"]) for line in log] == [
        (KWAME, "rate limit", ""), (ADA, "prompt screen", "a big gun"),
    ]  # fmt: skip
    assert store.counters.used(ADA, "hosted_pictures", 3600) == 3


def test_opening_twice_imports_nothing_twice_and_new_pictures_join(legacy: Path) -> None:
    Store.embedded(legacy).close()
    store = Store.embedded(legacy)
    assert store.pictures.count(ADA) == 2 and len(store.audit.latest(10)) == 2
    assert store.rules.read().version == 1


def test_the_embedded_store_is_private_to_the_apps_user(tmp_path: Path) -> None:
    folder = tmp_path / "fresh"
    store = Store.embedded(folder)
    from tests.lib.store.workers import make_image

    owner = "privateOwner12345678"
    image_id = store.pictures.save(make_image(), owner=owner, page="create")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "images").stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "images" / owner).stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "images" / owner / f"{image_id}.png").stat().st_mode) == 0o600
    assert stat.S_IMODE((folder / "history.sqlite3").stat().st_mode) == 0o600
