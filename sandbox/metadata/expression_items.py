"""The category option combos an indicator expression names.

dhis2-core `dhis-services/dhis-service-core/src/main/java/org/hisp/dhis/expression/`:
- `DefaultExpressionService#getExpressionOptionComboIds` (2.41.9 :555-570, 2.42.5 :563-578,
  2.43.1 :538-553): of the expression's DATA_ELEMENT_OPERAND items, the second and third uid
  (`DimensionalItemId#getId1`, `#getId2`: category and attribute option combo) where given;
- `dataitem/DimItemDataElementAndOperand#getDimensionalItemId` (2.41.9 :54-72, 2.42.5 and
  2.43.1 :57-75): a `#{…}` item is an operand when it has a second or third part
  (`#isDataElementOperandSyntax`); a `*` wildcard part is no uid.

Only the `#{…}` items are read, not the whole grammar: an item inside a string literal, or an
expression that does not parse (a ParserException in DHIS2), is not told apart.
"""

from __future__ import annotations

import re

_UID = r"[A-Za-z][A-Za-z0-9]{10}"
# `#{de}`, `#{de.coc}`, `#{de.coc.aoc}`, `#{de.*.aoc}`, `#{de.coc.*}`; the lexer skips
# whitespace between the item's tokens
_ITEM = re.compile(
    rf"#\{{\s*({_UID})\s*(?:\.\s*({_UID}|\*)\s*)?(?:\.\s*({_UID}|\*)\s*)?\}}")


def option_combo_ids(expression: object) -> set[str]:
    """The option combo uids of the data element operands in `expression`."""
    if not isinstance(expression, str):
        return set()
    found: set[str] = set()
    for match in _ITEM.finditer(expression):
        found.update(part for part in match.group(2, 3) if part and part != "*")
    return found
