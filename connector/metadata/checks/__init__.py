"""The checks `scdi metadata validate` runs, one module per family.

Each module reads the package through `scdi.connector.metadata.index` (objects by UID, type and
file) and `scdi.connector.metadata.programs` (how programs, stages and rules hang together) and
returns findings; `scdi.connector.metadata.validate` runs them in order:

structure (the published JSON Schemas) · identity (UIDs, codes, names) · references · package_rules
(DHIS2's package-validator rules) · android (what Android Capture supports) · translations ·
privacy · expressions (DHIS2's parsers) · behaviour (rule test cases through DHIS2's rule engine).
"""
