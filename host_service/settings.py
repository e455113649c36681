"""Host settings: environment variables `HOST_*`, then command-line flags."""

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from service_common.log_format import LogFormat

REPO_ROOT = Path(__file__).resolve().parents[1]
DEMO_CONFIG = REPO_ROOT / "examples" / "host.yaml"


class HostSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HOST_", extra="forbid")

    config_path: Path = Field(default=DEMO_CONFIG, description="Host config: name and devices.")
    host_name: str | None = Field(default=None, description="Overrides the config's host_name.")
    latency_scale: float = Field(
        default=1.0, ge=0, description="Multiplies simulated latencies; tests use small values."
    )
    retention_max_age_s: float = Field(default=7 * 24 * 3600, gt=0)
    retention_max_count: int = Field(default=10_000, ge=1)
    max_log_lines: int = Field(
        default=2_000, ge=10, description="Captured log lines kept per execution."
    )
    max_value_bytes: int = Field(
        default=64 * 1024,
        ge=1_024,
        description="Largest variable or output (JSON bytes); past it the step fails.",
    )
    max_result_bytes: int = Field(
        default=1024 * 1024,
        ge=1_024,
        description="Largest result (JSON bytes) of one execution; past it the execution fails.",
    )
    max_message_chars: int = Field(
        default=4_096,
        ge=80,
        description="Longest step message, progress line or log line; longer ones are cut.",
    )
    max_events: int = Field(
        default=5_000,
        ge=10,
        description="Events kept per execution; past it only status events are recorded.",
    )
    max_artifacts: int = Field(
        default=50,
        ge=1,
        description="Artifacts (screenshots) kept per execution; past it the oldest go.",
    )
    max_artifact_bytes: int = Field(
        default=50_000_000,
        ge=1,
        description="Bytes of artifacts kept per execution; past it the oldest go.",
    )
    events_ping_s: float = Field(
        default=15, gt=0, description="Keep-alive interval of event streams."
    )
    journal: str | None = Field(
        default=None,
        description=(
            "Journal of executions: `sqlite:///<path>`, a file path, or `none` (memory only, "
            "lost on restart); default var/<host_name>.sqlite3 next to the config file."
        ),
    )
    log_format: LogFormat = Field(
        default="text", description="Service log lines: text, or JSON lines with execution_id."
    )
    queue_wait_limit_s: float = Field(
        default=3600, gt=0, description="Longest wait for a busy device."
    )
    gc_tuning: bool = Field(
        default=True, description="Freeze startup objects and collect less often (gc_tuning.py)."
    )
    stop_grace_s: float = Field(
        default=0.5,
        ge=0,
        description="How long a stopped execution's driver call may take to return.",
    )
    token: str | None = Field(
        default=None, description="Bearer token callers (the proxy) must send; health stays open."
    )
    max_body_bytes: int = Field(default=1_000_000, ge=1, description="Larger bodies get 413.")
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins whose pages may call the host (JSON list)."
    )
    library_max_file_bytes: int = Field(
        default=2 * 1024 * 1024,
        ge=1_000,
        description="Larger definition files are not read (a library problem).",
    )
    proxy_url: str | None = Field(
        default=None, description="Proxy to register with and send heartbeats to."
    )
    proxy_registration_token: str | None = Field(
        default=None, description="Bearer token the proxy asks of registering hosts."
    )
    advertised_url: str | None = Field(
        default=None, description="URL the proxy reaches this host at (without /host)."
    )
    heartbeat_interval_s: float = Field(default=5.0, gt=0)
