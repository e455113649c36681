"""`{var}` substitution: types kept for whole placeholders, text inside strings, clear errors."""

import pytest

from host_service.blocks import SubstitutionError, placeholders, substitute

VARIABLES = {
    "count": 3,
    "ratio": 0.5,
    "on": True,
    "name": "Live TV",
    "items": ["a", "b"],
    "reply": {"screen": "home", "codes": [7, 8]},
    "nothing": None,
}


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{count}", 3),
        ("{ratio}", 0.5),
        ("{on}", True),
        ("{items}", ["a", "b"]),
        ("{nothing}", None),
        ("{reply.screen}", "home"),
        ("{reply.codes.1}", 8),
    ],
)
def test_a_whole_placeholder_keeps_the_variable_type(template: str, expected: object) -> None:
    assert substitute(template, VARIABLES) == expected


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("channel {count}", "channel 3"),
        ("{name} on={on} none={nothing}", "Live TV on=true none=null"),
        ("items={items}", 'items=["a", "b"]'),
        ("{{count}} is {count}", "{count} is 3"),
        (r"^\d{3}-{2,5}$", r"^\d{3}-{2,5}$"),
        ("no placeholders", "no placeholders"),
    ],
)
def test_placeholders_inside_text_render_as_text(template: str, expected: str) -> None:
    assert substitute(template, VARIABLES) == expected


def test_containers_are_substituted_recursively_without_mutation() -> None:
    params = {"keys": ["{name}", {"n": "{count}"}], "n": 1, "flag": False}
    assert substitute(params, VARIABLES) == {
        "keys": ["Live TV", {"n": 3}],
        "n": 1,
        "flag": False,
    }
    assert params["keys"] == ["{name}", {"n": "{count}"}]


@pytest.mark.parametrize("template", ["{missing}", "x {missing} y", "{reply.nope}", "{items.5}"])
def test_an_unknown_variable_is_a_clear_error(template: str) -> None:
    with pytest.raises(SubstitutionError) as caught:
        substitute(template, VARIABLES)
    assert "unknown variable" in str(caught.value)
    assert "count" in str(caught.value)  # lists what is known


def test_placeholders_lists_referenced_variables() -> None:
    assert placeholders({"a": ["{count} {reply.screen}"], "b": r"\d{3}", "c": "{{x}}"}) == {
        "count",
        "reply",
    }
