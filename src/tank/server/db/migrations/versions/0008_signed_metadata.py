"""signed skill documents: skills.document_serial

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing documents start at serial 0; their next rebuild makes them 1.
    op.add_column(
        "skills",
        sa.Column("document_serial", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    with op.batch_alter_table("skills") as batch:
        batch.drop_column("document_serial")
