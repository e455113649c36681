"""Reference images: PNG files of the definition library, read once until they change."""

import threading
from pathlib import Path

from host_service.drivers.base import DriverError
from host_service.drivers.visual.image_match import decode_png
from host_service.drivers.visual.region import Pixels

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class ReferenceImages:
    def __init__(self, root: Path | None) -> None:
        self._root = None if root is None else root.resolve()
        self._lock = threading.Lock()
        self._decoded: dict[Path, tuple[int, Pixels]] = {}

    def _path(self, name: str) -> Path:
        """The file `name` stands for; ValueError when it is no PNG file of the library."""
        if self._root is None:
            raise ValueError("this host has no definition library to hold reference images")
        path = (self._root / name).resolve()
        if not path.is_relative_to(self._root):
            raise ValueError("reference images must be inside the definition library")
        if path.suffix.lower() != ".png":
            raise ValueError("reference images are PNG files (.png)")
        if not path.is_file():
            raise ValueError(f"file not found in the library: {name}")
        return path

    def problem(self, name: str) -> str | None:
        """Why `name` cannot be used as a reference, checked before a request is accepted."""
        try:
            path = self._path(name)
            with path.open("rb") as file:
                if file.read(len(_PNG_SIGNATURE)) != _PNG_SIGNATURE:
                    return f"not a PNG file: {name}"
        except (ValueError, OSError) as exc:
            return str(exc)
        return None

    def load(self, name: str) -> Pixels:
        try:
            path = self._path(name)
            stamp = path.stat().st_mtime_ns
            with self._lock:
                cached = self._decoded.get(path)
            if cached is not None and cached[0] == stamp:
                return cached[1]
            pixels = decode_png(path.read_bytes())
        except (ValueError, OSError) as exc:
            raise DriverError("reference_image", f"{name}: {exc}") from exc
        with self._lock:
            self._decoded[path] = (stamp, pixels)
        return pixels
