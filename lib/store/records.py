"""The small things the store keeps besides pictures: the teacher's rules, the roster, the audit
log and the counters behind the hourly limit.

Counts that must hold across replicas are taken inside one transaction that first locks the
owner's counter row (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE``
already serialises writers), so concurrent requests on several servers never exceed a limit.
"""

from __future__ import annotations

import json
import logging
import math
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from lib.errors import StudioError
from lib.redact import redact
from lib.rules import TeacherRules, rules_from_json
from lib.store.db import writing_first
from lib.store.guard import Guard
from lib.store.schema import audit, counter_events, counters, images, roster, rules

log = logging.getLogger(__name__)
MAX_NAME = 40
SEVERITIES = ("info", "error", "urgent")


class RulesConflict(StudioError):
    """Another teacher saved the rules since these were read."""


@dataclass(frozen=True)
class VersionedRules:
    """The rules and the version they were read at (0: never saved, the defaults)."""

    rules: TeacherRules
    version: int


class RulesStore:
    """The teacher's rules: one row, saved only against the version it was read at."""

    def __init__(self, engine: sa.Engine, guard: Guard) -> None:
        self._db, self._guard = engine, guard
        self._write = writing_first(engine)  # writers take SQLite's lock up front

    def read(self) -> VersionedRules:
        """The saved rules, or the defaults (version 0) when none were saved."""

        def run() -> VersionedRules:
            with self._db.connect() as db:
                row = db.execute(sa.select(rules.c.version, rules.c.data).where(rules.c.id == 1)).first()
            if row is None:
                return VersionedRules(TeacherRules(), 0)
            try:
                data = json.loads(row.data)
            except ValueError:
                log.warning("teacher rules: the stored rules are damaged; using the defaults")
                data = {}
            return VersionedRules(rules_from_json(data if isinstance(data, dict) else {}), int(row.version))

        result: VersionedRules = self._guard(run)
        return result

    def save(self, new: TeacherRules, *, expected_version: int) -> int:
        """Save ``new`` if nobody saved since ``expected_version``; return the new version.

        Raises :class:`RulesConflict` when another teacher saved in between, so that neither
        silently overwrites the other.
        """
        data = json.dumps(new.to_json(), ensure_ascii=False)

        def run() -> int:
            with self._write.begin() as db:
                changed = db.execute(
                    rules.update()
                    .where(rules.c.id == 1, rules.c.version == expected_version)
                    .values(version=expected_version + 1, data=data, updated=time.time())
                ).rowcount
                if not changed:
                    exists = db.execute(sa.select(rules.c.version).where(rules.c.id == 1)).first()
                    if exists is not None or expected_version != 0:
                        raise RulesConflict(
                            "Another teacher changed the rules while you were editing them, so yours were not saved. "
                            "The page now shows theirs: make your changes again and save.",
                            detail=f"expected version {expected_version}",
                        )
                    db.execute(rules.insert().values(id=1, version=1, data=data, updated=time.time()))
            return expected_version + 1

        try:
            result: int = self._guard(run)
        except sa.exc.IntegrityError as error:  # two first saves at once: the other one's insert won
            raise RulesConflict(
                "Another teacher changed the rules while you were editing them, so yours were not saved. "
                "The page now shows theirs: make your changes again and save.",
                detail="two first saves at once",
            ) from error
        return result


def clean_name(name: str) -> str:
    """The name as stored: printable characters only, spaces collapsed, at most 40 characters."""
    printable = "".join(ch for ch in name if unicodedata.category(ch)[0] not in "C")
    return " ".join(printable.split())[:MAX_NAME]


class Roster:
    """Every browser id the app issued, with the optional name its student typed."""

    def __init__(self, engine: sa.Engine, guard: Guard) -> None:
        self._db, self._guard = engine, guard
        self._write = writing_first(engine)  # writers take SQLite's lock up front

    def register(self, owner: str) -> None:
        """Remember that the app issued ``owner`` (so a reload of its link is recognised)."""

        def run() -> None:
            try:
                with self._write.begin() as db:
                    db.execute(roster.insert().values(owner=owner, name="", created=time.time()))
            except sa.exc.IntegrityError:
                pass  # already known

        self._guard(run)

    def known(self, owner: str) -> bool:
        """Whether the app issued ``owner``: it is registered, or it has pictures."""

        def run() -> bool:
            with self._db.connect() as db:
                if db.execute(sa.select(roster.c.owner).where(roster.c.owner == owner)).first() is not None:
                    return True
                return db.execute(sa.select(images.c.id).where(images.c.owner == owner).limit(1)).first() is not None

        result: bool = self._guard(run)
        return result

    def names(self) -> dict[str, str]:
        """Browser id -> name, for every student who gave one."""

        def run() -> dict[str, str]:
            with self._db.connect() as db:
                rows = db.execute(sa.select(roster.c.owner, roster.c.name).where(roster.c.name != ""))
                return {row.owner: row.name for row in rows}

        result: dict[str, str] = self._guard(run)
        return result

    def owners(self) -> list[str]:
        """Every browser id the app issued, oldest first."""

        def run() -> list[str]:
            with self._db.connect() as db:
                return list(db.scalars(sa.select(roster.c.owner).order_by(roster.c.created, roster.c.owner)))

        result: list[str] = self._guard(run)
        return result

    def name(self, owner: str) -> str:
        """The name ``owner``'s student gave, or ``""``."""

        def run() -> str:
            with self._db.connect() as db:
                return db.execute(sa.select(roster.c.name).where(roster.c.owner == owner)).scalar() or ""

        result: str = self._guard(run)
        return result

    def set_name(self, owner: str, name: str) -> str:
        """Remember ``name`` for ``owner`` (an empty name forgets it); returns what was kept."""
        kept = clean_name(name)

        def run() -> None:
            with self._write.begin() as db:
                if not db.execute(roster.update().where(roster.c.owner == owner).values(name=kept)).rowcount:
                    db.execute(roster.insert().values(owner=owner, name=kept, created=time.time()))

        self._guard(run)
        return kept


class AuditLog:
    """Refusals, urgent alerts and engine errors, newest first, for the teacher."""

    def __init__(self, engine: sa.Engine, guard: Guard, secrets: Iterable[str] = ()) -> None:
        self._db, self._guard = engine, guard
        self._write = writing_first(engine)  # writers take SQLite's lock up front
        self._secrets = tuple(s for s in secrets if s)

    def record(
        self,
        *,
        owner: str,
        stage: str,
        category: str,
        prompt: str = "",
        detail: str = "",
        severity: str = "info",
    ) -> None:
        """Append one line. Never raises: a store that is down must not turn a refusal into a crash."""
        row = {
            "created": time.time(), "owner": owner[:64], "stage": stage[:40], "category": category[:200],
            "severity": severity if severity in SEVERITIES else "info",
            "prompt": redact(prompt, self._secrets), "detail": redact(detail, self._secrets), "seen": False,
        }  # fmt: skip

        def run() -> None:
            with self._write.begin() as db:
                db.execute(audit.insert().values(**row))

        try:
            self._guard(run)
        except StudioError:
            log.exception("could not write the audit log: %s %s %s", severity, stage, category)

    def latest(self, n: int = 50, *, severity: str | None = None, unseen: bool | None = None) -> list[dict[str, Any]]:
        """The newest ``n`` lines, newest first, as plain dicts (``time`` is a Unix timestamp)."""
        query = sa.select(audit).order_by(audit.c.created.desc(), audit.c.id.desc()).limit(max(0, n))
        if severity is not None:
            query = query.where(audit.c.severity == severity)
        if unseen is not None:
            query = query.where(audit.c.seen == (not unseen))

        def run() -> list[dict[str, Any]]:
            with self._db.connect() as db:
                return [{**row._mapping, "time": row.created} for row in db.execute(query)]

        result: list[dict[str, Any]] = self._guard(run)
        return result

    def count(self, *, severity: str | None = None, unseen: bool | None = None, owner: str | None = None) -> int:
        """How many lines match."""
        query = sa.select(sa.func.count()).select_from(audit)
        if severity is not None:
            query = query.where(audit.c.severity == severity)
        if unseen is not None:
            query = query.where(audit.c.seen == (not unseen))
        if owner is not None:
            query = query.where(audit.c.owner == owner)

        def run() -> int:
            with self._db.connect() as db:
                return int(db.execute(query).scalar_one())

        result: int = self._guard(run)
        return result

    def mark_seen(self, ids: Iterable[int]) -> None:
        """The teacher has seen these lines (urgent ones then leave the top of the class view)."""
        chosen = [int(i) for i in ids]

        def run() -> None:
            with self._write.begin() as db:
                db.execute(audit.update().where(audit.c.id.in_(chosen)).values(seen=True))

        if chosen:
            self._guard(run)


class LimitReached(Exception):
    """``take`` would pass the limit: how many were used, and in how many minutes enough are free."""

    def __init__(self, used: int, minutes: int) -> None:
        super().__init__(used, minutes)
        self.used = used
        self.minutes = minutes


class Counters:
    """Events per owner in a sliding window, counted atomically in the database."""

    def __init__(self, engine: sa.Engine, guard: Guard, clock: Callable[[], float] = time.time) -> None:
        self._db, self._guard, self._clock = engine, guard, clock
        self._write = writing_first(engine)  # writers take SQLite's lock up front

    def _ensure_row(self, owner: str, kind: str) -> None:
        try:
            with self._write.begin() as db:
                if (
                    db.execute(
                        sa.select(counters.c.owner).where(counters.c.owner == owner, counters.c.kind == kind)
                    ).first()
                    is None
                ):
                    db.execute(counters.insert().values(owner=owner, kind=kind))
        except sa.exc.IntegrityError:
            pass  # another request made it first

    def take(self, owner: str, kind: str, n: int, limit: int, window_s: float) -> None:
        """Count ``n`` events for ``owner``, or raise :class:`LimitReached` if that passes ``limit``."""

        def run() -> None:
            self._ensure_row(owner, kind)
            with self._write.begin() as db:
                # Locks the owner's row until commit: concurrent takes for one owner queue here.
                db.execute(
                    sa.select(counters.c.owner)
                    .where(counters.c.owner == owner, counters.c.kind == kind)
                    .with_for_update()
                ).first()
                now = self._clock()
                rows = db.execute(
                    sa.select(counter_events.c.created, counter_events.c.n)
                    .where(
                        counter_events.c.owner == owner,
                        counter_events.c.kind == kind,
                        counter_events.c.created > now - window_s,
                    )
                    .order_by(counter_events.c.created)
                ).all()
                used = sum(int(r.n) for r in rows)
                if used + n > limit:
                    raise LimitReached(used, _minutes_until_free(rows, used + n - limit, window_s, now, n > limit))
                db.execute(counter_events.insert().values(owner=owner, kind=kind, created=now, n=n))

        self._guard(run)

    def used(self, owner: str, kind: str, window_s: float) -> int:
        """Events counted for ``owner`` in the window."""

        def run() -> int:
            with self._db.connect() as db:
                total = db.execute(
                    sa.select(sa.func.coalesce(sa.func.sum(counter_events.c.n), 0)).where(
                        counter_events.c.owner == owner,
                        counter_events.c.kind == kind,
                        counter_events.c.created > self._clock() - window_s,
                    )
                ).scalar_one()
            return int(total)

        result = int(self._guard(run))
        return result

    def last(self, owner: str, kind: str) -> float | None:
        """When ``owner``'s newest event of this kind was counted (``None``: never)."""

        def run() -> float | None:
            with self._db.connect() as db:
                newest = db.execute(
                    sa.select(sa.func.max(counter_events.c.created)).where(
                        counter_events.c.owner == owner, counter_events.c.kind == kind
                    )
                ).scalar()
            return float(newest) if newest is not None else None

        result: float | None = self._guard(run)
        return result

    def reset(self, owner: str, kind: str) -> None:
        """Forget ``owner``'s events of this kind (a teacher's unlock clears the wrong tries)."""

        def run() -> None:
            with self._write.begin() as db:
                db.execute(
                    counter_events.delete().where(counter_events.c.owner == owner, counter_events.c.kind == kind)
                )

        self._guard(run)


def _minutes_until_free(rows: Sequence[Any], excess: int, window_s: float, now: float, never: bool) -> int:
    """Minutes until ``excess`` of the counted events have left the window (oldest leave first)."""
    if never:
        return 0
    freed = 0
    for row in rows:
        freed += int(row.n)
        if freed >= excess:
            return max(1, math.ceil((float(row.created) + window_s - now) / 60))
    return max(1, math.ceil(window_s / 60))
