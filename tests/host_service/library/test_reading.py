"""Reading one definition file: bounded size and shape, aliases counted as they expand."""

from pathlib import Path

import pytest

from host_service.library.reading import LibraryLimits, UnreadableFileError, read_definition

SMALL = LibraryLimits(max_file_bytes=10_000, max_values=200, max_depth=8)


def read(tmp_path: Path, text: str, name: str = "d.yaml", limits: LibraryLimits = SMALL) -> object:
    path = tmp_path / name
    path.write_text(text)
    return read_definition(path, limits)


def refused(tmp_path: Path, text: str, name: str = "d.yaml") -> str:
    with pytest.raises(UnreadableFileError) as caught:
        read(tmp_path, text, name)
    return str(caught.value)


def test_aliases_that_stay_small_are_read_as_shared_data(tmp_path: Path) -> None:
    data = read(tmp_path, "keys: &k [1, 2, 3]\nagain: *k\nthrice: [*k, *k]\n")
    assert data == {"keys": [1, 2, 3], "again": [1, 2, 3], "thrice": [[1, 2, 3], [1, 2, 3]]}


def test_values_are_counted_as_aliases_expand(tmp_path: Path) -> None:
    # Keys and values: 1 + 3 + 10 + 31 + 94 = 139 values from three lines; a level more, 423.
    fits = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n"
    read(tmp_path, fits)
    too_many = fits.replace("c: [*b, *b, *b]", "c: &c [*b, *b, *b]\nd: [*c, *c, *c]")
    assert refused(tmp_path, too_many) == "its data expands to more than 200 values (YAML aliases?)"


def test_depth_counts_where_an_alias_is_used(tmp_path: Path) -> None:
    deep = "[" * 5 + "]" * 5
    read(tmp_path, f"a: &a {deep}\nb: [[*a]]\n")  # 1 + 2 + 5 levels
    assert (
        refused(tmp_path, f"a: &a {deep}\nb: [[[*a]]]\n")
        == "its data is nested deeper than 8 levels"
    )


def test_data_that_contains_itself_is_refused(tmp_path: Path) -> None:
    assert refused(tmp_path, "a: &a [1, *a]\n") == (
        "its data contains itself (a YAML alias inside its own anchor)"
    )


def test_a_file_past_the_size_limit_is_not_parsed(tmp_path: Path) -> None:
    message = refused(tmp_path, "x: " + "[" * 20_000)
    assert message == "larger than the 10,000 bytes a definition file may have"


def test_parse_errors_give_a_position_and_no_content(tmp_path: Path) -> None:
    assert refused(tmp_path, '{"id": "x",\n "name": secret}', "d.json") == (
        "not valid JSON: Expecting value at line 2, column 10"
    )
    message = refused(tmp_path, "id: x\nname: !!python/name:secret.thing ''\n")
    assert "secret" not in message
    assert message.endswith("at line 2, column 7")
