"""The command driver with small real programs: exit codes, output patterns, kills, injection."""

import asyncio
import json
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from host_service.drivers import DriverError, DriverSettingsError
from host_service.drivers.command import CommandDriver
from host_service.drivers.params import param_problems
from host_service.runtime.cancel import CancelToken, ExecutionStopped, StopReason
from tests.host_service.drivers.process_tree import (
    ECHO_ARGV,
    alive,
    ends,
    make_fifo,
    read_pids,
    tree_command,
)

PY = sys.executable


def driver(**settings: Any) -> CommandDriver:
    return CommandDriver.from_settings(settings, Path("."), 1.0)


def test_exit_codes_decide_success_and_stderr_explains_a_failure() -> None:
    d = driver(
        commands={
            "ok": {"argv": ["true"]},
            "no": {"argv": ["false"]},
            "hello": {"argv": [PY, "-c", "print('hello')"]},
            "boom": {"argv": [PY, "-c", "import sys; sys.stderr.write('boom'); sys.exit(3)"]},
            "three_is_fine": {"argv": [PY, "-c", "raise SystemExit(3)"], "success_exit_codes": [3]},
        }
    )
    token = CancelToken()
    assert d.execute("ok", {}, token).success
    assert not d.execute("no", {}, token).success
    hello = d.execute("hello", {}, token)
    assert hello.output == {"exit_code": 0, "stdout": "hello"}
    boom = d.execute("boom", {}, token)
    assert (boom.success, boom.message) == (False, "exit 3: boom")
    assert d.execute("three_is_fine", {}, token).success
    assert d.status() == {"last_exit_code": 3}


def test_a_param_with_a_default_is_optional_and_filled_in() -> None:
    d = driver(
        commands={
            "echo": {
                "argv": [PY, "-c", ECHO_ARGV, "{times}"],
                "params": [{"name": "times", "type": "integer", "default": 2}],
            }
        }
    )
    [spec] = d.commands()[0].params
    assert spec.required is False
    assert param_problems([spec], {}) == []
    assert d.execute("echo", {}, CancelToken()).output["stdout"] == '["2"]'
    assert d.execute("echo", {"times": 5}, CancelToken()).output["stdout"] == '["5"]'


def test_a_missing_program_is_a_driver_error() -> None:
    d = driver(commands={"ghost": {"argv": ["no-such-program-for-tests"]}})
    with pytest.raises(DriverError) as caught:
        d.execute("ghost", {}, CancelToken())
    assert caught.value.code == "command_not_found"


@pytest.mark.parametrize(
    "value",
    [
        "two words",
        "'single' \"double\" quotes",
        "x; touch {marker}",
        "$(touch {marker})",
        "`touch {marker}`",
        "a && touch {marker} | cat > /dev/null",
        "*",
        "line\nbreak",
        "--help",
        "",
    ],
)
def test_param_values_stay_one_literal_argument(value: str, tmp_path: Path) -> None:
    marker = tmp_path / "injected"
    value = value.replace("{marker}", str(marker))
    d = driver(
        variables={"serial": "emulator-5554"},
        commands={
            "echo": {
                "argv": [PY, "-c", ECHO_ARGV, "-s", "{serial}", "--text={text}", "x{text}"],
                "params": [{"name": "text", "type": "string"}],
            }
        },
    )
    outcome = d.execute("echo", {"text": value}, CancelToken())

    assert json.loads(outcome.output["stdout"]) == [
        "-s",
        "emulator-5554",
        f"--text={value}",
        f"x{value}",
    ]
    assert not marker.exists()


def test_a_param_that_starts_an_argument_may_not_start_with_a_dash() -> None:
    d = driver(
        commands={
            "key": {"argv": ["irsend", "SEND_ONCE", "{key}"], "params": [{"name": "key"}]},
            "volume": {
                "argv": ["amixer", "{delta}"],
                "params": [{"name": "delta", "type": "integer"}],
                "allow_leading_dash": ["delta"],
            },
        }
    )
    specs = {spec.command: spec.params for spec in d.commands()}
    assert "Must not start an argument with '-'" in specs["key"][0].description
    [(name, problem)] = d.execute_problems("key", {"key": "--device=/dev/null"})
    assert name == "key"
    assert problem == "would start argv[2] with '-', where it reads as an option"
    assert d.execute_problems("key", {"key": "KEY_OK"}) == []
    assert d.execute_problems("volume", {"delta": -5}) == []
    # A caller that skips the start-time check still cannot pass an option.
    with pytest.raises(DriverError) as caught:
        d.execute("key", {"key": "--device=/dev/null"}, CancelToken())
    assert caught.value.code == "unsafe_argument"


def test_the_rendered_argument_is_checked_not_the_placeholder() -> None:
    d = driver(
        commands={
            "join": {
                "argv": [PY, "-c", ECHO_ARGV, "{a}{b}"],
                "params": [{"name": "a"}, {"name": "b"}],
            },
            "flag": {
                "argv": [PY, "-c", ECHO_ARGV, "-{a}", "{b}-x"],
                "params": [{"name": "a"}, {"name": "b"}],
            },
        }
    )
    token = CancelToken()
    assert d.execute_problems("join", {"a": "", "b": "-rf"}) == [
        ("b", "would start argv[3] with '-', where it reads as an option")
    ]
    assert d.execute_problems("join", {"a": "-", "b": "rf"})[0][0] == "a"
    assert d.execute_problems("join", {"a": "x", "b": "-rf"}) == []
    # The template's own leading dash is its choice; an empty param that exposes one is not.
    assert d.execute_problems("flag", {"a": "rf", "b": "y"}) == []
    assert d.execute_problems("flag", {"a": "rf", "b": ""})[0][0] == "b"
    # A caller that skips the start-time check still cannot pass an option.
    with pytest.raises(DriverError) as caught:
        d.execute("join", {"a": "", "b": "-rf"}, token)
    assert caught.value.code == "unsafe_argument"
    assert json.loads(d.execute("join", {"a": "x", "b": "-rf"}, token).output["stdout"]) == ["x-rf"]


def test_arguments_past_the_length_limits_are_refused_before_they_run() -> None:
    d = driver(
        max_argument_bytes=1_000,
        max_argv_bytes=2_000,
        commands={
            "two": {
                "argv": [PY, "-c", ECHO_ARGV, "{a}", "{b}"],
                "params": [{"name": "a"}, {"name": "b"}],
            },
        },
    )
    [(name, problem)] = d.execute_problems("two", {"a": "x" * 1_001, "b": ""})
    assert (name, problem) == ("a", "argv[3] would be 1,001 bytes, over the limit of 1,000")
    [(name, problem)] = d.execute_problems("two", {"a": "x" * 999, "b": "y" * 1_000})
    assert name == "b"
    assert problem.startswith("the arguments would be ")
    assert problem.endswith("bytes, over the limit of 2,000")
    with pytest.raises(DriverError) as caught:
        d.execute("two", {"a": "x" * 200_000, "b": ""}, CancelToken())
    assert caught.value.code == "argument_too_long"


def test_undeclared_params_never_reach_the_argv() -> None:
    d = driver(
        variables={"serial": "emulator-5554"},
        commands={"echo": {"argv": [PY, "-c", ECHO_ARGV, "{serial}"]}},
    )
    outcome = d.execute("echo", {"serial": "attacker"}, CancelToken())
    assert outcome.output["stdout"] == '["emulator-5554"]'


@pytest.mark.parametrize(
    ("settings", "fragment"),
    [
        ({"commands": {"c": {"argv": ["x", "{nope}"]}}}, "undeclared ['nope']"),
        (
            {"commands": {"c": {"argv": ["{prog}"], "params": [{"name": "prog"}]}}},
            "may not come from a request param",
        ),
        (
            {
                "variables": {"serial": "1"},
                "commands": {"c": {"argv": ["x"], "params": [{"name": "serial"}]}},
            },
            "shadows a device variable",
        ),
        (
            {"verifications": [{"type": "t", "command": "c", "argv": ["x"], "pattern": "("}]},
            "not a regular",
        ),
        (
            {"commands": {"c": {"argv": ["x"], "params": [{"name": "a", "pattern": "("}]}}},
            "not a regular",
        ),
        ({"commands": {"c": {"argv": ["x", "{{a}}"], "allow_leading_dash": ["a"]}}}, "undeclared"),
    ],
)
def test_bad_templates_are_config_errors(settings: dict[str, Any], fragment: str) -> None:
    with pytest.raises(DriverSettingsError, match=fragment.replace("[", r"\[").replace("(", r"\(")):
        driver(**settings)


def test_verifications_by_exit_code_and_by_output_pattern() -> None:
    show = [PY, "-c", "print('channel 7\\nNow playing: News 24')"]
    d = driver(
        verifications=[
            {"type": "exit", "command": "passes", "argv": ["true"]},
            {"type": "exit", "command": "fails", "argv": ["false"]},
            {
                "type": "text",
                "command": "shows",
                "argv": show,
                "pattern": "^Now playing: {title}$",
                "params": [{"name": "title"}],
            },
            {"type": "text", "command": "hides", "argv": show, "pattern": "Sports", "negate": True},
        ]
    )
    token = CancelToken()
    assert d.observe("exit", "passes", {}, token).success
    assert not d.observe("exit", "fails", {}, token).success
    seen = d.observe("text", "shows", {"title": "News 24"}, token)
    assert seen.success
    assert "News 24" in seen.observed
    # Param values inside a pattern match literally: the dot is not "any character".
    missed = d.observe("text", "shows", {"title": "News.24"}, token)
    assert not missed.success
    assert "News\\.24" in missed.expected
    assert d.observe("text", "hides", {}, token).success


def run_in_thread(d: CommandDriver, token: CancelToken) -> Any:
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(d.execute, "tree", {}, token)
    pool.shutdown(wait=False)
    return future


def test_the_command_timeout_kills_the_whole_process_group(tmp_path: Path) -> None:
    fifo = make_fifo(tmp_path)
    d = driver(commands={"tree": tree_command(fifo, timeout_s=1.5)})
    future = run_in_thread(d, CancelToken())
    pids = read_pids(fifo)
    with pytest.raises(DriverError) as caught:
        future.result(timeout=10)
    assert caught.value.code == "command_timeout"
    assert all(ends(pid) for pid in pids)


@pytest.mark.parametrize("reason", [StopReason.cancelled, StopReason.timed_out])
def test_a_stop_kills_the_whole_process_group_at_once(tmp_path: Path, reason: StopReason) -> None:
    fifo = make_fifo(tmp_path)
    d = driver(commands={"tree": tree_command(fifo, timeout_s=600)})
    token = CancelToken()
    future = run_in_thread(d, token)
    pids = read_pids(fifo)
    assert all(alive(pid) for pid in pids)
    token.cancel(reason)
    with pytest.raises(ExecutionStopped) as caught:
        future.result(timeout=5)
    assert caught.value.reason is reason
    assert all(ends(pid) for pid in pids)


def test_close_kills_a_running_program(tmp_path: Path) -> None:
    fifo = make_fifo(tmp_path)
    d = driver(commands={"tree": tree_command(fifo, timeout_s=600)})
    future = run_in_thread(d, CancelToken())
    pids = read_pids(fifo)
    closer = threading.Thread(target=asyncio.run, args=(d.aclose(),))
    closer.start()
    closer.join(5)
    outcome = future.result(timeout=5)
    assert not outcome.success  # killed by SIGKILL
    assert all(ends(pid) for pid in pids)
