"""advisor's first week: sessions marked held or no-show (when, by whom), follow-up reminders on
leads, saved filters of the leads list, and each account's secret calendar feed (its token's
hash only)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-09 09:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MARKED_BY = "fk_bookings_marked_by_accounts"
ONE_OPEN_REMINDER = "one_open_reminder_per_lead"


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("marked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("marked_by", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            MARKED_BY, "accounts", ["marked_by"], ["id"], ondelete="SET NULL"
        )
    op.create_table(
        "lead_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("set_by", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["set_by"], ["accounts.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["done_by"], ["accounts.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("lead_reminders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lead_reminders_lead_id"), ["lead_id"], unique=False)
        batch_op.create_index(
            ONE_OPEN_REMINDER,
            ["lead_id"],
            unique=True,
            sqlite_where=sa.text("done_at IS NULL"),
            postgresql_where=sa.text("done_at IS NULL"),
        )
    op.create_table(
        "saved_filters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("query", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id", "name"),
    )
    with op.batch_alter_table("saved_filters", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_saved_filters_account_id"), ["account_id"], unique=False
        )
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id"),
        sa.UniqueConstraint("token_hash"),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("calendar_feeds")
    with op.batch_alter_table("saved_filters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saved_filters_account_id"))
    op.drop_table("saved_filters")
    with op.batch_alter_table("lead_reminders", schema=None) as batch_op:
        batch_op.drop_index(ONE_OPEN_REMINDER)
        batch_op.drop_index(batch_op.f("ix_lead_reminders_lead_id"))
    op.drop_table("lead_reminders")
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_constraint(MARKED_BY, type_="foreignkey")
        batch_op.drop_column("marked_by")
        batch_op.drop_column("marked_at")
