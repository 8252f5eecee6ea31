"""Real servers for the school set-up: a PostgreSQL cluster and an S3-compatible HTTP server.

- PostgreSQL: Debian's binaries (``initdb``, ``pg_ctl``; ``scripts/test`` installs the
  ``postgresql`` package when they are missing), a fresh cluster in a temporary folder on a free
  port on 127.0.0.1, run as the ``postgres`` user when the tests run as root (PostgreSQL refuses
  to run as root). Each test gets a database of its own.
- S3: moto's server mode (``python -m moto.server``), a real HTTP server speaking the S3
  protocol, on a free port. Each test gets a bucket of its own.

Both are started once per test session. Without the binaries the tests that need them are
skipped on a developer's machine and fail in CI (``CI`` set), so CI can never pass by skipping.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

S3_KEY_ID = "testing-key-id"
S3_SECRET = "testing-secret-0123456789"
S3_REGION = "us-east-1"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, *, timeout_s: float = 30.0, process: subprocess.Popen[bytes] | None = None) -> None:
    """Return once something accepts connections on ``port`` (fail if the process died or time ran out)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before it listened on {port}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)  # polling a condition, not waiting for time to pass
    raise RuntimeError(f"nothing listened on port {port} within {timeout_s} s")


def _missing(what: str) -> None:
    message = f"{what}; ./scripts/test installs it"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


@dataclass(frozen=True)
class PostgresServer:
    """A running cluster: ``url(database)`` gives an SQLAlchemy URL for one of its databases."""

    port: int
    user: str

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new empty database; returns its URL."""
        import psycopg

        name = "studio_" + secrets.token_hex(6)
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user={self.user} dbname=postgres", autocommit=True
        ) as db:
            db.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL cluster for the test session."""
    with postgres_cluster() as server:
        yield server


@contextlib.contextmanager
def postgres_cluster() -> Iterator[PostgresServer]:
    """:func:`running_postgres` for the tests: missing binaries skip (fail in CI) instead of erroring."""
    stack = contextlib.ExitStack()
    try:
        server = stack.enter_context(running_postgres())
    except RuntimeError as error:  # no initdb/pg_ctl, or no postgres user
        _missing(str(error))
    with stack:
        yield server


@contextlib.contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """A fresh PostgreSQL cluster on a free port of 127.0.0.1, stopped and removed on exit
    (the fixture above, and ``bench/class_load.py``'s replicas, use it)."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        raise RuntimeError("PostgreSQL's initdb/pg_ctl are not installed; ./scripts/test installs them")
    folder = Path(tempfile.mkdtemp(prefix="studio-pg-"))
    data, sockets = folder / "data", folder / "sockets"
    sockets.mkdir()
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            raise RuntimeError("the postgres user does not exist; ./scripts/test creates it") from None
        for path in (folder, sockets):
            os.chown(path, account.pw_uid, account.pw_gid)
    user = "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
    subprocess.run(
        _as_postgres([initdb, "-D", str(data), "-U", user, "--auth=trust", "-E", "UTF8", "--no-sync"]),
        check=True, capture_output=True,
    )  # fmt: skip
    port = free_port()
    options = f"-h 127.0.0.1 -p {port} -k {sockets} -c fsync=off -c max_connections=200"
    subprocess.run(
        _as_postgres([pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "-t", "60", "start"]),
        check=True, capture_output=True,
    )  # fmt: skip
    try:
        yield PostgresServer(port=port, user=user)
    finally:
        subprocess.run(_as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class S3Server:
    """A running S3-compatible server: ``new_bucket()`` makes an empty bucket."""

    endpoint: str

    def client(self):  # type: ignore[no-untyped-def]
        import boto3

        return boto3.client(
            "s3", endpoint_url=self.endpoint, region_name=S3_REGION,
            aws_access_key_id=S3_KEY_ID, aws_secret_access_key=S3_SECRET,
        )  # fmt: skip

    def new_bucket(self) -> str:
        name = "class-" + secrets.token_hex(6)
        self.client().create_bucket(Bucket=name)
        return name

    def env(self) -> dict[str, str]:
        """The settings that point the app at this server."""
        return {
            "STUDIO_S3_ENDPOINT_URL": self.endpoint, "AWS_ACCESS_KEY_ID": S3_KEY_ID,
            "AWS_SECRET_ACCESS_KEY": S3_SECRET, "AWS_DEFAULT_REGION": S3_REGION,
        }  # fmt: skip


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """moto's S3 server in its own process, for the test session."""
    with moto_server() as server:
        yield server


@contextlib.contextmanager
def moto_server() -> Iterator[S3Server]:
    """moto's S3 server in its own process on a free port (tests and benches)."""
    try:
        import moto.server  # noqa: F401
    except ImportError:
        _missing("moto[server] is not installed")
    with running_s3() as server:
        yield server


@contextlib.contextmanager
def running_s3() -> Iterator[S3Server]:
    """moto's S3 server in its own process on a free port of 127.0.0.1, stopped on exit."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port(port, process=process)
        yield S3Server(endpoint=f"http://127.0.0.1:{port}")
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass(frozen=True)
class StoreSpec:
    """How to open one store, in this process or another (a worker, a Streamlit replica)."""

    kind: str
    data_dir: Path
    database_url: str | None = None
    storage_url: str | None = None
    s3: S3Server | None = None

    def open(self):  # type: ignore[no-untyped-def]
        from lib.store import open_store

        return open_store(
            data_dir=self.data_dir, database_url=self.database_url, storage_url=self.storage_url,
            s3_endpoint_url=self.s3.endpoint if self.s3 else None, aws_region=S3_REGION if self.s3 else None,
            aws_access_key_id=S3_KEY_ID if self.s3 else None, aws_secret_access_key=S3_SECRET if self.s3 else None,
        )  # fmt: skip

    def env(self) -> dict[str, str]:
        """Environment variables that make the app open this store."""
        env = {"STUDIO_DATA_DIR": str(self.data_dir)}
        if self.database_url:
            env["STUDIO_DATABASE_URL"] = self.database_url
        if self.storage_url:
            env["STUDIO_STORAGE_URL"] = self.storage_url
        if self.s3:
            env.update(self.s3.env())
        return env


def school_spec(request: pytest.FixtureRequest, data_dir: Path) -> StoreSpec:
    """A fresh PostgreSQL database and a fresh bucket on the session's servers."""
    postgres: PostgresServer = request.getfixturevalue("postgres_server")
    s3: S3Server = request.getfixturevalue("s3_server")
    return StoreSpec(
        kind="school", data_dir=data_dir, database_url=postgres.create_database(),
        storage_url=f"s3://{s3.new_bucket()}/pictures", s3=s3,
    )  # fmt: skip


@pytest.fixture(params=["embedded", "school"])
def store_spec(request: pytest.FixtureRequest, tmp_path: Path) -> StoreSpec:
    """Each store test runs twice: on the embedded store and on PostgreSQL + S3."""
    data_dir = tmp_path / "store-data"
    if request.param == "embedded":
        return StoreSpec(kind="embedded", data_dir=data_dir)
    return school_spec(request, data_dir)


@pytest.fixture
def store(store_spec: StoreSpec) -> Iterator[object]:
    """The store ``store_spec`` describes, opened (and migrated) for this test."""
    opened = store_spec.open()
    try:
        yield opened
    finally:
        opened.close()


class TcpProxy:
    """A TCP forwarder on a free port in front of a server, that a test can cut like a broken network."""

    def __init__(self, target_port: int) -> None:
        import threading

        self.target_port = target_port
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = int(self._listener.getsockname()[1])
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self._cut = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import threading

        while not self._cut.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self._cut.is_set():
                client.close()
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        """Every open connection dies and new ones are refused, as when the server's network goes."""
        self._cut.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        with self._lock:
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._open.clear()
