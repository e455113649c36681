"""Catalogue of standard blocks: what a builder run or a testcase block node may use."""

from fastapi import APIRouter

from host_service.blocks import BLOCKS
from host_service.errors import NotFoundError
from host_service.routes.responses import errors
from schemas import BlockView

router = APIRouter(prefix="/library", tags=["library"])


@router.get("/blocks", response_model=list[BlockView], operation_id="list_blocks")
async def list_blocks() -> list[BlockView]:
    """Every standard block with its params (types, defaults, choices) and its outputs."""
    return [spec.view() for spec in BLOCKS.values()]


@router.get(
    "/blocks/{name}",
    response_model=BlockView,
    responses=errors(404, 422),
    operation_id="get_block",
)
async def get_block(name: str) -> BlockView:
    """One standard block with its params and outputs."""
    spec = BLOCKS.get(name)
    if spec is None:
        raise NotFoundError(f"no block {name!r}; known: {sorted(BLOCKS)}", code="block_not_found")
    return spec.view()
