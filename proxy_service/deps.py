"""Typed getters and `Annotated` aliases through which handlers reach proxy resources."""

from typing import Annotated, cast

from fastapi import Depends, Path, Query, Request
from pydantic import BaseModel, Field

from proxy_service.state import ProxyState
from schemas.base import IDENTIFIER_PATTERN
from service_common.kind_path import KIND, StatusKind
from service_common.queries import StatusQuery

# A host name is a registry key, never a URL; ids reach host paths, so no "/" or "..".
NAME_PATTERN = IDENTIFIER_PATTERN


def proxy_state(request: Request) -> ProxyState:
    """The typed getter, for the hot routes (status reads): a dependency costs each request
    a solve by FastAPI, ~10 µs."""
    return cast(ProxyState, request.state.proxy)


async def get_proxy_state(request: Request) -> ProxyState:
    return proxy_state(request)


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
LAB_HOST = "The host the execution runs on; absent for a lab execution's id."
LabHostNameQuery = Annotated[
    str | None, Query(min_length=1, max_length=128, pattern=NAME_PATTERN, description=LAB_HOST)
]


# The status reads' parameters, parsed by the routes themselves (route_params.py).
class ExecutionIdPath(BaseModel):
    execution_id: str = Field(min_length=1, max_length=128, pattern=NAME_PATTERN)


class KindExecutionIdPath(BaseModel):
    kind: StatusKind = Field(description=KIND)
    execution_id: str = Field(min_length=1, max_length=128, pattern=NAME_PATTERN)


class LabStatusQuery(StatusQuery):
    """A status read's query at the proxy: the host's, and the host it runs on."""

    host_name: str | None = Field(
        None, min_length=1, max_length=128, pattern=NAME_PATTERN, description=LAB_HOST
    )
