"""Navigation through a tree of screens: planning with networkx, then walking with checks."""

from host_service.kinds.navigation.planner import Planner
from host_service.kinds.navigation.walker import Navigator

__all__ = ["Navigator", "Planner"]
