"""The `settings` of a device whose driver is `web`."""

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class Viewport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    width: int = Field(default=1280, ge=200, le=7680)
    height: int = Field(default=720, ge=200, le=4320)


class WebSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start_url: str = Field(
        min_length=1,
        description="Where the page starts and `reset` returns; relative to `static_dir` if set.",
    )
    static_dir: Path | None = Field(
        default=None,
        description="A folder the driver serves on 127.0.0.1 (relative to the host config).",
    )
    viewport: Viewport = Field(default_factory=Viewport)
    browser_path: str | None = Field(
        default=None, description="The Chromium to run; default: `chromium` on PATH."
    )
    headless: bool = True
    default_timeout_s: float = Field(
        default=5.0, gt=0, le=120, description="How long a command waits for its element."
    )
    launch_timeout_s: float = Field(default=30.0, gt=0, le=300)
    poll_interval_s: float = Field(
        default=0.1, gt=0, le=60, description="How often a waiting verification looks again."
    )
