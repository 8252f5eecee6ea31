"""The gallery's first table, exactly as the pre-store code created it in history.sqlite3.

A data folder written by that code is stamped at this revision instead of running it.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "images",
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
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("thumbnail", sa.LargeBinary, nullable=False),
        sa.Column("meta", sa.Text, nullable=False),
    )
    op.create_index("images_owner_newest", "images", ["owner", sa.text("created DESC"), "id"])
    op.create_index("images_owner_page", "images", ["owner", "page"])
    op.create_index("images_owner_engine", "images", ["owner", "engine"])


def downgrade() -> None:
    op.drop_table("images")
