"""The TypeScript client: generated from the proxy's current document, and it works.

`scripts/test` runs `npm ci` in clients/typescript when node_modules is missing.
"""

import json
import subprocess
from pathlib import Path

from proxy_service.openapi import document
from tests.processes import REPO
from tests.stack import Stack

CLIENT = REPO / "clients" / "typescript"
BIN = CLIENT / "node_modules" / ".bin"


def npm_script(name: str) -> list[str]:
    """The command of an npm script, run directly: npm itself adds a second of start-up."""
    scripts: dict[str, str] = json.loads((CLIENT / "package.json").read_text())["scripts"]
    return scripts[name].split()


def run(*args: str | Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        cwd=CLIENT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_committed_openapi_document_is_the_proxys_current_one() -> None:
    committed = json.loads((CLIENT / "openapi.json").read_text())
    assert committed == document(), "run `npm run export-openapi && npm run generate`"


def test_committed_client_is_generated_from_the_committed_document(tmp_path: Path) -> None:
    command = npm_script("generate")
    assert command[0] == "openapi-typescript"
    output = tmp_path / "schema.d.ts"
    command[command.index("--output") + 1] = str(output)
    done = run(BIN / command[0], *command[1:])
    assert done.returncode == 0, done.stderr
    committed = (CLIENT / "src" / "schema.d.ts").read_text()
    assert output.read_text() == committed, "run `npm run generate` in clients/typescript"


def test_node_scripts_start_an_execution_and_wait_with_and_without_the_stream(
    stack: Stack,
) -> None:
    built = run(BIN / "tsc", "--outDir", "dist")  # type-checks, as `npm run typecheck` does
    assert built.returncode == 0, built.stdout
    script = CLIENT / "dist" / "examples" / "start-and-wait.js"
    done = run("node", script, stack.proxy_url, stack.host_name, "tv-8", timeout=30)
    assert done.returncode == 0, done.stdout + done.stderr
    summary = json.loads(done.stdout)
    assert summary["status"] == "completed"
    assert summary["success"] is True
    assert summary["events"][-1] == "status"  # followed through the event stream
    fallback = CLIENT / "dist" / "tests" / "wait-fallback.js"
    done = run("node", fallback, stack.proxy_url, stack.host_name, "tv-8", timeout=30)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout) == {"status": "completed", "refused": 1}  # long-polled


def test_node_starts_carry_an_idempotency_key_by_default(stack: Stack) -> None:
    built = run(BIN / "tsc", "--outDir", "dist")
    assert built.returncode == 0, built.stdout
    script = CLIENT / "dist" / "tests" / "idempotent-start.js"
    done = run("node", script, stack.proxy_url, stack.host_name, "tv-8", timeout=30)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout) == {"keyed": True, "repeated": True, "fresh": True}
