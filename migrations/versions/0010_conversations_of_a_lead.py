"""the conversations that belong to a lead's person (erasure and retention go by them, never by
a name), and tracker erasures that only scrub an erased person's e-mail or phone from a
conversation of someone else

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 20:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema; the leads' intake conversations and the rights requests confirmed by a
    code are recorded as theirs."""
    op.create_table(
        "lead_conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=128), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("lead_id", "conversation_id"),
    )
    with op.batch_alter_table("lead_conversations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lead_conversations_conversation_id"), ["conversation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lead_conversations_lead_id"), ["lead_id"], unique=False
        )
    op.execute(
        "INSERT INTO lead_conversations (lead_id, conversation_id, reason, at) "
        "SELECT id, conversation_id, 'intake', created_at FROM leads "
        "WHERE anonymised_at IS NULL AND conversation_id <> ''"
    )
    op.execute(
        "INSERT INTO lead_conversations (lead_id, conversation_id, reason, at) "
        "SELECT p.lead_id, p.conversation_id, 'rights', min(p.used_at) "
        "FROM privacy_codes p WHERE p.used_at IS NOT NULL AND NOT EXISTS ("
        "SELECT 1 FROM lead_conversations l "
        "WHERE l.lead_id = p.lead_id AND l.conversation_id = p.conversation_id) "
        "GROUP BY p.lead_id, p.conversation_id"
    )
    with op.batch_alter_table("tracker_erasures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scrub", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("tracker_erasures", schema=None) as batch_op:
        batch_op.drop_column("scrub")
    with op.batch_alter_table("lead_conversations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lead_conversations_lead_id"))
        batch_op.drop_index(batch_op.f("ix_lead_conversations_conversation_id"))
    op.drop_table("lead_conversations")
