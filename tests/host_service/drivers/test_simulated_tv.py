"""The simulated TV: key transitions, apps, power and seeded faults."""

from collections import Counter
from pathlib import Path

import pytest

from host_service.drivers import DriverError
from host_service.drivers.simulated import (
    Faults,
    Latencies,
    SimulatedSettings,
    SimulatedTV,
    load_ui_model,
)
from host_service.runtime.cancel import CancelToken
from tests.conftest import UI_MODEL


def tv(faults: Faults | None = None) -> SimulatedTV:
    settings = SimulatedSettings(
        ui_model=UI_MODEL, faults=faults or Faults(), latencies=Latencies()
    )
    return SimulatedTV(load_ui_model(UI_MODEL), settings, latency_scale=0.0)


def press(device: SimulatedTV, *keys: str) -> str:
    for key in keys:
        device.execute("press_key", {"key": key}, CancelToken())
    return str(device.status()["screen"])


def test_keys_follow_the_ui_model_and_global_keys() -> None:
    device = tv()
    assert press(device, "MENU", "OK", "OK") == "settings_display_resolution"
    assert press(device, "HOME") == "home"
    assert press(device, "GUIDE", "RIGHT", "BACK", "BACK") == "home"


def test_apps_and_power() -> None:
    device = tv()
    outcome = device.execute("launch_app", {"app": "tubeview"}, CancelToken())
    assert outcome.success
    assert device.status()["screen"] == "app_tubeview"
    device.execute("power_off", {}, CancelToken())
    assert device.status()["power"] == "off"
    refused = device.execute("press_key", {"key": "OK"}, CancelToken())
    assert not refused.success
    device.execute("power_on", {}, CancelToken())
    assert device.status()["screen"] == "home"


def test_seeded_wrong_screen_faults_repeat_exactly() -> None:
    def landings(seed: int) -> list[str]:
        device = tv(Faults(seed=seed, wrong_screen_rate=0.5))
        seen = []
        for _ in range(20):
            device.execute("power_on", {}, CancelToken())  # back on the home screen, no fault
            seen.append(press(device, "OK"))
        return seen

    assert landings(3) == landings(3)
    counts = Counter(landings(3))
    assert counts["live_tv"] < 20  # some presses went astray
    assert set(counts) <= {"live_tv", "guide", "apps", "search"}  # home's neighbours


def test_key_failure_rate_fails_presses_without_moving() -> None:
    device = tv(Faults(seed=1, key_failure_rate=1.0))
    outcome = device.execute("press_key", {"key": "OK"}, CancelToken())
    assert not outcome.success
    assert "not acknowledged" in outcome.message
    assert device.status()["screen"] == "home"


def test_disconnect_after_calls_raises_a_driver_error() -> None:
    device = tv(Faults(disconnect_after_calls=2))
    press(device, "OK", "BACK")
    with pytest.raises(DriverError) as raised:
        press(device, "OK")
    assert raised.value.code == "device_disconnected"
    assert not device.online
    device.reconnect()
    assert press(device, "OK") == "live_tv"


def test_ui_model_with_unknown_target_is_rejected(tmp_path: Path) -> None:
    import yaml
    from pydantic import ValidationError

    model = yaml.safe_load(UI_MODEL.read_text())
    model["screens"]["home"]["keys"]["OK"] = "nowhere"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(model))
    with pytest.raises(ValidationError, match="nowhere"):
        load_ui_model(path)
