"""BOOLEAN and TRUE_ONLY values in the analytics tables: aggregate data values load as 1 ('true')
and 0 ('false', BOOLEAN only) (analytics/table/JdbcAnalyticsTableManager.java#populateTable at
2.41.9, 2.42.5, 2.43.1); event and attribute values read 'true' → 1, 'false' → 0, anything else
null (AbstractEventJdbcTableManager#getColumnExpression 2.41.9/2.42.5, ColumnMapper 2.43.1)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests

from scdi.sandbox.analytics import indicators
from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN, post_metadata, refresh_analytics, unit_uid, written_new

YES_NO = {"id": "deBoolean01", "name": "Has a card", "shortName": "Has a card",
          "valueType": "BOOLEAN", "domainType": "AGGREGATE", "aggregationType": "SUM"}
YES_ONLY = {"id": "deTrueOnly1", "name": "Attended", "shortName": "Attended",
            "valueType": "TRUE_ONLY", "domainType": "AGGREGATE", "aggregationType": "SUM"}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_boolean_data_values_load_as_one_and_zero(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    running = sandbox_factory(version=version)
    url = running.url
    province = unit_uid(url, "VN-79")
    data_set = {"id": "dsBoolean01", "name": "Cards", "shortName": "Cards",
                "periodType": "Monthly", "organisationUnits": [{"id": province}],
                "dataSetElements": [{"dataElement": {"id": de["id"]}, "dataSet": {"id": "dsBoolean01"}}
                                    for de in (YES_NO, YES_ONLY)]}
    assert post_metadata(url, {"dataElements": [YES_NO, YES_ONLY], "dataSets": [data_set]}
                         ).status_code == 200
    sent = requests.post(f"{url}/api/dataValueSets", auth=ADMIN, timeout=30, json={
        "dataSet": data_set["id"], "orgUnit": province, "dataValues": [
            {"dataElement": YES_NO["id"], "period": "202401", "value": "true"},
            {"dataElement": YES_NO["id"], "period": "202402", "value": "false"},
            {"dataElement": YES_ONLY["id"], "period": "202401", "value": "true"}]})
    assert written_new(version, sent.json()["response"]) == 3, sent.text
    refresh_analytics(url)
    answer = requests.get(f"{url}/api/analytics", auth=ADMIN, timeout=30, params={
        "dimension": [f"dx:{YES_NO['id']};{YES_ONLY['id']}", "pe:202401;202402"],
        "filter": f"ou:{province}"})
    assert answer.status_code == 200, answer.text
    assert sorted(answer.json()["rows"]) == [
        [YES_NO["id"], "202401", "1"], [YES_NO["id"], "202402", "0"],
        [YES_ONLY["id"], "202401", "1"]]


def test_event_boolean_values_are_one_zero_or_null() -> None:
    assert [indicators._typed(v, "BOOLEAN") for v in ("true", "false")] == [1.0, 0.0]
    assert [indicators._typed(v, t) for v in ("TRUE", "1", "0", "") for t in ("BOOLEAN", "TRUE_ONLY")
            ] == [None] * 8


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_data_element_names_its_option_combos(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # AnalyticsUtils#getDimensionMetadataItemMap and #getCocNameMap: a data element's option
    # combos are items, and `co` lists them; an operand's are not. MetadataItem gives the data
    # element its simplified value type (ValueType#toSimplifiedValueType).
    running = sandbox_factory(version=version)
    url = running.url
    assert post_metadata(url, {"dataElements": [YES_NO]}).status_code == 200
    default = next(c for c in running.store.list_objects("categoryOptionCombos") if c["name"] == "default")
    answer = requests.get(f"{url}/api/analytics", auth=ADMIN, timeout=30, params={
        "dimension": [f"dx:{YES_NO['id']}", "pe:202401"], "includeMetadataDetails": "true"})
    assert answer.status_code == 200, answer.text
    meta = answer.json()["metaData"]
    assert meta["dimensions"]["co"] == [default["id"]]
    assert meta["items"][default["id"]] == {"uid": default["id"], "code": "default", "name": "default",
                                            "valueType": "NUMBER", "totalAggregationType": "SUM"}
    assert meta["items"][YES_NO["id"]]["valueType"] == "BOOLEAN"
    answer = requests.get(f"{url}/api/analytics", auth=ADMIN, timeout=30, params={
        "dimension": [f"dx:{YES_NO['id']}.{default['id']}", "pe:202401"]})
    meta = answer.json()["metaData"]
    assert meta["dimensions"]["co"] == []
    assert default["id"] not in meta["items"]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_last_reads_the_latest_value_up_to_ten_years_back(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # JdbcAnalyticsManager#getFirstOrLastValueSubquerySql: LAST ranks every value from ten
    # years before the period's end up to it, per org unit and combos, and sums the latest
    running = sandbox_factory(version=version)
    url = running.url
    province = unit_uid(url, "VN-79")
    stock = {"id": "deStockLst1", "name": "Stock", "shortName": "Stock", "valueType": "NUMBER",
             "domainType": "AGGREGATE", "aggregationType": "LAST"}
    data_set = {"id": "dsStockLst1", "name": "Stock", "shortName": "Stock", "periodType": "Monthly",
                "organisationUnits": [{"id": province}],
                "dataSetElements": [{"dataElement": {"id": stock["id"]}, "dataSet": {"id": "dsStockLst1"}}]}
    assert post_metadata(url, {"dataElements": [stock], "dataSets": [data_set]}).status_code == 200
    sent = requests.post(f"{url}/api/dataValueSets", auth=ADMIN, timeout=30, json={
        "dataSet": data_set["id"], "orgUnit": province, "dataValues": [
            {"dataElement": stock["id"], "period": "201312", "value": "9"},
            {"dataElement": stock["id"], "period": "201401", "value": "7"},
            {"dataElement": stock["id"], "period": "202401", "value": "5"}]})
    assert written_new(version, sent.json()["response"]) == 3, sent.text
    refresh_analytics(url)
    answer = requests.get(f"{url}/api/analytics", auth=ADMIN, timeout=30, params={
        "dimension": [f"dx:{stock['id']}", "pe:202312;202401;202403"], "filter": f"ou:{province}"})
    assert answer.status_code == 200, answer.text
    # 202312 reads from 2013-12-31 on (`pestartdate >=` ten years before its end): January 2014's
    # 7, not December 2013's 9; 202403 carries January's 5 forward
    assert sorted(answer.json()["rows"]) == [
        [stock["id"], "202312", "7"], [stock["id"], "202401", "5"], [stock["id"], "202403", "5"]]
    later = requests.get(f"{url}/api/analytics", auth=ADMIN, timeout=30, params={
        "dimension": [f"dx:{stock['id']}", "pe:202401"], "filter": f"ou:{province}"}).json()
    assert later["rows"] == [[stock["id"], "202401", "5"]]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_an_operand_of_the_default_combo_is_named_as_its_data_element(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # DataElementOperand#getDisplayName adds the combo's name only for a non-default combo;
    # SHORTNAME names a data element by its short name (BaseNameableObject#getDisplayProperty)
    running = sandbox_factory(version=version)
    url = running.url
    element = YES_NO | {"shortName": "Card"}
    assert post_metadata(url, {"dataElements": [element]}).status_code == 200
    default = next(c for c in running.store.list_objects("categoryOptionCombos") if c["name"] == "default")
    operand = f"{element['id']}.{default['id']}"
    items = requests.get(f"{url}/api/analytics", auth=ADMIN, timeout=30, params={
        "dimension": [f"dx:{element['id']};{operand}", "pe:202401"]}).json()["metaData"]["items"]
    assert items[operand] == {"name": "Has a card"}
    items = requests.get(f"{url}/api/analytics", auth=ADMIN, timeout=30, params={
        "dimension": [f"dx:{element['id']}", "pe:202401"], "displayProperty": "SHORTNAME"}
    ).json()["metaData"]["items"]
    assert items[element["id"]] == {"name": "Card"}


def test_a_value_ending_in_a_line_break_is_not_loaded_as_a_number(
        sandbox_factory: Callable[..., RunningSandbox]) -> None:
    # JdbcAnalyticsTableManager#populateTable keeps `dv.value ~* NUMERIC_LENIENT_REGEXP`:
    # PostgreSQL's `$` ends the text, so `12\n` (stored as TEXT, the element then made a NUMBER,
    # which 2.41.9 lets a data element with values do) is no number.
    running = sandbox_factory(version="2.41")
    url = running.url
    province = unit_uid(url, "VN-79")
    element = {"id": "deTextToNum", "name": "Counted later", "shortName": "Counted later",
               "valueType": "TEXT", "domainType": "AGGREGATE", "aggregationType": "SUM"}
    assert post_metadata(url, {"dataElements": [element]}).status_code == 200
    sent = requests.post(f"{url}/api/dataValueSets", auth=ADMIN, timeout=30, json={
        "orgUnit": province, "dataValues": [
            {"dataElement": element["id"], "period": "202401", "value": "12\n"},
            {"dataElement": element["id"], "period": "202402", "value": "7"}]})
    assert sent.json()["response"]["importCount"]["imported"] == 2, sent.text
    assert post_metadata(url, {"dataElements": [{**element, "valueType": "NUMBER"}]}
                         ).status_code == 200
    refresh_analytics(url)
    answer = requests.get(f"{url}/api/analytics", auth=ADMIN, timeout=30, params={
        "dimension": [f"dx:{element['id']}", "pe:202401;202402"], "filter": f"ou:{province}"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["rows"] == [[element["id"], "202402", "7"]]
