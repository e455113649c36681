"""Lab-wide history: each host's feed of finished executions, and the proxy's record of them."""

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from schemas.base import ResponseModel
from schemas.execution import ExecutionKind, ExecutionStatus, ExecutionView


class FeedEntry(ResponseModel):
    """A finished execution of a host's feed, with what the lab's history is filtered by."""

    execution_no: int = Field(description="The host's creation order: the feed's cursor.")
    definition_id: str | None = Field(
        default=None, description="The testcase, campaign or navigation tree that ran."
    )
    model: str | None = Field(default=None, description="The device's model.")
    tags: list[str] = Field(default_factory=list, description="The device's tags.")
    idempotency_key: str | None = Field(
        default=None,
        description="The start's Idempotency-Key, if it had one: the lab tier knows its own "
        "dispatches by it.",
    )
    view: ExecutionView


class ExecutionFeed(ResponseModel):
    """A page of a host's executions in creation order, past a cursor."""

    items: list[FeedEntry] = Field(description="Finished executions, oldest first.")
    unfinished: list[int] = Field(
        default_factory=list,
        description="execution_no of the executions of this page still queued or running; "
        "ask for them again by `numbers`.",
    )
    next_after: int = Field(description="The cursor to resume from.")
    newest: int = Field(description="The newest execution_no of this host; 0 when none.")


class HistoryItem(ResponseModel):
    """One recorded execution of any host of the lab."""

    host_name: str
    execution_id: str
    kind: ExecutionKind
    device_id: str
    model: str | None = None
    tags: list[str] = Field(default_factory=list)
    definition_id: str | None = None
    status: ExecutionStatus
    success: bool | None = Field(default=None, description="`result.success` when completed.")
    error_code: str | None = None
    message: str = ""
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    elapsed_ms: float | None = None
    lab_execution_id: str | None = Field(
        default=None, description="The lab request it ran for, when started with a selector."
    )


class HistoryPage(ResponseModel):
    items: list[HistoryItem] = Field(description="Newest first.")
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` for the next (older) page; null at the end."
    )


class StatsGroup(StrEnum):
    testcase = "testcase"  # by the definition that ran (testcase, campaign, tree)
    device = "device"  # by host_name/device_id


class StatsBucket(StrEnum):
    hour = "hour"
    day = "day"


class HistoryStatsRow(ResponseModel):
    key: str = Field(description="The definition id, or `host_name/device_id`.")
    bucket_start: datetime
    runs: int
    passed: int = Field(description="Completed with success.")
    failed: int = Field(description="Completed without success: the test found a fault.")
    errors: int = Field(description="Ended in `error`: the tooling failed, not the test.")
    other: int = Field(description="Cancelled, timed out or interrupted.")
    pass_rate: float | None = Field(
        description="passed / (passed + failed), of the runs that ran to the end."
    )


class HistoryStats(ResponseModel):
    group: StatsGroup
    bucket: StatsBucket
    rows: list[HistoryStatsRow] = Field(description="By key, then bucket, oldest first.")
