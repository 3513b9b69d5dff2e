"""callback assignment: the team member who calls back a callback request, and since when

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08 09:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ASSIGNED_TO = "fk_callback_requests_assigned_to_accounts"


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("callback_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assigned_to", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            ASSIGNED_TO, "accounts", ["assigned_to"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_index(
            batch_op.f("ix_callback_requests_assigned_to"), ["assigned_to"], unique=False
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("callback_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_callback_requests_assigned_to"))
        batch_op.drop_constraint(ASSIGNED_TO, type_="foreignkey")
        batch_op.drop_column("assigned_at")
        batch_op.drop_column("assigned_to")
