"""The `settings` of a device whose driver is `command`: argv templates per command.

Checked when the host starts, so a template that names an undeclared `{param}` or
lets a request choose the program is a config error, never a run-time surprise.
"""

import re
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from host_service.runtime.substitution import pieces, placeholders
from schemas import ParamSpec

Scalar = str | int | float | bool


class TemplateParam(ParamSpec):
    """A param in the settings file: `type` defaults to string, a `default` makes it optional."""

    type: Literal["string", "integer", "number", "boolean"] = "string"

    @model_validator(mode="after")
    def _default_means_optional(self) -> Self:
        if self.default is not None and "required" not in self.model_fields_set:
            self.required = False
        return self

    @field_validator("pattern")
    @classmethod
    def _pattern_compiles(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"not a regular expression: {exc}") from exc
        return pattern


class CommandTemplate(BaseModel):
    """One command: the program and its arguments, each element one argument."""

    model_config = ConfigDict(extra="forbid")

    argv: list[str] = Field(
        min_length=1, description="Program and arguments; `{name}` takes a param or variable."
    )
    description: str = ""
    params: list[TemplateParam] = Field(default_factory=list)
    timeout_s: float | None = Field(default=None, gt=0, le=3600)
    success_exit_codes: list[int] = Field(default_factory=lambda: [0])
    allow_leading_dash: list[str] = Field(
        default_factory=list,
        description="Params that may start with '-' where an argument starts with them.",
    )

    def param_names(self) -> set[str]:
        return {p.name for p in self.params}

    def leading_params(self) -> set[str]:
        """Params that can start an argument (those before its first literal text): a
        value there could read as an option."""
        found = set()
        for element in self.argv[1:]:
            for _, name in pieces(element):
                if name is None:
                    break
                found.add(name)
        return found


class VerificationTemplate(CommandTemplate):
    """A check: passes on an exit code in `success_exit_codes` and, if set, a `pattern`."""

    type: str = Field(min_length=1, max_length=64)
    command: str = Field(min_length=1, max_length=128)
    pattern: str | None = Field(
        default=None,
        description="Regex searched in stdout; `{param}` values in it are matched literally.",
    )
    negate: bool = Field(default=False, description="Pass when the pattern does NOT match.")
    polls: bool = Field(default=False, description="Run again until it passes or times out.")


class CommandSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    variables: dict[str, Scalar] = Field(
        default_factory=dict, description="Device-level values for `{name}`: serial, remote."
    )
    commands: dict[str, CommandTemplate] = Field(default_factory=dict)
    verifications: list[VerificationTemplate] = Field(default_factory=list)
    timeout_s: float = Field(default=30.0, gt=0, le=3600, description="Per-command default.")
    poll_interval_s: float = Field(default=0.5, gt=0, le=60)
    env: dict[str, str] = Field(default_factory=dict, description="Added to the environment.")
    max_output_bytes: int = Field(default=1_000_000, ge=1_000, le=100_000_000)
    # Linux refuses one argument past 128 KiB and all of them with the environment past
    # ARG_MAX (2 MiB by default): below both, a long value is a 422, never an E2BIG.
    max_argument_bytes: int = Field(
        default=65_536, ge=1_000, le=131_072, description="Longest argument, in bytes."
    )
    max_argv_bytes: int = Field(
        default=262_144, ge=1_000, le=1_048_576, description="All arguments together, in bytes."
    )

    @model_validator(mode="after")
    def _templates_fit_their_params(self) -> Self:
        problems: list[str] = []
        named: list[tuple[str, CommandTemplate]] = list(self.commands.items())
        named += [(f"{v.type}.{v.command}", v) for v in self.verifications]
        for name, template in named:
            problems += _template_problems(name, template, set(self.variables))
        keys = [(v.type, v.command) for v in self.verifications]
        twice = sorted({f"{t}.{c}" for t, c in keys if keys.count((t, c)) > 1})
        problems += [f"verification {name} is declared twice" for name in twice]
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _template_problems(name: str, template: CommandTemplate, variables: set[str]) -> list[str]:
    params = template.param_names()
    problems = [f"{name}: param {p!r} shadows a device variable" for p in params & variables]
    for index, element in enumerate(template.argv):
        unknown = placeholders(element) - params - variables
        if unknown:
            problems.append(f"{name}: argv[{index}] uses undeclared {sorted(unknown)}")
        if index == 0 and placeholders(element) & params:
            problems.append(f"{name}: the program (argv[0]) may not come from a request param")
    pattern = getattr(template, "pattern", None)
    if pattern is not None:
        unknown = placeholders(pattern) - params - variables
        if unknown:
            problems.append(f"{name}: pattern uses undeclared {sorted(unknown)}")
        try:
            re.compile(re.sub(r"\{[A-Za-z_][A-Za-z0-9_.]*\}", "x", pattern))
        except re.error as exc:
            problems.append(f"{name}: pattern is not a regular expression: {exc}")
    stray = set(template.allow_leading_dash) - params
    if stray:
        problems.append(f"{name}: allow_leading_dash names undeclared {sorted(stray)}")
    return problems


def guarded_params(template: CommandTemplate) -> list[ParamSpec]:
    """The template's params as requests see them; those that can start an argument say
    that it must not start with '-' (command_argv.py holds the rule)."""
    risky = template.leading_params() - set(template.allow_leading_dash)
    guarded = []
    for param in template.params:
        spec = ParamSpec.model_validate(param.model_dump())
        if spec.name in risky:
            note = "Must not start an argument with '-'."
            spec = spec.model_copy(update={"description": f"{spec.description} {note}".strip()})
        guarded.append(spec)
    return guarded


def template_defaults(template: CommandTemplate) -> dict[str, Any]:
    return {p.name: p.default for p in template.params if p.default is not None}
