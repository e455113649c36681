"""A stand-in for RunContext: a cancel token, a logger and the default limits, nothing else."""

import logging
import threading
from dataclasses import dataclass, field

from host_service.runtime.cancel import CancelToken
from host_service.runtime.limits import RunLimits


class SignallingToken(CancelToken):
    """Tells the test when a block has entered its wait, so a cancel lands mid-way."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting = threading.Event()

    def wait(self, seconds: float) -> None:
        self.waiting.set()
        super().wait(seconds)


@dataclass
class StubContext:
    token: SignallingToken = field(default_factory=SignallingToken)
    log: logging.Logger = field(default_factory=lambda: logging.getLogger("tests.blocks"))
    limits: RunLimits = field(default_factory=RunLimits)
