"""The iteration order of a `java.util.HashSet<String>` (OpenJDK 17 `String#hashCode`,
`HashMap#hash`, `#putVal`, `#resize`).

DHIS2 keeps many string collections as HashSets and Jackson writes them in iteration order:
nodes are visited by bucket (`(h ^ (h >>> 16)) & (capacity - 1)`), and within a bucket in the
order they were added (`#putVal` appends to the bin, `#resize` splits a bin into two lists that
keep their relative order). So the order is fixed by the table's capacity once the elements
are known; the capacity follows the way the set was built:
- `new HashSet<>()` then `add` (Jackson's `CollectionDeserializer`): 16, doubled each time the
  size passes three quarters of it;
- `new HashSet<>(collection)`: on JDK 17 `tableSizeFor(max((int) (n / .75f) + 1, 16))`, on
  JDK 19 and later `tableSizeFor(ceil(max(n, 12) / 0.75))` (`HashMap#newHashMap`); 2.41 and
  2.42 images run JDK 17, the 2.43 image JDK 21 (`dhis-web-server/pom.xml` `jib.from.image`).
Not modelled: bins of eight or more in a table of 64 or more become trees (`#treeifyBin`),
whose insertions go after their parent node, not at the bin's end.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

T = TypeVar("T")

DEFAULT_CAPACITY = 16  # HashMap.DEFAULT_INITIAL_CAPACITY
_MAXIMUM_CAPACITY = 1 << 30


def _int32(value: int) -> int:
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value & 0x80000000 else value


def string_hash(text: str) -> int:
    """String#hashCode: s[0]*31^(n-1) + … + s[n-1] over UTF-16 code units, as a Java int."""
    h = 0
    data = text.encode("utf-16-be", "surrogatepass")
    for i in range(0, len(data), 2):
        h = (31 * h + (data[i] << 8 | data[i + 1])) & 0xFFFFFFFF
    return _int32(h)


def spread(h: int) -> int:
    """HashMap#hash: the high half folded into the low half (`h ^ (h >>> 16)`)."""
    unsigned = h & 0xFFFFFFFF
    return _int32(unsigned ^ (unsigned >> 16))


def bucket(text: str, capacity: int) -> int:
    return spread(string_hash(text)) & (capacity - 1)


def table_size_for(cap: int) -> int:
    """HashMap#tableSizeFor: the least power of two at or above `cap` (at least 1)."""
    if cap <= 1:
        return 1
    return min(1 << (cap - 1).bit_length(), _MAXIMUM_CAPACITY)


def _float32(value: float) -> float:
    return float(struct.unpack("f", struct.pack("f", value))[0])


def map_copy_capacity(size: int, jdk: int = 17) -> int:
    """The table of `new HashMap<>(map)` (Guava `Maps#newHashMap(map)`) of `size` entries:
    `#putMapEntries` sizes it before any put, on JDK 17 `tableSizeFor((int) (size / 0.75f +
    1.0f))`, from JDK 19 (JDK-8281631) `tableSizeFor((int) Math.ceil(size / (double) 0.75f))`
    (24 entries: 64 buckets on 17, 32 on 21; both run on JDK 17 and Temurin 25)."""
    if size == 0:
        return DEFAULT_CAPACITY
    if jdk >= 19:
        return table_size_for(-(-size * 4 // 3))  # ceil(size / 0.75) in exact arithmetic
    return table_size_for(int(_float32(_float32(size / _float32(0.75)) + 1.0)))


def grown(capacity: int, size: int) -> int:
    """The capacity after `size` elements were added to a table of `capacity`: `#putVal`
    resizes once `++size > threshold`, threshold = (int) (capacity * 0.75f)."""
    while capacity < _MAXIMUM_CAPACITY and size > int(capacity * 0.75):
        capacity *= 2
    return capacity


def copy_capacity(size: int, jdk: int = 17) -> int:
    """The table of `new HashSet<>(collection)` of `size` elements."""
    if jdk >= 19:
        initial = -(-max(size, 12) * 4 // 3)  # ceil(n / 0.75) in exact arithmetic
    else:
        initial = max(int(_float32(size / _float32(0.75))) + 1, DEFAULT_CAPACITY)
    return grown(table_size_for(initial), size)


def identifiable_hash(uid: str | None, code: str | None, name: str | None) -> int:
    """BaseIdentifiableObject#hashCode: uid, code and name folded by 31 (a null counts 0)."""
    result = 0
    for part in (uid, code, name):
        result = _int32(31 * result + (string_hash(part) if part is not None else 0))
    return result


def nameable_hash(uid: str | None, code: str | None, name: str | None,
                  short_name: str | None = None, description: str | None = None) -> int:
    """BaseNameableObject#hashCode: BaseIdentifiableObject's, then shortName and description
    folded by 31 (a null counts 0); subclasses that do not override it (BaseDimensionalObject)
    hash so too."""
    return fold(identifiable_hash(uid, code, name),
                *(string_hash(part) if part is not None else 0 for part in (short_name, description)))


def fold(result: int, *hashes: int) -> int:
    """The `result = 31 * result + h` of hand-written hashCode methods, as a Java int."""
    for h in hashes:
        result = _int32(31 * result + h)
    return result


def boolean_hash(value: bool) -> int:
    return 1231 if value else 1237  # Boolean#hashCode


def objects_hash(*parts: str | None) -> int:
    """Objects#hash of strings (Arrays#hashCode): 1, then 31 × result + each hashCode (null 0)."""
    result = 1
    for part in parts:
        result = _int32(31 * result + (string_hash(part) if part is not None else 0))
    return result


def hash_set_order(items: Iterable[T], capacity: int | None = None,
                   hash_code: Callable[[T], int] | None = None,
                   key: Callable[[T], Hashable] | None = None) -> list[T]:
    """The elements of a HashSet the items were added to in turn (an element equal to one
    already there is dropped: the first stays), in iteration order. `capacity` is the final
    table size, by default the one a `new HashSet<>()` grows to; `hash_code` is the elements'
    hashCode (String#hashCode by default) and `key` what their equals compares."""
    by_key: dict[Hashable, T] = {}
    for item in items:
        by_key.setdefault(item if key is None else key(item), item)
    unique = list(by_key.values())
    table = grown(DEFAULT_CAPACITY, len(unique)) if capacity is None else capacity
    hashes = [spread(string_hash(str(item)) if hash_code is None else hash_code(item))
              for item in unique]
    # sorted() is stable: within a bucket the order of addition stays
    order = sorted(range(len(unique)), key=lambda i: hashes[i] & (table - 1))
    return [unique[i] for i in order]
