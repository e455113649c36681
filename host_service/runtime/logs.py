"""Log capture per execution without touching sys.stdout.

The orchestrator sets `current_execution_id` around an execution's work; the
context travels into the worker thread (`contextvars.copy_context`). Every log
record emitted there is routed by `ExecutionLogHandler` to that execution.
"""

import logging
from collections.abc import Callable
from contextvars import ContextVar

from host_service.runtime.limits import shorten
from service_common.log_format import SERVICE_LOGGER

current_execution_id: ContextVar[str | None] = ContextVar("current_execution_id", default=None)


class ExecutionLogHandler(logging.Handler):
    def __init__(self, sink: Callable[[str, str], None], max_chars: int = 4_096) -> None:
        super().__init__(level=logging.DEBUG)
        self._sink = sink
        self._max_chars = max_chars
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        execution_id = current_execution_id.get()
        if execution_id is None:
            return
        try:
            self._sink(execution_id, shorten(self.format(record), self._max_chars))
        except Exception:  # a logging failure must never fail the execution
            self.handleError(record)


class ExecutionIdFilter(logging.Filter):
    """Adds `execution_id` to every record, for structured service logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.execution_id = current_execution_id.get()
        return True


def execution_logger(component: str) -> logging.Logger:
    return logging.getLogger(f"{SERVICE_LOGGER}.{component}")
