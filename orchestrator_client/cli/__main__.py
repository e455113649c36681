"""`python -m orchestrator_client.cli`: the same as `orch`."""

from orchestrator_client.cli.main import run_cli

run_cli()
