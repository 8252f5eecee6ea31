"""Moving a class's data from one store to another (the embedded one to PostgreSQL + S3, say).

Every row is copied with its own id, and every picture's PNG is checked by SHA-256 on both sides.
What the target already holds is skipped, so a copy that was interrupted can simply be run again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from lib.store import Store
from lib.store.db import writing_first
from lib.store.pictures import object_key
from lib.store.schema import audit, counter_events, images, roster

log = logging.getLogger(__name__)
_BATCH = 200


@dataclass
class CopyReport:
    """What a copy did, table by table, and what it found wrong (nothing, when all is well)."""

    copied: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    source_counts: dict[str, int] = field(default_factory=dict)
    target_counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        """The report as the command prints it."""
        out = []
        for table in ("pictures", "rules", "roster", "audit", "counts"):
            out.append(
                f"{table}: copied {self.copied.get(table, 0)}, already there {self.skipped.get(table, 0)}, "
                f"source {self.source_counts.get(table, 0)}, target {self.target_counts.get(table, 0)}"
            )
        out += [f"PROBLEM: {problem}" for problem in self.problems]
        out.append("verified: every picture's checksum matches" if self.ok else "NOT verified")
        return out


def _count(store: Store, table: sa.Table) -> int:
    with store.engine.connect() as db:
        return int(db.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def _copy_missing(
    source: Store, target: Store, table: sa.Table, key: Callable[[Any], tuple[Any, ...]], drop: tuple[str, ...] = ()
) -> tuple[int, int]:
    """Rows of ``table`` the target lacks (compared by ``key``), copied over; returns (copied, skipped)."""
    with target.engine.connect() as db:
        have = {key(row._mapping) for row in db.execute(sa.select(table))}
    with source.engine.connect() as db:
        rows = [dict(row._mapping) for row in db.execute(sa.select(table))]
    todo = [{k: v for k, v in row.items() if k not in drop} for row in rows if key(row) not in have]
    if todo:
        with writing_first(target.engine).begin() as db:
            db.execute(table.insert(), todo)
    return len(todo), len(rows) - len(todo)


def copy_store(source: Store, target: Store, *, progress: Callable[[str], None] = lambda _: None) -> CopyReport:
    """Copy everything ``source`` keeps into ``target``, verify it, and say what happened."""
    report = CopyReport()
    _copy_rules(source, target, report)
    report.copied["roster"], report.skipped["roster"] = _copy_missing(source, target, roster, lambda r: (r["owner"],))
    report.copied["audit"], report.skipped["audit"] = _copy_missing(
        source,
        target,
        audit,
        lambda r: (r["created"], r["owner"], r["stage"], r["category"], r["prompt"]),
        drop=("id",),
    )
    report.copied["counts"], report.skipped["counts"] = _copy_missing(
        source, target, counter_events, lambda r: (r["owner"], r["kind"], r["created"], r["n"]), drop=("id",)
    )
    _copy_pictures(source, target, report, progress)
    for name, table in (("pictures", images), ("roster", roster), ("audit", audit), ("counts", counter_events)):
        report.source_counts[name], report.target_counts[name] = _count(source, table), _count(target, table)
        if report.target_counts[name] < report.source_counts[name]:
            report.problems.append(f"{name}: the target holds fewer rows than the source")
    report.source_counts["rules"] = report.target_counts["rules"] = 1
    return report


def _copy_rules(source: Store, target: Store, report: CopyReport) -> None:
    mine, theirs = source.rules.read(), target.rules.read()
    if theirs.version == 0 and mine.version > 0:
        target.rules.save(mine.rules, expected_version=0)
        report.copied["rules"] = 1
    else:
        report.skipped["rules"] = 1
        if mine.version > 0 and theirs.rules != mine.rules:
            log.warning("the target already has teacher's rules of its own; they were kept")


def _copy_pictures(source: Store, target: Store, report: CopyReport, progress: Callable[[str], None]) -> None:
    with target.engine.connect() as db:
        have = {row.id: row.sha256 for row in db.execute(sa.select(images.c.id, images.c.sha256))}
    copied = skipped = 0
    offset = 0
    while True:
        with source.engine.connect() as db:
            rows = [
                dict(row._mapping)
                for row in db.execute(
                    sa.select(images).order_by(images.c.created, images.c.id).limit(_BATCH).offset(offset)
                )
            ]
        if not rows:
            break
        offset += len(rows)
        for row in rows:
            key = object_key(row["owner"], row["id"])
            png = source.objects.get(key)
            digest = hashlib.sha256(png).hexdigest()
            if row["sha256"] and row["sha256"] != digest:
                report.problems.append(f"picture {row['id']}: its file in the source does not match its checksum")
                continue
            if row["id"] in have:
                if target.objects.get(key) != png:
                    report.problems.append(f"picture {row['id']}: the target's file differs from the source's")
                skipped += 1
                continue
            target.objects.put(key, png)
            if hashlib.sha256(target.objects.get(key)).hexdigest() != digest:
                report.problems.append(f"picture {row['id']}: the copy read back differs")
                continue
            with writing_first(target.engine).begin() as db:
                db.execute(images.insert().values(**{**row, "path": key, "sha256": digest}))
            copied += 1
        progress(f"pictures: {copied + skipped} looked at")
    report.copied["pictures"], report.skipped["pictures"] = copied, skipped


def summary_json(report: CopyReport) -> str:
    """The report as one JSON object (for scripts)."""
    return json.dumps(
        {"ok": report.ok, "copied": report.copied, "skipped": report.skipped, "source": report.source_counts,
         "target": report.target_counts, "problems": report.problems}
    )  # fmt: skip
