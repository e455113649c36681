"""Matrix runs: parents of one lab request per matching device, and their children.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lab_matrices",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("selector", sa.Text, nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
        sa.Column("cancel_requested", sa.Boolean, nullable=False),
        sa.Column("idempotency_key", sa.String(200), unique=True),
        sa.Column("fingerprint", sa.String(64)),
    )
    op.create_table(
        "lab_matrix_children",
        sa.Column("parent_id", sa.String(36), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("request_id", sa.String(36), nullable=False, unique=True),
        sa.Column("host_name", sa.String(128), nullable=False),
        sa.Column("device_id", sa.String(128), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("lab_matrix_children")
    op.drop_table("lab_matrices")
