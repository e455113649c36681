"""Tables of hosts, devices and executions."""

from rich.table import Table

from schemas import DeviceListing, ExecutionListing, ExecutionView, HostView


def hosts_table(hosts: list[HostView]) -> Table:
    table = Table("host", "status", "url", "devices", "last error")
    for host in hosts:
        table.add_row(
            host.host_name, host.status.value, host.url, str(len(host.devices)), host.last_error
        )
    return table


def devices_table(listing: DeviceListing) -> Table:
    table = Table("host", "device", "name", "model", "state", "queue", "running")
    for part in listing.hosts:
        if part.error is not None:
            table.add_row(part.host_name, "-", f"[red]{part.error.message}", "", "unreachable")
        for d in part.devices:
            table.add_row(
                part.host_name,
                d.device_id,
                d.name,
                d.model,
                d.state.value,
                str(d.queue_length),
                d.current_execution_id or "",
            )
    return table


def executions_table(listing: ExecutionListing) -> Table:
    table = Table("host", "execution", "kind", "device", "status", "progress", "message")
    for part in listing.hosts:
        if part.error is not None:
            table.add_row(part.host_name, "-", "", "", "unreachable", "", part.error.message)
        for e in part.page.items if part.page else []:
            table.add_row(
                part.host_name,
                e.execution_id,
                e.kind.value,
                e.device_id,
                e.status.value,
                f"{e.progress}%",
                e.message,
            )
    return table


def status_lines(view: ExecutionView) -> list[str]:
    lines = [
        f"execution  {view.execution_id}",
        f"kind       {view.kind.value} on {view.host_name}/{view.device_id}",
        f"status     {view.status.value} {view.progress}%  {view.message}",
    ]
    if view.result is not None:
        lines.append(f"success    {view.result.success}")
    if view.error is not None:
        lines.append(f"error      {view.error.code}: {view.error.message}")
    return lines
