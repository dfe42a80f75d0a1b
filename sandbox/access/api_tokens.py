"""Personal access tokens: `/api/apiToken` (alias `/api/apiTokens`).

dhis2-core 2.42.5 `webapi/controller/security/ApiTokenController.java`: POST creates a token
for the current user (default expiry 30 days, `DEFAULT_TOKEN_EXPIRE`), answers 201 with
`ApiTokenCreationResponse` {responseType, key, uid, klass, errorReports}; the plaintext key is
shown once and only its SHA-256 is kept (`ApiKeyTokenGenerator#hashToken`). New tokens use the
release's default type (`ApiTokenType#getDefaultPatType`: release table `api_token_prefixes[0]`).
The answer carries `Location: <api path>/apiToken/<uid>` (`webMessage.setLocation`, written by
`WebMessageControllerAdvice#beforeBodyWrite`) and `responseType` per release
(`api_key_creation_response_type`). `#validateTokenAttributes` (2.41.9, 2.42.5, 2.43.1) checks
the first attribute of each type (`ApiToken#findApiTokenAttribute`): IPs, then methods, then
referrers; the first bad value answers 409 E1004 "Failed to validate the token's attributes,
message: Not a valid ip address, value=…" ("Not a valid http method, value=…", "Not a valid
referrer url, value=…"). Methods: `VALID_METHODS` upper-cased; IPs: commons-validator
`InetAddressValidator` (IPv4 without leading zeros, IPv6); referrers: `UrlValidator` with its
default schemes http, https, ftp, a host that is a domain (`email_address.is_valid_domain`), an
IPv4 address or a bracketed IPv6 address, an optional port, a path without `//` and without
`..` above the root. A null element is the NullPointerException's message of the check it fails
(`httpMethodName` upper-cased, commons-validator 1.10.1 `InetAddressValidator
#isValidInet6Address` splitting `inet6Address`); a null referrer is refused (`value=null`).
The path and port are read with Java's ASCII `\\w` and `\\d` (PATH_REGEX, AUTHORITY_REGEX).
Not modelled: commons-validator's top-level domain list, IPv6 zone and prefix forms, and what
`java.net.URI` refuses first (1.10.1 `UrlValidator#isValid` parses the value with `new URI`,
:358-367: e.g. a space or a line break in the query).

A token is a metadata object (`ApiToken extends BaseIdentifiableObject implements
MetadataObject`, `ApiTokenController extends AbstractCrudController` at 2.41.9, 2.42.5 and
2.43.1): `#postJsonObject` imports it through the metadata importer (CREATE), so it is stamped
and shared as any created object (`metadata/sharing_import.py`), keeps the payload's `code`
(`ApiKeyTokenGenerator#generatePersonalAccessToken`), and holds BaseIdentifiableObject's
`translations` and `attributeValues` initialisers (empty: `security.hibernate/ApiToken.hbm.xml`
maps neither). `GET /api/apiToken/{uid}` is `AbstractFullReadOnlyController#getObject`
(default fields `*`) and `GET /api/apiToken` its `#getObjectList` (default `id,displayName`),
rendered as every metadata object (`metadata/query.py#decorate`: href, access; nulls never
written, JacksonObjectMapperConfig's NON_NULL). Tokens are read through the sharing ACL as
other objects: `ApiTokenSchemaDescriptor#getSchema` (2.41.9 :49-58, 2.42.5 and 2.43.1 :51-60)
makes them private by default (`setDefaultPrivate(true)`) and names no authorities, so a list
and a single read keep what `access/acl.py#listed` / `#shared_for_read` keep (the owner's, those
shared with the user, every token for a superuser) and a DELETE asks `#can_delete` of a token
the user can read, as `metadata/crud.py#delete_object` does.
"""

from __future__ import annotations

import ipaddress
import json
import re
import time
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.access import acl
from scdi.sandbox.core import auth, email_address, java_hash, objects, webmessage, xml_bodies
from scdi.sandbox.core import fields as fieldsel
from scdi.sandbox.core.context import Ctx, Reader
from scdi.sandbox.metadata import field_presets, query, registry, sharing_import
from scdi.sandbox.metadata.non_null import non_null

KLASS = "org.hisp.dhis.security.apikey.ApiToken"
DEFAULT_EXPIRE_MS = 30 * 24 * 3600 * 1000


VALID_METHODS = ("HEAD", "GET", "POST", "PATCH", "PUT", "DELETE")
_URL = re.compile(r"(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?", re.S)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+\-.]*")
# AUTHORITY_REGEX and PATH_REGEX (commons-validator 1.10.1 :132-148) as java.util.regex reads
# them: `\d` and `\w` ASCII (re.ASCII), so a port or path in other digits or letters is refused
_AUTHORITY = re.compile(r"(?:\[([0-9a-fA-F:.]+)\]|(?:[-\w.~!$&'()*+,;=%]+(?::[-\w.~!$&'()*+,;=%]*)?@)?"
                        r"([A-Za-z0-9\-.]*))(?::(\d*))?(.*)", re.S | re.ASCII)
_PATH = re.compile(r"(/[-\w:@&?=+,.!/~*'%$;()]*)?", re.ASCII)


def _ip(value: str, kind: type[ipaddress.IPv4Address | ipaddress.IPv6Address]) -> bool:
    # the standard library's parser refuses what InetAddressValidator refuses: octets over 255,
    # leading zeros, non-ASCII digits
    try:
        return isinstance(ipaddress.ip_address(value), kind)
    except ValueError:
        return False


def _ipv4(value: str) -> bool:
    return _ip(value, ipaddress.IPv4Address)


def _ipv6(value: str) -> bool:
    return _ip(value, ipaddress.IPv6Address)


def _url(value: str) -> bool:
    match = _URL.fullmatch(value)
    if not match:
        return False
    scheme, authority, path = match.group(1), match.group(2), match.group(3)
    if scheme is None or not _SCHEME.fullmatch(scheme) or scheme.lower() not in ("http", "https", "ftp"):
        return False
    host = _AUTHORITY.fullmatch(authority) if authority is not None else None
    if host is None or (host.group(4) or "").strip():
        return False
    if host.group(1) is not None:
        if not _ipv6(host.group(1)):
            return False
    elif not (email_address.is_valid_domain(host.group(2)) or _ipv4(host.group(2))):
        return False
    port = host.group(3)
    if port and int(port) > 65535:
        return False
    if not _PATH.fullmatch(path) or "//" in path:
        return False
    dots = path.count("..")
    return not (dots and path.count("/") - 1 <= dots)


# the HashSet<String> of each attribute class (IpAllowedList#allowedIps, …)
_ALLOWED = {"IpAllowedList": "allowedIps", "MethodAllowedList": "allowedMethods",
            "RefererAllowedList": "allowedReferrers"}


def _as_read(attributes: Any) -> list[Any]:
    """The attributes as Jackson reads them: each allowed list into a new HashSet, so repeated
    values go and the rest follow the set's iteration order, which is also the order of the
    controller's checks and of the stored JSON."""
    read: list[Any] = []
    for attribute in attributes if isinstance(attributes, list) else []:
        key = _ALLOWED.get(str(attribute.get("type"))) if isinstance(attribute, dict) else None
        values = attribute.get(key) if key is not None else None
        if key is not None and isinstance(values, list) and all(
                v is None or isinstance(v, str) for v in values):
            # a HashSet holds one null, in bucket 0 (HashMap#hash(null) is 0)
            attribute = {**attribute, key: java_hash.hash_set_order(
                values, hash_code=lambda v: 0 if v is None else java_hash.string_hash(v))}
        read.append(attribute)
    return read


def _attribute_problem(attributes: list[Any]) -> str | None:
    """ApiTokenController#validateTokenAttributes: the message of the first refused value."""
    first: dict[str, dict[str, Any]] = {}
    for attribute in attributes:
        if isinstance(attribute, dict):
            first.setdefault(str(attribute.get("type")), attribute)
    checks = (("IpAllowedList", "allowedIps", lambda v: _ipv4(v) or _ipv6(v), "ip address"),
              ("MethodAllowedList", "allowedMethods", lambda v: v.upper() in VALID_METHODS,
               "http method"),
              ("RefererAllowedList", "allowedReferrers", _url, "referrer url"))
    for kind, key, valid, label in checks:
        for value in (first.get(kind) or {}).get(key) or []:
            if value is None and kind == "MethodAllowedList":
                # #validateHttpMethod upper-cases the null element of the set
                return _NULL_METHOD_NPE
            if value is None and kind == "IpAllowedList":
                # InetAddressValidator#isValid: the IPv4 check's RegexValidator#match answers
                # null for null, then #isValidInet6Address splits it (commons-validator 1.10.1)
                return _NULL_IP_NPE
            if value is None and kind == "RefererAllowedList":
                # UrlValidator#isValid refuses null
                return f"Not a valid {label}, value=null"
            if not valid(str(value)):
                return f"Not a valid {label}, value={value}"
    return None


_NULL_METHOD_NPE = ('Cannot invoke "String.toUpperCase(java.util.Locale)" because '
                    '"httpMethodName" is null')


_NULL_IP_NPE = 'Cannot invoke "String.split(String, int)" because "inet6Address" is null'


_NULL_ENTITY_NPE = ('Cannot invoke "org.hisp.dhis.security.apikey.ApiToken.getExpire()" because '
                    '"token" is null')


def create_token(ctx: Ctx) -> Response:
    # ApiTokenController#postJsonObject (`consumes = "application/json"`) reads the stream
    # through AbstractCrudController#deserializeJsonEntity; 2.41's XML twin refuses the method
    # (`core/xml_bodies.py`)
    if ctx.release.crud_consumes_xml and xml_bodies.sent(ctx.request, "application/xml", "text/xml"):
        raise webmessage.fail(xml_bodies.api_token_xml_refusal())
    ctx.require_media_type("application/json")
    body = ctx.json_body(Reader.STREAM, klass="org.hisp.dhis.security.apikey.ApiToken")
    # #validateTokenAttributes asks a null token for its expiry
    attributes = _as_read(body.get("attributes")) if body is not None else []
    problem = _NULL_ENTITY_NPE if body is None else _attribute_problem(attributes)
    if problem is not None:
        raise webmessage.fail(webmessage.conflict(
            f"Failed to validate the token's attributes, message: {problem}"))
    prefix = ctx.release.api_token_prefixes[0].rstrip("_")
    token = auth.generate_token(prefix)
    uid = objects.generate_uid()
    expire = body.get("expire")
    if not isinstance(expire, int):
        expire = int(time.time() * 1000) + DEFAULT_EXPIRE_MS
    doc: dict[str, Any] = {"id": uid, "version": auth.TOKEN_TYPES[prefix].version,
                           "type": "PERSONAL_ACCESS_TOKEN", "expire": expire,
                           "attributes": attributes}
    if isinstance(body.get("code"), str):
        doc["code"] = body["code"]
    auth.store_token(ctx.store, uid, token, ctx.user.uid, _imported(ctx, doc))
    return webmessage.ok(http_status=201, response=webmessage.place_response_type(ctx.release, {
        "responseType": ctx.release.api_key_creation_response_type, "key": token, "uid": uid,
        "klass": KLASS, "errorReports": []}),
        headers={"Location": f"{ctx.api_path}/apiToken/{uid}"})


def _imported(ctx: Ctx, doc: dict[str, Any]) -> dict[str, Any]:
    """The token as the metadata importer creates it (`metadata/importer.py#_store_one`)."""
    info = registry.by_plural("apiToken", ctx.release.minor)
    if info is not None:
        doc = sharing_import.before_bundle(info, doc, ctx.user, ctx.release.minor)
    objects.stamp_create(doc, ctx.user, shareable=False)
    if info is not None and sharing_import.shareable(info, ctx.release.minor):
        sharing_import.on_create(doc, ctx.user, False)
    return {"translations": [], "attributeValues": [], **doc}


def _tokens(ctx: Ctx, uid: str | None = None) -> list[dict[str, Any]]:
    """The tokens a list (`uid` None) or a single read keeps: `HibernateIdentifiableObjectStore`'s
    sharing predicates, which a superuser's reads skip."""
    with ctx.store.lock:
        rows = ctx.store.conn.execute(
            "SELECT doc FROM api_tokens WHERE ? IS NULL OR uid=? ORDER BY uid",
            (uid, uid)).fetchall()
    minor = ctx.release.minor
    keep = acl.listed if uid is None else acl.shared_for_read
    return [doc for doc in (json.loads(r[0]) for r in rows)
            if keep(ctx.user, "apiToken", doc, minor)]


def list_tokens(ctx: Ctx) -> Response:
    """`AbstractFullReadOnlyController#getObjectList` as `metadata/crud.py#list_objects`: default
    fields `id,displayName` (a token has no name, so `id`), `filter`, `order`, paging."""
    # 2.42+ bind GetObjectListParams first, so the list reads its parameters as bound
    junction = query.list_root_junction(ctx)
    args = ctx.request.args
    selection = fieldsel.parse(args.getlist("fields"), default=fieldsel.LIST_DEFAULT)
    rows = [query.decorate(ctx, "apiToken", t) for t in _tokens(ctx)]
    info = registry.by_plural("apiToken", ctx.release.minor)
    if info is not None:
        rows = query.apply_filters(
            rows, query.list_filters(args.getlist("filter"), info.singular, ctx.release.minor),
            junction, lambda ref: query.find_any(ctx, ref), ctx.release.minor)
    rows, pager = query.page(ctx, query.apply_order(rows, args.get("order")))
    query.refuse_null_defaults(ctx, "GetObjectListParams")
    schema = field_presets.for_plural("apiToken", ctx.release.minor)
    items = [non_null(fieldsel.select(non_null(r), selection,
                                      lambda ref: query.find_any(ctx, ref), schema=schema))
             for r in rows]
    body: dict[str, Any] = {"pager": pager} if pager else {}
    body["apiToken"] = items
    return webmessage.json_response(body, headers={"Cache-Control": "no-cache, private"})


def get_token(ctx: Ctx, uid: str) -> Response:
    token = next(iter(_tokens(ctx, uid)), None)
    if token is None:
        raise webmessage.fail(webmessage.not_found_object("ApiToken", uid))
    ctx.cache_private()  # AbstractFullReadOnlyController#getObject, as metadata/crud.py
    selection = fieldsel.parse(ctx.request.args.getlist("fields"), default="*")
    source = query.decorate(ctx, "apiToken", token)
    return webmessage.json_response(non_null(fieldsel.select(
        non_null(source), selection, lambda ref: query.find_any(ctx, ref),
        schema=field_presets.for_plural("apiToken", ctx.release.minor))))


def delete_token(ctx: Ctx, uid: str) -> Response:
    token = next(iter(_tokens(ctx, uid)), None)
    if token is None:
        raise webmessage.fail(webmessage.not_found_object("ApiToken", uid))
    if not acl.can_delete(ctx.user, "apiToken", token, ctx.release.minor):
        raise webmessage.fail(webmessage.forbidden(
            "You don't have the proper permissions to delete this object."))
    with ctx.store.lock:
        ctx.store.conn.execute("DELETE FROM api_tokens WHERE uid=?", (uid,))
    return webmessage.ok(response=webmessage.place_response_type(ctx.release, {
        "responseType": "ObjectReport", "uid": uid, "klass": KLASS, "errorReports": []}))


RULES = [
    Rule("/api/apiToken", endpoint=create_token, methods=["POST"]),
    Rule("/api/apiTokens", endpoint=create_token, methods=["POST"]),
    Rule("/api/apiToken", endpoint=list_tokens, methods=["GET"]),
    Rule("/api/apiTokens", endpoint=list_tokens, methods=["GET"]),
    Rule("/api/apiToken/<uid>", endpoint=get_token, methods=["GET"]),
    Rule("/api/apiTokens/<uid>", endpoint=get_token, methods=["GET"]),
    Rule("/api/apiToken/<uid>", endpoint=delete_token, methods=["DELETE"]),
    Rule("/api/apiTokens/<uid>", endpoint=delete_token, methods=["DELETE"]),
]
