"""StartService: the rules of a start, checked in order before anything is created.

The idempotency key first (a repeat returns the first execution), then the
journal (nothing is accepted while it cannot write), the host name, the
deadline against the kind's maximum, the device (known, and online), and the
kind's own checks (`Executor.prepare`). Only then is an execution created, so
a refused request changes nothing.
"""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from host_service.engine.devices import DeviceCatalog
from host_service.engine.orchestrator import ExecutionOrchestrator
from host_service.engine.record import ExecutionRecord
from host_service.engine.registry import ExecutionRegistry
from host_service.errors import (
    ConflictError,
    RequestInvalidError,
    UnavailableError,
    field_error,
)
from host_service.kinds import Executor
from schemas import ExecutionKind
from schemas.base import StartRequest

_KEY_LOC = ["header", "Idempotency-Key"]


def _fingerprint(kind: str, body: dict[str, Any], path: dict[str, str]) -> str:
    canonical = json.dumps([kind, body, path], sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


class StartService:
    def __init__(
        self,
        devices: DeviceCatalog,
        registry: ExecutionRegistry,
        orchestrator: ExecutionOrchestrator,
        executors: dict[ExecutionKind, Executor[Any, Any]],
        storage_problem: Callable[[], str | None] = lambda: None,
    ) -> None:
        """`storage_problem` says why the journal cannot write now (None while it can)."""
        self._storage_problem = storage_problem
        self._devices = devices
        self._registry = registry
        self._orchestrator = orchestrator
        self._executors = executors

    def start(
        self,
        kind: ExecutionKind,
        body: StartRequest,
        path: dict[str, str],
        idempotency_key: str | None,
    ) -> tuple[ExecutionRecord, bool]:
        """Validate the whole request, then create the execution: `(record, created)`."""
        executor = self._executors[kind]
        dumped = body.model_dump(mode="json")
        fingerprint = None
        if idempotency_key is not None:
            fingerprint = _fingerprint(kind.value, dumped, path)
            known = self._registry.idempotent(idempotency_key)
            if known is not None:
                if known[0] != fingerprint:
                    raise RequestInvalidError(
                        "Idempotency-Key was already used with another request body",
                        code="idempotency_key_reused",
                        details=[{"loc": _KEY_LOC, "msg": "reused with another body"}],
                    )
                return self._registry.get(known[1]), False
        problem = self._storage_problem()
        if problem is not None:  # nothing is accepted that is not durable
            raise UnavailableError(
                f"the journal cannot be written ({problem}); no execution is accepted until it can",
                code="journal_unavailable",
                details={"reason": problem},
            )
        host_name = self._devices.host_name
        if body.host_name is not None and body.host_name != host_name:
            raise RequestInvalidError(
                f"host_name {body.host_name!r} is not this host ({host_name})",
                details=[field_error(["host_name"], "does not match this host")],
            )
        timeout_s = body.timeout_s or executor.default_timeout_s
        if timeout_s > executor.max_timeout_s:
            raise RequestInvalidError(
                f"timeout_s may be at most {executor.max_timeout_s:g} for {kind.value}",
                details=[field_error(["timeout_s"], f"at most {executor.max_timeout_s:g}")],
            )
        device = self._devices.get(body.device_id)
        offline_since = device.offline_since()
        if offline_since is not None:
            raise ConflictError(
                f"device {device.id} is offline (since {offline_since.isoformat()})",
                code="device_offline",
                details={"device_id": device.id, "offline_since": offline_since},
            )
        job = executor.job(body, device, path)
        request = {"body": dumped, "path": path}
        idempotency = None if fingerprint is None else (str(idempotency_key), fingerprint)
        record = self._orchestrator.submit(kind, job, request, device.id, timeout_s, idempotency)
        return record, True
