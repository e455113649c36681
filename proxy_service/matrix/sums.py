"""How a matrix run's parent sums its children (docs/lab.md, "Matrix runs").

The parent's status comes from its children's rows in the store, so every replica gives the
same answer, and long-polls and events need no host call:

- `queued` while no child has been handed to a host; `running` once one has;
- ended once every child ended: `completed` when every child completed (`result.success`:
  every child passed); otherwise `cancelled` when the parent was cancelled, else the most
  serious end among the children: `error` (the tooling failed somewhere), then
  `interrupted`, `timed_out`, `cancelled`. A failed test stays `completed`, not passed.

Progress is the mean of the children's; the result counts them (`MatrixResult`).
"""

from datetime import UTC, datetime

from proxy_service.lab.matrix_rows import MatrixRow
from proxy_service.lab.queue_rows import DONE, RUNNING, LabRequestRow
from schemas import ExecutionError, ExecutionKind, ExecutionStatus, ExecutionView, MatrixChild
from schemas.matrix import MatrixResult

S = ExecutionStatus
# Ends other than `completed`, most serious first: the parent takes the first one found.
SERIOUS = (S.error, S.interrupted, S.timed_out, S.cancelled)


def child_status(row: LabRequestRow) -> ExecutionStatus:
    """A child's status as the store knows it (its host may be a moment ahead)."""
    if row.state == DONE:
        return ExecutionStatus(row.status)
    return S.running if row.state == RUNNING else S.queued


def dispatched(parent: MatrixRow) -> bool:
    """Whether a child has been handed to a host (is running there, or ran)."""
    return any(c.request.host_execution_id is not None for c in parent.children)


def parent_status(parent: MatrixRow) -> ExecutionStatus:
    statuses = [child_status(c.request) for c in parent.children]
    if not all(s.terminal for s in statuses):
        return S.running if dispatched(parent) else S.queued
    if all(s is S.completed for s in statuses):
        return S.completed
    if parent.cancel_requested:
        return S.cancelled
    return next(s for s in SERIOUS if s in statuses)


def _time(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def _success(view: ExecutionView) -> bool | None:
    if view.status is not S.completed or view.result is None:
        return None
    return view.result.success


def _result(children: list[MatrixChild]) -> MatrixResult:
    ends = [c.status for c in children]
    passed = sum(c.success is True for c in children)
    completed = ends.count(S.completed)
    errors = ends.count(S.error)
    return MatrixResult(
        success=passed == len(children),
        total=len(children),
        passed=passed,
        failed=completed - passed,
        errors=errors,
        other=len(children) - completed - errors,
    )


def _error(children: list[MatrixChild], views: list[ExecutionView]) -> ExecutionError:
    missed = [(c, v) for c, v in zip(children, views, strict=True) if c.status is not S.completed]
    shown = "; ".join(
        f"{c.host_name}/{c.device_id} {c.status.value}"
        + (f" ({v.error.code}: {v.error.message})" if v.error else "")
        for c, v in missed
    )
    return ExecutionError(
        code="children_not_completed",
        message=f"{len(missed)} of {len(children)} devices did not complete: {shown}",
        details={
            "children": [
                {
                    "execution_id": c.execution_id,
                    "host_name": c.host_name,
                    "device_id": c.device_id,
                    "status": c.status.value,
                    "error": None if v.error is None else v.error.model_dump(mode="json"),
                }
                for c, v in missed
            ]
        },
    )


def _message(status: ExecutionStatus, children: list[MatrixChild]) -> str:
    counts: dict[str, int] = {}
    for child in children:
        counts[child.status.value] = counts.get(child.status.value, 0) + 1
    parts = [f"{n} {name}" for name, n in counts.items()]
    passed = sum(c.success is True for c in children)
    if S.completed.value in counts:
        parts[list(counts).index(S.completed.value)] += f" ({passed} passed)"
    return f"matrix on {len(children)} devices: {', '.join(parts)}"


def summed(parent: MatrixRow, views: list[ExecutionView]) -> ExecutionView:
    """The parent's view, from its children's views (one per child, in the parent's order)."""
    children = [
        MatrixChild(
            execution_id=pin.request.id,
            host_name=pin.host_name,
            device_id=pin.device_id,
            status=view.status,
            progress=view.progress,
            success=_success(view),
        )
        for pin, view in zip(parent.children, views, strict=True)
    ]
    status = parent_status(parent)
    ended = status.terminal  # then every child's view is its final one, kept in the store
    started = [v.started_at for v in views if v.started_at is not None]
    started_at = min(started) if started else None
    finished_at = (
        _time(max(c.request.finished_at or parent.created_at for c in parent.children))
        if ended
        else None
    )
    elapsed = (
        (finished_at - started_at).total_seconds() * 1000
        if finished_at is not None and started_at is not None
        else None
    )
    return ExecutionView(
        execution_id=parent.id,
        kind=ExecutionKind(parent.kind),
        host_name="",
        device_id="",
        status=status,
        progress=round(sum(c.progress for c in children) / len(children)),
        message=_message(status, children),
        created_at=datetime.fromtimestamp(parent.created_at, UTC),
        started_at=started_at,
        finished_at=finished_at,
        elapsed_ms=elapsed,
        result=_result(children) if ended else None,
        error=_error(children, views) if status in (S.error, S.interrupted, S.timed_out) else None,
        children=children,
    )
