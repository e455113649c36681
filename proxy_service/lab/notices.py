"""Notices: how replicas on one PostgreSQL learn of each other's changes (LISTEN/NOTIFY).

A change to the lab queue or the host registry sends a notice in its own transaction, so
it is delivered when (and only if) the change is committed, to every listening replica,
the sender included. SQLite has one process and sends none. A notice only says what to
look at again; the store stays the one truth, and a replica that missed notices (its
listening connection was down) reads everything again when it listens anew.
"""

import enum
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

CHANNEL = "device_orchestrator_lab"


class Topic(enum.StrEnum):
    request = "r"  # a lab request changed (dispatched, cancelled, expired): wake its waiters
    queue = "q"  # the queue or a device changed (new, back in the queue, ended, hold)
    host = "h"  # a host's registry row changed (registration, heartbeat, forgotten)


@dataclass(frozen=True)
class Notice:
    topic: Topic
    key: str  # the request id, or the host name ("" for the queue as a whole)

    @property
    def payload(self) -> str:
        return f"{self.topic.value} {self.key}"

    @classmethod
    def parse(cls, payload: str) -> "Notice | None":
        """The notice a payload carries; None for one this version does not know."""
        topic, _, key = payload.partition(" ")
        try:
            return cls(Topic(topic), key)
        except ValueError:
            return None


def send(connection: Connection, topic: Topic, key: str = "") -> None:
    """Tell the other replicas, when this transaction commits; nothing on SQLite."""
    if connection.dialect.name == "postgresql":
        notice = Notice(topic, key)
        connection.execute(select(func.pg_notify(CHANNEL, notice.payload)))
