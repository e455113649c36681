"""The overlap check of the load test finds overlaps, so its empty answer means something."""

from typing import Any

from tests.hostile.accounting import overlaps


def run(execution_id: str, device_id: str, start: str, end: str) -> dict[str, Any]:
    return {
        "execution_id": execution_id,
        "host_name": "host-1",
        "device_id": device_id,
        "started_at": f"2026-01-01T00:00:{start}+00:00",
        "finished_at": f"2026-01-01T00:00:{end}+00:00",
    }


def test_overlapping_runs_on_one_device_are_found_and_back_to_back_ones_are_not() -> None:
    views = [
        run("a", "tv-1", "00", "02"),
        run("b", "tv-1", "02", "04"),  # starts as a ends: back to back
        run("c", "tv-1", "03", "05"),  # starts while b runs
        run("d", "tv-2", "00", "09"),  # another device
        {**run("e", "tv-1", "00", "00"), "started_at": None, "finished_at": "x"},  # never ran
    ]
    assert overlaps(views) == [("b", "c")]
