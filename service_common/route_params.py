"""Parameters a hot route reads itself, declared once as a Pydantic model.

FastAPI solves every declared parameter of a route on each request, 5-10 µs apiece
(path, query and header alike): the host's status read spent more on its four
parameters than a hello-world route costs in all (bench/README.md). A hot route takes
the `Request` instead and declares its parameters as a model: `parse` validates the
request's values with it (a 422 naming `query.wait`, as FastAPI's own would), and
`documented` describes the same fields in the OpenAPI document as FastAPI would have.
The start routes read their Idempotency-Key and path the same way (`start_routes.py`).
"""

from collections.abc import Mapping
from typing import Any, Literal, TypeVar

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)
Location = Literal["path", "query"]


def parse(model: type[M], values: Mapping[str, str], where: Location) -> M:
    """The values as `model`; what does not fit is a 422 naming `where` and the field.
    Values the model does not name are ignored, as FastAPI ignores undeclared ones."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        errors = [
            {**error, "loc": (where, *error["loc"])} for error in exc.errors(include_url=False)
        ]
        raise RequestValidationError(errors) from None


def _inlined(schema: Any, definitions: Mapping[str, Any]) -> Any:
    """The schema with its `$defs` references replaced by what they name."""
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            named = definitions[ref.removeprefix("#/$defs/")]
            rest = {k: v for k, v in schema.items() if k != "$ref"}
            return {**_inlined(named, definitions), **_inlined(rest, definitions)}
        return {key: _inlined(value, definitions) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_inlined(item, definitions) for item in schema]
    return schema


def documented(*declared: tuple[type[BaseModel], Location]) -> dict[str, Any]:
    """The route's `openapi_extra`: each model's fields as parameters of their location."""
    parameters: list[dict[str, Any]] = []
    for model, where in declared:
        schema = model.model_json_schema()
        definitions = schema.get("$defs", {})
        for name, field in model.model_fields.items():
            field_schema = _inlined(schema["properties"][name], definitions)
            parameter: dict[str, Any] = {
                "name": name,
                "in": where,
                "required": where == "path" or field.is_required(),
                "schema": field_schema,
            }
            if field.description is not None:
                parameter["description"] = field.description
            parameters.append(parameter)
    return {"parameters": parameters}
