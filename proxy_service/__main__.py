"""`python -m proxy_service --port N [--config FILE]`: start the proxy."""

import argparse
import asyncio
import sys
from pathlib import Path

from pydantic import ValidationError

from proxy_service.app import create_app
from proxy_service.config import ConfigError, load_proxy_config
from proxy_service.lab import LabStoreError, open_lab_store, store_url
from proxy_service.settings import ProxySettings
from service_common.binding import is_loopback
from service_common.config_errors import describe_settings
from service_common.http_server import server_limits
from service_common.log_format import log_config
from service_common.serving import serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m proxy_service", description=__doc__)
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--bind", default="127.0.0.1", help="address to listen on")
    parser.add_argument(
        "--config", type=Path, help="proxy config: known hosts (default: the demo hosts)"
    )
    parser.add_argument(
        "--insecure",
        action="store_true",
        help="allow a non-loopback address without API keys and registration token",
    )
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    overrides: dict[str, object] = {}
    if args.config is not None:
        overrides["config_path"] = args.config
    try:
        settings = ProxySettings(**overrides)  # type: ignore[arg-type]  # validated by pydantic
        load_proxy_config(settings.config_path)  # fail here, with the cause, not inside uvicorn
    except ValidationError as exc:
        print(f"proxy_service: {describe_settings('PROXY_', exc)}", file=sys.stderr)
        return 2
    except ConfigError as exc:
        print(f"proxy_service: {exc}", file=sys.stderr)
        return 2
    try:  # migrated here, so that a store that cannot be used stops the start with its cause
        store = open_lab_store(store_url(settings.database_url, settings.config_path))
        asyncio.run(store.close())
    except LabStoreError as exc:
        print(f"proxy_service: {exc}", file=sys.stderr)
        return 2
    secured = bool(settings.api_keys) and settings.registration_token is not None
    if not is_loopback(args.bind) and not secured and not args.insecure:
        print(
            f"proxy_service: refusing to listen on {args.bind} without PROXY_API_KEYS and "
            "PROXY_REGISTRATION_TOKEN; set them, or pass --insecure",
            file=sys.stderr,
        )
        return 2
    serve(
        create_app(settings),
        host=args.bind,
        port=args.port,
        log_level=args.log_level,
        log_config=log_config(settings.log_format, args.log_level),
        **server_limits(),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
