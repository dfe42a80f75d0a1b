"""The media type a `String` answer is written in when its mapping declares no `produces` and
the answer sets no Content-Type (2.42.5 / 2.43.1, Spring 6.2.8): `GET /api/systemSettings/{key}
?locale=` of a key that is not translatable, which `#getSystemSettingTranslation` answers with
`#getSystemSettingPlain`'s ResponseEntity (2.42.5 `webapi/controller/SystemSettingsController
.java` :197, :202, :144; 2.43.1 :194, :199, :141).

- Acceptable types: `WebMvcConfig#mvcContentNegotiationManager` (2.42.5 :252-262, 2.43.1
  :224-234): the Accept header (`HeaderContentNegotiationStrategy`: each value split at commas
  outside quotes, read by `MediaType#parseMediaType`, sorted by `MimeTypeUtils
  #sortBySpecificity`, a bubble sort on `MediaType#isMoreSpecific`, quality first); none, an
  empty one or exactly `*/*` falls through to `FixedContentNegotiationStrategy(APPLICATION_
  JSON)`. A header Spring cannot parse (or of more than 50 types) is an
  HttpMediaTypeNotAcceptableException "Could not parse Accept header.".
- Producible types: the converters that can write a String on this path
  (`WebMvcConfig#configureMessageConverters`, 2.42.5 :215-241, 2.43.1 :187-213): the
  StringHttpMessageConverter (text/plain, */*) and Jackson's (application/json,
  application/*+json); the Jackson XML converter writes only `XML_PATTERNS` paths.
- `AbstractMessageConverterMethodProcessor#writeWithMessageConverters` (6.2.8 :246-368): each
  acceptable type against each producible one, the more specific of a compatible pair kept
  (`#getMostSpecificMediaType`, the accepted quality copied), sorted again, the first concrete
  one chosen (a wildcard `*/*` or `application/*`: application/octet-stream); none: an
  HttpMediaTypeNotAcceptableException listing every converter's types for String. The
  StringHttpMessageConverter (first, `*/*`) writes the text in that type, UTF-8 unless it names
  a charset; the UTF-8 `characterEncodingFilter` (`forceEncoding`) has set the response's
  encoding, so Tomcat writes `;charset=UTF-8` after a type without one, JSON too
  (`StringHttpMessageConverter#addDefaultHeaders` leaves JSON's charset to the container).
- A refusal: `CrudControllerAdvice#httpMediaTypeNotAcceptableExceptionHandler` (2.42.5 :490-495,
  2.43.1 :491-496) answers a WebMessage that the same Accept header cannot take either, so that
  handler fails and `DefaultHandlerExceptionResolver#handleErrorResponse` (6.2.8 :555-576) sends
  the 406 with the exception's detail and `Accept` header to Tomcat's status report page; the
  ResponseEntity's headers were never written.

Not modelled: the path extension strategy (no setting key the sandbox routes has one); more
than 50 compatible pairs, whose second sort's "Too many elements" is an IllegalArgumentException
(400); a charset Python has no codec for (written UTF-8).
"""

from __future__ import annotations

from werkzeug.wrappers import Request, Response

from scdi.sandbox.core import media_type, spring_params, unmapped
from scdi.sandbox.core.media_type import MediaType
from scdi.upstream.releases import Release

_JSON = media_type.parse("application/json")
_PRODUCIBLE = tuple(media_type.parse(t) for t in (
    "text/plain", "*/*", "application/json", "application/*+json"))
# getSupportedMediaTypes(String.class): the XML converter's types too (WebMvcConfig
# #mappingJackson2XmlHttpMessageConverter sets them, 2.42.5 :206-209, 2.43.1 :178-181)
_SUPPORTED = _PRODUCIBLE + tuple(media_type.parse(t) for t in (
    "application/xml;charset=UTF-8", "text/xml;charset=UTF-8"))


class NotAcceptable(Exception):
    """HttpMediaTypeNotAcceptableException: its ProblemDetail detail and `Accept` header."""

    def __init__(self, detail: str, supported: list[MediaType]) -> None:
        super().__init__(detail)
        self.detail = detail
        self.supported = supported


def _param(value: MediaType, key: str) -> str | None:
    # MimeType keeps its parameters in a LinkedCaseInsensitiveMap
    for name, text in value.parameters:
        if name.lower() == key:
            return text
    return None


def _unquoted(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'" else text


def _quality(value: MediaType) -> float:
    q = _param(value, "q")
    return 1.0 if q is None else spring_params.java_double_of(_unquoted(q))


def _wildcard_subtype(value: MediaType) -> bool:
    return value.subtype == "*" or value.subtype.startswith("*+")


def _concrete(value: MediaType) -> bool:
    return value.type != "*" and not _wildcard_subtype(value)


def _suffix(value: MediaType) -> str | None:
    plus = value.subtype.rfind("+")
    return value.subtype[plus + 1:] if plus >= 0 else None


def _more_specific(this: MediaType, other: MediaType) -> bool:
    """MediaType#isMoreSpecific: the higher quality, else MimeType#isMoreSpecific."""
    if _quality(this) != _quality(other):
        return _quality(this) > _quality(other)
    if (this.type == "*") != (other.type == "*"):
        return other.type == "*"
    if _wildcard_subtype(this) != _wildcard_subtype(other):
        return _wildcard_subtype(other)
    if (this.type, this.subtype) == (other.type, other.subtype):
        return len(this.parameters) > len(other.parameters)
    return False


def _sort(values: list[MediaType]) -> list[MediaType]:
    """MimeTypeUtils#sortBySpecificity: a bubble sort swapping a less specific neighbour."""
    out = list(values)
    for i in range(len(out)):
        for j in range(1, len(out) - i):
            if _more_specific(out[j], out[j - 1]):
                out[j - 1], out[j] = out[j], out[j - 1]
    return out


def _compatible(this: MediaType, other: MediaType) -> bool:
    """MimeType#isCompatibleWith."""
    if this.type == "*" or other.type == "*":
        return True
    if this.type != other.type:
        return False
    if this.subtype == other.subtype:
        return True
    if not (_wildcard_subtype(this) or _wildcard_subtype(other)):
        return False
    if this.subtype == "*" or other.subtype == "*":
        return True
    ours, theirs = _suffix(this), _suffix(other)
    if _wildcard_subtype(this) and ours is not None:
        return ours in (other.subtype, theirs)
    if _wildcard_subtype(other) and theirs is not None:
        return theirs in (this.subtype, ours)
    return False


def _with_quality_of(produced: MediaType, accepted: MediaType) -> MediaType:
    """MediaType#copyQualityValue."""
    q = _param(accepted, "q")
    if q is None:
        return produced
    kept = tuple((k, v) for k, v in produced.parameters if k.lower() != "q")
    return MediaType(produced.type, produced.subtype, (*kept, ("q", q)))


def _without_quality(value: MediaType) -> MediaType:
    """MediaType#removeQualityValue: a LinkedHashMap copy, so only the key `q` as written."""
    return MediaType(value.type, value.subtype,
                     tuple((k, v) for k, v in value.parameters if k != "q"))


def _tokens(header: str) -> list[str]:
    """MimeTypeUtils#tokenize: commas outside double quotes, a backslash escaping the next."""
    tokens, start, quoted, i = [], 0, False, 0
    while i < len(header):
        if header[i] == '"':
            quoted = not quoted
        elif header[i] == "," and not quoted:
            tokens.append(header[start:i])
            start = i + 1
        elif header[i] == "\\":
            i += 1
        i += 1
    tokens.append(header[start:])
    return tokens


def _acceptable(request: Request) -> list[MediaType]:
    values = request.headers.getlist("Accept")
    if not values:
        return [_JSON]
    try:
        parsed = [media_type.parse(t) for v in values for t in _tokens(v) if t.strip()]
    except media_type.InvalidMediaType:
        raise NotAcceptable("Could not parse Accept header.", []) from None
    if len(parsed) > 50:  # #sortBySpecificity's InvalidMimeTypeException "Too many elements"
        raise NotAcceptable("Could not parse Accept header.", [])
    ordered = _sort(parsed)
    if not ordered or (len(ordered) == 1 and str(ordered[0]) == "*/*"):
        return [_JSON]
    return ordered


def written_type(request: Request) -> MediaType:
    """The media type the StringHttpMessageConverter writes the answer in."""
    compatible = []
    for accepted in _acceptable(request):
        for produced in _PRODUCIBLE:
            if _compatible(accepted, produced):
                candidate = _with_quality_of(produced, accepted)
                compatible.append(candidate if _more_specific(candidate, accepted) else accepted)
    for chosen in _sort(compatible):
        if _concrete(chosen):
            return _without_quality(chosen)
        if chosen.essence in ("*/*", "application/*"):
            return media_type.parse("application/octet-stream")
    supported = _sort(list(_SUPPORTED))
    raise NotAcceptable(f"Acceptable representations: [{', '.join(map(str, supported))}].",
                        supported)


def text_answer(request: Request, release: Release, text: str,
                headers: dict[str, str]) -> Response:
    """`text` as the String converter and Tomcat write it, or the 406 page of a refusal."""
    try:
        chosen = written_type(request)
    except NotAcceptable as refusal:
        page = unmapped.not_acceptable(refusal.detail, release)
        if refusal.supported:
            page.headers["Accept"] = ", ".join(map(str, refusal.supported))
        return page
    charset = _param(chosen, "charset")
    try:
        body = text.encode(_unquoted(charset) if charset else "utf-8")
    except LookupError:
        body = text.encode("utf-8")
    # Tomcat writes the charset last, after the type's other parameters
    bare = MediaType(chosen.type, chosen.subtype,
                     tuple((k, v) for k, v in chosen.parameters if k.lower() != "charset"))
    content_type = f"{bare};charset={charset or 'UTF-8'}"
    return Response(body, status=200, content_type=content_type, headers=headers)


def acceptable(request: Request) -> list[MediaType]:
    """The request's acceptable media types as `mvcContentNegotiationManager` resolves them
    (JSON for none or `*/*`); NotAcceptable for a header Spring cannot parse."""
    return _acceptable(request)


def compatible(this: MediaType, other: MediaType) -> bool:
    """MimeType#isCompatibleWith."""
    return _compatible(this, other)
