"""`python -m proxy_service.openapi`: print the proxy's OpenAPI document (the TS client's input).

Built from the default settings without starting the app: the document depends on the
routes only, so the committed copy in clients/typescript/ can be checked against it.
"""

import json
import sys
from typing import Any

from proxy_service.app import create_app
from proxy_service.settings import ProxySettings


def document() -> dict[str, Any]:
    return create_app(ProxySettings()).openapi()


def main() -> int:
    sys.stdout.write(json.dumps(document(), indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
