"""What DHIS2 itself defines, read by both the connector and the sandbox (which may not import
each other): the one table of differences between releases (`releases`) and the bridge to
DHIS2's own npm engines, `@dhis2/rule-engine` and `@dhis2/expression-parser` (`engines`, with
`node/bridge.cjs`).

Not named `dhis2`: that is the import name of dhis2.py, and a top-level `dhis2/` folder would
shadow it whenever the repository root is on `sys.path`.
"""
