"""Properties DHIS2 derives on export: dashboard item `type` (dashboard/DashboardItem.java#getType)
and program attribute `valueType` (program/ProgramTrackedEntityAttribute.java#getValueType)."""

from __future__ import annotations

import requests

ADMIN = ("admin", "district")
PACKAGE = {
    "trackedEntityAttributes": [
        {
            "id": "teaDerived1",
            "name": "Derived year",
            "shortName": "Derived year",
            "valueType": "INTEGER",
            "aggregationType": "NONE",
        }
    ],
    "trackedEntityTypes": [{"id": "tetDerived1", "name": "Derived person", "shortName": "Derived person"}],
    "programs": [
        {
            "id": "prgDerived1",
            "name": "Derived program",
            "shortName": "Derived program",
            "programType": "WITH_REGISTRATION",
            "trackedEntityType": {"id": "tetDerived1"},
            "programTrackedEntityAttributes": [
                {"id": "pteaDerived", "trackedEntityAttribute": {"id": "teaDerived1"}, "program": {"id": "prgDerived1"}}
            ],
        }
    ],
    "dashboards": [
        {
            "id": "dshDerived1",
            "name": "Derived dashboard",
            "dashboardItems": [{"id": "itmDerived1", "text": "Hello", "x": 0, "y": 0, "width": 10, "height": 5}],
        }
    ],
}


def test_export_carries_derived_properties(fresh_sandbox):
    answer = requests.post(f"{fresh_sandbox.url}/api/metadata", json=PACKAGE, auth=ADMIN, timeout=10)
    assert answer.status_code == 200, answer.text
    dashboard = requests.get(f"{fresh_sandbox.url}/api/dashboards/dshDerived1", auth=ADMIN, timeout=10).json()
    assert dashboard["dashboardItems"][0]["type"] == "TEXT"
    program = requests.get(f"{fresh_sandbox.url}/api/programs/prgDerived1", auth=ADMIN, timeout=10).json()
    assert program["programTrackedEntityAttributes"][0]["valueType"] == "INTEGER"
