"""A deleted category combo's users fall back to the default combo.

dhis2-core `dhis-services/dhis-service-core/src/main/java/org/hisp/dhis/`, the
`whenDeleting(CategoryCombo.class, …)` handlers that `DefaultDeletionManager` runs once no veto
stopped the deletion:
- `program/ProgramDeletionHandler#deleteCategoryCombo` (2.41.9 :68-80, 2.42.5 :70-82: a program's
  `categoryCombo`; 2.43.1 :72-89: its `enrollmentCategoryCombo` too, a property only the 2.43.1
  class has, so an older release never stores one);
- `dataelement/DataElementDeletionHandler#deleteCategoryCombo` (2.41.9 :62-73, 2.42.5 and
  2.43.1 :64-75);
- `dataset/DataSetDeletionHandler#deleteCategoryCombo` (2.41.9 :119-131, 2.42.5 and 2.43.1
  :121-133).
Each object changed is saved with `IdentifiableObjectManager#updateNoAcl`, whose
`HibernateIdentifiableObjectStore#setFields` stamps `lastUpdated` and `lastUpdatedBy` (the user
deleting). Not modelled: the other handlers of a combo's deletion (its option combos'
`CategoryOptionComboDeletionHandler`, `CategoryDeletionHandler`) and the vetoes of
`IndicatorDeletionHandler`, `PredictorDeletionHandler` and `CategoryOptionComboDeletionHandler`.
"""

from __future__ import annotations

from typing import Any

from scdi.sandbox.core import objects
from scdi.sandbox.core.store import Store
from scdi.sandbox.core.users import User
from scdi.sandbox.metadata.defaults import DEFAULT_CATEGORY_COMBO

# plural → the combo references its deletion handler sets back to the default
_REFERENCES = {
    "programs": ("categoryCombo", "enrollmentCategoryCombo"),
    "dataElements": ("categoryCombo",),
    "dataSets": ("categoryCombo",),
}


def _points_at(value: Any, uid: str) -> bool:
    return isinstance(value, dict) and value.get("id") == uid


def combo_deleted(store: Store, uid: str, user: User | None, when: str) -> None:
    """Set every reference to the deleted combo `uid` back to the default combo."""
    for plural, keys in _REFERENCES.items():
        for obj in store.list_objects(plural):
            changed = [key for key in keys if _points_at(obj.get(key), uid)]
            if not changed:
                continue
            updated = {**obj, **{key: {"id": DEFAULT_CATEGORY_COMBO} for key in changed}}
            objects.stamp_update(updated, obj, user, when)
            store.put_object(plural, updated)
