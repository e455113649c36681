"""Start requests built from a file (YAML or JSON) or a library id, plus command-line options."""

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from schemas import ExecutionKind
from schemas.base import StartRequest
from schemas.kinds import START_ROUTES


class RequestFileError(Exception):
    """The request cannot be built: unreadable file, invalid fields, missing options."""


# Which field of the request a library id fills, per kind.
LIBRARY_FIELDS = {
    ExecutionKind.testcase: "testcase_id",
    ExecutionKind.campaign: "campaign_id",
    ExecutionKind.navigation: "target_node_id",
}


def read_body(path: Path) -> dict[str, Any]:
    try:
        loaded = yaml.safe_load(path.read_text())  # YAML is a superset of JSON
    except (OSError, yaml.YAMLError) as exc:
        raise RequestFileError(f"cannot read {path}: {exc}") from exc
    if not isinstance(loaded, dict):
        raise RequestFileError(f"{path} must hold a mapping of request fields")
    return loaded


def build_request(
    kind: ExecutionKind,
    body: dict[str, Any],
    *,
    host_name: str | None,
    device_id: str | None,
    library_id: str | None,
) -> tuple[StartRequest, str | None]:
    """The request model of `kind`, and the navigation tree (`tree_id` in the file)."""
    body = dict(body)
    tree_id = body.pop("tree_id", None)
    for name, value in (("host_name", host_name), ("device_id", device_id)):
        if value is not None:
            body[name] = value
    if library_id is not None:
        field = LIBRARY_FIELDS.get(kind)
        if field is None:
            raise RequestFileError(f"a {kind.value} has no library id: give a request file")
        body[field] = library_id
    model = START_ROUTES[kind].request_model
    try:
        request = model.model_validate(body)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in exc.errors()
        )
        raise RequestFileError(f"invalid {kind.value} request: {problems}") from exc
    if kind is ExecutionKind.navigation and tree_id is None:
        raise RequestFileError("a navigation needs its tree: --tree, or tree_id in the file")
    return request, tree_id
