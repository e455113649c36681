"""The host config file: which devices this host drives, with which driver."""

from pathlib import Path
from typing import Any, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from schemas.base import Identifier


class DeviceConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Identifier
    name: str
    model: str
    driver: str = "simulated"
    tags: list[str] = Field(
        default_factory=list, description="Labels lab requests select devices by (device_selector)."
    )
    settings: dict[str, Any] = Field(default_factory=dict)


class HostConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host_name: Identifier
    library_path: Path | None = Field(default=None, description="Definition library folder.")
    devices: list[DeviceConfig] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        ids = [d.id for d in self.devices]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate device ids: {duplicates}")
        return self


class ConfigError(Exception):
    """The config file cannot be used; the message names the file and the cause."""


def load_host_config(path: Path) -> HostConfig:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        config = HostConfig.model_validate(raw)
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ConfigError(f"cannot load host config {path}: {exc}") from exc
    if config.library_path is not None and not config.library_path.is_absolute():
        config.library_path = path.parent / config.library_path
    return config
