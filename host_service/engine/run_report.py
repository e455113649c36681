"""RegistryReport: a run's live progress, steps and artifacts, written to its registry record."""

from collections.abc import Callable

from host_service.engine.artifact import Artifact, artifact_name
from host_service.engine.artifact_store import ArtifactStore
from host_service.engine.events import EventDraft
from host_service.engine.record import ExecutionRecord, utcnow
from host_service.engine.registry import ExecutionRegistry
from host_service.runtime.cancel import StopReason
from host_service.runtime.limits import RunLimits
from host_service.runtime.logs import execution_logger
from schemas import ExecutionResult, StepState, StepView
from schemas.events import ArtifactEvent, StepFinishedEvent, StepStartedEvent

log = execution_logger("artifacts")


class RegistryReport:
    """Implements `steps.context.RunReport` for one execution; messages are cut to the
    execution's limit before they are recorded."""

    def __init__(
        self,
        registry: ExecutionRegistry,
        execution_id: str,
        artifacts: ArtifactStore,
        limits: RunLimits,
    ) -> None:
        self._registry = registry
        self._id = execution_id
        self._artifacts = artifacts
        self._taken = 0  # artifacts of this run so far; only its own thread adds them
        self._shorten = limits.shorten

    def so_far(self, build: Callable[[StopReason], ExecutionResult]) -> None:
        self._registry.get(self._id).so_far = build

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

    def artifact(self, step_id: str, media_type: str, data: bytes) -> None:
        """Keep `data` as an artifact of the step: its file first, then the record lists it."""
        self._taken += 1
        name = artifact_name(self._taken, step_id, media_type)
        item = Artifact(name, step_id, media_type, len(data), utcnow())
        store = self._artifacts
        if not store.fits(item):
            log.warning(
                "artifact %s not kept: %d bytes, over the cap of %d per execution",
                item.name,
                item.bytes,
                store.max_bytes,
            )
            self._registry.update(self._id, _count_dropped)
            return
        try:
            store.write(self._id, item.name, data)
        except OSError as exc:
            log.warning("artifact %s not kept: %s", item.name, exc)
            return
        dropped: list[Artifact] = []

        def mutate(r: ExecutionRecord) -> None:
            dropped.extend(store.admit(r, item))

        def event(r: ExecutionRecord) -> EventDraft:
            return ArtifactEvent, {
                "artifact": item.view(self._id),
                "dropped": [a.name for a in dropped],
            }

        if not self._registry.update(self._id, mutate, event):  # ended meanwhile (stuck)
            store.remove(self._id, [item])
            return
        store.remove(self._id, dropped)
        log.info("%s of step %s kept as %s", media_type, step_id, item.name)
        if dropped:
            log.info(
                "over the cap of %d artifacts or %d bytes per execution: dropped %s",
                store.max_count,
                store.max_bytes,
                ", ".join(a.name for a in dropped),
            )


def _count_dropped(r: ExecutionRecord) -> None:
    r.artifacts_dropped += 1
