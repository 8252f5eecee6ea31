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

# -- the class (revision 0003) ------------------------------------------------------------------

#: What the teacher asks the class to make; revision 0003 adds the lesson's monuments task first.
assignments = sa.Table(
    "assignments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("title", sa.String(120), nullable=False),
    sa.Column("instructions", sa.Text, nullable=False, server_default=""),
    #: A Unix time, or NULL for no due date. Hand-ins can be taken back until then.
    sa.Column("due", sa.Float(precision=53)),
    sa.Column("max_handins", sa.Integer, nullable=False, server_default="1"),
    sa.Column("is_open", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created", sa.Float(precision=53), nullable=False),
)

#: A picture a student handed in to an assignment (kept when taken back, with ``withdrawn`` set).
handins = sa.Table(
    "handins",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("assignment_id", sa.Integer, sa.ForeignKey("assignments.id"), nullable=False),
    sa.Column("owner", sa.String(64), nullable=False),
    sa.Column("image_id", sa.String(64), nullable=False),
    sa.Column("title", sa.String(120), nullable=False),
    sa.Column("sentence", sa.Text, nullable=False, server_default=""),
    sa.Column("created", sa.Float(precision=53), nullable=False),
    sa.Column("withdrawn", sa.Float(precision=53)),
)

#: The teacher's comments on a hand-in; the newest one's ``done`` is the hand-in's state.
comments = sa.Table(
    "comments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("handin_id", sa.Integer, sa.ForeignKey("handins.id"), nullable=False),
    sa.Column("text", sa.Text, nullable=False, server_default=""),
    sa.Column("done", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created", sa.Float(precision=53), nullable=False),
)

#: Pictures marked for the teacher's attention: by the teacher, or by the prompt screen.
flags = sa.Table(
    "flags",
    metadata,
    sa.Column("image_id", sa.String(64), primary_key=True),
    sa.Column("reason", sa.String(200), nullable=False, server_default=""),
    sa.Column("created", sa.Float(precision=53), nullable=False),
)

#: School accounts (``st.login``): the gallery id each signed-in account always gets.
accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("owner", sa.String(64), primary_key=True),
    sa.Column("issuer", sa.String(300), nullable=False),
    sa.Column("subject", sa.String(300), nullable=False),
    sa.Column("email", sa.String(320), nullable=False, server_default=""),
    sa.Column("created", sa.Float(precision=53), nullable=False),
    sa.UniqueConstraint("issuer", "subject", name="accounts_identity"),
)

sa.Index("handins_assignment", handins.c.assignment_id, handins.c.owner)
sa.Index("handins_owner", handins.c.owner, handins.c.created)
sa.Index("comments_handin", comments.c.handin_id, comments.c.created)
