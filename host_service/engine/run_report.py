"""RegistryReport: a run's live progress and steps, written to its registry record."""

from host_service.engine.events import EventDraft
from host_service.engine.record import ExecutionRecord
from host_service.engine.registry import ExecutionRegistry
from host_service.runtime.limits import RunLimits
from schemas import StepState, StepView
from schemas.events import StepFinishedEvent, StepStartedEvent


class RegistryReport:
    """Implements `steps.context.RunReport` for one execution; messages are cut to the
    execution's limit before they are recorded."""

    def __init__(self, registry: ExecutionRegistry, execution_id: str, limits: RunLimits) -> None:
        self._registry = registry
        self._id = execution_id
        self._shorten = limits.shorten

    def progress(self, percent: int, message: str | None) -> None:
        self._registry.progress(
            self._id, percent, None if message is None else self._shorten(message)
        )

    def declare_steps(self, steps: list[tuple[str, str]]) -> None:
        def mutate(r: ExecutionRecord) -> None:
            r.steps = {
                step_id: StepView(id=step_id, label=self._shorten(label))
                for step_id, label in steps
            }

        self._registry.update(self._id, mutate)

    def step_running(self, step_id: str, label: str, message: str) -> None:
        label, message = self._shorten(label), self._shorten(message)

        def mutate(r: ExecutionRecord) -> None:
            r.steps[step_id] = StepView(id=step_id, label=label, state=StepState.running)
            r.current_step_id = step_id
            r.message = message or label

        def event(r: ExecutionRecord) -> EventDraft:
            return StepStartedEvent, {"step": r.steps[step_id]}

        self._registry.update(self._id, mutate, event)

    def step_finished(
        self, step_id: str, state: StepState, duration_ms: float, message: str
    ) -> None:
        message = self._shorten(message)

        def mutate(r: ExecutionRecord) -> None:
            label = r.steps[step_id].label if step_id in r.steps else step_id
            r.steps[step_id] = StepView(
                id=step_id, label=label, state=state, duration_ms=duration_ms, message=message
            )

        def event(r: ExecutionRecord) -> EventDraft:
            return StepFinishedEvent, {"step": r.steps[step_id]}

        self._registry.update(self._id, mutate, event)
