"""`image` and `ocr` verifications, on the screen of any driver that can capture.

They need nothing of the driver but its screenshot, so they live here once instead of
in every driver: the steps ask `VisualChecks` for what a capturing device accepts on
top of its driver's own checks, and hand it the driver's `capture` to observe with.
Reference images are PNG files in the host's definition library, named relative to it.
"""

from pathlib import Path
from typing import Any

from host_service.drivers.base import DriverError, Observation
from host_service.drivers.capture import Capturing
from host_service.drivers.visual.image_match import best_match, decode_png
from host_service.drivers.visual.references import ReferenceImages
from host_service.drivers.visual.region import crop, parse_region, region_problem
from host_service.drivers.visual.text_reader import TextReader, normalise
from host_service.runtime.cancel import CancelToken
from schemas import ParamSpec, VerificationSpec

DEFAULT_THRESHOLD = 0.8
DEFAULT_LANGUAGE = "eng"
_EVIDENCE_CHARS = 500

_REGION = ParamSpec(
    name="region",
    type="object",
    required=False,
    description="Where to look: {x, y, width, height} in screen pixels; all of it if absent.",
)
_IMAGE_PARAMS = [
    ParamSpec(
        name="reference",
        type="string",
        description="A PNG file of the definition library, relative to it.",
    ),
    ParamSpec(
        name="threshold",
        type="number",
        required=False,
        default=DEFAULT_THRESHOLD,
        description="Lowest match score (0-1) that counts as found.",
    ),
    _REGION,
]
_OCR_PARAMS = [
    ParamSpec(name="text", type="string", description="Text to read (case and spacing ignored)."),
    _REGION,
    ParamSpec(
        name="language",
        type="string",
        required=False,
        default=DEFAULT_LANGUAGE,
        description="tesseract language(s), e.g. eng or eng+deu.",
    ),
]
# (type, command) -> (whether the thing is wanted on screen, description)
_CHECKS: dict[tuple[str, str], tuple[bool, str]] = {
    ("image", "wait_for_image"): (True, "Wait until `reference` shows on the screen."),
    ("image", "wait_for_image_to_disappear"): (False, "Wait until `reference` is gone."),
    ("ocr", "wait_for_ocr_text"): (True, "Wait until `text` can be read on the screen."),
    ("ocr", "wait_for_ocr_text_to_disappear"): (False, "Wait until `text` can't be read."),
}
VISUAL_SPECS = [
    VerificationSpec(
        type=type_,
        command=command,
        description=description,
        params=_IMAGE_PARAMS if type_ == "image" else _OCR_PARAMS,
    )
    for (type_, command), (_, description) in _CHECKS.items()
]


class VisualChecks:
    """The host's visual checks: its reference images and its text reader."""

    def __init__(self, library_root: Path | None, reader: TextReader | None = None) -> None:
        self.references = ReferenceImages(library_root)
        self.reader = reader or TextReader()

    @staticmethod
    def handles(type_: str, command: str) -> bool:
        return (type_, command) in _CHECKS

    def problems(self, type_: str, command: str, params: dict[str, Any]) -> list[tuple[str, str]]:
        """What is wrong with a visual check's params beyond their types: `(param, problem)`."""
        problems: list[tuple[str, str]] = []
        region = params.get("region")
        if region is not None and (problem := region_problem(region)) is not None:
            problems.append(("region", problem))
        if type_ == "image":
            reference = params.get("reference")
            if isinstance(reference, str) and (problem := self.references.problem(reference)):
                problems.append(("reference", problem))
            threshold = params.get("threshold", DEFAULT_THRESHOLD)
            if isinstance(threshold, int | float) and not 0 <= threshold <= 1:
                problems.append(("threshold", "must be between 0 and 1"))
        else:
            language = params.get("language", DEFAULT_LANGUAGE)
            if isinstance(language, str):
                missing = set(language.split("+")) - self.reader.languages()
                if missing:
                    installed = sorted(self.reader.languages())
                    msg = f"tesseract has no language {sorted(missing)}; installed: {installed}"
                    problems.append(("language", msg))
        return problems

    def observe(
        self,
        driver: Capturing,
        type_: str,
        command: str,
        params: dict[str, Any],
        token: CancelToken,
    ) -> Observation:
        wanted = _CHECKS[(type_, command)][0]
        try:
            region = parse_region(params.get("region"))
            screen = decode_png(driver.capture(token))
            area = crop(screen, region)
        except ValueError as exc:
            raise DriverError("visual_check_invalid", str(exc)) from exc
        where = "" if region is None else f" in {region.describe()}"
        if type_ == "image":
            reference = str(params["reference"])
            threshold = float(params.get("threshold", DEFAULT_THRESHOLD))
            offset = (0, 0) if region is None else (region.x, region.y)
            try:
                match = best_match(area, self.references.load(reference), offset)
            except ValueError as exc:
                raise DriverError("visual_check_invalid", f"{reference}: {exc}") from exc
            found = match.score >= threshold
            state = "shown" if wanted else "absent"
            expected = f"image {reference} {state}{where} (score >= {threshold:g})"
            return Observation(found == wanted, expected, match.describe())
        text = str(params["text"])
        read = self.reader.read(area, str(params.get("language", DEFAULT_LANGUAGE)), token)
        found = normalise(text) in normalise(read)
        expected = f"text {text!r} {'read' if wanted else 'not read'}{where}"
        observed = " ".join(read.split())
        if len(observed) > _EVIDENCE_CHARS:
            observed = observed[:_EVIDENCE_CHARS] + "..."
        return Observation(found == wanted, expected, f"read: {observed!r}")
