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
  payload's bare reference, with no categories, so the category limits never fail here.
"""

from __future__ import annotations

from typing import Any

from scdi.sandbox.core import webmessage
from scdi.sandbox.metadata import preheat
from scdi.sandbox.metadata.defaults import DEFAULT_CATEGORY_COMBO, DEFAULT_CATEGORY_OPTION_COMBO
from scdi.sandbox.metadata.preheat import Finding, HookContext

MESSAGES = {
    "E1122": "Category option combo {0} cannot be associated with the default category combo",
    "E1133": "CategoryCombo must be provided for Category option combo {0}",
}

# the JDK's helpful NullPointerException message (parameters named: dhis2-core compiles with -g)
_VALIDATE_NULL_COMBO = ('Cannot invoke "org.hisp.dhis.category.CategoryCombo.getCategories()" '
                        'because "combo" is null')


def _failure(ctx: HookContext, message: str) -> webmessage.UncaughtException:
    return webmessage.UncaughtException(ctx.release.metadata_validation_failure_message or message)


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
    return out
