"""The maintenance feature: `/api/maintenance/*` (no tables of its own)."""

from __future__ import annotations

from scdi.sandbox.core.feature import Feature
from scdi.sandbox.maintenance import routes

FEATURE = Feature(name="maintenance", rules=routes.RULES)
