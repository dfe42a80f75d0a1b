"""What every part of the sandbox stands on: the WSGI app, the store, users and authentication,
WebMessages, field selection, faults, background jobs and the system endpoints.

`core` imports no feature package (tests/sandbox/test_module_graph.py).
"""
