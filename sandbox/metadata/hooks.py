"""Object-bundle hook validation (`ValidationHooksCheck`) for the types scdi-groups ships.

dhis2-core 2.41.9 / 2.42.5 / 2.43.1 (identical unless a function says otherwise),
`dhis-services/dhis-service-dxf2/.../dxf2/metadata/objectbundle/hooks/`:
- `RelationshipTypeObjectBundleHook#validateRelationshipConstraint`: E4000, E4023, E4024 and
  E4314. The tracker-data-view attributes are looked up through `TrackedEntityTypeService` and
  `ProgramService`, i.e. in the DATABASE, not in the bundle: on a server that does not have the
  tracked entity type / program yet, every listed attribute fails with E4314.
- `ProgramRuleVariableObjectBundleHook#validate`: E4051 (name taken in the program, database
  query), E4052 (`and`/`or`/`not` as a word, `dxf2/Constants.java`), E4090, E4059, E4091, E4089,
  E4092 (source type and the reference it needs).
- `TrackedEntityAttributeObjectBundleHook#validate`: E4010 (generated needs TEXT), E4019
  (pattern does not parse), E4021 (exactly one generated segment), E4022 (pattern against the
  value type), E4019 (field mask not a text segment).
- `ProgramRuleObjectBundleHook#validate`: E4057 (a stored rule of the program has the name);
- `ProgramStageObjectBundleHook#validate`: E6001 (next schedule date), E4053 (no program);
- `CategoryOptionComboObjectBundleHook` (2.42.5 and 2.43.1): `option_combo_hook.py`.
- `ProgramRuleActionObjectBundleHook` (`rule_actions.py`), `OptionObjectBundleHook`,
  `TrackedEntityTypeObjectBundleHook`, `OrganisationUnitObjectBundleHook`,
  `ProgramObjectBundleHook`, `CategoryComboObjectBundleHook`, `CategoryObjectBundleHook`,
  `DataElementObjectBundleHook`, `DataSetObjectBundleHook`, `UserObjectBundleHook`: each
  function below says what it copies and where releases differ.
`ServiceConfig#validatorsByImportStrategy` runs `ValidationHooksCheck` right after
`DuplicateIdsCheck`; an object with a hook error is removed from the bundle once the whole chain
has run (`ValidationFactory#removeFromBundle`), so the later checks still report on it. Hooks
read the preheat (`preheat.py`): a stored object as stored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from scdi.sandbox.access import acl
from scdi.sandbox.core import java_double, java_hash, textpattern, webmessage
from scdi.sandbox.core.java_case import equals_ignore_case
from scdi.sandbox.core.java_split import java_split
from scdi.sandbox.core.programs import is_without_registration, program_type
from scdi.sandbox.core.store import Store
from scdi.sandbox.metadata import (
    legacy_credentials,
    option_combo_hook,
    preheat,
    reference_hash,
    registry,
    rule_actions,
    search_operators,
)
from scdi.sandbox.metadata.preheat import (
    Finding,
    HookContext,
    identifiers_with_name,
    user_identifiers,
)
from scdi.upstream.releases import RELEASES

MESSAGES = {
    "E1121": "Data element `{0}` value type cannot be changed as it has associated data values",
    "E4027": "Value `{0}` is not a valid for property `{1}`",
    "E4049": "Property `{0}` requires a valid username, was given `{1}`",
    "E4054": "Property `{0}` already exists, was given `{1}`.",
    "E4055": "User needs to have at least one user role associated with it",
    "E4056": "Property `{0}` can not be changed, was given `{1}`.",
    "E1120": "Update cannot be applied as it would make existing data values inaccessible",
    "E1126": "Category combo {0} cannot combine more than {1} categories, but had: {2}",
    "E1127": "Category {0} cannot have more than {1} options, but had: {2} ",
    "E1128": "Category combo {0} cannot have more than {1} combinations, but requires: {2}",
    "E1118": "Option set `{0}` of value type multi-text cannot have option codes with the "
             "separator character: `{1}`",
    "E1520": "User `{0}` is not allowed to move organisation units",
    "E1521": "User `{0}` is not allowed to move organisation `{1}`",
    "E1522": "User `{0}` is not allowed to move organisation `{1}` unit from parent `{2}`",
    "E1523": "User `{0}` is not allowed to move organisation `{1}` unit to parent `{2}`",
    "E3012": "User `{0}` does not have read access for object `{1}`",
    "E4013": "Invalid closing date `{0}`, must be after opening date `{1}`",
    "E4028": "Option set `{0}` already contains option `{1}`",
    "E4075": "Program `{0}` has an invalid category mapping `{1}`",
    "E4076": "Program `{0}` has duplicate category mapping `{1}`",
    "E4077": "Program `{0}` category `{1}` has duplicate category mapping name `{2}`",
    "E4079": "Program `{0}` category mapping `{1}` has multiple option mappings for Category "
             "Option `{2}`",
    "E4080": "Program `{0}` category mapping `{1}` has an invalid option mapping `{1}`",
    "E6022": "Object cannot reference itself by property `{0}`",
    "E4010": "Attribute `{0}` is not supported for type `{1}`",
    "E4019": "Failed to parse pattern `{0}` {1}",
    "E4021": "ID-pattern is required to have 1 generated segment (RANDOM or SEQUENTIAL)",
    "E4022": "Pattern `{0}` does not conform to the value type `{1}`",
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
MESSAGES.update(rule_actions.MESSAGES)
MESSAGES.update(option_combo_hook.MESSAGES)
MESSAGES.update(search_operators.MESSAGES)

_CONSTRAINT = "org.hisp.dhis.relationship.RelationshipConstraint"
_PRV = "org.hisp.dhis.programrule.ProgramRuleVariable"
_TEA = "org.hisp.dhis.trackedentity.TrackedEntityAttribute"
_DE = "org.hisp.dhis.dataelement.DataElement"
_RELATIONSHIP_TYPE = "org.hisp.dhis.relationship.RelationshipType"
_KEYWORDS = {"and", "or", "not"}
_JAVA_SPACE = re.compile(r"[ \t\n\x0b\f\r]")  # java.util.regex `\s` without UNICODE_CHARACTER_CLASS
# ProgramRuleVariableSourceType#getDataTypes / #getAttributeTypes
_DATA_SOURCES = {"DATAELEMENT_NEWEST_EVENT_PROGRAM_STAGE", "DATAELEMENT_NEWEST_EVENT_PROGRAM",
                 "DATAELEMENT_CURRENT_EVENT", "DATAELEMENT_PREVIOUS_EVENT"}


_ref_id = preheat.ref_id


def _stored_attribute_ids(store: Store, plural: str, uid: str | None, key: str) -> set[str]:
    """Attributes of a STORED tracked entity type or program (the hook reads the database)."""
    doc = store.get_object(plural, uid) if uid else None
    if doc is None:
        return set()
    return {ref for entry in doc.get(key) or []
            if (ref := _ref_id(entry.get("trackedEntityAttribute")))}


def _data_view_attributes(view: dict[str, Any]) -> list[str | None]:
    """`TrackerDataView#attributes`, a LinkedHashSet<String> the mapper fills: `""` is null
    (EmptyStringToNullStdDeserializer reads the elements too), a repeat is dropped, the rest
    keep their order."""
    kept: dict[str | None, None] = {}
    for value in view.get("attributes") or []:
        kept.setdefault(None if value in ("", None) else str(value), None)
    return list(kept)


def _joined(uids: list[str | None]) -> str:
    """`String.join(",", …)`: a null element is "null"."""
    return ",".join("null" if uid is None else uid for uid in uids)


def _constraint(ctx: HookContext, constraint: dict[str, Any]) -> list[Finding]:
    out: list[Finding] = []
    entity = constraint.get("relationshipEntity")
    view = constraint.get("trackerDataView") or {}
    attributes = _data_view_attributes(view)
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
            out.append(("E4314", ["TrackedEntityAttributes", _joined(missing),
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
                out.append(("E4314", ["TrackedEntityAttributes", _joined(missing), "program"],
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
    """`ProgramRuleVariableObjectBundleHook#validate` (2.41.9 = 2.42.5 = 2.43.1), which the
    hooks check runs on every object, before the schema check: the E4051 query reads
    `getProgram().getUid()` and the keyword check `getName().split`, so a variable without
    program, or without name (`""` is read as none, EmptyStringToNullStdDeserializer), ends the
    import in a NullPointerException (`_failure`)."""
    out: list[Finding] = []
    if not isinstance(obj.get("program"), dict):
        raise _failure(ctx, 'Cannot invoke "org.hisp.dhis.program.Program.getUid()" because the '
                            'return value of "org.hisp.dhis.programrule.ProgramRuleVariable.'
                            'getProgram()" is null')
    name = obj.get("name")
    program = _ref_id(obj.get("program"))
    for other in ctx.store.list_objects("programRuleVariables"):
        if other.get("id") != obj.get("id") and other.get("name") == name and \
                _ref_id(other.get("program")) == program:
            out.append(("E4051", [name, program], _PRV))
            break
    if not isinstance(name, str) or name == "":
        raise _failure(ctx, 'Cannot invoke "String.split(String)" because the return value of '
                            '"org.hisp.dhis.programrule.ProgramRuleVariable.getName()" is null')
    # `getName().split("\\s")`: Java's `\s` is the ASCII whitespace alone, so a name joined by
    # a no-break or em space is one word (2.41.9 :155, 2.42.5 and 2.43.1 :157)
    if any(word in _KEYWORDS for word in java_split(_JAVA_SPACE, name)):
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
    # Jackson builds the variable with its no-arg constructor, whose field starts as
    # `ValueType.TEXT` (ProgramRuleVariable.java 2.41.9 :100, 2.42.5 :102, 2.43.1 :103): only a
    # `valueType` sent as null leaves none (2.41.9 :201-209, 2.42.5 and 2.43.1 :203-211)
    if source == "CALCULATED_VALUE" and "valueType" in obj and not obj["valueType"]:
        out.append(("E4092", [name, source], _PRV))
    return out


def _failure(ctx: HookContext, message: str) -> webmessage.UncaughtException:
    """An exception of a hook's `validate`: the import answers 500 with its message, or with
    what the release says instead (`Release.metadata_validation_failure_message`)."""
    return webmessage.UncaughtException(ctx.release.metadata_validation_failure_message or message)


def tracked_entity_attribute(ctx: HookContext, obj: dict[str, Any]) -> list[Finding]:
    """`TrackedEntityAttributeObjectBundleHook#validate` (2.41.9 :50-72, 2.42.5 :52-74,
    2.43.1 :70-91, then to :127 E4088) with `#textPatternValid` (2.41.9 :97-123, 2.42.5 :99-125, 2.43.1 :152-178),
    in its order: E4010, then for a generated attribute E4021 and E4022 or the pattern's E4019,
    then, generated or not, E4019 for a field mask that is not a text segment (with a final
    period, unlike DataElementObjectBundleHook's), then on 2.43.1 the search operators'
    E4088/E4081/E4082 (`search_operators.py`). The hook runs before the schema check
    (`ServiceConfig#validatorsByImportStrategy`), so a generated attribute without `valueType`
    meets `attr.getValueType().equals(ValueType.TEXT)` (2.41.9 :52, 2.42.5 :54, 2.43.1 :72)
    with a null, and on 2.43.1 a `blockedSearchOperators` sent as null (Jackson's setter
    replaces the field's `EnumSet.noneOf`, TrackedEntityAttribute.java :116, :421-423) meets
    `CollectionUtils#intersection` (:94), whose `new HashSet<>(c2)` asks it for its size: both
    NullPointerExceptions (`_failure`). A `generated` sent as null is no failure:
    `TrackedEntityAttribute#isGenerated` reads it as false (2.41.9 :279-281, 2.42.5 :281-283,
    2.43.1 :305-307)."""
    out: list[Finding] = []
    value_type = obj.get("valueType")
    if obj.get("generated"):
        if value_type is None:
            raise _failure(ctx, 'Cannot invoke "org.hisp.dhis.common.ValueType.equals(Object)" '
                                'because the return value of "org.hisp.dhis.trackedentity.'
                                'TrackedEntityAttribute.getValueType()" is null')
        if value_type != "TEXT":
            out.append(("E4010", ["generated", value_type], _TEA))
        pattern = obj.get("pattern")
        if not pattern:
            # no pattern (`""` read as none): `TextPatternParser#parse(null)` refuses it, and
            # E4019 names the null pattern: args `String#valueOf`, errorProperties null
            reason = "Could not parse expression: Supplied expression was null or empty."
            out.append(("E4019", ["null", reason], _TEA, {"properties": [None, reason]}))
        else:
            out.extend(_generated_pattern(str(pattern), value_type))
    out.extend(_field_mask(obj, "Not a valid TextPattern 'TEXT' segment.", _TEA))
    if RELEASES[ctx.minor].attribute_search_operators:
        if "blockedSearchOperators" in obj and obj["blockedSearchOperators"] is None:
            raise _failure(ctx, 'Cannot invoke "java.util.Collection.size()" because "c" is null')
        out.extend(search_operators.findings(obj))
    return out


def _field_mask(obj: dict[str, Any], message: str, klass: str) -> list[Finding]:
    """E4019 for a `fieldMask` that `TextPatternParser#parse` refuses as a quoted text segment;
    the data element and tracked entity attribute hooks word it apart (a final period)."""
    mask = obj.get("fieldMask")
    if mask is None:
        return []
    try:
        textpattern.parse(f'"{mask}"')
    except textpattern.PatternError:
        return [("E4019", [mask, message], klass)]
    return []


def _generated_pattern(pattern: str, value_type: object) -> list[Finding]:
    """`#textPatternValid`: the pattern parsed (E4019 with the parser's message), one generated
    segment (E4021), and the pattern fit for the value type (E4022, args the pattern and the
    value type's name)."""
    try:
        segments = textpattern.parse(pattern)
    except textpattern.PatternError as exc:
        return [("E4019", [pattern, str(exc)], _TEA)]
    out: list[Finding] = []
    if sum(1 for method, _, _ in segments if method in ("RANDOM", "SEQUENTIAL")) != 1:
        out.append(("E4021", [], _TEA))
    if not textpattern.fits_value_type(segments, value_type):
        out.append(("E4022", [pattern, value_type], _TEA))
    return out


def program_rule(ctx: HookContext, obj: dict[str, Any]) -> list[Finding]:
    """`ProgramRuleObjectBundleHook#validate`: another STORED rule of the program with the same
    name, uid and name compared by `String#equalsIgnoreCase` (`core/java_case.py`: simple case
    mappings, so a Greek final sigma is a sigma), E4057 with the program's name from the
    preheat."""
    ref = obj.get("program")
    if not isinstance(ref, dict):
        return []
    program = ctx.resolve("programs", ref) or {}
    uid, name = str(obj.get("id") or ""), str(obj.get("name") or "")
    for rule in ctx.store.list_objects("programRules"):
        if _ref_id(rule.get("program")) == program.get("id", ref.get("id")) and \
                not equals_ignore_case(str(rule.get("id")), uid) and \
                equals_ignore_case(str(rule.get("name") or ""), name):
            return [("E4057", [name, program.get("name")], "")]
    return []


def program_stage(ctx: HookContext, obj: dict[str, Any]) -> list[Finding]:
    """`ProgramStageObjectBundleHook#validate`: E6001 (the next schedule date must be a DATE data
    element of the stage), E3012 on `DataElement` for each data element of the stage the preheat
    lacks or the user may not read (`#validateProgramStageDataElementsAcl`: `AclService#canRead`
    of the payload's own reference, whose sharing has no public access, so only the type's READ
    authority counts; walked in `ProgramStage#getDataElements`' HashSet order; 2.41.9
    :135-158, 2.42.5 and 2.43.1 :137-160), E4053 (no program and no program of the bundle lists
    the stage)."""
    out: list[Finding] = []
    uid = obj.get("id")
    next_date = _ref_id(obj.get("nextScheduleDate"))
    stage_elements: list[dict[str, Any]] = [
        psde["dataElement"] for psde in obj.get("programStageDataElements") or []
        if isinstance(psde, dict) and isinstance(psde.get("dataElement"), dict)]
    if next_date:
        element = ctx.resolve("dataElements", {"id": next_date})
        in_stage = any(_ref_id(ref) == next_date for ref in stage_elements)
        if not in_stage or element is None or element.get("valueType") != "DATE":
            out.append(("E6001", [uid, next_date], ""))
    de_info = registry.by_plural("dataElements", ctx.minor)
    readable = acl.can_read_type(ctx.user, "dataElements", ctx.minor)
    shape = reference_hash.shape(de_info.klass, de_info.hash_code_owner) if de_info else None
    if shape is not None:
        # ProgramStage#getDataElements collects the stage's data elements into a HashSet
        # (`Collectors.toSet`): a repeated one is one E3012, in the set's bucket order of the
        # references' hashCode (`reference_hash.py`)
        stage_elements = java_hash.hash_set_order(
            stage_elements, hash_code=lambda ref: reference_hash.hash_code(ref, shape),
            key=lambda ref: reference_hash.identity(ref, shape))
    for ref in stage_elements:
        if preheat.get(ctx, "dataElements", ref) is None or not readable:
            out.append(("E3012", [user_identifiers(ctx.store, ctx.user),
                                  identifiers_with_name(ref, de_info, ctx.identifier)], _DE))
    if obj.get("program") is None and not any(
            _ref_id(stage) == uid for program in ctx.payload.get("programs", {}).values()
            for stage in program.get("programStages") or []):
        out.append(("E4053", [uid], ""))
    return out


_OPTION_SET = "org.hisp.dhis.option.OptionSet"
_PROGRAM = "org.hisp.dhis.program.Program"
_ORG_UNIT = "org.hisp.dhis.organisationunit.OrganisationUnit"


def option(ctx: HookContext, obj: dict[str, Any]) -> list[Finding]:
    """`OptionObjectBundleHook#validate`: E4028 for each other option of the set with the same
    name or code (compared with case; options without a name or a code are skipped), E1118 for
    a comma in the code of an option of a MULTI_TEXT set (`DefaultOptionService#validateOption`;
    2.43.1 throws it as a ConflictException, same code and args). The set is the preheat's: a
    stored set lists its stored options, a new one the payload's references, which are shallow
    unless the payload spells the options out. An option without code (`""` is read as none) in
    a MULTI_TEXT set is a NullPointerException of `option.getCode().contains(",")` (2.41.9
    :111-118, 2.42.5 :113-120, 2.43.1 :109-115) that ends the import (`_failure`)."""
    ref = obj.get("optionSet")
    if not isinstance(ref, dict):
        return []
    option_set = preheat.get(ctx, "optionSets", ref)
    if option_set is None:
        return []
    out: list[Finding] = []
    stored = ctx.store.get_object("optionSets", str(option_set.get("id"))) is not None
    for entry in option_set.get("options") or []:
        other = (ctx.store.get_object("options", str(_ref_id(entry))) if stored else entry) or {}
        if other.get("name") is None or other.get("code") is None or \
                (other.get("id") is not None and obj.get("id") is not None
                 and other.get("id") == obj.get("id")):
            continue
        if other["name"] == obj.get("name") or other["code"] == obj.get("code"):
            out.append(("E4028", [option_set.get("id"), other.get("id")], _OPTION_SET))
    code = obj.get("code")
    if option_set.get("valueType") == "MULTI_TEXT" and code in (None, ""):
        raise _failure(ctx, 'Cannot invoke "String.contains(java.lang.CharSequence)" because the '
                            'return value of "org.hisp.dhis.option.Option.getCode()" is null')
    if option_set.get("valueType") == "MULTI_TEXT" and isinstance(code, str) and "," in code:
        out.append(("E1118", [option_set.get("id"), code], _OPTION_SET))
    return out


def tracked_entity_type(ctx: HookContext, obj: dict[str, Any]) -> list[Finding]:
    """`TrackedEntityTypeObjectBundleHook#validate`: an attribute of the type missing from the
    preheat is E5001 on `TrackedEntityAttribute` with its mainId and errorProperty `id` (the
    references check adds its E5002 of the embedded object to the same object report)."""
    out: list[Finding] = []
    tea_info = registry.by_plural("trackedEntityAttributes", ctx.minor)
    for entry in obj.get("trackedEntityTypeAttributes") or []:
        ref = entry.get("trackedEntityAttribute") if isinstance(entry, dict) else None
        if not isinstance(ref, dict) or preheat.get(ctx, "trackedEntityAttributes", ref):
            continue
        out.append(("E5001", [ctx.identifier, identifiers_with_name(ref, tea_info, ctx.identifier)],
                    _TEA, {"main_id": ref.get("id"), "error_property": "id"}))
    return out


def _java_date(value: Any) -> datetime | None:
    """A date as Jackson reads it into `java.util.Date` (`ParseDateStdDeserializer`; the
    server's zone taken as UTC)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return None


def _date_to_string(moment: datetime) -> str:
    """`java.util.Date#toString` in UTC: `EEE MMM dd HH:mm:ss zzz yyyy`."""
    return moment.strftime("%a %b %d %H:%M:%S UTC %Y")


def _date_message(moment: datetime, minor: str) -> str:
    """MessageFormat's `{0}` of a Date: `DateFormat.getDateTimeInstance(SHORT, SHORT)` in
    en_US (`M/d/yy, h:mm a`), the space before AM/PM a narrow no-break one on the JDK 21 of
    2.43 (CLDR 42: `Release.jdk_short_time_narrow_space`)."""
    hour = moment.hour % 12 or 12
    space = "\u202f" if RELEASES[minor].jdk_short_time_narrow_space else " "
    return (f"{moment.month}/{moment.day}/{moment.strftime('%y')}, {hour}:"
            f"{moment.strftime('%M')}{space}{'AM' if moment.hour < 12 else 'PM'}")


def _iso_no_tz(moment: datetime) -> str:
    """`WriteDateStdSerializer` → `DateUtils#toIso8601NoTz`: `yyyy-MM-dd'T'HH:mm:ss.SSS`."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def _e4013(closed: datetime, opened: datetime, klass: str, minor: str) -> Finding:
    return ("E4013", [_date_to_string(closed), _date_to_string(opened)], klass,
            {"properties": [_iso_no_tz(closed), _iso_no_tz(opened)],
             "message_args": [_date_message(closed, minor), _date_message(opened, minor)]})


def _in_hierarchy(ctx: HookContext, unit: dict[str, Any]) -> bool:
    """`OrganisationUnitService#isInUserHierarchy(user, unit)`: the unit or an ancestor is one
    of the user's capture org units (the stored parents are followed)."""
    roots = {_ref_id(ref) for ref in (ctx.store.get_object("users", ctx.user.uid) or {})
             .get("organisationUnits") or []}
    seen: set[str] = set()
    current: dict[str, Any] | None = unit
    while current is not None and current.get("id") not in seen:
        if current.get("id") in roots:
            return True
        seen.add(str(current.get("id")))
        parent = _ref_id(current.get("parent"))
        current = ctx.store.get_object("organisationUnits", parent) if parent else None
    return False


def organisation_unit(ctx: HookContext, obj: dict[str, Any]) -> list[Finding]:
    """`OrganisationUnitObjectBundleHook#validate` (2.41.9 = 2.42.5 = 2.43.1 but for the user
    object it reads): E4013 a closing date before the opening date (args `Date#toString`,
    errorProperties ISO, the message MessageFormat's short date-time); then a stored unit's
    move to another parent by a non-superuser: E1520 without `F_ORGANISATIONUNIT_MOVE`, else
    E1521 without write sharing on the unit, E1522 / E1523 without write sharing on, or outside
    the user's capture hierarchy, the old / new parent. A closing date without an opening date
    is a NullPointerException of `closedDate.before(null)` (2.41.9 :112, 2.42.5 and 2.43.1
    :116; `Date#getMillisOf` asks the argument for its class, the same text on JDK 17 and 21)
    that ends the import (`_failure`) before the schema check could ask for `openingDate`."""
    out: list[Finding] = []
    closed, opened = _java_date(obj.get("closedDate")), _java_date(obj.get("openingDate"))
    if closed is not None and opened is None:
        raise _failure(ctx, 'Cannot invoke "Object.getClass()" because "date" is null')
    if closed is not None and opened is not None and closed < opened:
        out.append(_e4013(closed, opened, _ORG_UNIT, ctx.minor))
    stored = ctx.store.get_object("organisationUnits", str(obj.get("id")))
    if ctx.user.superuser or stored is None:
        return out
    old_parent = ctx.store.get_object("organisationUnits", str(_ref_id(stored.get("parent"))))
    new_ref = obj.get("parent")
    new_parent = preheat.get(ctx, "organisationUnits", new_ref) or \
        (new_ref if isinstance(new_ref, dict) else None)
    if _ref_id(old_parent) == _ref_id(new_parent):
        return out
    uid = ctx.user.uid
    if "F_ORGANISATIONUNIT_MOVE" not in ctx.user.authorities and \
            "ALL" not in ctx.user.authorities:
        return [*out, ("E1520", [uid], _ORG_UNIT)]
    if not acl.can_write(ctx.user, "organisationUnits", obj, ctx.minor):
        out.append(("E1521", [uid, obj.get("id") or obj.get("name")], _ORG_UNIT))
    for code, parent in (("E1522", old_parent), ("E1523", new_parent)):
        if parent is not None and (not acl.can_write(ctx.user, "organisationUnits", parent, ctx.minor)
                                   or not _in_hierarchy(ctx, parent)):
            out.append((code, [uid, obj.get("id") or obj.get("name"),
                               parent.get("id") or parent.get("name")], _ORG_UNIT))
    return out


def _is_uid(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 11 and value[:1].isalpha() and \
        value.isalnum() and value.isascii()


def _category_mappings(obj: dict[str, Any]) -> list[Finding]:
    """`ProgramObjectBundleHook#validateCategoryMappings` (2.42.5, 2.43.1): mapping uids valid
    (E4075) and unique (E4076), names unique per category (E4077), option ids valid (E4080)
    and unique in their mapping (E4079)."""
    uid = obj.get("id")
    mappings = [m for m in obj.get("categoryMappings") or [] if isinstance(m, dict)]
    out: list[Finding] = []
    seen: set[Any] = set()
    for mapping in mappings:
        if not _is_uid(mapping.get("id")):
            out.append(("E4075", [uid, mapping.get("id")], _PROGRAM))
        if mapping.get("id") in seen:
            out.append(("E4076", [uid, mapping.get("id")], _PROGRAM))
        seen.add(mapping.get("id"))
    names: set[str] = set()
    for mapping in mappings:
        # Java's String concatenation prints a null as "null"
        key = f"{_java_text(mapping.get('categoryId'))}{_java_text(mapping.get('mappingName'))}"
        if key in names:
            out.append(("E4077", [uid, mapping.get("categoryId"), mapping.get("mappingName")],
                        _PROGRAM))
        names.add(key)
    for mapping in mappings:
        options: set[Any] = set()
        for entry in mapping.get("optionMappings") or []:
            option_id = entry.get("optionId") if isinstance(entry, dict) else None
            if not _is_uid(option_id):
                out.append(("E4080", [uid, mapping.get("id"), option_id], _PROGRAM))
            if option_id in options:
                out.append(("E4079", [uid, mapping.get("id"), option_id], _PROGRAM))
            options.add(option_id)
    return out


def _java_text(value: Any) -> str:
    return "null" if value is None else str(value)


def program(ctx: HookContext, obj: dict[str, Any]) -> list[Finding]:
    """`ProgramObjectBundleHook#validate`: E6022 a program related to itself, E4023 a related
    program on a program without registration, E3012 (on `TrackedEntityAttribute`) for each
    program attribute the preheat lacks or the user cannot read (an unknown one also gets the
    references check's E5002); from 2.42 the category mappings. E6000 (2.41.9 and 2.42.5: a stored
    event program with more than one active enrollment) is not modelled: the sandbox keeps no
    hidden enrollments of event programs."""
    out: list[Finding] = []
    related = _ref_id(obj.get("relatedProgram"))
    if isinstance(obj.get("relatedProgram"), dict) and related == obj.get("id"):
        out.append(("E6022", ["relatedProgram"], _PROGRAM))
    if isinstance(obj.get("relatedProgram"), dict):
        # `program.getProgramType().isEventProgram()` on the payload object: without a
        # programType that is a NullPointerException (2.41.9 :85, 2.42.5 :99, 2.43.1 :82)
        if program_type(obj, bound=True) is None:
            raise _failure(ctx, 'Cannot invoke "org.hisp.dhis.program.ProgramType.'
                                'isEventProgram()" because the return value of '
                                '"org.hisp.dhis.program.Program.getProgramType()" is null')
        if is_without_registration(obj, bound=True):
            out.append(("E4023", ["relatedProgram", "programType", "WITHOUT_REGISTRATION"],
                        _PROGRAM))
    tea_info = registry.by_plural("trackedEntityAttributes", ctx.minor)
    for entry in obj.get("programTrackedEntityAttributes") or []:
        ref = entry.get("trackedEntityAttribute") if isinstance(entry, dict) else None
        if not isinstance(ref, dict):
            continue
        attribute = preheat.get(ctx, "trackedEntityAttributes", ref)
        if attribute is None or not acl.can_read(ctx.user, "trackedEntityAttributes", attribute,
                                                  ctx.minor):
            out.append(("E3012", [user_identifiers(ctx.store, ctx.user),
                                  identifiers_with_name(ref, tea_info, ctx.identifier)], _TEA))
    if ctx.release.program_category_mappings:
        out += _category_mappings(obj)
    return out


_CATEGORY_COMBO = "org.hisp.dhis.category.CategoryCombo"
_OPTION_COMBO = "org.hisp.dhis.category.CategoryOptionCombo"
_DATA_SET = "org.hisp.dhis.dataset.DataSet"
# dhis.conf defaults (external/conf/ConfigurationKey.java): metadata.categories.max_per_combo,
# max_options, max_combinations
_MAX_CATEGORIES, _MAX_OPTIONS, _MAX_COMBINATIONS = 5, 50, 500


def _option_count(ctx: HookContext, ref: dict[str, Any]) -> int:
    """`c.getCategoryOptions().size()`, and for 0 (a shallow payload reference) the stored
    count (`CategoryOptionStore#getCategoryOptionsCount`)."""
    given = len(ref.get("categoryOptions") or [])
    if given:
        return given
    stored = ctx.store.get_object("categories", str(ref.get("id"))) or {}
    return len(stored.get("categoryOptions") or [])


def _data_values_exist(ctx: HookContext, combo: str) -> bool:
    """`HibernateDataValueStore#dataValueExists(CategoryCombo)`: a value (deleted ones too) with
    one of the combo's option combos as category or attribute option combo."""
    combos = [c["id"] for c in ctx.store.list_objects("categoryOptionCombos")
              if _ref_id(c.get("categoryCombo")) == combo]
    if not combos:
        return False
    ids = json.dumps(combos)
    with ctx.store.lock:
        row = ctx.store.conn.execute(
            "SELECT 1 FROM data_values WHERE coc IN (SELECT value FROM json_each(?)) "
            "OR aoc IN (SELECT value FROM json_each(?)) LIMIT 1", (ids, ids)).fetchone()
    return row is not None


def _limit(code: str, uid: Any, limit: int, actual: int) -> Finding:
    """A category limit's ConflictException turned into `new ErrorReport(CategoryOptionCombo,
    code, ex.getArgs())`: the limit and the count are Integers, so `args` print them by
    `toString`, the message by MessageFormat (`1,024`) and `errorProperties` hold the numbers."""
    return (code, [uid, limit, actual], _OPTION_COMBO, {
        "properties": [uid, limit, actual],
        "message_args": [uid, java_double.message_format(limit), java_double.message_format(actual)]})


def category_combo(ctx: HookContext, obj: dict[str, Any]) -> list[Finding]:
    """`CategoryComboObjectBundleHook#validate`: from 2.42 `checkIsValid`
    (`DefaultCategoryService#validate`: E1126 more than 5 categories, E1127 a category with more
    than 50 options, E1128 more than 500 combinations; the ConflictException's code and args on
    `CategoryOptionCombo`), then `checkIfDataBecomesInaccessible`: E1120 (on CategoryCombo, the
    stored combo's name) when a stored combo with data values changes its categories (2.43.1
    asks only for stored combos; 2.41.9 and 2.42.5 compare a new combo with itself)."""
    out: list[Finding] = []
    uid = obj.get("id")
    categories = [c for c in obj.get("categories") or [] if isinstance(c, dict)]
    if ctx.release.category_combo_limits:
        counts = [_option_count(ctx, c) for c in categories]
        too_many = next(((c, n) for c, n in zip(categories, counts, strict=True)
                         if n > _MAX_OPTIONS), None)
        combinations = 1
        for n in counts:
            combinations *= n
        if len(categories) > _MAX_CATEGORIES:
            out.append(_limit("E1126", uid, _MAX_CATEGORIES, len(categories)))
        elif too_many is not None:
            out.append(_limit("E1127", too_many[0].get("id"), _MAX_OPTIONS, too_many[1]))
        elif combinations > _MAX_COMBINATIONS:
            out.append(_limit("E1128", uid, _MAX_COMBINATIONS, combinations))
    stored = ctx.store.get_object("categoryCombos", str(uid))
    if stored is not None:
        old = {_ref_id(c) for c in stored.get("categories") or []}
        new = {_ref_id(c) for c in categories}
        if old != new and _data_values_exist(ctx, str(uid)):
            out.append(("E1120", [stored.get("name")], _CATEGORY_COMBO))
    return out


def data_set(ctx: HookContext, obj: dict[str, Any]) -> list[Finding]:
    """`DataSetObjectBundleHook#validate` (2.41.9 = 2.42.5 = 2.43.1): E4013 on DataSet for each
    input period opening after it closes (args closing, opening; dates as for org units)."""
    out: list[Finding] = []
    for period in obj.get("dataInputPeriods") or []:
        if not isinstance(period, dict):
            continue
        opened = _java_date(period.get("openingDate"))
        closed = _java_date(period.get("closingDate"))
        if opened is not None and closed is not None and opened > closed:
            out.append(_e4013(closed, opened, _DATA_SET, ctx.minor))
    return out


_USER = "org.hisp.dhis.user.User"
# system/util/ValidationUtils.java (2.41.9 :85-103, 2.42.5 = 2.43.1 :87-105), each applied with
# `Matcher#matches` (fullmatch: Java's `$` before a final line break does not end the value);
# Java's `.` is no line terminator (\n, \r, U+0085, U+2028, U+2029), Python's only no \n
_JAVA_DOT = r"[^\n\r\x85\u2028\u2029]"
_USERNAME = re.compile(r"^(?=.{4,255}$)(?![-_.@])(?!.*[-_.@]{2})[-_.@a-zA-Z0-9]+(?<![-_.@])$")
_INTERNATIONAL_PHONE = re.compile(rf"^\+(?:[0-9]{_JAVA_DOT}?){{4,14}}[0-9]$")


def _as_user_input(ctx: HookContext, obj: dict[str, Any]) -> dict[str, Any]:
    """The user as the hook sees it: on 2.41 a `userCredentials` object's set values first
    copied onto the user (`legacy_credentials.py`)."""
    if not ctx.release.user_credentials_input:
        return obj
    return legacy_credentials.merged(obj)


def _user_by_open_id(stored: list[dict[str, Any]], open_id: object) -> dict[str, Any] | None:
    """`HibernateUserStore#getUserByOpenId` (2.41.9 :525, 2.42.5 :543, 2.43.1 :552): an enabled
    user with the openId, the one who logged in last (`coalesce(lastLogin, '0001-01-01')
    desc`); several such, one of them."""
    holders = [u for u in stored if u.get("openId") == open_id and not u.get("disabled")]
    return max(holders, key=lambda u: str(u.get("lastLogin") or "0001-01-01"), default=None)


def user(ctx: HookContext, obj: dict[str, Any]) -> list[Finding]:
    """`UserObjectBundleHook#validate`. `ImportStrategy#isCreate` is CREATE only and
    `#isUpdate` UPDATE only, so under the default CREATE_AND_UPDATE neither the uid, username
    and taken-username checks nor the rename check run. In order: E4014 (CREATE, an invalid uid,
    errorProperty `uid`), E4049 (CREATE, not a valid username), E4054 (CREATE, the username is
    taken), E4056 (UPDATE, a stored user's username changed), E4054 `OIDC mapping value` (the
    enabled user with the openId who logged in last is another; linked accounts are off by
    default), E4055 (no user role), E4027 (a
    WhatsApp number that is not international); errorProperty `username` except where noted.
    Not modelled: 2.42+ E3052 (email of a user with verified e-mail 2FA; no 2FA here), invited
    users (`isInvitation`, no username needed)."""
    seen = _as_user_input(ctx, obj)
    username, uid = seen.get("username"), seen.get("id")
    out: list[Finding] = []
    named = {"error_property": "username"}
    stored_users = ctx.store.list_objects("users")
    if ctx.strategy == "CREATE":
        if uid is not None and not _is_uid(uid):  # a missing uid is generated in the preheat
            out.append(("E4014", [uid, "uid"], _USER, {"error_property": "uid"}))
        if not isinstance(username, str) or not _USERNAME.fullmatch(username):
            out.append(("E4049", ["username", username], _USER, named))
        if any(u.get("username") == username for u in stored_users):
            out.append(("E4054", ["username", username], _USER, named))
    existing = ctx.store.get_object("users", str(uid))
    if ctx.strategy == "UPDATE" and existing is not None and username is not None and \
            username != existing.get("username"):
        out.append(("E4056", ["username", username], _USER, named))
    open_id = seen.get("openId")
    holder = _user_by_open_id(stored_users, open_id) if open_id is not None else None
    if holder is not None and holder.get("id") != uid:
        out.append(("E4054", ["OIDC mapping value", open_id], _USER, named))
    if not seen.get("userRoles"):
        out.append(("E4055", ["username", username], _USER, named))
    whatsapp = seen.get("whatsApp")
    if whatsapp is not None and not _INTERNATIONAL_PHONE.fullmatch(str(whatsapp)):
        out.append(("E4027", [whatsapp, "whatsApp"], _USER, {"error_property": "whatsApp"}))
    return out


_DATA_ELEMENT = "org.hisp.dhis.dataelement.DataElement"


def _data_values_of_element(ctx: HookContext, uid: str) -> bool:
    """`HibernateDataValueStore#dataValueExistsForDataElement`: any value, deleted ones too."""
    with ctx.store.lock:
        row = ctx.store.conn.execute(
            "SELECT 1 FROM data_values WHERE data_element = ? LIMIT 1", (uid,)).fetchone()
    return row is not None


def data_element(ctx: HookContext, obj: dict[str, Any]) -> list[Finding]:
    """`DataElementObjectBundleHook#validate`: E4019 a field mask that is not a TextPattern
    text segment (`TextPatternParser#parse` of the mask in quotes); from 2.42 E1121 when a
    stored data element with data values changes its value type (`valueTypeChangeValidation`,
    `data_element_value_type_lock`)."""
    out: list[Finding] = []
    out.extend(_field_mask(obj, "Not a valid TextPattern 'TEXT' segment", _DATA_ELEMENT))
    if ctx.release.data_element_value_type_lock:
        stored = ctx.store.get_object("dataElements", str(obj.get("id")))
        if stored is not None and stored.get("valueType") != obj.get("valueType") and \
                _data_values_of_element(ctx, str(obj.get("id"))):
            out.append(("E1121", [obj.get("id")], _DATA_ELEMENT))
    return out


def category(ctx: HookContext, obj: dict[str, Any]) -> list[Finding]:
    """`CategoryObjectBundleHook#checkIsValid` (2.42.5, 2.43.1; no such hook at 2.41.9):
    `DefaultCategoryService#validate(Category)`, E1127 for more than 50 options (the payload's
    list, or the stored count when it is empty), on CategoryOptionCombo. The stored count is
    asked by `UID.of(category.getUid())` (:97 at both tags), which refuses a uid that is none
    (`UID#isValid`, `CodeGenerator#isValidUid`) with an IllegalArgumentException before the
    schema check can: RecordingJobProgress rethrows it (`#cancellationException`) and
    `CrudControllerAdvice#illegalArgumentExceptionHandler` answers 400 with its message, no
    errorCode (2.42.5 :520-525, 2.43.1 :521-526; `common/UID.java` :64-71). A `categoryOptions`
    sent as null is the NullPointerException of its `size()` (`_failure`)."""
    if not ctx.release.category_combo_limits:
        return []
    uid = obj.get("id")  # none or "" (EmptyStringToNull): the preheat generates one
    options = obj.get("categoryOptions", [])  # the field's `new ArrayList<>()` when not sent
    if options is None:
        # a JSON null is set by Jackson through `Category#setCategoryOptions`, and
        # `getCategoryOptions().size()` (:94 at both tags) meets it
        raise _failure(ctx, 'Cannot invoke "java.util.List.size()" because the return value of '
                            '"org.hisp.dhis.category.Category.getCategoryOptions()" is null')
    if isinstance(options, list) and not options and uid not in (None, "") and not _is_uid(uid):
        raise webmessage.fail(webmessage.bad_request_message(
            "UID must be an alphanumeric string of 11 characters starting with a letter, "
            f"but was: {uid}"))
    count = _option_count(ctx, obj)
    if count > _MAX_OPTIONS:
        return [_limit("E1127", obj.get("id"), _MAX_OPTIONS, count)]
    return []


HOOKS: dict[str, Callable[[HookContext, dict[str, Any]], list[Finding]]] = {
    "relationshipType": relationship_type,
    "programRuleVariable": program_rule_variable,
    "trackedEntityAttribute": tracked_entity_attribute,
    "categoryOptionCombo": option_combo_hook.validate,
    "programRule": program_rule,
    "programStage": program_stage,
    "programRuleAction": rule_actions.program_rule_action,
    "option": option,
    "trackedEntityType": tracked_entity_type,
    "organisationUnit": organisation_unit,
    "program": program,
    "categoryCombo": category_combo,
    "dataSet": data_set,
    "user": user,
    "dataElement": data_element,
    "category": category,
}


def validate(ctx: HookContext, singular: str, obj: dict[str, Any]) -> list[Finding]:
    hook = HOOKS.get(singular)
    return hook(ctx, obj) if hook else []
