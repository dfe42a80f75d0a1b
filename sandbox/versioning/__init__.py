"""Metadata versioning: `/api/metadata/version*` (dhis2-core's
`webapi/controller/metadata/version/MetadataVersionController`)."""
