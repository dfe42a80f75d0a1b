"""`GET /api/analytics` for a program indicator (2.41.9, 2.42.5 and 2.43.1 alike): the grid's
headers and rows (AnalyticsController#getJson, DefaultAnalyticsService, common/Grid and
GridHeader) and `metaData` (analytics/data/handler/MetadataHandler#addMetaData): `items` from
AnalyticsUtils#getDimensionMetadataItemMap, names only unless `includeMetadataDetails=true`,
named by `displayProperty`."""

from __future__ import annotations

import requests

from tests.sandbox.helpers import ADMIN, post_metadata, refresh_analytics
from tests.sandbox.tracker_fixture import event, post

PI = {"id": "piAnaEvent1", "name": "Events counted", "shortName": "Events",
      "analyticsType": "EVENT", "expression": "V{event_count}", "aggregationType": "COUNT"}


def _answer(env, **params):  # type: ignore[no-untyped-def]
    _version, running, m = env
    url = running.url
    assert post_metadata(url, {"programIndicators": [PI | {"program": {"id": m.event_program}}]}
                         ).status_code == 200
    ev = event(m, None, stage=m.event_stage, values={m.de_number: "2"}, occurredAt="2025-01-12")
    assert post(running, {"events": [ev]}).status_code == 200
    refresh_analytics(url)
    answer = requests.get(f"{url}/api/analytics", auth=ADMIN, timeout=30, params={
        "dimension": [f"dx:{PI['id']}", "pe:202501;202502", f"ou:{m.commune}"], **params})
    assert answer.status_code == 200, answer.text
    return m, answer.json()


def test_the_grid_of_a_program_indicator(env) -> None:  # type: ignore[no-untyped-def]
    m, body = _answer(env)
    assert [h["name"] for h in body["headers"]] == ["dx", "pe", "ou", "value"]
    assert body["headers"][-1] == {"name": "value", "column": "Value", "valueType": "NUMBER",
                                   "type": "java.lang.Double", "hidden": False, "meta": False}
    # a row only where there is a value: February has none
    assert body["rows"] == [[PI["id"], "202501", m.commune, "1"]]
    assert (body["headerWidth"], body["width"], body["height"]) == (4, 4, 1)
    assert body["metaData"]["dimensions"] == {
        "dx": [PI["id"]], "pe": ["202501", "202502"], "ou": [m.commune], "co": []}


def test_metadata_items_are_names_unless_details_are_asked(env) -> None:  # type: ignore[no-untyped-def]
    m, body = _answer(env)
    items = body["metaData"]["items"]
    assert items[PI["id"]] == {"name": "Events counted"}
    assert items["202501"] == {"name": "January 2025"}
    assert set(items[m.commune]) == {"name"}
    assert (items["dx"], items["pe"], items["ou"]) == (
        {"name": "Data"}, {"name": "Period"}, {"name": "Organisation unit"})
    m, body = _answer(env, includeMetadataDetails="true")
    items = body["metaData"]["items"]
    assert items[PI["id"]]["dimensionItemType"] == "PROGRAM_INDICATOR"
    assert items["202501"]["startDate"] == "2025-01-01T00:00:00.000"
    assert items["dx"] == {"uid": "dx", "name": "Data", "dimensionType": "DATA_X"}


def test_display_property_short_name_names_the_org_unit_too(env) -> None:  # type: ignore[no-untyped-def]
    _version, running, m = env
    unit = requests.get(f"{running.url}/api/organisationUnits/{m.commune}", auth=ADMIN,
                        timeout=10, params={"fields": "name,shortName"}).json()
    _, body = _answer(env, displayProperty="SHORTNAME")
    items = body["metaData"]["items"]
    assert items[PI["id"]] == {"name": "Events"}
    assert items[m.commune] == {"name": unit["shortName"]}
