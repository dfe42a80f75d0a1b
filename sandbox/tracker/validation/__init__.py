"""Tracker validation: the frame (reporter, `seq`, E5000) and the validators of each tracker
type (dhis2-core `tracker/imports/validation/`)."""
