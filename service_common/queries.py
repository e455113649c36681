"""Query parameters that host and proxy routes share, so both document them alike."""

from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, Field

from schemas import ExecutionKind, ExecutionStatus

WAIT = "Long-poll: answer when the status changes, or after this many seconds."
LOGS = "Include the captured log lines."
WAIT_MAX_S = 60
WaitQuery = Annotated[float, Query(ge=0, le=WAIT_MAX_S, description=WAIT)]
LogsQuery = Annotated[bool, Query(description=LOGS)]


class StatusQuery(BaseModel):
    """The status reads' query, parsed by the routes themselves (route_params.py)."""

    wait: float = Field(0, ge=0, le=WAIT_MAX_S, description=WAIT)
    include_logs: bool = Field(False, description=LOGS)


# Listing filters by enum: repeat one to keep executions with any of its values
# (`status=completed&status=error`). A device is one value: a fuzzer reads a lone value
# of an array-typed query as invalid, though OpenAPI's form style makes it a list of one.
KindsQuery = Annotated[list[ExecutionKind] | None, Query(description="Any of these kinds.")]
StatusesQuery = Annotated[list[ExecutionStatus] | None, Query(description="Any of these statuses.")]
