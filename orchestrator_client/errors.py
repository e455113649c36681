"""The one exception a service's error answer becomes.

OrchestratorError          a service answered 4xx/5xx; `.body` is its ErrorBody
httpx.TransportError       (not wrapped) the proxy could not be reached at all
"""

import httpx
from pydantic import ValidationError

from schemas import ErrorBody


class OrchestratorError(Exception):
    """A service answered with an error; `body` carries its code, message and details."""

    def __init__(self, status_code: int, body: ErrorBody) -> None:
        super().__init__(f"{status_code} {body.error}: {body.message}")
        self.status_code = status_code
        self.body = body

    @classmethod
    def from_response(cls, response: httpx.Response) -> "OrchestratorError":
        try:
            body = ErrorBody.model_validate_json(response.content)
        except ValidationError:  # not one of ours: a load balancer, a crashed worker
            text = response.text.strip()[:200] or response.reason_phrase
            body = ErrorBody(error=f"http_{response.status_code}", message=text)
        return cls(response.status_code, body)


def raise_for_error(response: httpx.Response) -> None:
    if response.is_error:
        raise OrchestratorError.from_response(response)
