"""Navigation through a tree of screens: planning with networkx, then walking with checks."""

from host_service.navigation.navigator import Navigator
from host_service.navigation.planner import Planner

__all__ = ["Navigator", "Planner"]
