"""What a category combo's deletion handlers do once no veto stopped its deletion.

dhis2-core `dhis-services/dhis-service-core/src/main/java/org/hisp/dhis/`, the
`whenDeleting(CategoryCombo.class, …)` handlers that `DefaultDeletionManager#deleteObjects`
runs in registration order (the handlers' @PostConstruct in component-scan order, package by
package) before `DefaultObjectBundleService#deleteObject` deletes the combo (its vetoes are
`deletion.py`):
- `category/CategoryDeletionHandler#deleteCategoryCombo` (2.41.9 :51-56, 2.42.5 :53-58, 2.43.1
  :55-62): each category the combo lists drops it from its `categoryCombos` and is saved;
- `category/CategoryOptionComboDeletionHandler#deleteCategoryCombo` (2.41.9 :122-130, 2.42.5
  and 2.43.1 :124-132): each of the combo's option combos is removed from the combo and
  deleted (`CategoryService#deleteCategoryOptionCombo`, whose own deletion handlers run:
  `CategoryComboDeletionHandler#deleteCategoryOptionCombo` saves every category combo at
  2.41.9, none at 2.42.5/2.43.1, where the combo no longer holds it:
  `Release.option_combo_deletion_updates_every_combo`, `option_combos.deleted`);
- `dataelement/DataElementDeletionHandler#deleteCategoryCombo` (2.41.9 :62-73, 2.42.5 and
  2.43.1 :64-75), `dataset/DataSetDeletionHandler#deleteCategoryCombo` (2.41.9 :119-131,
  2.42.5 and 2.43.1 :121-133), `program/ProgramDeletionHandler#deleteCategoryCombo` (2.41.9
  :68-80, 2.42.5 :70-82: a program's `categoryCombo`; 2.43.1 :72-89: its
  `enrollmentCategoryCombo` too, a property only the 2.43.1 class has): the users of the combo
  fall back to the default combo.
Each object changed is saved with `IdentifiableObjectManager#updateNoAcl`, whose
`HibernateIdentifiableObjectStore#updateNoAcl` (`#setFields`) stamps `lastUpdated` and
`lastUpdatedBy` (the user deleting). Not modelled: the option combos' own vetoes
(`DataElementOperandDeletionHandler`, `DataDimensionItemDeletionHandler`, approvals and
audits), which, raised inside a deletion handler, DHIS2 turns into E4060 naming the handler's
lambda; and the data the option combos' handlers remove (min-max values, validation results).
"""

from __future__ import annotations

from typing import Any

from scdi.sandbox.core import objects
from scdi.sandbox.core.store import Store
from scdi.sandbox.core.users import User
from scdi.sandbox.metadata import deletion, option_combos
from scdi.sandbox.metadata.defaults import DEFAULT_CATEGORY_COMBO

# plural → the combo references its deletion handler sets back to the default
_REFERENCES = {
    "programs": ("categoryCombo", "enrollmentCategoryCombo"),
    "dataElements": ("categoryCombo",),
    "dataSets": ("categoryCombo",),
}


def _points_at(value: Any, uid: str) -> bool:
    return isinstance(value, dict) and value.get("id") == uid


def _touch_categories(store: Store, combo: dict[str, Any], user: User | None,
                      when: str) -> None:
    for ref in combo.get("categories") or []:
        category = store.get_object("categories", ref["id"]) \
            if isinstance(ref, dict) and isinstance(ref.get("id"), str) else None
        if category is not None:
            saved = dict(category)
            objects.stamp_update(saved, category, user, when)
            store.put_object("categories", saved)


def _delete_option_combos(store: Store, uid: str, user: User | None, when: str,
                          minor: str) -> None:
    for option_combo in deletion.option_combo_ids(store, uid):
        store.delete_object("categoryOptionCombos", option_combo)
        option_combos.deleted(store, user, when, minor)


def _fall_back(store: Store, uid: str, user: User | None, when: str) -> None:
    for plural, keys in _REFERENCES.items():
        for obj in store.list_objects(plural):
            changed = [key for key in keys if _points_at(obj.get(key), uid)]
            if not changed:
                continue
            updated = {**obj, **{key: {"id": DEFAULT_CATEGORY_COMBO} for key in changed}}
            objects.stamp_update(updated, obj, user, when)
            store.put_object(plural, updated)


def combo_deleted(store: Store, uid: str, user: User | None, when: str, minor: str) -> None:
    """Run the deletion handlers of the category combo `uid`, still stored, in DHIS2's order."""
    combo = store.get_object("categoryCombos", uid)
    if combo is not None:
        _touch_categories(store, combo, user, when)
    _delete_option_combos(store, uid, user, when, minor)
    _fall_back(store, uid, user, when)
