"""Schemathesis settings shared by the host and proxy fuzz tests."""

from collections.abc import Callable
from typing import Any, cast

import schemathesis
from fastapi import FastAPI

from tests.hostile.budget import budget

# What the issue asks of every answer: no 5xx, the documented status codes only, bodies and
# headers that match their schema; and invalid input refused with a 4xx, never accepted.
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "negative_data_rejection",
)
# A long-poll may wait up to 60 s by contract; fuzzing asks for answers, not for waits.
LONGEST_WAIT_S = 0.01


def fuzz_config(**extra: Any) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": 7,  # the same examples every run: a failure here is reproducible
            "generation": {"max-examples": budget().fuzz_examples, "mode": "all"},
            "phases": {
                # Chains starts to status, events and cancel through the start routes'
                # OpenAPI links: test_fuzz_stateful.py runs it.
                "stateful": {"enabled": True},
                "coverage": {"enabled": budget().fuzz_coverage},
            },
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
            **extra,
        }
    )


Case = schemathesis.Case[Any]
CaseTest = Callable[[Case], None]


def parametrize(app: Any, **extra: Any) -> Callable[[CaseTest], CaseTest]:
    """One test per operation of the app's OpenAPI document, each called in process."""
    fastapi: FastAPI = getattr(app, "proxy", app)
    schema = schemathesis.openapi.from_dict(fastapi.openapi(), config=fuzz_config(**extra))
    schema.app = app  # what from_asgi sets; it would also start the lifespan at import
    return cast(Callable[[CaseTest], CaseTest], schema.parametrize())


def without_long_waits(case: Case) -> None:
    """Cut a valid long-poll `wait` short; invalid ones are left for the 422 they earn."""
    query = case.query if isinstance(case.query, dict) else {}
    wait = query.get("wait")
    if isinstance(wait, int | float) and not isinstance(wait, bool) and 0 < wait <= 60:
        query["wait"] = LONGEST_WAIT_S
