"""The file resource feature: `POST /api/fileResources`, `GET /api/fileResources/{uid}` and
`/{uid}/data`; the file's bytes are kept in `file_resource_content`, its metadata as a
`fileResources` object (which the tracker preheat reads, `FileResourceSupplier`)."""

from __future__ import annotations

from scdi.sandbox.core.feature import Feature
from scdi.sandbox.files import routes

FEATURE = Feature(name="files", rules=routes.RULES, tables=(routes.TABLES,))
