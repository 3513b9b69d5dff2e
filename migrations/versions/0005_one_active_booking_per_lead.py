"""one active booking per lead

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 21:05:00

Two conversations of the same merchant could each book a session; the database now refuses
the second. An older database holding such duplicates keeps the earliest session of each lead
and cancels the others before the index is created.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "UPDATE bookings SET status = 'cancelled' WHERE status = 'booked' AND lead_id IS NOT NULL"
        " AND EXISTS (SELECT 1 FROM bookings AS earlier WHERE earlier.status = 'booked'"
        " AND earlier.lead_id = bookings.lead_id AND (earlier.starts_at < bookings.starts_at"
        " OR (earlier.starts_at = bookings.starts_at AND earlier.id < bookings.id)))"
    )
    op.create_index(
        "one_active_booking_per_lead",
        "bookings",
        ["lead_id"],
        unique=True,
        sqlite_where=sa.text("status = 'booked'"),
        postgresql_where=sa.text("status = 'booked'"),
    )


def downgrade() -> None:
    op.drop_index("one_active_booking_per_lead", table_name="bookings")
