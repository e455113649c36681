"""Bearer checks: client API keys on every /server route, the registration token for hosts.

API keys are checked by a middleware rather than a route dependency, so that no
route can be added without them, and at a fraction of a dependency's cost per request.
"""

import hmac
import re
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Receive, Scope, Send

from proxy_service.deps import ProxyStateDep
from proxy_service.errors import UnauthorizedError
from service_common.json_error import send_json_error

# Open without an API key: the health check, and the routes hosts call with their token.
_OPEN = re.compile(r"^/server/(health|hosts/register|hosts/[^/]+/heartbeat)/?$")

_bearer = HTTPBearer(auto_error=False, description="A host's registration token.")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _matches(given: bytes, secrets: list[str]) -> bool:
    # Compare with every secret, so the time taken does not tell which one came close.
    return sum(hmac.compare_digest(given, s.encode()) for s in secrets) > 0


class ApiKeyAuth:
    def __init__(self, app: ASGIApp, keys: list[str]) -> None:
        self.app = app
        self._keys = [f"Bearer {key}" for key in keys]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        guarded = path.startswith("/server/") or path == "/metrics"
        if scope["type"] != "http" or not guarded or _OPEN.match(path):
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"authorization", b"")
        if _matches(given, self._keys):
            await self.app(scope, receive, send)
            return
        await send_json_error(
            send,
            401,
            "unauthorized",
            "an API key is required: Authorization: Bearer <key>",
            headers=[(b"www-authenticate", b"Bearer")],
        )


async def require_registration_token(state: ProxyStateDep, credentials: Credentials) -> None:
    """Registration is open only on a proxy with no credentials at all (a laptop lab):
    once it has API keys or a host token, a registrant could otherwise add a host, or
    collect the token the proxy sends to every host."""
    settings = state.settings
    token = settings.registration_token
    if token is None and (settings.api_keys or settings.host_token):
        raise UnauthorizedError(
            "registration is closed: this proxy has API keys or a host token, so hosts must "
            "present a registration token, and PROXY_REGISTRATION_TOKEN is not set"
        )
    given = credentials.credentials.encode() if credentials else b""
    if token is not None and not _matches(given, [token]):
        raise UnauthorizedError(
            "registration needs the registration token: Authorization: Bearer <token>"
        )
