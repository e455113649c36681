"""The API docs page works in an air-gapped lab: every asset comes from the service itself."""

import re
import shutil
import subprocess
import tempfile

import httpx
import pytest
from asgi_lifespan import LifespanManager

from host_service import HostSettings
from host_service import create_app as create_host
from proxy_service import ProxySettings
from proxy_service import create_app as create_proxy
from tests.processes import service

ASSET = re.compile(r"""(?:src|href)=['"]([^'"]+)['"]""")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Any name but loopback fails to resolve: a CDN asset would leave the page unrendered.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--virtual-time-budget=15000",
]


@pytest.mark.parametrize("service_name", ["host", "proxy"])
async def test_docs_page_assets_are_served_locally(service_name: str) -> None:
    # Memory only: the demo host's own journal may be in use by a running demo.
    host = HostSettings(journal="none")
    app = create_host(host) if service_name == "host" else create_proxy(ProxySettings())
    async with (
        LifespanManager(app, startup_timeout=30) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(manager.app), base_url="http://service"
        ) as client,
    ):
        page = await client.get("/docs")
        assert page.status_code == 200
        assets = ASSET.findall(page.text)
        assert any(a.endswith(".js") for a in assets)
        assert any(a.endswith(".css") for a in assets)
        for asset in assets:
            assert asset.startswith("/"), f"{asset} is not served by the service"
            assert (await client.get(asset)).status_code == 200, asset
        assert "validatorUrl" in page.text  # switched off: the badge calls a public server


def test_proxy_docs_page_renders_operations_in_headless_chromium() -> None:
    chromium = shutil.which("chromium")
    assert chromium is not None, "scripts/test installs chromium when it is missing"
    with (
        service("proxy_service", health_path="/server/health") as url,
        tempfile.TemporaryDirectory() as profile,
    ):
        dom = subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", f"{url}/docs"],
            capture_output=True,
            text=True,
            timeout=50,
            check=True,
        ).stdout
    rendered = re.findall(r'opblock-summary-operation-id">([a-z_]+)<', dom)
    assert {"start_navigation", "start_campaign", "list_hosts", "cancel_execution"} <= set(rendered)
