"""Indexes the lab benchmark asked for (bench/README.md, "Lab tier").

- `lab_history` by definition and device together: history of one testcase on one device
  walked every row of the testcase to find the device's (85 ms p99 at 1M rows on SQLite).
- `lab_requests` by state and queue deadline: the dispatcher's expiry check read every
  queued request on each tick.

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_lab_history_definition_device",
        "lab_history",
        ["definition_id", "device_id", "created_at", "id"],
    )
    op.create_index("ix_lab_requests_deadline", "lab_requests", ["state", "queue_deadline"])


def downgrade() -> None:
    op.drop_index("ix_lab_requests_deadline", "lab_requests")
    op.drop_index("ix_lab_history_definition_device", "lab_history")
