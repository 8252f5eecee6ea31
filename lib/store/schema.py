"""The tables, in SQLAlchemy Core: one definition for SQLite and PostgreSQL alike.

Alembic (``lib/store/migrations``) owns how a database gets here; this module is what the code
reads and writes. ``images`` keeps the name and columns of the gallery's first SQLite table, so a
data folder written before the store existed is simply upgraded in place.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

#: Every picture: its settings and a thumbnail; the PNG itself is in the object store.
images = sa.Table(
    "images",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("owner", sa.String(64), nullable=False),
    sa.Column("page", sa.String(32), nullable=False),
    sa.Column("engine", sa.String(64), nullable=False),
    sa.Column("model", sa.String(200), nullable=False),
    sa.Column("operation", sa.String(16), nullable=False),
    sa.Column("prompt_typed", sa.Text, nullable=False),
    sa.Column("prompt_sent", sa.Text, nullable=False),
    sa.Column("size", sa.String(32), nullable=False),
    sa.Column("seed", sa.BigInteger),
    sa.Column("temperature", sa.Float),
    sa.Column("created", sa.Float(precision=53), nullable=False),
    #: The object's key in the picture store (``<owner>/<id>.png``); legacy rows hold ``images/...``.
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("thumbnail", sa.LargeBinary, nullable=False),
    sa.Column("meta", sa.Text, nullable=False),
    # Added by revision 0002.
    sa.Column("sha256", sa.String(64)),
    sa.Column("hidden", sa.Boolean, nullable=False, server_default=sa.false()),
)

#: The teacher's rules: one row, with a version that every save must name.
rules = sa.Table(
    "rules",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("updated", sa.Float(precision=53), nullable=False),
)

#: Every browser id the app issued, with the optional name its student typed.
roster = sa.Table(
    "roster",
    metadata,
    sa.Column("owner", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(80), nullable=False, server_default=""),
    sa.Column("created", sa.Float(precision=53), nullable=False),
)

#: Refusals, alerts and engine errors, for the teacher.
audit = sa.Table(
    "audit",
    metadata,
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

#: One row per owner and counter, locked while a count is taken (the hourly limit).
counters = sa.Table(
    "counters",
    metadata,
    sa.Column("owner", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(32), primary_key=True),
)

#: What a counter counted, one row per event (n pictures at a time).
counter_events = sa.Table(
    "counter_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("owner", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("created", sa.Float(precision=53), nullable=False),
    sa.Column("n", sa.Integer, nullable=False),
)

sa.Index("images_owner_newest", images.c.owner, images.c.created.desc(), images.c.id)
sa.Index("images_owner_page", images.c.owner, images.c.page)
sa.Index("images_owner_engine", images.c.owner, images.c.engine)
sa.Index("images_newest", images.c.created.desc(), images.c.id)
sa.Index("audit_newest", audit.c.created.desc())
sa.Index("counter_events_owner", counter_events.c.owner, counter_events.c.kind, counter_events.c.created)
