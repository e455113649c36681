"""RunContext: what an executor's thread may touch while it drives a device."""

import logging
import time
from dataclasses import dataclass

from host_service.engine.devices import Device
from host_service.engine.events import EventDraft
from host_service.engine.record import ExecutionRecord
from host_service.engine.registry import ExecutionRegistry
from host_service.runtime.cancel import CancelToken
from schemas import StepState, StepView
from schemas.events import StepFinishedEvent, StepStartedEvent


@dataclass(eq=False)
class RunContext:
    execution_id: str
    device: Device
    token: CancelToken
    registry: ExecutionRegistry
    log: logging.Logger

    def progress(self, done: int, total: int, message: str | None = None) -> None:
        percent = int(100 * done / total) if total else 0
        self.registry.progress(self.execution_id, min(percent, 99), message)

    def declare_steps(self, steps: list[tuple[str, str]]) -> None:
        """Show every step up front as pending, so clients see the whole plan."""

        def mutate(r: ExecutionRecord) -> None:
            r.steps = {step_id: StepView(id=step_id, label=label) for step_id, label in steps}

        self.registry.update(self.execution_id, mutate)

    def step_running(self, step_id: str, label: str, message: str = "") -> float:
        def mutate(r: ExecutionRecord) -> None:
            r.steps[step_id] = StepView(id=step_id, label=label, state=StepState.running)
            r.current_step_id = step_id
            r.message = message or label

        def event(r: ExecutionRecord) -> EventDraft:
            return StepStartedEvent, {"step": r.steps[step_id]}

        self.registry.update(self.execution_id, mutate, event)
        return time.monotonic()

    def step_done(self, step_id: str, started: float, passed: bool, message: str = "") -> None:
        duration_ms = (time.monotonic() - started) * 1000

        def mutate(r: ExecutionRecord) -> None:
            label = r.steps[step_id].label if step_id in r.steps else step_id
            state = StepState.passed if passed else StepState.failed
            r.steps[step_id] = StepView(
                id=step_id, label=label, state=state, duration_ms=duration_ms, message=message
            )

        def event(r: ExecutionRecord) -> EventDraft:
            return StepFinishedEvent, {"step": r.steps[step_id]}

        self.registry.update(self.execution_id, mutate, event)

    def steps_skipped(self, step_ids: list[str]) -> None:
        """Steps still pending when the run ended without them become `skipped`, with events."""
        with_state = {s.id: s.state for s in self.registry.view(self.execution_id).steps}
        for step_id in step_ids:
            if with_state.get(step_id) is not StepState.pending:
                continue

            def mutate(r: ExecutionRecord, step_id: str = step_id) -> None:
                r.steps[step_id] = r.steps[step_id].model_copy(update={"state": StepState.skipped})

            def event(r: ExecutionRecord, step_id: str = step_id) -> EventDraft:
                return StepFinishedEvent, {"step": r.steps[step_id]}

            self.registry.update(self.execution_id, mutate, event)
