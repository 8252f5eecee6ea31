"""One store for everything the studio keeps.

    Store
     +-- pictures   the gallery: rows and thumbnails in the database, PNGs in the object store
     +-- rules      the teacher's rules, saved against a version
     +-- roster     every browser id the app issued, and the names students typed
     +-- audit      refusals, urgent alerts and engine errors for the teacher
     +-- counters   atomic per-owner counts (the hourly limit, passcode tries)
     +-- classwork  assignments, hand-ins, the teacher's comments, flagged pictures
     +-- accounts   school sign-in: one gallery id per account

One implementation on SQLAlchemy Core: SQLite under the data folder by default (zero set-up),
PostgreSQL for a school (``STUDIO_DATABASE_URL``); Alembic owns the schema. Picture files go to a
folder under the data folder or to an S3-compatible bucket (``STUDIO_STORAGE_URL``). With both
remote, a replica writes nothing to its own disk, so any number of replicas can share one class.

When the database or the bucket does not answer, every call raises
:class:`lib.errors.StoreUnavailable` (never a driver's own error), and the store remembers for a
few seconds that it is down so that the pipeline does not call a paid engine for a picture it
could not keep.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa

from lib.errors import StoreUnavailable, StudioError
from lib.redact import redact
from lib.store.accounts import Accounts
from lib.store.classwork import Assignment, Classwork, HandIn
from lib.store.db import create_engine, migrate
from lib.store.objects import LocalFolder, ObjectStore, open_objects
from lib.store.pictures import Filters, Pictures
from lib.store.records import AuditLog, Counters, LimitReached, Roster, RulesConflict, RulesStore, VersionedRules

log = logging.getLogger(__name__)
_T = TypeVar("_T")

#: The embedded database's file name under the data folder (the first gallery's own file).
EMBEDDED_DB = "history.sqlite3"
#: After a failure, how long the store counts as down before it tries again.
DOWN_FOR_S = 5.0
UNREACHABLE = (
    "The class's picture store can't be reached just now, so nothing new can be kept. "
    "Please try again in a minute; your teacher can check the store on the Teacher page."
)


@dataclass(frozen=True, kw_only=True)
class Health:
    """What the Teacher page says about the store."""

    database: str
    storage: str
    ok: bool
    problem: str = ""


def _unreachable_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.DBAPIError, OSError]
    try:
        from botocore.exceptions import BotoCoreError, ClientError

        errors += [BotoCoreError, ClientError]
    except ImportError:  # pragma: no cover - boto3 is in requirements.txt
        pass
    return tuple(errors)


class Store:
    """Everything kept, for one database URL and one object store. Safe to share between threads."""

    def __init__(
        self,
        database_url: str,
        objects: ObjectStore,
        *,
        data_dir: Path | None = None,
        secrets: tuple[str, ...] = (),
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.database_url = database_url
        self.objects = objects
        self._secrets = secrets
        self._errors = _unreachable_errors()
        self._down_until = 0.0
        self._lock = threading.Lock()
        self._engine = create_engine(database_url)
        self.pictures = Pictures(self._engine, objects, self.guard)
        self.rules = RulesStore(self._engine, self.guard)
        self.roster = Roster(self._engine, self.guard)
        self.audit = AuditLog(self._engine, self.guard, secrets)
        self.counters = Counters(self._engine, self.guard, clock)
        self.classwork = Classwork(self._engine, self.guard, clock)
        self.accounts = Accounts(self._engine, self.guard, self.roster)
        self.guard(lambda: migrate(self._engine, data_dir=data_dir))

    @classmethod
    def embedded(cls, data_dir: str | Path, **kwargs: object) -> Store:
        """SQLite and a folder under ``data_dir``: the zero-set-up store of one laptop."""
        root = Path(data_dir).resolve()
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        root.chmod(0o700)
        return cls(f"sqlite:///{root / EMBEDDED_DB}", LocalFolder(root / "images"), data_dir=root, **kwargs)  # type: ignore[arg-type]

    # -- failures --------------------------------------------------------------------------------
    def guard(self, call: Callable[[], _T]) -> _T:
        """Run ``call``; the database's and the bucket's own errors become :class:`StoreUnavailable`."""
        try:
            result = call()
        except (StudioError, FileNotFoundError, LimitReached, ValueError):
            raise
        except sa.exc.IntegrityError:
            raise
        except self._errors as error:
            with self._lock:
                self._down_until = time.monotonic() + DOWN_FOR_S
            detail = redact(f"{type(error).__name__}: {error}", self._secrets)
            log.error("the store does not answer: %s", detail)
            raise StoreUnavailable(UNREACHABLE, detail=detail) from error
        return result

    def check_available(self) -> None:
        """Raise :class:`StoreUnavailable` when the store is known to be down and still does not answer."""
        if time.monotonic() < self._down_until:
            self.ping()

    def ping(self) -> None:
        """Ask the database and the object store whether they answer (raises StoreUnavailable)."""

        def both() -> None:
            with self._engine.connect() as db:
                db.execute(sa.text("SELECT 1"))
            self.objects.ping()

        self.guard(both)
        with self._lock:
            self._down_until = 0.0

    def health(self) -> Health:
        """Which store is in use and whether it answers, for the Teacher page (passwords hidden)."""
        database = sa.make_url(self.database_url).render_as_string(hide_password=True)
        try:
            self.ping()
        except StoreUnavailable as error:
            return Health(database=database, storage=self.objects.description, ok=False, problem=error.detail or "")
        return Health(database=database, storage=self.objects.description, ok=True)

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine (for the copy command and the migrations; pages use the facets)."""
        return self._engine

    def close(self) -> None:
        """Close the database connections and the bucket's."""
        self._engine.dispose()
        closing = getattr(self.objects, "close", None)
        if callable(closing):
            closing()


def open_store(
    *,
    data_dir: Path,
    database_url: str | None = None,
    storage_url: str | None = None,
    s3_endpoint_url: str | None = None,
    aws_region: str | None = None,
    aws_access_key_id: str | None = None,
    aws_secret_access_key: str | None = None,
    secrets: tuple[str, ...] = (),
) -> Store:
    """The store the settings describe; the embedded one under ``data_dir`` for what is not set."""
    if not database_url and not storage_url:
        return Store.embedded(data_dir, secrets=secrets)
    root = Path(data_dir).resolve()
    local = not database_url or not storage_url
    if local:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
    objects = (
        open_objects(
            storage_url,
            endpoint_url=s3_endpoint_url,
            region=aws_region,
            access_key_id=aws_access_key_id,
            secret_access_key=aws_secret_access_key,
        )  # fmt: skip
        if storage_url
        else LocalFolder(root / "images")
    )
    url = database_url or f"sqlite:///{root / EMBEDDED_DB}"
    return Store(url, objects, data_dir=root if not database_url else None, secrets=secrets)


__all__ = [
    "Assignment",
    "AuditLog",
    "Classwork",
    "Counters",
    "Filters",
    "HandIn",
    "Health",
    "LimitReached",
    "Pictures",
    "Roster",
    "RulesConflict",
    "RulesStore",
    "Store",
    "StoreUnavailable",
    "VersionedRules",
    "open_store",
]
