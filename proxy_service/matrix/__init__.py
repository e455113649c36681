"""Matrix runs: one lab start on every matching device, summed in a parent execution.

starts.py   the start: one child lab request per matching device, pinned to it
sums.py     how the parent sums its children: status, progress, result
views.py    the parent as clients follow it: view, long-poll, cancel
events.py   the parent's event log: its own status changes
junit.py    the parent's JUnit report: one testsuite per device
"""
