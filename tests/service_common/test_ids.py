"""Execution ids are version-4 UUIDs, unique across many more than one batch."""

import uuid

from service_common.ids import ExecutionIds


def test_ids_are_unique_version_4_uuids() -> None:
    ids = ExecutionIds()
    made = [ids.new() for _ in range(2_000)]
    assert len(set(made)) == len(made)
    parsed = [uuid.UUID(i) for i in made]
    assert {u.version for u in parsed} == {4}
    assert {u.variant for u in parsed} == {uuid.RFC_4122}
