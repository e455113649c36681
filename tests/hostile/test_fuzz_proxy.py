"""Schemathesis against the proxy's OpenAPI document, with two in-process hosts behind it."""

from tests.hostile.fuzzing import Case, parametrize, without_long_waits
from tests.hostile.lab_app import LabApp

KEY = "fuzz-key"
# One bearer value is both the client key and the registration token, so fuzzing reaches
# past authentication everywhere; test_security.py tries every route without it.
LAB = LabApp(api_keys=[KEY], registration_token=KEY)


@parametrize(LAB, headers={"Authorization": f"Bearer {KEY}"})
def test_proxy_answers_every_generated_request_as_documented(case: Case) -> None:
    without_long_waits(case)
    case.call_and_validate()
