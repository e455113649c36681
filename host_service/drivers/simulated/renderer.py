"""Draws the simulated TV's screen as a PNG, so image and OCR checks run without hardware.

A frame is a pure function of what the screen shows (title, texts, elements, focus,
loading or standby), so frames are drawn once and kept: a capture costs a dict look-up.
Layout (1280x720): the title on a header bar, the texts as a column on the left, the
elements as labelled tiles on the right, the focused tile ringed in yellow.
"""

import io
import threading
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1280, 720
_BACKGROUND = (18, 22, 36)
_HEADER = (34, 42, 68)
_TEXT = (236, 238, 244)
_MUTED = (170, 176, 196)
_TILE = (52, 64, 104)
_FOCUS = (255, 204, 0)
_TILE_W, _TILE_H, _GAP = 280, 110, 24
_TILES_X, _TILES_Y, _COLUMNS = 620, 150, 2
_MAX_TILES = 8  # two columns of four fill the frame; more would leave it


@dataclass(frozen=True)
class Frame:
    """What one screen shows at one moment: everything a frame is drawn from."""

    title: str
    texts: tuple[str, ...] = ()
    elements: tuple[str, ...] = ()
    focus: str | None = None
    loading: bool = False
    standby: bool = False


def tile_box(index: int) -> tuple[int, int, int, int]:
    """Where element `index` is drawn: (left, top, right, bottom)."""
    column, row = index % _COLUMNS, index // _COLUMNS
    left = _TILES_X + column * (_TILE_W + _GAP)
    top = _TILES_Y + row * (_TILE_H + _GAP)
    return left, top, left + _TILE_W, top + _TILE_H


class ScreenRenderer:
    """Turns frames into PNG bytes, each distinct frame drawn once."""

    def __init__(self) -> None:
        # Pillow's bundled font: the same pixels on every machine, no system fonts needed.
        self._title_font = ImageFont.load_default(size=52)
        self._text_font = ImageFont.load_default(size=34)
        self._tile_font = ImageFont.load_default(size=26)
        self._drawn: dict[Frame, bytes] = {}
        self._lock = threading.Lock()

    def png(self, frame: Frame) -> bytes:
        with self._lock:
            cached = self._drawn.get(frame)
        if cached is not None:
            return cached
        image = self.draw(frame)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        data = buffer.getvalue()
        with self._lock:
            self._drawn[frame] = data
        return data

    def draw(self, frame: Frame) -> Image.Image:
        image = Image.new("RGB", (WIDTH, HEIGHT), (0, 0, 0) if frame.standby else _BACKGROUND)
        if frame.standby:
            return image  # a box in standby shows a black screen
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 0, WIDTH, 110), fill=_HEADER)
        draw.text((60, 28), frame.title, font=self._title_font, fill=_TEXT)
        if frame.loading:
            draw.text((60, 160), "Loading...", font=self._text_font, fill=_MUTED)
            return image
        for row, text in enumerate(frame.texts[:9]):
            draw.text((60, 160 + row * 58), text, font=self._text_font, fill=_TEXT)
        for index, element in enumerate(frame.elements[:_MAX_TILES]):
            self._tile(draw, index, element, focused=element == frame.focus)
        return image

    def _tile(self, draw: ImageDraw.ImageDraw, index: int, label: str, focused: bool) -> None:
        left, top, right, bottom = tile_box(index)
        draw.rounded_rectangle((left, top, right, bottom), radius=14, fill=_TILE)
        if focused:
            draw.rounded_rectangle(
                (left - 6, top - 6, right + 6, bottom + 6), radius=18, outline=_FOCUS, width=6
            )
        text = label.replace("_", " ")
        x0, y0, x1, y1 = draw.textbbox((0, 0), text, font=self._tile_font)
        x = left + (_TILE_W - (x1 - x0)) // 2 - x0
        y = top + (_TILE_H - (y1 - y0)) // 2 - y0
        draw.text((x, y), text, font=self._tile_font, fill=_TEXT)
