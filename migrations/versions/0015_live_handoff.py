"""live handoff: merchants waiting for a person in the chat, the team member holding each
conversation, and how it ended (a callback request when nobody took it)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-09 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ONE_OPEN = "one_open_live_chat_per_conversation"


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "live_chats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=128), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("wish", sa.String(length=500), nullable=False),
        sa.Column("consented_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("held_by", sa.Integer(), nullable=True),
        sa.Column("held_as", sa.String(length=120), nullable=True),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("active_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("callback_id", sa.Integer(), nullable=True),
        sa.Column("resumed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["held_by"], ["accounts.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["callback_id"], ["callback_requests.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("live_chats", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_live_chats_conversation_id"), ["conversation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_live_chats_lead_id"), ["lead_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_live_chats_status"), ["status"], unique=False)
        batch_op.create_index(
            ONE_OPEN,
            ["conversation_id"],
            unique=True,
            sqlite_where=sa.text("status != 'ended'"),
            postgresql_where=sa.text("status != 'ended'"),
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("live_chats", schema=None) as batch_op:
        batch_op.drop_index(ONE_OPEN)
        batch_op.drop_index(batch_op.f("ix_live_chats_status"))
        batch_op.drop_index(batch_op.f("ix_live_chats_lead_id"))
        batch_op.drop_index(batch_op.f("ix_live_chats_conversation_id"))
    op.drop_table("live_chats")
