"""What the SDK's own code does with the downloaded metadata: programs it never asks for or
deletes at commit, rule actions it drops, enum values it cannot parse, keys it requires, and
generated attributes it cannot reserve values for."""

from __future__ import annotations

from typing import Any

from scdi.connector.android import sdk
from scdi.connector.android.findings import Impact, SyncFinding, sync_finding
from scdi.connector.android.login import Account
from scdi.connector.android.metadata import Download, stage_data_elements

FK_CLEANER = "core/maintenance/internal/ForeignKeyCleanerImpl.kt"
RULE_ACTION_DB = "persistence/program/ProgramRuleActionDB.kt"


def _ref(value: Any) -> str | None:
    return str(value["id"]) if isinstance(value, dict) and value.get("id") else None


def check_programs(d: Download, readable: dict[str, str]) -> list[SyncFinding]:
    """`readable`: uid -> name of the programs the server says the user may data-read (`/api/me`
    programs). One not assigned to the user's org units may be left out on purpose: a note."""
    out: list[SyncFinding] = []
    for uid in sorted(set(readable) - d.linked_programs):
        out.append(sync_finding(
            Impact.NOTE, "sync.program-not-linked",
            "the user may read this program, but no org unit in their capture or search scope is assigned to it: "
            "the phone never asks for it", "core/program/internal/ProgramModuleDownloader.kt",
            {"id": uid, "name": readable[uid]}, "program"))
    for uid in sorted(d.linked_programs - set(d.programs)):
        out.append(sync_finding(
            Impact.DROPPED, "sync.program-no-data-read",
            "assigned to the user's org units, but not shared with the user for data read "
            "(filter=access.data.read:eq:true leaves it out)", "core/program/internal/ProgramCall.kt",
            {"id": uid}, "program"))
    for program in d.programs.values():
        tet = _ref(program.get("trackedEntityType"))
        if tet and tet not in d.tracked_entity_types:
            out.append(sync_finding(
                Impact.DROPPED, "sync.tet-not-readable",
                f"its tracked entity type [{tet}] is not shared with the user for data read: the SDK deletes the "
                "whole program at commit", FK_CLEANER, program, "program"))
        for stage in program.get("programStages") or []:
            if _ref(stage) and _ref(stage) not in d.stages:
                out.append(sync_finding(
                    Impact.DROPPED, "sync.stage-no-data-read",
                    f"its stage [{_ref(stage)}] is not shared with the user for data read: the phone has no such "
                    "form", "core/program/internal/ProgramStageCall.kt", program, "program"))
    return out


def check_rules(d: Download) -> list[SyncFinding]:
    """Rule actions whose references are not on the phone are deleted by the FK cleaner."""
    out: list[SyncFinding] = []
    for rule in d.rules.values():
        program = d.programs.get(_ref(rule.get("program")) or "")
        if program is None:
            continue
        stages = [s for s in d.stages.values() if _ref(s.get("program")) == program["id"]]
        elements = {str(de["id"]) for s in stages for de in stage_data_elements(s) if de.get("id")}
        tet = d.tracked_entity_types.get(_ref(program.get("trackedEntityType")) or "") or {}
        attributes = {_ref(a.get("trackedEntityAttribute"))
                      for a in program.get("programTrackedEntityAttributes") or []}
        attributes |= {_ref(a.get("trackedEntityAttribute")) for a in tet.get("trackedEntityTypeAttributes") or []}
        for action in rule.get("programRuleActions") or []:
            kind = action.get("programRuleActionType")
            de, tea, pi = _ref(action.get("dataElement")), _ref(action.get("trackedEntityAttribute")), \
                _ref(action.get("programIndicator"))
            if de and de not in elements:
                out.append(sync_finding(
                    Impact.DROPPED, "sync.rule-action-data-element",
                    f"a {kind} action names data element [{de}], which is in none of the program's stages: the SDK "
                    "drops the action", f"{FK_CLEANER}, {RULE_ACTION_DB}", rule, "programRule"))
            if tea and tea not in attributes:
                out.append(sync_finding(
                    Impact.DROPPED, "sync.rule-action-attribute",
                    f"a {kind} action names attribute [{tea}], which is neither a program nor a type attribute: the "
                    "SDK drops the action", f"{FK_CLEANER}, {RULE_ACTION_DB}", rule, "programRule"))
            if pi and pi not in d.program_indicators:
                out.append(sync_finding(
                    Impact.DROPPED, "sync.rule-action-indicator",
                    f"a {kind} action names program indicator [{pi}], which is not displayed in form (and no "
                    "analytics setting names it): the SDK does not download it and drops the action",
                    f"core/program/internal/ProgramIndicatorCall.kt, {RULE_ACTION_DB}", rule, "programRule"))
    return out


def check_enums(d: Download) -> list[SyncFinding]:
    """Enum values parsed with valueOf: one unknown value fails the metadata sync."""
    collections: dict[str, list[dict[str, Any]]] = {
        "programs": list(d.programs.values()),
        "programStages": list(d.stages.values()),
        "dataElements": [de for s in d.stages.values() for de in stage_data_elements(s)],
        "trackedEntityTypes": list(d.tracked_entity_types.values()),
        "trackedEntityAttributes": list(d.attributes.values()),
        "optionSets": list(d.option_sets.values()),
        "programRuleActions": [a for r in d.rules.values() for a in r.get("programRuleActions") or []
                               if isinstance(a, dict)],
    }
    out: list[SyncFinding] = []
    for (collection, prop), (allowed, dto) in sdk.ENUMS.items():
        for obj in collections[collection]:
            value = obj.get(prop)
            values = value if isinstance(value, list) else [value] if value is not None else []
            for item in values:
                if str(item) not in allowed:
                    out.append(sync_finding(
                        Impact.FATAL, "sync.enum",
                        f"{prop} {item!r} is not a value the SDK knows: parsing fails and the metadata sync stops",
                        dto, obj, collection.rstrip("s")))
    return out


def check_required_keys(d: Download) -> list[SyncFinding]:
    out: list[SyncFinding] = []
    for tet in d.tracked_entity_types.values():
        for item in tet.get("trackedEntityTypeAttributes") or []:
            missing = [k for k in ("displayInList", "searchable") if not isinstance(item.get(k), bool)]
            if missing:
                out.append(sync_finding(
                    Impact.FATAL, "sync.missing-key",
                    f"a type attribute has no boolean {' or '.join(missing)}, which the SDK requires",
                    "network/trackedentitytype/TrackedEntityTypeAttributeDTO.kt", tet, "trackedEntityType"))
    return out


def check_generated(d: Download, account: Account) -> list[SyncFinding]:
    """A generated attribute with ORG_UNIT_CODE in its pattern reserves values per org unit code:
    a capture org unit without a code gets none (`NO_RESERVED_VALUES` when registering)."""
    out: list[SyncFinding] = []
    capture = {u["id"] for u in account.capture}
    units = [u for u in d.org_units.values()
             if capture & set(str(u.get("path", "")).strip("/").split("/"))]
    for attribute in d.attributes.values():
        if not attribute.get("generated") or "ORG_UNIT_CODE" not in str(attribute.get("pattern") or ""):
            continue
        programs = {p["id"] for p in d.programs.values()
                    if attribute["id"] in {_ref(a.get("trackedEntityAttribute"))
                                           for a in p.get("programTrackedEntityAttributes") or []}}
        for unit in units:
            carries = {_ref(p) for p in unit.get("programs") or []} & programs
            if carries and not unit.get("code"):
                out.append(sync_finding(
                    Impact.DEGRADED, "sync.org-unit-code",
                    f"org unit {unit.get('name')!r} [{unit['id']}] has no code, and generated attribute's pattern "
                    "needs ORG_UNIT_CODE: no values are reserved there and registering fails with NO_RESERVED_VALUES",
                    "core/trackedentity/TrackedEntityAttributeReservedValueManager.kt", attribute,
                    "trackedEntityAttribute"))
    return out


def prune(d: Download) -> None:
    """What the FK cleaner deletes at commit: programs whose tracked entity type did not come
    down, with their stages and rules."""
    gone = {uid for uid, p in d.programs.items()
            if _ref(p.get("trackedEntityType")) and _ref(p.get("trackedEntityType")) not in d.tracked_entity_types}
    for uid in gone:
        del d.programs[uid]
    d.stages = {k: s for k, s in d.stages.items() if _ref(s.get("program")) not in gone}
    d.rules = {k: r for k, r in d.rules.items() if _ref(r.get("program")) not in gone}


def check_all(d: Download, account: Account, readable: dict[str, str]) -> list[SyncFinding]:
    """Every check, in the SDK's order: the program gate first (then `prune`), the rest on what stays."""
    first = check_programs(d, readable)
    prune(d)
    return [*first, *check_rules(d), *check_enums(d), *check_required_keys(d), *check_generated(d, account)]
