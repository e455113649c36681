"""The part of a captured screen a visual check looks at."""

from typing import Any

import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, ValidationError

# Images as OpenCV returns them: height x width x BGR (or grey) arrays of any dtype.
Pixels = npt.NDArray[Any]


class Region(BaseModel):
    """A rectangle in pixels of the captured screen, from its top-left corner."""

    model_config = ConfigDict(extra="forbid")

    x: int = Field(ge=0)
    y: int = Field(ge=0)
    width: int = Field(ge=1)
    height: int = Field(ge=1)

    def describe(self) -> str:
        return f"{self.width}x{self.height} at ({self.x}, {self.y})"


def region_problem(value: Any) -> str | None:
    """Why `value` is not a region, or None when it is one."""
    try:
        Region.model_validate(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "region"
        return f"{where}: {first['msg']} (a region is {{x, y, width, height}} in pixels)"
    return None


def parse_region(value: Any) -> Region | None:
    return None if value is None else Region.model_validate(value)


def crop(image: Pixels, region: Region | None) -> Pixels:
    """The region's pixels, clipped to the image; ValueError when nothing of it is on screen."""
    if region is None:
        return image
    height, width = image.shape[:2]
    right = min(width, region.x + region.width)
    bottom = min(height, region.y + region.height)
    if region.x >= right or region.y >= bottom:
        raise ValueError(f"region {region.describe()} is outside the {width}x{height} screen")
    return image[region.y : bottom, region.x : right]
