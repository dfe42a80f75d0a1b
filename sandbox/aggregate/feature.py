"""The aggregate feature: data value sets (`POST`/`GET /api/dataValueSets`) and the aggregate data
exchange run (`POST /api/aggregateDataExchanges/{uid}/exchange`); the exchange objects themselves
are metadata (`/api/metadata`, `/api/aggregateDataExchanges`)."""

from __future__ import annotations

from scdi.sandbox.aggregate import exchange, routes, store
from scdi.sandbox.core.feature import Feature

FEATURE = Feature(name="aggregate", rules=(*exchange.RULES, *routes.RULES), tables=(store.TABLES,))
