"""Schemathesis's stateful phase: starts chained to the status, events and cancel of what they
started, through the OpenAPI links of every start route, on host and proxy."""

from typing import Any

import hypothesis
import schemathesis
from fastapi import FastAPI

from tests.hostile.budget import budget
from tests.hostile.fuzzing import Case, fuzz_config, without_long_waits
from tests.hostile.lab_app import EXAMPLES, LabApp, host_app

KEY = "fuzz-key"


def workflow(app: Any, headers: dict[str, str] | None = None) -> Any:
    """A state machine over the app's document: every step a call its links allow."""
    fastapi: FastAPI = getattr(app, "proxy", app)
    schema = schemathesis.openapi.from_dict(fastapi.openapi(), config=fuzz_config())
    schema.app = app  # what from_asgi sets; it would also start the lifespan at import
    machine: Any = schema.as_state_machine()

    class Workflow(machine):  # type: ignore[misc]  # built from the document
        def before_call(self, case: Case) -> None:
            without_long_waits(case)

        def get_call_kwargs(self, case: Case) -> dict[str, Any]:
            return {"headers": headers} if headers else {}

    return Workflow


SETTINGS = hypothesis.settings(
    max_examples=budget().fuzz_examples,
    stateful_step_count=8,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
    derandomize=True,  # the same sequences every run: a failure here is reproducible
)


def test_host_workflows_answer_as_documented() -> None:
    workflow(host_app(EXAMPLES / "host.yaml")).run(settings=SETTINGS)


def test_proxy_workflows_answer_as_documented() -> None:
    lab = LabApp(api_keys=[KEY], registration_token=KEY)
    workflow(lab, {"Authorization": f"Bearer {KEY}"}).run(settings=SETTINGS)
