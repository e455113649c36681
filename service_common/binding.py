"""Which listen addresses stay on this machine; others need credentials configured."""

import ipaddress


def is_loopback(address: str) -> bool:
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False  # a name or a wildcard like 0.0.0.0 may reach the network
