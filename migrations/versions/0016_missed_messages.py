"""missed messages: what merchants asked that the assistant missed (masked), grouped, labelled and
approved by two people; the scanning job's watermark in the tracker store; the advisors given the
inbox

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 19:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "missed_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(length=255), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("folded", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("question", sa.String(length=60), nullable=True),
        sa.Column("intent", sa.String(length=100), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("said_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("label_kind", sa.String(length=10), nullable=True),
        sa.Column("label_intent", sa.String(length=100), nullable=True),
        sa.Column("draft_answer", sa.Text(), nullable=True),
        sa.Column("proposed_by", sa.Integer(), nullable=True),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["proposed_by"], ["accounts.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["reviewed_by"], ["accounts.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    with op.batch_alter_table("missed_messages", schema=None) as batch_op:
        for column in ("sender_id", "said_at", "group_id", "status"):
            batch_op.create_index(batch_op.f(f"ix_missed_messages_{column}"), [column])
    op.create_table(
        "learning_marks",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("missed_inbox", sa.Boolean(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("missed_inbox")
    op.drop_table("learning_marks")
    with op.batch_alter_table("missed_messages", schema=None) as batch_op:
        for column in ("status", "group_id", "said_at", "sender_id"):
            batch_op.drop_index(batch_op.f(f"ix_missed_messages_{column}"))
    op.drop_table("missed_messages")
