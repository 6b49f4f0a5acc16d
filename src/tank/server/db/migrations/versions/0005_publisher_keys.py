"""publisher signing: publisher_keys, skill_versions.signer_keyid

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "publisher_keys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("keyid", sa.String(length=64), nullable=False, unique=True),
        sa.Column("public_hex", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_publisher_keys_user_id", "publisher_keys", ["user_id"])
    op.add_column("skill_versions", sa.Column("signer_keyid", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("skill_versions") as batch:
        batch.drop_column("signer_keyid")
    op.drop_index("ix_publisher_keys_user_id", table_name="publisher_keys")
    op.drop_table("publisher_keys")
