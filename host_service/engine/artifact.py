"""Artifact: one evidence file of an execution, as its record keeps it."""

import mimetypes
import re
from dataclasses import dataclass
from datetime import datetime

from schemas import ArtifactView

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def artifact_url(execution_id: str, name: str) -> str:
    return f"/host/executions/{execution_id}/artifacts/{name}"


def artifact_name(number: int, step_id: str, media_type: str) -> str:
    """`003-main-1.png`: the order it was taken in, then its step, as one safe path segment."""
    step = _UNSAFE.sub("-", step_id).strip("-.")[:80] or "step"
    return f"{number:03d}-{step}{mimetypes.guess_extension(media_type) or '.bin'}"


@dataclass(frozen=True, slots=True)
class Artifact:
    name: str
    step_id: str
    media_type: str
    bytes: int
    created_at: datetime

    def view(self, execution_id: str) -> ArtifactView:
        return ArtifactView(
            name=self.name,
            step_id=self.step_id,
            media_type=self.media_type,
            bytes=self.bytes,
            created_at=self.created_at,
            url=artifact_url(execution_id, self.name),
        )
