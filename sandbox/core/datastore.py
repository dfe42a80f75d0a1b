"""`/api/dataStore` — DHIS2's key-value store.

dhis2-core 2.42.5 `webapi/controller/DatastoreController.java` and
`dhis-services/dhis-service-core/.../datastore/DefaultDatastoreService.java`:
GET `/api/dataStore` → namespaces; GET `/{ns}` (and `/{ns}/keys`) → keys, 404 "Namespace not
found: 'ns'"; GET `/{ns}/{key}` → the stored JSON, 404 "Key 'k' not found in namespace 'ns'";
`/{ns}/{key}/metaData`; POST → 201 "Key created: 'k'", 409 "Key 'k' already exists in namespace
'ns'", 400 "Invalid JSON value for key 'k'"; PUT → 200 "Key updated: 'k'" (creates when
missing; `path`, `roll` and a missing body as `HibernateDatastoreStore#updateEntry`);
DELETE key → 200 "Key 'k' deleted from namespace 'ns'"; DELETE namespace → 200 "Namespace
deleted: 'ns'". POST and PUT `consumes = APPLICATION_JSON_VALUE` (2.41.9 :193-196/:227-230,
2.42.5 :218-221/:252-255, 2.43.1 :215-218/:249-252): another media type, or none, is Spring's 415
before anything else (`Ctx.require_media_type`). A PUT of a missing key calls `#addEntry` itself
with the body it was given, so without one the entry is created with a NULL `jbvalue`
(`DefaultDatastoreService#validateEntry` passes a null value; the column is nullable): 201, and
`GET` answers 200 without a body (a null `@ResponseBody String`).

Values are kept as PostgreSQL's `jsonb` gives them back (`core/jsonb.py`): every write stores
that text, so a read answers it as DHIS2 does (`DatastoreController#getEntry` returns
`DatastoreEntry#getValue` → `#getJbPlainValue`, the column's text).

An entry created with `encrypt=true` (#addEntry, or #putEntry of a missing key) is kept as
DHIS2 keeps it: `value` is the `jbvalue` column, `encrypted_value` the text as it was sent.
`DatastoreEntry.hbm.xml` (the same at the three tags) maps `jbPlainValue` to `jbvalue` (:23)
and `encryptedValue` to `encrypted_value` as `Aes128EncryptedString` (:25), both read through
their getters (`access="property"`); `#getJbPlainValue` gives the new value only to an entry that
is not encrypted, `#getEncryptedValue` only to one that is (2.41.9 :89-95, 2.42.5 / 2.43.1
:95-101), so an encrypted entry's `jbvalue` is NULL and its text never passes PostgreSQL's
jsonb input (`jsonb_input`; json-tree's check of #validateEntry still applies). `#getValue`
(2.41.9 :85, 2.42.5 / 2.43.1 :91) answers the decrypted `encrypted_value` of an encrypted
entry; the native updates of #updateEntry write `jbvalue` only, which the GET never reads for
it and the `fields` query reads alone (`DatastoreQueryBuilder`'s `jbPlainValue`, 2.42.5
:305-310): a later PUT changes neither what the GET answers nor the encryption, while a PUT
without a body at the root still deletes the entry.
"""

from __future__ import annotations

import re
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.core import (
    datastore_fields,
    java_dates,
    jsonb,
    jsonb_input,
    jsonb_set,
    objects,
    web_data_binder,
    webmessage,
)
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.spring_params import (
    convert_enum,
    not_valid_value,
    request_param_bool,
    request_param_int,
    request_values,
    spring_bool,
    spring_int,
)

TABLES = """
CREATE TABLE IF NOT EXISTS datastore (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT,
    created TEXT NOT NULL,
    last_updated TEXT NOT NULL,
    encrypted INTEGER NOT NULL DEFAULT 0,
    encrypted_value TEXT,
    PRIMARY KEY (namespace, key)
);
"""


def _row(ctx: Ctx, namespace: str, key: str) -> Any:
    with ctx.store.lock:
        return ctx.store.conn.execute(
            "SELECT value, created, last_updated, encrypted, encrypted_value FROM datastore "
            "WHERE namespace=? AND key=?",
            (namespace, key)).fetchone()


def _missing_key(namespace: str, key: str) -> webmessage.HttpError:
    return webmessage.fail(webmessage.not_found(
        f"Key '{key}' not found in namespace '{namespace}'"))


def namespaces(ctx: Ctx) -> Response:
    ctx.set_no_store()  # DatastoreController#getNamespaces
    with ctx.store.lock:
        rows = ctx.store.conn.execute(
            "SELECT DISTINCT namespace FROM datastore ORDER BY namespace").fetchall()
    return webmessage.json_response([r[0] for r in rows])


def _extract(value: Any, path: str) -> Any:
    if path == ".":
        return value
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


# Spring's binding of a primitive bean field / request parameter (`core/spring_params.py`); a
# refusal is CrudControllerAdvice#handleTypeMismatchException's 400, without an errorCode.
def _type_mismatch(name: str, raw: str, java_type: str) -> webmessage.HttpError:
    return webmessage.fail(webmessage.error(
        400, f"{not_valid_value(name, raw)} It should be of type {java_type}"))


def _bool_param(ctx: Ctx, name: str, default: bool) -> bool:
    raw = ctx.request.args.get(name)
    if raw is None:
        return default
    try:
        value = spring_bool(raw)
    except ValueError:
        value = None
    if value is None:  # a primitive: a blank value binds no boolean either
        raise _type_mismatch(name, raw, "boolean")
    return value


def _primitive_flag(ctx: Ctx, name: str) -> bool:
    """A `@RequestParam(defaultValue = "false") boolean` (`includeAll`: DatastoreController
    #getEntries 2.41.9 :135, 2.42.5 :156, 2.43.1 :153; `encrypt`: #addEntry 2.41.9 :202,
    2.42.5 :227, 2.43.1 :224, #putEntry :237 / :262 / :259) as `core/spring_params.py
    #request_param_bool` binds a primitive: absent or empty is false; whitespace only is the
    null a `boolean` cannot take, 400 "… It should be of type boolean" at every release.
    `encrypt` is read by #addEntry alone (see the module's docstring); #updateEntry ignores it."""
    value = request_param_bool(request_values(ctx.request.args, name, ctx.release), name, False,
                               ctx.release, primitive=True)
    return bool(value)


def _int_param(ctx: Ctx, name: str, default: int) -> int:
    raw = ctx.request.args.get(name)
    if raw is None:
        return default
    try:
        return spring_int(raw)
    except ValueError:
        raise _type_mismatch(name, raw, "int") from None


_JUNCTIONS = ("AND", "OR")  # DatastoreParams.Junction

# DatastoreParams' properties and their empty values (`core/web_data_binder.py`): the primitive
# `int page`, `int pageSize`, `boolean paging`, `boolean headless`, `Junction rootJunction`,
# `String order`, `String filter` (2.41.9 = 2.42.5 = 2.43.1)
_Empty = web_data_binder.Empty
_PARAMS_BEAN = {"page": _Empty.NULL_PRIMITIVE, "pageSize": _Empty.NULL_PRIMITIVE,
                "paging": _Empty.FALSE, "headless": _Empty.FALSE, "rootJunction": _Empty.NULL,
                "order": _Empty.NULL, "filter": _Empty.NULL}


def _junction_param(ctx: Ctx) -> str:
    """`rootJunction`, an org.hisp.dhis enum: CrudControllerAdvice#initBinder's ConvertEnum
    (`EnumUtils#getEnumIgnoreCase`, untrimmed; 2.41.9 :140-155/:677-694, 2.42.5
    :147-162/:721-738, 2.43.1 :147-162/:722-739); a refusal is #handleTypeMismatchException's
    enum message (#getEnumErrorMessage)."""
    raw = ctx.request.args.get("rootJunction")
    return "AND" if raw is None else convert_enum("rootJunction", raw, _JUNCTIONS)


def entries(ctx: Ctx, namespace: str) -> Response:
    """`GET /api/dataStore/{ns}?fields=…` (DatastoreController#getEntries,
    AbstractDatastoreController#writeEntries, DatastoreParams: page 1, pageSize 50, paging,
    headless, order `_` = by key; DatastoreQuery#with caps pageSize to 1..1000):
    `{pager: {page, pageSize}, entries: [{key, <fields>}]}`;
    nested members are written as objects (JsonWriter#writeEntries); entries whose fields are
    all null are left out unless `includeAll=true`. `filter` and `order` by value are not
    modelled."""
    # the binder's `!name`, `_name` and `name[]` apply to the bean's properties only, not to
    # the `@RequestParam`s `fields` and `includeAll`
    web_data_binder.bind(ctx, _PARAMS_BEAN)
    args = ctx.request.args
    # includeAll is a @RequestParam with a default (an empty value takes it), resolved before
    # the DatastoreParams argument; the data binder then binds that bean's fields in the order
    # of ServletRequestParameterPropertyValues' TreeMap (by name), and the BindException
    # names its first field error
    include_all = _primitive_flag(ctx, "includeAll")
    headless = _bool_param(ctx, "headless", False)
    page = max(1, _int_param(ctx, "page", 1))
    page_size = max(1, min(1000, _int_param(ctx, "pageSize", 50)))
    paging = _bool_param(ctx, "paging", True)
    _junction_param(ctx)  # only `filter` (not modelled) reads it
    # the method body parses `fields` once every argument is bound (`core/datastore_fields.py`);
    # its 409 comes before writeEntries' setNoStore
    members = datastore_fields.parse(args.get("fields") or "",
                                     ctx.release.jdk_range_bounds_message)
    with ctx.store.lock:
        rows = ctx.store.conn.execute(
            "SELECT key, value FROM datastore WHERE namespace=? ORDER BY key",
            (namespace,)).fetchall()
    out: list[dict[str, Any]] = []
    for key, raw in rows:
        value = None if raw is None else jsonb.parse(raw)  # a NULL jbvalue extracts to null
        extracted = [(alias, _extract(value, path)) for path, alias in members]
        if members and not include_all and all(v is None for _, v in extracted):
            continue
        entry: dict[str, Any] = {"key": key}
        for alias, found in extracted:
            target = entry
            *outer, last = alias.split(".")
            for part in outer:
                target = target.setdefault(part, {})
            target[last] = found
        out.append(entry)
    if paging:
        out = out[(page - 1) * page_size:page * page_size]
    body: Any = out if headless else {"pager": {"page": page, "pageSize": page_size},
                                      "entries": out}
    ctx.set_no_store()  # AbstractDatastoreController#writeEntries, once the query is planned
    # JsonWriter#writeEntries writes each member's jsonb text as it is, inside its own envelope
    return Response(jsonb.dumps(body, sort_keys=False), content_type=webmessage.JSON_TYPE)


# bounds that compare, as text, after and before every `yyyy-MM-dd'T'HH:mm:ss.SSS` stamp
_AFTER_EVERY_STAMP, _BEFORE_EVERY_STAMP = "~", ""


def _last_updated(ctx: Ctx) -> str | None:
    """`@RequestParam(required = false) Date lastUpdated`, bound by CrudControllerAdvice
    #initBinder's `DateUtils#parseDate` editor: Joda's IllegalArgumentException becomes the
    message of `#methodArgumentTypeMismatchException` (400, no errorCode)."""
    raw = ctx.request.args.get("lastUpdated")
    if not raw:
        return None
    try:
        moment = java_dates.parse_date(raw)
    except java_dates.BeyondRange as beyond:
        # a year Joda reads past 9999 (`20200`) or before 1 (`0000`, `-5`): after or before
        # every stamp, which all lie in the years 1-9999
        return _AFTER_EVERY_STAMP if beyond.after else _BEFORE_EVERY_STAMP
    except ValueError:
        moment = None
    if moment is None:
        raise webmessage.fail(webmessage.error(
            400, f"Value '{raw}' is not valid for parameter lastUpdated. {java_dates.invalid_format(raw)}"))
    return java_dates.iso_no_tz(moment)  # the form of the store's stamps, so they compare as text


def keys(ctx: Ctx, namespace: str) -> Response:
    """DatastoreController#getKeysInNamespace(Legacy): the keys, with `lastUpdated` those
    updated at or after it (HibernateDatastoreStore#getKeysInNamespace, `lastupdated >=`); 404
    only when the namespace holds no key at all (`#isUsedNamespace`), so a filter that keeps
    none answers `[]`."""
    if "fields" in ctx.request.args and not ctx.request.path.rstrip("/").endswith("/keys"):
        return entries(ctx, namespace)  # @GetMapping(value = "/{namespace}", params = "fields")
    # `lastUpdated` is bound before the method runs, so its 400 has only the advice's
    # Cache-Control; #getKeysInNamespaceLegacy then sets no-store first, so the 404 carries it
    since = _last_updated(ctx)
    ctx.set_no_store()
    with ctx.store.lock:
        rows = ctx.store.conn.execute(
            "SELECT key, last_updated FROM datastore WHERE namespace=? ORDER BY key",
            (namespace,)).fetchall()
    if not rows:
        raise webmessage.fail(webmessage.not_found(f"Namespace not found: '{namespace}'"))
    return webmessage.json_response(
        [key for key, updated in rows if since is None or updated >= since])


def get_entry(ctx: Ctx, namespace: str, key: str) -> Response:
    row = _row(ctx, namespace, key)
    if row is None:
        raise _missing_key(namespace, key)
    text = row[4] if row[3] else row[0]  # DatastoreEntry#getValue
    if text is None:
        # a NULL value: AbstractMessageConverterMethodProcessor#writeWithMessageConverters
        # writes nothing for a null body, so no converter sets a Content-Type either
        empty = Response(b"", status=200)
        del empty.headers["Content-Type"]
        return empty
    return Response(text, content_type=webmessage.JSON_TYPE)


def get_meta(ctx: Ctx, namespace: str, key: str) -> Response:
    row = _row(ctx, namespace, key)
    if row is None:
        raise _missing_key(namespace, key)
    return webmessage.json_response({
        "created": row[1], "lastUpdated": row[2], "key": key, "namespace": namespace,
        "id": key, "access": objects.access_for(ctx.user, ctx.release.sharing_external_access)})


def _value(ctx: Ctx, key: str, encrypted: bool = False) -> Any:
    """The body parsed as jsonb will hold it (DefaultDatastoreService#validateEntry refuses
    what json-tree cannot read: 400 "Invalid JSON value for key 'k'", a BadRequestException's
    E1003, at every release). A value PostgreSQL's jsonb input refuses (`jsonb_input`:
    `\\u0000`, a lone surrogate escape; a leading zero or a comma before `]`/`}`, which
    json-tree lets through) fails in the write: Hibernate's DataException (SQLSTATE class 22),
    which Spring turns into a DataIntegrityViolationException (or the native update's
    PersistenceException), answered by `CrudControllerAdvice#dataIntegrityExceptionHandler` /
    `#persistenceExceptionHandler` (2.41.9 :428-440, 2.42.5 :436-448, 2.43.1 :437-449):
    409 `conflict(getHelpfulMessage(ex))`, the PSQLException's message, no errorCode. (A new
    key's insert is a JDBC batch, `hibernate.jdbc.batch_size`, whose BatchUpdateException
    wraps that message in "Batch entry 0 <statement> was aborted: …"; the statement with its
    bound values is not reproduced.) An encrypted entry's text goes to `encrypted_value`, no
    jsonb: only json-tree's refusal applies, and the text is answered as it came."""
    raw = ctx.request.get_data(as_text=True)
    try:
        value = jsonb.parse(raw)
    except ValueError:
        # json-tree lets a leading zero and a trailing comma through (`jsonb_input.py`), so
        # such a text fails in the write, as PostgreSQL refuses it
        lenient = jsonb_input.lenient_refusal(raw)
        if lenient is not None:
            if encrypted:
                return raw
            raise webmessage.fail(webmessage.conflict_message(lenient)) from None
        raise webmessage.fail(webmessage.bad_request(
            f"Invalid JSON value for key '{key}'")) from None
    if encrypted:
        return raw
    refused = jsonb_input.refusal(raw)
    if refused is not None:
        raise webmessage.fail(webmessage.conflict_message(refused))
    return value


def create_entry(ctx: Ctx, namespace: str, key: str) -> Response:
    ctx.require_media_type("application/json")
    # `@RequestBody String value` (required): Spring refuses an empty body before the handler
    if not ctx.request.get_data(cache=True):
        raise webmessage.fail(webmessage.error(400, _body_missing(ctx)))
    encrypt = _primitive_flag(ctx, "encrypt")  # bound after the body
    return _add_entry(ctx, namespace, key, encrypt)


def _body_missing(ctx: Ctx) -> str:
    """RequestResponseBodyMethodProcessor#readWithMessageConverters' HttpMessageNotReadableException
    for a required body: "Required request body is missing: " + the handler's
    `Method#toGenericString` (answered by CrudControllerAdvice
    #handleHttpMessageNotReadableExceptionHandler, no errorCode); its `throws` clause per
    release (`Release.datastore_add_entry_throws_forbidden`)."""
    throws = ["org.hisp.dhis.feedback.ConflictException", "org.hisp.dhis.feedback.BadRequestException"]
    if ctx.release.datastore_add_entry_throws_forbidden:
        throws.append("org.hisp.dhis.feedback.ForbiddenException")
    return ("Required request body is missing: public org.hisp.dhis.dxf2.webmessage.WebMessage "
            "org.hisp.dhis.webapi.controller.DatastoreController.addEntry(java.lang.String,"
            f"java.lang.String,java.lang.String,boolean) throws {','.join(throws)}")


def _add_entry(ctx: Ctx, namespace: str, key: str, encrypt: bool) -> Response:
    """DatastoreController#addEntry → DefaultDatastoreService#addEntry: the existing key's 409,
    then #validateEntry (a null value, PUT's missing body, is stored as NULL); `encrypt` puts
    the text in `encrypted_value` and leaves `jbvalue` NULL."""
    if _row(ctx, namespace, key) is not None:
        raise webmessage.fail(webmessage.conflict(
            f"Key '{key}' already exists in namespace '{namespace}'"))
    value: str | None = None
    if ctx.request.get_data(cache=True):
        checked = _value(ctx, key, encrypted=encrypt)
        value = checked if encrypt else jsonb.dumps(checked)
    plain, secret = (None, value) if encrypt else (value, None)
    when = objects.now()
    with ctx.store.lock:
        ctx.store.conn.execute(
            "INSERT INTO datastore (namespace, key, value, created, last_updated, encrypted, "
            "encrypted_value) VALUES (?,?,?,?,?,?,?)",
            (namespace, key, plain, when, when, int(encrypt), secret))
    return webmessage.ok(f"Key created: '{key}'", http_status=201)


def _jsonb_path(path: str) -> list[str]:
    """HibernateDatastoreStore#toJsonbPath (2.41.9 :308-315, 2.42.5 = 2.43.1 :310-317): `a.b[0]` /
    `a.b.[0]` → a,b,0; `String#replaceAll`'s `\\d` is ASCII, so `[١]` stays in its key."""
    return re.sub(r"\[(\d+)]", r",\1", path, flags=re.ASCII).replace(".", ",").replace(",,", ",").split(",")


def _path_set(current: Any, path: str, new: Any, create_missing: bool) -> Any:
    try:
        return jsonb_set.set_path(current, _jsonb_path(path), new, create_missing)
    except jsonb_set.PathError as refused:
        raise webmessage.fail(webmessage.conflict_message(refused.message)) from None


def _rolled(items: list[Any], value: Any, size: int) -> list[Any]:
    # `(array - 0) || [value]` once the array holds `size` items (any size when negative)
    return [*items[1:], value] if size < 0 or len(items) >= size else [*items, value]


def _updated(current: Any, value: Any, path: str | None, roll: int | None) -> Any:
    """HibernateDatastoreStore#updateEntry's statements for a non-null value."""
    if not path:
        if roll is None:
            return value
        if current is None:
            return [value]
        return _rolled(current, value, roll) if isinstance(current, list) else value
    keys = _jsonb_path(path)
    if roll is None:
        return jsonb_set.set_path(current, keys, value, create_missing=False)
    target = jsonb_set.extract(current, keys)
    if isinstance(target, list):
        return jsonb_set.set_path(current, keys, _rolled(target, value, roll), create_missing=False)
    if target is None or target is jsonb_set.MISSING:  # null or undefined start an array
        # the `else` branch too, where the path reaches nothing: a scalar root, or a step no
        # array index reads, which jsonb_set then refuses
        return jsonb_set.set_path(current, keys, [value], create_missing=True)
    return jsonb_set.set_path(current, keys, value, create_missing=True)


def _roll(ctx: Ctx) -> int | None:
    """`@RequestParam(required = false) Integer roll` (DatastoreController#updateEntry 2.41.9
    :236, 2.42.5 :261, 2.43.1 :258; UserDatastoreController alike) as `core/spring_params.py
    #request_param_int` binds it: empty or whitespace only is null, no roll; a refusal is a
    MethodArgumentTypeMismatchException caused by the NumberFormatException (webapi
    SpringBindingTest: "… For input string: \"10.5\"")."""
    return request_param_int(request_values(ctx.request.args, "roll", ctx.release), "roll", None,
                             ctx.release)


def _update_null(ctx: Ctx, namespace: str, key: str, path: str | None, raw: str) -> Response:
    """An entry whose jbvalue is NULL: every jsonb function of it is NULL, so only the root
    statements change it (no body deletes it; a value, rolled or not, becomes the value:
    roll's `case jsonb_typeof(jbvalue)` falls to `else cast(:value as jsonb)`)."""
    statement: str | None = None
    params: tuple[str, ...] = ()
    if raw == "" and not path:
        statement, params = "DELETE FROM datastore WHERE namespace=? AND key=?", (namespace, key)
    elif raw != "":
        value = jsonb.dumps(_value(ctx, key))  # #validateEntry refuses what is no JSON first
        if not path:
            statement = "UPDATE datastore SET value=? WHERE namespace=? AND key=?"
            params = (value, namespace, key)
    if statement:
        with ctx.store.lock:
            ctx.store.conn.execute(statement, params)
    return webmessage.ok(f"Key updated: '{key}'")


def update_entry(ctx: Ctx, namespace: str, key: str) -> Response:
    """DatastoreController#putEntry → DefaultDatastoreService#updateEntry →
    HibernateDatastoreStore#updateEntry (2.41.9, 2.42.5, 2.43.1): `@RequestBody(required =
    false)`, so no body is a null value: at the root the entry is deleted, at a `path` the
    member becomes JSON null; a value replaces the root or the member at `path` (a missing
    member stays missing); `roll=N` appends to an array (dropping its first item once it
    holds N). The native statements leave `lastupdated` as it was.

    A `path` write whose `jsonb_set` PostgreSQL refuses (`core/jsonb_set.py`: a scalar or JSON
    `null` root, a step into an array that is no integer) fails the update: PgJDBC's
    PSQLException (SQLSTATE class 22), which Hibernate 5.6.15 (`hibernate.version` at the three
    tags) turns into a DataException (`SQLStateConversionDelegate`, class 22) and
    `#executeUpdate` into a jakarta PersistenceException caused by it
    (`ExceptionConverterImpl#convert`, marking the transaction for rollback). The store is a
    `@Repository` and HibernateConfig registers a PersistenceExceptionTranslationPostProcessor
    (2.41.9 :79-80, 2.42.5 / 2.43.1 :82-83), but no bean translates: the entity manager factory
    bean is `LocalContainerEntityManagerFactoryBean#getObject` (2.41.9 :124-141, 2.42.5 /
    2.43.1 :118-133), a proxy of EntityManagerFactory and EntityManagerFactoryInfo (Spring
    `AbstractEntityManagerFactoryBean#createEntityManagerFactoryProxy`), and dhis2-core
    declares no other PersistenceExceptionTranslator, so `PersistenceExceptionTranslationInterceptor`'s
    empty chain rethrows the exception as it is. `CrudControllerAdvice#persistenceExceptionHandler`
    (2.41.9 :428-433, 2.42.5 :436-441, 2.43.1 :437-442) answers `conflict(getHelpfulMessage(ex))`,
    the cause's cause (2.41.9 :703-713, 2.42.5 :754-764, 2.43.1 :755-765), the PSQLException:
    409 "ERROR: cannot set path in scalar", no errorCode, no devMessage. It is not the
    BadSqlGrammarException of `Release.sql_error_dev_message_is_state`."""
    ctx.require_media_type("application/json")
    # the `roll` Integer is bound before the handler looks the key up
    path, roll = ctx.request.args.get("path"), _roll(ctx)
    encrypt = _primitive_flag(ctx, "encrypt")
    row = _row(ctx, namespace, key)
    if row is None:
        return _add_entry(ctx, namespace, key, encrypt)
    raw = ctx.request.get_data(as_text=True)
    if row[0] is None:
        return _update_null(ctx, namespace, key, path, raw)
    current = jsonb.parse(row[0])
    if raw == "":
        if not path:
            with ctx.store.lock:
                ctx.store.conn.execute("DELETE FROM datastore WHERE namespace=? AND key=?",
                                       (namespace, key))
            return webmessage.ok(f"Key updated: '{key}'")
        stored = jsonb.dumps(_path_set(current, path, None, False))
    elif not path and roll is None:
        stored = jsonb.dumps(_value(ctx, key))
    else:
        value = _value(ctx, key)  # PostgreSQL reads the value's cast before jsonb_set runs
        try:
            stored = jsonb.dumps(_updated(current, value, path, roll))
        except jsonb_set.PathError as refused:
            raise webmessage.fail(webmessage.conflict_message(refused.message)) from None
    with ctx.store.lock:
        ctx.store.conn.execute(
            "UPDATE datastore SET value=? WHERE namespace=? AND key=?", (stored, namespace, key))
    return webmessage.ok(f"Key updated: '{key}'")


def delete_entry(ctx: Ctx, namespace: str, key: str) -> Response:
    if _row(ctx, namespace, key) is None:
        raise _missing_key(namespace, key)
    with ctx.store.lock:
        ctx.store.conn.execute("DELETE FROM datastore WHERE namespace=? AND key=?",
                               (namespace, key))
    return webmessage.ok(f"Key '{key}' deleted from namespace '{namespace}'")


def delete_namespace(ctx: Ctx, namespace: str) -> Response:
    with ctx.store.lock:
        cur = ctx.store.conn.execute("DELETE FROM datastore WHERE namespace=?", (namespace,))
    if cur.rowcount == 0:
        raise webmessage.fail(webmessage.not_found(f"Namespace not found: '{namespace}'"))
    return webmessage.ok(f"Namespace deleted: '{namespace}'")


RULES = [
    Rule("/api/dataStore", endpoint=namespaces, methods=["GET"]),
    Rule("/api/dataStore/<namespace>", endpoint=keys, methods=["GET"]),
    Rule("/api/dataStore/<namespace>/keys", endpoint=keys, methods=["GET"]),
    Rule("/api/dataStore/<namespace>", endpoint=delete_namespace, methods=["DELETE"]),
    Rule("/api/dataStore/<namespace>/<key>", endpoint=get_entry, methods=["GET"]),
    Rule("/api/dataStore/<namespace>/<key>/metaData", endpoint=get_meta, methods=["GET"]),
    Rule("/api/dataStore/<namespace>/<key>", endpoint=create_entry, methods=["POST"]),
    Rule("/api/dataStore/<namespace>/<key>", endpoint=update_entry, methods=["PUT"]),
    Rule("/api/dataStore/<namespace>/<key>", endpoint=delete_entry, methods=["DELETE"]),
]
