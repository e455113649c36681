"""Exit codes: what a CI job needs to know about an execution, in one number."""

from enum import IntEnum

from schemas import ExecutionStatus, ExecutionView


class Exit(IntEnum):
    passed = 0  # completed and the test passed (or nothing to judge: a listing, a cancel)
    failed = 1  # completed with success false, or error / timed_out / cancelled / interrupted
    usage = 2  # bad arguments, unreadable file, service error or no connection: nothing ran


def outcome(view: ExecutionView) -> Exit:
    if view.status is ExecutionStatus.completed and view.result is not None:
        return Exit.passed if view.result.success else Exit.failed
    return Exit.failed if view.status.terminal else Exit.passed


def verdict(view: ExecutionView) -> str:
    """One line saying how it ended, for people."""
    if view.status is ExecutionStatus.completed and view.result is not None:
        word = "PASSED" if view.result.success else "FAILED"
        return f"{word}: {view.kind.value} {view.execution_id} completed in {_seconds(view)}"
    detail = f" ({view.error.code}: {view.error.message})" if view.error else ""
    return f"{view.status.value.upper()}: {view.kind.value} {view.execution_id}{detail}"


def _seconds(view: ExecutionView) -> str:
    return "?" if view.elapsed_ms is None else f"{view.elapsed_ms / 1000:.2f} s"
