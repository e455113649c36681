"""The request examples shown on the docs page run as shown against the demo library."""

from typing import Any

import pytest

from schemas.campaign import CampaignRequest
from schemas.navigation import NavigationRequest
from schemas.testcase import TestcaseRequest
from tests.conftest import LIBRARY, HostFactory
from tests.helpers import finished, start


def _examples(model: Any) -> list[dict[str, Any]]:
    examples: list[dict[str, Any]] = model.model_config["json_schema_extra"]["examples"]
    return examples


@pytest.mark.parametrize(
    ("path", "model"),
    [
        ("/host/navigation/execute/simtv", NavigationRequest),
        ("/host/testcase/execute", TestcaseRequest),
        ("/host/campaign/execute", CampaignRequest),
    ],
)
async def test_request_examples_run_and_pass(
    host_factory: HostFactory, path: str, model: Any
) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        for example in _examples(model):
            view = await finished(host.client, await start(host.client, path, example), seconds=30)
            assert view["status"] == "completed", view
            assert view["result"]["success"] is True, view["result"]
