"""Both services publish an OpenAPI document that clients can be generated from.

Walks every operation, so a new route that forgets its operationId, tag, description or
error model fails here rather than in the generated clients.
"""

import re
from typing import Any

import pytest
from fastapi import FastAPI
from pydantic import BaseModel

import schemas
from host_service import HostSettings
from host_service import create_app as create_host
from proxy_service.openapi import document as proxy_document
from schemas.kinds import START_ROUTES
from schemas.lab import HoldRequest

OPERATION_ID = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
ERROR_BODY = "#/components/schemas/ErrorBody"


def host_app() -> FastAPI:
    return create_host(HostSettings())


def documents() -> dict[str, dict[str, Any]]:
    return {"host": host_app().openapi(), "proxy": proxy_document()}


def operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


@pytest.fixture(scope="module", params=["host", "proxy"])
def doc(request: pytest.FixtureRequest) -> dict[str, Any]:
    return documents()[request.param]


def test_every_operation_has_a_readable_unique_operation_id(doc: dict[str, Any]) -> None:
    ids = [op.get("operationId", "") for _, _, op in operations(doc)]
    assert all(OPERATION_ID.match(i) for i in ids), [i for i in ids if not OPERATION_ID.match(i)]
    assert len(ids) == len(set(ids))


def test_every_operation_has_one_tag_and_a_one_line_description(doc: dict[str, Any]) -> None:
    for method, path, op in operations(doc):
        assert len(op.get("tags", [])) == 1, (method, path)
        description = op.get("description", "").strip()
        assert description, (method, path)
        assert "\n" not in description, (method, path)


def test_start_routes_are_tagged_with_their_kind(doc: dict[str, Any]) -> None:
    by_id = {op["operationId"]: op for _, _, op in operations(doc)}
    for kind in START_ROUTES:
        if f"start_{kind.value}" in by_id:  # the host lists only kinds it has executors for
            assert by_id[f"start_{kind.value}"]["tags"] == [kind.value]
    assert "start_action" in by_id


def test_every_error_response_is_the_shared_error_body(doc: dict[str, Any]) -> None:
    for method, path, op in operations(doc):
        for code, response in op["responses"].items():
            if code.startswith(("4", "5")):
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": ERROR_BODY}, (method, path, code)
    assert "HTTPValidationError" not in doc["components"]["schemas"]


def test_every_request_body_has_examples_that_validate(doc: dict[str, Any]) -> None:
    models: dict[str, type[BaseModel]] = {
        route.request_model.__name__: route.request_model for route in START_ROUTES.values()
    }
    models.update({"HostRegistration": schemas.HostRegistration})
    models["HostHeartbeat"] = schemas.HostHeartbeat
    models["HoldRequest"] = HoldRequest
    for method, path, op in operations(doc):
        if "requestBody" not in op:
            continue
        ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        name = ref.rsplit("/", 1)[-1]
        examples = doc["components"]["schemas"][name].get("examples")
        assert examples, (method, path, name)
        for example in examples:
            models[name].model_validate(example)  # an example that does not validate misleads
