"""One store for everything: rules, roster, audit log and counters move into the database.

Before this revision they were JSON files beside ``history.sqlite3``; when the migration runs on
such a data folder (``data_dir`` in Alembic's attributes), every rule, name, log line and hourly
count in them is copied in. The files are left where they are, untouched.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import context, op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

log = logging.getLogger("lib.store.migrations")


def upgrade() -> None:
    with op.batch_alter_table("images") as batch:
        batch.add_column(sa.Column("sha256", sa.String(64)))
        batch.add_column(sa.Column("hidden", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_index("images_newest", "images", [sa.text("created DESC"), "id"])
    rules = op.create_table(
        "rules",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("updated", sa.Float(precision=53), nullable=False),
    )
    roster = op.create_table(
        "roster",
        sa.Column("owner", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False, server_default=""),
        sa.Column("created", sa.Float(precision=53), nullable=False),
    )
    audit = op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created", sa.Float(precision=53), nullable=False),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False, server_default="info"),
        sa.Column("stage", sa.String(40), nullable=False),
        sa.Column("category", sa.String(200), nullable=False),
        sa.Column("prompt", sa.Text, nullable=False, server_default=""),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
        sa.Column("seen", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("audit_newest", "audit", [sa.text("created DESC")])
    op.create_table(
        "counters",
        sa.Column("owner", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(32), primary_key=True),
    )
    events = op.create_table(
        "counter_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("created", sa.Float(precision=53), nullable=False),
        sa.Column("n", sa.Integer, nullable=False),
    )
    op.create_index("counter_events_owner", "counter_events", ["owner", "kind", "created"])
    data_dir = context.config.attributes.get("data_dir")
    if data_dir is not None:
        _import_files(Path(data_dir), rules, roster, audit, events)


def downgrade() -> None:
    for table in ("counter_events", "counters", "audit", "roster", "rules"):
        op.drop_table(table)
    op.drop_index("images_newest", "images")
    with op.batch_alter_table("images") as batch:
        batch.drop_column("hidden")
        batch.drop_column("sha256")


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        log.warning("not importing %s: %s", path, error)
        return None


def _import_files(data_dir: Path, rules: sa.Table, roster: sa.Table, audit: sa.Table, events: sa.Table) -> None:
    bind = op.get_bind()
    now = time.time()
    saved_rules = _read_json(data_dir / "teacher_rules.json")
    if isinstance(saved_rules, dict):
        op.bulk_insert(rules, [{"id": 1, "version": 1, "data": json.dumps(saved_rules), "updated": now}])
    names = _read_json(data_dir / "student_names.json")
    names = {str(k): str(v)[:80] for k, v in names.items()} if isinstance(names, dict) else {}
    # Every browser that already has pictures was issued by the app: keep it known.
    owners = {row[0] for row in bind.execute(sa.text("SELECT DISTINCT owner FROM images"))}
    op.bulk_insert(
        roster,
        [{"owner": owner, "name": names.get(owner, ""), "created": now} for owner in sorted(owners | set(names))],
    )
    lines = []
    try:
        with (data_dir / "safety_audit.jsonl").open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    item = json.loads(line)
                    created = datetime.fromisoformat(str(item["time"])).timestamp()
                except (ValueError, KeyError, TypeError):
                    continue
                lines.append({
                    "created": created, "owner": str(item.get("owner", "")), "severity": "info",
                    "stage": str(item.get("stage", "")), "category": str(item.get("category", "")),
                    "prompt": str(item.get("prompt", "")), "detail": str(item.get("detail", "")), "seen": False,
                })  # fmt: skip
    except FileNotFoundError:
        pass
    if lines:
        op.bulk_insert(audit, lines)
    stamps = _read_json(data_dir / "rate_limits.json")
    if isinstance(stamps, dict):
        rows = [
            {"owner": str(owner), "kind": "hosted_pictures", "created": float(t), "n": 1}
            for owner, times in stamps.items()
            if isinstance(times, list)
            for t in times
            if isinstance(t, int | float) and now - float(t) < 3600
        ]
        if rows:
            op.bulk_insert(events, rows)
