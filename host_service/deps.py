"""Typed getters and `Annotated` aliases through which handlers reach host resources."""

from typing import Annotated, cast

from fastapi import Depends, Request

from host_service.state import HostState


async def get_host_state(request: Request) -> HostState:
    # async: a sync dependency would cost a worker-thread hop on every request.
    return cast(HostState, request.state.host)


HostStateDep = Annotated[HostState, Depends(get_host_state)]
