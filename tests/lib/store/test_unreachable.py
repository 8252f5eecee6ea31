"""When the database or the bucket stops answering: a clear message, no engine call, nothing half-written."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from lib.engines import get_engine
from lib.engines.base import Engine
from lib.errors import StoreUnavailable
from lib.pictures import new_owner_id
from lib.settings import Settings
from lib.store import UNREACHABLE, Store, open_store
from lib.store.objects import S3Bucket
from lib.studio import Studio
from tests.lib.store.workers import make_image
from tests.store_servers import (
    S3_KEY_ID,
    S3_REGION,
    S3_SECRET,
    PostgresServer,
    S3Server,
    TcpProxy,
    free_port,
)


def test_a_database_that_does_not_answer_is_said_plainly_and_quickly(tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(StoreUnavailable) as caught:
        open_store(data_dir=tmp_path, database_url=f"postgresql+psycopg://u:pw-secret@127.0.0.1:{free_port()}/x")
    assert time.monotonic() - started < 10
    assert str(caught.value) == UNREACHABLE and "can't be reached" in UNREACHABLE
    assert "pw-secret" not in (caught.value.detail or "")


class Counting:
    """An engine lookup that counts the engine calls made (the storybook engine does the work)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, name: str, settings: Settings) -> Engine:
        self.calls += 1
        return get_engine(name, settings)


@pytest.mark.parametrize("what", ["database", "bucket"])
def test_a_store_that_goes_down_keeps_the_picture_made_and_stops_further_calls(
    what: str, tmp_path: Path, postgres_server: PostgresServer, s3_server: S3Server
) -> None:
    database, bucket = postgres_server.create_database(), s3_server.new_bucket()
    proxy = TcpProxy(postgres_server.port if what == "database" else int(s3_server.endpoint.rsplit(":", 1)[1]))
    if what == "database":
        database = database.replace(f":{postgres_server.port}/", f":{proxy.port}/")
        endpoint = s3_server.endpoint
    else:
        endpoint = f"http://127.0.0.1:{proxy.port}"
    objects = S3Bucket(bucket, "p", endpoint_url=endpoint, region=S3_REGION, access_key_id=S3_KEY_ID,
                       secret_access_key=S3_SECRET)  # fmt: skip
    store = Store(database, objects)
    owner, lookup = new_owner_id(), Counting()
    studio = Studio(Settings(engine="storybook", data_dir=tmp_path), save=store.pictures.save,
                    store_check=store.check_available, engine_lookup=lookup)  # fmt: skip
    ask = {"prompt": "a cat on a hill", "engine": "storybook", "model": "storybook-1", "size": "256x256",
           "owner": owner}  # fmt: skip
    assert studio.generate(**ask).ids[0]  # all well

    proxy.cut()
    made = studio.generate(**ask)  # the picture exists before the store fails: it is still handed back
    assert made.ids == [""] and made.images[0].png.startswith(b"\x89PNG")
    assert made.save_error is not None and str(made.save_error) == UNREACHABLE
    calls = lookup.calls
    with pytest.raises(StoreUnavailable):
        studio.generate(**ask)  # known to be down: refused before any engine is called
    assert lookup.calls == calls + 1  # the lookup ran (it names the engine), the engine's generate did not
    assert not store.health().ok
    store.close()


def test_nothing_half_written_when_the_bucket_fails_mid_save(tmp_path: Path, s3_server: S3Server) -> None:
    """The PNG goes first: a failed upload leaves no row, so the gallery never lists a missing picture."""

    proxy = TcpProxy(int(s3_server.endpoint.rsplit(":", 1)[1]))
    objects = S3Bucket(s3_server.new_bucket(), "p", endpoint_url=f"http://127.0.0.1:{proxy.port}",
                       region=S3_REGION, access_key_id=S3_KEY_ID, secret_access_key=S3_SECRET)  # fmt: skip
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite3'}", objects)
    owner = new_owner_id()
    store.pictures.save(make_image("kept"), owner=owner, page="create")
    proxy.cut()
    with pytest.raises(StoreUnavailable):
        store.pictures.save(make_image("lost"), owner=owner, page="create")
    assert [e.prompt_typed for e in store.pictures.list(owner)] == ["kept"]
    store.close()


def test_the_app_says_so_when_the_store_cannot_be_opened(monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("STUDIO_DATABASE_URL", f"postgresql+psycopg://u:pw@127.0.0.1:{free_port()}/studio")
    at = AppTest.from_file(str(Path(__file__).resolve().parents[3] / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert any("can't be reached" in e.value for e in at.error)
    assert "pw@" not in " ".join(str(e.value) for e in (*at.error, *at.caption, *at.markdown))


def test_with_both_stores_remote_nothing_is_written_to_the_servers_own_disk(
    tmp_path: Path, postgres_server: PostgresServer, s3_server: S3Server
) -> None:
    local = tmp_path / "replica-data"
    store = open_store(
        data_dir=local, database_url=postgres_server.create_database(),
        storage_url=f"s3://{s3_server.new_bucket()}/class", s3_endpoint_url=s3_server.endpoint,
        aws_region=S3_REGION, aws_access_key_id=S3_KEY_ID, aws_secret_access_key=S3_SECRET,
    )  # fmt: skip
    owner = new_owner_id()
    store.pictures.save(make_image("far away"), owner=owner, page="create")
    store.roster.set_name(owner, "Ada")
    store.audit.record(owner=owner, stage="prompt screen", category="weapons")
    assert store.pictures.count(owner) == 1 and not local.exists()
    store.close()
