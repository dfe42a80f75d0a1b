"""/api/dataStore answers as DatastoreController / DefaultDatastoreService give them."""

from __future__ import annotations

import pytest
import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN

JSON = {"Content-Type": "application/json"}


def test_datastore_lifecycle(fresh_sandbox: RunningSandbox) -> None:
    base = f"{fresh_sandbox.url}/api/dataStore"
    assert requests.get(base, auth=ADMIN, timeout=10).json() == []
    missing_ns = requests.get(f"{base}/scdi", auth=ADMIN, timeout=10)
    assert missing_ns.status_code == 404
    assert missing_ns.json()["message"] == "Namespace not found: 'scdi'"
    created = requests.post(f"{base}/scdi/settings", json={"a": 1}, auth=ADMIN, timeout=10)
    assert created.status_code == 201 and created.json()["message"] == "Key created: 'settings'"
    again = requests.post(f"{base}/scdi/settings", json={"a": 2}, auth=ADMIN, timeout=10)
    assert again.status_code == 409
    assert again.json()["message"] == "Key 'settings' already exists in namespace 'scdi'"
    assert requests.get(f"{base}/scdi/settings", auth=ADMIN, timeout=10).json() == {"a": 1}
    updated = requests.put(f"{base}/scdi/settings", json={"a": 3}, auth=ADMIN, timeout=10)
    assert updated.status_code == 200 and updated.json()["message"] == "Key updated: 'settings'"
    assert requests.get(f"{base}/scdi", auth=ADMIN, timeout=10).json() == ["settings"]
    meta = requests.get(f"{base}/scdi/settings/metaData", auth=ADMIN, timeout=10).json()
    assert meta["key"] == "settings" and meta["namespace"] == "scdi"
    bad = requests.post(f"{base}/scdi/broken", data="{not json", auth=ADMIN, timeout=10,
                        headers={"Content-Type": "application/json"})
    assert bad.status_code == 400
    assert bad.json()["message"] == "Invalid JSON value for key 'broken'"
    gone = requests.delete(f"{base}/scdi/settings", auth=ADMIN, timeout=10)
    assert gone.json()["message"] == "Key 'settings' deleted from namespace 'scdi'"
    missing = requests.get(f"{base}/scdi/settings", auth=ADMIN, timeout=10)
    assert missing.status_code == 404
    assert missing.json()["message"] == "Key 'settings' not found in namespace 'scdi'"


def test_datastore_entries_query(fresh_sandbox: RunningSandbox) -> None:
    # DatastoreController#getEntries (params = "fields"), AbstractDatastoreController
    # #writeEntries, JsonWriter#writeEntries, DatastoreQuery#parseFields (2.42.5).
    url = f"{fresh_sandbox.url}/api/dataStore/scdi-q"
    for key, value in (("b", {"name": "Bình", "age": 30, "addr": {"city": "Huế"}}),
                       ("a", {"name": "An"}), ("c", {"other": 1})):
        assert requests.post(f"{url}/{key}", json=value, auth=ADMIN, timeout=10).status_code == 201
    assert requests.get(url, auth=ADMIN, timeout=10).json() == ["a", "b", "c"]
    body = requests.get(url, params={"fields": "name,addr[city]"}, auth=ADMIN, timeout=10).json()
    assert body == {"pager": {"page": 1, "pageSize": 50}, "entries": [
        {"key": "a", "name": "An", "addr": {"city": None}},
        {"key": "b", "name": "Bình", "addr": {"city": "Huế"}}]}
    every = requests.get(url, params={"fields": "name", "includeAll": "true", "headless": "true"},
                         auth=ADMIN, timeout=10).json()
    assert every == [{"key": "a", "name": "An"}, {"key": "b", "name": "Bình"},
                     {"key": "c", "name": None}]
    whole = requests.get(url, params={"fields": ".", "pageSize": "1", "page": "2"}, auth=ADMIN,
                         timeout=10).json()
    assert whole == {"pager": {"page": 2, "pageSize": 1},
                     "entries": [{"key": "b", "value": {"name": "Bình", "age": 30,
                                                        "addr": {"city": "Huế"}}}]}
    aliased = requests.get(url, params={"fields": "name~hoist(n)", "headless": "true"},
                           auth=ADMIN, timeout=10).json()
    assert aliased == [{"key": "a", "n": "An"}, {"key": "b", "n": "Bình"}]


def test_datastore_fields_nest_with_round_braces_and_hoist_aliases(fresh_sandbox: RunningSandbox
                                                                   ) -> None:
    # DatastoreQuery#parseFields (2.41.9 :342-369, 2.42.5/2.43.1 :344-371): `(` opens a level
    # as `[` does and `)` closes one (nothing at the top level); an alias is
    # `name~hoist(alias)` (#addNonEmptyTo 2.41.9 :396-403, 2.42.5/2.43.1 :398-405).
    url = f"{fresh_sandbox.url}/api/dataStore/scdi-parse"
    assert requests.post(f"{url}/k", json={"x": 1, "y": {"z": 2}, "c": 3},
                         auth=ADMIN, timeout=10).status_code == 201

    def headless(fields: str) -> object:
        answer = requests.get(url, params={"fields": fields, "headless": "true"}, auth=ADMIN,
                              timeout=10)
        assert answer.status_code == 200, answer.text
        return answer.json()

    assert headless("y(z)") == [{"key": "k", "y": {"z": 2}}]
    assert headless("x)") == [{"key": "k", "x": 1}]
    assert headless("y[z]c") == [{"key": "k", "y": {"z": 2}, "c": 3}]
    assert headless("y[z~hoist(top)],x~hoist(renamed)") == [{"key": "k", "top": 2, "renamed": 1}]
    assert headless(".~hoist(all)") == [{"key": "k", "all": {"c": 3, "x": 1, "y": {"z": 2}}}]
    # the old `name(alias)` form is the path name.alias, null in every entry: none is listed
    assert headless("x(n)") == []


def test_datastore_fields_refusals_are_illegal_query_409s(fresh_sandbox: RunningSandbox) -> None:
    # #isNameCharacter (2.41.9 :432-434, 2.42.5/2.43.1 :434-436): letters, digits and `.`;
    # after a name anything but `,[]()` is E7651 at its position (a MessageFormat number);
    # #normalisePath / PATH_PATTERN (2.41.9 :444-455, 2.42.5/2.43.1 :446-457) refuse the rest
    # as E7650. IllegalQueryException → CrudControllerAdvice's 409 with the code, parsed in the
    # method body: after the binding's 400 and before writeEntries' setNoStore.
    url = f"{fresh_sandbox.url}/api/dataStore/scdi-refuse"
    assert requests.post(f"{url}/k", json={"my_key": 1}, auth=ADMIN, timeout=10).status_code == 201
    e7651 = "Illegal fields expression, expected `,`, `[` or `]` at position {} but found `{}`"
    for fields, message, code in (
            ("my_key", e7651.format(2, "_"), "E7651"),
            (" x", e7651.format(0, " "), "E7651"),
            ("x;y", e7651.format(1, ";"), "E7651"),
            ("a-b", e7651.format(1, "-"), "E7651"),
            ("x~", e7651.format(0, "x"), "E7651"),
            ("," * 1000 + ";", e7651.format("1,000", ";"), "E7651"),
            ("x..y", "Not a valid path: `x..y`", "E7650"),
            ("a" * 33, f"Not a valid path: `{'a' * 33}`", "E7650"),
            ("a" * 32 + ",b.c.d.e.f.g.h", "Not a valid path: `b.c.d.e.f.g.h`", "E7650"),
            ("[x]", "Not a valid path: `.x`", "E7650"),
            ("\u00e9", "Not a valid path: `\u00e9`", "E7650"),
            ("x~y(z)", "Not a valid path: `x~y(z)`", "E7650")):
        refused = requests.get(url, params={"fields": fields}, auth=ADMIN, timeout=10)
        assert refused.status_code == 409, fields
        assert refused.json() == {"httpStatus": "Conflict", "httpStatusCode": 409,
                                  "status": "ERROR", "message": message, "errorCode": code}
        assert refused.headers["Cache-Control"] == "no-cache, private"
    six = requests.get(url, params={"fields": "a.b.c.d.e.f", "includeAll": "true"}, auth=ADMIN,
                       timeout=10)
    assert six.status_code == 200
    assert six.json()["entries"] == [{"key": "k", "a": {"b": {"c": {"d": {"e": {"f": None}}}}}}]
    first = requests.get(url, params={"fields": "my_key", "page": "abc"}, auth=ADMIN, timeout=10)
    assert first.status_code == 400
    assert first.json()["message"] == ("Value 'abc' is not valid for parameter page. "
                                       "It should be of type int")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_datastore_fields_unclosed_alias_is_the_jdks_bounds_500(sandbox_factory, version: str
                                                                ) -> None:
    # #findAliasEnd (2.41.9 :425-430, 2.42.5/2.43.1 :427-432): a `~` with no `)` after it ends
    # the name at indexOf's -1 + 1 = 0, so past the first name `substring(start, 0)` throws,
    # #defaultExceptionHandler's 500 with the JDK's message (17 at 2.41.9/2.42.5, 21 at 2.43.1).
    url = f"{sandbox_factory(version=version).url}/api/dataStore/scdi-tilde"
    assert requests.post(f"{url}/k", json={"a": 1}, auth=ADMIN, timeout=10).status_code == 201
    failed = requests.get(url, params={"fields": "a,x~"}, auth=ADMIN, timeout=10)
    assert failed.status_code == 500
    assert failed.json()["message"] == ("Range [2, 0) out of bounds for length 4"
                                        if version == "2.43" else "begin 2, end 0, length 4")


def test_datastore_entries_page_size_is_capped_at_1000(fresh_sandbox: RunningSandbox) -> None:
    # DatastoreQuery#with: `max(1, min(1000, params.getPageSize()))` (2.41.9 DatastoreQuery.java:292,
    # 2.42.5/2.43.1 :294); the pager echoes the capped size.
    url = f"{fresh_sandbox.url}/api/dataStore/scdi-cap"
    assert requests.post(f"{url}/a", json={"a": 1}, auth=ADMIN, timeout=10).status_code == 201
    body = requests.get(url, params={"fields": "a", "pageSize": "5000"}, auth=ADMIN,
                        timeout=10).json()
    assert body == {"pager": {"page": 1, "pageSize": 1000}, "entries": [{"key": "a", "a": 1}]}


def test_datastore_entries_parameters_bind_as_spring_primitives(fresh_sandbox: RunningSandbox
                                                                ) -> None:
    # DatastoreParams (int page, int pageSize, boolean paging, boolean headless) and
    # @RequestParam boolean includeAll (DatastoreController#getEntries, 2.42.5): Spring's
    # conversion, refusals from CrudControllerAdvice#handleBindException/#handleTypeMismatchException
    url = f"{fresh_sandbox.url}/api/dataStore/scdi-bind"
    for key in ("a", "b"):
        assert requests.post(f"{url}/{key}", json={"x": key}, auth=ADMIN, timeout=10).status_code == 201
    headless = requests.get(url, params={"fields": "x", "headless": "yes", "paging": "0",
                                         "pageSize": "1"}, auth=ADMIN, timeout=10).json()
    assert headless == [{"key": "a", "x": "a"}, {"key": "b", "x": "b"}]
    hex_size = requests.get(url, params={"fields": "x", "pageSize": "0x1", "page": " 2"},
                            auth=ADMIN, timeout=10).json()
    assert hex_size == {"pager": {"page": 2, "pageSize": 1}, "entries": [{"key": "b", "x": "b"}]}
    for name, value, java_type in (("page", "abc", "int"), ("pageSize", "1.5", "int"),
                                   ("paging", "maybe", "boolean"),
                                   ("includeAll", "maybe", "boolean")):
        bad = requests.get(url, params={"fields": "x", name: value}, auth=ADMIN, timeout=10)
        assert bad.status_code == 400
        assert bad.json() == {"httpStatus": "Bad Request", "httpStatusCode": 400,
                              "status": "ERROR",
                              "message": f"Value '{value}' is not valid for parameter {name}. "
                                         f"It should be of type {java_type}"}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_datastore_entries_take_the_data_binders_defaults_markers_and_array_indices(
        sandbox_factory, version: str) -> None:
    # WebDataBinder#doBind (Spring 5.3.39 for 2.41, 6.2.8 for 2.42/2.43) reads `!name` (a
    # default when name is absent), `_name` (name's empty value: false for a boolean, null
    # for an int, which is refused as an empty one) and `name[]` for DatastoreParams'
    # properties; not for the @RequestParam `includeAll`
    url = f"{sandbox_factory(version=version).url}/api/dataStore/scdi-binder"
    for key in ("a", "b"):
        assert requests.post(f"{url}/{key}", json={"x": key}, auth=ADMIN, timeout=10).status_code == 201

    def get(*pairs: tuple[str, str]) -> requests.Response:
        return requests.get(url, params=[("fields", "x"), *pairs], auth=ADMIN, timeout=10)

    assert get(("!headless", "true")).json() == [{"key": "a", "x": "a"}, {"key": "b", "x": "b"}]
    # a given value wins over the default
    assert "pager" in get(("!headless", "true"), ("headless", "false")).json()
    assert get(("_paging", ""), ("pageSize", "1")).json()["entries"] == [
        {"key": "a", "x": "a"}, {"key": "b", "x": "b"}]
    assert get(("page[]", "2"), ("pageSize[]", "1")).json() == {
        "pager": {"page": 2, "pageSize": 1}, "entries": [{"key": "b", "x": "b"}]}
    for pairs, message in (
            ((("!page", "x"),), "Value 'x' is not valid for parameter page. It should be of type int"),
            ((("page[]", "x"),), "Value 'x' is not valid for parameter page. It should be of type int"),
            ((("_pageSize", ""),), "pageSize cannot be empty. It should be of type int")):
        bad = get(*pairs)
        assert bad.status_code == 400, pairs
        assert bad.json()["message"] == message
    # `_headless` is false however `!headless` comes after it in the query: defaults go first
    assert get(("_headless", ""), ("!headless", "true")).json() == [
        {"key": "a", "x": "a"}, {"key": "b", "x": "b"}]
    # not a property of the bean: `!includeAll` is ignored (the null member is left out)
    assert requests.post(f"{url}/c", json={"y": 1}, auth=ADMIN, timeout=10).status_code == 201
    assert [e["key"] for e in get(("!includeAll", "true")).json()["entries"]] == ["a", "b"]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_datastore_entries_root_junction_and_binding_order(sandbox_factory, version: str
                                                           ) -> None:
    # DatastoreParams#rootJunction (Junction AND/OR) is bound by CrudControllerAdvice's
    # ConvertEnum, ignoring case; a refusal is #handleTypeMismatchException's enum message.
    # The binder binds the bean's fields by name (a TreeMap), so `page` fails before `paging`.
    url = f"{sandbox_factory(version=version).url}/api/dataStore/scdi-junction"
    assert requests.post(f"{url}/a", json={"x": 1}, auth=ADMIN, timeout=10).status_code == 201
    ok = requests.get(url, params={"fields": "x", "rootJunction": "or"}, auth=ADMIN, timeout=10)
    assert ok.status_code == 200 and ok.json()["entries"] == [{"key": "a", "x": 1}]
    # Integer#valueOf reads any Unicode decimal digit
    digits = requests.get(url, params={"fields": "x", "page": "\u0661"}, auth=ADMIN, timeout=10)
    assert digits.status_code == 200 and digits.json()["pager"]["page"] == 1
    for params, message in (
            ({"rootJunction": "xyz"},
             "Value 'xyz' is not valid for parameter rootJunction. Valid values are: [AND, OR]"),
            ({"rootJunction": " OR"},
             "Value ' OR' is not valid for parameter rootJunction. Valid values are: [AND, OR]"),
            ({"rootJunction": ""}, "rootJunction cannot be empty. Valid values are: [AND, OR]"),
            ({"paging": "maybe", "page": "abc"},
             "Value 'abc' is not valid for parameter page. It should be of type int"),
            ({"paging": "maybe", "rootJunction": "xyz"},
             "Value 'maybe' is not valid for parameter paging. It should be of type boolean"),
            # StringUtils#trimAllWhitespace keeps a no-break space (Character#isWhitespace)
            ({"page": "\u00a01"},
             "Value '\u00a01' is not valid for parameter page. It should be of type int"),
            # StringToBooleanConverter trims as String#trim: a no-break space stays
            ({"paging": "\u00a0true"},
             "Value '\u00a0true' is not valid for parameter paging. It should be of type boolean")):
        bad = requests.get(url, params={"fields": "x", **params}, auth=ADMIN, timeout=10)
        assert (bad.status_code, bad.json()) == (400, {
            "httpStatus": "Bad Request", "httpStatusCode": 400, "status": "ERROR",
            "message": message}), params


def test_a_datastore_path_index_is_ascii_digits(fresh_sandbox: RunningSandbox) -> None:
    # HibernateDatastoreStore#toJsonbPath: `replaceAll("\\[(\\d+)]", ",$1")` with Java's ASCII
    # `\\d`, so `a[\u0661]` is one key, which the entry lacks: jsonb_set leaves it unchanged.
    url = f"{fresh_sandbox.url}/api/dataStore/scdi-put/indexed"
    assert requests.post(url, json={"a": {"\u0661": 1, "1": 1}}, auth=ADMIN,
                         timeout=10).status_code == 201
    for path, expected in (("a[\u0661]", {"a": {"\u0661": 1, "1": 1}}),
                           ("a[1]", {"a": {"\u0661": 1, "1": 2}})):
        answer = requests.put(url, params={"path": path}, json=2, auth=ADMIN, timeout=10)
        assert answer.status_code == 200, answer.text
        assert requests.get(url, auth=ADMIN, timeout=10).json() == expected, path


def test_datastore_put_with_path_and_roll(fresh_sandbox: RunningSandbox) -> None:
    # HibernateDatastoreStore#updateEntry (2.41.9, 2.42.5, 2.43.1): jsonb_set at `path`, `roll`
    # appends to an array and drops its first item once it holds `roll`; no body is null
    url = f"{fresh_sandbox.url}/api/dataStore/scdi-put/k"
    assert requests.post(url, json={"a": {"b": [1, 2]}, "c": 1}, auth=ADMIN,
                         timeout=10).status_code == 201
    stamp = requests.get(f"{url}/metaData", auth=ADMIN, timeout=10).json()["lastUpdated"]

    def put(value: object = None, **params: object) -> object:
        answer = requests.put(url, params=params, auth=ADMIN, timeout=10,
                              **({"headers": JSON} if value is None else {"json": value}))
        assert answer.status_code == 200 and answer.json()["message"] == "Key updated: 'k'"
        return requests.get(url, auth=ADMIN, timeout=10).json()

    assert put(5, path="c") == {"a": {"b": [1, 2]}, "c": 5}
    assert put(9, path="nope.x") == {"a": {"b": [1, 2]}, "c": 5}  # a missing path: unchanged
    assert put(3, path="a.b", roll=2) == {"a": {"b": [2, 3]}, "c": 5}
    assert put(4, path="a.b", roll=5) == {"a": {"b": [2, 3, 4]}, "c": 5}
    assert put(7, path="a.b[0]") == {"a": {"b": [7, 3, 4]}, "c": 5}
    assert put(1, path="d", roll=3) == {"a": {"b": [7, 3, 4]}, "c": 5, "d": [1]}
    assert put(path="c") == {"a": {"b": [7, 3, 4]}, "c": None, "d": [1]}
    assert requests.get(f"{url}/metaData", auth=ADMIN, timeout=10).json()["lastUpdated"] == stamp
    put_root = requests.put(url, auth=ADMIN, timeout=10, headers=JSON)
    assert put_root.status_code == 200
    assert requests.get(url, auth=ADMIN, timeout=10).status_code == 404


def test_datastore_cache_control_where_the_controller_sets_it(fresh_sandbox: RunningSandbox) -> None:
    # ContextUtils#setNoStore in DatastoreController#getNamespaces, #getKeysInNamespaceLegacy
    # (before the "Namespace not found" NotFoundException, so the 404 keeps it) and
    # AbstractDatastoreController#writeEntries; #getEntry sets nothing: its 200 has none, its
    # NotFoundException's 404 WebMessage WebMessageControllerAdvice's "no-cache, private".
    url = f"{fresh_sandbox.url}/api/dataStore"
    no_store = "no-cache, no-store, max-age=0, must-revalidate"
    assert requests.post(f"{url}/ns/k", json={"a": 1}, auth=ADMIN, timeout=10).status_code == 201
    for path, status in (("", 200), ("/ns", 200), ("/ns/keys", 200), ("/gone", 404),
                         ("/gone/keys", 404)):
        r = requests.get(url + path, auth=ADMIN, timeout=10)
        assert (r.status_code, r.headers.get("Cache-Control")) == (status, no_store), path
    entries = requests.get(f"{url}/ns", params={"fields": "."}, auth=ADMIN, timeout=10)
    assert entries.status_code == 200 and entries.headers["Cache-Control"] == no_store
    for path, status, cache in (("/ns/k", 200, None), ("/ns/missing", 404, "no-cache, private")):
        r = requests.get(url + path, auth=ADMIN, timeout=10)
        assert (r.status_code, r.headers.get("Cache-Control")) == (status, cache), path


def test_a_keys_binding_refusal_comes_before_set_no_store(fresh_sandbox: RunningSandbox) -> None:
    # `@RequestParam Date lastUpdated` of #getKeysInNamespace(Legacy) is bound before the method
    # body, whose first line is ContextUtils#setNoStore: the 400 of a date it cannot read has
    # only WebMessageControllerAdvice's "no-cache, private" (2.41.9 :103-119, 2.42.5 :111-127,
    # 2.43.1 :108-124)
    url = f"{fresh_sandbox.url}/api/dataStore"
    assert requests.post(f"{url}/ns/k", json={"a": 1}, auth=ADMIN, timeout=10).status_code == 201
    for path in ("/ns", "/ns/keys", "/gone"):
        r = requests.get(url + path, params={"lastUpdated": "zzz"}, auth=ADMIN, timeout=10)
        assert (r.status_code, r.headers.get("Cache-Control")) == (400, "no-cache, private"), path


def test_a_value_reads_back_as_jsonb_text(fresh_sandbox: RunningSandbox) -> None:
    # DatastoreController#getEntry → DatastoreEntry#getValue → #getJbPlainValue: the text of the
    # jsonb column (JsonBinaryPlainStringType#nullSafeGet), PostgreSQL's rendering of the value:
    # keys by length then bytes, the last of a repeated key, ", " and ": ", numeric's digits
    # (2.41.9, 2.42.5, 2.43.1)
    url = f"{fresh_sandbox.url}/api/dataStore/scdi-jsonb"
    headers = {"Content-Type": "application/json"}
    for key, sent in (("order", '{"b":1,"a":2,"aa":3}'), ("twice", '{"a":1,"a":2}'),
                      ("numbers", '[1.50,1e2,1.5e-1,-0]'),
                      ("text", '"a\\/b\\u00e9\\u0001"'),
                      ("nested", '{"zz":{"é":1,"z":[]},"y":{}}')):
        assert requests.post(f"{url}/{key}", data=sent, headers=headers, auth=ADMIN,
                             timeout=10).status_code == 201
    def read(key: str) -> str:
        return requests.get(f"{url}/{key}", auth=ADMIN, timeout=10).text
    assert read("order") == '{"a": 2, "b": 1, "aa": 3}'
    assert read("twice") == '{"a": 2}'
    assert read("numbers") == "[1.50, 100, 0.15, 0]"
    assert read("text") == '"a/bé\\u0001"'
    assert read("nested") == '{"y": {}, "zz": {"z": [], "é": 1}}'
    # a PUT at the root and at a path stores jsonb's text too (HibernateDatastoreStore
    # #updateEntryRootSetToValue / #updateEntryPathSetToValue: `cast(:value as jsonb)`)
    assert requests.put(f"{url}/order", data='{"bb":1,"a":2.0}', headers=headers, auth=ADMIN,
                        timeout=10).status_code == 200
    assert read("order") == '{"a": 2.0, "bb": 1}'
    assert requests.put(f"{url}/order", params={"path": "bb"}, data='{"d":1,"c":2}',
                        headers=headers, auth=ADMIN, timeout=10).status_code == 200
    assert read("order") == '{"a": 2.0, "bb": {"c": 2, "d": 1}}'
    entries = requests.get(url, params={"fields": "a,bb", "headless": "true"}, auth=ADMIN,
                           timeout=10)
    assert '"a":2.0' in entries.text.replace(" ", "")


def test_keys_since_last_updated(fresh_sandbox: RunningSandbox) -> None:
    # DatastoreController#getKeysInNamespace(Legacy) `@RequestParam Date lastUpdated` (2.41.9
    # :101-127, 2.42.5 :109-136, 2.43.1 :106-133) → HibernateDatastoreStore#getKeysInNamespace
    # (`lastupdated >= :lastUpdated`); the 404 only for an unused namespace (#isUsedNamespace);
    # the date bound by CrudControllerAdvice#initBinder (DateUtils#parseDate)
    url = f"{fresh_sandbox.url}/api/dataStore/scdi-since"
    assert requests.post(f"{url}/a", json={}, auth=ADMIN, timeout=10).status_code == 201
    for path in ("", "/keys"):
        later = requests.get(f"{url}{path}", params={"lastUpdated": "2999-01-01"}, auth=ADMIN,
                             timeout=10)
        assert later.status_code == 200 and later.json() == []
        earlier = requests.get(f"{url}{path}", params={"lastUpdated": "2020-01-01T00:00:00.000Z"},
                               auth=ADMIN, timeout=10)
        assert earlier.json() == ["a"]
    assert requests.get(url, params={"lastUpdated": "2020-1-2T3"}, auth=ADMIN,
                        timeout=10).json() == ["a"]
    bad = requests.get(url, params={"lastUpdated": "soon"}, auth=ADMIN, timeout=10)
    assert bad.status_code == 400 and "errorCode" not in bad.json()
    assert bad.json()["message"] == ("Value 'soon' is not valid for parameter lastUpdated. "
                                     'Invalid format: "soon"')
    cut = requests.get(url, params={"lastUpdated": "2020-01-01Tx"}, auth=ADMIN, timeout=10)
    assert cut.json()["message"] == ("Value '2020-01-01Tx' is not valid for parameter "
                                     'lastUpdated. Invalid format: "2020-01-01Tx" is malformed '
                                     'at "Tx"')
    unused = requests.get(f"{url}-none", params={"lastUpdated": "2020"}, auth=ADMIN, timeout=10)
    assert unused.status_code == 404


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_last_updated_whose_fields_make_no_date_is_jodas_field_error(sandbox_factory, version) -> None:
    # DateUtils#parseDate reads "2020-13-01" whole (`yyyy-MM-dd`); Joda's
    # DateTimeParserBucket#computeMillis then refuses the month, a day by its month's days
    running = sandbox_factory(version=version)
    url = f"{running.url}/api/dataStore/scdi-fields"
    assert requests.post(f"{url}/a", json={}, auth=ADMIN, timeout=10).status_code == 201
    for text, error in (("2020-13-01", "Value 13 for monthOfYear must be in the range [1,12]"),
                        ("20210229", "Value 29 for dayOfMonth must be in the range [1,28]"),
                        ("2020-02-30T10", "Value 30 for dayOfMonth must be in the range [1,29]"),
                        ("2020-01-01T24:00", "Value 24 for hourOfDay must be in the range [0,23]"),
                        ("2020-01-01T10:00:60Z",
                         "Value 60 for secondOfMinute must be in the range [0,59]")):
        bad = requests.get(f"{url}/keys", params={"lastUpdated": text}, auth=ADMIN, timeout=10)
        assert bad.status_code == 400 and "errorCode" not in bad.json()
        assert bad.json()["message"] == (f"Value '{text}' is not valid for parameter lastUpdated. "
                                         f'Cannot parse "{text}": {error}')


def test_a_last_updated_is_read_as_jodas_parsers_read_it(fresh_sandbox: RunningSandbox) -> None:
    # DateUtils#parseDate's MatchingParser (the same at the three tags): `yyyy` alone reads a
    # signed year of up to nine digits, GregorianChronology bounds it; the longest fraction
    # without an offset is `SSSSSS` (Fraction#parseInto stops there); TimeZoneOffset#parseInto
    # refuses hours past 23 and minutes past 59, so the zone-free `ss` parser's stop is reported
    url = f"{fresh_sandbox.url}/api/dataStore/scdi-joda"
    assert requests.post(f"{url}/a", json={}, auth=ADMIN, timeout=10).status_code == 201
    for text, found in (("20200", []), ("10000-01-01T00:00:00Z", []), ("0000", ["a"]),
                        ("-5", ["a"]), ("2020-01-01t10:00", ["a"])):
        read = requests.get(f"{url}/keys", params={"lastUpdated": text}, auth=ADMIN, timeout=10)
        assert (read.status_code, read.json()) == (200, found), text
    prefix = "Value '{0}' is not valid for parameter lastUpdated. "
    for text, error in (
            ("999999999", 'Cannot parse "999999999": Value 999999999 for year must be in the '
                          "range [-292275054,292278993]"),
            ("2020-01-01T10:00:00.1234567",
             'Invalid format: "2020-01-01T10:00:00.1234567" is malformed at "7"'),
            ("2020-01-01T10:00:00.12345678",
             'Invalid format: "2020-01-01T10:00:00.12345678" is malformed at "78"'),
            ("2020-01-01T10:00:00.1234567890Z",
             'Invalid format: "2020-01-01T10:00:00.1234567890Z" is malformed at "7890Z"'),
            ("2020-01-01T10:00:00+25:00",
             'Invalid format: "2020-01-01T10:00:00+25:00" is malformed at "+25:00"'),
            ("2020-01-01T10:00:00+05:61",
             'Invalid format: "2020-01-01T10:00:00+05:61" is malformed at "+05:61"')):
        bad = requests.get(f"{url}/keys", params={"lastUpdated": text}, auth=ADMIN, timeout=10)
        assert bad.status_code == 400 and "errorCode" not in bad.json()
        assert bad.json()["message"] == prefix.format(text) + error
    nine = requests.get(f"{url}/keys", params={"lastUpdated": "2020-01-01T10:00:00.123456789Z"},
                        auth=ADMIN, timeout=10)
    assert nine.json() == ["a"]  # nine digits with an offset: `…ss.SSSSSSSSSZ`


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_datastore_post_requires_a_body_before_anything(sandbox_factory, version: str) -> None:
    # DatastoreController#addEntry binds `@RequestBody String value` (required; 2.41.9
    # :201, 2.42.5 :226, 2.43.1 :223): an empty body is Spring's HttpMessageNotReadableException
    # "Required request body is missing: " + the handler's Method#toGenericString (its throws
    # clause per release), 400 without errorCode
    # (CrudControllerAdvice#handleHttpMessageNotReadableExceptionHandler), before the existing
    # key's 409.
    running = sandbox_factory(version=version)
    url = f"{running.url}/api/dataStore/scdiBodies/k"
    assert requests.post(url, json={"a": 1}, auth=ADMIN, timeout=10).status_code == 201
    throws = ("org.hisp.dhis.feedback.ConflictException,org.hisp.dhis.feedback.BadRequestException"
              + ("" if version == "2.41" else ",org.hisp.dhis.feedback.ForbiddenException"))
    message = ("Required request body is missing: public org.hisp.dhis.dxf2.webmessage.WebMessage "
               "org.hisp.dhis.webapi.controller.DatastoreController.addEntry(java.lang.String,"
               f"java.lang.String,java.lang.String,boolean) throws {throws}")
    for target in (url, f"{running.url}/api/dataStore/scdiBodies/fresh"):
        empty = requests.post(target, data=b"", auth=ADMIN, timeout=10,
                              headers={"Content-Type": "application/json"})
        assert empty.status_code == 400, empty.text
        assert empty.json() == {"httpStatus": "Bad Request", "httpStatusCode": 400,
                                "status": "ERROR", "message": message}


def test_datastore_writes_consume_json_only(sandbox_factory) -> None:
    # DatastoreController#addEntry / #putEntry `consumes = APPLICATION_JSON_VALUE` (2.41.9, 2.42.5,
    # 2.43.1): another media type, or none, is Spring's 415 before the body or the key is read,
    # worded by the release's Spring (`spring6_messages`)
    for version, plain, bare in (
            ("2.41", "Content type 'text/plain' not supported", "Content type '' not supported"),
            ("2.43", "Content-Type 'text/plain' is not supported", "Content-Type is not supported")):
        running = sandbox_factory(version)
        url = f"{running.url}/api/dataStore/scdiMedia/k"
        for method in (requests.post, requests.put):
            sent = method(url, data="{}", headers={"Content-Type": "text/plain"}, auth=ADMIN,
                          timeout=10)
            assert sent.status_code == 415 and sent.json()["message"] == plain, sent.text
            assert method(url, data=b"", auth=ADMIN, timeout=10).json()["message"] == bare
        assert requests.get(url, auth=ADMIN, timeout=10).status_code == 404
        assert requests.post(url, data="{}", headers={"Content-Type": "application/json; charset=UTF-8"},
                             auth=ADMIN, timeout=10).status_code == 201


def test_datastore_put_of_a_new_key_without_a_body_stores_null(fresh_sandbox: RunningSandbox) -> None:
    # DatastoreController#putEntry calls #addEntry itself with the null `@RequestBody(required =
    # false)` value; DefaultDatastoreService#validateEntry lets a null through, so the entry is
    # created with a NULL jbvalue: 201, then a 200 without a body (a null @ResponseBody String).
    # jsonb functions of NULL are NULL: a `path` write changes nothing, a root write sets it.
    url = f"{fresh_sandbox.url}/api/dataStore/scdiNull/k"
    created = requests.put(url, auth=ADMIN, timeout=10, headers=JSON)
    assert created.status_code == 201 and created.json()["message"] == "Key created: 'k'"
    read = requests.get(url, auth=ADMIN, timeout=10)
    assert read.status_code == 200 and read.content == b""
    assert "Content-Type" not in read.headers  # no converter wrote the null body
    listed = requests.get(f"{fresh_sandbox.url}/api/dataStore/scdiNull", auth=ADMIN, timeout=10,
                          params={"fields": ".", "includeAll": "true"}).json()
    assert listed["entries"] == [{"key": "k", "value": None}]
    assert requests.put(url, json=[1], params={"path": "a"}, auth=ADMIN, timeout=10).status_code == 200
    assert requests.get(url, auth=ADMIN, timeout=10).content == b""
    bad = requests.put(url, data="{x", params={"path": "a"}, headers=JSON, auth=ADMIN, timeout=10)
    assert bad.status_code == 400 and bad.json()["message"] == "Invalid JSON value for key 'k'"
    assert requests.put(url, json=5, params={"roll": 3}, auth=ADMIN, timeout=10).status_code == 200
    assert requests.get(url, auth=ADMIN, timeout=10).json() == 5
    # a missing key with an unbindable `roll`: Spring's 400 before the lookup creates anything
    other = f"{fresh_sandbox.url}/api/dataStore/scdiNull/other"
    refused = requests.put(other, json=1, params={"roll": "x"}, auth=ADMIN, timeout=10)
    assert refused.status_code == 400
    assert requests.get(other, auth=ADMIN, timeout=10).status_code == 404


_ZERO = ("ERROR: unsupported Unicode escape sequence\n  Detail: \\u0000 cannot be converted to "
         "text.\n  Where: JSON data, line 1: ")
_LOW = ("ERROR: invalid input syntax for type json\n  Detail: Unicode low surrogate must follow "
        "a high surrogate.\n  Where: JSON data, line 1: ")


@pytest.mark.parametrize("sent,message", [
    ('"\\u0000"', _ZERO + '"\\u0000...'),
    ('{"a":"\\u0000"}', _ZERO + '{"a":"\\u0000...'),
    ('"\\ud83d"', _LOW + '"\\ud83d"'),
    ('["x", "\\ude00"]', _LOW + '["x", "\\ude00...'),
    ('"\\ud83d\\ud83d"', "ERROR: invalid input syntax for type json\n  Detail: Unicode high "
                         "surrogate must not follow a high surrogate.\n  Where: JSON data, "
                         'line 1: "\\ud83d\\ud83d...'),
])
def test_a_value_jsonb_input_refuses_is_a_409(fresh_sandbox: RunningSandbox, sent: str,
                                              message: str) -> None:
    # jsontree accepts the escapes; PostgreSQL's jsonb input refuses them in the write, whose
    # DataException CrudControllerAdvice answers with conflict(getHelpfulMessage(ex))
    url = f"{fresh_sandbox.url}/api/dataStore/scdi-nul"
    headers = {"Content-Type": "application/json"}
    assert requests.post(f"{url}/kept", data="1", headers=headers, auth=ADMIN,
                         timeout=10).status_code == 201
    for method, key, params in (("POST", "new", {}), ("PUT", "other", {}), ("PUT", "kept", {}),
                                ("PUT", "kept", {"path": "a"})):
        r = requests.request(method, f"{url}/{key}", data=sent, params=params, headers=headers,
                             auth=ADMIN, timeout=10)
        assert r.status_code == 409, (method, key, r.text)
        body = r.json()
        assert (body["status"], body["message"], "errorCode" in body) == (
            "ERROR", message, False), (method, key)
    assert requests.get(f"{url}/kept", auth=ADMIN, timeout=10).text == "1"
    assert requests.get(f"{url}/new", auth=ADMIN, timeout=10).status_code == 404
    # a surrogate pair is one character: stored
    assert requests.put(f"{url}/kept", data='"\\ud83d\\ude00"', headers=headers, auth=ADMIN,
                        timeout=10).status_code == 200
    assert requests.get(f"{url}/kept", auth=ADMIN, timeout=10).json() == "\U0001f600"


def test_roll_is_bound_as_spring_binds_an_integer(fresh_sandbox):
    # `@RequestParam(required = false) Integer roll` (DatastoreController#updateEntry, 2.41.9
    # :236, 2.42.5 :261, 2.43.1 :258): NumberUtils#parseNumber drops whitespace and decodes hex
    url = f"{fresh_sandbox.url}/api/dataStore/scdiRoll/k"
    assert requests.post(url, json=[1, 2], auth=ADMIN, timeout=10).status_code == 201
    assert requests.put(url, json=3, params={"roll": " 0x2"}, auth=ADMIN, timeout=10).status_code == 200
    assert requests.get(url, auth=ADMIN, timeout=10).json() == [2, 3]
    refused = requests.put(url, json=4, params={"roll": "1_0"}, auth=ADMIN, timeout=10)
    assert (refused.status_code, refused.json()["message"]) == (
        400, "Value '1_0' is not valid for parameter roll. For input string: \"1_0\"")
    # whitespace only: the default CustomNumberEditor(allowEmpty)'s null, no roll (every release)
    assert requests.put(url, json=[5], params={"roll": " \t"}, auth=ADMIN, timeout=10).status_code == 200
    assert requests.get(url, auth=ADMIN, timeout=10).json() == [5]


_INVALID = "ERROR: invalid input syntax for type json\n  Detail: "


@pytest.mark.parametrize("sent,message", [
    ("01", _INVALID + 'Token "01" is invalid.\n  Where: JSON data, line 1: 01'),
    ('{"a": -007.5}', _INVALID + 'Token "-007" is invalid.\n  Where: JSON data, line 1: {"a": -007...'),
    ("[1, 01e5]", _INVALID + 'Token "01e5" is invalid.\n  Where: JSON data, line 1: [1, 01e5...'),
    ("[1,]", _INVALID + 'Expected JSON value, but found "]".\n  Where: JSON data, line 1: [1,]'),
    ('{"a": [1],\n}', _INVALID + 'Expected string, but found "}".\n  Where: JSON data, line 2: }'),
    ('{"a": 1,}', _INVALID + 'Expected string, but found "}".\n  Where: JSON data, line 1: {"a": 1,}'),
    # no JSON to json-tree either: DefaultDatastoreService#validateEntry's BadRequestException
    ("x,x", None), ("abc", None), ("[,]", None), ("[1,,]", None), ("1 01", None), ("01x", None),
])
def test_what_json_tree_lets_through_postgresql_refuses(fresh_sandbox: RunningSandbox, sent: str,
                                                        message: str | None) -> None:
    # json-tree 1.8.1 (`JsonNode.of(value).visit(JsonNode::value)`, 2.41.9 :309-316, 2.42.5 /
    # 2.43.1 :345-352) reads a leading zero (`JsonTree#skipNumber`) and a comma before the
    # closing bracket (`#expectCommaOrEnd`) without complaint; PostgreSQL's jsonb input then
    # refuses the write: 409 with the PSQLException's message, no errorCode
    url = f"{fresh_sandbox.url}/api/dataStore/scdi-lenient"
    headers = {"Content-Type": "application/json"}
    assert requests.post(f"{url}/kept", data="1", headers=headers, auth=ADMIN,
                         timeout=10).status_code == 201
    for method, key, params in (("POST", "new", {}), ("PUT", "other", {}), ("PUT", "kept", {}),
                                ("PUT", "kept", {"path": "a"})):
        r = requests.request(method, f"{url}/{key}", data=sent, params=params, headers=headers,
                             auth=ADMIN, timeout=10)
        body = r.json()
        if message is None:
            assert (r.status_code, body["message"], body.get("errorCode")) == (
                400, f"Invalid JSON value for key '{key}'", "E1003"), (method, key)
        else:
            assert (r.status_code, body["message"], "errorCode" in body) == (
                409, message, False), (method, key)
    assert requests.get(f"{url}/kept", auth=ADMIN, timeout=10).text == "1"
    assert requests.get(f"{url}/new", auth=ADMIN, timeout=10).status_code == 404


def _put(url: str, body: str | None, **params: object) -> requests.Response:
    return requests.put(url, data=body, params=params, headers=JSON, auth=ADMIN, timeout=10)


def _conflict(answer: requests.Response) -> tuple[int, str, bool, bool]:
    body = answer.json()
    return answer.status_code, body["message"], "errorCode" in body, "devMessage" in body


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_path_write_on_a_scalar_root_is_postgresqls_409(sandbox_factory, version: str) -> None:
    # every `path` statement of HibernateDatastoreStore#updateEntry runs jsonb_set on jbvalue
    # (the roll's `else` branch too: jsonb_extract_path of a scalar is NULL), which refuses a
    # scalar or JSON null root; the DataException comes back as CrudControllerAdvice
    # #dataIntegrityExceptionHandler's conflict(getHelpfulMessage(ex))
    base = f"{sandbox_factory(version=version).url}/api/dataStore/scdi-scalar"
    for number, root in enumerate(("5", '"s"', "true", "null")):
        url = f"{base}/k{number}"
        assert requests.post(url, data=root, headers=JSON, auth=ADMIN, timeout=10).status_code == 201
        for body, params in (("1", {"path": "a"}), ("1", {"path": "a", "roll": 3}),
                             (None, {"path": "a"}), ("1", {"path": "a.b[0]"})):
            assert _conflict(_put(url, body, **params)) == (
                409, "ERROR: cannot set path in scalar", False, False), (root, body, params)
        assert requests.get(url, auth=ADMIN, timeout=10).text == root
        # the root statements use no jsonb_set: a roll replaces the scalar
        assert _put(url, "7", roll=3).status_code == 200
        assert requests.get(url, auth=ADMIN, timeout=10).text == ("[7]" if root == "null" else "7")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_an_array_step_is_read_as_strtol_reads_it(sandbox_factory, version: str) -> None:
    # PostgreSQL 12 (docker-compose.yml's postgis:12-3.3) #setPathArray: ASCII digits after an
    # optional sign and leading whitespace, within int; any other step into an array is 22P02
    url = f"{sandbox_factory(version=version).url}/api/dataStore/scdi-steps/k"
    assert requests.post(url, json={"a": [1, 2], "o": {"b": []}}, auth=ADMIN,
                         timeout=10).status_code == 201
    for path, step, position in (("a.\u0661", "\u0661", 2), ("a.x", "x", 2), ("a.1_0", "1_0", 2),
                                 ("a.1 ", "1 ", 2), ("a.99999999999", "99999999999", 2),
                                 ("o.b.x", "x", 3), ("a.x.y", "x", 2)):
        for params in ({"path": path}, {"path": path, "roll": 3}):
            assert _conflict(_put(url, "9", **params)) == (
                409, f'ERROR: path element at position {position} is not an integer: "{step}"',
                False, False), params
    assert requests.get(url, auth=ADMIN, timeout=10).json() == {"a": [1, 2], "o": {"b": []}}
    for path, expected in (("a.+1", [1, 9]), ("a.-2", [8, 9]), ("b.x", [8, 9])):
        assert _put(url, "9" if path == "a.+1" else "8", path=path).status_code == 200
        assert requests.get(url, auth=ADMIN, timeout=10).json()["a"] == expected, path
    # an empty root comes back as it is before jsonb_set reads the path, unless it may create
    empty = f"{url}-empty"
    assert requests.post(empty, data="[]", headers=JSON, auth=ADMIN, timeout=10).status_code == 201
    assert _put(empty, "1", path="x").status_code == 200
    assert _conflict(_put(empty, "1", path="x", roll=2)) == (
        409, 'ERROR: path element at position 1 is not an integer: "x"', False, False)
    assert requests.get(empty, auth=ADMIN, timeout=10).text == "[]"


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_an_encrypted_entry_keeps_its_text_apart_from_jbvalue(sandbox_factory, version: str
                                                             ) -> None:
    # DatastoreEntry#getJbPlainValue / #getEncryptedValue: encrypt=true writes encrypted_value
    # and leaves jbvalue NULL; #getValue answers the decrypted text, the native updates write
    # jbvalue only, which the `fields` query reads
    base = f"{sandbox_factory(version=version).url}/api/dataStore/scdi-secret"
    url = f"{base}/k"
    sent = '{ "s":1 }'  # no jsonb: the text as it came
    assert requests.post(url, data=sent, params={"encrypt": "true"}, headers=JSON, auth=ADMIN,
                         timeout=10).status_code == 201
    fields = {"fields": "s", "includeAll": "true", "headless": "true"}
    assert requests.get(url, auth=ADMIN, timeout=10).text == sent
    assert requests.get(base, params=fields, auth=ADMIN, timeout=10).json() == [
        {"key": "k", "s": None}]
    assert _put(url, '{"s": 2}').status_code == 200
    assert _put(url, "3", path="s").status_code == 200
    assert requests.get(url, auth=ADMIN, timeout=10).text == sent
    assert requests.get(base, params=fields, auth=ADMIN, timeout=10).json() == [
        {"key": "k", "s": 3}]
    # json-tree's leniency passes: no jsonb input refuses it
    lenient = f"{base}/lenient"
    assert requests.post(lenient, data="01", params={"encrypt": "true"}, headers=JSON,
                         auth=ADMIN, timeout=10).status_code == 201
    assert requests.get(lenient, auth=ADMIN, timeout=10).text == "01"
    # a PUT of a missing key creates it encrypted; without a body at the root it is deleted
    created = f"{base}/created"
    assert requests.put(created, data="[1]", params={"encrypt": "true"}, headers=JSON,
                        auth=ADMIN, timeout=10).status_code == 201
    assert _put(created, "2", roll=5).status_code == 200
    assert requests.get(created, auth=ADMIN, timeout=10).text == "[1]"
    assert _put(created, None).status_code == 200
    assert requests.get(created, auth=ADMIN, timeout=10).status_code == 404
