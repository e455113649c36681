"""The service's own log lines (not the per-execution capture): text, or JSON lines.

`log_config` is a `logging.config.dictConfig` dict that `python -m host_service`
hands to uvicorn, so uvicorn's lines and the host's share one format. Every
line carries `execution_id` (null outside an execution) from `ExecutionIdFilter`.
"""

from typing import Any, Literal

from pythonjsonlogger.core import RESERVED_ATTRS

from host_service.runtime.logs import LOGGER_NAME, ExecutionIdFilter

LogFormat = Literal["text", "json"]

_JSON_FIELDS = "%(levelname)s %(name)s %(message)s %(execution_id)s"


def log_config(log_format: LogFormat, level: str = "info") -> dict[str, Any]:
    """`level` (the `--log-level`) bounds what reaches stderr, not what the service logger
    takes: an execution's own log captures its INFO lines at any level (lifespan.py)."""
    formatter: dict[str, Any] = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": _JSON_FIELDS,
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
        "filters": {"execution_id": {"()": ExecutionIdFilter}},
        "formatters": {"service": formatter},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "service",
                "filters": ["execution_id"],
                "level": level.upper(),
            }
        },
        "loggers": {"uvicorn": to_stderr, "uvicorn.access": to_stderr, LOGGER_NAME: to_stderr},
    }
