"""The proxy config file: the hosts it knows from the start."""

from pathlib import Path
from typing import Self

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    ValidationError,
    field_validator,
    model_validator,
)

from proxy_service.host_urls import base_url
from schemas.base import Identifier
from service_common.config_errors import describe_invalid, describe_unreadable


class HostEntryConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Identifier
    url: HttpUrl = Field(description="Base URL of the host, without the /host prefix.")

    @field_validator("url")
    @classmethod
    def _plain_base_url(cls, url: HttpUrl) -> HttpUrl:
        base_url(url)  # no credentials, query or fragment: the same rule as registrations
        return url


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
    """The config file cannot be used; the message is one line naming the file and the cause."""


def load_proxy_config(path: Path) -> ProxyConfig:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(describe_unreadable(path, exc)) from exc
    try:
        return ProxyConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(describe_invalid(path, raw, exc)) from exc
