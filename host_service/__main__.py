"""`python -m host_service --port N [--config FILE]`: start a host."""

import argparse
import sys
from pathlib import Path

import uvicorn

from host_service.app import create_app
from host_service.config import ConfigError, load_host_config
from host_service.journal import JournalError
from host_service.lifespan import open_journal
from host_service.log_format import log_config
from host_service.settings import HostSettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m host_service", description=__doc__)
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--bind", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--config", type=Path, help="host config file (default: the demo host)")
    parser.add_argument("--host-name", help="override the config's host_name")
    parser.add_argument("--latency-scale", type=float, help="multiply simulated latencies")
    parser.add_argument("--journal", type=Path, help="SQLite journal file, or `none`")
    args = parser.parse_args(argv)
    overrides: dict[str, object] = {}
    if args.config is not None:
        overrides["config_path"] = args.config
    if args.host_name is not None:
        overrides["host_name"] = args.host_name
    if args.latency_scale is not None:
        overrides["latency_scale"] = args.latency_scale
    if args.journal is not None:
        overrides["journal_path"] = args.journal
    settings = HostSettings(**overrides)  # type: ignore[arg-type]  # validated by pydantic
    try:  # fail here, with the cause, not inside uvicorn
        config = load_host_config(settings.config_path)
        journal = open_journal(settings, settings.host_name or config.host_name)
        if journal is not None:
            journal.close()
    except (ConfigError, JournalError) as exc:
        print(f"host_service: {exc}", file=sys.stderr)
        return 2
    uvicorn.run(
        create_app(settings),
        host=args.bind,
        port=args.port,
        log_level="info",
        log_config=log_config(settings.log_format),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
