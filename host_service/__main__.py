"""`python -m host_service --port N [--config FILE]`: start a host."""

import argparse
import sys
from pathlib import Path

from pydantic import ValidationError

from host_service.app import create_app
from host_service.config import ConfigError, load_host_config
from host_service.drivers import DEFAULT_DRIVERS
from host_service.engine.devices import DeviceCatalog
from host_service.journal import JournalError, journal_url, open_journal
from host_service.runtime.logs import ExecutionIdFilter
from host_service.settings import HostSettings
from service_common.binding import is_loopback
from service_common.http_server import server_limits
from service_common.log_format import log_config
from service_common.serving import serve


def check_config(settings: HostSettings) -> None:
    """What the lifespan would refuse, refused before serving: ConfigError or JournalError."""
    config = load_host_config(settings.config_path)
    host_name = settings.host_name or config.host_name
    DeviceCatalog.build(config, settings.config_path, DEFAULT_DRIVERS, settings.latency_scale)
    journal = open_journal(journal_url(settings.journal, settings.config_path, host_name))
    if journal is not None:
        journal.close()


def settings_problem(exc: ValidationError) -> str:
    first = exc.errors()[0]
    name = "_".join(str(part) for part in first["loc"]).upper()
    return f"setting HOST_{name}: {first['msg']}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m host_service", description=__doc__)
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--bind", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--config", type=Path, help="host config file (default: the demo host)")
    parser.add_argument("--host-name", help="override the config's host_name")
    parser.add_argument("--latency-scale", type=float, help="multiply simulated latencies")
    parser.add_argument("--proxy-url", help="proxy to register with and heartbeat to")
    parser.add_argument(
        "--advertised-url", help="URL the proxy reaches this host at (default: bind and port)"
    )
    parser.add_argument(
        "--insecure",
        action="store_true",
        help="allow a non-loopback address without HOST_TOKEN",
    )
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--journal", help="journal: sqlite:///<path>, a file path, or `none`")
    args = parser.parse_args(argv)
    overrides: dict[str, object] = {}
    if args.config is not None:
        overrides["config_path"] = args.config
    if args.host_name is not None:
        overrides["host_name"] = args.host_name
    if args.latency_scale is not None:
        overrides["latency_scale"] = args.latency_scale
    if args.proxy_url is not None:
        overrides["proxy_url"] = args.proxy_url
    if args.advertised_url is not None:
        overrides["advertised_url"] = args.advertised_url
    if args.journal is not None:
        overrides["journal"] = args.journal
    try:  # fail here, with the cause in one line, not inside uvicorn
        settings = HostSettings(**overrides)  # type: ignore[arg-type]  # validated by pydantic
        check_config(settings)
    except ValidationError as exc:
        print(f"host_service: {settings_problem(exc)}", file=sys.stderr)
        return 2
    except (ConfigError, JournalError) as exc:
        print(f"host_service: {exc}", file=sys.stderr)
        return 2
    if not is_loopback(args.bind) and settings.token is None and not args.insecure:
        print(
            f"host_service: refusing to listen on {args.bind} without HOST_TOKEN; "
            "set it, or pass --insecure",
            file=sys.stderr,
        )
        return 2
    if settings.proxy_url and settings.advertised_url is None:
        settings.advertised_url = f"http://{args.bind}:{args.port}"
    serve(
        create_app(settings),
        host=args.bind,
        port=args.port,
        log_level=args.log_level,
        log_config=log_config(
            settings.log_format, args.log_level, context=("execution_id", ExecutionIdFilter)
        ),
        **server_limits(),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
