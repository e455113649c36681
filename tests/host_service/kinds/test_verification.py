"""Verification batches on the simulated TV: checks, waits, pass conditions, evidence."""

from typing import Any

from tests.conftest import HostFactory, simulated
from tests.helpers import finished, start

VERIFY = "/host/verification/executeBatch"
BATCH = "/host/action/executeBatch"


def check(type_: str, command: str, timeout_s: float = 1.0, **params: str) -> dict[str, Any]:
    return {"type": type_, "command": command, "params": params, "timeout_s": timeout_s}


async def test_checks_report_expected_and_observed(host_factory: HostFactory) -> None:
    async with host_factory([simulated("tv-1")]) as host:
        body = {
            "device_id": "tv-1",
            "verifications": [
                check("screen", "check_screen", screen="home"),
                check("text", "check_text", text="Settings"),
                check("element", "check_element", element="epg_grid"),
                check("power", "check_power", state="on"),
            ],
        }
        result = (await finished(host.client, await start(host.client, VERIFY, body)))["result"]
    assert [r["success"] for r in result["results"]] == [True, True, False, True]
    assert result["success"] is False
    missing = result["results"][2]
    assert missing["expected"] == "element 'epg_grid' shown"
    assert "menu_bar" in missing["observed"]
    assert "epg_grid" in missing["message"]


async def test_wait_for_text_polls_until_an_app_has_loaded(host_factory: HostFactory) -> None:
    # StreamFlix shows its texts 800 ms (scaled by 0.05: 40 ms) after it opens.
    async with host_factory([simulated("tv-1")], latency_scale=0.05) as host:
        launch = {
            "device_id": "tv-1",
            "actions": [{"command": "launch_app", "params": {"app": "streamflix"}}],
        }
        assert (await finished(host.client, await start(host.client, BATCH, launch)))["result"][
            "success"
        ]
        body = {
            "device_id": "tv-1",
            "verifications": [
                check("text", "wait_for_text_to_appear", timeout_s=5, text="Trending now"),
                check("text", "wait_for_text_to_disappear", timeout_s=5, text="Live TV"),
            ],
        }
        result = (await finished(host.client, await start(host.client, VERIFY, body)))["result"]
    assert result["success"] is True
    assert result["results"][0]["observed"].startswith("texts ['StreamFlix'")


async def test_a_wait_that_never_holds_fails_after_its_timeout(host_factory: HostFactory) -> None:
    async with host_factory([simulated("tv-1")]) as host:
        body = {
            "device_id": "tv-1",
            "verifications": [check("screen", "wait_for_screen", 0.2, screen="guide")],
        }
        view = await finished(host.client, await start(host.client, VERIFY, body))
    assert view["status"] == "completed"
    item = view["result"]["results"][0]
    assert item["success"] is False
    assert item["duration_ms"] >= 200
    assert "after 0.2 s" in item["message"]


async def test_any_passes_with_one_and_all_needs_every_one(host_factory: HostFactory) -> None:
    items = [
        check("screen", "check_screen", screen="guide"),
        check("screen", "check_screen", screen="home"),
    ]
    async with host_factory([simulated("tv-1")]) as host:
        outcomes = {}
        for condition in ("any", "all"):
            body = {"device_id": "tv-1", "verifications": items, "pass_condition": condition}
            view = await finished(host.client, await start(host.client, VERIFY, body))
            outcomes[condition] = (
                view["result"]["success"],
                view["result"]["passed"],
                view["result"]["failed"],
            )
    assert outcomes == {"any": (True, 1, 1), "all": (False, 1, 1)}
