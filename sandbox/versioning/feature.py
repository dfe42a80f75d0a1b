"""The metadata versioning feature: `/api/metadata/version*` (no tables)."""

from __future__ import annotations

from scdi.sandbox.core.feature import Feature
from scdi.sandbox.versioning import routes

FEATURE = Feature(name="versioning", rules=routes.RULES)
