"""The `display*` text getters a type adds beside its stored text properties, written on reads.

dhis2-core gives a translatable text property `x` a `@JsonProperty` getter `getDisplayX()`
returning `getTranslation(KEY, getX())`: relationship types' `displayFromToName` /
`displayToFromName` (`relationship/RelationshipType.java` 2.41.9 :118-123/:135-140, 2.42.5 and
2.43.1 :120-125/:137-142), indicators' `displayNumeratorDescription` /
`displayDenominatorDescription`, validation rules' `displayInstruction`, the programs' and
program stages' `display*Label`s, the notification templates' `displaySubjectTemplate` /
`displayMessageTemplate`, the analytical objects' `displayTitle`, `displaySubtitle` and axis /
line labels, 2.43.1 tracked entity types' `displayTrackedEntityTypesLabel`.
`common/BaseIdentifiableObject.java#getTranslation` (2.41.9 :335-347, 2.42.5 :313-325, 2.43.1
:315-327) answers the translation of `x` into the user's database locale when there is one, else
`x` itself; a null `x` is not written (NON_NULL).

Which getters a type has at a release is read from the release's own properties
(`data/schema_properties/<tag>.json`): a `display<X>` property that is not persisted, next to a
property `<x>`. The persisted look-alikes (`displayDensity`, `displayOptions`, `displayInList`,
…) are stored flags, not getters, and are left alone; so are `displayName`,
`displayShortName` and `displayDescription`, which `query.py#decorate` writes;
`displayFormName` (every type with that property) falls back to the display name. Not
modelled: the translation itself (no user database locale is read), so the value is `x`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from scdi.sandbox.metadata import registry

_DECORATED = frozenset({"displayName", "displayShortName", "displayDescription", "displayFormName"})
_PREFIX = "display"


@cache
def display_getters(plural: str, minor: str) -> tuple[tuple[str, str], ...]:
    """(display property, the property it shows) of the type's `getDisplayX` getters."""
    info = registry.by_plural(plural, minor)
    if info is None:
        return ()
    props = registry.jackson_properties(info.singular, minor)
    out = []
    for name, prop in props.items():
        if not name.startswith(_PREFIX) or len(name) == len(_PREFIX) or name in _DECORATED \
                or prop.get("persisted"):
            continue
        rest = name[len(_PREFIX):]
        base = rest[0].lower() + rest[1:]
        if base in props:
            out.append((name, base))
    return tuple(out)


@cache
def _has_form_name(plural: str, minor: str) -> bool:
    info = registry.by_plural(plural, minor)
    return info is not None and "displayFormName" in registry.jackson_properties(info.singular, minor)


def write_display_getters(plural: str, minor: str, out: dict[str, Any]) -> None:
    """Set each display getter of `out` to the property it shows (dropped when that is null),
    and `displayFormName` to `#getFormNameFallback`: the form name unless it is empty, else the
    display name (`common/BaseNameableObject.java` 2.41.9 :208-218, 2.42.5 :214-225, 2.43.1
    :215-217/:230-236; 2.43.1 `program/Program.java` :1419-1428 and
    `category/CategoryOption.java` :426-433 the same)."""
    for name, base in display_getters(plural, minor):
        if out.get(base) is None:
            out.pop(name, None)
        else:
            out[name] = out[base]
    if _has_form_name(plural, minor):
        shown = out.get("formName") or out.get("displayName")
        if shown is None:
            out.pop("displayFormName", None)
        else:
            out["displayFormName"] = shown
