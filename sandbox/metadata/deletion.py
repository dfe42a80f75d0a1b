"""Deletion vetoes of metadata objects: what stops `importStrategy=DELETE` (and so
`DELETE /api/{plural}/{uid}`, which goes through the importer) from removing an object.

dhis2-core 2.42.5 (same in 2.41.9 and 2.43.1), paths under `dhis-2/`:
- `dhis-services/dhis-service-dxf2/.../objectbundle/DefaultObjectBundleService.java
  #deleteObject`: `DeletionManager#onDeletionWithoutRollBack`; a `DeleteNotAllowedException`
  becomes an `ErrorReport(klass, new ErrorMessage(ex.getMessage(), E4030, null))` on the
  object report (no args), the object counts ignored instead of deleted, and the import ends
  WARNING (`DefaultMetadataImportService#importMetadata`: error reports after commit);
- `dhis-support/dhis-support-system/.../system/deletion/DefaultDeletionManager.java
  #deleteObjects`: the first veto wins, message E4030 "Object could not be deleted because
  it is associated with another object: {0}" with the veto's message;
- `system/deletion/DeletionVeto.java`: the message is the vetoing class's simple name, or
  "Class (hint)";
- the vetoes between metadata objects (`whenVetoing` in the `*DeletionHandler.java` files):

- OptionSet: a DataElement has it as `optionSet` → "DataElement"
  (`dataelement/DataElementDeletionHandler#allowDeleteOptionSet`);
- Category: a CategoryCombo lists it → "CategoryCombo (name)", at 2.43.1 "CategoryCombo"
  (`category/CategoryComboDeletionHandler#allowDeleteCategory`,
  `Release.category_veto_names_combo`);
- IndicatorType: an Indicator has it → "Indicator (name)"
  (`indicator/IndicatorDeletionHandler#allowDeleteIndicatorType`);
- TrackedEntityType: a Program has it → "Program"
  (`program/ProgramDeletionHandler#allowDeleteTrackedEntityType`);
- DataElement: a program stage data element has it → "ProgramStage"
  (`program/ProgramStageDeletionHandler#allowDeleteDataElement`);
- ProgramStage: a ProgramRuleVariable or a ProgramRule action has it →
  "ProgramRuleVariable (names)" / "ProgramRule (names)"
  (`programrule/ProgramRuleVariableDeletionHandler#allowDeleteProgramStage`,
  `programrule/ProgramRuleDeletionHandler#allowDeleteProgramStage`);
- CategoryCombo, three vetoes over its option combos (`CategoryCombo#getOptionCombos`, the
  stored option combos whose `categoryCombo` it is), in registration order:
  a data value (deleted ones too) with one of them as category or attribute option combo →
  "CategoryOptionCombo" (`category/CategoryOptionComboDeletionHandler#allowDeleteCategoryCombo`,
  2.41.9 :85-110, 2.42.5 and 2.43.1 :87-112, the handler's plain VETO; its completed data set
  registrations are not kept by the sandbox); an indicator whose numerator or denominator
  names one of them in a data element operand → "Indicator (name)", the first in the
  indicators' stored order (`indicator/IndicatorDeletionHandler#allowDeleteCategoryCombo`,
  2.41.9 :118-132, 2.42.5 and 2.43.1 :120-134, `expression_items.py`); a predictor with one
  of them as `outputCombo` → "Predictor"
  (`predictor/PredictorDeletionHandler#allowDeleteCategoryCombo`, 2.41.9 :101-109, 2.42.5 and
  2.43.1 :103-111);
- OrganisationUnit: it has children → "OrganisationUnit (names joined by ',')"
  (`organisationunit/OrganisationUnitDeletionHandler#allowDeleteOrganisationUnit`, 2.41.9
  :106-112, 2.42.5 :108-114, 2.43.1 :107-113), in the iteration order of
  `OrganisationUnit.children`: Hibernate 5.6's PersistentSet over a `HashSet` whose elements
  hash by `BaseIdentifiableObject#hashCode` (uid, code, name; the same at the three tags).
  Read from the database the set is a `new HashSet()` the rows are added to (`SetType
  #instantiate(-1)`), which is what the sandbox emulates, rows in the order they were stored.
  The collection is also in the second-level cache (`OrganisationUnit.hbm.xml` :22-26,
  `<cache usage="read-write"/>`); a set assembled from the cache is sized for its elements
  (`#instantiate(n)`: `new HashSet(n + n * .75)`) and may iterate in another order.

The ProgramRuleVariable and ProgramRule lists come from queries (`getProgramRuleVariable`,
`getProgramRule` of the stage's program): lists in the database's order, kept as stored.

Vetoes that look at data (data values, tracker objects; but a category combo's data values)
and the deletion handlers that detach references (group members) are not modelled; what a
category combo's deletion handlers do is `combo_fallback.py`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from scdi.sandbox.core import java_hash
from scdi.sandbox.core.store import Store
from scdi.sandbox.metadata import expression_items
from scdi.upstream.releases import RELEASES


def _ref(value: Any) -> str | None:
    return value.get("id") if isinstance(value, dict) else None


def _refs(values: Any) -> list[str]:
    return [v["id"] for v in values or [] if isinstance(v, dict) and v.get("id")]


def _names(objs: Iterable[dict[str, Any]]) -> list[str]:
    return [str(o.get("name")) for o in objs]


def _option_set(store: Store, uid: str, minor: str) -> str | None:
    if any(_ref(de.get("optionSet")) == uid for de in store.list_objects("dataElements")):
        return "DataElement"
    return None


def _category(store: Store, uid: str, minor: str) -> str | None:
    for combo in store.list_objects("categoryCombos"):
        if uid in _refs(combo.get("categories")):
            if not RELEASES[minor].category_veto_names_combo:
                return "CategoryCombo"
            return f"CategoryCombo ({combo.get('name')})"
    return None


def option_combo_ids(store: Store, combo_uid: str) -> list[str]:
    """`CategoryCombo#getOptionCombos`: the stored option combos pointing at the combo."""
    return [str(c["id"]) for c in store.list_objects("categoryOptionCombos")
            if _ref(c.get("categoryCombo")) == combo_uid and c.get("id")]


def _has_data_values(store: Store, option_combos: list[str]) -> bool:
    ids = json.dumps(option_combos)
    with store.lock:
        row = store.conn.execute(
            "SELECT 1 FROM data_values WHERE coc IN (SELECT value FROM json_each(?)) "
            "OR aoc IN (SELECT value FROM json_each(?)) LIMIT 1", (ids, ids)).fetchone()
    return row is not None


def _category_combo(store: Store, uid: str, minor: str) -> str | None:
    option_combos = option_combo_ids(store, uid)
    if not option_combos:
        return None
    if _has_data_values(store, option_combos):
        return "CategoryOptionCombo"
    wanted = set(option_combos)
    for indicator in store.list_objects("indicators"):
        named = expression_items.option_combo_ids(indicator.get("numerator")) | \
            expression_items.option_combo_ids(indicator.get("denominator"))
        if named & wanted:
            return f"Indicator ({indicator.get('name')})"
    if any(_ref(p.get("outputCombo")) in wanted for p in store.list_objects("predictors")):
        return "Predictor"
    return None


def _indicator_type(store: Store, uid: str, minor: str) -> str | None:
    for indicator in store.list_objects("indicators"):
        if _ref(indicator.get("indicatorType")) == uid:
            return f"Indicator ({indicator.get('name')})"
    return None


def _tracked_entity_type(store: Store, uid: str, minor: str) -> str | None:
    if any(_ref(p.get("trackedEntityType")) == uid for p in store.list_objects("programs")):
        return "Program"
    return None


def _data_element(store: Store, uid: str, minor: str) -> str | None:
    for stage in store.list_objects("programStages"):
        if any(_ref(psde.get("dataElement")) == uid
               for psde in stage.get("programStageDataElements") or []
               if isinstance(psde, dict)):
            return "ProgramStage"
    return None


def _program_stage(store: Store, uid: str, minor: str) -> str | None:
    variables = [v for v in store.list_objects("programRuleVariables")
                 if _ref(v.get("programStage")) == uid]
    if variables:
        return f"ProgramRuleVariable ({', '.join(_names(variables))})"
    actions = {a["id"] for a in store.list_objects("programRuleActions")
               if _ref(a.get("programStage")) == uid and a.get("id")}
    rules = [r for r in store.list_objects("programRules")
             if actions & set(_refs(r.get("programRuleActions")))]
    if rules:
        return f"ProgramRule ({', '.join(_names(rules))})"
    return None


def _identity(unit: dict[str, Any]) -> tuple[str | None, ...]:
    return tuple(None if unit.get(k) is None else str(unit[k]) for k in ("id", "code", "name"))


def _organisation_unit(store: Store, uid: str, minor: str) -> str | None:
    rows = [u for u in store.list_objects("organisationUnits") if _ref(u.get("parent")) == uid]
    children = java_hash.hash_set_order(
        rows, hash_code=lambda u: java_hash.identifiable_hash(*_identity(u)), key=_identity)
    if children:
        return f"OrganisationUnit ({','.join(_names(children))})"
    return None


# DefaultDeletionManager keeps the vetoes per class in registration order, the handlers'
# @PostConstruct in bean order: the component scan's, package by package (a CategoryCombo's
# category, indicator, predictor handlers); ProgramStage's two handlers are registered in bean
# order (ProgramRuleVariable's answer is the one a stage with
# both hits first in the sandbox, either way the deletion is refused with E4030).
VETOES: dict[str, Callable[[Store, str, str], str | None]] = {
    "optionSets": _option_set,
    "categories": _category,
    "categoryCombos": _category_combo,
    "indicatorTypes": _indicator_type,
    "trackedEntityTypes": _tracked_entity_type,
    "dataElements": _data_element,
    "programStages": _program_stage,
    "organisationUnits": _organisation_unit,
}

E4030 = "Object could not be deleted because it is associated with another object: {0}"


def veto(store: Store, plural: str, uid: str, minor: str = "2.42") -> str | None:
    """The E4030 message when deleting `uid` at release `minor` is vetoed, else None (the
    vetoes of category option combos, none modelled, are the same at every release)."""
    check = VETOES.get(plural)
    found = check(store, uid, minor) if check else None
    return E4030.replace("{0}", found) if found else None
