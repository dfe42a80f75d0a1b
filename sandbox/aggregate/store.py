"""The aggregate data values table (`datavalue`: data element, period, org unit, category option
combo, attribute option combo; soft-deleted as `DataValue#deleted`)
(`dhis-services/dhis-service-core/.../datavalue/hibernate/DataValue.hbm.xml`)."""

from __future__ import annotations

TABLES = """
CREATE TABLE IF NOT EXISTS data_values (
    data_element TEXT NOT NULL, period TEXT NOT NULL, org_unit TEXT NOT NULL,
    coc TEXT NOT NULL, aoc TEXT NOT NULL, value TEXT, stored_by TEXT, comment TEXT,
    created TEXT NOT NULL, last_updated TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (data_element, period, org_unit, coc, aoc)
);
"""
