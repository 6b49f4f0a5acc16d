"""registry keys, version attestations, the transparency log

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registry_keys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("keyid", sa.String(length=64), nullable=False, unique=True),
        sa.Column("public_key", sa.JSON(), nullable=False),
        sa.Column("private_pem", sa.LargeBinary(), nullable=False),
        sa.Column("endorsement", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "version_attestations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "version_id",
            sa.Integer(),
            sa.ForeignKey("skill_versions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("keyid", sa.String(length=64), nullable=False),
        sa.Column("digest", sa.String(length=80), nullable=False),
        sa.Column("envelope", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_version_attestations_version_id", "version_attestations", ["version_id"])
    op.create_table(
        "log_leaves",
        sa.Column("idx", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column(
            "version_id",
            sa.Integer(),
            sa.ForeignKey("skill_versions.id", ondelete="SET NULL"),
            nullable=True,
            unique=True,
        ),
        sa.Column("name", sa.String(length=140), nullable=False),
        sa.Column("version", sa.String(length=128), nullable=False),
        sa.Column("integrity", sa.String(length=100), nullable=False),
        sa.Column("signer", sa.String(length=128), nullable=True),
        sa.Column("attestation", sa.String(length=80), nullable=False),
        sa.Column("leaf_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("name", "version"),
    )
    op.create_table(
        "log_heads",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("root_hash", sa.String(length=64), nullable=False),
        sa.Column("timestamp", sa.String(length=40), nullable=False),
        sa.Column("keyid", sa.String(length=64), nullable=False),
        sa.Column("envelope", sa.JSON(), nullable=False),
    )
    op.create_index("ix_log_heads_size", "log_heads", ["size"])
    state = op.create_table(
        "log_state",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("frontier", sa.JSON(), nullable=False),
    )
    op.bulk_insert(state, [{"id": 1, "size": 0, "frontier": []}])


def downgrade() -> None:
    op.drop_table("log_state")
    op.drop_index("ix_log_heads_size", table_name="log_heads")
    op.drop_table("log_heads")
    op.drop_table("log_leaves")
    op.drop_index("ix_version_attestations_version_id", table_name="version_attestations")
    op.drop_table("version_attestations")
    op.drop_table("registry_keys")
