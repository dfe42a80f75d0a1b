"""The Android Settings App keys the package owns: shapes and enum values the Android SDK parses
(dhis2-android-sdk network/settings/*DTO.kt and core/settings/*.java; a value outside an enum
throws in valueOf), limits that fit groups of up to 300 members."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import REPO_METADATA

SETTINGS = REPO_METADATA / "android-settings"
# core/settings/LimitScope.java, DownloadPeriod.java, EnrollmentScope.java
LIMIT_SCOPE = {"ALL_ORG_UNITS", "GLOBAL", "PER_ORG_UNIT", "PER_PROGRAM", "PER_OU_AND_PROGRAM"}
DOWNLOAD_PERIOD = {"ANY", "LAST_MONTH", "LAST_3_MONTHS", "LAST_12_MONTHS"}
ENROLLMENT_SCOPE = {"ALL", "ONLY_ACTIVE"}
# network/settings/SettingsEnumMaps.kt (other values silently fall back to 24h)
DATA_SYNC = {"30m", "1h", "6h", "12h", "24h", "manual"}
METADATA_SYNC = {"1h", "6h", "12h", "24h", "manual"}
PROGRAM_SETTING_KEYS = {
    "id", "name", "filters", "lastUpdated", "teiDownload", "teiDBTrimming", "eventsDownload", "eventsDBTrimming",
    "updateDownload", "updateDBTrimming", "settingDownload", "settingDBTrimming", "enrollmentDownload",
    "enrollmentDBTrimming", "eventDateDownload", "eventDateDBTrimming", "enrollmentDateDownload",
    "enrollmentDateDBTrimming",
}  # fmt: skip
LARGEST_GROUP = 300


@pytest.fixture(scope="module")
def settings() -> dict[str, Any]:
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(SETTINGS.glob("*.json"))}


def test_owned_keys(settings: dict[str, Any]) -> None:
    assert set(settings) == {"info", "generalSettings", "synchronization", "analytics"}
    # The SDK reads no settings without info (SettingsAppInfoDTO: dataStoreVersion "1.1" or "2.0").
    assert settings["info"] == {"dataStoreVersion": "2.0"}


def test_general_settings(settings: dict[str, Any]) -> None:
    general = settings["generalSettings"]
    # GeneralSettingsDTO.encryptDB is a non-null Boolean: without it the whole key fails to parse.
    assert general["encryptDB"] is True
    assert 100 <= general["reservedValues"] <= 500


def test_synchronization_limits_fit_the_groups(settings: dict[str, Any], package: dict[str, Any]) -> None:
    sync = settings["synchronization"]
    assert sync["dataSync"] in DATA_SYNC and sync["metadataSync"] in METADATA_SYNC
    assert sync["trackerImporterVersion"] == sync["trackerExporterVersion"] == "V2"
    assert "dataSetSettings" not in sync  # not owned; its globalSettings would be required
    program_settings = sync["programSettings"]
    assert program_settings["globalSettings"] == {}, "global limits stay the instance's"
    programs = {p["id"]: p for p in package["programs"]}
    specific = program_settings["specificSettings"]
    assert set(specific) == set(programs)
    for uid, setting in specific.items():
        assert set(setting) <= PROGRAM_SETTING_KEYS
        assert setting["id"] == uid and setting["name"] == programs[uid]["name"]
        for key in ("settingDownload", "settingDBTrimming"):
            assert setting[key] in LIMIT_SCOPE and setting[key] in ("ALL_ORG_UNITS", "PER_ORG_UNIT")
        for key in ("updateDownload", "eventDateDownload", "enrollmentDateDownload"):
            assert setting[key] in DOWNLOAD_PERIOD and setting[key.replace("Download", "DBTrimming")] == setting[key]
        assert setting["enrollmentDownload"] in ENROLLMENT_SCOPE
        assert setting["teiDownload"] <= 2000 and setting["eventsDownload"] <= 3000  # Settings App maxima
    member = next(p["id"] for p in package["programs"] if p["code"] == "SCDI_MEMBER")
    assert specific[member]["teiDownload"] >= LARGEST_GROUP
    assert specific[member]["settingDownload"] == "PER_ORG_UNIT"


def test_analytics_points_at_visualizations_leaders_can_read(settings: dict[str, Any], package: dict[str, Any]) -> None:
    visualizations = {v["id"]: v for v in package["visualizations"]}
    capture = next(g["id"] for g in package["userGroups"] if g["code"] == "SCDI_DATA_CAPTURE")
    programs = {p["id"] for p in package["programs"]}
    dhis = settings["analytics"]["dhisVisualizations"]
    # home and tei are lists; a merge would replace another package's entries.
    assert set(settings["analytics"]) == {"dhisVisualizations"} and set(dhis) == {"program"}
    assert set(dhis["program"]) <= programs
    seen = 0
    for program_uid, groups in dhis["program"].items():
        for group in groups:
            assert group["id"] and group["name"] and group["visualizations"]
            for item in group["visualizations"]:
                seen += 1
                assert item["type"] == "VISUALIZATION" and item["scope"] == "PROGRAM"
                assert item["scopeUid"] == program_uid and item["groupUid"] == group["id"]
                visualization = visualizations[item["id"]]
                assert capture in visualization["sharing"]["userGroups"], visualization["code"]
    assert seen >= 4


# What Android Capture evaluates on the phone for a program indicator of a chart: the SDK's SQL
# evaluator (dhis2-android-sdk 1.14, analytics/aggregated/internal/evaluator/
# ProgramIndicatorSQLEvaluator → program/programindicatorengine/internal/ProgramIndicatorSQLExecutor):
# the items of ProgramIndicatorParserUtils.PROGRAM_INDICATOR_SQL_EXPRESSION_ITEMS (no
# d2:concatenate, d2:substring, d2:left/right/split, d2:addDays, d2:round in SQL) and the program
# variables of variable/ProgramVariableItem.kt; boundaries by AnalyticsBoundaryParser, where a
# PS_EVENTDATE target is refused for EVENT indicators (ProgramIndicatorEvaluatorHelper).
PHONE_FUNCTIONS = {
    "d2:condition", "d2:count", "d2:countIfCondition", "d2:countIfValue", "d2:daysBetween", "d2:hasValue",
    "d2:maxValue", "d2:minutesBetween", "d2:minValue", "d2:monthsBetween", "d2:oizp", "d2:weeksBetween",
    "d2:yearsBetween", "d2:zing", "d2:zpvc",
}  # fmt: skip
# V{program_stage_id} (SDK 1.6.0) and V{tei_count} (1.5.0) are evaluated by recent SDKs too; the
# phone charts avoid them so that they read the same on every Capture release that runs 2.41:
# the peer-group program has one stage, and the group's own people are its memberships.
PHONE_VARIABLES = {
    "analytics_period_end", "analytics_period_start", "creation_date", "current_date", "completed_date", "due_date",
    "enrollment_count", "enrollment_date", "enrollment_status", "event_status", "event_count", "event_date",
    "execution_date", "incident_date", "org_unit_count", "sync_date", "value_count", "zero_pos_value_count",
}  # fmt: skip


def test_the_phone_charts_use_only_what_android_evaluates(settings: dict[str, Any]) -> None:
    import re

    from scdi.connector.metadata.package import build_package

    package = build_package()
    visualizations = {v["id"]: v for v in package["visualizations"]}
    indicators = {i["id"]: i for i in package["indicators"]}
    program_indicators = {p["id"]: p for p in package["programIndicators"]}
    shown: set[str] = set()
    for groups in settings["analytics"]["dhisVisualizations"]["program"].values():
        for group in groups:
            for entry in group["visualizations"]:
                for item in visualizations[entry["id"]]["dataDimensionItems"]:
                    if "programIndicator" in item:
                        shown.add(item["programIndicator"]["id"])
                    elif "indicator" in item:
                        formula = indicators[item["indicator"]["id"]]
                        shown |= set(re.findall(r"I\{(\w{11})\}", formula["numerator"] + formula["denominator"]))
    assert len(shown) >= 10
    problems = []
    for uid in sorted(shown):
        indicator = program_indicators[uid]
        text = indicator["expression"] + " " + indicator.get("filter", "")
        functions = set(re.findall(r"d2:\w+", text)) - PHONE_FUNCTIONS
        variables = set(re.findall(r"V\{(\w+)\}", text)) - PHONE_VARIABLES
        events_boundary = indicator["analyticsType"] == "EVENT" and any(
            b["boundaryTarget"].startswith("PS_EVENTDATE") for b in indicator["analyticsPeriodBoundaries"])
        if functions or variables or events_boundary:
            problems.append(f"{indicator['code']}: {sorted(functions | variables)} {events_boundary or ''}")
    assert not problems, "\n".join(problems)
