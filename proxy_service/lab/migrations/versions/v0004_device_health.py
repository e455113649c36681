"""Device health: errors in a row, quarantine and drain of devices and hosts, in one table.

The hosts' `drained` flag moves here (a host-wide row), so drains have a reason and a time
and every replica reads the same.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lab_device_health",
        sa.Column("host_name", sa.String(128), primary_key=True),
        sa.Column("device_id", sa.String(128), primary_key=True),
        sa.Column("errors_in_row", sa.Integer, nullable=False),
        sa.Column("hold", sa.String(16)),
        sa.Column("reason", sa.Text),
        sa.Column("since", sa.Double),
        sa.Column("updated_at", sa.Double, nullable=False),
    )
    with op.batch_alter_table("lab_hosts") as batch:  # SQLite rebuilds the table
        batch.drop_column("drained")


def downgrade() -> None:
    with op.batch_alter_table("lab_hosts") as batch:
        batch.add_column(sa.Column("drained", sa.Boolean, nullable=False, server_default="0"))
    op.drop_table("lab_device_health")
