"""Typed getters and `Annotated` aliases through which handlers reach proxy resources."""

from typing import Annotated, cast

from fastapi import Depends, Path, Query, Request

from proxy_service.state import ProxyState
from schemas.base import IDENTIFIER_PATTERN

# A host name is a registry key, never a URL; ids reach host paths, so no "/" or "..".
NAME_PATTERN = IDENTIFIER_PATTERN


async def get_proxy_state(request: Request) -> ProxyState:
    return cast(ProxyState, request.state.proxy)


ProxyStateDep = Annotated[ProxyState, Depends(get_proxy_state)]

HostNameQuery = Annotated[
    str,
    Query(
        min_length=1,
        max_length=128,
        pattern=NAME_PATTERN,
        description="The host to forward to: a name from `GET /server/hosts`.",
    ),
]
OptionalHostNameQuery = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=128,
        pattern=NAME_PATTERN,
        description="Only this host; all hosts when absent.",
    ),
]
IdPath = Annotated[str, Path(min_length=1, max_length=128, pattern=NAME_PATTERN)]
LabHostNameQuery = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=128,
        pattern=NAME_PATTERN,
        description="The host the execution runs on; absent for a lab execution's id.",
    ),
]
