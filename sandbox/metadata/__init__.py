"""Metadata: the schema registry, `/api/schemas`, `/api/metadata` (import, export, tasks) and the
generic `/api/{plural}` endpoints (dhis2-core's dxf2 metadata services and their controllers)."""
