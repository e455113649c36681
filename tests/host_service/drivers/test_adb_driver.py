"""The adb driver over a fake adb server on loopback: adbutils' real calls, real sockets."""

import asyncio
from collections.abc import AsyncIterator

import pytest

from host_service.drivers import DriverError
from host_service.drivers.adb import AdbDriver
from host_service.drivers.visual import VisualChecks, decode_png
from host_service.runtime.cancel import CancelToken, ExecutionStopped, StopReason
from tests.conftest import LIBRARY
from tests.host_service.drivers.conftest import SERIAL
from tests.host_service.drivers.fake_adb import AndroidTV, RunningAdbServer, app_package

STREAMFLIX = app_package("streamflix")


def settings(server: RunningAdbServer, **extra: object) -> dict[str, object]:
    return {"serial": SERIAL, "adb_server": server.address, "status_interval_s": 0.02, **extra}


@pytest.fixture
async def adb(server: RunningAdbServer) -> AsyncIterator[AdbDriver]:
    driver = AdbDriver.from_settings(settings(server, allow_shell=True), LIBRARY, 1.0)
    await driver.open()
    yield driver
    await driver.aclose()


def tv(server: RunningAdbServer) -> AndroidTV:
    return server.fake.slots[SERIAL].device


def run(driver: AdbDriver, command: str, **params: object) -> bool:
    return driver.execute(command, params, CancelToken()).success


def look(driver: AdbDriver, type_: str, command: str, **params: object) -> tuple[bool, str]:
    seen = driver.observe(type_, command, params, CancelToken())
    return seen.success, seen.observed


async def test_tv_keys_become_android_key_codes(adb: AdbDriver, server: RunningAdbServer) -> None:
    assert adb.online
    assert run(adb, "press_key", key="MENU")
    assert run(adb, "press_key", key="KEYCODE_DPAD_CENTER")  # a raw code passes as it is
    assert tv(server).screen == "settings_display"
    assert ["input", "keyevent", "KEYCODE_MENU"] in tv(server).commands
    assert "host:transport:" + SERIAL in server.fake.requests  # adb's own protocol
    assert "shell:input keyevent KEYCODE_MENU; echo X4EXIT:$?" in server.fake.requests


async def test_apps_start_stop_and_show_in_the_foreground(
    adb: AdbDriver, server: RunningAdbServer
) -> None:
    assert run(adb, "launch_app", package=STREAMFLIX)
    assert tv(server).screen == "app_streamflix"
    assert look(adb, "app", "app_in_foreground", package=STREAMFLIX)[0]
    assert run(adb, "stop_app", package=STREAMFLIX)
    shown, seen = look(adb, "app", "app_in_foreground", package=STREAMFLIX)
    assert not shown
    assert "com.google.android.tvlauncher" in seen
    assert run(adb, "launch_app", package="com.android.tv.settings", activity=".MainSettings")
    outcome = adb.execute("launch_app", {"package": "com.example.missing"}, CancelToken())
    assert not outcome.success
    assert "No activities" in outcome.message


async def test_element_and_text_checks_read_uiautomator(adb: AdbDriver) -> None:
    assert run(adb, "launch_app", package=STREAMFLIX)
    for selector, bounds in (
        (f"id={STREAMFLIX}:id/hero_banner", "[620, 150, 900, 260]"),
        ("desc=hero banner", "[620, 150, 900, 260]"),
        ("text=Continue watching", "[60, 160, 560, 204]"),
    ):
        found, seen = look(adb, "element", "wait_for_element", selector=selector)
        assert found, seen
        assert f"bounds={bounds}" in seen  # evidence: the node and where
    found, seen = look(adb, "element", "wait_for_element", selector="id=missing")
    assert not found
    assert "no match among" in seen
    assert look(adb, "element", "wait_for_element_to_disappear", selector="id=missing")[0]
    assert look(adb, "text", "wait_for_text_to_appear", text="Trending")[0]
    assert not look(adb, "text", "wait_for_text_to_appear", text="Settings")[0]


async def test_text_taps_and_swipes_reach_the_device(
    adb: AdbDriver, server: RunningAdbServer
) -> None:
    assert run(adb, "press_key", key="DOWN")  # Search
    assert run(adb, "input_text", text="bbc news")
    assert ["input", "text", "bbc%snews"] in tv(server).commands  # Android's spaces
    assert look(adb, "text", "wait_for_text_to_appear", text="bbc news")[0]
    assert run(adb, "swipe", x1=100, y1=600, x2=100, y2=200, duration_ms=250)
    assert ["input", "swipe", "100", "600", "100", "200", "250"] in tv(server).commands
    assert run(adb, "press_key", key="HOME")
    assert run(adb, "tap", x=700, y=200)
    assert tv(server).screen == "live_tv"


async def test_screencap_is_a_png_visual_checks_can_read(adb: AdbDriver) -> None:
    assert run(adb, "press_key", key="MENU")
    pixels = decode_png(adb.capture(CancelToken()))
    assert pixels.shape[:2] == (720, 1280)
    seen = VisualChecks(LIBRARY).observe(
        adb, "ocr", "wait_for_ocr_text", {"text": "Settings"}, CancelToken()
    )
    assert seen.success, seen.observed


async def test_shell_is_offered_only_when_the_settings_allow_it(
    adb: AdbDriver, server: RunningAdbServer
) -> None:
    outcome = adb.execute("shell", {"argv": ["echo", "hello; rm -rf /"]}, CancelToken())
    assert outcome.success
    assert outcome.output["output"] == "hello; rm -rf /"  # one argument, quoted for sh
    locked = AdbDriver.from_settings(settings(server), LIBRARY, 1.0)
    assert "shell" not in {spec.command for spec in locked.commands()}
    assert "shell" in {spec.command for spec in adb.commands()}


async def test_a_device_that_stops_answering_is_released(
    adb: AdbDriver, server: RunningAdbServer
) -> None:
    device = tv(server)
    device.hang_on.add("screencap")
    token = CancelToken()
    stopped = asyncio.create_task(asyncio.to_thread(adb.capture, token))
    assert await asyncio.to_thread(device.hung.acquire, timeout=5)  # the call reached it
    token.cancel(StopReason.cancelled)
    with pytest.raises(ExecutionStopped):
        await asyncio.wait_for(stopped, 5)  # the stop closes the call's socket
    stuck = asyncio.create_task(asyncio.to_thread(adb.capture, CancelToken()))
    assert await asyncio.to_thread(device.hung.acquire, timeout=5)
    await adb.aclose()  # closing releases it
    with pytest.raises(DriverError):
        await asyncio.wait_for(stuck, 5)


async def test_no_server_means_offline_and_a_fault_never_a_spawned_server(
    server: RunningAdbServer,
) -> None:
    driver = AdbDriver.from_settings(settings(server), LIBRARY, 1.0)
    server.stop()
    await driver.open()
    try:
        assert not driver.online
        assert "no adb server" in driver.status()["adb_state"]
        with pytest.raises(DriverError) as caught:
            driver.execute("press_key", {"key": "OK"}, CancelToken())
        assert caught.value.code == "adb_server_unreachable"
    finally:
        await driver.aclose()
