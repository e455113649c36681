"""The contract every execution kind fulfils.

One kind = one `Executor` subclass: its request model and start path feed the
route factory, `prepare` validates a request against this host (in the event
loop, before anything is created) and `run` does the work in a worker thread.
"""

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from host_service.drivers import Device
from host_service.library import DefinitionLibrary
from host_service.settings import HostSettings
from host_service.steps.context import RunContext
from schemas import ExecutionKind, ExecutionResult
from schemas.base import StartRequest

RequestT = TypeVar("RequestT", bound=StartRequest)
# A prepared execution: what a worker thread runs once the device is leased.
Job = Callable[[RunContext], ExecutionResult]
PlanT = TypeVar("PlanT")


@dataclass(eq=False)
class ExecutorEnv:
    """Host resources executors may use; built once in the lifespan."""

    settings: HostSettings
    library: DefinitionLibrary = field(default_factory=DefinitionLibrary)
    # Executors by kind, so composite kinds (testcases, campaigns) can run the simple ones.
    executors: dict[ExecutionKind, "Executor[Any, Any]"] = field(default_factory=dict)


class Executor(ABC, Generic[RequestT, PlanT]):
    kind: ClassVar[ExecutionKind]  # its request model and path: schemas.kinds.START_ROUTES
    default_timeout_s: ClassVar[float]
    max_timeout_s: ClassVar[float]

    def __init__(self, env: ExecutorEnv) -> None:
        self.env = env

    @abstractmethod
    def prepare(self, request: RequestT, device: Device, path: dict[str, str]) -> PlanT:
        """Check the request against this host; raise a 404/422 `HostError` if it cannot run."""

    @abstractmethod
    def run(self, ctx: RunContext, plan: PlanT) -> ExecutionResult:
        """Drive the device. Call `ctx.token.check()` between steps; raise DriverError on faults."""

    def job(self, request: RequestT, device: Device, path: dict[str, str]) -> Job:
        """`prepare` now (raising what is wrong); the returned job runs the plan later."""
        plan = self.prepare(request, device, path)
        return lambda ctx: self.run(ctx, plan)
