"""Schemathesis against the host's OpenAPI document, in process with the lifespan entered."""

from tests.hostile.fuzzing import Case, parametrize, without_long_waits
from tests.hostile.lab_app import EXAMPLES, host_app


@parametrize(host_app(EXAMPLES / "host.yaml"))
def test_host_answers_every_generated_request_as_documented(case: Case) -> None:
    without_long_waits(case)
    case.call_and_validate()
