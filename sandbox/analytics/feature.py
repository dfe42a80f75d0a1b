"""The analytics feature: `POST /api/resourceTables/analytics` (the table job),
`GET /api/analytics` for program indicators and data elements, and
`GET /api/analytics/events/query/{program}`; its tables are the snapshot of `tables.py`."""

from __future__ import annotations

from scdi.sandbox.analytics import event_query, routes, tables
from scdi.sandbox.core.feature import Feature

FEATURE = Feature(name="analytics", rules=(*tables.RULES, *routes.RULES, *event_query.RULES), tables=(tables.TABLES,))
