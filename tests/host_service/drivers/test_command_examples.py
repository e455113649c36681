"""The example command-driver host config is valid and declares what its devices accept."""

from pathlib import Path

from host_service.config import load_host_config
from host_service.drivers.command import CommandDriver

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "command-host.yaml"


def test_the_example_command_host_loads_with_guarded_params() -> None:
    config = load_host_config(EXAMPLE)
    drivers = {
        d.id: CommandDriver.from_settings(d.settings, EXAMPLE.parent, 1.0) for d in config.devices
    }
    adb = drivers["shield-1"]
    specs = {c.command: c for c in adb.commands()}
    assert set(specs) == {"press_key", "launch_app", "input_text"}
    # `{text}` starts an argument, so a value starting with '-' is refused at start.
    assert "Must not start an argument with '-'" in specs["input_text"].params[0].description
    assert [name for name, _ in adb.execute_problems("input_text", {"text": "-x"})] == ["text"]
    assert {(v.type, v.command) for v in adb.verifications()} == {
        ("app", "wait_for_app_in_focus"),
        ("device", "check_online"),
    }
    assert adb.polls("app", "wait_for_app_in_focus")
