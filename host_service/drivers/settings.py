"""Parsing a device's raw `settings` into its driver's model, with errors that name the field."""

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from host_service.drivers.base import DriverSettingsError

M = TypeVar("M", bound=BaseModel)


def parse_settings(model: type[M], raw: dict[str, Any]) -> M:
    """`model` validated from `raw`; DriverSettingsError naming the first field at fault."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        setting = ".".join(str(part) for part in first["loc"]) or "settings"
        raise DriverSettingsError(setting, first["msg"]) from exc


def settings_file(setting: str, base_dir: Path, relative: Path) -> Path:
    """A file named by a setting, relative to the host config; it must exist."""
    path = relative if relative.is_absolute() else base_dir / relative
    if not path.is_file():
        raise DriverSettingsError(setting, f"file not found: {path}")
    return path
