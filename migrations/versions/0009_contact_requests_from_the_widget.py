"""callback requests from the chat widget: a person asked to talk to someone, with or without a
lead, giving a name, an e-mail or a phone, a message and consent to their use

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 23:10:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("callback_requests", schema=None) as batch_op:
        batch_op.alter_column("lead_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("name", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("phone", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("conversation_id", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("consented_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    op.execute("DELETE FROM callback_requests WHERE lead_id IS NULL")
    with op.batch_alter_table("callback_requests", schema=None) as batch_op:
        batch_op.drop_column("consented_at")
        batch_op.drop_column("conversation_id")
        batch_op.drop_column("phone")
        batch_op.drop_column("email")
        batch_op.drop_column("name")
        batch_op.alter_column("lead_id", existing_type=sa.Integer(), nullable=False)
