"""Tracker: `/api/tracker` import and export, tracker jobs and reserved values (dhis2-core's
`dhis-service-tracker` and `webapi/controller/tracker`)."""
