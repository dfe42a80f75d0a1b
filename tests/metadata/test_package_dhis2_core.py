"""What a real DHIS2 does with the line lists, dashboards and relationship type (dhis2-core
2.41.9 / 2.42.5 / 2.43.1; the README's "Checked against dhis2-core" table gives the files)."""

from __future__ import annotations

from typing import Any

# dhis-service-analytics DefaultEventDataQueryService.SortableItems (item names of ColumnHeader)
SORTABLE_ITEMS = {
    "enrollmentdate", "incidentdate", "eventdate", "scheduleddate", "ouname", "ounamehierarchy",
    "oucode", "programstatus", "eventstatus", "createdbydisplayname", "lastupdatedbydisplayname",
    "lastupdated",
}  # fmt: skip
# dhis-api eventvisualization/SimpleDimension.Type and Attribute
SIMPLE_DIMENSIONS = {
    "eventDate", "enrollmentDate", "incidentDate", "scheduledDate", "lastUpdated", "created",
    "eventStatus", "programStatus", "createdBy", "lastUpdatedBy",
}  # fmt: skip
AXES = {"COLUMN": "columnDimensions", "ROW": "rowDimensions", "FILTER": "filterDimensions"}


def test_line_list_sorting_is_an_analytics_sort_item(package: dict[str, Any]) -> None:
    for line_list in package["eventVisualizations"]:
        columns = set(line_list["columnDimensions"])
        for sort in line_list["sorting"]:
            # a data item id is also accepted (getSortItem falls back to getQueryItem)
            assert sort["dimension"] in SORTABLE_ITEMS | columns - {"pe", "ou"}, line_list["code"]
            assert sort["direction"] in ("ASC", "DESC")


def test_every_line_list_dimension_resolves_on_read(package: dict[str, Any]) -> None:
    """BaseAnalyticalObject#getDimensionalObject: anything else throws "not a valid dimension"
    when the server renders columns/rows/filters."""
    for line_list in package["eventVisualizations"]:
        known = {"ou", "pe"} | SIMPLE_DIMENSIONS
        known |= {d["attribute"]["id"] for d in line_list["attributeDimensions"]}
        known |= {d["dataElement"]["id"] for d in line_list["dataElementDimensions"]}
        known |= {d["programIndicator"]["id"] for d in line_list["programIndicatorDimensions"]}
        for axis in AXES.values():
            for dimension in line_list[axis]:
                assert dimension.rsplit(".", 1)[-1] in known, (line_list["code"], dimension)
        for simple in line_list.get("simpleDimensions", []):
            assert simple["dimension"] in SIMPLE_DIMENSIONS and simple["values"]
            assert simple["dimension"] in line_list[AXES[simple["parent"]]], line_list["code"]


def test_follow_ups_due_list_ends_today_and_is_contiguous(package: dict[str, Any]) -> None:
    """The indicator column is judged at the query's latest end date (DataQueryParams
    #getLatestEndDate), so the periods must reach up to today, as its figure's TODAY does,
    without a gap."""
    line_list = next(o for o in package["eventVisualizations"]
                     if o["code"] == "SCDI_LL_FOLLOWUP_DUE")
    assert line_list["rawPeriods"] == ["LAST_10_YEARS", "LAST_12_MONTHS", "LAST_30_DAYS", "TODAY"]
    assert line_list["sorting"] == [{"dimension": "enrollmentdate", "direction": "ASC"}]
    assert {"dimension": "programStatus", "parent": "FILTER", "values": ["ACTIVE"]} in \
        line_list["simpleDimensions"]


def test_relationship_type_view_passes_a_first_import(package: dict[str, Any]) -> None:
    """RelationshipTypeObjectBundleHook looks the view's attributes up in the database (E4314)."""
    for rel in package["relationshipTypes"]:
        for side in ("fromConstraint", "toConstraint"):
            assert rel[side]["trackerDataView"] == {"attributes": [], "dataElements": []}


def test_dashboard_items_fit_the_grid(package: dict[str, Any]) -> None:
    for dashboard in package["dashboards"]:
        for item in dashboard["dashboardItems"]:
            assert "type" not in item  # DashboardItem#getType is derived from the reference
            assert sum(k in item for k in ("visualization", "eventVisualization")) == 1
            assert item["x"] >= 0 and item["x"] + item["width"] <= 60 and item["height"] > 0
