"""Matrix runs: one lab start run on every matching device, summed in a parent execution."""

from typing import Literal

from pydantic import Field

from schemas.base import ResponseModel


class MatrixResult(ResponseModel):
    """The sum of a matrix run's children, one per device, once every one of them ended."""

    kind: Literal["matrix"] = "matrix"
    success: bool = Field(description="Every child completed and passed.")
    total: int = Field(description="Children: one per device that matched at the start.")
    passed: int = Field(description="Completed with `result.success`.")
    failed: int = Field(description="Completed, not passed: the test failed.")
    errors: int = Field(description="Ended in `error`: the tooling failed.")
    other: int = Field(description="Cancelled, timed out or interrupted.")
