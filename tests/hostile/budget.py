"""How hard the hostile suite pushes: a bounded default for ./scripts/test, and a long mode.

`HOSTILE_LONG=1 ./scripts/test tests/hostile` is the release check: more examples per
route and schemathesis's coverage phase, the full 2,000-execution load, a restart with
10,000 retained executions. Both modes run
the same tests; only the sizes change.
"""

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Budget:
    fuzz_examples: int  # schemathesis examples per route in the examples and fuzzing phases
    fuzz_coverage: bool  # the coverage phase: every boundary and wrong type of every field
    load_executions: int  # executions started through the proxy in the load test
    load_seconds: float  # per-test timeout of the load test
    fault_executions: int  # executions in flight while a service is killed or restarted
    restart_executions: int  # finished executions a host retains across a restart


DEFAULT = Budget(
    fuzz_examples=25,
    fuzz_coverage=False,  # ~7,000 more requests: about a minute, too long for every run
    load_executions=300,
    load_seconds=60,
    fault_executions=60,
    restart_executions=1_500,
)
LONG = Budget(
    fuzz_examples=200,
    fuzz_coverage=True,
    load_executions=2_000,
    load_seconds=600,
    fault_executions=400,
    restart_executions=10_000,
)


def budget() -> Budget:
    return LONG if os.environ.get("HOSTILE_LONG") == "1" else DEFAULT
