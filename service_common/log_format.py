"""A service's own log lines (not the per-execution capture): text, or JSON lines.

`log_config` is a `logging.config.dictConfig` dict that `python -m host_service` and
`python -m proxy_service` hand to uvicorn, so uvicorn's lines and the service's share one
format. A host's lines also carry `execution_id` (null outside an execution), from the
filter it passes in.
"""

import logging
from typing import Any, Literal

from pythonjsonlogger.core import RESERVED_ATTRS

LogFormat = Literal["text", "json"]
SERVICE_LOGGER = "device_orchestrator"  # every logger of both services is under it


def log_config(
    log_format: LogFormat,
    level: str = "info",
    *,
    context: tuple[str, type[logging.Filter]] | None = None,
) -> dict[str, Any]:
    """`level` (the `--log-level`) bounds what reaches stderr, not what the service's
    loggers take (a host's execution log captures INFO lines at any level). `context`:
    a field every JSON line carries and the filter that sets it on each record."""
    fields = "%(levelname)s %(name)s %(message)s"
    filters: dict[str, Any] = {}
    if context is not None:
        name, filter_class = context
        fields += f" %({name})s"
        filters[name] = {"()": filter_class}
    formatter: dict[str, Any] = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": fields,
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601 in UTC
            # uvicorn repeats each message with terminal colours; one copy is enough.
            "reserved_attrs": [*RESERVED_ATTRS, "color_message"],
        }
        if log_format == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    )
    to_stderr = {"handlers": ["stderr"], "level": "INFO", "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": filters,
        "formatters": {"service": formatter},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "service",
                "filters": list(filters),
                "level": level.upper(),
            }
        },
        "loggers": {
            "uvicorn": to_stderr,
            "uvicorn.access": to_stderr,
            SERVICE_LOGGER: to_stderr,
        },
    }
