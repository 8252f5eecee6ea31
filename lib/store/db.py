"""Opening the database: one SQLAlchemy engine per URL, and the schema brought up to date.

SQLite (the embedded default) gets WAL mode and SQLAlchemy's own transaction control (the recipe
its documentation gives for pysqlite), so that a transaction that reads and then writes
(the hourly limit) can hold the write lock from its first statement, while readers never wait.
PostgreSQL gets a short connect timeout, so a database that does not answer is known within seconds, not minutes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext

MIGRATIONS = Path(__file__).with_name("migrations")
#: The revision that matches the gallery's SQLite table as the first version wrote it.
LEGACY_REVISION = "0001"
#: Seconds to wait for the database to answer a new connection.
CONNECT_TIMEOUT_S = 5
#: An arbitrary key for PostgreSQL's advisory lock, so two replicas never migrate at once.
_MIGRATION_LOCK = 0x5ED4A11
_IMMEDIATE = "studio_write_lock_first"


def create_engine(url: str) -> sa.Engine:
    """An engine for ``url`` with the settings each backend needs (see the module docstring)."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            folder = Path(database).parent
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @sa.event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below start transactions
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            # NORMAL is durable across process crashes in WAL mode (only power loss can undo a commit).
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()
            if database and database != ":memory:" and os.path.exists(database):
                os.chmod(database, 0o600)  # the WAL and shared-memory files inherit these bits

        @sa.event.listens_for(engine, "begin")
        def _begin(connection: sa.Connection) -> None:
            # Readers never block each other or the writer (WAL); writers ask for the write lock
            # up front (see :func:`writing_first`).
            connection.exec_driver_sql(
                "BEGIN IMMEDIATE" if connection.get_execution_options().get(_IMMEDIATE) else "BEGIN"
            )

        return engine
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql":
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
    return sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, connect_args=connect_args)


def writing_first(engine: sa.Engine) -> sa.Engine:
    """The engine for every transaction that writes.

    On SQLite it starts with ``BEGIN IMMEDIATE``: writers queue for the lock (up to the busy
    timeout) instead of starting on a snapshot that another writer's commit makes stale, which
    SQLite answers at once with "database is locked". Reads stay deferred and never wait.
    PostgreSQL ignores the option and locks the rows it needs itself.
    """
    return engine.execution_options(**{_IMMEDIATE: True})


def alembic_config(data_dir: Path | None = None) -> Config:
    """Alembic's configuration for the store's migrations (no ``alembic.ini`` needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["data_dir"] = data_dir
    return config


def migrate(engine: sa.Engine, *, data_dir: Path | None = None) -> None:
    """Bring the schema to the newest revision.

    A database written before Alembic managed it (the first gallery's ``history.sqlite3``) is
    stamped with :data:`LEGACY_REVISION` first, then upgraded, so every row in it stays; the
    upgrade also takes in the JSON files that version kept beside it in ``data_dir``.
    """
    config = alembic_config(data_dir)
    with writing_first(engine).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
        config.attributes["connection"] = connection
        current = MigrationContext.configure(connection).get_current_revision()
        if current is None and sa.inspect(connection).has_table("images"):
            command.stamp(config, LEGACY_REVISION)
        command.upgrade(config, "head")


def current_revision(engine: sa.Engine) -> str | None:
    """The schema's revision in the database (``None`` before the first migration)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
