"""Visual verifications (`image`, `ocr`) over any driver's screenshots."""

from host_service.drivers.visual.checks import VISUAL_SPECS, VisualChecks
from host_service.drivers.visual.image_match import ImageMatch, best_match, decode_png
from host_service.drivers.visual.region import Region
from host_service.drivers.visual.text_reader import TextReader

__all__ = [
    "VISUAL_SPECS",
    "ImageMatch",
    "Region",
    "TextReader",
    "VisualChecks",
    "best_match",
    "decode_png",
]
