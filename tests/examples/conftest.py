"""Fixtures: a proxy and a host as real processes."""

from tests.stack import stack

__all__ = ["stack"]
