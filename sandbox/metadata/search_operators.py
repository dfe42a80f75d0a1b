"""The search operators of a tracked entity attribute, as 2.43.1's
`dxf2/metadata/objectbundle/hooks/TrackedEntityAttributeObjectBundleHook.java#validate` checks
them after the TextPattern and field mask reports (:93-126; the properties
`blockedSearchOperators` and `preferredSearchOperator` are new at 2.43.1,
`Release.attribute_search_operators`):
- E4088 the blocked operators that cannot be blocked (`CollectionUtils#intersection` of
  NON_BLOCKABLE_OPERATORS and the blocked ones, :63-64, :93-103), with that set;
- none preferred: nothing more; else E4081 for a preferred operator that is no tracker
  operator (`QueryOperator#getTrackerOperators`, :109-116): its message has a `{2}` that no
  arg fills, so MessageFormat leaves it as it is;
- E4082 for a preferred operator the attribute blocks, unless E4088 was reported (:118-126).
The sets' `toString`: an EnumSet in declaration order (`common/QueryOperator.java`).
Not modelled: the order of several operators in E4088's first arg, a HashSet of enums whose
hash codes are identity hash codes (declaration order here), and an operator name that is no
QueryOperator constant (Jackson's refusal).
"""

from __future__ import annotations

from typing import Any

from scdi.sandbox.metadata.preheat import Finding

_TEA = "org.hisp.dhis.trackedentity.TrackedEntityAttribute"
# QueryOperator's constants in declaration order
_OPERATORS = ("EQ", "GT", "GE", "LT", "LE", "LIKE", "IN", "SW", "EW", "NULL", "NNULL", "IEQ",
              "NE", "NEQ", "NIEQ", "NLIKE", "ILIKE", "NILIKE")
_NON_BLOCKABLE = ("EQ", "GT", "GE", "LT", "LE", "IN", "NULL", "NNULL")
_TRACKER = ("EQ", "GT", "GE", "LT", "LE", "LIKE", "IN", "SW", "EW", "NULL", "NNULL")

MESSAGES = {
    "E4081": "The preferred search operator `{0}` provided for the tracked entity attribute "
             "`{1}` is not part of the supported tracker operators `{2}`",
    "E4082": "The preferred search operator `{0}` is blocked for the selected tracked entity "
             "attribute `{1}`",
    "E4088": "The operator(s) `{0}` cannot be blocked. The following operators cannot be "
             "blocked: `{1}`.",
}


def _in_order(names: set[str]) -> list[str]:
    return [name for name in _OPERATORS if name in names]


def _text(names: list[str] | tuple[str, ...]) -> str:
    """`AbstractCollection#toString`."""
    return "[" + ", ".join(names) + "]"


def findings(obj: dict[str, Any]) -> list[Finding]:
    blocked_given = obj.get("blockedSearchOperators")
    blocked = {str(op) for op in blocked_given} if isinstance(blocked_given, list) else set()
    out: list[Finding] = []
    refused = _in_order(blocked & set(_NON_BLOCKABLE))
    if refused:
        out.append(("E4088", [_text(refused), _text(_NON_BLOCKABLE)], _TEA,
                    {"properties": [refused, list(_NON_BLOCKABLE)]}))
    preferred = obj.get("preferredSearchOperator")
    if not isinstance(preferred, str):
        return out
    if preferred not in _TRACKER:
        out.append(("E4081", [preferred, _text(_TRACKER)], _TEA,
                    {"properties": [preferred, list(_TRACKER)]}))
    if not refused and preferred in blocked:
        uid = obj.get("id") if isinstance(obj.get("id"), str) else None
        out.append(("E4082", [preferred, uid], _TEA))
    return out
