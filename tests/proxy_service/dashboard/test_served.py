"""The proxy serves the dashboard's build at its page paths, and says so when there is none."""

from pathlib import Path

import httpx
from fastapi import FastAPI

from proxy_service.dashboard.pages import PAGES, STATIC, include_pages
from tests.proxy_service.lab import LabFactory


async def test_every_page_path_is_the_app_with_a_policy_that_allows_only_the_proxy(
    lab: LabFactory,
) -> None:
    assert (STATIC / "index.html").is_file(), "scripts/bootstrap.sh builds the dashboard"
    async with lab() as running:
        paths = [p.replace("{host_name}", "host-1").replace("{execution_id}", "x") for p in PAGES]
        for path in paths:
            page = await running.client.get(path)
            assert page.status_code == 200, path
            assert page.headers["content-type"].startswith("text/html")
            assert page.headers["content-security-policy"].startswith("default-src 'self'")
        index = (await running.client.get("/")).text
        assets = [a for a in index.split('"') if a.startswith("/assets/")]
        assert assets
        for asset in assets:
            assert (await running.client.get(asset)).status_code == 200, asset
        assert (await running.client.get("/server/health")).json()["service"] == "proxy"


async def test_a_proxy_without_the_build_says_how_to_build_it(tmp_path: Path) -> None:
    app = FastAPI()
    include_pages(app, tmp_path / "static")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://proxy"
    ) as client:
        page = await client.get("/")
    assert page.status_code == 503
    assert "scripts/bootstrap.sh" in page.text
