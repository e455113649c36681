"""The host registry: registrations, heartbeats and drain state.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lab_hosts",
        sa.Column("name", sa.String(128), primary_key=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("devices", sa.Text, nullable=False),
        sa.Column("last_heartbeat", sa.Double),
        sa.Column("last_seen", sa.Double),
        sa.Column("last_error", sa.Text),
        sa.Column("drained", sa.Boolean, nullable=False),
        sa.Column("updated_at", sa.Double, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("lab_hosts")
