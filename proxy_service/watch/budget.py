"""How many event streams the watch holds open at once, across all hosts."""


class FollowBudget:
    """Streams share the proxy's connection pool with forwarded requests: a lab with
    more running executions than this shows the rest at each reading instead."""

    def __init__(self, limit: int) -> None:
        self._left = limit

    def take(self) -> bool:
        if self._left <= 0:
            return False
        self._left -= 1
        return True

    def give_back(self) -> None:
        self._left += 1
