"""Reading metadata: decoration (href, access, display names, inverse collections), `filter`,
`order`, paging.

dhis2-core 2.42.5:
- filters `prop:op:value` (nested `a.b`, references on the way read from the store),
  `rootJunction=AND|OR`; parse errors (unknown property, unknown operator, "Invalid filter
  => …") are 409 (`query/DefaultQueryParser.java`, 2.41.9 `DefaultJpaQueryParser.java`;
  `webapi/controller/CrudControllerAdvice#queryExceptionHandler`):
  `dhis-services/dhis-service-core/.../query/planner/DefaultQueryPlanner.java`,
  `query/operators/*Operator.java` (eq, !eq/neq/ne, ieq, like/ilike (contains), !like,
  !ilike, $like/$ilike (starts), like$/ilike$ (ends), in:[a,b], !in, null, !null, empty,
  !empty, gt/ge/lt/le, token);
- paging: `webapi/webdomain/WebMetadata` + `common/Pager.java` (page, pageCount, total,
  pageSize; nextPage/prevPage URLs), default page size 50, `paging=false`;
- default order `name` ignoring case when the type has one (`query/Query#setDefaultOrder`);
- `href`/`access`/`displayName` are computed on output (`fieldfiltering/FieldFilterService`);
  `access` is `AclService#getAccess` for the requesting user (`access/acl.py`);
- non-owner collections (`user.userGroups`, `organisationUnit.children` …) are read from the
  owning side, whatever the stored object says (Hibernate `inverse="true"` sets).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any
from urllib.parse import quote_plus

from scdi.sandbox.access import acl
from scdi.sandbox.core import fields as fieldsel
from scdi.sandbox.core import objects, web_data_binder, webmessage
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.java_split import java_split
from scdi.sandbox.core.programs import is_registration, is_without_registration
from scdi.sandbox.core.spring_params import convert_enum, java_parse_int, not_valid_value, spring_bool, spring_int
from scdi.sandbox.core.users import user_name
from scdi.sandbox.metadata import display_props, filter_values, initial_values, memory_operators, registry
from scdi.sandbox.metadata.attribute_rules import java_hash_set_order
from scdi.sandbox.metadata.registry import TypeInfo
from scdi.upstream.releases import RELEASES, Release

DEFAULT_PAGE_SIZE = 50


def find_any(ctx: Ctx, ref: dict[str, Any]) -> dict[str, Any]:
    """Resolver for nested field selections: the referenced object, decorated."""
    uid = ref.get("id")
    if not uid:
        return ref
    found = ctx.store.find_uid(uid)
    if found is None:
        return ref
    plural, obj = found
    return decorate(ctx, plural, obj, inverse=False)


def _inverse(ctx: Ctx, info: TypeInfo, uid: str) -> dict[str, list[dict[str, str]]]:
    """Non-owner collections (e.g. program.programRuleVariables, organisationUnit.children):
    objects of the item type that point back at this one."""
    out: dict[str, list[dict[str, str]]] = {}
    for name, prop in registry.jackson_properties(info.singular, ctx.release.minor).items():
        if prop.get("owner") or not prop.get("persisted") or not prop.get("collection"):
            continue
        target = registry.by_klass(prop.get("itemKlass"), ctx.release.minor)
        if target is None or not target.metadata:
            out[name] = _embedded_inverse(ctx, str(prop.get("itemKlass")), uid)
            continue
        keys = _owning_keys(info.singular, name, target.singular, ctx.release.minor)
        found = []
        for other in _listed(ctx, target.plural):
            if _points_at(other, uid, keys):
                found.append({"id": other["id"]})
        out[name] = found
    return out


@cache
def _owning_keys(singular: str, prop_name: str, target: str, minor: str
                 ) -> frozenset[str] | None:
    """The item type's properties that hold the link, as the mapping joins it: a many-to-many
    the owning collection its `owningRole` names (HibernatePropertyIntrospector: the owner's
    role, `<class>.<field>`), so an org unit's `users` are the users holding it in
    `organisationUnits` (`usermembership`, OrganisationUnit.hbm.xml :67-71 at the three tags),
    not those holding it as a data view or search unit; a one-to-many (no role) the item's
    references to this class (`parent`, `program`, `dataSet`). None: any property."""
    info = registry.by_singular(singular, minor)
    klass = info.klass if info else None
    props = registry.jackson_properties(target, minor)
    role = registry.jackson_properties(singular, minor)[prop_name].get("owningRole")
    if isinstance(role, str) and "." in role:
        field = role.rsplit(".", 1)[1]
        named = frozenset(k for k, q in props.items()
                          if field in (q.get("fieldName"), q.get("collectionName")))
        if named:
            return named
    back = frozenset(k for k, q in props.items()
                     if not q.get("collection") and q.get("klass") == klass)
    return back or None


def _listed(ctx: Ctx, plural: str) -> list[dict[str, Any]]:
    # one read of each item type per request (a list decorates every object)
    lists: dict[str, list[dict[str, Any]]] = ctx.extras.setdefault("inverse_lists", {})
    if plural not in lists:
        lists[plural] = ctx.store.list_objects(plural)
    return lists[plural]


def _embedded_inverse(ctx: Ctx, item_klass: str, uid: str) -> list[dict[str, Any]]:
    """A non-owner collection of objects that are no metadata of their own, read from the
    collection that owns them: a data element's `dataSetElements` are the DataSet's
    (`dataelement/hibernate/DataElement.hbm.xml` :62-66 `inverse="true"` at the three tags,
    `DataSet.hbm.xml` the owner, 2.41.9 :37-41, 2.42.5 = 2.43.1 :39-43), each naming its `dataSet` first as
    `dataset/DataSetElement.java` declares its properties (dataSet, dataElement, categoryCombo).
    Items no stored type owns (a visualization's `interpretations`) are none: an empty list."""
    found: list[dict[str, Any]] = []
    for owner in registry.metadata_types(ctx.release.minor):
        for name, prop in registry.jackson_properties(owner.singular, ctx.release.minor).items():
            if not (prop.get("owner") and prop.get("collection")
                    and prop.get("itemKlass") == item_klass):
                continue
            for other in _listed(ctx, owner.plural):
                for item in other.get(name) or []:
                    if isinstance(item, dict) and _points_at(item, uid):
                        rest = {k: v for k, v in item.items() if k != owner.singular}
                        found.append({owner.singular: {"id": other["id"]}, **rest})
    return found


def _points_at(obj: dict[str, Any], uid: str, keys: frozenset[str] | None = None) -> bool:
    for key, value in obj.items():
        if key in ("id", "sharing", "createdBy", "lastUpdatedBy") or (
                keys is not None and key not in keys):
            continue
        if isinstance(value, dict) and value.get("id") == uid:
            return True
        if isinstance(value, list) and any(isinstance(v, dict) and v.get("id") == uid
                                           for v in value):
            return True
    return False


def with_inverse(ctx: Ctx, plural: str, obj: dict[str, Any], names: set[str]) -> dict[str, Any]:
    """The stored object with the non-owner collections among `names` read from the owning
    side: `fields=:owner,userGroups[id]` of a user names its groups as DHIS2 holds them, not
    what the stored object says. The other non-owner collections are left out: `:owner`
    selects only owner properties (FieldPathHelper#applyPresets, `Property::isOwner`), so a
    copy the stored object keeps (a user's `userGroups`) is never written."""
    info = registry.by_plural(plural, ctx.release.minor)
    if info is None or not obj.get("id"):
        return obj
    inverse = inverse_names(info.singular, ctx.release.minor)
    stale = inverse - names
    out = {k: v for k, v in obj.items() if k not in stale} if stale & obj.keys() else obj
    if not names & inverse:
        return out
    found = {k: v for k, v in _inverse(ctx, info, obj["id"]).items() if k in names}
    return {**out, **found}


def inverse_selected(singular: str, minor: str, selection: fieldsel.Selection) -> set[str]:
    """The non-owner collections a selection names: all of them for `*`/`:all` (every property
    of the schema) and `:persisted` (`Property::isPersisted`), else those it names
    (`FieldPathHelper#applyPresets`: 2.41.9 :195-231, 2.42.5 = 2.43.1 :197-233); `:owner`
    none."""
    wanted = {f.name for f in selection.fields if not f.exclude}
    inverse = inverse_names(singular, minor)
    return inverse if wanted & {"*", ":all", ":persisted"} else inverse & wanted


def inverse_names(singular: str, minor: str) -> set[str]:
    """The persisted collections the type does not own (read from their owning side), by the
    release's schema: a type without facts too (an indicator's `indicatorGroups`)."""
    return {n for n, p in registry.jackson_properties(singular, minor).items()
            if not p.get("owner") and p.get("persisted") and p.get("collection")}


def release_sharing(ctx: Ctx, obj: dict[str, Any]) -> dict[str, Any]:
    """The stored object with its sharing as the release writes it, for every read (`:owner`
    selections too): 2.41.9's and 2.43.1's user/sharing/Sharing.java have no `external`."""
    sharing = obj.get("sharing")
    if ctx.release.sharing_external_access or not isinstance(sharing, dict) \
            or "external" not in sharing:
        return obj
    return {**obj, "sharing": {k: v for k, v in sharing.items() if k != "external"}}


def decorate(ctx: Ctx, plural: str, obj: dict[str, Any], inverse: bool = True
             ) -> dict[str, Any]:
    out = dict(obj)
    if plural == "users":
        out["name"] = user_name(obj)
    name = out.get("name")
    if name is not None:
        out["displayName"] = name
    if obj.get("shortName") is not None:
        out["displayShortName"] = obj["shortName"]
    if obj.get("description") is not None:
        out["displayDescription"] = obj["description"]
    if obj.get("formName") is not None:
        out["displayFormName"] = obj["formName"]
    out["href"] = f"{ctx.base_url}/api/{plural}/{obj.get('id')}"
    options = acl.option_combo_options(ctx.store.get_object, obj, ctx.release.minor) \
        if plural == "categoryOptionCombos" else None
    out["access"] = acl.access_block(ctx.user, plural, obj, ctx.release.minor, options)
    _unmapped_identifiable(ctx, plural, out)
    out = release_sharing(ctx, out)
    _derived(ctx, plural, out)
    display_props.write_display_getters(plural, ctx.release.minor, out)
    info = registry.by_plural(plural, ctx.release.minor)
    if info is not None:
        initial_values.fill(info.singular, ctx.release.minor, out, ctx.user.uid, inverse)
    if inverse and info is not None and obj.get("id"):
        for key, value in _inverse(ctx, info, obj["id"]).items():
            out[key] = value
    return out


def _unmapped_identifiable(ctx: Ctx, plural: str, out: dict[str, Any]) -> None:
    """BaseIdentifiableObject's `sharing` and `createdBy` where the class's mapping has no
    column for them (common/identifiableProperties.hbm maps neither; e.g.
    organisationunit/hibernate/OrganisationUnitLevel.hbm.xml, the same at 2.41.9, 2.42.5 and
    2.43.1): Hibernate leaves the field initialisers, `new Sharing()` (no owner, no public
    access, empty users and user groups, `external` false where Sharing has it) and a null
    createdBy, so an export writes that sharing and no createdBy, whatever the store holds."""
    no_sharing, no_creator = _unmapped(plural, ctx.release.minor)
    if no_sharing:
        out["sharing"] = {"external": False, "users": {}, "userGroups": {}}
    if no_creator:
        out.pop("createdBy", None)


@cache
def _unmapped(plural: str, minor: str) -> tuple[bool, bool]:
    """Whether the mapped class has a `sharing` / a `createdBy` property it does not persist."""
    info = registry.by_plural(plural, minor)
    if info is None or not registry.is_mapped(info.singular, minor):
        return False, False
    props = registry.jackson_properties(info.singular, minor)
    return ("sharing" in props and not props["sharing"].get("persisted"),
            "createdBy" in props and not props["createdBy"].get("persisted"))


# Properties DHIS2 computes from others and writes out on every export.
_DASHBOARD_ITEM_TYPES = (  # dashboard/DashboardItem.java#getType, in its order
    ("visualization", "VISUALIZATION"), ("eventChart", "EVENT_CHART"), ("eventReport", "EVENT_REPORT"),
    ("eventVisualization", "EVENT_VISUALIZATION"), ("map", "MAP"), ("text", "TEXT"),
    ("users", "USERS"), ("reports", "REPORTS"), ("resources", "RESOURCES"), ("messages", "MESSAGES"),
    ("appKey", "APP"),
)


def _derived(ctx: Ctx, plural: str, out: dict[str, Any]) -> None:
    out.update(with_embedded_facts(ctx, plural, out))
    _computed_getters(ctx, plural, out)
    if plural == "programs":
        # program/Program.java#isRegistration / #isWithoutRegistration: getters of programType
        # with no setter, so an import's own values are never bound and both follow the
        # stored programType (always set in DHIS2: the column is not null)
        out["registration"] = is_registration(out)
        out["withoutRegistration"] = is_without_registration(out)
    if plural == "programStages":
        out["formType"] = _form_type(ctx, out)
    if out.get("id") and _dimension_item_is_uid(plural, ctx.release.minor):
        out["dimensionItem"] = out["id"]  # common/BaseDimensionalItemObject.java#getDimensionItem: the uid
    if (item_type := _dimension_item_type(plural, ctx.release.minor)) is not None:
        out["dimensionItemType"] = item_type
    if plural == "trackedEntityAttributes":
        # trackedentity/TrackedEntityAttribute.java#isUnique/#isGenerated (2.41.9 :269, :279,
        # 2.42.5 :271, :281, 2.43.1 :295, :305): `x != null ? x : false`, and the hbm.xml
        # columns are nullable (:67, :69), so a stored null is written false
        for key in ("unique", "generated"):
            out[key] = out.get(key) is True
    if plural == "programRuleActions" and out.get("content") is not None:
        out["displayContent"] = out["content"]  # programrule/ProgramRuleAction.java#getDisplayContent
    if plural == "categoryCombos":
        # category/CategoryCombo.java#isDefault: the combo named "default"
        out["isDefault"] = out.get("name") == "default"
    if plural == "organisationUnits" and isinstance(out.get("path"), str):
        # organisationunit/OrganisationUnit.java#getAncestors: the parents, root first (the
        # stored path holds them in that order)
        out["ancestors"] = [{"id": uid} for uid in out["path"].strip("/").split("/")[:-1] if uid]


def _computed_getters(ctx: Ctx, plural: str, out: dict[str, Any]) -> None:
    """`@JsonProperty` getters that compute their value (no column), written for every object:
    `BaseIdentifiableObject#getUser` is the creator (2.41.9 :366-374, 2.42.5 :339-348, 2.43.1
    :341-350, from the `@Override`; written by the user reference's own serialiser,
    `field_presets.user_reference`); `DataElement#isOptionSetValue` /
    `TrackedEntityAttribute#isOptionSetValue` whether an option set is set (the declaration
    2.41.9 :473 / :175, 2.42.5 :480 / :177, 2.43.1 :358 / :201); `CategoryOption#isDefault` the
    option named "default" (2.41.9 :94, 2.42.5 :97, 2.43.1 :230);
    `BaseDimensionalObject#isAllItems` a field no mapping fills, so false (2.41.9 :435, 2.42.5
    :437, 2.43.1 :422)."""
    info = registry.by_plural(plural, ctx.release.minor)
    if info is None:
        return
    props = registry.jackson_properties(info.singular, ctx.release.minor)
    user = props.get("user")
    if user is not None and not user.get("persisted") and "createdBy" in out:
        out["user"] = out["createdBy"]
    if "optionSetValue" in props and plural in ("dataElements", "trackedEntityAttributes"):
        out["optionSetValue"] = out.get("optionSet") is not None
    if plural == "categoryOptions" and "isDefault" in props:
        out["isDefault"] = out.get("name") == "default"
    all_items = props.get("allItems")
    if all_items is not None and not all_items.get("persisted"):
        out["allItems"] = False


# The dimensional items whose class overrides BaseDimensionalItemObject#getDimensionItem with
# something else than the uid (DataElementOperand, ProgramDataElementDimensionItem,
# ReportingRate, ProgramTrackedEntityAttributeDimensionItem: a compound of uids).
_COMPOUND_DIMENSION_ITEMS = frozenset({
    "dataElementOperand", "programDataElement", "reportingRate",
    "programTrackedEntityAttributeDimensionItem"})


@cache
def _dimension_item_is_uid(plural: str, minor: str) -> bool:
    """A BaseDimensionalItemObject (a `dimensionItem` property at the release: data elements,
    indicators, program indicators, org units, category options, …) writes its uid there
    (2.41.9 :112-114, 2.42.5 :114-116, 2.43.1 :127-129; 2.43.1 CategoryOption's own override
    returns the uid too)."""
    info = registry.by_plural(plural, minor)
    return info is not None and info.singular not in _COMPOUND_DIMENSION_ITEMS and \
        "dimensionItem" in registry.jackson_properties(info.singular, minor)


# The classes that override BaseDimensionalItemObject#getDimensionItemType with a constant, and
# the constant (the same at 2.41.9, 2.42.5 and 2.43.1): `category/CategoryOption.java` (:203,
# :214, :359), `CategoryOptionGroup` (:77, :80, :81), `dataelement/DataElement.java` (:464,
# :471, :349), `DataElementGroup` (:140, :142, :142), `DataElementOperand` (:153, :155, :155),
# `dataset/DataSet.java` (:482, :492, :456), `expressiondimensionitem/ExpressionDimensionItem.java`
# (:157, :159, :159), `indicator/Indicator.java` (:139, :142, :143), `option/OptionGroup.java`
# (:68, :70, :71), `organisationunit/OrganisationUnit.java` (:1040, :1076, :1062),
# `OrganisationUnitGroup` (:125, :127, :127), `program/ProgramDataElementDimensionItem.java`
# (:149, :151, :152), `ProgramIndicator` (:298, :318, :318),
# `ProgramTrackedEntityAttributeDimensionItem` (:87, :89, :90), `common/ReportingRate.java`
# (:97, :99, :99), `trackedentity/TrackedEntityAttribute.java` (:167, :169, :193); the lines are
# the `return`s at each tag. The overrides carry the base getter's `@JsonProperty` (Jackson
# merges the annotations of an overridden method).
_DIMENSION_ITEM_TYPES = {
    "categoryOption": "CATEGORY_OPTION", "categoryOptionGroup": "CATEGORY_OPTION_GROUP",
    "dataElement": "DATA_ELEMENT", "dataElementGroup": "DATA_ELEMENT_GROUP",
    "dataElementOperand": "DATA_ELEMENT_OPERAND", "dataSet": "REPORTING_RATE",
    "expressionDimensionItem": "EXPRESSION_DIMENSION_ITEM", "indicator": "INDICATOR",
    "optionGroup": "OPTION_GROUP", "organisationUnit": "ORGANISATION_UNIT",
    "organisationUnitGroup": "ORGANISATION_UNIT_GROUP",
    "programDataElement": "PROGRAM_DATA_ELEMENT", "programIndicator": "PROGRAM_INDICATOR",
    "programTrackedEntityAttributeDimensionItem": "PROGRAM_ATTRIBUTE",
    "reportingRate": "REPORTING_RATE", "trackedEntityAttribute": "PROGRAM_ATTRIBUTE",
}


@cache
def _dimension_item_type(plural: str, minor: str) -> str | None:
    """`BaseDimensionalItemObject#getDimensionItemType` (`@JsonProperty`, 2.41.9 :137-141,
    2.42.5 :139-143, 2.43.1 :152-156): a subclass's constant (`_DIMENSION_ITEM_TYPES`), else
    the base's transient field, which nothing stored sets (a category option combo's or a
    validation rule's null, left out by NON_NULL)."""
    info = registry.by_plural(plural, minor)
    if info is None or "dimensionItemType" not in registry.jackson_properties(info.singular, minor):
        return None
    return _DIMENSION_ITEM_TYPES.get(info.singular)


def _form_type(ctx: Ctx, stage: dict[str, Any]) -> str:
    """program/ProgramStage.java#getFormType: CUSTOM with a data entry form, SECTION with sections
    (the sections point at their stage), else DEFAULT."""
    if stage.get("dataEntryForm"):
        return "CUSTOM"
    lists = ctx.extras.setdefault("inverse_lists", {})
    if "programStageSections" not in lists:
        lists["programStageSections"] = ctx.store.list_objects("programStageSections")
    has_sections = bool(stage.get("programStageSections")) or any(
        (s.get("programStage") or {}).get("id") == stage.get("id") for s in lists["programStageSections"])
    return "SECTION" if has_sections else "DEFAULT"


# getType tests the references, `text`, `messages` and `appKey` against null (an empty text
# or `messages: false` still gives a type) and the lists `users`, `reports`, `resources` for
# emptiness.
_DASHBOARD_ITEM_LISTS = frozenset(("users", "reports", "resources"))


def dashboard_item_type(item: dict[str, Any]) -> str | None:
    """`DashboardItem#getType`: the first of the references, then the rest in order."""
    return next((name for key, name in _DASHBOARD_ITEM_TYPES
                 if (bool(item.get(key)) if key in _DASHBOARD_ITEM_LISTS
                     else item.get(key) is not None)), None)


_DASHBOARD_ITEM_COUNTS = ("interpretationCount", "interpretationLikeCount", "contentCount")


def _with_item_type(item: Any) -> Any:
    if not isinstance(item, dict):
        return item
    kind = dashboard_item_type(item)
    # `type` has a getter only (no setter, and Jackson does not auto-detect setters:
    # commons/jackson/config/JacksonObjectMapperConfig.java), so a given one is never kept;
    # a null type is not written (NON_NULL).
    out = {k: v for k, v in item.items() if k != "type" and k not in _DASHBOARD_ITEM_COUNTS}
    if kind is not None:
        out["type"] = kind
    # DashboardItem#getInterpretationCount / #getInterpretationLikeCount (the embedded item's
    # interpretations, none stored here) and #getContentCount (one per reference, text,
    # messages and appKey not null, plus the sizes of users, reports and resources): 2.41.9
    # :170-218, 2.42.5 :173-221, 2.43.1 :323-355; getters only, so a given one is not kept
    out["interpretationCount"] = 0
    out["interpretationLikeCount"] = 0
    out["contentCount"] = sum(
        len(item.get(key) or []) if key in _DASHBOARD_ITEM_LISTS else item.get(key) is not None
        for key, _ in _DASHBOARD_ITEM_TYPES)
    return out


def with_embedded_facts(ctx: Ctx, plural: str, out: dict[str, Any]) -> dict[str, Any]:
    """A dashboard's items and a program's attributes with their getters' values: DashboardItem
    and ProgramTrackedEntityAttribute are EmbeddedObjects, so every field selection naming the
    collection (`*`, `:owner`, the metadata export's default) expands to all their properties
    (FieldPathHelper#applyDefault / #expandComplex: 2.41.9, 2.42.5, 2.43.1)."""
    if plural == "dashboards" and isinstance(out.get("dashboardItems"), list):
        out = {**out, "dashboardItems": [_with_item_type(i) for i in out["dashboardItems"]]}
    if plural == "programs" and isinstance(out.get("programTrackedEntityAttributes"), list):
        out = {**out, "programTrackedEntityAttributes": [
            _with_attribute_facts(ctx, out, ptea) for ptea in out["programTrackedEntityAttributes"]]}
    return out


def _with_attribute_facts(ctx: Ctx, program: dict[str, Any], ptea: Any) -> Any:
    """program/ProgramTrackedEntityAttribute.java: `getValueType` is the attribute's;
    `getName` / `getDisplayShortName` join the program's and the attribute's (with a space)."""
    if not isinstance(ptea, dict) or not isinstance(ptea.get("trackedEntityAttribute"), dict):
        return ptea
    attribute = ctx.store.get_object("trackedEntityAttributes", ptea["trackedEntityAttribute"].get("id", ""))
    if not attribute:
        return ptea
    out = dict(ptea)
    if attribute.get("valueType"):
        out["valueType"] = attribute["valueType"]
    name = f"{program.get('name', '')} {attribute.get('name', '')}"
    out.update({"name": name, "displayName": name,
                "displayShortName": f"{program.get('shortName', '')} {attribute.get('shortName', '')}"})
    return out


# -- filters ------------------------------------------------------------------------------
def _get_path(obj: Any, path: list[str]) -> list[Any]:
    if not path:
        return [obj]
    if isinstance(obj, list):
        return [v for item in obj for v in _get_path(item, path)]
    if not isinstance(obj, dict):
        return []
    return _get_path(obj.get(path[0]), path[1:]) if path[0] in obj else [None]


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


# DefaultQueryParser#createFilter (2.42.5, 2.43.1; 2.41.9 DefaultJpaQueryParser): the operators
# and their aliases; anything else is "`op` is not a valid operator." (409). `!empty`
# (NotEmptyOperator) exists from 2.42 (`metadata_filter_not_empty`).
_ALIASES = {"neq": "!eq", "ne": "!eq", "gte": "ge", "lte": "le", "startsWith": "$ilike",
            "endsWith": "ilike$"}
OPERATORS = frozenset({
    "eq", "ieq", "!eq", "neq", "ne", "gt", "lt", "gte", "ge", "lte", "le", "like", "!like",
    "$like", "!$like", "like$", "!like$", "ilike", "!ilike", "startsWith", "$ilike", "!$ilike",
    "token", "!token", "endsWith", "ilike$", "!ilike$", "in", "!in", "null", "!null", "empty",
    "!empty"})


def _match(op: str, value: Any, arg: str) -> bool:
    op = _ALIASES.get(op, op)
    if op.startswith("!") and op not in ("!null", "!empty", "!eq", "!in", "!like", "!ilike"):
        return value is None or not _match(op[1:], value, arg)  # !$like, !like$, !token, …
    text = _as_text(value)
    if op == "null":
        return value is None
    if op == "!null":
        return value is not None
    if op == "empty":
        return value in (None, "", []) or value == {}
    if op == "!empty":
        return value not in (None, "", []) and value != {}
    if value is None:
        return op in ("!eq", "neq", "ne", "!like", "!ilike", "!in")
    if op in ("in", "!in"):
        return (text in _in_items(arg)) == (op == "in")
    if op == "eq":
        return text == arg
    if op in ("!eq", "neq", "ne"):
        return text != arg
    if op == "ieq":
        return text.lower() == arg.lower()
    if op in ("like", "ilike", "!like", "!ilike"):
        hit = arg.lower() in text.lower() if op.endswith("ilike") else arg in text
        return hit != op.startswith("!")
    if op in ("$like", "$ilike", "startsWith"):
        return text.lower().startswith(arg.lower()) if op != "$like" else text.startswith(arg)
    if op in ("like$", "ilike$", "endsWith"):
        return text.lower().endswith(arg.lower()) if op != "like$" else text.endswith(arg)
    if op == "token":
        return all(t in text.lower() for t in arg.lower().split())
    if op in ("gt", "ge", "lt", "le"):
        left, right = _number(text), _number(arg)
        a: Any = left if left is not None and right is not None else text
        b: Any = right if left is not None and right is not None else arg
        return bool({"gt": a > b, "ge": a >= b, "lt": a < b, "le": a <= b}[op])
    raise QueryParserError(f"`{op}` is not a valid operator.")  # parse_filters refuses it first


def _in_items(arg: str) -> list[str]:
    """QueryUtils#parseValue for a collection: the text between the brackets split on `,` as
    Java splits (items kept as written, trailing empty ones dropped)."""
    return java_split(",", arg[1:-1])


# Integer#valueOf: a sign, then decimal digits (Character#digit: any Unicode decimal digit)
_JAVA_INTEGER = re.compile(r"[+-]?\d+")
_INTEGER_IS_NO_COLLECTION = (
    "class java.lang.Integer cannot be cast to class java.util.Collection (java.lang.Integer and "
    "java.util.Collection are in module java.base of loader 'bootstrap')")


def _check_in_argument(arg: str | None) -> None:
    """DefaultQueryParser#parseValues (2.42.5 :153-165; 2.41.9 DefaultJpaQueryParser :140-168)
    through QueryUtils#parseValue (2.42.5 :125-152): a missing argument, or one whose items are
    all empty, is "Invalid argument `…` for in operator."; one without brackets is read as a
    collection size (`Integer.valueOf`), "Collection size must be integer `…`" when it is not,
    and a ClassCastException (500) when it is."""
    if arg is None:
        raise QueryParserError("Invalid argument `null` for in operator.")
    if not (arg.startswith("[") and arg.endswith("]")):
        if not _JAVA_INTEGER.fullmatch(arg) or not -2**31 <= int(arg) < 2**31:
            raise QueryParserError(f"Collection size must be integer `{arg}`")
        # an integer is the collection size parseValue returns, an Integer, which the
        # assignment to `Collection<?> values` casts: CrudControllerAdvice's default 500
        raise webmessage.UncaughtException(_INTEGER_IS_NO_COLLECTION)
    if not _in_items(arg):
        raise QueryParserError(f"Invalid argument `{arg}` for in operator.")


class QueryParserError(webmessage.HttpError):
    """A QueryParserException: CrudControllerAdvice#queryExceptionHandler's 409
    `conflict(ex.getMessage())`, without an errorCode (2.41.9, 2.42.5 :412-416, 2.43.1), unless
    the caller wraps it (`list_filters`)."""

    def __init__(self, message: str) -> None:
        super().__init__(webmessage.conflict_message(message))
        self.message = message


def list_filters(values: list[str], singular: str | None, minor: str
                 ) -> list[tuple[list[str], str, str]]:
    """`parse_filters` for a `GET /api/{plural}` list: AbstractFullReadOnlyController
    #getEntityList / #countGetObjectList (2.41.9 #countTotal) read the query with
    `BadRequestException.on(QueryParserException.class, …)` (2.41.9 :547-556/:577-586, 2.42.5
    :489-492/:513-516; 2.43.1 catches and rethrows it, :502-505/:520-523), so a filter the
    parser refuses is 400 with errorCode E1003 (`CrudControllerAdvice#badRequestException`);
    the metadata export (DefaultMetadataExportService, not wrapped: 2.41.9 :182, 2.42.5 :186,
    2.43.1 :187) and 2.41.9's lists that build their query themselves
    (`Release.metadata_list_filters_unwrapped`) keep the 409."""
    try:
        return parse_filters(values, singular, minor)
    except QueryParserError as refused:
        raise webmessage.fail(webmessage.bad_request(refused.message)) from None


# enums whose constants no generated property lists: `fileresource/FileResourceStorageStatus.java`
# (the same at 2.41.9, 2.42.5, 2.43.1); FileResourceDomain is the release's
# (`Release.file_resource_domains`, PUSH_ANALYSIS gone at 2.43.1)
_STORAGE_STATUS = ("NONE", "PENDING", "STORED")


def _with_constants(prop: dict[str, Any] | None, release: Release) -> dict[str, Any] | None:
    """An enum property whose facts list no constants, given the enum's: QueryUtils#parseValue
    reads the value with `Enum#valueOf` of the property's klass whether or not the schema
    lists them (a FileResource's `domain`, `storageStatus`)."""
    if prop is None or prop.get("propertyType") != "CONSTANT" or prop.get("constants"):
        return prop
    klass = str(prop.get("klass") or "")
    known: Sequence[str] | None = registry.enum_constants(klass, release.minor)
    if klass == "org.hisp.dhis.fileresource.FileResourceDomain":
        known = release.file_resource_domains
    elif klass == "org.hisp.dhis.fileresource.FileResourceStorageStatus":
        known = _STORAGE_STATUS
    return {**prop, "constants": list(known)} if known else prop


def _check_path(singular: str | None, minor: str, path: str
                ) -> tuple[bool, dict[str, Any] | None]:
    """DefaultQueryParser#createFilter / #getProperty over the release's schema of the type
    (every property its class has, `registry.jackson_properties`): an unknown property is
    "Unknown path property: {path}" unless what follows the first `.` (the whole path without
    one) is a UID: an attribute filter (`Filter#asAttribute`, 2.42.5
    :102-114; 2.41.9 DefaultJpaQueryParser#getRestriction :98-109). A simple property before the
    end of the path is refused. Whether the filter is on an attribute, and the property the
    path ends on (its klass types the value: `filter_values`)."""
    if path == "identifiable" or singular is None:
        return False, None
    current: str | None = singular
    segments = path.split(".")
    prop: dict[str, Any] | None = None
    for i, segment in enumerate(segments):
        props = registry.jackson_properties(current, minor) if current else {}
        if not props:
            return False, None  # a class the release does not register: not checked
        prop = props.get(segment)
        if prop is None:
            if not objects.is_uid(path[path.find(".") + 1:]):
                raise QueryParserError(f"Unknown path property: {path}")
            return True, None
        if prop.get("simple") and not prop.get("collection") and i != len(segments) - 1:
            raise QueryParserError("Simple type was found before finished parsing path expression, "
                               "please check your path string.")
        klass = prop.get("itemKlass") if prop.get("collection") else prop.get("klass")
        if klass in _NO_JSON_PROPERTIES and i != len(segments) - 1:
            if not objects.is_uid(path[path.find(".") + 1:]):
                raise QueryParserError(f"Unknown path property: {path}")
            return True, None
        target = registry.by_klass(klass, minor)
        current = target.singular if target else None
    return False, prop


# Classes whose schema DHIS2 builds on the fly (2.42.5 DefaultSchemaService#getDynamicSchema
# :428-453, 2.43.1 #getSchema/#createDynamicSchema :400-419) from fields carrying @JsonProperty,
# and which have none: a segment after one is no property. 2.42+'s `attributeValues` is one
# (JacksonPropertyIntrospector#initCollectionProperty: an AttributeValues is no Collection).
_NO_JSON_PROPERTIES = frozenset({"org.hisp.dhis.attribute.AttributeValues"})


def _planned_path(singular: str, minor: str, path: str) -> None:
    """The planner's walk of an attribute filter's path (2.41.9 DefaultQueryPlanner#getQueryPath
    :105-151; 2.42.5 DefaultSchemaService#getPropertyPath :530-575, 2.43.1 :493-555, called by
    DefaultQueryPlanner#split / #isDbFilter): a UID that is no property stands for
    `attributeValues`, any other unknown segment is RuntimeException("Invalid path property:
    foo"), which CrudControllerAdvice#defaultExceptionHandler answers 500 (`foo.AbcDefGhi12`)."""
    current: str | None = singular
    segments = path.split(".")
    for i, name in enumerate(segments):
        props = registry.jackson_properties(current, minor) if current else {}
        if not props:
            return  # a class the release does not register: not checked
        prop = props.get(name)
        if prop is None and objects.is_uid(name):
            prop = props.get("attributeValues")
        if prop is None:
            raise webmessage.UncaughtException(f"Invalid path property: {name}")
        if prop.get("simple") or i == len(segments) - 1:
            return
        target = registry.by_klass(prop.get("itemKlass") if prop.get("collection")
                                   else prop.get("klass"), minor)
        current = target.singular if target else None


# The marker segment of an attribute filter's path: `[ATTRIBUTE, uid]` filters on the object's
# value for that attribute, `[reference, ATTRIBUTE, uid]` on the referenced object's.
ATTRIBUTE = "@attribute"

# The marker segment ending a filter path whose last property is a collection, for the
# operators that compare it by size: DHIS2 parses the argument as an Integer
# (QueryUtils#parseValue, `filter_values.read`) and compares the collection's size with it,
# in the database (`builder.size(…)` in Equal/NotEqual/GreaterThan/GreaterEqual/LessThan/
# LessEqualOperator#getPredicate: EqualOperator 2.41.9 :79-87, 2.42.5 and 2.43.1 :62-70) and
# in memory (the same operators' #test, `collection.size()`: EqualOperator 2.41.9 :124-128,
# 2.42.5/2.43.1 :107-111; InMemoryQueryEngine#filterMatch hands the getter's whole value to
# it), never its text.
SIZE = "@size"
# The same on 2.41 where the in-memory engine runs the filter: each item tested
# (`Release.metadata_memory_filter_tests_collection_items`, `_item_match`).
ITEMS = "@items"
_SIZE_OPERATORS = frozenset({"eq", "!eq", "neq", "ne", "gt", "ge", "gte", "lt", "le", "lte"})


def _attribute_path(path: str, minor: str) -> list[str]:
    """Where an attribute filter reads its value. A bare UID: the object's value for that
    attribute (2.41.9 InMemoryQueryEngine#getValue :209-216, `getAttributeValue(uid)`; 2.42.5
    #filterMatchAttribute :212-216, 2.43.1 :258-262, `getAttributeValues().get(path)`).
    `parent.AbcDefGhi12`: 2.41.9 walks to the parent and reads its value; 2.42.5/2.43.1 look the
    whole path up as an attribute id, which no attribute has
    (`Release.metadata_attribute_filter_walks_path`)."""
    segments = path.split(".")
    if len(segments) == 2 and RELEASES[minor].metadata_attribute_filter_walks_path:
        return [segments[0], ATTRIBUTE, segments[1]]
    return [ATTRIBUTE, path]


def _identifiable_columns(singular: str | None, minor: str) -> list[str]:
    """The columns of `identifiable`: id, code, name, and shortName where the type persists one
    (2.41.9 DefaultJpaQueryParser#handleIdentifiablePath :93, `hasPersistedProperty`; 2.42.5
    DefaultQueryPlanner#autoFill :80 `setShortNamePersisted`, the same at 2.43.1 :83)."""
    props = registry.properties(singular, minor) if singular else {}
    short = props.get("shortName")
    persisted = short.get("persisted") if short is not None else not props
    return ["identifiable", "id", "code", "name"] + (["shortName"] if persisted else [])


# the operators DefaultQueryParser#createFilter builds without the filter's value (`in`/`!in`
# check theirs in #parseValues: "Invalid argument `null` for in operator.")
_WITHOUT_VALUE = frozenset({"in", "!in", "null", "!null", "empty", "!empty"})


def _rewritten(raw: str, minor: str) -> str:
    """`attributeValues.attribute.id:eq:X` as the attribute filter `X:!null` from 2.42
    (`Release.metadata_filter_attribute_id_rewritten`); X is the text after the last `:`."""
    if RELEASES[minor].metadata_filter_attribute_id_rewritten \
            and raw.startswith("attributeValues.attribute.id:eq:"):
        return raw[raw.rfind(":") + 1:] + ":!null"
    return raw


def parse_filters(values: list[str], singular: str | None = None, minor: str = "2.42"
                  ) -> list[tuple[list[str], str, str]]:
    """DefaultQueryParser#parse: `path:op[:arg]` (an arg may hold `:`), fewer than two parts →
    "Invalid filter => …"; the path is checked before the operator, the value as the
    property's type (`filter_values`) after it (409 for each). The filter
    is cut with Java's `split(":")`, which drops trailing empty parts: `name:` is one part and
    `id:in:` has no argument. `identifiable` is the special path at any number of parts from
    2.42 (2.42.5 #createFilter :104); 2.41.9 #parse (:72-82) knows it only with an argument,
    `identifiable:null` being an ordinary path, "Unknown path property: identifiable"
    (`Release.metadata_filter_identifiable_virtual`). The planner walks the attribute
    filters' paths once every filter is parsed (`_planned_path`)."""
    out = []
    planned: list[str] = []
    release = RELEASES[minor]
    for raw in values:
        parts = java_split(":", _rewritten(raw, minor))
        if len(parts) < 2:
            raise QueryParserError(f"Invalid filter => {raw}")
        path, op = parts[0], parts[1]
        arg = ":".join(parts[2:]) if len(parts) > 2 else None
        if arg is not None and release.metadata_filter_arg_as_written:
            arg = raw[len(path) + len(op) + 2:]  # `Release.metadata_filter_arg_as_written`
        if path == "identifiable" and arg is None \
                and not release.metadata_filter_identifiable_virtual:
            raise QueryParserError("Unknown path property: identifiable")
        attribute, prop = _check_path(singular, minor, path)
        if op not in OPERATORS or (op == "!empty" and not release.metadata_filter_not_empty):
            raise QueryParserError(f"`{op}` is not a valid operator.")
        virtual = path == "identifiable" and release.metadata_filter_identifiable_virtual
        if (attribute or virtual) and op in ("in", "!in"):
            # the parser reads the items as the property's (`property.isCollection()`) and an
            # attribute filter, or 2.42+'s `identifiable`, has none: 2.41.9
            # DefaultJpaQueryParser :143/:158, 2.42.5 DefaultQueryParser#parseValues :158 (from
            # #createFilter :104/:111), 2.43.1 the same
            raise webmessage.UncaughtException(
                'Cannot invoke "org.hisp.dhis.schema.Property.isCollection()" because '
                '"property" is null')
        if arg is None and op not in _WITHOUT_VALUE:
            # no argument (`name:eq`, `name:eq:`): the parser hands the null value on and the
            # operator's constructor puts it in `List.of(arg)` (operators/Operator.java: 2.41.9
            # :74-77, 2.42.5 :65-68, 2.43.1 :66-69), a NullPointerException without message that
            # CrudControllerAdvice#defaultExceptionHandler answers 500 with no message
            raise webmessage.fail(webmessage.error(500, None))
        prop = _with_constants(prop, release)
        try:
            if op in ("in", "!in"):
                _check_in_argument(arg)
                arg = filter_values.read_items(prop, arg or "")
            else:
                arg = filter_values.read(prop, op, arg)
        except filter_values.FilterValueError as refused:
            raise QueryParserError(str(refused)) from None
        if attribute:
            planned.append(path)
            out.append((_attribute_path(path, minor), op, arg or ""))
        elif path == "identifiable":
            out.append((_identifiable_columns(singular, minor), op, arg or ""))
        elif prop is not None and prop.get("collection") and op in _SIZE_OPERATORS:
            # 2.41.9's planner leaves a path through a reference (an alias) or a property not
            # persisted to the in-memory engine (DefaultQueryPlanner#getQuery :222-230)
            in_memory = release.metadata_memory_filter_tests_collection_items and (
                "." in path or not prop.get("persisted"))
            out.append(([*path.split("."), ITEMS if in_memory else SIZE], op, arg or ""))
        else:
            out.append((path.split("."), op, arg or ""))
    for path in planned:
        _planned_path(singular or "", minor, path)
    return out


Resolver = Callable[[dict[str, Any]], dict[str, Any]]


def _resolved_path(obj: Any, path: list[str], resolve: Resolver | None) -> list[Any]:
    """Values at a nested path; a reference (`{id}`) on the way is read from the store, as the
    query engine joins (`parent.code`, `dataSetElements.dataElement.id`)."""
    if not path:
        return [obj]
    if isinstance(obj, list):
        return [v for item in obj for v in _resolved_path(item, path, resolve)]
    if not isinstance(obj, dict):
        return []
    if path[0] not in obj and resolve is not None and set(obj) == {"id"}:
        obj = resolve(obj) or obj
    return _resolved_path(obj.get(path[0]), path[1:], resolve) if path[0] in obj else [None]


def _identifiable(obj: dict[str, Any], columns: list[str], op: str) -> list[Any]:
    """The `identifiable` path: the filter on id, code, name and (where persisted) the short
    name, any matching (2.42.5 `JpaCriteriaQueryEngine#buildIdentifiableFilter` :254-271, 2.43.1
    :475-492; 2.41.9 `DefaultJpaQueryParser#handleIdentifiablePath` :87-97, a disjunction). A
    null column matches no SQL comparison, so only the values the object holds take part, but
    `null` is `id IS NULL OR code IS NULL OR …`: an object without a code matches."""
    if op == "null":
        return [obj.get(k) for k in columns]
    return [obj[k] for k in columns if obj.get(k) is not None]


def _attribute_value(obj: Any, uid: str) -> str | None:
    """The object's value for the attribute (2.41.9 BaseIdentifiableObject#getAttributeValue,
    2.42+ AttributeValues#get): the first stored for it, null without one."""
    if not isinstance(obj, dict):
        return None
    for item in obj.get("attributeValues") or []:
        if isinstance(item, dict) and (item.get("attribute") or {}).get("id") == uid:
            value = item.get("value")
            return None if value is None else _as_text(value)
    return None


def _attribute_values(obj: dict[str, Any], path: list[str], resolve: Resolver | None
                      ) -> list[str | None]:
    """The value an attribute filter tests: the object's, or the referenced object's on
    2.41.9's `parent.AbcDefGhi12` (`_attribute_path`)."""
    owners: list[Any] = [obj]
    if path[0] != ATTRIBUTE:
        ref = obj.get(path[0])
        if isinstance(ref, dict) and resolve is not None and set(ref) == {"id"}:
            ref = resolve(ref) or ref
        owners = [ref]
    return [_attribute_value(owner, path[-1]) for owner in owners]


def _size_match(op: str, size: int, arg: int) -> bool:
    """A collection's size against the filter's Integer (`SIZE`)."""
    op = _ALIASES.get(op, op)
    return {"eq": size == arg, "!eq": size != arg, "gt": size > arg, "ge": size >= arg,
            "lt": size < arg, "le": size <= arg}[op]


_INTEGER_IS_NO_STRING = (
    "class java.lang.Integer cannot be cast to class java.lang.String (java.lang.Integer and "
    "java.lang.String are in module java.base of loader 'bootstrap')")


def _item_match(op: str, item: Any, arg: int) -> bool:
    """2.41.9's in-memory test of one collection item against the Integer the parser read
    (`ITEMS`): a number compared with it; a text item makes the operator read its Integer
    argument as a String (`String s1 = getValue(String.class)`, EqualOperator#test :100-103,
    GreaterThanOperator#test the same), a ClassCastException that
    CrudControllerAdvice#defaultExceptionHandler answers 500; an object is none of the types
    #test knows, false (NotEqualOperator#test negates it: true)."""
    if isinstance(item, str):
        raise webmessage.UncaughtException(_INTEGER_IS_NO_STRING)
    if isinstance(item, int) and not isinstance(item, bool):
        return _size_match(op, item, arg)
    return _ALIASES.get(op, op) == "!eq"


def apply_filters(items: list[dict[str, Any]], filters: list[tuple[list[str], str, str]],
                  junction: str, resolve: Resolver | None = None, minor: str = "2.42"
                  ) -> list[dict[str, Any]]:
    if not filters:
        return items
    text_can_be_empty = RELEASES[minor].metadata_filter_not_empty
    # 2.41.9 DefaultQueryPlanner#planQuery (:71-81): under OR with more than one filter every
    # filter runs in memory
    all_in_memory = (RELEASES[minor].metadata_memory_filter_tests_collection_items
                     and junction == "OR" and len(filters) > 1)

    def hit(obj: dict[str, Any], path: list[str], op: str, arg: str) -> bool:
        if ATTRIBUTE in path:
            # InMemoryQueryEngine: the operator's own test on the attribute value
            return any(memory_operators.test(op, v, arg, text_can_be_empty)
                       for v in _attribute_values(obj, path, resolve))
        if path[-1] == ITEMS or (path[-1] == SIZE and all_in_memory):
            # InMemoryQueryEngine#testAnd/#testOr (2.41.9 :146-196): any item passing
            return any(_item_match(op, item, int(arg))
                       for v in _resolved_path(obj, path[:-1], resolve)
                       for item in (v if isinstance(v, list) else []))
        if path[-1] == SIZE:
            # a stored object without the collection holds none: DHIS2's is empty, size 0
            return any(_size_match(op, len(v) if isinstance(v, list) else 0, int(arg))
                       for v in _resolved_path(obj, path[:-1], resolve))
        values = (_identifiable(obj, path[1:], op) if path[0] == "identifiable"
                  else _resolved_path(obj, path, resolve))
        return any(_match(op, v, arg) for v in values)

    def keep(obj: dict[str, Any]) -> bool:
        hits = [hit(obj, path, op, arg) for path, op, arg in filters]
        return any(hits) if junction == "OR" else all(hits)
    return [o for o in items if keep(o)]


def _resolving_inverse(ctx: Ctx, resolve: Resolver, names: set[str]) -> Resolver:
    """`resolve`, the referenced object then holding those of `names` that are collections its
    type does not own, read from their owning side (`with_inverse`)."""
    def read(ref: dict[str, Any]) -> dict[str, Any]:
        found = ctx.store.find_uid(str(ref.get("id") or ""))
        obj = resolve(ref)
        if found is None:
            return obj
        info = registry.by_plural(found[0], ctx.release.minor)
        wanted = names & inverse_names(info.singular, ctx.release.minor) if info else set()
        return with_inverse(ctx, found[0], obj, wanted) if wanted else obj
    return read


def apply_filters_with_inverse(ctx: Ctx, plural: str, items: list[dict[str, Any]],
                               filters: list[tuple[list[str], str, str]], junction: str,
                               resolve: Resolver | None = None) -> list[dict[str, Any]]:
    """`apply_filters` where a filter path starts with a collection the type does not own
    (`children`, a user's `userGroups`): the query engine joins it from its owning side, so the
    filter sees the collection as DHIS2 holds it, not the stored object's copy or its absence;
    the items kept are the ones given. A reference on the way (`parent.children`) is read with
    the inverse collections the rest of a path names, as the engine joins them too."""
    info = registry.by_plural(plural, ctx.release.minor)
    needed = ({path[0] for path, _, _ in filters} & inverse_names(info.singular, ctx.release.minor)
              if info is not None else set())
    later = {name for path, _, _ in filters for name in path[1:]}
    if resolve is not None and later:
        resolve = _resolving_inverse(ctx, resolve, later)
    if not needed:
        return apply_filters(items, filters, junction, resolve, ctx.release.minor)
    probes = [with_inverse(ctx, plural, item, needed) for item in items]
    kept = {id(p) for p in apply_filters(probes, filters, junction, resolve, ctx.release.minor)}
    return [item for item, probe in zip(items, probes, strict=True) if id(probe) in kept]


def apply_order(items: list[dict[str, Any]], order: str | None) -> list[dict[str, Any]]:
    if not order:
        if any("name" in o for o in items):
            return sorted(items, key=lambda o: (str(o.get("name") or "").lower(), o.get("id")))
        return items
    for part in reversed([p for p in order.split(",") if p]):
        field, _, direction = part.partition(":")
        desc = direction.lower() in ("desc", "idesc")
        ignore_case = direction.lower().startswith("i")

        def key(o: dict[str, Any], f: str = field, ic: bool = ignore_case) -> tuple[int, Any]:
            value = o.get(f)
            if value is None:
                return (1, "")
            if ic and isinstance(value, str):
                value = value.lower()
            return (0, value if isinstance(value, int | float) else str(value))
        items = sorted(items, key=key, reverse=desc)
    return items


def bind_paging_value(name: str, raw: str) -> bool | int:
    """`paging` (`boolean`), `page` or `pageSize` (`int`) of GetObjectListParams (2.42.5,
    2.43.1 :84/:88/:92) as Spring binds it through the conversion service:
    StringToBooleanConverter (trimmed, any case, true/on/yes/1, false/off/no/0) and
    StringToNumberConverterFactory (all whitespace dropped, `0x`/`#` hex, within the int range),
    a blank value being null, which a primitive refuses: 400 "It should be of type int|boolean"
    (CrudControllerAdvice#handleBindException → #handleTypeMismatchException, no errorCode)."""
    try:
        converted: bool | int | None = spring_bool(raw) if name == "paging" else spring_int(raw)
    except ValueError:
        converted = None
    if converted is not None:
        return converted
    kind = "boolean" if name == "paging" else "int"
    raise webmessage.fail(webmessage.error(400, f"{not_valid_value(name, raw)} It should be of type {kind}"))


def _bound_paging(args: Any) -> tuple[bool, int, int]:
    """GetObjectListParams' paging fields as Spring binds the bean (`bind_paging_value`): the
    parameters in name order (ServletRequestParameterPropertyValues' TreeMap), the first that
    does not convert refused (the BindException's first field error)."""
    values: dict[str, Any] = {"paging": True, "page": 1, "pageSize": DEFAULT_PAGE_SIZE}
    for name in sorted(values):
        raw = args.get(name)
        if raw is not None:
            values[name] = bind_paging_value(name, raw)
    return bool(values["paging"]), int(values["page"]), int(values["pageSize"])


_BEAN_ENUMS = {"defaults": ("INCLUDE", "EXCLUDE"), "rootJunction": ("AND", "OR")}


def _bound_enum(name: str, raw: str) -> str:
    """An org.hisp.dhis enum field of the bean (`convert_enum`)."""
    return convert_enum(name, raw, _BEAN_ENUMS[name])


# GetObjectParams' and GetObjectListParams' properties (2.42.5 = 2.43.1: `setFields(String)`,
# `defaults`, `setFilter(String)` / `setFilters`, `setOrder` / `setOrders`, `rootJunction`,
# `boolean paging`, `int page`, `int pageSize`, `query`) and their empty values
# (`core/web_data_binder.py`): `_paging` is false, `_page` a null the `int` refuses; a null
# `filter` is no filter (`#splitFilters`), the rest as absent
_E = web_data_binder.Empty
OBJECT_PARAMS_BEAN: dict[str, web_data_binder.Empty] = {"fields": _E.NULL, "defaults": _E.NULL}
LIST_PARAMS_BEAN: dict[str, web_data_binder.Empty] = {
    **OBJECT_PARAMS_BEAN,
    **dict.fromkeys(("filter", "filters", "order", "orders", "rootJunction", "query"), _E.NULL),
    "paging": _E.FALSE, "page": _E.NULL_PRIMITIVE, "pageSize": _E.NULL_PRIMITIVE}


def refuse_null_defaults(ctx: Ctx, owner: str) -> None:
    """2.42+ `_defaults` binds GetObjectParams#defaults (:76) to null (an enum has no empty
    value, `core/web_data_binder.py`) where neither `defaults` nor `!defaults` is given. The
    query takes the null (DefaultQueryService#removeDefaultObject only compares it), then
    AbstractFullReadOnlyController calls `isExclude()` on it for the answer: the list's
    `params.getDefaults()` (#getObjectListInternal 2.42.5 :229, 2.43.1 :236; `owner`
    GetObjectListParams, the erasure of its `P`), the single object's `query.getDefaults()`
    (#getObject 2.42.5 :432, 2.43.1 :436; `owner` Query), the NullPointerException
    CrudControllerAdvice#defaultExceptionHandler answers 500."""
    if not ctx.release.metadata_list_params_bound:
        return
    marked = web_data_binder.MARKER_PREFIX + "defaults" in web_data_binder.sent(ctx)
    if marked and "defaults" not in ctx.request.args:
        raise webmessage.fail(webmessage.error(
            500, 'Cannot invoke "org.hisp.dhis.query.Defaults.isExclude()" because the return '
            f'value of "org.hisp.dhis.query.{owner}.getDefaults()" is null'))


def list_root_junction(ctx: Ctx, bean: dict[str, web_data_binder.Empty] | None = None) -> str:
    """`rootJunction` of a `GET /api/{plural}` list. 2.41.9 WebOptions#getRootJunction
    (:101-104): OR only for the text `OR` as written, anything else AND. 2.42.5/2.43.1
    GetObjectListParams#rootJunction (:79), a `Junction.Type` the bean binding converts before
    the controller runs, so a refusal comes before any filter's; the bean's typed fields in
    name order, the first refused: GetObjectParams#defaults (:76), then the paging fields
    (`_bound_paging`), then rootJunction. 2.42+ bind the bean's `!name`, `_name` and `name[]`
    first (`bean`: its properties, GetObjectListParams' by default), so the whole request
    reads them as bound; 2.41's `WebOptions` and `@RequestParam`s have no such forms."""
    if ctx.release.metadata_list_params_bound:
        web_data_binder.bind(ctx, LIST_PARAMS_BEAN if bean is None else bean)
    args = ctx.request.args
    raw = args.get("rootJunction")
    if not ctx.release.metadata_list_params_bound:
        return "OR" if raw == "OR" else "AND"
    if args.get("defaults") is not None:
        _bound_enum("defaults", args["defaults"])
    _bound_paging(args)
    return "AND" if raw is None else _bound_enum("rootJunction", raw)


def _legacy_paging(args: Any) -> tuple[bool, int, int]:
    """2.41.9 WebOptions: Options#stringAsInt (Integer.parseInt: decimal, no whitespace, within
    the int range; the default when it fails) and #stringAsBoolean (Boolean.parseBoolean: only
    "true", in any case, is true)."""
    def number(name: str, default: int) -> int:
        text = args.get(name)
        try:
            return default if text is None else java_parse_int(text)
        except ValueError:
            return default
    paging = args.get("paging")
    return (True if paging is None else paging.lower() == "true",
            number("page", 1), number("pageSize", DEFAULT_PAGE_SIZE))


def paging_params(ctx: Ctx, bound: bool | None = None) -> tuple[bool, int, int]:
    """The request's `paging`, `page` and `pageSize` as read (unclamped); `bound` as `page`."""
    if bound is None:
        bound = ctx.release.metadata_list_params_bound
    return (_bound_paging if bound else _legacy_paging)(ctx.request.args)


def page(ctx: Ctx, items: list[Any], bound: bool | None = None,
         ) -> tuple[list[Any], dict[str, Any] | None]:
    """Slice for the request's page; the pager, or None with paging=false. `bound`: whether
    Spring binds the paging parameters (a bean such as IconQueryParams at every release);
    left out, the metadata list's `Release.metadata_list_params_bound`."""
    args = ctx.request.args
    paging, number, size = paging_params(ctx, bound)
    if not paging:
        return items, None
    number, size = max(1, number), max(1, size)
    total = len(items)
    count = math.ceil(total / size)  # common/Pager#getPageCount: 0 for an empty list
    # Pager#getPageInternal: the pager's page is kept within 1..pageCount, while the list
    # is still read at the requested page (AbstractFullReadOnlyController#getObjectList).
    shown = max(1, min(number, count))
    pager: dict[str, Any] = {"page": shown, "total": total, "pageSize": size,
                             "pageCount": count}
    pager.update(_pager_links(f"{ctx.base_url}{ctx.request.path}", args, shown, size, count))
    return items[(number - 1) * size: number * size], pager


def _java_url_encode(text: str) -> str:
    """`URLEncoder#encode` (UTF-8): `*` stays, `~` is escaped, a space is `+`."""
    return quote_plus(text, safe="*").replace("~", "%7E")


def _pager_links(base: str, args: Any, page: int, size: int, count: int) -> dict[str, str]:
    """`DefaultLinkService#generatePagerLinks`: `page` first, then `pageSize` unless it is
    the default, then the request's other parameters (`#getParametersString`, each name's
    values together); the link to page 1 carries no `page` (2.41.9 = 2.42.5 = 2.43.1). The
    names come from `DefaultContextService#getParameterValuesMap`, a `Collectors.toMap`
    HashMap of the request's parameter map, so they follow the HashMap's order, not the
    request's (2.41.9 :96-101, 2.42.5 :98-103, 2.43.1 :98-103)."""
    values_of = dict(args.lists())
    rest = "&".join(f"{_java_url_encode(name)}={_java_url_encode(value)}"
                    for name in java_hash_set_order(list(values_of))
                    if name not in ("page", "pageSize")
                    for value in values_of[name])
    sized = "" if size == DEFAULT_PAGE_SIZE else f"&pageSize={size}"
    links: dict[str, str] = {}
    if page < count:
        links["nextPage"] = f"{base}?page={page + 1}{sized}" + (f"&{rest}" if rest else "")
    if page > 1:
        if page - 1 > 1:
            links["prevPage"] = f"{base}?page={page - 1}{sized}" + (f"&{rest}" if rest else "")
        elif sized:
            links["prevPage"] = f"{base}?pageSize={size}" + (f"&{rest}" if rest else "")
        else:
            links["prevPage"] = base + (f"?{rest}" if rest else "")
    return links
