"""The lab queue: requests for any matching device, each dispatched exactly once.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

HOLDING = sa.text("state IN ('claimed', 'running')")


def upgrade() -> None:
    op.create_table(
        "lab_requests",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
        sa.Column("id", sa.String(36), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("selector", sa.Text, nullable=False),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("host_name", sa.String(128)),
        sa.Column("device_id", sa.String(128)),
        sa.Column("host_execution_id", sa.String(64)),
        sa.Column("created_at", sa.Double, nullable=False),
        sa.Column("claimed_at", sa.Double),
        sa.Column("finished_at", sa.Double),
        sa.Column("queue_deadline", sa.Double, nullable=False),
        sa.Column("claimed_by", sa.String(64)),
        sa.Column("retry_on_infra_failure", sa.Boolean, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("excluded", sa.Text, nullable=False),
        sa.Column("cancel_requested", sa.Boolean, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("view", sa.LargeBinary),
        sa.Column("idempotency_key", sa.String(200), unique=True),
        sa.Column("fingerprint", sa.String(64)),
    )
    op.create_index("ix_lab_requests_queue", "lab_requests", ["state", "priority", "seq"])
    # One device, one lab request at a time, whichever replica claims it.
    op.create_index(
        "uq_lab_requests_device",
        "lab_requests",
        ["host_name", "device_id"],
        unique=True,
        sqlite_where=HOLDING,
        postgresql_where=HOLDING,
    )


def downgrade() -> None:
    op.drop_table("lab_requests")
