"""Garbage-collector settings for a long-running service that holds many records.

A host keeps thousands of execution records alive by design (retention), so
CPython's default thresholds make the cyclic collector walk all of them again
and again while a burst of starts grows the registry: full collections of
100-250 ms, felt as p99 latency by every client (bench/README.md). After
startup we move everything built so far (modules, routes, models) out of the
collector's way with `gc.freeze()`, and collect young objects less often. The
collector still runs; records are freed by reference counting either way.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# gen0 allocations before a young collection; young collections per middle one;
# middle collections per full one (defaults: 700, 10, 10). The middle generation
# stays under ~25k objects (a few ms to walk); full walks become rare.
THRESHOLDS = (5_000, 5, 1_000)


@contextmanager
def tuned_gc() -> Iterator[None]:
    """Freeze what exists and raise the thresholds; both undone on the way out."""
    before = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
