"""The class: assignments, hand-ins, the teacher's comments, flagged pictures and school accounts.

The lesson's monuments task is created here as the first assignment, open, with no due date,
so a new class can hand in at once.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from alembic import op

from lib.messages import N_

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Marked for the catalogs: students and the teacher read them in their language until the teacher
# rewrites them (the store keeps these English words).
MONUMENTS_TITLE = N_("A monument in a surprising place")
MONUMENTS_INSTRUCTIONS = N_(
    "Choose a famous monument and put it somewhere surprising: with an animal, on the moon, under the sea, "
    "at another time of day or in another style. The assignment helper on the Create page writes a first "
    "prompt for you; change the words until the picture is yours. Hand in your best picture with a title "
    "and one sentence about what you imagined."
)


def upgrade() -> None:
    assignments = op.create_table(
        "assignments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("instructions", sa.Text, nullable=False, server_default=""),
        sa.Column("due", sa.Float(precision=53)),
        sa.Column("max_handins", sa.Integer, nullable=False, server_default="1"),
        sa.Column("is_open", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created", sa.Float(precision=53), nullable=False),
    )
    op.create_table(
        "handins",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("assignment_id", sa.Integer, sa.ForeignKey("assignments.id"), nullable=False),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("image_id", sa.String(64), nullable=False),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("sentence", sa.Text, nullable=False, server_default=""),
        sa.Column("created", sa.Float(precision=53), nullable=False),
        sa.Column("withdrawn", sa.Float(precision=53)),
    )
    op.create_index("handins_assignment", "handins", ["assignment_id", "owner"])
    op.create_index("handins_owner", "handins", ["owner", "created"])
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("handin_id", sa.Integer, sa.ForeignKey("handins.id"), nullable=False),
        sa.Column("text", sa.Text, nullable=False, server_default=""),
        sa.Column("done", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created", sa.Float(precision=53), nullable=False),
    )
    op.create_index("comments_handin", "comments", ["handin_id", "created"])
    op.create_table(
        "flags",
        sa.Column("image_id", sa.String(64), primary_key=True),
        sa.Column("reason", sa.String(200), nullable=False, server_default=""),
        sa.Column("created", sa.Float(precision=53), nullable=False),
    )
    op.create_table(
        "accounts",
        sa.Column("owner", sa.String(64), primary_key=True),
        sa.Column("issuer", sa.String(300), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("email", sa.String(320), nullable=False, server_default=""),
        sa.Column("created", sa.Float(precision=53), nullable=False),
        sa.UniqueConstraint("issuer", "subject", name="accounts_identity"),
    )
    op.bulk_insert(
        assignments,
        [{"title": MONUMENTS_TITLE, "instructions": MONUMENTS_INSTRUCTIONS, "due": None, "max_handins": 1,
          "is_open": True, "created": time.time()}],
    )  # fmt: skip


def downgrade() -> None:
    for table in ("accounts", "flags", "comments", "handins", "assignments"):
        op.drop_table(table)
