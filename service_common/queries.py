"""Query parameters that host and proxy routes share, so both document them alike."""

from typing import Annotated

from fastapi import Query
from pydantic import StringConstraints

from schemas import ExecutionKind, ExecutionStatus

WaitQuery = Annotated[
    float,
    Query(
        ge=0,
        le=60,
        description="Long-poll: answer when the status changes, or after this many seconds.",
    ),
]
LogsQuery = Annotated[bool, Query(description="Include the captured log lines.")]

# Listing filters: repeat one to keep executions with any of its values
# (`status=completed&status=error`).
KindsQuery = Annotated[list[ExecutionKind] | None, Query(description="Any of these kinds.")]
StatusesQuery = Annotated[list[ExecutionStatus] | None, Query(description="Any of these statuses.")]
DevicesQuery = Annotated[
    list[Annotated[str, StringConstraints(max_length=128)]] | None,
    Query(description="Any of these devices."),
]
