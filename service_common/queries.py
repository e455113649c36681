"""Query parameters that host and proxy routes share, so both document them alike."""

from typing import Annotated

from fastapi import Query

WaitQuery = Annotated[
    float,
    Query(
        ge=0,
        le=60,
        description="Long-poll: answer when the status changes, or after this many seconds.",
    ),
]
LogsQuery = Annotated[bool, Query(description="Include the captured log lines.")]
