"""Live view of one execution: a progress bar over a table of its steps (or blocks)."""

from rich.console import Console, Group
from rich.live import Live
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from orchestrator_client import Client
from schemas import ExecutionEvent, ExecutionView, StepView
from schemas.events import ProgressEvent, StatusEvent, StepFinishedEvent, StepStartedEvent

_STATE_STYLE = {"passed": "green", "failed": "red", "running": "yellow", "skipped": "dim"}


class Board:
    """What the watcher knows so far, fed by events (streaming) or views (polling)."""

    def __init__(self, execution_id: str) -> None:
        self.steps: dict[str, StepView] = {}
        self.progress = Progress(
            TextColumn("[bold]{task.fields[status]:<10}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
        )
        self.task: TaskID = self.progress.add_task("", total=100, status="queued")
        self.execution_id = execution_id

    def on_event(self, event: ExecutionEvent) -> None:
        if isinstance(event, ProgressEvent):
            self.progress.update(self.task, completed=event.progress, description=event.message)
        elif isinstance(event, StepStartedEvent | StepFinishedEvent):
            self.steps[event.step.id] = event.step
        elif isinstance(event, StatusEvent):
            self.progress.update(self.task, status=event.status.value)

    def on_view(self, view: ExecutionView) -> None:
        self.progress.update(
            self.task, completed=view.progress, description=view.message, status=view.status.value
        )
        for step in view.steps:
            self.steps[step.id] = step

    def table(self) -> Table:
        table = Table("step", "state", "ms", "message", title=f"execution {self.execution_id}")
        for step in self.steps.values():
            style = _STATE_STYLE.get(step.state.value, "")
            duration = "" if step.duration_ms is None else f"{step.duration_ms:.0f}"
            table.add_row(step.label, f"[{style}]{step.state.value}", duration, step.message)
        return table

    def render(self) -> Group:
        return Group(self.progress, self.table())


def watch(client: Client, console: Console, execution_id: str, host_name: str) -> ExecutionView:
    """Follow an execution to its end, drawing it live; returns the final view."""
    board = Board(execution_id)

    with Live(board.render(), console=console, refresh_per_second=8) as live:

        def on_event(event: ExecutionEvent) -> None:
            board.on_event(event)
            live.update(board.render())

        def on_view(view: ExecutionView) -> None:
            board.on_view(view)
            live.update(board.render())

        view = client.wait(execution_id, host_name, on_event=on_event, on_view=on_view)
    if not console.is_terminal:
        console.line()  # Live leaves its last frame unterminated when it cannot redraw
    return view
