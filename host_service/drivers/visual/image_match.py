"""Where a reference image best matches a screen: normalised template matching (OpenCV)."""

from dataclasses import dataclass

import cv2
import numpy as np

from host_service.drivers.visual.region import Pixels


@dataclass(frozen=True)
class ImageMatch:
    """The best match: its score (1.0 is pixel-identical) and its box on the screen."""

    score: float
    x: int
    y: int
    width: int
    height: int

    def describe(self) -> str:
        return f"best score {self.score:.3f} at ({self.x}, {self.y}), {self.width}x{self.height}"


def decode_png(data: bytes) -> Pixels:
    """Colour pixels (BGR) of an encoded image; ValueError when it is not one."""
    image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ValueError("not a decodable image")
    pixels: Pixels = np.asarray(image)
    return pixels


def best_match(screen: Pixels, reference: Pixels, offset: tuple[int, int] = (0, 0)) -> ImageMatch:
    """The best place for `reference` on `screen` (coordinates shifted by `offset`).

    TM_CCOEFF_NORMED is insensitive to uniform brightness changes and scores in [-1, 1];
    a flat reference (one colour) has no variance to correlate, so it is compared by
    squared difference instead, scored 1 - mean difference.
    """
    ref_h, ref_w = reference.shape[:2]
    screen_h, screen_w = screen.shape[:2]
    if ref_h > screen_h or ref_w > screen_w:
        raise ValueError(
            f"reference {ref_w}x{ref_h} is larger than the area searched ({screen_w}x{screen_h})"
        )
    if float(reference.std()) == 0.0:
        diff = cv2.matchTemplate(screen, reference, cv2.TM_SQDIFF_NORMED)
        low, _, where, _ = cv2.minMaxLoc(diff)
        score = 1.0 - float(low)
    else:
        scores = cv2.matchTemplate(screen, reference, cv2.TM_CCOEFF_NORMED)
        _, high, _, where = cv2.minMaxLoc(scores)
        score = float(high)
    return ImageMatch(round(score, 4), where[0] + offset[0], where[1] + offset[1], ref_w, ref_h)
