"""What `POST /api/fileResources` checks of the uploaded part before the save, the content type
it stores, and the blocklist the save applies (`blocked`).

dhis2-core `dhis-web-api/.../webapi/controller/FileResourceController.java#saveFileResource`
(the same at the three tags): `FileResourceUtils#validateFileSize` against
`max.file_upload_size` (`ConfigurationKey.MAX_FILE_UPLOAD_SIZE_BYTES`, 10 000 000 by default;
2.41.9 :176, 2.42.5 :179, 2.43.1 :173), then per domain `#validateCustomIconFile` (ICON:
2.41.9 :181, 2.42.5 :184, 2.43.1 :179), `#validateUserAvatar` (USER_AVATAR: :185 / :188 / :183)
or `#validateOrgUnitImage` (ORG_UNIT: :190 / :193 / :188). `webapi/utils/FileResourceUtils.java`
(2.41.9 / 2.42.5 / 2.43.1): `#validateContentType` (:268 / :269 / :264: the part's Content-Type
before any `;`, trimmed, one of the image types; none at all is its own message),
`#validateFileExtension` (:284 / :285 / :280: commons-io `FilenameUtils#getExtension` of the
original file name, as written, in the list), `#validateFileSize` (:291 / :292 / :287). Each is
an `IllegalQueryException(String)`, which `CrudControllerAdvice#illegalQueryExceptionHandler`
answers 409 without errorCode.

The content type kept is the part's Content-Type as sent when Spring's
`MimeTypeUtils#parseMimeType` reads it, else `application/octet-stream`
(`FileResourceUtils#saveFileResource` `#isValidContentType`: 2.41.9 :218, 2.42.5 :219,
2.43.1 :214; `FileResource.DEFAULT_CONTENT_TYPE`).
"""

from __future__ import annotations

from scdi.sandbox.core import media_type

MAX_FILE_UPLOAD_SIZE = 10_000_000
_IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif")
_IMAGE_EXTENSIONS = ("jpg", "jpeg", "png", "gif")
# domain → (content types checked, extensions, size limit)
_DOMAIN_CHECKS: dict[str, tuple[tuple[str, ...] | None, tuple[str, ...], int]] = {
    "ICON": (None, ("png",), 25_000_000),
    "USER_AVATAR": (_IMAGE_TYPES, _IMAGE_EXTENSIONS, 2_000_000),
    "ORG_UNIT": (_IMAGE_TYPES, _IMAGE_EXTENSIONS, 8_000_000),
}
DEFAULT_CONTENT_TYPE = "application/octet-stream"


def _extension(filename: str | None) -> str | None:
    """`FilenameUtils#getExtension`: after the last dot that follows the last separator."""
    if filename is None:
        return None
    name = filename[max(filename.rfind("/"), filename.rfind("\\")) + 1:]
    dot = name.rfind(".")
    return "" if dot < 0 else name[dot + 1:]


def _size_refusal(size: int, limit: int) -> str | None:
    if size > limit:
        return f"File size can't be bigger than {limit}, current file size {size}"
    return None


def refusal(domain: str, filename: str | None, content_type: str | None, size: int) -> str | None:
    """The message of the first check the part fails, or None."""
    too_big = _size_refusal(size, MAX_FILE_UPLOAD_SIZE)
    if too_big or domain not in _DOMAIN_CHECKS:
        return too_big
    types, extensions, limit = _DOMAIN_CHECKS[domain]
    if types is not None:
        if content_type is None:
            return "Invalid content type, content type is NULL"
        if content_type.split(";")[0].strip() not in types:
            return "Invalid content type, valid content types are: " + ",".join(types)
    extension = _extension(filename)
    if extension is None or extension not in extensions:
        return "Wrong file extension, valid extensions are: " + ",".join(extensions)
    return _size_refusal(size, limit)


# `fileresource/FileResourceBlocklist.java` (the same lists at the three tags)
_BLOCKED_CONTENT_TYPES = frozenset({
    "text/html", "text/css", "text/javascript", "font/otf", "application/x-shockwave-flash",
    "application/vnd.debian.binary-package", "application/x-rpm", "application/java-archive",
    "application/x-ms-dos-executable", "application/vnd.microsoft.portable-executable",
    "application/vnd.apple.installer+xml", "application/vnd.mozilla.xul+xml",
    "application/x-httpd-php", "application/x-sh", "application/x-csh"})
_BLOCKED_EXTENSIONS = frozenset({
    "html", "htm", "css", "js", "mjs", "otf", "swf", "deb", "rpm", "jar", "jsp", "exe", "msi",
    "mpkg", "xul", "php", "bin", "sh", "csh", "bat"})


def blocked(name: str, content_type: str) -> bool:
    """`FileResourceBlocklist#isValid` refuses the file resource about to be saved: its whole
    content type, lower-cased, or its name's extension, lower-cased, is on the list.
    `DefaultFileResourceService#validateFileResource` (2.41.9 :435, 2.42.5 :436, 2.43.1 :440),
    called first by the sync and async saves, throws `IllegalQueryException(E6101)`."""
    return content_type.lower() in _BLOCKED_CONTENT_TYPES or \
        _extension(name.lower()) in _BLOCKED_EXTENSIONS


def stored_content_type(content_type: str | None) -> str:
    if content_type is None:
        return DEFAULT_CONTENT_TYPE
    try:
        media_type.parse(content_type)
    except media_type.InvalidMediaType as error:
        # `MediaType`'s own quality-value check is no MimeType rule
        if not str(error).startswith("Invalid media type"):
            return DEFAULT_CONTENT_TYPE
    except ValueError:
        return DEFAULT_CONTENT_TYPE
    return content_type
