"""``python -m lib.store copy``: the embedded store of a class moves to PostgreSQL + S3, verified, twice safely."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lib import pnginfo
from lib.rules import TeacherRules
from lib.store import Store
from tests.lib.store.workers import make_image
from tests.store_servers import S3_KEY_ID, S3_REGION, S3_SECRET, StoreSpec, school_spec

ROOT = Path(__file__).resolve().parents[3]
LEGACY = ROOT / "tests" / "data" / "legacy_data_dir"


def test_copy_moves_everything_verifies_it_and_can_run_again(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    data = tmp_path / "data"
    shutil.copytree(LEGACY, data)  # a class's folder, written by the old code
    source = Store.embedded(data)
    source.pictures.save(make_image("a new one"), owner="legacyOwnerAAAA1111", page="create")
    source.audit.record(owner="legacyOwnerAAAA1111", stage="prompt screen", category="self-harm", severity="urgent")
    source.rules.save(source.rules.read().rules.with_changes(help_line="Call 116 111"), expected_version=1)
    target_spec: StoreSpec = school_spec(request, tmp_path / "unused")
    assert target_spec.database_url and target_spec.storage_url and target_spec.s3
    env = {
        "PATH": "/usr/bin:/bin", "STUDIO_DATA_DIR": str(data), "STUDIO_ENV_FILE": "",
        "AWS_ACCESS_KEY_ID": S3_KEY_ID, "AWS_SECRET_ACCESS_KEY": S3_SECRET, "AWS_DEFAULT_REGION": S3_REGION,
    }  # fmt: skip
    command = [sys.executable, "-m", "lib.store", "copy", "--to-database", target_spec.database_url,
               "--to-storage", target_spec.storage_url, "--to-s3-endpoint", target_spec.s3.endpoint]  # fmt: skip

    first = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "pictures: copied 6, already there 0, source 6, target 6" in first.stdout
    assert "verified: every picture's checksum matches" in first.stdout

    target = target_spec.open()
    request.addfinalizer(target.close)
    for owner in ("legacyOwnerAAAA1111", "legacyOwnerBBBB2222"):
        mine, theirs = source.pictures.list(owner), target.pictures.list(owner)
        assert [e.id for e in mine] == [e.id for e in theirs]
        for a, b in zip(mine, theirs, strict=True):
            assert source.pictures.read_png(owner, a.id) == target.pictures.read_png(owner, b.id)
            assert (a.prompt_typed, a.seed, a.thumbnail, a.meta) == (b.prompt_typed, b.seed, b.thumbnail, b.meta)
            assert pnginfo.read_settings(target.pictures.read_png(owner, b.id))["id"] == b.id  # type: ignore[index]
    assert target.rules.read().rules == source.rules.read().rules
    assert isinstance(target.rules.read().rules, TeacherRules) and target.rules.read().rules.disallow[0] == "castle"
    assert target.roster.names() == {"legacyOwnerAAAA1111": "Ada", "legacyOwnerBBBB2222": "Kwame"}
    assert [r["prompt"] for r in target.audit.latest(10)] == [r["prompt"] for r in source.audit.latest(10)]
    assert target.audit.count(severity="urgent") == 1

    again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert "pictures: copied 0, already there 6, source 6, target 6" in again.stdout
    assert "audit: copied 0, already there 3" in again.stdout
    assert target.pictures.count("legacyOwnerAAAA1111") == 3
    target.close()


def test_copy_says_clearly_when_the_target_does_not_answer(tmp_path: Path) -> None:
    from tests.store_servers import free_port

    env = {"PATH": "/usr/bin:/bin", "STUDIO_DATA_DIR": str(tmp_path / "d"), "STUDIO_ENV_FILE": ""}
    dead = f"postgresql+psycopg://nobody:secret-pw@127.0.0.1:{free_port()}/studio"
    done = subprocess.run(
        [sys.executable, "-m", "lib.store", "copy", "--to-database", dead, "--to-storage", str(tmp_path / "pics")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert "can't be reached" in done.stderr and "secret-pw" not in done.stderr and "Traceback" not in done.stderr
