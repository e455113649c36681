"""The lab store's tables, in SQLAlchemy Core: one `MetaData`, the same on SQLite and PostgreSQL.

Times are seconds since the epoch (double precision): one comparable, indexable type on
both databases, and hour or day buckets are an integer division in SQL.
The schema is made by the Alembic revisions in `migrations/versions/`; these definitions
are what the queries are written against, and a test checks that the two agree.
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Double,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData()

# The host registry: configured hosts' state and registered hosts, so a restart loses neither.
hosts = Table(
    "lab_hosts",
    metadata,
    Column("name", String(128), primary_key=True),
    Column("url", Text, nullable=False),
    Column("source", String(16), nullable=False),  # "config" or "registered"
    Column("devices", Text, nullable=False),  # the announced devices, as JSON
    Column("last_heartbeat", Double),
    Column("last_seen", Double),
    Column("last_error", Text),
    Column("updated_at", Double, nullable=False),
)

# Device health: errors in a row of each device, and operators' or the lab's holds on it.
# hold: NULL (dispatchable), "quarantined" or "draining"; device_id "*" holds a whole host.
device_health = Table(
    "lab_device_health",
    metadata,
    Column("host_name", String(128), primary_key=True),
    Column("device_id", String(128), primary_key=True),
    Column("errors_in_row", Integer, nullable=False),
    Column("hold", String(16)),
    Column("reason", Text),
    Column("since", Double),
    Column("updated_at", Double, nullable=False),
)

# Every finished execution of every host, read from the hosts' feeds; never twice.
history = Table(
    "lab_history",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("host_name", String(128), nullable=False),
    Column("execution_id", String(64), nullable=False),
    Column("execution_no", BigInteger, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("device_id", String(128), nullable=False),
    Column("model", String(128)),
    Column("tags", Text, nullable=False),  # ",tag1,tag2," so one tag is a LIKE '%,tag,%'
    Column("definition_id", String(128)),
    Column("status", String(16), nullable=False),
    Column("success", Boolean),
    Column("error_code", String(64)),
    Column("message", Text, nullable=False),
    Column("created_at", Double, nullable=False),
    Column("started_at", Double),
    Column("finished_at", Double),
    Column("elapsed_ms", Double),
    Column("lab_execution_id", String(64)),
    Column("view", LargeBinary, nullable=False),  # the finished view's JSON, zlib-compressed
    UniqueConstraint("host_name", "execution_id", name="uq_lab_history_execution"),
    Index("ix_lab_history_created", "created_at", "id"),
    Index("ix_lab_history_host", "host_name", "created_at", "id"),
    Index("ix_lab_history_device", "device_id", "created_at", "id"),
    Index("ix_lab_history_definition", "definition_id", "created_at", "id"),
    Index("ix_lab_history_definition_device", "definition_id", "device_id", "created_at", "id"),
)

# How far each host's feed was read, and the executions it showed still running.
feed_cursors = Table(
    "lab_feed_cursors",
    metadata,
    Column("host_name", String(128), primary_key=True),
    Column("after", BigInteger, nullable=False),
    Column("updated_at", Double, nullable=False),
)
feed_pending = Table(
    "lab_feed_pending",
    metadata,
    Column("host_name", String(128), primary_key=True),
    Column("execution_no", BigInteger, primary_key=True),
)

# The lab queue: one row per request for any matching device, from accepted to finished.
# state: queued -> claimed (a device chosen, the host being asked) -> running -> done.
_HOLDING = text("state IN ('claimed', 'running')")
requests = Table(
    "lab_requests",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("path", Text, nullable=False),  # the host's start path, parameters filled in
    Column("body", Text, nullable=False),  # the host's start body, without host and device
    Column("selector", Text, nullable=False),
    Column("priority", Integer, nullable=False),
    Column("state", String(16), nullable=False),
    Column("status", String(16), nullable=False),  # the execution status clients see
    Column("host_name", String(128)),
    Column("device_id", String(128)),
    Column("host_execution_id", String(64)),
    Column("created_at", Double, nullable=False),
    Column("claimed_at", Double),
    Column("finished_at", Double),
    Column("queue_deadline", Double, nullable=False),
    Column("claimed_by", String(64)),
    Column("retry_on_infra_failure", Boolean, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("excluded", Text, nullable=False),  # JSON ["host/device", ...] not to go to again
    Column("cancel_requested", Boolean, nullable=False),
    Column("error", Text),  # an ExecutionError of the lab's own (queue_timeout, ...)
    Column("view", LargeBinary),  # the final view, zlib-compressed
    Column("idempotency_key", String(200), unique=True),
    Column("fingerprint", String(64)),
    Index("ix_lab_requests_queue", "state", "priority", "seq"),
    Index("ix_lab_requests_deadline", "state", "queue_deadline"),
    Index(
        "uq_lab_requests_device",
        "host_name",
        "device_id",
        unique=True,
        sqlite_where=_HOLDING,
        postgresql_where=_HOLDING,
    ),
)

# Matrix runs: a parent per start with `all_matching`, and its children, one lab request per
# device that matched at the start (pinned to it). The parent's status, progress and result
# are summed from its children's rows, so every replica answers the same.
matrices = Table(
    "lab_matrices",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("selector", Text, nullable=False),  # the selector the children matched, as JSON
    Column("created_at", Double, nullable=False),
    Column("cancel_requested", Boolean, nullable=False),
    Column("idempotency_key", String(200), unique=True),
    Column("fingerprint", String(64)),
)
matrix_children = Table(
    "lab_matrix_children",
    metadata,
    Column("parent_id", String(36), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("request_id", String(36), nullable=False, unique=True),
    Column("host_name", String(128), nullable=False),
    Column("device_id", String(128), nullable=False),
)
