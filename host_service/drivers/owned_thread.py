"""OwnedThread: one thread that runs every call of a thread-affine library.

Some driver libraries (Playwright's sync API, many vendor SDKs) must be called
from the thread that created their objects, while executions run on whatever
worker thread the pool gives them. A driver that owns an `OwnedThread` sends
every call there and waits for it, waking on the execution's stop: a stopped
execution does not wait for a slow call, which goes on in the owned thread and
delays the next call until it returns.
"""

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from host_service.runtime.cancel import CancelToken, ExecutionStopped

P = ParamSpec("P")
T = TypeVar("T")

# How often a waiting caller looks at its token: a stop is felt within this.
STOP_CHECK_S = 0.02


class OwnedThread:
    def __init__(self, name: str) -> None:
        self._name = name
        self._pool: ThreadPoolExecutor | None = None

    def start(self) -> None:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=self._name)

    def submit(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> "Future[T]":
        if self._pool is None:
            raise RuntimeError(f"thread {self._name} is not started")
        return self._pool.submit(fn, *args, **kwargs)

    def call(self, fn: Callable[[], T], token: CancelToken | None = None) -> T:
        """Run `fn` on the owned thread and return its result; stop waiting when `token` stops."""
        future = self.submit(fn)
        if token is None:
            return future.result()
        while True:
            try:
                return future.result(timeout=STOP_CHECK_S)
            except TimeoutError:
                reason = token.reason
                if reason is not None:
                    raise ExecutionStopped(reason) from None

    def stop(self, wait: bool = True) -> None:
        """Drop queued calls and end the thread, after the running call when `wait`."""
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)
            self._pool = None
