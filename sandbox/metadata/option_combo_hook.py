"""`CategoryOptionComboObjectBundleHook#validate`: the checks of an imported option combo.

dhis2-core `dhis-services/dhis-service-dxf2/.../dxf2/metadata/objectbundle/hooks/`
`CategoryOptionComboObjectBundleHook.java` (2.42.5, 2.43.1; no such hook at 2.41.9,
`Release.category_option_combo_hook`), each report on CategoryOptionCombo unless said:
- `#checkNonStandardDefaultCatOptionCombo`: E1133 (the option combo's name) without a category
  combo, else E1122 for an option combo of the default category combo other than the default
  one (2.42.5 :66-89, 2.43.1 :312-334);
- `#checkIsValid` (2.42.5 :58-64, 2.43.1 :304-310):
  `category/DefaultCategoryService#validate(CategoryOptionCombo)`. 2.42.5 (:425-431) throws its
  own E1133 with the option combo's uid, so a combo-less option combo gets two E1133 reports;
  2.43.1 (:444-446) passes the null combo to `#validate(CategoryCombo)`, whose
  `combo.getCategories()` (:331) is a NullPointerException that ends the import
  (`Release.category_option_combo_validate_npe`). The combo it is given otherwise is the
  payload's bare reference, with no categories, so the category limits never fail here;
- `#checkFullCatOptComboSetProvided` (2.43.1 :98-160, `Release.category_option_combo_full_set`):
  the category combo (a stored option combo's stored one, else the preheat's) must be known
  (E1110 on CategoryCombo, the payload's combo uid, :120-125), and the payload must hold as
  many option combos of it as `#checkExpectedSize` (:249-269) counts combinations (E1130).
Once the count matches, `#duplicateCocExists` (E1132) and `#checkExpectedState` (E1131):
`option_combo_state.py`.
"""

from __future__ import annotations

from typing import Any

from scdi.sandbox.core import java_double, webmessage
from scdi.sandbox.metadata import option_combo_state, preheat
from scdi.sandbox.metadata.defaults import DEFAULT_CATEGORY_COMBO, DEFAULT_CATEGORY_OPTION_COMBO
from scdi.sandbox.metadata.preheat import Finding, HookContext

MESSAGES = {
    "E1110": "Category combo not found or not accessible: `{0}`",
    "E1122": "Category option combo {0} cannot be associated with the default category combo",
    "E1130": "Importing {0} CategoryOptionCombos does not match the expected amount of {1} for "
             "CategoryCombo {2}",
    "E1133": "CategoryCombo must be provided for Category option combo {0}",
    **option_combo_state.MESSAGES,
}

PLURAL = "categoryOptionCombos"
_CATEGORY_COMBO = "org.hisp.dhis.category.CategoryCombo"
# JDK helpful NullPointerException messages (parameters named: dhis2-core compiles with -g)
_VALIDATE_NULL_COMBO = ('Cannot invoke "org.hisp.dhis.category.CategoryCombo.getCategories()" '
                        'because "combo" is null')
_FILTER_NULL_COMBO = ('Cannot invoke "org.hisp.dhis.category.CategoryCombo.getUid()" because '
                      'the return value of "org.hisp.dhis.category.CategoryOptionCombo'
                      '.getCategoryCombo()" is null')


def _failure(ctx: HookContext, message: str) -> webmessage.UncaughtException:
    return webmessage.UncaughtException(ctx.release.metadata_validation_failure_message or message)


def _ids(refs: Any) -> list[str]:
    return [r["id"] for r in refs or [] if isinstance(r, dict) and isinstance(r.get("id"), str)]


def combination_count(sizes: list[int]) -> int:
    """How many lists `CombinationGenerator#getCombinations` yields for lists of these sizes.
    Its odometer skips empty lists, but it starts the last list one before its first element:
    when that list is empty the all-first combination is never yielded."""
    if not sizes:
        return 0
    product = 1
    for size in sizes:
        product *= size or 1
    return product - 1 if sizes[-1] == 0 else product


def _option_lists(ctx: HookContext, combo: dict[str, Any]) -> list[list[str]]:
    """`#getCosAsUidLists`: the combo's categories as the preheat has them (stored first), or,
    when none is found there, the combo's own category objects."""
    refs = [c for c in combo.get("categories") or [] if isinstance(c, dict)]
    categories = [c for c in (preheat.get(ctx, "categories", r) for r in refs) if c is not None]
    return [_ids(c.get("categoryOptions")) for c in categories or refs]


def _bundle_combos(ctx: HookContext) -> list[dict[str, Any]]:
    unique = {id(o): o for o in ctx.payload.get(PLURAL, {}).values()}
    return list(unique.values())


def _full_set(ctx: HookContext, obj: dict[str, Any]) -> list[Finding]:
    stored = ctx.store.get_object(PLURAL, str(obj.get("id"))) if obj.get("id") else None
    if stored is not None:
        expected = preheat.get(ctx, "categoryCombos", stored.get("categoryCombo"))
    else:
        expected = preheat.get(ctx, "categoryCombos", obj.get("categoryCombo"))
    if expected is None:
        return [("E1110", [preheat.ref_id(obj.get("categoryCombo"))], _CATEGORY_COMBO)]
    provided: list[dict[str, Any]] = []
    for other in _bundle_combos(ctx):
        # the hasSameCcUid filter reads every payload option combo's combo
        if not isinstance(other.get("categoryCombo"), dict):
            raise _failure(ctx, _FILTER_NULL_COMBO)
        if other["categoryCombo"].get("id") == expected.get("id"):
            provided.append(other)
    option_lists = _option_lists(ctx, expected)
    count = combination_count([len(options) for options in option_lists])
    if count == len(provided):
        if stored is None:
            found = option_combo_state.duplicate(ctx, obj, str(preheat.ref_id(
                obj.get("categoryCombo"))))
            if found:
                return found
        return option_combo_state.state(obj, provided, str(expected.get("id")), option_lists)
    provided_count = len(provided)
    return [("E1130", [provided_count, count, expected.get("id")], "", {
        "properties": [provided_count, count, expected.get("id")],
        "message_args": [java_double.message_format(provided_count),
                         java_double.message_format(count), expected.get("id")]})]


def validate(ctx: HookContext, obj: dict[str, Any]) -> list[Finding]:
    if not ctx.release.category_option_combo_hook:
        return []
    if not isinstance(obj.get("categoryCombo"), dict):
        if ctx.release.category_option_combo_validate_npe:
            raise _failure(ctx, _VALIDATE_NULL_COMBO)
        return [("E1133", [obj.get("name")], ""), ("E1133", [obj.get("id")], "")]
    out: list[Finding] = []
    if preheat.ref_id(obj["categoryCombo"]) == DEFAULT_CATEGORY_COMBO and \
            obj.get("id") != DEFAULT_CATEGORY_OPTION_COMBO:
        out.append(("E1122", [obj.get("name")], ""))
    if ctx.release.category_option_combo_full_set:
        out.extend(_full_set(ctx, obj))
    return out
