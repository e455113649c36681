"""`get_current_time`: the host's clock as text and as a timestamp."""

from datetime import UTC, datetime
from typing import Any

from host_service.blocks.spec import BlockContext, BlockOutcome, BlockSpec, output, param

ISO = "iso"


def _check(params: dict[str, Any]) -> list[tuple[str, str]]:
    fmt = params.get("format")
    if fmt is None or fmt == ISO:
        return []
    if len(fmt) > 200:
        return [("format", "at most 200 characters")]
    try:
        datetime(2000, 1, 2, tzinfo=UTC).strftime(fmt)
    except ValueError as exc:
        return [("format", f"not a strftime format: {exc}")]
    return []


def _run(params: dict[str, Any], ctx: BlockContext) -> BlockOutcome:
    now = datetime.now(UTC)
    if params["timezone"] == "local":
        now = now.astimezone()
    fmt = params["format"]
    text = now.isoformat(timespec="milliseconds") if fmt == ISO else now.strftime(fmt)
    return BlockOutcome(True, {"current_time": text, "timestamp": now.timestamp()}, text)


GET_CURRENT_TIME = BlockSpec(
    name="get_current_time",
    description="Read the host's clock.",
    params=[
        param(
            "format",
            required=False,
            default=ISO,
            description="`iso` (ISO 8601 with milliseconds) or a strftime format such as `%H:%M`.",
        ),
        param("timezone", required=False, default="utc", choices=["utc", "local"]),
    ],
    outputs=[
        output("current_time", "string", "The time in `format`."),
        output("timestamp", "number", "Seconds since the Unix epoch."),
    ],
    run=_run,
    check=_check,
)
