"""The handlers that read an XML body themselves, which only 2.41 maps
(`Release.crud_consumes_xml`): the sandbox reads no XML, and says so.

dhis2-core 2.41.9 `webapi/controller/AbstractCrudController.java` maps an XML twin beside each
JSON handler that reads the stream: `#postXmlObject` and `#putXmlObject` (`consumes`
application/xml, text/xml, :325/:473), `#addCollectionItemsXml`, `#replaceCollectionItemsXml`,
`#deleteCollectionItemsXml` (application/xml only, :651/:698/:767); `user/UserController.java`
overrides the first two (:293-299, :576-590). Each hands `request.getInputStream()` to
`DefaultRenderService#fromXml` (the XML mapper) where its JSON twin calls `#fromJson`, at the
same point of the handler (after the lookup and the update check for `#putXmlObject` and the
lists, first for a POST and for the user's PUT). 2.42.5 and 2.43.1 dropped them: an XML body
there is the `consumes` 415 (`Ctx.require_media_type`).

Binding DXF2 XML to the metadata objects is not modelled: at that point the sandbox answers 415
"XML bodies are not read by the sandbox; send JSON" rather than read XML as JSON. The XML twin
`security/ApiTokenController.java#postXmlObject` (2.41.9 :135-141) reads nothing and throws
`HttpRequestMethodNotSupportedException("Method type is not supported")` (:78), whose Spring 5
message is "Request method '<method>' not supported" with that text as the method:
`CrudControllerAdvice#httpRequestMethodNotSupportedExceptionHandler` answers 405 (:475-480,
`api_token_xml_refusal`).
"""

from __future__ import annotations

from werkzeug.wrappers import Request, Response

from scdi.sandbox.core import media_type, webmessage

NOT_READ = "XML bodies are not read by the sandbox; send JSON"


def sent(request: Request, *types: str) -> bool:
    """Whether the request's Content-Type is one of `types` (as Spring reads it)."""
    try:
        return media_type.parse(request.headers.get("Content-Type", "")).essence in types
    except media_type.InvalidMediaType:
        return False


def refuse() -> webmessage.HttpError:
    """Where the XML twin would read the body."""
    return webmessage.fail(webmessage.error(415, NOT_READ))


def api_token_xml_refusal() -> Response:
    return webmessage.error(405, "Request method 'Method type is not supported' not supported")
