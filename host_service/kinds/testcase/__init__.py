"""Testcase graphs: validation before a run, variables, and the interpreter that walks them."""
