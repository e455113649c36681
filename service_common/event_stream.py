"""How the services' streamed answers (event streams, evidence files) are declared and chosen.

Each item of a `text/event-stream` answer is one event with its fields as the SSE
format parses them (`event`, `id`, `data`, `retry`). OpenAPI 3.2 names that schema
`itemSchema`; for the 3.1 documents FastAPI writes, tools (schemathesis among them)
read `schema` of a `text/event-stream` as the schema of each event.
"""

from collections.abc import Iterable
from typing import Any

EVENT_STREAM = "text/event-stream"
JSON = "application/json"


def wants_json(accept: str | None) -> bool:
    """An events route answers a JSON page only when asked for one; browsers' EventSource
    and plain clients get the stream."""
    accept = (accept or "").lower()
    return JSON in accept and EVENT_STREAM not in accept


# A streamed file kept as evidence (an artifact), as both services document it.
ARTIFACT_FILE: dict[str, Any] = {
    "description": "The file, with its media type (`image/png` for screenshots).",
    "content": {"image/png": {"schema": {"type": "string", "format": "binary"}}},
}


def event_stream_content(event_names: Iterable[str] | None = None) -> dict[str, Any]:
    """The `content` of a 200 that streams events named `event_names` (any name if None)."""
    event: dict[str, Any] = {"type": "string", "description": "The event's type."}
    if event_names is not None:
        event["enum"] = sorted(event_names)
    return {
        EVENT_STREAM: {
            "schema": {
                "type": "object",
                "description": "One server-sent event; `data` is the event as JSON.",
                "required": ["data"],
                "properties": {
                    "event": event,
                    "id": {"type": "string", "description": "Resume after it with Last-Event-ID."},
                    "data": {"type": "string", "contentMediaType": "application/json"},
                    "retry": {"type": "integer", "minimum": 0},
                },
            }
        }
    }
