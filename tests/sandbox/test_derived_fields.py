"""Properties DHIS2 derives on export: dashboard item `type` (dashboard/DashboardItem.java#getType)
and program attribute `valueType` (program/ProgramTrackedEntityAttribute.java#getValueType)."""

from __future__ import annotations

import pytest
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


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_dashboard_item_type_tests_null_not_truthiness(sandbox_factory, version):
    # DashboardItem#getType (2.41.9 = 2.42.5 = 2.43.1): `text != null`, `messages != null`,
    # `appKey != null`, in that order after the references; `type` itself is not settable.
    # An item's `""` text or app key is read as null (EmptyStringToNullStdDeserializer, the
    # String deserializer of the import's mapper), so it gives no type; `false` still counts.
    sandbox = sandbox_factory(version=version)
    items = [
        {"id": "itmEmptyTx1", "text": ""},
        {"id": "itmMessage1", "messages": False},
        {"id": "itmAppKey01", "appKey": ""},
        {"id": "itmTextMsg1", "text": "Ghi chú", "messages": True},
        {"id": "itmNoKind01", "type": "MAP", "users": []},
        {"id": "itmEmptyMs1", "text": "", "messages": True},
    ]
    package = {"dashboards": [{"id": "dshDerived2", "name": "Derived dashboard 2",
                               "dashboardItems": items}]}
    answer = requests.post(f"{sandbox.url}/api/metadata", json=package, auth=ADMIN, timeout=10)
    assert answer.status_code == 200, answer.text
    dashboard = requests.get(f"{sandbox.url}/api/dashboards/dshDerived2", auth=ADMIN,
                             timeout=10).json()
    types = {item["id"]: item.get("type") for item in dashboard["dashboardItems"]}
    assert types == {"itmEmptyTx1": None, "itmMessage1": "MESSAGES", "itmAppKey01": None,
                     "itmTextMsg1": "TEXT", "itmNoKind01": None, "itmEmptyMs1": "MESSAGES"}
    by_id = {item["id"]: item for item in dashboard["dashboardItems"]}
    assert by_id["itmEmptyTx1"].get("text") is None
    assert by_id["itmAppKey01"].get("appKey") is None


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_the_metadata_export_carries_derived_properties(sandbox_factory, version):
    # DashboardItem and ProgramTrackedEntityAttribute are EmbeddedObjects: the export's `:owner`
    # fields expand them to all their properties, the getters' too
    # (FieldPathHelper#applyDefault / #expandComplex), as do an object read's `*` and `:owner`
    url = sandbox_factory(version=version).url
    package = {**PACKAGE, "dashboards": [{
        "id": "dshDerived1", "name": "Derived dashboard", "dashboardItems": [
            {"id": "itmDerived1", "text": "Hello", "messages": False, "contentCount": 9},
            {"id": "itmDerived2", "users": [{"id": "xE7jOejl9FI"}]}]}]}
    answer = requests.post(f"{url}/api/metadata", json=package, auth=ADMIN, timeout=10)
    assert answer.status_code == 200, answer.text
    facts = {"itmDerived1": ("TEXT", 0, 0, 2), "itmDerived2": ("USERS", 0, 0, 1)}
    export = requests.get(f"{url}/api/metadata", auth=ADMIN, timeout=10,
                          params={"dashboards": "true", "programs": "true"}).json()
    read_owner = requests.get(f"{url}/api/dashboards/dshDerived1", auth=ADMIN, timeout=10,
                              params={"fields": ":owner"}).json()
    read_all = requests.get(f"{url}/api/dashboards/dshDerived1", auth=ADMIN, timeout=10).json()
    (dashboard,) = [d for d in export["dashboards"] if d["id"] == "dshDerived1"]
    for read in (dashboard, read_owner, read_all):
        assert {i["id"]: (i.get("type"), i.get("interpretationCount"),
                          i.get("interpretationLikeCount"), i.get("contentCount"))
                for i in read["dashboardItems"]} == facts
    (program,) = [p for p in export["programs"] if p["id"] == "prgDerived1"]
    assert program["programTrackedEntityAttributes"][0]["valueType"] == "INTEGER"


def test_program_registration_flags_follow_program_type(sandbox_factory):
    # Program#isRegistration / #isWithoutRegistration are @JsonProperty getters of programType
    # without setters (2.41.9 :640-648, 2.42.5 :642-650, 2.43.1 :1120-1128): written on every
    # read, while an import that states them against programType has them ignored.
    programs = [
        {"id": "prgFlagsTr1", "name": "Flags tracker", "shortName": "Flags tracker",
         "programType": "WITH_REGISTRATION", "withoutRegistration": True, "registration": False},
        {"id": "prgFlagsEv1", "name": "Flags event", "shortName": "Flags event",
         "programType": "WITHOUT_REGISTRATION", "withoutRegistration": False},
    ]
    for version in ("2.41", "2.42", "2.43"):
        url = sandbox_factory(version=version).url
        answer = requests.post(f"{url}/api/metadata", json={"programs": programs}, auth=ADMIN,
                               timeout=10)
        assert answer.status_code == 200, answer.text
        read = requests.get(f"{url}/api/programs", auth=ADMIN, timeout=10, params={
            "filter": "id:in:[prgFlagsTr1,prgFlagsEv1]", "order": "name:asc",
            "fields": "id,registration,withoutRegistration"}).json()["programs"]
        assert read == [
            {"id": "prgFlagsEv1", "registration": False, "withoutRegistration": True},
            {"id": "prgFlagsTr1", "registration": True, "withoutRegistration": False},
        ], version
        whole = requests.get(f"{url}/api/programs/prgFlagsEv1", auth=ADMIN, timeout=10).json()
        assert whole["withoutRegistration"] is True and whole["registration"] is False


def test_registration_flags_of_a_stored_program_without_type(sandbox_factory) -> None:
    # both getters are written on every export; a program the store holds without a type is a
    # tracker program (core/programs.py: DHIS2's stored programs always have one)
    for version in ("2.41", "2.42", "2.43"):
        running = sandbox_factory(version=version)
        running.store.put_object("programs", {"id": "prgUntyped1", "name": "Untyped",
                                              "shortName": "Untyped"})
        read = requests.get(f"{running.url}/api/programs/prgUntyped1", auth=ADMIN, timeout=10,
                            params={"fields": "id,registration,withoutRegistration"}).json()
        assert read == {"id": "prgUntyped1", "registration": True,
                        "withoutRegistration": False}, version


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_relationship_type_and_other_display_getters_are_written(sandbox_factory, version):
    # RelationshipType#getDisplayFromToName / #getDisplayToFromName (@JsonProperty,
    # getTranslation of fromToName / toFromName: the names themselves without a translation),
    # written for `*` and named fields; Indicator#getDisplayNumeratorDescription /
    # #getDisplayDenominatorDescription are the same kind of getter; a null name is not written
    url = sandbox_factory(version=version).url
    tet = {"id": "tetDisplay1", "name": "Display person", "shortName": "Display person"}
    constraint = {"relationshipEntity": "TRACKED_ENTITY_INSTANCE", "trackedEntityType": {"id": tet["id"]}}
    package = {
        "trackedEntityTypes": [tet],
        "relationshipTypes": [
            {"id": "relDisplay1", "name": "Mẹ con", "fromToName": "Mẹ của", "toFromName": "Con của",
             "fromConstraint": constraint, "toConstraint": constraint},
            {"id": "relDisplay2", "name": "Không tên", "fromToName": "Bạn của",
             "fromConstraint": constraint, "toConstraint": constraint}],
        "indicatorTypes": [{"id": "intDisplay1", "name": "Display factor", "factor": 1}],
        "indicators": [{"id": "indDisplay1", "name": "Display rate", "shortName": "Display rate",
                        "indicatorType": {"id": "intDisplay1"}, "numerator": "1", "denominator": "1",
                        "numeratorDescription": "Tử số", "denominatorDescription": "Mẫu số"}],
    }
    answer = requests.post(f"{url}/api/metadata", json=package, auth=ADMIN, timeout=10)
    assert answer.status_code == 200, answer.text
    whole = requests.get(f"{url}/api/relationshipTypes/relDisplay1", auth=ADMIN, timeout=10).json()
    assert (whole["displayFromToName"], whole["displayToFromName"]) == ("Mẹ của", "Con của"), version
    named = requests.get(f"{url}/api/relationshipTypes", auth=ADMIN, timeout=10, params={
        "fields": "id,displayFromToName,displayToFromName", "order": "id:asc",
        "filter": "id:in:[relDisplay1,relDisplay2]"}).json()["relationshipTypes"]
    assert named == [{"id": "relDisplay1", "displayFromToName": "Mẹ của", "displayToFromName": "Con của"},
                     {"id": "relDisplay2", "displayFromToName": "Bạn của"}], version
    indicator = requests.get(f"{url}/api/indicators/indDisplay1", auth=ADMIN, timeout=10, params={
        "fields": "displayNumeratorDescription,displayDenominatorDescription,displayFormName"}).json()
    # BaseNameableObject#getDisplayFormName: #getFormNameFallback, the display name without a form name
    assert indicator == {"displayNumeratorDescription": "Tử số", "displayDenominatorDescription": "Mẫu số",
                         "displayFormName": "Display rate"}
    tet_read = requests.get(f"{url}/api/trackedEntityTypes/tetDisplay1", auth=ADMIN, timeout=10, params={
        "fields": "displayFormName"}).json()
    assert tet_read == {"displayFormName": "Display person"}, version


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_computed_getters_are_written_for_every_object(sandbox_factory, version: str) -> None:
    # BaseIdentifiableObject#getUser (the creator, by its own serialiser), #isOptionSetValue,
    # CategoryOption#isDefault and BaseDimensionalObject#isAllItems: no column, always written
    url = sandbox_factory(version=version).url
    imported = requests.post(f"{url}/api/metadata", auth=ADMIN, timeout=30, json={
        "optionSets": [{"id": "osComputed1", "name": "os", "valueType": "TEXT"}],
        "dataElements": [
            {"id": "deComputed1", "name": "with", "shortName": "with", "valueType": "TEXT",
             "aggregationType": "NONE", "domainType": "TRACKER", "optionSet": {"id": "osComputed1"}},
            {"id": "deComputed2", "name": "without", "shortName": "without", "valueType": "TEXT",
             "aggregationType": "NONE", "domainType": "TRACKER"}],
        "categoryOptions": [{"id": "coComputed1", "name": "Nam", "shortName": "Nam"}],
        "categories": [{"id": "caComputed1", "name": "Giới", "shortName": "Giới",
                        "dataDimensionType": "DISAGGREGATION",
                        "categoryOptions": [{"id": "coComputed1"}]}]})
    assert imported.json()["status"] == "OK", imported.text

    def read(path: str, fields: str) -> dict:
        response = requests.get(f"{url}/api/{path}", params={"fields": fields}, auth=ADMIN,
                                timeout=30)
        assert response.status_code == 200, response.text
        body: dict = response.json()
        return body
    withset, without = read("dataElements/deComputed1", "*"), read("dataElements/deComputed2", "*")
    assert withset["optionSetValue"] is True and without["optionSetValue"] is False
    assert withset["user"] == withset["createdBy"] and withset["user"]["username"] == "admin"
    assert read("dataElements/deComputed2", "user[id]")["user"]["code"] is None
    assert read("categoryOptions/coComputed1", "isDefault") == {"isDefault": False}
    defaults = requests.get(f"{url}/api/categoryOptions", auth=ADMIN, timeout=30, params={
        "fields": "isDefault", "filter": "name:eq:default"}).json()["categoryOptions"]
    assert defaults == [{"isDefault": True}]
    assert read("categories/caComputed1", "allItems") == {"allItems": False}
