"""Whether one of DHIS2's message converters reads a `@RequestBody` bean of the request's
Content-Type: Spring's 415 when none does.

`RequestResponseBodyMethodProcessor#readWithMessageConverters` (Spring 5.3.39 on 2.41.9, 6.2.8
on 2.42.5 / 2.43.1) asks each converter `WebMvcConfig#configureMessageConverters` registers
(2.41.9 :177-208, 2.42.5 :214-241, 2.43.1 :186-213) whether it reads the bean. For a bean (no
`String`, `byte[]` or form map, which the String, ByteArray and Form converters take) the only
readers are:

- `MappingJackson2HttpMessageConverter` (the JSON mapper): `application/json` and
  `application/*+json` (`MimeType#includes`: a subtype whose last `+` suffix is `json`);
- `XmlPathMappingJackson2XmlHttpMessageConverter` (`application/xml`, `text/xml`, 2.41.9
  :164-175, 2.42.5 :201-212, 2.43.1 :173-184; so no `*+xml`), whose `#canRead` (2.41.9 :49-61,
  2.42.5 / 2.43.1 :51-63) matches the servlet's path info against `WebMvcConfig.XML_PATTERNS`
  (2.41.9 :95-104: relationships, enrollments, events, trackedEntityInstances, dataValueSets,
  completeDataSetRegistrations below the `/api/*` servlet; 2.42.5 :107-110 and 2.43.1 :103-106:
  `/api/dataValueSets`, `/api/completeDataSetRegistrations` below the root servlet). No
  `@RequestBody` bean the sandbox reads lies under those paths, so XML is refused as any other
  media type is. The node converters (`XmlMessageConverter`, `JsonMessageConverter`) only write
  (`AbstractRootNodeMessageConverter#canRead` is false).

When none reads it: the body is missing (null, then "Required request body is missing") when
the request has no Content-Type and no body; else `HttpMediaTypeNotSupportedException`, the
Content-Type read as `application/octet-stream` when there is none, which
`CrudControllerAdvice#httpMediaTypeNotSupportedExceptionHandler` answers 415 with its message
(2.41.9 :489-494, 2.42.5 :497-502, 2.43.1 :498-503): "Content type '<type>' not supported"
(Spring 5) / "Content-Type '<type>' is not supported" (Spring 6, `Release.spring6_messages`). A
header Spring cannot parse is the parse error's message (`InvalidMediaTypeException`).
"""

from __future__ import annotations

from scdi.sandbox.core import media_type, webmessage
from scdi.upstream.releases import Release

_OCTET_STREAM = "application/octet-stream"


def json_reads(parsed: media_type.MediaType) -> bool:
    """MappingJackson2HttpMessageConverter's `application/json`, `application/*+json`."""
    _base, plus, suffix = parsed.subtype.rpartition("+")
    return parsed.type == "application" and (parsed.subtype == "json"
                                       or (bool(plus) and suffix == "json"))


def not_supported(release: Release, shown: str) -> str:
    """HttpMediaTypeNotSupportedException's message for a Content-Type, as Spring prints it."""
    if release.spring6_messages:
        return f"Content-Type '{shown}' is not supported"
    return f"Content type '{shown}' not supported"


def require_readable(release: Release, content_type: str, has_body: bool) -> None:
    """Refuse (415) a `@RequestBody` bean no converter reads; return when the JSON one does, or
    when there is neither a Content-Type nor a body (the body is then missing)."""
    if not content_type:
        if not has_body:
            return
        raise webmessage.fail(webmessage.error(415, not_supported(release, _OCTET_STREAM)))
    try:
        parsed = media_type.parse(content_type)
    except media_type.InvalidMediaType as error:
        raise webmessage.fail(webmessage.error(415, str(error))) from None
    if not json_reads(parsed):
        raise webmessage.fail(webmessage.error(415, not_supported(release, str(parsed))))
