"""The analytics feature: `POST /api/resourceTables/analytics` (the table job) and
`GET /api/analytics` for program indicators; its tables are the snapshot of `tables.py`."""

from __future__ import annotations

from scdi.sandbox.analytics import routes, tables
from scdi.sandbox.core.feature import Feature

FEATURE = Feature(name="analytics", rules=(*tables.RULES, *routes.RULES), tables=(tables.TABLES,))
