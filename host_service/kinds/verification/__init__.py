"""Verification batches: checks with wait-for polling, `all` or `any` to pass."""
