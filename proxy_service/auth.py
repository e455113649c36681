"""Bearer checks: client API keys on forwarded routes, the registration token for hosts."""

import hmac
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from proxy_service.deps import ProxyStateDep
from proxy_service.errors import UnauthorizedError

_bearer = HTTPBearer(auto_error=False, description="An API key, or a host's registration token.")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _matches(credentials: HTTPAuthorizationCredentials | None, secrets: list[str]) -> bool:
    given = credentials.credentials.encode() if credentials else b""
    # Compare with every key, so the time taken does not tell which key came close.
    return sum(hmac.compare_digest(given, s.encode()) for s in secrets) > 0


async def require_api_key(state: ProxyStateDep, credentials: Credentials) -> None:
    keys = state.settings.api_keys
    if keys and not _matches(credentials, keys):
        raise UnauthorizedError("an API key is required: Authorization: Bearer <key>")


async def require_registration_token(state: ProxyStateDep, credentials: Credentials) -> None:
    token = state.settings.registration_token
    if token is not None and not _matches(credentials, [token]):
        raise UnauthorizedError(
            "registration needs the registration token: Authorization: Bearer <token>"
        )
