from scdi.sandbox.core import java_hash


def test_string_hash_is_javas_int() -> None:
    assert java_hash.string_hash("") == 0
    assert java_hash.string_hash("GET") == 70454
    # a well-known string whose hashCode is Integer.MIN_VALUE
    assert java_hash.string_hash("polygenelubricants") == -(2**31)
    # UTF-16 code units: a supplementary character counts as its two surrogates
    assert java_hash.string_hash("\U0001F600") == 0xD83D * 31 + 0xDE00


def test_spread_and_bucket() -> None:
    assert java_hash.spread(-(2**31)) == -(2**31) ^ 0x8000
    assert java_hash.bucket("GET", 16) == 7 and java_hash.bucket("GET", 64) == 55


def test_capacity_history() -> None:
    assert java_hash.grown(16, 12) == 16 and java_hash.grown(16, 13) == 32
    # new HashSet<>(collection) of 12: JDK 17 (int) (12 / .75f) + 1 = 17 → 32; JDK 19+ 16
    assert java_hash.copy_capacity(12) == 32 and java_hash.copy_capacity(12, jdk=21) == 16


def test_order_by_bucket_then_addition() -> None:
    assert java_hash.hash_set_order(["PUT", "GET", "PATCH", "GET", "HEAD"]) == [
        "HEAD", "GET", "PUT", "PATCH"]
    assert java_hash.hash_set_order(["zz", "aa"]) == ["zz", "aa"]  # both in bucket 0
    assert java_hash.hash_set_order(["zz", "aa"], capacity=64) == ["zz", "aa"]


def test_identifiable_hash_folds_uid_code_and_name() -> None:
    # BaseIdentifiableObject#hashCode: ((h(uid)) * 31 + h(code)) * 31 + h(name), nulls 0
    assert java_hash.identifiable_hash("A", None, None) == 65 * 961
    assert java_hash.identifiable_hash(None, "B", "C") == 66 * 31 + 67
    refs = [("x", None), ("y", None), ("x", None)]
    assert java_hash.hash_set_order(refs, hash_code=lambda r: java_hash.string_hash(r[0]),
                                    key=lambda r: r) == [("x", None), ("y", None)]


def test_nameable_hash_folds_short_name_and_description_after() -> None:
    # BaseNameableObject#hashCode: the identifiable hash, then shortName and description by 31;
    # the analytics dimensions' values as a JDK 17 program printed them
    assert java_hash.nameable_hash("A", None, None, "B", "C") == (65 * 961 * 31 + 66) * 31 + 67
    assert [java_hash.nameable_hash(n, None, None) for n in ("dx", "pe", "ou")] == \
        [-1321229676, -995226763, -1009079578]


def test_objects_hash_starts_at_one() -> None:
    # Objects.hash("a") = 31 * 1 + 97; a null part counts 0
    assert java_hash.objects_hash("a") == 128
    assert java_hash.objects_hash(None, "a") == 31 * 31 + 97


def test_map_copy_capacity_per_jdk() -> None:
    # the table `new HashMap<>(map)` allocates, as JDK 17 and Temurin 25 report it (reflection
    # on `HashMap.table`): JDK 19 (JDK-8281631) sizes it tableSizeFor(ceil(s / 0.75))
    jdk17 = {3: 8, 6: 16, 12: 32, 23: 32, 24: 64, 25: 64, 48: 128}
    jdk25 = {3: 4, 6: 8, 12: 16, 23: 32, 24: 32, 25: 64, 48: 64}
    assert {s: java_hash.map_copy_capacity(s) for s in jdk17} == jdk17
    assert {s: java_hash.map_copy_capacity(s, 21) for s in jdk25} == jdk25
