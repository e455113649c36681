"""Screenshots: the one thing visual checks and evidence need of a driver.

A driver that can show what its device shows implements `Capturing`: `capture(token)`
returns the screen as PNG bytes, honouring the token like every other call, and raises
`DriverError` when the device cannot be read. `can_capture` lets a driver whose ability
depends on its settings say no while keeping the method.
"""

from typing import Protocol, runtime_checkable

from host_service.runtime.cancel import CancelToken


@runtime_checkable
class Capturing(Protocol):
    can_capture: bool

    def capture(self, token: CancelToken) -> bytes:
        """The device's current screen as a PNG."""
        ...


def capturing(driver: object) -> Capturing | None:
    """The driver as a `Capturing` one, or None when it cannot capture."""
    if isinstance(driver, Capturing) and driver.can_capture:
        return driver
    return None
