"""`/api/fileResources`: multipart upload, the FileResource and its content.

dhis2-core `dhis-web-api/.../webapi/controller/FileResourceController.java` (2.41.9, 2.42.5,
2.43.1; the same behaviour at the three tags but for `#checkSharing`):
- `#saveFileResource`: `@RequestParam MultipartFile file`, `domain` (default `DATA_VALUE`,
  `fileresource/FileResourceDomain.java`, without PUSH_ANALYSIS at 2.43.1:
  `file_resource_domains`), optional `uid`; answers
  `new WebMessage(Status.OK, HttpStatus.ACCEPTED)` with a `FileResourceWebMessageResponse`
  (`responseType` "FileResource": 2.41.9 `setResponseType(FileResource.class.getSimpleName())`,
  2.42.5/2.43.1 `WebMessageResponse#getResponseType`), the stored file resource in
  `response.fileResource`; storage is asynchronous, so the answer says `storageStatus: PENDING`
  (`fileresource/DefaultFileResourceService#asyncSaveFileResource`);
- `GET /api/fileResources` and `GET /{uid}?fields=…`: `AbstractFullReadOnlyController` (the
  generic metadata read, `metadata/crud.py`);
- `uid`, the upload's parameter and the path's of the three reads: a String at 2.41.9/2.42.5, a
  `UID` at 2.43.1 (:101/:112/:128/:170), whose malformed value Spring refuses, 400 "Value 'x' is
  not valid for [path ]parameter uid. UID must be …" without errorCode
  (`file_resource_uid_typed`);
- `#getFileResource`: 404 `NotFoundException(FileResource.class, uid)`; a read reports
  `STORED` once the content is there (`DefaultFileResourceService#checkStorageStatus`);
- `#getFileResourceData`: the bytes with the stored content type; DATA_VALUE files, and
  PUSH_ANALYSIS ones before 2.43 (`file_resource_unserved_domains`), are not served from this
  endpoint, nor a USER_AVATAR one to a user without `F_USER_VIEW` whose avatar it is not
  (`#checkSharing`, 2.41.9:213-230, 2.42.5:216-233, 2.43.1:211-227): 403 ("You don't have access to fileResource
  '{uid}' or this fileResource is not available from this endpoint" on 2.41.9/2.42.5, "File
  resource not found or not accessible: {uid}" on 2.43.1 — `file_resource_forbidden_message`).
The JSON properties are those of `dhis-api/.../fileresource/FileResource.java` (`name`,
`contentType`, `contentLength`, `contentMd5`, `assigned` read-only, `storageStatus`, `domain`,
`hasMultipleStorageFiles`) plus the identifiable ones. `assigned` and the owner are set by the
tracker import (`tracker/imports/commit.py`). The size limits and the ICON, USER_AVATAR and
ORG_UNIT checks, and the content type kept: `upload_checks.py`. Not modelled: the resizing of
those images (`FileResourceUtils#resizeImageToCustomSize`: they are kept as sent).
`FileResourceUtils#saveFileResource` (`webapi/utils/`, 2.41.9
:210-254, 2.42.5 :211-255, 2.43.1 :206-250): the file name without its path ("untitled" when
blank), an empty file 409 E1004 "Could not read file or file is empty.", then a given `uid`
already stored 409 E1119 "FileResource already exists: `uid`", then the save's blocklist
(E6101: `upload_checks.blocked`).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.core import objects, spring_params, webmessage
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.files import upload_checks
from scdi.sandbox.metadata import crud

TABLES = """
CREATE TABLE IF NOT EXISTS file_resource_content (
    uid TEXT PRIMARY KEY, content BLOB NOT NULL
);
"""

PLURAL = "fileResources"
# FileResource's JSON properties; `fileResourceOwner` and the storage key are not properties.
_HIDDEN = ("fileResourceOwner",)


def _view(obj: dict[str, Any], status: str) -> dict[str, Any]:
    out = {k: v for k, v in obj.items() if k not in _HIDDEN}
    out["storageStatus"] = status
    return out


def upload(ctx: Ctx) -> Response:
    upload_file = ctx.request.files.get("file")
    if upload_file is None:
        # RequestParamMethodArgumentResolver#handleMissingValueInternal (Spring 5.3.39 :203-220,
        # 6.2.8 :206-222): a request that is not multipart is a MultipartException,
        # CrudControllerAdvice#defaultExceptionHandler's 500 (2.41.9 :595-599, 2.42.5 :639-643,
        # 2.43.1 :640-644); a multipart one without the part the container's 400 page
        if not (ctx.request.content_type or "").lower().startswith("multipart/"):
            raise webmessage.UncaughtException("Current request is not a multipart request")
        raise spring_params.missing_part("file", ctx.release)
    # the `FileResourceDomain` @RequestParam (defaultValue DATA_VALUE, so an empty value is the
    # default), bound by ConvertEnum: any case; a refusal lists the release's constants
    # (`Release.file_resource_domains`)
    domain = spring_params.convert_enum(
        "domain", ctx.request.args.get("domain") or "DATA_VALUE", ctx.release.file_resource_domains)
    given = ctx.request.args.get("uid")
    if ctx.release.file_resource_uid_typed and given is not None and not objects.is_uid(given):
        # Spring's ObjectToObjectConverter hands even an empty value to `UID#of`;
        # CrudControllerAdvice#getNotValidValueMessage words an empty one "uid cannot be empty."
        raise webmessage.fail(webmessage.bad_request_message(
            f"{spring_params.not_valid_value('uid', given)} UID must be an alphanumeric string "
            f"of 11 characters starting with a letter, but was: {given}"))
    uid = given or objects.generate_uid()
    content = upload_file.read()
    refused = upload_checks.refusal(domain, upload_file.filename, upload_file.content_type,
                                    len(content))
    if refused:
        raise webmessage.fail(webmessage.conflict_message(refused))
    if not content:
        # FileResourceUtils#saveFileResource (2.41.9 :231-233, 2.42.5 :232-234, 2.43.1
        # :227-229): `new ConflictException(String)`, E1004
        raise webmessage.fail(webmessage.conflict("Could not read file or file is empty."))
    if ctx.request.args.get("uid") and ctx.store.get_object(PLURAL, uid) is not None:
        # then, before the save, a given uid already taken (2.41.9 :245-246, 2.42.5 :246-247,
        # 2.43.1 :241-242): E1119 "{0} already exists: `{1}`"
        raise webmessage.fail(webmessage.conflict(f"FileResource already exists: `{uid}`", "E1119"))
    # `FilenameUtils#getName` (the part after the last `/` or `\\`), "untitled" when blank
    # (FileResource.DEFAULT_FILENAME)
    name = re.split(r"[/\\]", upload_file.filename or "")[-1]
    name = name if name.strip() else "untitled"
    content_type = upload_checks.stored_content_type(upload_file.content_type)
    if upload_checks.blocked(name, content_type):
        raise webmessage.fail(webmessage.conflict("File type not allowed", "E6101"))
    if len(uid) > 11:
        # the String is stored as given; the 11-character uid column refuses it in the database
        # (a PersistenceException, 409), which the sandbox does not word like PostgreSQL
        raise webmessage.fail(webmessage.conflict_message(f"Invalid UID: {uid}"))
    obj: dict[str, Any] = {
        "id": uid, "name": name, "contentType": content_type,
        "contentLength": len(content),
        "contentMd5": hashlib.md5(content, usedforsecurity=False).hexdigest(),
        # stored with the object, so the generic reads (`fields`, lists) see it as DHIS2 writes
        # the @JsonProperty; the content is there at once, so it reads STORED from then on
        "assigned": False, "domain": domain, "hasMultipleStorageFiles": False, "storageStatus": "STORED"}
    objects.stamp_create(obj, ctx.user, shareable=False)
    with ctx.store.lock, ctx.store.transaction():
        ctx.store.put_object(PLURAL, obj)
        ctx.store.conn.execute(
            "INSERT OR REPLACE INTO file_resource_content (uid, content) VALUES (?, ?)",
            (uid, content))
    ctx.extras["committed"] = True
    return webmessage.ok(http_status=202, response=webmessage.place_response_type(ctx.release, {
        "responseType": "FileResource", "fileResource": _view(obj, "PENDING")}))


def _stored(ctx: Ctx, uid: str) -> dict[str, Any]:
    obj = ctx.store.get_object(PLURAL, uid)
    if obj is None:
        raise webmessage.fail(webmessage.not_found_object("FileResource", uid))
    return obj


# `fileresource/ImageFileDimension.java` (the same constants at the three tags)
_DIMENSIONS = ("SMALL", "MEDIUM", "LARGE", "ORIGINAL")


def _bind_dimension(ctx: Ctx) -> None:
    """`@RequestParam(required = false) ImageFileDimension dimension` of `#getFileResource` and
    `#getFileResourceData` (2.41.9 :110/:128, 2.42.5 :113/:131, 2.43.1 :112/:130), bound after
    the path's uid by ConvertEnum. Only the storage key of a file kept in several sizes depends
    on it (`FileResourceUtils#setImageFileDimensions`), and the sandbox keeps one."""
    raw = ctx.request.args.get("dimension")
    if raw is not None:
        spring_params.convert_enum("dimension", raw, _DIMENSIONS)


def list_all(ctx: Ctx) -> Response:
    """`AbstractFullReadOnlyController#getObjectList`, as every metadata list (`metadata/crud.py`)."""
    return crud.list_objects(ctx, PLURAL)


def get_one(ctx: Ctx, uid: str) -> Response:
    # `@PathVariable UID uid` at 2.43.1 (:101/:112), a String before: a malformed uid is
    # Spring's 400 before the lookup
    ctx.check_path_uids(typed=ctx.release.file_resource_uid_typed, uid=uid)
    if "fields" in ctx.request.args:
        # `#getObject` serves the request when `fields` is given, mapped `/{uid}` without the
        # `{uid:[a-zA-Z0-9]{11}}` pattern of the method it overrides (2.41.9 :97-99, 2.42.5
        # :100-102, 2.43.1 :99-101), so any id reaches `super.getObject` (404 when unknown)
        return crud.get_object(ctx, PLURAL, uid, pattern=False)
    _bind_dimension(ctx)
    return webmessage.json_response(_view(_stored(ctx, uid), "STORED"))


def _served(ctx: Ctx, obj: dict[str, Any]) -> bool:
    """`FileResourceController#checkSharing`."""
    domain = obj.get("domain")
    if domain in ctx.release.file_resource_unserved_domains:
        return False
    if domain == "USER_AVATAR":
        account = ctx.store.get_object("users", ctx.user.uid) or {}
        avatar = account.get("avatar")
        own = isinstance(avatar, dict) and avatar.get("id") == obj.get("id")
        return ctx.user.has("F_USER_VIEW") or own
    return True


def get_data(ctx: Ctx, uid: str) -> Response:
    ctx.check_path_uids(typed=ctx.release.file_resource_uid_typed, uid=uid)  # 2.43.1 :128
    _bind_dimension(ctx)
    obj = _stored(ctx, uid)
    if not _served(ctx, obj):
        raise webmessage.fail(webmessage.forbidden(
            ctx.release.file_resource_forbidden_message.format(uid=uid)))
    with ctx.store.lock:
        row = ctx.store.conn.execute(
            "SELECT content FROM file_resource_content WHERE uid=?", (uid,)).fetchone()
    content = bytes(row[0]) if row else b""
    # `HeaderUtils#setSecurityHeaders(response, csp.header.value)` (2.41.9 :154-155, 2.42.5
    # :157-158, 2.43.1 :154-155): setHeader, so its policy (CspConstants.SCRIPT_SOURCE_DEFAULT
    # by default) replaces the two CspFilter added, and its X-XSS-Protection is the one Spring
    # Security's writer then finds present and keeps, at every release
    return Response(content, content_type=_served_content_type(str(obj.get("contentType"))),
                    headers={
        "Content-Disposition": f"filename={obj.get('name')}",
        "Content-Security-Policy": "script-src 'none'; ", "X-Content-Type-Options": "nosniff",
        "X-XSS-Protection": "1; mode=block"})


def _served_content_type(stored: str) -> str:
    """`response.setContentType(fileResource.getContentType())` (2.41.9 :147, 2.42.5 :150,
    2.43.1 :147) after the UTF-8 `characterEncodingFilter` (`forceEncoding`,
    `DhisWebApiWebAppInitializer#setupServlets`) set the response's encoding. Tomcat 9.0.111 and
    11.0.20 alike (`connector/Response#setContentType`, `coyote/Response#getContentType`): a
    type naming no charset is kept as written and `;charset=UTF-8` follows it, an image's or a
    PDF's too; one naming a charset is rebuilt by `MediaType#toStringNoCharset` (type/subtype,
    then each other parameter as `;name=value`, the name lower-cased) and its own charset,
    unquoted, follows instead. Not modelled: a quoted parameter value holding `;`."""
    base, *parts = stored.split(";")
    params = [(name.strip().lower(), value.strip()) for name, _, value in
              (part.partition("=") for part in parts)]
    charsets = [value for name, value in params if name == "charset"]
    if not charsets:
        return f"{stored};charset=UTF-8"
    charset = charsets[-1]  # the parameters' LinkedHashMap keeps the last
    if charset.startswith('"'):
        charset = re.sub(r'\\(.)', r"\1", charset[1:-1])
    others = "".join(f";{name}={value}" for name, value in params if name and name != "charset")
    return f"{base.strip()}{others};charset={charset}"


def owners(ctx: Ctx) -> Response:
    """`#getFileResourceOwners`, `GET /owners` (2.41.9 :204-206, 2.42.5 :207-209, 2.43.1
    :202-204), a literal mapping Spring prefers to `/{uid}`: `@RequestParam String storageKey`
    is required (an empty value is present), then
    `DefaultFileResourceService#findOwnersByStorageKey` (2.41.9 :151, 2.42.5 :152, 2.43.1 :154)
    answers `[]` for a key no file resource has. A storage key is the domain's container name
    and a random UUID (`FileResourceKeyUtil#makeKey`, `FileResource`'s constructor), never
    written by the API, so no key a client sends names a file here: the answer is `[]`."""
    if ctx.request.args.get("storageKey") is None:
        raise webmessage.fail(webmessage.bad_request_message(
            "Required request parameter 'storageKey' for method parameter type String is not "
            "present"))
    return webmessage.json_response([])


RULES = (
    Rule("/api/fileResources", endpoint=upload, methods=["POST"]),
    Rule("/api/fileResources/owners", endpoint=owners, methods=["GET"]),
    Rule("/api/fileResources", endpoint=list_all, methods=["GET"]),
    Rule("/api/fileResources/<uid>", endpoint=get_one, methods=["GET"]),
    Rule("/api/fileResources/<uid>/data", endpoint=get_data, methods=["GET"]),
)
