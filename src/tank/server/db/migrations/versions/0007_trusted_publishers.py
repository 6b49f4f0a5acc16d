"""trusted publishers, short-lived CI tokens, SLSA provenance of versions

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trusted_publishers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("target", sa.String(length=140), nullable=False),
        sa.Column("issuer", sa.String(length=512), nullable=False),
        sa.Column("repository", sa.String(length=160), nullable=False),
        sa.Column("workflow", sa.String(length=160), nullable=False),
        sa.Column("environment", sa.String(length=255), nullable=True),
        sa.Column(
            "created_by",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("target", "issuer", "repository", "workflow", "environment"),
    )
    op.create_index("ix_trusted_publishers_target", "trusted_publishers", ["target"])
    op.create_table(
        "version_provenance",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "version_id",
            sa.Integer(),
            sa.ForeignKey("skill_versions.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column(
            "trusted_publisher_id",
            sa.Integer(),
            sa.ForeignKey("trusted_publishers.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("identity", sa.JSON(), nullable=False),
        sa.Column("keyid", sa.String(length=64), nullable=False),
        sa.Column("digest", sa.String(length=80), nullable=False),
        sa.Column("envelope", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    # batch mode: SQLite cannot add a foreign key or a unique constraint with ALTER TABLE.
    with op.batch_alter_table("tokens") as batch:
        batch.add_column(sa.Column("trusted_publisher_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("ci_identity", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("oidc_jti", sa.String(length=64), nullable=True))
        batch.create_foreign_key(
            "fk_tokens_trusted_publisher_id",
            "trusted_publishers",
            ["trusted_publisher_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_unique_constraint("uq_tokens_oidc_jti", ["oidc_jti"])


def downgrade() -> None:
    with op.batch_alter_table("tokens") as batch:
        batch.drop_constraint("uq_tokens_oidc_jti", type_="unique")
        batch.drop_constraint("fk_tokens_trusted_publisher_id", type_="foreignkey")
        batch.drop_column("oidc_jti")
        batch.drop_column("ci_identity")
        batch.drop_column("trusted_publisher_id")
    op.drop_table("version_provenance")
    op.drop_index("ix_trusted_publishers_target", table_name="trusted_publishers")
    op.drop_table("trusted_publishers")
