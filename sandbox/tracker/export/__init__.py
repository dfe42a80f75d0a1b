"""`GET /api/tracker/*`: request parameters, visibility, views (dhis2-core `tracker/export/`
and `webapi/controller/tracker/export/`)."""
