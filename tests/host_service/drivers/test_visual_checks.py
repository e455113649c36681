"""`image` and `ocr` checks on the simulated TV's rendered screens, with the real tesseract."""

import pytest

from host_service.drivers import DriverError
from host_service.drivers.simulated import SimulatedTV
from host_service.drivers.simulated.renderer import tile_box
from host_service.drivers.visual import VisualChecks, decode_png
from host_service.runtime.cancel import CancelToken
from tests.conftest import LIBRARY
from tests.host_service.drivers.test_simulated_tv import press, tv

HERO = "references/streamflix_hero_banner.png"
HEADER = {"x": 0, "y": 0, "width": 1280, "height": 110}


@pytest.fixture(scope="module")
def checks() -> VisualChecks:
    return VisualChecks(LIBRARY)


def on(screen_keys: tuple[str, ...] = (), app: str | None = None) -> SimulatedTV:
    device = tv()
    press(device, *screen_keys)
    if app is not None:
        device.execute("launch_app", {"app": app}, CancelToken())
    return device


def test_a_shown_text_is_read_and_an_absent_one_is_not(checks: VisualChecks) -> None:
    device = on(("MENU",))  # Settings: Display, Network, About
    seen = checks.observe(device, "ocr", "wait_for_ocr_text", {"text": "network"}, CancelToken())
    assert seen.success, seen.observed
    assert "Display" in seen.observed  # the evidence is what was read
    other = {"text": "Bluetooth"}
    absent = checks.observe(device, "ocr", "wait_for_ocr_text", other, CancelToken())
    assert not absent.success
    assert "Bluetooth" in absent.expected
    gone = checks.observe(device, "ocr", "wait_for_ocr_text_to_disappear", other, CancelToken())
    assert gone.success


def test_a_region_limits_what_is_read(checks: VisualChecks) -> None:
    device = on(("MENU",))
    title = {"text": "Settings", "region": HEADER}
    assert checks.observe(device, "ocr", "wait_for_ocr_text", title, CancelToken()).success
    below = {"text": "Network", "region": HEADER}
    seen = checks.observe(device, "ocr", "wait_for_ocr_text", below, CancelToken())
    assert not seen.success
    assert "1280x110 at (0, 0)" in seen.expected


def test_a_reference_image_is_found_where_it_is_drawn(checks: VisualChecks) -> None:
    seen = checks.observe(
        on(app="streamflix"), "image", "wait_for_image", {"reference": HERO}, CancelToken()
    )
    assert seen.success
    score = float(seen.observed.split()[2])
    assert score >= 0.9
    left, top, _, _ = tile_box(0)
    assert f"at ({left}, {top})" in seen.observed


def test_a_reference_image_is_not_found_on_another_screen(checks: VisualChecks) -> None:
    home = on()
    seen = checks.observe(home, "image", "wait_for_image", {"reference": HERO}, CancelToken())
    assert not seen.success
    assert float(seen.observed.split()[2]) < 0.8
    gone = {"reference": HERO}
    assert checks.observe(home, "image", "wait_for_image_to_disappear", gone, CancelToken()).success


def test_a_region_that_misses_the_image_does_not_find_it(checks: VisualChecks) -> None:
    params = {"reference": HERO, "region": {"x": 0, "y": 300, "width": 1280, "height": 420}}
    seen = checks.observe(on(app="streamflix"), "image", "wait_for_image", params, CancelToken())
    assert not seen.success


def test_the_standby_screen_is_black_and_shows_no_text(checks: VisualChecks) -> None:
    device = on()
    device.execute("power_off", {}, CancelToken())
    pixels = decode_png(device.capture(CancelToken()))
    assert pixels.max() == 0
    seen = checks.observe(device, "ocr", "wait_for_ocr_text", {"text": "Home"}, CancelToken())
    assert not seen.success


@pytest.mark.parametrize(
    ("params", "param", "says"),
    [
        ({"reference": "references/missing.png"}, "reference", "references/missing.png"),
        ({"reference": "../pyproject.toml"}, "reference", "inside the definition library"),
        ({"reference": "trees/simtv.yaml"}, "reference", "PNG"),
        ({"reference": HERO, "threshold": 1.5}, "threshold", "between 0 and 1"),
        ({"reference": HERO, "region": {"x": 0, "y": 0}}, "region", "width"),
    ],
)
def test_image_params_are_checked_before_a_run(
    checks: VisualChecks, params: dict[str, object], param: str, says: str
) -> None:
    problems = checks.problems("image", "wait_for_image", params)
    assert [name for name, _ in problems] == [param]
    assert says in problems[0][1]


def test_an_uninstalled_ocr_language_is_refused(checks: VisualChecks) -> None:
    params = {"text": "x", "language": "klingon"}
    problems = checks.problems("ocr", "wait_for_ocr_text", params)
    assert [name for name, _ in problems] == ["language"]
    assert "eng" in problems[0][1]  # names what is installed
    assert checks.problems("ocr", "wait_for_ocr_text", {"text": "x", "language": "eng"}) == []


def test_a_region_off_the_screen_is_a_fault_of_the_definition(checks: VisualChecks) -> None:
    params = {"text": "x", "region": {"x": 2000, "y": 0, "width": 10, "height": 10}}
    with pytest.raises(DriverError, match="outside the 1280x720 screen"):
        checks.observe(on(), "ocr", "wait_for_ocr_text", params, CancelToken())


def test_a_library_less_host_refuses_reference_images() -> None:
    problems = VisualChecks(None).problems("image", "wait_for_image", {"reference": HERO})
    assert "no definition library" in problems[0][1]
