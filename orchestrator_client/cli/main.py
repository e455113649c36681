"""`orch`: commands over the proxy's API; exit 0 passed, 1 failed, 2 usage or connection."""

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import httpx
import typer
from rich.console import Console

from orchestrator_client import Client, OrchestratorError
from orchestrator_client.cli import render
from orchestrator_client.cli.outcome import Exit, outcome, verdict
from orchestrator_client.cli.requests import RequestFileError, build_request, read_body
from orchestrator_client.cli.watch import watch
from schemas import ExecutionKind, ExecutionStatus, ExecutionView
from schemas.kinds import REPORTED

DEFAULT_URL = "http://127.0.0.1:8100"  # the proxy of the README's demo (examples/proxy.yaml)

app = typer.Typer(
    name="orch",
    help="Run and follow device tests through the orchestrator's proxy.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console()
errors = Console(stderr=True)

HostOption = Annotated[
    str, typer.Option("--host", envvar="ORCH_HOST", help="Host the execution runs on.")
]
IdArgument = Annotated[str, typer.Argument(help="The execution_id a start answered.")]


def _client(ctx: typer.Context) -> Client:
    url, api_key = ctx.obj
    client = Client(url, api_key=api_key)
    ctx.call_on_close(client.close)
    return client


def _finish(view: ExecutionView) -> NoReturn:
    console.print(verdict(view))
    raise typer.Exit(outcome(view))


@app.callback()
def main(
    ctx: typer.Context,
    url: Annotated[str, typer.Option(envvar="ORCH_URL", help="The proxy.")] = DEFAULT_URL,
    api_key: Annotated[
        str | None, typer.Option(envvar="ORCH_API_KEY", help="The proxy's API key, if any.")
    ] = None,
) -> None:
    ctx.obj = (url, api_key)


@app.command()
def hosts(ctx: typer.Context) -> None:
    """List the proxy's hosts and their state."""
    console.print(render.hosts_table(_client(ctx).hosts()))


@app.command()
def devices(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(envvar="ORCH_HOST", help="Only this host.")] = None,
) -> None:
    """List devices: state, queue, the execution driving each."""
    console.print(render.devices_table(_client(ctx).devices(host)))


@app.command("list")
def list_executions(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(envvar="ORCH_HOST", help="Only this host.")] = None,
    device: Annotated[str | None, typer.Option(help="Only this device.")] = None,
    status: Annotated[ExecutionStatus | None, typer.Option(help="Only this status.")] = None,
    kind: Annotated[ExecutionKind | None, typer.Option(help="Only this kind.")] = None,
) -> None:
    """List executions across hosts, with status and progress."""
    listing = _client(ctx).executions(host, kind=kind, status=status, device_id=device)
    console.print(render.executions_table(listing))


@app.command()
def run(
    ctx: typer.Context,
    kind: Annotated[ExecutionKind, typer.Argument(help="What to start.")],
    file: Annotated[
        Path | None, typer.Argument(help="Request fields as YAML or JSON.", dir_okay=False)
    ] = None,
    library_id: Annotated[
        str | None,
        typer.Option("--id", help="Library id: testcase or campaign id, navigation target."),
    ] = None,
    host: Annotated[str | None, typer.Option(envvar="ORCH_HOST", help="Host name.")] = None,
    device: Annotated[str | None, typer.Option(help="Device id.")] = None,
    tree: Annotated[str | None, typer.Option(help="Navigation tree id.")] = None,
    follow: Annotated[bool, typer.Option("--watch/--no-watch", help="Follow it live.")] = True,
    junit: Annotated[
        Path | None,
        typer.Option(help="Write the campaign's or testcase's JUnit XML report here."),
    ] = None,
) -> None:
    """Start an execution from a file or a library id, then watch it to its end."""
    if file is None and library_id is None:
        raise typer.BadParameter("give a request FILE or --id", param_hint="FILE")
    if junit is not None and kind not in REPORTED:
        raise typer.BadParameter(
            "JUnit reports are made of campaigns and testcases", param_hint="--junit"
        )
    body = read_body(file) if file is not None else {}
    if tree is not None:
        body["tree_id"] = tree
    request, tree_id = build_request(
        kind, body, host_name=host, device_id=device, library_id=library_id
    )
    if request.host_name is None:
        raise typer.BadParameter("name the host: --host, ORCH_HOST or host_name in the file")
    client = _client(ctx)
    started = client.start(request, tree_id=tree_id)
    console.print(f"started {kind.value} {started.execution_id} on {request.host_name}")
    if not follow:
        return
    view = watch(client, console, started.execution_id, request.host_name)
    if junit is not None:
        _write_junit(client, started.execution_id, request.host_name, junit, kind)
    _finish(view)


@app.command("watch")
def watch_command(ctx: typer.Context, execution_id: IdArgument, host: HostOption) -> None:
    """Follow an execution live: progress bar and its steps; exit code = outcome."""
    _finish(watch(_client(ctx), console, execution_id, host))


@app.command()
def status(ctx: typer.Context, execution_id: IdArgument, host: HostOption) -> None:
    """Show an execution's status; exit code = outcome once it has ended."""
    view = _client(ctx).status(execution_id, host)
    for line in render.status_lines(view):
        console.print(line, highlight=False)
    raise typer.Exit(outcome(view))


@app.command()
def cancel(ctx: typer.Context, execution_id: IdArgument, host: HostOption) -> None:
    """Cancel an execution: queued ones leave the queue, running ones stop."""
    view = _client(ctx).cancel(execution_id, host)
    console.print(f"{view.execution_id}: {view.status.value}")


@app.command()
def logs(ctx: typer.Context, execution_id: IdArgument, host: HostOption) -> None:
    """Print an execution's captured log lines."""
    view = _client(ctx).status(execution_id, host, include_logs=True)
    for line in view.logs or []:
        console.out(line, highlight=False)


@app.command()
def junit(
    ctx: typer.Context,
    execution_id: IdArgument,
    host: HostOption,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
) -> None:
    """Write a campaign's or testcase's JUnit XML report to a file, for CI servers."""
    client = _client(ctx)
    _write_junit(client, execution_id, host, output, client.status(execution_id, host).kind)


@app.command()
def artifacts(
    ctx: typer.Context,
    execution_id: IdArgument,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder to write them to.", file_okay=False)
    ],
    host: Annotated[
        str | None,
        typer.Option(envvar="ORCH_HOST", help="Host the execution ran on; none for a lab id."),
    ] = None,
) -> None:
    """Download an execution's artifacts (screenshots of its steps) into a folder."""
    client = _client(ctx)
    written = client.download_artifacts(execution_id, output, host)
    for path in written:
        console.print(str(path), highlight=False)
    dropped = client.status(execution_id, host).artifacts_dropped if written else 0
    note = f" ({dropped} more dropped by the host's cap)" if dropped else ""
    console.print(f"{len(written)} artifacts written to {output}{note}", highlight=False)


def _write_junit(
    client: Client, execution_id: str, host_name: str, path: Path, kind: ExecutionKind
) -> None:
    path.write_text(client.junit(execution_id, host_name, kind))
    console.print(f"JUnit report written to {path}")


def entry() -> int:
    """Run `orch` with one clear line instead of a traceback for every known failure."""
    try:
        app()  # exits itself: 2 for usage errors, or the code of a `typer.Exit`
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else Exit.usage
    except OrchestratorError as exc:
        errors.print(f"error: {exc.status_code} {exc.body.error}: {exc.body.message}")
    except httpx.TransportError as exc:
        errors.print(f"error: cannot reach the proxy: {exc!r}")
    except (RequestFileError, OSError) as exc:
        errors.print(f"error: {exc}")
    return Exit.usage


def run_cli() -> None:
    sys.exit(entry())
