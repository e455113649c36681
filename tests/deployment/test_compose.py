"""docker-compose.yml: valid against the compose spec, healthy-before-dependent, secrets required,
the proxy's lab store on the PostgreSQL service.

No Docker engine exists where the tests run, so the file is checked with
check-jsonschema and its vendored compose-spec schema.
"""

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE = REPO / "docker-compose.yml"


def validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.compose-spec",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def services() -> dict[str, Any]:
    found: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())["services"]
    return found


def test_compose_file_is_valid_against_the_compose_spec(tmp_path: Path) -> None:
    result = validate(COMPOSE)
    assert result.returncode == 0, result.stdout + result.stderr
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(COMPOSE.read_text().replace("service_healthy", "service_up", 1))
    assert validate(broken).returncode != 0  # the validator does catch a wrong condition


def test_proxy_waits_for_its_store_and_both_hosts_to_be_healthy() -> None:
    found = services()
    assert set(found) == {"proxy", "host-1", "host-2", "postgres"}
    assert found["proxy"]["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "host-1": {"condition": "service_healthy"},
        "host-2": {"condition": "service_healthy"},
    }
    for name in ("proxy", "host-1", "host-2"):
        test = found[name]["healthcheck"]["test"]
        assert test[0] == "CMD", name
        assert "/health" in test[-1], name
    # PostgreSQL is healthy once it accepts connections to the lab's database, as its user.
    assert found["postgres"]["healthcheck"]["test"] == [
        "CMD",
        "pg_isready",
        "--username",
        "lab",
        "--dbname",
        "lab",
    ]


def test_the_proxy_keeps_its_lab_store_in_the_postgres_service() -> None:
    found = services()
    store = found["postgres"]
    assert (store["environment"]["POSTGRES_USER"], store["environment"]["POSTGRES_DB"]) == (
        "lab",
        "lab",
    )
    assert store["volumes"] == ["lab-store:/var/lib/postgresql/data"]  # survives a rebuild
    assert "lab-store" in yaml.safe_load(COMPOSE.read_text())["volumes"]
    url = found["proxy"]["environment"]["PROXY_DATABASE_URL"]
    assert re.fullmatch(r"postgresql://lab:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432/lab", url)


def test_hosts_run_simulated_devices_on_one_read_only_library() -> None:
    found = services()
    for name in ("host-1", "host-2"):
        assert "./examples/library:/app/examples/library:ro" in found[name]["volumes"]
        config = found[name]["command"][found[name]["command"].index("--config") + 1]
        host_config = yaml.safe_load((REPO / config.removeprefix("/app/")).read_text())
        assert {d["driver"] for d in host_config["devices"]} == {"simulated"}


def test_every_secret_comes_from_the_environment_and_is_required() -> None:
    text = COMPOSE.read_text()
    for variable in (
        "PROXY_API_KEYS",
        "HOST_TOKEN",
        "PROXY_REGISTRATION_TOKEN",
        "POSTGRES_PASSWORD",
    ):
        assert re.search(r"\$\{" + variable + r":\?[^}]+\}", text), variable
    found = services()
    secrets = {
        "PROXY_API_KEYS",
        "PROXY_HOST_TOKEN",
        "PROXY_REGISTRATION_TOKEN",
        "HOST_TOKEN",
        "HOST_PROXY_REGISTRATION_TOKEN",
        "POSTGRES_PASSWORD",
    }
    for name, service in found.items():
        for key, value in service["environment"].items():
            if key in secrets:
                assert re.fullmatch(r"\$\{[A-Z_]+:\?[^}]+\}", value), (name, key, value)
