"""The Android SDK's own test fixtures (`core/src/sharedTest/resources` of dhis2-android-sdk),
compared key by key with the sandbox's answers to the same requests sent with the SDK's `fields`.
Set SCDI_ANDROID_FIXTURES to a local copy of that folder (not committed: another project's
files); without it the test is skipped.

What may differ is listed in ABSENT_WHEN_UNSET: optional properties the package's objects do not
set, which DHIS2 leaves out of an answer (nulls are not written), and fixtures' values that are
data of the demo database (e.g. a user's birthday)."""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scdi.connector.android import sdk_fields as fields
from scdi.connector.android.login import SYSTEM_KEYS
from tests.connector.android.fixture_compare import compare, parse_fields
from tests.connector.provision.conftest import Deployed, start_deployed

FIXTURES = os.environ.get("SCDI_ANDROID_FIXTURES")
pytestmark = pytest.mark.skipif(not FIXTURES or not Path(FIXTURES).is_dir(),
                                reason="set SCDI_ANDROID_FIXTURES to a local copy of the Android SDK's "
                                       "core/src/sharedTest/resources")

# fixture -> (path, params, fields) of the request the SDK answers it for
CASES: dict[str, tuple[str, dict[str, Any], str | None]] = {
    "systeminfo/system_info.json": ("system/info", {}, fields.SYSTEM_INFO),
    "category/default_category_combo.json": ("categoryCombos", {"filter": "isDefault:eq:true"},
                                             fields.CATEGORY_COMBOS),
    "constant/constants.json": ("constants", {}, fields.CONSTANTS),
    "organisationunit/organisation_unit_levels.json": ("organisationUnitLevels", {}, fields.ORG_UNIT_LEVELS),
    "organisationunit/organisation_units.json": ("organisationUnits", {}, fields.ORG_UNITS),
    "program/programs.json": ("programs", {}, fields.PROGRAMS),
    "program/program_stages.json": ("programStages", {}, fields.PROGRAM_STAGES),
    "trackedentity/tracked_entity_types.json": ("trackedEntityTypes", {}, fields.TRACKED_ENTITY_TYPES),
    "trackedentity/tracked_entity_attributes.json": ("trackedEntityAttributes", {}, fields.TRACKED_ENTITY_ATTRIBUTES),
    "program/program_rules.json": ("programRules", {}, fields.PROGRAM_RULES),
    "relationship/relationship_types.json": ("relationshipTypes", {}, fields.RELATIONSHIP_TYPES),
    "option/option_sets.json": ("optionSets", {}, fields.OPTION_SETS),
    "option/options.json": ("options", {}, fields.OPTIONS),
    "program/program_indicators.json": ("programIndicators", {}, fields.PROGRAM_INDICATORS),
    "category/categories.json": ("categories", {}, fields.CATEGORIES),
    "category/category_options.json": ("categoryOptions", {}, fields.CATEGORY_OPTIONS),
    "user/user38.json": ("me", {}, fields.ME),
    "authority/authorities.json": ("me/authorization", {}, None),
    "settings/user_settings.json": ("userSettings", {"fields": "keyUiLocale,keyDbLocale"}, None),
    "settings/system_settings.json": ("systemSettings", {"key": SYSTEM_KEYS}, None),
    "trackedentity/new_tracker_importer_tracked_entities.json": (
        "tracker/trackedEntities", {"orgUnitMode": "ACCESSIBLE", "program": "Kyzu6Eqr46f"}, fields.TRACKED_ENTITIES),
    "event/new_tracker_importer_events.json": (
        "tracker/events", {"orgUnitMode": "ACCESSIBLE", "program": "Kyzu6Eqr46f"}, fields.EVENTS),
}

_UNSET = "optional, not set by the package's objects (DHIS2 leaves nulls out)"
_NOT_IN_2_42 = "not a property of the type in dhis2-core 2.42.5 (the fixture is from another release)"
_GONE = "removed from DHIS2 before 2.41 (the SDK falls back to another key)"
# (fixture, key path) -> why the sandbox's answer may lack it
ABSENT_WHEN_UNSET: dict[tuple[str, str], str] = {
    **{("category/category_options.json", f"categoryOptions[].{k}"): _UNSET
       for k in ("description", "displayDescription", "startDate", "endDate")},
    ("option/options.json", "options[].style"): _UNSET,
    ("organisationunit/organisation_units.json", "organisationUnits[].closedDate"): _UNSET,
    ("program/program_rules.json", "programRules[].priority"): _UNSET,
    **{("program/program_rules.json", f"programRules[].programRuleActions[].{k}"): _UNSET
       for k in ("priority", "legendSet", "optionGroup", "programIndicator", "programStage", "programStageSection")},
    **{("program/program_stages.json", f"programStages[].{k}"): _UNSET for k in ("periodType", "reportDateToUse",
                                                                                "style")},
    **{("program/program_stages.json", f"programStages[].{k}"): _NOT_IN_2_42
       for k in ("captureCoordinates", "validCompleteOnly")},
    **{("program/program_stages.json", f"programStages[].programStageDataElements[].dataElement.{k}"): _UNSET
       for k in ("description", "displayDescription")},
    ("program/program_stages.json", "programStages[].programStageDataElements[].renderType"): _UNSET,
    ("program/program_stages.json", "programStages[].programStageSections[].renderType"): _UNSET,
    **{("program/programs.json", f"programs[].{k}"): _UNSET for k in ("expiryPeriodType", "relatedProgram", "style")},
    **{("program/programs.json", f"programs[].{k}"): _NOT_IN_2_42 for k in ("dataEntryMethod",
                                                                           "enrollmentCategoryCombo")},
    ("program/programs.json", "programs[].programTrackedEntityAttributes[].renderType"): _UNSET,
    ("program/programs.json", "programs[].programTrackedEntityAttributes[].shortName"): _NOT_IN_2_42,
    ("relationship/relationship_types.json", "relationshipTypes[].aIsToB"): _GONE,
    ("relationship/relationship_types.json", "relationshipTypes[].bIsToA"): _GONE,
    ("relationship/relationship_types.json", "relationshipTypes[].fromConstraint.programStage"): _UNSET,
    ("relationship/relationship_types.json", "relationshipTypes[].toConstraint.programStage"): _UNSET,
    ("settings/system_settings.json", ".keyBingMapsApiKey"): "asked for in a request of its own by the app",
    **{("trackedentity/tracked_entity_attributes.json", f"trackedEntityAttributes[].{k}"): _UNSET
       for k in ("fieldMask", "expression", "sortOrderInListNoProgram", "style")},
    **{("trackedentity/tracked_entity_attributes.json", f"trackedEntityAttributes[].{k}"): _NOT_IN_2_42
       for k in ("programScope", "minCharactersToSearch", "blockedSearchOperators", "preferredSearchOperator")},
    ("trackedentity/tracked_entity_types.json", "trackedEntityTypes[].style"): _UNSET,
    ("user/user38.json", ".email"): _UNSET,
}


@pytest.fixture(scope="module")
def server() -> Iterator[Deployed]:
    deployed = start_deployed("current")
    demo = importlib.import_module("scdi.connector.provision.demo")
    demo.demo_groups(deployed.client)
    yield deployed
    deployed.client.close()
    deployed.sandbox.stop()


@pytest.mark.parametrize("fixture", sorted(CASES))
def test_fixture_keys_match_the_sandbox(server: Deployed, fixture: str) -> None:
    path = Path(FIXTURES or "") / fixture
    if not path.is_file():
        pytest.skip(f"{fixture} is not in this copy of the fixtures")
    reference = json.loads(path.read_text(encoding="utf-8"))
    api, params, selection = CASES[fixture]
    query = {**params, **({"fields": selection} if selection else {})}
    if api not in ("me", "me/authorization", "system/info", "userSettings", "systemSettings") \
            and not api.startswith("tracker/"):
        query["paging"] = "false"
    answer = server.client.get(api, params=query)
    tree = parse_fields(selection) if selection else None
    if isinstance(reference, dict) and tree is not None and api not in ("me", "system/info"):
        key = next(k for k in reference if isinstance(reference[k], list))  # the collection's list
        differences = compare(reference[key], answer.get(key) or answer.get("instances"), tree, key)
    else:
        differences = compare(reference, answer, tree)
    unexpected = [d for d in differences if (fixture, d.split(":")[0]) not in ABSENT_WHEN_UNSET]
    assert not unexpected, "\n".join(unexpected)
