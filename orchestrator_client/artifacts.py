"""What the sync and async clients share to download artifacts: where each file goes."""

import re
from pathlib import Path

from schemas import ArtifactView
from schemas.artifacts import ARTIFACT_NAME_PATTERN

_NAME = re.compile(ARTIFACT_NAME_PATTERN)


def destination(folder: Path, artifact: ArtifactView) -> Path:
    """`folder/<name>`; a name that is not one plain segment is refused, never followed."""
    if _NAME.fullmatch(artifact.name) is None or len(artifact.name) > 128:
        raise ValueError(f"refusing to write an artifact named {artifact.name!r}")
    return folder / artifact.name


def partial(path: Path) -> Path:
    """Where a download goes until it is whole (then renamed over `path`)."""
    return path.with_name(f".{path.name}.part")
