"""`orch`: the command line of the proxy, for people and CI jobs (exit code = test outcome)."""
