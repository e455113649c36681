"""The `settings` of a device whose driver is `adb`."""

from pydantic import BaseModel, ConfigDict, Field, field_validator


class AdbSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    serial: str = Field(min_length=1, description="The device's serial, as `adb devices` lists it.")
    adb_server: str = Field(
        default="127.0.0.1:5037", description="host:port of the adb server the device is on."
    )
    allow_shell: bool = Field(
        default=False, description="Offer the `shell {argv}` command (any program on the device)."
    )
    default_timeout_s: float = Field(
        default=20.0, gt=0, le=600, description="Longest a single adb call may take."
    )
    connect_timeout_s: float = Field(default=5.0, gt=0, le=60)
    poll_interval_s: float = Field(
        default=0.5, gt=0, le=60, description="How often a waiting verification looks again."
    )
    status_interval_s: float = Field(
        default=2.0, gt=0, le=300, description="How often the adb server's device list is read."
    )

    @field_validator("adb_server")
    @classmethod
    def _host_and_port(cls, value: str) -> str:
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"expected host:port, got {value!r}")
        return value

    @property
    def address(self) -> tuple[str, int]:
        host, _, port = self.adb_server.rpartition(":")
        return host.strip("[]"), int(port)
