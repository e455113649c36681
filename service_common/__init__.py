"""Pieces both services use: ASGI middleware helpers and process tuning.

Kept apart from `host_service` and `proxy_service` so that neither service
imports the other.
"""
