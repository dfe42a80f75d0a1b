"""Object-bundle hook validation (`ValidationHooksCheck`) for the types scdi-groups ships.

dhis2-core 2.41.9 / 2.42.5 / 2.43.1 (identical for these checks),
`dhis-services/dhis-service-dxf2/.../dxf2/metadata/objectbundle/hooks/`:
- `RelationshipTypeObjectBundleHook#validateRelationshipConstraint`: E4000, E4023, E4024 and
  E4314. The tracker-data-view attributes are looked up through `TrackedEntityTypeService` and
  `ProgramService`, i.e. in the DATABASE, not in the bundle: on a server that does not have the
  tracked entity type / program yet, every listed attribute fails with E4314.
- `ProgramRuleVariableObjectBundleHook#validate`: E4051 (name taken in the program, database
  query), E4052 (`and`/`or`/`not` as a word, `dxf2/Constants.java`), E4090, E4059, E4091, E4089,
  E4092 (source type and the reference it needs).
- `TrackedEntityAttributeObjectBundleHook#validate`: E4010 (generated needs TEXT), E4019
  (pattern does not parse), E4021 (exactly one generated segment).
- `ProgramRuleObjectBundleHook#validate`: E4057 (a stored rule of the program has the name);
- `ProgramStageObjectBundleHook#validate`: E6001 (next schedule date), E4053 (no program);
- `CategoryOptionComboObjectBundleHook#checkNonStandardDefaultCatOptionCombo` (2.42.5 and
  2.43.1; no such hook at 2.41.9, `category_option_combo_hook`): E1133 without a category
  combo, E1122 for an option combo of the default category combo other than the default one
  (args: the option combo's name; error klass none).
`ServiceConfig#validatorsByImportStrategy` runs `ValidationHooksCheck` right after
`DuplicateIdsCheck`; an object with a hook error is removed from the bundle.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from scdi.sandbox.core import textpattern
from scdi.sandbox.core.store import Store
from scdi.sandbox.metadata.defaults import DEFAULT_CATEGORY_COMBO, DEFAULT_CATEGORY_OPTION_COMBO
from scdi.upstream.releases import RELEASES

MESSAGES = {
    "E1122": "Category option combo {0} cannot be associated with the default category combo",
    "E1133": "CategoryCombo must be provided for Category option combo {0}",
    "E4010": "Attribute `{0}` is not supported for type `{1}`",
    "E4019": "Failed to parse pattern `{0}` {1}",
    "E4021": "ID-pattern is required to have 1 generated segment (RANDOM or SEQUENTIAL)",
    "E4023": "Property `{0}` can not be set when property `{1}` is `{2}`",
    "E4024": "Property `{0}` must be set when property `{1}` is `{2}`",
    "E4051": "A program rule variable with name `{0}` and program uid `{1}` already exists",
    "E4052": "For program rule variable with name `{0}` following keywords are forbidden : "
             "and , or , not",
    "E4059": "ProgramRuleVariable `{0}` with source type `{1}` requires a data element",
    "E4089": "ProgramRuleVariable `{0}` with source type `{1}` requires a tracked entity "
             "attribute",
    "E4090": "ProgramRuleVariable `{0}` is missing a source type",
    "E4091": "ProgramRuleVariable `{0}` with source type `{1}` requires a program stage",
    "E4092": "ProgramRuleVariable `{0}` with source type `{1}` requires a value type",
    "E4314": "Provided `{0}`: (`{1}`) are not part of the selected `{2}`",
    "E4053": "Program stage `{0}` must reference a program",
    "E4057": "The Program Rule name {0} already exist in Program {1}",
    "E6001": "Program stage `{0}` has invalid next event scheduling property `{1}`"
             "This property need to be data element of value type date and belong the program "
             "stage",
}

# (error code, message args, the report's main class; "" for the object's own)
Finding = tuple[str, list[Any], str]

_CONSTRAINT = "org.hisp.dhis.relationship.RelationshipConstraint"
_PRV = "org.hisp.dhis.program.ProgramRuleVariable"
_TEA = "org.hisp.dhis.trackedentity.TrackedEntityAttribute"
_RELATIONSHIP_TYPE = "org.hisp.dhis.relationship.RelationshipType"
_KEYWORDS = {"and", "or", "not"}
# ProgramRuleVariableSourceType#getDataTypes / #getAttributeTypes
_DATA_SOURCES = {"DATAELEMENT_NEWEST_EVENT_PROGRAM_STAGE", "DATAELEMENT_NEWEST_EVENT_PROGRAM",
                 "DATAELEMENT_CURRENT_EVENT", "DATAELEMENT_PREVIOUS_EVENT"}


class HookContext(Protocol):
    store: Store
    minor: str
    payload: dict[str, dict[str, dict[str, Any]]]

    def resolve(self, plural: str, ref: dict[str, Any]) -> dict[str, Any] | None: ...


def _ref_id(value: Any) -> str | None:
    return value.get("id") if isinstance(value, dict) else None


def _stored_attribute_ids(store: Store, plural: str, uid: str | None, key: str) -> set[str]:
    """Attributes of a STORED tracked entity type or program (the hook reads the database)."""
    doc = store.get_object(plural, uid) if uid else None
    if doc is None:
        return set()
    return {ref for entry in doc.get(key) or []
            if (ref := _ref_id(entry.get("trackedEntityAttribute")))}


def _constraint(ctx: HookContext, constraint: dict[str, Any]) -> list[Finding]:
    out: list[Finding] = []
    entity = constraint.get("relationshipEntity")
    view = constraint.get("trackerDataView") or {}
    attributes = [a for a in view.get("attributes") or [] if a]
    data_elements = view.get("dataElements") or []
    tet, program = _ref_id(constraint.get("trackedEntityType")), _ref_id(constraint.get("program"))
    if entity == "TRACKED_ENTITY_INSTANCE":
        if constraint.get("programStage"):
            out.append(("E4023", ["programStage", "relationshipEntity", entity], _CONSTRAINT))
        if not tet:
            out.append(("E4024", ["trackedEntityType", "relationshipEntity", entity], _CONSTRAINT))
            return out
        known = _stored_attribute_ids(ctx.store, "trackedEntityTypes", tet,
                                      "trackedEntityTypeAttributes")
        known |= _stored_attribute_ids(ctx.store, "programs", program,
                                       "programTrackedEntityAttributes")
        missing = [a for a in attributes if a not in known]
        if missing:
            out.append(("E4314", ["TrackedEntityAttributes", ",".join(missing),
                                  "TrackedEntityType/Program"], _CONSTRAINT))
        if data_elements:
            out.append(("E4023", ["dataElement", "relationshipEntity", "TrackedEntityType"],
                        _CONSTRAINT))
    elif entity == "PROGRAM_INSTANCE":
        for prop in ("trackedEntityType", "programStage"):
            if constraint.get(prop):
                out.append(("E4023", [prop, "relationshipEntity", entity], _CONSTRAINT))
        if not program:
            out.append(("E4024", ["program", "relationshipEntity", entity], _CONSTRAINT))
        else:
            known = _stored_attribute_ids(ctx.store, "programs", program,
                                          "programTrackedEntityAttributes")
            missing = [a for a in attributes if a not in known]
            if missing:
                out.append(("E4314", ["TrackedEntityAttributes", ",".join(missing), "program"],
                            _CONSTRAINT))
        if data_elements:
            out.append(("E4023", ["dataElement", "relationshipEntity", entity], _CONSTRAINT))
    return out


def relationship_type(ctx: HookContext, obj: dict[str, Any]) -> list[Finding]:
    out: list[Finding] = []
    for key, label in (("fromConstraint", "leftConstraint"), ("toConstraint", "rightConstraint")):
        constraint = obj.get(key)
        if not isinstance(constraint, dict):
            out.append(("E4000", [label], _RELATIONSHIP_TYPE))
        else:
            out.extend(_constraint(ctx, constraint))
    return out


def program_rule_variable(ctx: HookContext, obj: dict[str, Any]) -> list[Finding]:
    out: list[Finding] = []
    name = str(obj.get("name") or "")
    program = _ref_id(obj.get("program"))
    for other in ctx.store.list_objects("programRuleVariables"):
        if other.get("id") != obj.get("id") and other.get("name") == name and \
                _ref_id(other.get("program")) == program:
            out.append(("E4051", [name, program], _PRV))
            break
    if any(word in _KEYWORDS for word in name.split()):
        out.append(("E4052", [name], _PRV))
    source = obj.get("programRuleVariableSourceType")
    if not source:
        return [*out, ("E4090", [name], _PRV)]
    if source in _DATA_SOURCES and not obj.get("dataElement"):
        out.append(("E4059", [name, source], _PRV))
    if source == "DATAELEMENT_NEWEST_EVENT_PROGRAM_STAGE" and not obj.get("programStage"):
        out.append(("E4091", [name, source], _PRV))
    if source == "TEI_ATTRIBUTE" and not obj.get("trackedEntityAttribute"):
        out.append(("E4089", [name, source], _PRV))
    if source == "CALCULATED_VALUE" and not obj.get("valueType"):
        out.append(("E4092", [name, source], _PRV))
    return out


def tracked_entity_attribute(ctx: HookContext, obj: dict[str, Any]) -> list[Finding]:
    if not obj.get("generated"):
        return []
    out: list[Finding] = []
    value_type = obj.get("valueType")
    if value_type != "TEXT":
        out.append(("E4010", ["generated", value_type], _TEA))
    pattern = obj.get("pattern") or ""
    try:
        segments = textpattern.parse(pattern)
    except textpattern.PatternError as exc:
        return [*out, ("E4019", [pattern, str(exc)], _TEA)]
    if sum(1 for method, _, _ in segments if method in ("RANDOM", "SEQUENTIAL")) != 1:
        out.append(("E4021", [], _TEA))
    return out


def category_option_combo(ctx: HookContext, obj: dict[str, Any]) -> list[Finding]:
    if not RELEASES[ctx.minor].category_option_combo_hook:
        return []
    combo = _ref_id(obj.get("categoryCombo"))
    if combo is None:
        return [("E1133", [obj.get("name")], "")]
    if combo == DEFAULT_CATEGORY_COMBO and obj.get("id") != DEFAULT_CATEGORY_OPTION_COMBO:
        return [("E1122", [obj.get("name")], "")]
    return []


def program_rule(ctx: HookContext, obj: dict[str, Any]) -> list[Finding]:
    """`ProgramRuleObjectBundleHook#validate`: another STORED rule of the program with the same
    name, both compared without case (E4057, the program's name from the preheat)."""
    ref = obj.get("program")
    if not isinstance(ref, dict):
        return []
    program = ctx.resolve("programs", ref) or {}
    uid, name = str(obj.get("id") or ""), str(obj.get("name") or "")
    for rule in ctx.store.list_objects("programRules"):
        if _ref_id(rule.get("program")) == program.get("id", ref.get("id")) and \
                str(rule.get("id")).lower() != uid.lower() and \
                str(rule.get("name") or "").lower() == name.lower():
            return [("E4057", [name, program.get("name")], "")]
    return []


def program_stage(ctx: HookContext, obj: dict[str, Any]) -> list[Finding]:
    """`ProgramStageObjectBundleHook#validate`: E6001 (the next schedule date must be a DATE data
    element of the stage), E4053 (no program and no program of the bundle lists the stage)."""
    out: list[Finding] = []
    uid = obj.get("id")
    next_date = _ref_id(obj.get("nextScheduleDate"))
    if next_date:
        element = ctx.resolve("dataElements", {"id": next_date})
        in_stage = any(_ref_id(psde.get("dataElement")) == next_date
                       for psde in obj.get("programStageDataElements") or [])
        if not in_stage or element is None or element.get("valueType") != "DATE":
            out.append(("E6001", [uid, next_date], ""))
    if obj.get("program") is None and not any(
            _ref_id(stage) == uid for program in ctx.payload.get("programs", {}).values()
            for stage in program.get("programStages") or []):
        out.append(("E4053", [uid], ""))
    return out


HOOKS: dict[str, Callable[[HookContext, dict[str, Any]], list[Finding]]] = {
    "relationshipType": relationship_type,
    "programRuleVariable": program_rule_variable,
    "trackedEntityAttribute": tracked_entity_attribute,
    "categoryOptionCombo": category_option_combo,
    "programRule": program_rule,
    "programStage": program_stage,
}


def validate(ctx: HookContext, singular: str, obj: dict[str, Any]) -> list[Finding]:
    hook = HOOKS.get(singular)
    return hook(ctx, obj) if hook else []
