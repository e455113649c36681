"""The engine: registry, leases, orchestrator, device views and the start service."""
