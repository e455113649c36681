"""The OpenAPI document both services publish, with query parameters as HTTP can send them.

FastAPI declares an optional query parameter `str | None` as `anyOf: [string, null]`,
but a query string has no null: a parameter is absent or it is text. Fuzzers then
send the text `null` as if it were null and expect a refusal that a valid
identifier cannot earn. The published document says what the wire carries: an
optional parameter's schema is its non-null branch, and `required: false` says
it may be left out.
"""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

NULL = {"type": "null"}


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    branches = schema.get("anyOf")
    if not isinstance(branches, list) or NULL not in branches:
        return schema
    rest = [branch for branch in branches if branch != NULL]
    kept = {key: value for key, value in schema.items() if key != "anyOf"}
    return {**kept, **rest[0]} if len(rest) == 1 else {**kept, "anyOf": rest}


def publish_query_parameters_without_null(app: FastAPI) -> None:
    """Make `app.openapi()` return the document with nullable query parameters fixed."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            for operations in document.get("paths", {}).values():
                for operation in operations.values():
                    for parameter in operation.get("parameters", []):
                        if parameter.get("in") == "query" and "schema" in parameter:
                            parameter["schema"] = _without_null(parameter["schema"])
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented override
