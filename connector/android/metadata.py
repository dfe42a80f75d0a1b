"""The SDK's metadata download after login (M20 … M44 of `core/domain/metadata/MetadataCall.kt`):
org units under the user's roots by `path:like`, then only the programs those org units carry,
their stages, types, attributes, rules, option sets, relationship types and indicators, with
the SDK's `fields`, filters, chunks and pages."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from scdi.connector.android import sdk
from scdi.connector.android import sdk_fields as fields
from scdi.connector.android.login import Account
from scdi.connector.android.replay import Replay, chunks, id_in

Objects = dict[str, dict[str, Any]]


class Download(BaseModel):
    """The metadata on the phone after the download, by uid (as the server answered it)."""

    org_units: Objects = Field(default_factory=dict)
    linked_programs: set[str] = Field(default_factory=set)  # programs[id] of the downloaded org units
    programs: Objects = Field(default_factory=dict)
    stages: Objects = Field(default_factory=dict)
    tracked_entity_types: Objects = Field(default_factory=dict)
    attributes: Objects = Field(default_factory=dict)
    rules: Objects = Field(default_factory=dict)
    relationship_types: Objects = Field(default_factory=dict)
    option_sets: Objects = Field(default_factory=dict)
    options: Objects = Field(default_factory=dict)
    program_indicators: Objects = Field(default_factory=dict)
    categories: Objects = Field(default_factory=dict)
    category_options: Objects = Field(default_factory=dict)


def roots(units: list[dict[str, str]]) -> list[str]:
    """`OrganisationUnitTree.findRoots`: the units no other unit of the list is an ancestor of."""
    paths = {u["id"]: u["path"].strip("/").split("/") for u in units}
    return sorted(uid for uid, path in paths.items() if not any(other in path[:-1] for other in paths))


def _by_id(items: list[dict[str, Any]]) -> Objects:
    return {str(i["id"]): i for i in items}


def download(replay: Replay, account: Account) -> Download:
    d = Download()
    search_roots = roots(account.search)
    paths = {u["id"]: u["path"].strip("/").split("/") for u in account.capture}
    # capture roots outside every search root get their own download (OrganisationUnitCall.kt)
    capture_roots = [r for r in roots(account.capture) if not set(paths[r]) & set(search_roots)]
    for root in [*search_roots, *capture_roots]:
        page = 1
        while True:
            items = replay.collection("organisationUnits", "organisationUnits", {
                "fields": fields.ORG_UNITS, "filter": f"path:like:{root}", "order": "id:asc", "paging": "true",
                "pageSize": sdk.ORG_UNIT_PAGE, "page": page},
                sdk="core/organisationunit/internal/OrganisationUnitCall.kt")
            d.org_units.update(_by_id(items))
            if len(items) < sdk.ORG_UNIT_PAGE:
                break
            page += 1
    for unit in d.org_units.values():
        d.linked_programs |= {str(p["id"]) for p in unit.get("programs") or [] if isinstance(p, dict) and p.get("id")}
    for chunk in chunks(d.linked_programs, sdk.PROGRAM_CHUNK):
        d.programs.update(_by_id(replay.collection("programs", "programs", {
            "fields": fields.PROGRAMS, "filter": [f"id:in:{id_in(chunk)}", "access.data.read:eq:true"],
            "paging": "false"}, sdk="core/program/internal/ProgramCall.kt")))
    program_uids = set(d.programs)
    for chunk in chunks(program_uids, sdk.STAGE_CHUNK):
        d.stages.update(_by_id(replay.collection("programStages", "programStages", {
            "fields": fields.PROGRAM_STAGES, "filter": [f"program.id:in:{id_in(chunk)}", "access.data.read:eq:true"],
            "paging": "false"}, sdk="core/program/internal/ProgramStageCall.kt")))
    tets = {_ref(p.get("trackedEntityType")) for p in d.programs.values()} - {None}
    for chunk in chunks({t for t in tets if t}, sdk.TET_CHUNK):
        d.tracked_entity_types.update(_by_id(replay.collection("trackedEntityTypes", "trackedEntityTypes", {
            "fields": fields.TRACKED_ENTITY_TYPES, "filter": [f"id:in:{id_in(chunk)}", "access.data.read:eq:true"],
            "paging": "false"}, sdk="core/trackedentity/internal/TrackedEntityTypeCall.kt")))
    attribute_uids = {_ref(a.get("trackedEntityAttribute")) for p in d.programs.values()
                      for a in p.get("programTrackedEntityAttributes") or []}
    attribute_uids |= {_ref(a.get("trackedEntityAttribute")) for t in d.tracked_entity_types.values()
                       for a in t.get("trackedEntityTypeAttributes") or []}
    for chunk in chunks({a for a in attribute_uids if a}, sdk.TEA_CHUNK):
        d.attributes.update(_by_id(replay.collection("trackedEntityAttributes", "trackedEntityAttributes", {
            "fields": fields.TRACKED_ENTITY_ATTRIBUTES, "filter": f"id:in:{id_in(chunk)}", "paging": "false"},
            sdk="core/trackedentity/internal/TrackedEntityAttributeCall.kt")))
    for chunk in chunks(program_uids, sdk.RULE_CHUNK):
        d.rules.update(_by_id(replay.collection("programRules", "programRules", {
            "fields": fields.PROGRAM_RULES, "filter": f"program.id:in:{id_in(chunk)}", "paging": "false"},
            sdk="core/program/internal/ProgramRuleCall.kt")))
    d.relationship_types.update(_by_id(replay.collection("relationshipTypes", "relationshipTypes", {
        "fields": fields.RELATIONSHIP_TYPES, "filter": "access.data.read:eq:true", "paging": "false"},
        sdk="core/relationship/internal/RelationshipTypeCall.kt")))
    _options(replay, d)
    _lists_and_indicators(replay, d, program_uids)
    _categories(replay, d, account)
    return d


def _ref(value: Any) -> str | None:
    return str(value["id"]) if isinstance(value, dict) and value.get("id") else None


def stage_data_elements(stage: dict[str, Any]) -> list[dict[str, Any]]:
    return [psde["dataElement"] for psde in stage.get("programStageDataElements") or []
            if isinstance(psde, dict) and isinstance(psde.get("dataElement"), dict)]


def _options(replay: Replay, d: Download) -> None:
    sets = {_ref(a.get("optionSet")) for a in d.attributes.values()}
    sets |= {_ref(de.get("optionSet")) for s in d.stages.values() for de in stage_data_elements(s)}
    uids = {s for s in sets if s}
    for chunk in chunks(uids, sdk.OPTION_SET_CHUNK):
        d.option_sets.update(_by_id(replay.collection("optionSets", "optionSets", {
            "fields": fields.OPTION_SETS, "filter": f"id:in:{id_in(chunk)}", "paging": "false"},
            sdk="core/option/internal/OptionSetCall.kt")))
    for chunk in chunks(uids, sdk.OPTION_CHUNK):
        page = 1
        while True:
            items = replay.collection("options", "options", {
                "fields": fields.OPTIONS, "filter": f"optionSet.id:in:{id_in(chunk)}", "paging": "true",
                "page": page, "pageSize": sdk.OPTION_PAGE}, sdk="core/option/internal/OptionCall.kt")
            d.options.update(_by_id(items))
            if len(items) < sdk.OPTION_PAGE:
                break
            page += 1
    for chunk in chunks(uids, sdk.OPTION_SET_CHUNK):
        replay.collection("optionGroups", "optionGroups", {
            "fields": fields.OPTION_GROUPS, "filter": f"optionSet.id:in:{id_in(chunk)}", "paging": "false"},
            sdk="core/option/internal/OptionGroupCall.kt")


def _lists_and_indicators(replay: Replay, d: Download, program_uids: set[str]) -> None:
    for chunk in chunks(program_uids, sdk.PROGRAM_CHUNK):
        ids = id_in(chunk)
        replay.collection("trackedEntityInstanceFilters", "trackedEntityInstanceFilters", {
            "fields": fields.TE_FILTERS, "filter": [f"program.id:in:{ids}", "access.read:eq:true"], "paging": "false"},
            sdk="core/trackedentity/internal/TrackedEntityInstanceFilterCall.kt")
        replay.collection("eventFilters", "eventFilters", {
            "filter": [f"program:in:{ids}", "access.read:eq:true"], "fields": fields.EVENT_FILTERS, "paging": "false"},
            sdk="core/event/internal/EventFilterCall.kt")
        replay.collection("programStageWorkingLists", "programStageWorkingLists", {
            "fields": fields.WORKING_LISTS, "filter": [f"program.id:in:{ids}", "access.read:eq:true"],
            "paging": "false"}, sdk="core/programstageworkinglist/internal/ProgramStageWorkingListCall.kt")
        d.program_indicators.update(_by_id(replay.collection("programIndicators", "programIndicators", {
            "fields": fields.PROGRAM_INDICATORS, "filter": ["displayInForm:eq:true", f"program.id:in:{ids}"],
            "paging": "false"}, sdk="core/program/internal/ProgramIndicatorCall.kt")))


def _categories(replay: Replay, d: Download, account: Account) -> None:
    combos = {_ref(p.get("categoryCombo")) for p in d.programs.values()} | {account.default_combo}
    combos |= {_ref(p.get("enrollmentCategoryCombo")) for p in d.programs.values()}
    found: Objects = {}
    for chunk in chunks({c for c in combos if c}, sdk.OPTION_SET_CHUNK):
        found.update(_by_id(replay.collection("categoryCombos", "categoryCombos", {
            "fields": fields.CATEGORY_COMBOS, "filter": f"id:in:{id_in(chunk)}", "paging": "false"},
            sdk="core/category/internal/CategoryModuleDownloader.kt")))
    categories = {_ref(c) for combo in found.values() for c in combo.get("categories") or []}
    for chunk in chunks({c for c in categories if c}, sdk.CATEGORY_CHUNK):
        d.categories.update(_by_id(replay.collection("categories", "categories", {
            "fields": fields.CATEGORIES, "filter": f"id:in:{id_in(chunk)}", "paging": "false"},
            sdk="core/category/internal/CategoryCall.kt")))
    for chunk in chunks(set(d.categories), sdk.CATEGORY_OPTION_CHUNK):
        d.category_options.update(_by_id(replay.collection("categoryOptions", "categoryOptions", {
            "fields": fields.CATEGORY_OPTIONS, "filter": [f"categories.id:in:{id_in(chunk)}",
                                                          "access.data.read:eq:true"],
            "paging": "false"}, sdk="core/category/internal/CategoryOptionCall.kt")))
