"""candidate models: each model file (a candidate trained with the approved examples, or the
model found in service), its figures, who asked for it and who put it in service

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 19:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "candidate_models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("file", sa.String(length=500), nullable=True),
        sa.Column("digest", sa.String(length=64), nullable=True),
        sa.Column("figures", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("example_ids", sa.JSON(), nullable=False),
        sa.Column("example_count", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("trained_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("measured_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("promoted_by", sa.Integer(), nullable=True),
        sa.Column("promoted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("replaced_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["requested_by"], ["accounts.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["promoted_by"], ["accounts.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["replaced_id"], ["candidate_models.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("digest"),
    )
    with op.batch_alter_table("candidate_models", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_candidate_models_status"), ["status"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("candidate_models", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidate_models_status"))
    op.drop_table("candidate_models")
