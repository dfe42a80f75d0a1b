"""File resources: `/api/fileResources` (upload, metadata, content)."""
