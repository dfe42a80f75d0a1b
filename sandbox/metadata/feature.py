"""The metadata feature: `/api/schemas`, `/api/metadata`, `/api/resources` and the generic
`/api/{plural}` endpoints.

Metadata objects live in the store's own `objects` table, so the feature adds no tables.
"""

from __future__ import annotations

from scdi.sandbox.core.feature import Feature
from scdi.sandbox.metadata import category_options, crud, import_export, resources, schemas

FEATURE = Feature(
    name="metadata",
    rules=(*schemas.RULES, *import_export.RULES, *category_options.RULES, *resources.RULES,
           *crud.RULES),
    converters=crud.CONVERTERS,
)
