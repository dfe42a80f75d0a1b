"""The icon feature: `GET /api/icons` and `/api/icons/{key}` (no tables: the sandbox holds no
icons)."""

from __future__ import annotations

from scdi.sandbox.core.feature import Feature
from scdi.sandbox.icons import routes

FEATURE = Feature(name="icons", rules=routes.RULES)
