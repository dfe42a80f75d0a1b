"""2.43.1's option combo state checks, once the payload holds as many option combos of a
category combo as its categories make combinations.

dhis2-core 2.43.1 `dhis-services/dhis-service-dxf2/.../objectbundle/hooks/`
`CategoryOptionComboObjectBundleHook.java` (`Release.category_option_combo_full_set`):
- `#duplicateCocExists` (:162-191), for an option combo not stored yet: a stored option combo of
  the same category combo whose options include all of its options
  (`HibernateCategoryOptionComboStore#findByCategoryComboAndCategoryOptions`: `co.uid in (…)`,
  `having count(co.uid) = size`) is E1132 (the option combo's uid, the stored one's, the
  category combo's, the options), and the state is not checked;
- `#checkExpectedState` (:193-233): the option sets the payload's option combos of the category
  combo give must be those its categories combine (`CombinationGenerator`); if not, an option
  combo whose option set is not expected, or is given twice (`CollectionUtils#findDuplicates`),
  is E1131 (its options, the category combo, the expected option sets no option combo gave).
Sets are Java HashSets of `UID` printed by `AbstractCollection#toString`: `UID#hashCode` is
Lombok's (59 + the value's hash), a set's `AbstractSet#hashCode` the sum of its elements';
`Collectors.toSet()` grows a default table, `new HashSet<>(collection)` sizes it as Java 21
does (the 2.43.1 image: `dhis-web-server/pom.xml` `jib.from.image` distroless java21).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scdi.sandbox.core import java_hash
from scdi.sandbox.metadata.preheat import Finding, HookContext
from scdi.upstream.releases import RELEASES

MESSAGES = {
    "E1131": "Unexpected CategoryOptionCombo provided with CategoryOptions: {0} for "
             "CategoryCombo: {1}. Missing expected CategoryOptionCombos with CategoryOption "
             "sets: {2}",
    "E1132": "Provided CategoryOptionCombo {0} cannot be processed (potential duplicate). An "
             "existing CategoryOptionCombo {1} has the same CategoryCombo {2} and same "
             "CategoryOptions {3}",
}

_JDK = RELEASES["2.43"].jdk_major  # the checks are 2.43.1's alone
_CLASS = "org.hisp.dhis.category.CategoryOptionCombo"

UidSet = frozenset[str]


def _uid_hash(uid: str) -> int:
    return java_hash.fold(0, 59 + java_hash.string_hash(uid))  # Lombok: 1 * 59 + value's


def _set_hash(uids: Iterable[str]) -> int:
    total = 0
    for uid in uids:
        total = java_hash.fold(0, total + _uid_hash(uid))  # the int sum of AbstractSet
    return total


def _collected(uids: Iterable[str]) -> list[str]:
    """`Collectors.toSet()` of UIDs: a HashSet grown from the default table."""
    return java_hash.hash_set_order(list(uids), hash_code=_uid_hash)


def _copied(uids: list[str]) -> list[str]:
    """`new HashSet<>(list)` of UIDs."""
    return java_hash.hash_set_order(
        uids, capacity=java_hash.copy_capacity(len(dict.fromkeys(uids)), _JDK),
        hash_code=_uid_hash)


def _text(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def _options(obj: dict[str, Any]) -> list[str]:
    return [str(r["id"]) for r in obj.get("categoryOptions") or []
            if isinstance(r, dict) and r.get("id")]


def combinations(option_lists: list[list[str]]) -> list[list[str]]:
    """`CombinationGenerator#getCombinations`: an odometer over the lists, the last one
    rewound by one before the start, empty lists skipped in each combination."""
    count = len(option_lists)
    if count == 0:
        return []
    indexes = [0] * count
    indexes[-1] -= 1

    def has_next() -> bool:
        return any(indexes[i] < len(option_lists[i]) - 1 for i in range(count))

    out: list[list[str]] = []
    while has_next():
        for i in range(count - 1, -1, -1):
            if indexes[i] < len(option_lists[i]) - 1:
                indexes[i] += 1
                out.append([option_lists[j][indexes[j]] for j in range(count)
                            if option_lists[j]])
                break
            if has_next():
                indexes[i] = 0
    return out


def duplicate(ctx: HookContext, obj: dict[str, Any], combo_uid: str) -> list[Finding]:
    """`#duplicateCocExists` for an option combo not stored yet."""
    options = _collected(_options(obj))
    if not options:
        return []
    for stored in ctx.store.list_objects("categoryOptionCombos"):
        if (stored.get("categoryCombo") or {}).get("id") == combo_uid and \
                set(options) <= set(_options(stored)):
            args = [obj.get("id"), stored.get("id"), combo_uid, _text(options)]
            return [("E1132", args, _CLASS, {
                "properties": [obj.get("id"), stored.get("id"), combo_uid, options]})]
    return []


def state(obj: dict[str, Any], provided: list[dict[str, Any]], combo_uid: str,
          option_lists: list[list[str]]) -> list[Finding]:
    """`#checkExpectedState` for `obj`, `provided` the payload's option combos of the combo."""
    generated = [_copied(combination) for combination in combinations(option_lists)]
    # Collectors.toSet() of the inner sets, then `new HashSet<>(expectedSetOfCos)`
    expected_sets = java_hash.hash_set_order(
        generated, hash_code=_set_hash, key=frozenset)
    expected_sets = java_hash.hash_set_order(
        expected_sets, capacity=java_hash.copy_capacity(len(expected_sets), _JDK),
        hash_code=_set_hash, key=frozenset)
    expected = {frozenset(s) for s in expected_sets}
    given = [frozenset(_options(o)) for o in provided]
    if expected == set(given):
        return []
    seen: set[UidSet] = set()
    repeated: set[UidSet] = set()
    for options in given:
        (repeated if options in seen else seen).add(options)
    unexpected = (set(given) - expected) | repeated
    mine = frozenset(_options(obj))
    if mine not in unexpected:
        return []
    missing = [s for s in expected_sets if frozenset(s) not in set(given)]
    shown = _collected(_options(obj))
    return [("E1131", [_text(shown), combo_uid, _text([_text(s) for s in missing])], _CLASS, {
        "properties": [shown, combo_uid, missing]})]
