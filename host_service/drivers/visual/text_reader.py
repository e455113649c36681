"""Text on a screen, read by the system's tesseract (Debian `tesseract-ocr`).

tesseract runs through the drivers' process runner rather than a wrapper library: the
runner honours the execution's cancel token and kills the program on a stop, and it
passes `OMP_THREAD_LIMIT=1`, without which tesseract's OpenMP threads spin against each
other and the host on a small machine (a 1280x720 frame: ~0.33 s -> ~0.11 s on 2 cores).
"""

import re
import tempfile
import threading
from pathlib import Path

import cv2

from host_service.drivers.base import DriverError
from host_service.drivers.process import ProcessRunner
from host_service.drivers.visual.region import Pixels
from host_service.runtime.cancel import CancelToken

_ENV = {"OMP_THREAD_LIMIT": "1"}
_MAX_OUTPUT = 200_000
_LANGUAGE = re.compile(r"^[A-Za-z0-9_]+(\+[A-Za-z0-9_]+)*$")


def normalise(text: str) -> str:
    """Case and runs of whitespace do not count when looking for a text in what was read."""
    return " ".join(text.split()).casefold()


def prepared(image: Pixels) -> Pixels:
    """Grey, dark text on a light ground, with a margin: what tesseract reads best."""
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    if float(grey.mean()) < 128:  # TV interfaces are mostly light text on dark
        grey = cv2.bitwise_not(grey)
    ground = int(cv2.mean(grey)[0])
    padded: Pixels = cv2.copyMakeBorder(
        grey, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=(ground, ground, ground)
    )
    return padded


class TextReader:
    """Reads the text of an image; one reader serves every device of a host."""

    def __init__(self, program: str = "tesseract", timeout_s: float = 30.0) -> None:
        self._program = program
        self._timeout_s = timeout_s
        self._lock = threading.Lock()
        self._languages: frozenset[str] | None = None

    def read(self, image: Pixels, language: str, token: CancelToken) -> str:
        if _LANGUAGE.match(language) is None:
            raise DriverError("ocr_language", f"not a tesseract language: {language!r}")
        ok, png = cv2.imencode(".png", prepared(image))
        if not ok:
            raise DriverError("ocr_failed", "could not encode the image for tesseract")
        with tempfile.TemporaryDirectory(prefix="ocr-") as folder:
            source = Path(folder) / "screen.png"
            source.write_bytes(png.tobytes())
            argv = [self._program, str(source), "stdout", "-l", language, "--psm", "3"]
            # One runner per read: devices read concurrently, each run is its own program.
            result = ProcessRunner(_ENV, _MAX_OUTPUT).run(argv, self._timeout_s, token)
        if result.exit_code != 0:
            detail = result.stderr.strip().splitlines()[-1:] or ["no output"]
            raise DriverError("ocr_failed", f"tesseract exited {result.exit_code}: {detail[0]}")
        return result.stdout

    def languages(self) -> frozenset[str]:
        """The languages installed for tesseract (asked once); empty when it is missing."""
        with self._lock:
            if self._languages is None:
                self._languages = self._list_languages()
            return self._languages

    def _list_languages(self) -> frozenset[str]:
        argv = [self._program, "--list-langs"]
        try:
            result = ProcessRunner(_ENV, _MAX_OUTPUT).run(argv, 10, CancelToken())
        except DriverError:
            return frozenset()
        lines = result.stdout.splitlines()[1:]  # the first line names the data folder
        return frozenset(line.strip() for line in lines if line.strip())
