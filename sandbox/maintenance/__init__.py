"""Maintenance: `/api/maintenance/*` (dhis2-core's `webapi/controller/MaintenanceController`)."""
