"""What the command driver costs per call, and how fast a stop kills a running program.

    .venv/bin/python bench/command_driver.py [--calls 200] [--stops 20]

Part 1 runs `true` through `CommandDriver.execute` (new session, temp-file output,
cancel polling) and, in the same run, through a bare `subprocess.run` as baseline.
Part 2 starts a program that sleeps, cancels its token, and times until the call
has returned with the whole process group killed.
"""

import argparse
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from host_service.drivers.command import CommandDriver
from host_service.runtime.cancel import CancelToken, ExecutionStopped, StopReason


def per_call_ms(run: Callable[[], object], calls: int) -> list[float]:
    samples = []
    for _ in range(calls):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def stop_latency_ms(driver: CommandDriver) -> float:
    token = CancelToken()
    done = threading.Event()
    stopped_at: list[float] = []

    def call() -> None:
        try:
            driver.execute("sleep", {}, token)
        except ExecutionStopped:
            stopped_at.append(time.perf_counter())
        done.set()

    worker = threading.Thread(target=call)
    worker.start()
    while driver._runner._running is None:  # bench only: wait until the program runs
        time.sleep(0.001)
    cancelled_at = time.perf_counter()
    token.cancel(StopReason.cancelled)
    done.wait(10)
    worker.join()
    return (stopped_at[0] - cancelled_at) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--stops", type=int, default=20)
    args = parser.parse_args()
    driver = CommandDriver.from_settings(
        {
            "commands": {
                "true": {"argv": ["true"]},
                "sleep": {"argv": [sys.executable, "-c", "import time; time.sleep(600)"]},
            }
        },
        Path("."),
        1.0,
    )
    token = CancelToken()
    baseline = per_call_ms(lambda: subprocess.run(["true"], check=False), args.calls)
    driven = per_call_ms(lambda: driver.execute("true", {}, token), args.calls)
    base_med, drv_med = statistics.median(baseline), statistics.median(driven)
    print(f"true x{args.calls}: subprocess.run median {base_med:.2f} ms")
    print(f"true x{args.calls}: CommandDriver.execute median {drv_med:.2f} ms")
    print(f"ratio driver/baseline: {drv_med / base_med:.2f}")
    stops = sorted(stop_latency_ms(driver) for _ in range(args.stops))
    p95 = stops[max(0, int(len(stops) * 0.95) - 1)]
    print(
        f"cancel -> call returned, group killed (x{args.stops}): median "
        f"{statistics.median(stops):.1f} ms, p95 {p95:.1f} ms, max {stops[-1]:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
