"""Identical status reads in flight share one call to the host."""

import asyncio

import pytest

from proxy_service.collapse import ReadCollapser


class GatedFetch:
    """A fetch the test releases; counts how often it was called."""

    def __init__(self, answer: bytes = b"view") -> None:
        self.calls = 0
        self.gate = asyncio.Event()
        self.entered = asyncio.Event()
        self.answer = answer
        self.error: Exception | None = None

    async def __call__(self) -> bytes:
        self.calls += 1
        self.entered.set()
        await self.gate.wait()
        if self.error is not None:
            raise self.error
        return self.answer


async def test_concurrent_identical_reads_share_one_fetch() -> None:
    collapser = ReadCollapser()
    fetch = GatedFetch()
    readers = [asyncio.create_task(collapser.read("k", fetch)) for _ in range(5)]
    await fetch.entered.wait()
    fetch.gate.set()
    assert await asyncio.gather(*readers) == [b"view"] * 5
    assert fetch.calls == 1
    # Nothing is cached once the call is over: the next read asks again.
    assert await collapser.read("k", fetch) == b"view"
    assert fetch.calls == 2


async def test_different_keys_are_not_shared() -> None:
    collapser = ReadCollapser()
    first, second = GatedFetch(b"a"), GatedFetch(b"b")
    first.gate.set()
    second.gate.set()
    answers = await asyncio.gather(collapser.read("a", first), collapser.read("b", second))
    assert list(answers) == [b"a", b"b"]
    assert (first.calls, second.calls) == (1, 1)


async def test_an_error_reaches_every_reader() -> None:
    collapser = ReadCollapser()
    fetch = GatedFetch()
    fetch.error = RuntimeError("host down")
    readers = [asyncio.create_task(collapser.read("k", fetch)) for _ in range(3)]
    await fetch.entered.wait()
    fetch.gate.set()
    results = await asyncio.gather(*readers, return_exceptions=True)
    assert [str(r) for r in results] == ["host down"] * 3
    assert fetch.calls == 1


async def test_a_reader_that_goes_away_does_not_fail_the_others() -> None:
    collapser = ReadCollapser()
    fetch = GatedFetch()
    # Tasks start in order: the leader is inside its fetch before the follower joins it,
    # and both have run by the time the fetch's `entered` wakes this test.
    leader = asyncio.create_task(collapser.read("k", fetch))
    follower = asyncio.create_task(collapser.read("k", fetch))
    await fetch.entered.wait()
    leader.cancel()
    with pytest.raises(asyncio.CancelledError):
        await leader
    fetch.gate.set()
    assert await follower == b"view"
    assert fetch.calls == 2  # the follower asked on its own
