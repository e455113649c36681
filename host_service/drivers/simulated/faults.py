"""Seeded fault injection for the simulated TV."""

from pydantic import BaseModel, ConfigDict, Field


class Faults(BaseModel):
    """Faults to inject; all off by default. The seed makes a run repeatable."""

    model_config = ConfigDict(extra="forbid")

    seed: int = 0
    key_failure_rate: float = Field(
        default=0.0, ge=0, le=1, description="Key press not acknowledged."
    )
    wrong_screen_rate: float = Field(
        default=0.0, ge=0, le=1, description="Key press lands on a neighbouring screen instead."
    )
    hang_commands: list[str] = Field(
        default_factory=list, description="Commands that hang, ignoring cancellation."
    )
    disconnect_after_calls: int | None = Field(
        default=None, ge=0, description="The device drops off after this many calls."
    )


class Latencies(BaseModel):
    """Milliseconds a real box takes; multiplied by the host's latency scale."""

    model_config = ConfigDict(extra="forbid")

    key_press_ms: float = Field(default=150, ge=0)
    launch_app_ms: float = Field(default=600, ge=0)
    power_ms: float = Field(default=1000, ge=0)
    observe_ms: float = Field(default=40, ge=0)
    capture_ms: float = Field(default=80, ge=0, description="Taking a screenshot.")
    poll_interval_ms: float = Field(default=100, ge=1)
