"""The lab watch: every host's devices and their running executions, live, for
`GET /server/watch` (the dashboard's wall).

    lab.py           LabWatch: listeners, one HostWatch per host while anyone listens
    host.py          HostWatch: a host's device change feed, its busy devices' executions
    follower.py      one execution's event stream, summed up for a wall
    subscription.py  one listener's bounded queue
    queue.py         QueueWatch: the lab queue, re-read when lab requests start, end or move
    budget.py        how many event streams are held open at once
    nudge.py         starts and cancels relayed by the proxy wake their host's reading
"""

from proxy_service.watch.lab import LabWatch, lab_watch
from proxy_service.watch.nudge import WatchNudge
from proxy_service.watch.subscription import Subscription

__all__ = ["LabWatch", "Subscription", "WatchNudge", "lab_watch"]
