"""The tracker feature: `POST /api/tracker` and its jobs, `GET /api/tracker/*`, reserved values;
its tables are those of `tracker/store.py`."""

from __future__ import annotations

from scdi.sandbox.core.feature import Feature
from scdi.sandbox.tracker import deduplication, notes, ownership, reserved_values, store, temp_owners
from scdi.sandbox.tracker.export import change_logs
from scdi.sandbox.tracker.export import routes as export_routes
from scdi.sandbox.tracker.imports import routes as import_routes

FEATURE = Feature(
    name="tracker",
    rules=(*import_routes.RULES, *export_routes.RULES, *reserved_values.RULES,
           *notes.RULES, *deduplication.RULES, *change_logs.RULES, *ownership.RULES),
    tables=(store.TABLES, deduplication.TABLES, temp_owners.TABLES),
)
