"""What an `adb` device accepts: commands and verifications with their parameter specs."""

from host_service.drivers.adb.hierarchy import SELECTOR_PATTERN
from host_service.drivers.adb.keys import KEY_PATTERN
from schemas import CommandSpec, ParamSpec, VerificationSpec

PACKAGE_PATTERN = r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$"
ACTIVITY_PATTERN = r"^\.?[A-Za-z_][A-Za-z0-9_.$]*$"

_PACKAGE = ParamSpec(
    name="package", type="string", pattern=PACKAGE_PATTERN, description="e.g. com.example.app"
)
_SELECTOR = ParamSpec(
    name="selector",
    type="string",
    pattern=SELECTOR_PATTERN,
    description="text=<text>, id=<resource-id> or desc=<content-desc>, matched whole",
)


def _int(name: str, **kw: object) -> ParamSpec:
    return ParamSpec.model_validate({"name": name, "type": "integer", **kw})


def command_specs(allow_shell: bool) -> list[CommandSpec]:
    specs = [
        CommandSpec(
            command="press_key",
            description="Press a remote key: a TV key name (UP, OK, BACK...) or a KEYCODE_*.",
            params=[ParamSpec(name="key", type="string", pattern=KEY_PATTERN)],
        ),
        CommandSpec(
            command="launch_app",
            description="Start an app: its launcher activity, or `activity` when given.",
            params=[
                _PACKAGE,
                ParamSpec(name="activity", type="string", required=False, pattern=ACTIVITY_PATTERN),
            ],
        ),
        CommandSpec(command="stop_app", description="Force-stop an app.", params=[_PACKAGE]),
        CommandSpec(
            command="input_text",
            description="Type text into the focused field.",
            params=[ParamSpec(name="text", type="string")],
        ),
        CommandSpec(command="tap", description="Tap the screen.", params=[_int("x"), _int("y")]),
        CommandSpec(
            command="swipe",
            description="Swipe from (x1, y1) to (x2, y2).",
            params=[
                *(_int(n) for n in ("x1", "y1", "x2", "y2")),
                _int("duration_ms", required=False, default=300),
            ],
        ),
    ]
    if allow_shell:
        specs.append(
            CommandSpec(
                command="shell",
                description="Run a program on the device (allowed by this device's settings).",
                params=[ParamSpec(name="argv", type="array", description="program and args")],
            )
        )
    return specs


# (type, command) -> whether the condition is wanted to hold; all of them poll
CHECKS: dict[tuple[str, str], bool] = {
    ("element", "wait_for_element"): True,
    ("element", "wait_for_element_to_disappear"): False,
    ("text", "wait_for_text_to_appear"): True,
    ("text", "wait_for_text_to_disappear"): False,
    ("app", "app_in_foreground"): True,
}
_CHECK_PARAMS = {
    "element": [_SELECTOR],
    "text": [ParamSpec(name="text", type="string", description="found in any text or desc")],
    "app": [_PACKAGE],
}
_DESCRIPTIONS = {
    "wait_for_element": "Wait until a node matching `selector` is on screen (uiautomator).",
    "wait_for_element_to_disappear": "Wait until no node matches `selector`.",
    "wait_for_text_to_appear": "Wait until `text` is on screen (uiautomator).",
    "wait_for_text_to_disappear": "Wait until `text` is gone.",
    "app_in_foreground": "Wait until `package` is the app in the foreground.",
}
VERIFICATION_SPECS = [
    VerificationSpec(
        type=type_, command=command, description=_DESCRIPTIONS[command], params=_CHECK_PARAMS[type_]
    )
    for type_, command in CHECKS
]
