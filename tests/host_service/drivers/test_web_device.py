"""A host with a web device: navigation, testcases, faults and visual checks over HTTP,
on the real Chromium, with WebTV served on loopback by the driver."""

import os
import signal
import time
from typing import Any

from host_service.drivers.web import WebDriver
from tests.conftest import LIBRARY, HostFactory, RunningHost, fake
from tests.helpers import finished, start, wait_status
from tests.host_service.drivers.test_web_driver import WEBAPP


def web(device_id: str = "web-1") -> dict[str, object]:
    settings = {"start_url": "index.html", "static_dir": str(WEBAPP), "default_timeout_s": 1}
    return {
        "id": device_id,
        "name": "WebTV",
        "model": "webtv",
        "driver": "web",
        "settings": settings,
    }


async def run_testcase(host: RunningHost, testcase_id: str, **inputs: str) -> dict[str, Any]:
    body = {"device_id": "web-1", "testcase_id": testcase_id, "inputs": inputs}
    return await finished(host.client, await start(host.client, "/host/testcase/execute", body), 30)


async def test_navigation_and_testcases_on_the_web_app(host_factory: HostFactory) -> None:
    async with host_factory([web()], library_path=LIBRARY) as host:
        path = "/host/navigation/execute/webtv"
        body = {"device_id": "web-1", "target_node_id": "settings_display_resolution"}
        view = await finished(host.client, await start(host.client, path, body), 30)
        assert view["status"] == "completed", view
        assert view["result"]["success"] is True, view["result"]
        assert [n["id"] for n in view["result"]["path"]][-3:] == [
            "settings",
            "settings_display",
            "settings_display_resolution",
        ]
        passed = await run_testcase(host, "webtv_set_resolution")
        assert passed["status"] == "completed"
        assert passed["result"]["success"] is True, passed["result"]
        searched = await run_testcase(host, "webtv_search", query="weather")
        assert searched["result"]["success"] is True, searched["result"]
        # Nothing to click for a resolution the app does not offer: a failed test.
        failed = await run_testcase(host, "webtv_set_resolution", resolution="8K")
        assert failed["status"] == "completed", failed
        assert failed["result"]["success"] is False


async def test_a_killed_browser_ends_its_execution_in_error_and_the_next_one_runs(
    host_factory: HostFactory,
) -> None:
    async with host_factory([web()], library_path=LIBRARY) as host:
        driver = host.state.devices.get("web-1").driver
        assert isinstance(driver, WebDriver)
        waiting = {"type": "text", "command": "wait_for_text_to_appear", "timeout_s": 20}
        body = {"device_id": "web-1", "verifications": [{**waiting, "params": {"text": "never"}}]}
        execution_id = await start(host.client, "/host/verification/executeBatch", body)
        await wait_status(host.client, execution_id, {"running"})
        pid = driver.browser_pid
        assert pid is not None
        os.killpg(pid, signal.SIGKILL)  # the browser and its helpers, mid-execution
        view = await finished(host.client, execution_id, 20)
        assert view["status"] == "error", view
        assert view["error"]["code"] == "driver_crashed"
        again = {**waiting, "timeout_s": 5, "params": {"text": "Welcome back"}}
        body = {"device_id": "web-1", "verifications": [again]}
        started = time.monotonic()
        view = await finished(
            host.client, await start(host.client, "/host/verification/executeBatch", body), 40
        )
        assert view["status"] == "completed", view
        assert view["result"]["success"] is True
        assert driver.browser_pid not in (None, pid)  # a new browser
        assert time.monotonic() - started < 30


async def test_visual_checks_are_offered_only_by_devices_that_capture(
    host_factory: HostFactory,
) -> None:
    async with host_factory([web(), fake("f-1")], library_path=LIBRARY) as host:
        devices = {d["device_id"]: d for d in (await host.client.get("/host/devices")).json()}
        offered = {(v["type"], v["command"]) for v in devices["web-1"]["verifications"]}
        assert ("image", "wait_for_image") in offered
        assert ("ocr", "wait_for_ocr_text") in offered
        assert not any(v["type"] in ("image", "ocr") for v in devices["f-1"]["verifications"])
        missing = {
            "type": "image",
            "command": "wait_for_image",
            "params": {"reference": "references/nope.png"},
        }
        answer = await host.client.post(
            "/host/verification/executeBatch",
            json={"device_id": "web-1", "verifications": [missing]},
        )
        assert answer.status_code == 422
        assert "references/nope.png" in answer.text
        assert answer.json()["details"][0]["loc"][-1] == "reference"
        read = {
            "type": "ocr",
            "command": "wait_for_ocr_text",
            "params": {"text": "Welcome back"},
            "timeout_s": 5,
        }
        body = {"device_id": "web-1", "verifications": [read]}
        view = await finished(
            host.client, await start(host.client, "/host/verification/executeBatch", body), 20
        )
        assert view["result"]["success"] is True, view["result"]
