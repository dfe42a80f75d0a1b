"""`POST /api/tracker`: reading the body, preprocessing, the import pipeline and the commit
(dhis2-core `tracker/imports/`)."""
