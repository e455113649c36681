"""How a matrix run's parent sums its children: the status rule for every mix of ends."""

from datetime import UTC, datetime

import pytest

from proxy_service.lab.matrix_rows import MatrixChildRow, MatrixRow
from proxy_service.lab.queue_rows import DONE, QUEUED, RUNNING, LabRequestRow
from proxy_service.matrix.sums import parent_status, summed
from schemas import ExecutionKind, ExecutionStatus, ExecutionView
from schemas.actions import ActionBatchResult


def child(state: str, status: str = "queued", *, ran: bool = True) -> LabRequestRow:
    """A child's row: `state` in the lab queue, `status` once it ended."""
    return LabRequestRow(
        seq=1,
        id=f"child-{state}-{status}",
        kind="action",
        path="/action/executeBatch",
        body={},
        selector={},
        priority=0,
        state=state,
        status=status,
        host_name="h" if state != QUEUED else None,
        device_id="d" if state != QUEUED else None,
        host_execution_id="x" if state == RUNNING or (state == DONE and ran) else None,
        created_at=1000.0,
        claimed_at=None,
        finished_at=1010.0 if state == DONE else None,
        queue_deadline=5000.0,
        claimed_by=None,
        retry_on_infra_failure=False,
        attempts=1,
        excluded=[],
        cancel_requested=False,
        error=None,
        view=None,
        idempotency_key=None,
        fingerprint=None,
    )


def parent(*rows: LabRequestRow, cancelled: bool = False) -> MatrixRow:
    pins = [MatrixChildRow("h", f"d{i}", row) for i, row in enumerate(rows)]
    return MatrixRow("p", "action", {}, 1000.0, cancelled, None, None, pins)


def ended(status: str, *, ran: bool = True) -> LabRequestRow:
    return child(DONE, status, ran=ran)


@pytest.mark.parametrize(
    ("rows", "cancelled", "expected"),
    [
        ([child(QUEUED), child(QUEUED)], False, "queued"),
        # Ended before any child ran (a cancel while queued): still nothing started.
        ([ended("cancelled", ran=False), child(QUEUED)], False, "queued"),
        ([child(RUNNING), child(QUEUED)], False, "running"),
        ([ended("completed"), child(QUEUED)], False, "running"),
        ([ended("completed"), ended("completed")], False, "completed"),
        ([ended("completed"), ended("completed")], True, "completed"),  # cancelled too late
        ([ended("completed"), ended("error"), ended("timed_out")], False, "error"),
        ([ended("cancelled"), ended("interrupted"), ended("timed_out")], False, "interrupted"),
        ([ended("completed"), ended("timed_out"), ended("cancelled")], False, "timed_out"),
        ([ended("completed"), ended("cancelled")], False, "cancelled"),
        ([ended("completed"), ended("error")], True, "cancelled"),  # the parent was cancelled
    ],
)
def test_the_parent_status_of_every_mix_of_ends(
    rows: list[LabRequestRow], cancelled: bool, expected: str
) -> None:
    assert parent_status(parent(*rows, cancelled=cancelled)) is ExecutionStatus(expected)


def view(status: str, progress: int, success: bool | None = None) -> ExecutionView:
    result = None
    if success is not None:
        result = ActionBatchResult(
            success=success,
            total=1,
            passed=int(success),
            failed=0,
            main_success=success,
            results=[],
        )
    return ExecutionView(
        execution_id="c",
        kind=ExecutionKind.action,
        host_name="h",
        device_id="d",
        status=ExecutionStatus(status),
        progress=progress,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        result=result,
    )


def test_progress_is_the_mean_and_the_result_counts_each_end() -> None:
    rows = parent(ended("completed"), ended("completed"), ended("error"), ended("cancelled"))
    views = [
        view("completed", 100, True),
        view("completed", 100, False),
        view("error", 40),
        view("cancelled", 10),
    ]
    summed_view = summed(rows, views)
    assert summed_view.progress == 62  # (100 + 100 + 40 + 10) / 4, rounded
    assert summed_view.status is ExecutionStatus.error
    assert summed_view.result is not None
    assert summed_view.result.model_dump() == {
        "kind": "matrix",
        "success": False,
        "total": 4,
        "passed": 1,
        "failed": 1,
        "errors": 1,
        "other": 1,
    }
    assert summed_view.error is not None
    assert summed_view.error.code == "children_not_completed"
    assert "2 of 4 devices did not complete" in summed_view.error.message
    assert (
        summed_view.message == "matrix on 4 devices: 2 completed (1 passed), 1 error, 1 cancelled"
    )
