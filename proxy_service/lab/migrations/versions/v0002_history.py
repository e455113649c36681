"""Lab-wide history: recorded executions, and where each host's feed was read to.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lab_history",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
        sa.Column("host_name", sa.String(128), nullable=False),
        sa.Column("execution_id", sa.String(64), nullable=False),
        sa.Column("execution_no", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("device_id", sa.String(128), nullable=False),
        sa.Column("model", sa.String(128)),
        sa.Column("tags", sa.Text, nullable=False),
        sa.Column("definition_id", sa.String(128)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("success", sa.Boolean),
        sa.Column("error_code", sa.String(64)),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
        sa.Column("started_at", sa.Double),
        sa.Column("finished_at", sa.Double),
        sa.Column("elapsed_ms", sa.Double),
        sa.Column("lab_execution_id", sa.String(64)),
        sa.Column("view", sa.LargeBinary, nullable=False),
        sa.UniqueConstraint("host_name", "execution_id", name="uq_lab_history_execution"),
    )
    op.create_index("ix_lab_history_created", "lab_history", ["created_at", "id"])
    op.create_index("ix_lab_history_host", "lab_history", ["host_name", "created_at", "id"])
    op.create_index("ix_lab_history_device", "lab_history", ["device_id", "created_at", "id"])
    op.create_index(
        "ix_lab_history_definition", "lab_history", ["definition_id", "created_at", "id"]
    )
    op.create_table(
        "lab_feed_cursors",
        sa.Column("host_name", sa.String(128), primary_key=True),
        sa.Column("after", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.Double, nullable=False),
    )
    op.create_table(
        "lab_feed_pending",
        sa.Column("host_name", sa.String(128), primary_key=True),
        sa.Column("execution_no", sa.BigInteger, primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("lab_feed_pending")
    op.drop_table("lab_feed_cursors")
    op.drop_table("lab_history")
