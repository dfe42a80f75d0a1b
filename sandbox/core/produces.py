"""A handler's `produces` condition and the 406 that answers a request it does not match:
`PUT /api/users/{uid}`, whose `UserController#putJsonObject` maps `produces =
APPLICATION_JSON_VALUE` (2.41.9 :593-596, 2.42.5 :618-621, 2.43.1 :573-576) and 2.41.9's
`#putXmlObject` `produces = APPLICATION_XML_VALUE` (:576-579).

- The condition is asked while the handler is looked up, after `consumes`, before any argument,
  authority or lookup: `ProducesRequestCondition#getMatchingCondition` (5.3.39 and 6.2.8
  :199-223) matches when an acceptable type is compatible with the produced one
  (`#matchMediaType`, `MimeType#isCompatibleWith`; the produced type has no parameters to
  compare) or is `*/*`; a header the manager cannot parse is no match. The acceptable types
  are `WebMvcConfig#mvcContentNegotiationManager`'s (2.41.9 :218-228, 2.42.5 :252-262, 2.43.1
  :224-234; `core/string_negotiation.py#acceptable`): none or exactly `*/*` is JSON, so an
  XML body of 2.41 reaches `#putXmlObject` only with an Accept that takes XML and is not
  exactly `*/*` (`application/*`, `text/html, */*` and `*/*;q=0.8` do).
- No match: `RequestMappingInfoHandlerMapping#handleNoMatch` (5.3.39 :277-280, 6.2.8 :285-288)
  throws `HttpMediaTypeNotAcceptableException` with the produced types of the mappings whose
  method and `consumes` match (`PartialMatchHelper#getProducibleMediaTypes`), message "Could
  not find acceptable representation" (5.3.39) / "No acceptable representation" (6.2.8),
  `spring6_messages`.
- `CrudControllerAdvice#httpMediaTypeNotAcceptableExceptionHandler` (2.41.9 :484-487, 2.42.5
  :492-495, 2.43.1 :493-496) answers a 406 WebMessage with that message, which only
  `MappingJackson2HttpMessageConverter` can write on this path (application/json,
  application/*+json; the XML converter writes only below `WebMvcConfig.XML_PATTERNS`, the
  node converters only `RootNode`s). When the Accept takes neither, writing fails, the
  resolver gives up on its handler and `DefaultHandlerExceptionResolver` sends the original
  exception to Tomcat's 406 page: 6.2.8 `#handleErrorResponse` with its detail "Acceptable
  representations: [application/json]." and an `Accept` header naming the produced types,
  5.3.39 `#handleHttpMediaTypeNotAcceptable` (:309-314) a bare `sendError(406)`.

Not modelled: the path extension strategy (a `.xml`/`.json` suffix on the uid), a `+json` type
the JSON converter would write its WebMessage in (written as application/json here), and Spring
5.3.39's own Accept parsing (2.41 is read with 6.2.8's rules, `string_negotiation.acceptable`).
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from scdi.sandbox.core import media_type, string_negotiation, unmapped, webmessage
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.string_negotiation import NotAcceptable

# the media types the Jackson JSON converter writes a WebMessage in
_WEB_MESSAGE = tuple(media_type.parse(t) for t in ("application/json", "application/*+json"))


def require(ctx: Ctx, produced: str) -> None:
    """Refuse the request as Spring and DHIS2 do unless its Accept takes `produced`."""
    wanted = media_type.parse(produced)
    try:
        accepted = string_negotiation.acceptable(ctx.request)
    except NotAcceptable:
        accepted = []
    if any(string_negotiation.compatible(wanted, given) for given in accepted):
        return
    raise webmessage.fail(_refusal(ctx, accepted, produced))


def _refusal(ctx: Ctx, accepted: list[media_type.MediaType], produced: str) -> Response:
    spring6 = ctx.release.spring6_messages
    if any(string_negotiation.compatible(given, written)
           for given in accepted for written in _WEB_MESSAGE):
        return webmessage.error(406, "No acceptable representation" if spring6
                                else "Could not find acceptable representation")
    if not spring6:
        return unmapped.not_acceptable("", ctx.release)
    page = unmapped.not_acceptable(f"Acceptable representations: [{produced}].", ctx.release)
    page.headers["Accept"] = produced
    return page
