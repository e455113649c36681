"""The `command` driver: each command an argv template run as a real program, no shell.

    commands:
      press_key:
        argv: [adb, -s, "{serial}", shell, input, keyevent, "{key}"]
        params: [{name: key, type: string}]

Each template element becomes exactly one argument after `{name}` substitution (from
the request's params and the device's `variables`), so a value with spaces, quotes,
`;` or `$(...)` reaches the program as one literal argument. The rendered arguments
are checked (command_argv.py: no leading '-' from a param, byte limits) at start and
again before the program runs. Actions pass on an exit code in `success_exit_codes`;
verifications also by a regular expression on stdout.
"""

import re
import shlex
import time
from pathlib import Path
from typing import Any

from host_service.drivers.base import CallLog, CommandOutcome, DriverBase, DriverError, Observation
from host_service.drivers.command_argv import (
    ArgvLimits,
    ArgvProblem,
    argv_problems,
    joined,
    render_argv,
)
from host_service.drivers.command_settings import (
    CommandSettings,
    CommandTemplate,
    VerificationTemplate,
    guarded_params,
    template_defaults,
)
from host_service.drivers.process import ProcessResult, ProcessRunner
from host_service.drivers.settings import parse_settings
from host_service.runtime.cancel import CancelToken
from host_service.runtime.logs import execution_logger
from host_service.runtime.substitution import SubstitutionError, render, substitute_text
from schemas import CommandSpec, VerificationSpec

log = execution_logger("driver.command")

TAIL_CHARS = 2_000


def _tail(text: str, limit: int = TAIL_CHARS) -> str:
    text = text.strip()
    return text if len(text) <= limit else "..." + text[-limit:]


class CommandDriver(DriverBase):
    """Implements the `Driver` protocol with external programs (adb, irsend, curl...)."""

    name = "command"

    def __init__(self, settings: CommandSettings) -> None:
        self._settings = settings
        self._runner = ProcessRunner(settings.env, settings.max_output_bytes)
        self._checks = {(v.type, v.command): v for v in settings.verifications}
        self._last_exit: int | None = None
        self.calls = CallLog()

    @classmethod
    def from_settings(
        cls, raw: dict[str, Any], base_dir: Path, latency_scale: float
    ) -> "CommandDriver":
        return cls(parse_settings(CommandSettings, raw))

    # -- the Driver protocol ---------------------------------------------------------------

    def commands(self) -> list[CommandSpec]:
        return [
            CommandSpec(command=name, description=t.description, params=guarded_params(t))
            for name, t in self._settings.commands.items()
        ]

    def verifications(self) -> list[VerificationSpec]:
        return [
            VerificationSpec(
                type=v.type, command=v.command, description=v.description, params=guarded_params(v)
            )
            for v in self._settings.verifications
        ]

    def execute_problems(self, command: str, params: dict[str, Any]) -> list[tuple[str, str]]:
        template = self._settings.commands.get(command)
        return [] if template is None else self._problems(template, params)

    def observe_problems(
        self, type_: str, command: str, params: dict[str, Any]
    ) -> list[tuple[str, str]]:
        check = self._checks.get((type_, command))
        return [] if check is None else self._problems(check, params)

    def polls(self, type_: str, command: str) -> bool:
        check = self._checks.get((type_, command))
        return check is not None and check.polls

    def poll_interval_s(self) -> float:
        return self._settings.poll_interval_s

    @property
    def online(self) -> bool:
        return True

    def status(self) -> dict[str, Any]:
        return {"last_exit_code": self._last_exit}

    def execute(self, command: str, params: dict[str, Any], token: CancelToken) -> CommandOutcome:
        template = self._settings.commands.get(command)
        if template is None:
            raise DriverError("unknown_command", f"no command {command!r} in the device settings")
        result = self._run(command, template, params, token)
        output = {"exit_code": result.exit_code, "stdout": _tail(result.stdout)}
        if result.exit_code in template.success_exit_codes:
            return CommandOutcome(True, f"exit {result.exit_code}", output)
        detail = _tail(result.stderr, 500) or _tail(result.stdout, 500) or "no output"
        return CommandOutcome(False, f"exit {result.exit_code}: {detail}", output)

    def observe(
        self, type_: str, command: str, params: dict[str, Any], token: CancelToken
    ) -> Observation:
        check = self._checks.get((type_, command))
        if check is None:
            raise DriverError("unknown_verification", f"no verification {type_}.{command}")
        result = self._run(f"{type_}.{command}", check, params, token)
        exit_ok = result.exit_code in check.success_exit_codes
        expected = f"exit code in {check.success_exit_codes}"
        success = exit_ok
        if check.pattern is not None:
            pattern = self._pattern(check, params)
            found = re.search(pattern, result.stdout, re.MULTILINE) is not None
            expected += f" and output {'not ' if check.negate else ''}matching /{pattern}/"
            success = exit_ok and found != check.negate
        observed = f"exit {result.exit_code}; output: {_tail(result.stdout, 500) or '(none)'}"
        return Observation(success, expected, observed)

    async def aclose(self) -> None:
        self._runner.close()

    # -- helpers ---------------------------------------------------------------------------

    def _values(self, template: CommandTemplate, params: dict[str, Any]) -> dict[str, Any]:
        # Only declared params: a request can never override a device variable.
        declared = {k: v for k, v in params.items() if k in template.param_names()}
        return {**self._settings.variables, **template_defaults(template), **declared}

    def _checked(
        self, template: CommandTemplate, params: dict[str, Any]
    ) -> tuple[list[str], list[ArgvProblem]]:
        """One element in, one argument out: substitution never splits an element."""
        argv = render_argv(template, self._values(template, params))
        given = set(params) & template.param_names()
        limits = ArgvLimits(self._settings.max_argument_bytes, self._settings.max_argv_bytes)
        return joined(argv), argv_problems(template, argv, given, limits)

    def _problems(self, template: CommandTemplate, params: dict[str, Any]) -> list[tuple[str, str]]:
        try:
            _, problems = self._checked(template, params)
        except SubstitutionError as exc:
            return [(exc.name, "missing required parameter")]
        return [(problem.param, problem.message) for problem in problems]

    def _argv(self, template: CommandTemplate, params: dict[str, Any]) -> list[str]:
        try:
            argv, problems = self._checked(template, params)
        except SubstitutionError as exc:
            raise DriverError("missing_param", f"{template.argv[0]}: {exc}") from exc
        # The host refuses these at start; this guards callers that skip validation.
        if problems:
            first = problems[0]
            message = f"{template.argv[0]}: param {first.param!r} {first.message}"
            raise DriverError(first.code, message)
        return argv

    def _pattern(self, check: VerificationTemplate, params: dict[str, Any]) -> str:
        assert check.pattern is not None
        escaped = {k: re.escape(render(v)) for k, v in self._values(check, params).items()}
        return render(substitute_text(check.pattern, escaped))

    def _run(
        self, name: str, template: CommandTemplate, params: dict[str, Any], token: CancelToken
    ) -> ProcessResult:
        argv = self._argv(template, params)
        timeout_s = template.timeout_s or self._settings.timeout_s
        log.info("%s: %s", name, shlex.join(argv))
        started = time.monotonic()
        try:
            result = self._runner.run(argv, timeout_s, token)
        finally:
            self.calls.record(name, started)
        self._last_exit = result.exit_code
        log.info("%s: exit %d in %.0f ms", name, result.exit_code, result.duration_s * 1000)
        return result
