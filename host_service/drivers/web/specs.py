"""What a `web` device accepts: commands and verifications with their parameter specs."""

from host_service.drivers.web.keys import KEY_PATTERN
from schemas import CommandSpec, ParamSpec, VerificationSpec

_SELECTOR = ParamSpec(
    name="selector", type="string", description="A CSS or Playwright selector (text=..., role=...)."
)
_TEXT = ParamSpec(name="text", type="string")

COMMAND_SPECS = [
    CommandSpec(
        command="open_url",
        description="Load a URL (relative ones against the start URL).",
        params=[ParamSpec(name="url", type="string")],
    ),
    CommandSpec(command="click", description="Click the element.", params=[_SELECTOR]),
    CommandSpec(
        command="click_text", description="Click the element showing `text`.", params=[_TEXT]
    ),
    CommandSpec(
        command="fill", description="Type `text` into the field.", params=[_SELECTOR, _TEXT]
    ),
    CommandSpec(
        command="press_key",
        description="Press a key: UP/DOWN/LEFT/RIGHT/OK/BACK/HOME or a keyboard key (Tab, a).",
        params=[ParamSpec(name="key", type="string", pattern=KEY_PATTERN)],
    ),
    CommandSpec(command="go_back", description="The browser's Back."),
    CommandSpec(command="reset", description="Return to the start URL."),
]

# (type, command) -> whether the thing is wanted on the page; all of them poll
CHECKS: dict[tuple[str, str], bool] = {
    ("text", "wait_for_text_to_appear"): True,
    ("text", "wait_for_text_to_disappear"): False,
    ("element", "wait_for_element"): True,
    ("element", "wait_for_element_to_disappear"): False,
    ("url", "url_matches"): True,
}
_PARAMS = {
    "text": [ParamSpec(name="text", type="string", description="Visible text, a substring.")],
    "element": [_SELECTOR],
    "url": [ParamSpec(name="pattern", type="string", description="Regular expression, searched.")],
}
_DESCRIPTIONS = {
    "wait_for_text_to_appear": "Wait until the page shows `text`.",
    "wait_for_text_to_disappear": "Wait until the page no longer shows `text`.",
    "wait_for_element": "Wait until a visible element matches `selector`.",
    "wait_for_element_to_disappear": "Wait until no visible element matches `selector`.",
    "url_matches": "Wait until the page's URL matches `pattern`.",
}
VERIFICATION_SPECS = [
    VerificationSpec(
        type=type_, command=command, description=_DESCRIPTIONS[command], params=_PARAMS[type_]
    )
    for type_, command in CHECKS
]
