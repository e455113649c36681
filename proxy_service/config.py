"""The proxy config file: the hosts it knows from the start."""

from pathlib import Path
from typing import Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, model_validator

from schemas.base import Identifier


class HostEntryConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Identifier
    url: HttpUrl = Field(description="Base URL of the host, without the /host prefix.")


class ProxyConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hosts: list[HostEntryConfig] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_names(self) -> Self:
        names = [h.name for h in self.hosts]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"duplicate host names: {duplicates}")
        return self


class ConfigError(Exception):
    """The config file cannot be used; the message names the file and the cause."""


def load_proxy_config(path: Path) -> ProxyConfig:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return ProxyConfig.model_validate(raw)
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ConfigError(f"cannot load proxy config {path}: {exc}") from exc
