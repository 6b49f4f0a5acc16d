"""Sigstore bundles: skill_versions.sigstore; log_leaves.signer long enough for an identity

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("skill_versions", sa.Column("sigstore", sa.JSON(), nullable=True))
    # A Sigstore signer (sigstore:<issuer>#<owner/repo>@<workflow>) outgrows 128 characters.
    with op.batch_alter_table("log_leaves") as batch:
        batch.alter_column(
            "signer", existing_type=sa.String(length=128), type_=sa.String(length=1024)
        )


def downgrade() -> None:
    with op.batch_alter_table("log_leaves") as batch:
        batch.alter_column(
            "signer", existing_type=sa.String(length=1024), type_=sa.String(length=128)
        )
    with op.batch_alter_table("skill_versions") as batch:
        batch.drop_column("sigstore")
