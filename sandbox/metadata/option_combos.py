"""Category option combos: what DHIS2 generates for a category combo, and when.

`POST /api/metadata` never generates them (no object-bundle hook does, at 2.41.9, 2.42.5 or
2.43.1): a package's option combos are stored as given, with their UIDs, and a package without
them has none until a category combo is saved through `/api/categoryCombos` or the maintenance
endpoint runs (`maintenance/routes.py`).

- `webapi/controller/category/CategoryComboController#postCreateEntity/#postUpdateEntity`
  (after a successful `POST`/`PUT /api/categoryCombos`): 2.41.9
  `dataelement/DefaultCategoryService#updateOptionCombos(CategoryCombo)` adds the missing
  combos of a valid category combo; 2.42.5 and 2.43.1
  `category/DefaultCategoryOptionComboGenerateService#addAndPruneOptionCombos` adds the
  missing, renames the persisted whose name differs and deletes the obsolete.
- `DefaultCategoryOptionComboGenerateService#addAndPruneOptionCombo` (2.41.9 = 2.42.5 =
  2.43.1): generated = `CategoryCombo#generateOptionCombosSet` (one per combination of the
  options of the categories that have options, `CategoryCombo#getCategoryOptionsAsLists`);
  a persisted combo matches a generated one by `CategoryOptionCombo#equals` (same category
  combo, same set of options); a generated one without options is never added.
- name: `CategoryOptionCombo#getName` — for each category of the combo in order, the display
  names of the combo's options in that category, joined ", " (at most 255 characters); a new
  combo gets a generated UID, no code, `ignoreApproval` false.
- summaries (`addAndPruneOptionCombosWithSummary`): "Added missing category option combo:
  `name` for category combo: `name`" (imported 1), "Update category option combo `UID` name to
  `name`" (updated 1; `%S` upper-cases the UID), "Deleted obsolete category option combo: …"
  (deleted 1) or, vetoed, "Could not delete category option combo: `name` due to `message`"
  (WARNING, ignored 1); an invalid combo (`CategoryCombo#isValid`: no categories, or a category
  without options) gives one ERROR summary "Category combo UID is invalid, could not update
  option combos".
- a deleted option combo (`CategoryService#deleteCategoryOptionComboNoRollback`, after
  `cc.getOptionCombos().remove(coc)`) runs its deletion handlers:
  `CategoryComboDeletionHandler#deleteCategoryOptionCombo` saves every category combo at 2.41.9
  (:60-65, `updateNoAcl`: lastUpdated, lastUpdatedBy), none at 2.42.5 (:63-70) and 2.43.1
  (:57-64), which save the option combo's own combo only while it still holds it
  (`Release.option_combo_deletion_updates_every_combo`).
"""

from __future__ import annotations

import itertools
from typing import Any

from scdi.sandbox.core import objects
from scdi.sandbox.core.import_summaries import import_summaries
from scdi.sandbox.core.store import Store
from scdi.sandbox.core.users import User
from scdi.sandbox.metadata import deletion
from scdi.upstream.releases import RELEASES

PLURAL = "categoryOptionCombos"


def _ids(refs: Any) -> list[str]:
    return [r["id"] for r in refs or [] if isinstance(r, dict) and isinstance(r.get("id"), str)]


def _categories(store: Store, combo: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for uid in _ids(combo.get("categories")):
        category = store.get_object("categories", uid)
        if category is not None:
            out.append(category)
    return out


def is_valid(store: Store, combo: dict[str, Any]) -> bool:
    """CategoryCombo#isValid."""
    categories = _categories(store, combo)
    return bool(categories) and all(_ids(c.get("categoryOptions")) for c in categories)


def _name(store: Store, categories: list[dict[str, Any]], options: frozenset[str]) -> str:
    """CategoryOptionCombo#getName."""
    parts = []
    for category in categories:
        for uid in _ids(category.get("categoryOptions")):
            if uid in options:
                option = store.get_object("categoryOptions", uid) or {}
                parts.append(str(option.get("name") or uid))
    return ", ".join(parts)[:255]


def persisted(store: Store, combo_uid: str) -> list[dict[str, Any]]:
    """The option combos of a category combo (the owner side is `categoryCombo` of the
    option combo; `CategoryCombo#optionCombos` is its inverse)."""
    return [c for c in store.list_objects(PLURAL)
            if isinstance(c.get("categoryCombo"), dict)
            and c["categoryCombo"].get("id") == combo_uid]


def deleted(store: Store, user: User | None, when: str, minor: str) -> None:
    """What a deleted option combo's CategoryCombo deletion handler saves: at 2.41 every
    category combo, later releases none (the combo already dropped the option combo)."""
    if not RELEASES[minor].option_combo_deletion_updates_every_combo:
        return
    for combo in store.list_objects("categoryCombos"):
        saved = dict(combo)
        objects.stamp_update(saved, combo, user, when)
        store.put_object("categoryCombos", saved)


def summary(description: str, count: str, status: str = "SUCCESS") -> dict[str, Any]:
    """ImportSummary JSON (dxf2/importsummary/ImportSummary.java, ImportCount.java)."""
    import_count = {"imported": 0, "updated": 0, "ignored": 0, "deleted": 0}
    import_count[count] += 1
    return {"responseType": "ImportSummary", "status": status, "description": description,
            "importCount": import_count, "conflicts": [], "rejectedIndexes": []}


def update(store: Store, user: User | None, combo_uid: str, *, prune: bool, minor: str,
           summaries: list[dict[str, Any]] | None = None) -> None:
    """Align the stored option combos of one category combo with the generated ones."""
    combo = store.get_object("categoryCombos", combo_uid)
    if combo is None:
        return
    categories = _categories(store, combo)
    option_lists = [_ids(c.get("categoryOptions")) for c in categories]
    generated = {frozenset(combination)
                 for combination in itertools.product(*[o for o in option_lists if o])}
    combo_name = combo.get("name")
    stored = persisted(store, combo_uid)
    stored_sets = {frozenset(_ids(c.get("categoryOptions"))) for c in stored}
    when = objects.now()
    if prune:
        for coc in stored:
            options = frozenset(_ids(coc.get("categoryOptions")))
            if options in generated:
                name = _name(store, categories, options)
                if coc.get("name") != name:
                    coc["name"] = name
                    objects.stamp_update(coc, coc, user, when)
                    store.put_object(PLURAL, coc)
                    if summaries is not None:
                        summaries.append(summary(
                            f"Update category option combo `{coc['id'].upper()}` name to "
                            f"`{name}`", "updated"))
                continue
            refused = deletion.veto(store, PLURAL, coc["id"])
            if refused:
                if summaries is not None:
                    summaries.append(summary(
                        f"Could not delete category option combo: `{coc.get('name')}` due to "
                        f"`{refused}`", "ignored", "WARNING"))
                continue
            store.delete_object(PLURAL, coc["id"])
            deleted(store, user, when, minor)
            if summaries is not None:
                summaries.append(summary(
                    f"Deleted obsolete category option combo: `{coc.get('name')}` for category "
                    f"combo: `{combo_name}`", "deleted"))
    for options in generated:
        if not options or options in stored_sets:
            continue
        name = _name(store, categories, options)
        new: dict[str, Any] = {
            "id": objects.generate_uid(), "name": name, "ignoreApproval": False,
            "categoryCombo": {"id": combo_uid},
            "categoryOptions": [{"id": uid} for uid in sorted(options)]}
        objects.stamp_create(new, user, when, shareable=False)
        store.put_object(PLURAL, new)
        if summaries is not None:
            summaries.append(summary(
                f"Added missing category option combo: `{name}` for category combo: "
                f"`{combo_name}`", "imported"))


def update_all(store: Store, user: User | None, minor: str) -> None:
    """addAndPruneAllOptionCombos: every category combo, the default one included."""
    for combo in store.list_objects("categoryCombos"):
        update(store, user, combo["id"], prune=True, minor=minor)


def update_with_summary(store: Store, user: User | None, combo_uid: str,
                        minor: str) -> dict[str, Any]:
    """addAndPruneOptionCombosWithSummary → ImportSummaries JSON."""
    combo = store.get_object("categoryCombos", combo_uid) or {}
    summaries: list[dict[str, Any]] = []
    if not is_valid(store, combo):
        summaries.append({"responseType": "ImportSummary", "status": "ERROR",
                          "description": f"Category combo {combo_uid} is invalid, could not "
                                         "update option combos",
                          "importCount": {"imported": 0, "updated": 0, "ignored": 0,
                                          "deleted": 0},
                          "conflicts": [], "rejectedIndexes": []})
    else:
        update(store, user, combo_uid, prune=True, minor=minor, summaries=summaries)
    return import_summaries(summaries)
