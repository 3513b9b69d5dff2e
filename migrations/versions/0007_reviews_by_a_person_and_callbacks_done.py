"""reviews by a person and callbacks done: a decision's reviewer and the automated decision it
reviews (Law 25 s. 12.1); when and by whom a callback request was marked done

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 21:04:40.488984

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CALLBACK_DONE_BY = "fk_callback_requests_done_by_accounts"
DECISION_BY = "fk_decisions_decided_by_accounts"
DECISION_REVIEW_OF = "fk_decisions_review_of_decisions"


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("callback_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("done_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("done_by", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            CALLBACK_DONE_BY, "accounts", ["done_by"], ["id"], ondelete="SET NULL"
        )

    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decided_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("review_of", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            DECISION_REVIEW_OF, "decisions", ["review_of"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_foreign_key(
            DECISION_BY, "accounts", ["decided_by"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_constraint(DECISION_BY, type_="foreignkey")
        batch_op.drop_constraint(DECISION_REVIEW_OF, type_="foreignkey")
        batch_op.drop_column("review_of")
        batch_op.drop_column("decided_by")

    with op.batch_alter_table("callback_requests", schema=None) as batch_op:
        batch_op.drop_constraint(CALLBACK_DONE_BY, type_="foreignkey")
        batch_op.drop_column("done_by")
        batch_op.drop_column("done_at")
