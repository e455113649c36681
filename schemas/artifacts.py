"""Evidence of an execution: files (screenshots) kept with its record."""

from datetime import datetime
from typing import Annotated

from pydantic import Field

from schemas.base import ResponseModel

# An artifact's name is one path segment: no "/", no leading dot, so never "..".
ARTIFACT_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
ArtifactName = Annotated[str, Field(min_length=1, max_length=128, pattern=ARTIFACT_NAME_PATTERN)]


class ArtifactView(ResponseModel):
    """One file kept as evidence of an execution, such as the screen after a failed step."""

    name: str = Field(description="Unique within the execution; the last segment of `url`.")
    step_id: str = Field(description="The step it was taken at (`steps[].id`).")
    media_type: str = Field(description="What the file is, e.g. `image/png`.")
    bytes: int = Field(ge=0, description="Its size.")
    created_at: datetime
    url: str = Field(
        description="Where the host serves it; through the proxy it is "
        "`/server/executions/{id}/artifacts/{name}?host_name=...`."
    )
