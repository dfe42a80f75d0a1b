"""What `ProgramRuleVariableObjectBundleHook#preCreate/#preUpdate` does to a program rule
variable before it is saved (SOURCE_TYPE_RESOLVER, the same at 2.41.9, 2.42.5 and 2.43.1):
- CALCULATED_VALUE: no attribute, data element or stage;
- DATAELEMENT_CURRENT_EVENT / _NEWEST_EVENT_PROGRAM / _PREVIOUS_EVENT: no attribute or stage,
  and the value type of the data element;
- DATAELEMENT_NEWEST_EVENT_PROGRAM_STAGE: no attribute (value type as sent);
- TEI_ATTRIBUTE: no data element or stage, and the value type of the attribute.
The data element or attribute is the preheat's (payload or store). One the preheat does not
hold (a reference the import reported as E5002 and still commits, atomicMode NONE) would be a
NullPointerException in DHIS2; it is not modelled: the variable is kept as sent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_DATA_ELEMENT_SOURCES = {"DATAELEMENT_CURRENT_EVENT", "DATAELEMENT_NEWEST_EVENT_PROGRAM",
                         "DATAELEMENT_PREVIOUS_EVENT"}

Resolve = Callable[[str, dict[str, Any]], dict[str, Any] | None]


def pre_save(doc: dict[str, Any], resolve: Resolve) -> dict[str, Any]:
    """The variable as the hook leaves it for the save."""
    source = doc.get("programRuleVariableSourceType")
    out = dict(doc)
    if source == "CALCULATED_VALUE":
        for name in ("trackedEntityAttribute", "dataElement", "programStage"):
            out.pop(name, None)
    elif source in _DATA_ELEMENT_SOURCES:
        out.pop("trackedEntityAttribute", None)
        out.pop("programStage", None)
        _take_value_type(out, "dataElements", out.get("dataElement"), resolve)
    elif source == "DATAELEMENT_NEWEST_EVENT_PROGRAM_STAGE":
        out.pop("trackedEntityAttribute", None)
    elif source == "TEI_ATTRIBUTE":
        out.pop("dataElement", None)
        out.pop("programStage", None)
        _take_value_type(out, "trackedEntityAttributes", out.get("trackedEntityAttribute"), resolve)
    return out


def _take_value_type(out: dict[str, Any], plural: str, ref: Any,
                     resolve: Resolve) -> None:
    found = resolve(plural, ref) if isinstance(ref, dict) else None
    if found is not None:
        out["valueType"] = found.get("valueType")
