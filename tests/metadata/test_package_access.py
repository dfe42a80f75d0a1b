"""Access: user groups, roles with real DHIS2 authorities, and sharing that limits capture to
the data-capture group and keeps officials at aggregates."""

from __future__ import annotations

import json
from typing import Any

from .conftest import top_level

# Authority names DHIS2 2.41 knows, with where each comes from in dhis2-core (branch 2.41):
# - dhis-api security/Authorities.java (enum Authorities):
ENUM_AUTHORITIES = {
    "F_VIEW_EVENT_ANALYTICS", "F_METADATA_EXPORT", "F_METADATA_IMPORT", "F_UNCOMPLETE_EVENT",
    "F_DATAVALUE_ADD", "F_USER_VIEW", "F_TRACKED_ENTITY_INSTANCE_SEARCH_IN_ALL_ORGUNITS",
    "F_ENROLLMENT_CASCADE_DELETE", "F_TEI_CASCADE_DELETE",
}  # fmt: skip
# - dhis-service-schema schema/descriptors/*SchemaDescriptor.java (Authority CREATE_PUBLIC etc.):
SCHEMA_AUTHORITIES = {
    "F_PROGRAM_PUBLIC_ADD", "F_PROGRAMSTAGE_ADD", "F_PROGRAM_INDICATOR_PUBLIC_ADD", "F_PROGRAM_RULE_ADD",
    "F_TRACKED_ENTITY_ATTRIBUTE_PUBLIC_ADD", "F_TRACKED_ENTITY_ADD", "F_DATAELEMENT_PUBLIC_ADD",
    "F_OPTIONSET_PUBLIC_ADD", "F_INDICATOR_PUBLIC_ADD", "F_INDICATORTYPE_ADD", "F_DATASET_PUBLIC_ADD",
    "F_RELATIONSHIPTYPE_PUBLIC_ADD", "F_VISUALIZATION_PUBLIC_ADD", "F_EVENT_VISUALIZATION_PUBLIC_ADD",
    "F_DASHBOARD_PUBLIC_ADD", "F_USERGROUP_PUBLIC_ADD", "F_USER_ADD_WITHIN_MANAGED_GROUP",
}  # fmt: skip
# - app authorities "M_dhis-web-" + short name of the bundled apps (dhis-api appmanager/App.java
#   getSeeAppAuthority, dhis-web-apps/apps-to-bundle.json; line-listing is bundled from 2.42,
#   dhis-web-server/apps-to-bundle.json):
APP_AUTHORITIES = {
    f"M_dhis-web-{app}" for app in (
        "aggregate-data-entry", "capture", "dashboard", "data-visualizer", "datastore", "import-export",
        "maintenance", "maps", "user", "line-listing",
    )
}  # fmt: skip
# - an app installed from the App Hub: "M_" + short name without punctuation (App.java
#   getSeeAppAuthority when not in AppManager.BUNDLED_APPS): Line Listing ("line-listing") on 2.41
INSTALLED_APP_AUTHORITIES = {"M_linelisting"}
KNOWN_AUTHORITIES = ENUM_AUTHORITIES | SCHEMA_AUTHORITIES | APP_AUTHORITIES | INSTALLED_APP_AUTHORITIES
# Types whose objects carry sharing in DHIS2 and therefore in this package.
SHARED_TYPES = (
    "programs", "programStages", "trackedEntityTypes", "relationshipTypes", "dataSets", "dataElements",
    "trackedEntityAttributes", "optionSets", "programIndicators", "indicators", "visualizations",
    "eventVisualizations", "dashboards", "userGroups", "userRoles", "categoryOptions", "categories",
    "categoryCombos", "attributes", "aggregateDataExchanges",
)  # fmt: skip
# The aggregate data exchange writes data values: DHIS2 runs it only for a user with data write
# on the exchange (dhis-service-data-exchange AggregateDataExchangeService#exchangeData,
# canDataWrite) and on the category options of each value's option combo
# (dhis-service-dxf2 datavalueset/DataValueSetImportValidator, canDataWrite on the options).
ADMIN_WRITES_DATA = ("aggregateDataExchanges", "categoryOptions")


def _groups(package: dict[str, Any]) -> dict[str, str]:
    return {g["code"]: g["id"] for g in package["userGroups"]}


def _access(obj: dict[str, Any], group_uid: str) -> str | None:
    entry = obj["sharing"]["userGroups"].get(group_uid)
    return entry["access"] if entry else None


def test_user_groups_follow_the_who_pattern(package: dict[str, Any]) -> None:
    groups = {g["code"]: g for g in package["userGroups"]}
    assert set(groups) == {"SCDI_ADMIN", "SCDI_ACCESS", "SCDI_DATA_CAPTURE", "SCDI_OFFICIALS"}
    assert all(g["name"].startswith("SCDI - ") and g["users"] == [] for g in groups.values())
    managed = {ref["id"] for ref in groups["SCDI_ADMIN"]["managedGroups"]}
    assert managed == {groups[c]["id"] for c in ("SCDI_ACCESS", "SCDI_DATA_CAPTURE", "SCDI_OFFICIALS")}


def test_role_authorities_are_real_dhis2_authorities(package: dict[str, Any]) -> None:
    roles = {r["code"]: set(r["authorities"]) for r in package["userRoles"]}
    assert set(roles) == {"SCDI_ROLE_DATA_CAPTURE", "SCDI_ROLE_PROVINCE", "SCDI_ROLE_NATIONAL", "SCDI_ROLE_ADMIN"}
    for code, authorities in roles.items():
        assert authorities <= KNOWN_AUTHORITIES, (code, authorities - KNOWN_AUTHORITIES)
        assert "ALL" not in authorities
        assert "F_TRACKED_ENTITY_INSTANCE_SEARCH_IN_ALL_ORGUNITS" not in authorities, code
    # Event analytics (program-indicator charts, /api/analytics/events/query and
    # /enrollments/query) answers E7217 without F_VIEW_EVENT_ANALYTICS (dhis-service-analytics
    # security/DefaultAnalyticsSecurityManager#decideAccessEventAnalyticsAuthority, called by
    # decideAccessEventQuery): leaders keep their group's charts, officials read aggregates only.
    assert "F_VIEW_EVENT_ANALYTICS" in roles["SCDI_ROLE_DATA_CAPTURE"]
    assert "F_VIEW_EVENT_ANALYTICS" not in roles["SCDI_ROLE_PROVINCE"] | roles["SCDI_ROLE_NATIONAL"]
    # A leader can undo a mistaken record: reopen a completed event, delete an enrollment with
    # its events and a person with their enrollments (the tracker importer's
    # SecurityOwnershipValidator of events, enrollments and tracked entities checks these).
    undo = {"F_UNCOMPLETE_EVENT", "F_ENROLLMENT_CASCADE_DELETE", "F_TEI_CASCADE_DELETE"}
    assert undo <= roles["SCDI_ROLE_DATA_CAPTURE"]
    # Android Capture needs no web app; officials get no tracker or line-listing app.
    assert not {a for a in roles["SCDI_ROLE_DATA_CAPTURE"] if a.startswith("M_")}
    tracker_apps = {"M_dhis-web-capture", "M_dhis-web-line-listing"}
    assert not (roles["SCDI_ROLE_PROVINCE"] | roles["SCDI_ROLE_NATIONAL"]) & tracker_apps
    assert not {a for a in roles["SCDI_ROLE_NATIONAL"] if not a.startswith("M_")}


def test_every_shared_object_has_sharing_for_the_package_groups_only(package: dict[str, Any]) -> None:
    group_uids = set(_groups(package).values())
    admin = _groups(package)["SCDI_ADMIN"]
    for plural in SHARED_TYPES:
        assert package[plural], plural
        for obj in package[plural]:
            sharing = obj.get("sharing")
            assert sharing, f"{plural} {obj['code']} has no sharing"
            assert sharing["external"] is False and sharing["users"] == {}
            assert set(sharing["userGroups"]) <= group_uids
            assert all(v["id"] == k and len(v["access"]) == 8 for k, v in sharing["userGroups"].items())
            expected = "rwrw----" if plural in ADMIN_WRITES_DATA else "rw------"
            assert _access(obj, admin) == expected, (plural, obj["code"])
            # Public access never reads or writes data, and never edits metadata.
            assert sharing["public"] in ("r-------", "--------"), (plural, obj["code"])


def test_no_external_access_anywhere(package: dict[str, Any]) -> None:
    def walk(value: Any) -> bool:
        if isinstance(value, dict):
            if value.get("externalAccess") is True or value.get("external") is True:
                return True
            return any(walk(v) for v in value.values())
        if isinstance(value, list):
            return any(walk(v) for v in value)
        return False

    assert not [obj.get("code") for _, obj in top_level(package) if walk(obj)]


def test_capture_is_for_the_data_capture_group_and_officials_read_aggregates(package: dict[str, Any]) -> None:
    groups = _groups(package)
    for plural in ("programs", "programStages", "trackedEntityTypes", "relationshipTypes"):
        for obj in package[plural]:
            assert _access(obj, groups["SCDI_DATA_CAPTURE"]) == "r-rw----", obj["code"]
            # Metadata read only, no data read: DHIS2 then gives officials and SCDI's M&E staff
            # no tracked entity, enrollment, event or relationship (tracker export checks data
            # read on the program, stage and type: dhis-service-core trackedentity/
            # DefaultTrackerAccessManager#canRead), and no event or enrollment analytics
            # (E7121, DefaultAnalyticsSecurityManager#decideAccessDataReadObjects).
            assert _access(obj, groups["SCDI_OFFICIALS"]) == "r-------", obj["code"]
            assert _access(obj, groups["SCDI_ACCESS"]) == "r-------", obj["code"]
            assert obj["sharing"]["public"] in ("r-------", "--------"), obj["code"]
    sets = {d["code"]: d for d in package["dataSets"]}
    assert _access(sets["SCDI_TARGETS"], groups["SCDI_OFFICIALS"]) == "r-rw----"
    assert _access(sets["SCDI_TARGETS"], groups["SCDI_DATA_CAPTURE"]) == "r-r-----"
    # The figures are written by the aggregate data exchange only: officials read them.
    for code in ("SCDI_FIGURES_MONTHLY", "SCDI_FIGURES_YEARLY"):
        assert _access(sets[code], groups["SCDI_OFFICIALS"]) == "r-r-----", code
        assert _access(sets[code], groups["SCDI_ACCESS"]) == "r-r-----", code
        assert _access(sets[code], groups["SCDI_DATA_CAPTURE"]) is None, code
    # Line lists name members by code: never shared with officials.
    for line_list in package["eventVisualizations"]:
        if line_list["program"]["id"] == next(p["id"] for p in package["programs"] if p["code"] == "SCDI_MEMBER"):
            assert _access(line_list, groups["SCDI_OFFICIALS"]) is None, line_list["code"]


def test_dashboard_items_are_visible_to_everyone_who_sees_the_dashboard(package: dict[str, Any]) -> None:
    shown = {o["id"]: o for o in package["visualizations"] + package["eventVisualizations"]}
    for dashboard in package["dashboards"]:
        audience = set(dashboard["sharing"]["userGroups"])
        assert audience, dashboard["code"]
        for entry in dashboard["dashboardItems"]:
            ref = (entry.get("visualization") or entry.get("eventVisualization"))["id"]
            missing = audience - set(shown[ref]["sharing"]["userGroups"])
            assert not missing, (dashboard["code"], shown[ref]["code"], missing)


def test_arv_status_stays_within_the_group(package: dict[str, Any]) -> None:
    """ARV status says a member's HIV result: only the data capture group reads the member
    program's data, and nothing that others see (indicators, aggregate figures, line lists,
    phone charts) uses it."""
    arv = next(d["id"] for d in package["dataElements"] if d["code"] == "SCDI_FU_ARV_STATUS")
    groups = _groups(package)
    member = next(p for p in package["programs"] if p["code"] == "SCDI_MEMBER")
    readers = {uid for uid, entry in member["sharing"]["userGroups"].items() if entry["access"][2] == "r"}
    assert readers == {groups["SCDI_DATA_CAPTURE"]} and member["sharing"]["public"][2] == "-"
    for plural in ("programIndicators", "indicators", "eventVisualizations", "visualizations",
                   "aggregateDataExchanges"):
        for obj in package[plural]:
            assert arv not in json.dumps(obj), (plural, obj["code"])
    assert member["accessLevel"] == "PROTECTED"
    person = next(t for t in package["trackedEntityTypes"] if t["code"] == "SCDI_PERSON")
    assert person["allowAuditLog"] is True
