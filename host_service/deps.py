"""Typed getters and `Annotated` aliases through which handlers reach host resources."""

from typing import Annotated, cast

from fastapi import Depends, Request

from host_service.state import HostState


def host_state(request: Request) -> HostState:
    """The typed getter, for the hot routes (starts, status reads): a dependency costs
    each request a solve by FastAPI, ~10 µs, next to ~32 µs for a hello-world route."""
    return cast(HostState, request.state.host)


async def get_host_state(request: Request) -> HostState:
    # async: a sync dependency would cost a worker-thread hop on every request.
    return host_state(request)


HostStateDep = Annotated[HostState, Depends(get_host_state)]
