"""Campaigns: items run in order on one device, outputs chained, a JUnit report."""
