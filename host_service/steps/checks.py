"""Checks of requested commands against what a device's driver accepts."""

from collections.abc import Sequence
from typing import Any

from host_service.drivers import Device
from host_service.drivers.params import param_problems
from host_service.errors import RequestInvalidError, field_error
from schemas import Action, Verification


def action_problems(
    actions: Sequence[Action], device: Device, loc: list[str | int]
) -> list[dict[str, Any]]:
    specs = {spec.command: spec for spec in device.driver.commands()}
    problems = []
    for index, action in enumerate(actions):
        spec = specs.get(action.command)
        if spec is None:
            msg = f"device {device.id} has no command {action.command!r}; accepted: {sorted(specs)}"
            problems.append(field_error([*loc, index, "command"], msg))
            continue
        found = param_problems(spec.params, action.params)
        if not found:
            found = device.command_problems(action.command, action.params)
        for name, problem in found:
            problems.append(field_error([*loc, index, "params", name], problem))
    return problems


def verification_problems(
    items: Sequence[Verification], device: Device, loc: list[str | int]
) -> list[dict[str, Any]]:
    specs = {(spec.type, spec.command): spec for spec in device.verifications()}
    problems = []
    for index, item in enumerate(items):
        spec = specs.get((item.type, item.command))
        if spec is None:
            accepted = sorted(f"{t}.{c}" for t, c in specs)
            name = f"{item.type}.{item.command}"
            msg = f"device {device.id} has no verification {name}; accepted: {accepted}"
            problems.append(field_error([*loc, index, "command"], msg))
            continue
        found = param_problems(spec.params, item.params)
        if not found:
            found = device.check_problems(item.type, item.command, item.params)
        for name, problem in found:
            problems.append(field_error([*loc, index, "params", name], problem))
    return problems


def raise_if_problems(problems: list[dict[str, Any]]) -> None:
    if problems:
        fields = ", ".join(".".join(str(p) for p in d["loc"]) for d in problems[:5])
        raise RequestInvalidError(f"invalid request: {fields}", details=problems)
