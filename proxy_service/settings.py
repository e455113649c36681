"""Proxy settings: environment variables `PROXY_*`, then command-line flags."""

from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, IPvAnyNetwork, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from service_common.log_format import LogFormat

REPO_ROOT = Path(__file__).resolve().parents[1]
DEMO_CONFIG = REPO_ROOT / "examples" / "proxy.yaml"

# Comma-separated in the environment (`PROXY_API_KEYS=k1,k2`), so compose files stay readable.
KeyList = Annotated[list[str], NoDecode]


class ProxySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PROXY_", extra="forbid")

    config_path: Path = Field(default=DEMO_CONFIG, description="Proxy config: known hosts.")
    database_url: str | None = Field(
        default=None,
        description="The lab store: postgresql://user@host/db, or sqlite:///path; default a "
        "SQLite file var/lab.sqlite3 next to the config file.",
    )
    api_keys: KeyList = Field(
        default_factory=list, description="Bearer keys clients must send; empty: no client auth."
    )
    host_token: str | None = Field(
        default=None, description="Bearer token the proxy sends to every host."
    )
    registration_token: str | None = Field(
        default=None, description="Bearer token hosts must send to register and heartbeat."
    )
    host_networks: list[IPvAnyNetwork] = Field(
        default_factory=list,
        description="Networks registered hosts must be in (JSON list); empty: any but "
        "link-local, unspecified and multicast.",
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins whose pages may call the proxy (JSON list)."
    )
    connect_timeout_s: float = Field(default=2.0, gt=0)
    read_timeout_s: float = Field(
        default=10.0, gt=0, description="Added to a long-poll's own `wait`."
    )
    pool_timeout_s: float = Field(default=5.0, gt=0)
    total_timeout_s: float = Field(
        default=15.0,
        gt=0,
        description="A whole non-streaming answer arrives within this (plus a long-poll's wait).",
    )
    fanout_timeout_s: float = Field(
        default=5.0, gt=0, description="A host not answered within this is listed unreachable."
    )
    max_connections: int = Field(
        default=512, ge=1, description="Calls in flight to all hosts together; past it 503."
    )
    max_requests_per_host: int = Field(
        default=64, ge=1, description="Quick calls in flight to one host; past it 503."
    )
    max_streams_per_host: int = Field(
        default=128, ge=1, description="Event streams and long-polls open to one host."
    )
    max_keepalive_connections: int = Field(default=50, ge=0)
    heartbeat_expiry_s: float = Field(
        default=15.0, gt=0, description="A host not seen for this long is offline."
    )
    health_interval_s: float = Field(
        default=5.0, gt=0, description="How often hosts not heard from are health-checked."
    )
    max_body_bytes: int = Field(default=1_000_000, ge=1)
    dispatch_interval_s: float = Field(
        default=0.5,
        gt=0,
        description="Longest pause of the lab dispatcher (it also runs on every change).",
    )
    quarantine_after_errors: int = Field(
        default=3,
        ge=0,
        description="Lab executions in a row ending in `error` that quarantine a device; 0: never.",
    )
    feed_interval_s: float = Field(
        default=2.0,
        gt=0,
        description="Each host's feed of finished executions is long-polled on and on; how "
        "often a host whose feed is not being read (back online, a failed reading, more "
        "pending than one call asks) is read again.",
    )
    log_format: LogFormat = Field(
        default="text", description="Service log lines: text, or JSON lines."
    )
    gc_tuning: bool = Field(
        default=True,
        description="Freeze startup objects and collect less often (service_common/gc_tuning.py).",
    )
    finished_cache_size: int = Field(
        default=10_000, ge=0, description="Finished execution views kept; 0 turns it off."
    )
    finished_cache_ttl_s: float = Field(
        default=60.0, gt=0, description="How long a finished view is served without its host."
    )
    watch_refresh_s: float = Field(
        default=2.0,
        ge=0.1,
        description="While someone watches (`/server/watch`, the dashboard): how long a "
        "host's change feed is long-polled before every device is read again, and how often "
        "hosts without the feed and the lab queue are read.",
    )
    watch_max_followed: int = Field(
        default=100,
        ge=0,
        description="Running executions the watch follows through their event streams at "
        "once (at most half the connection pool); others show at each reading.",
    )

    @field_validator("api_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [key.strip() for key in value.split(",") if key.strip()]
        return value
