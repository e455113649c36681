"""The proxy service: one front door for the hosts of a lab."""

from proxy_service.app import create_app
from proxy_service.settings import ProxySettings

__all__ = ["ProxySettings", "create_app"]
