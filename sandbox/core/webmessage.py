"""DHIS2 WebMessage bodies and the responses that carry them.

Key order follows `@JsonPropertyOrder` of dhis2-core
`dhis-services/dhis-service-dxf2/.../dxf2/webmessage/WebMessage.java` (httpStatus, httpStatusCode,
status, code, message, devMessage, response); `errorCode` is not in that list, so Jackson writes
it last. Null fields are left out (NON_NULL mapper), empty lists are kept.
The exception → status/code mapping is `webapi/controller/CrudControllerAdvice.java`.

Every WebMessage a controller method or a CrudControllerAdvice `@ExceptionHandler` returns as
its `@ResponseBody` passes `webapi/controller/WebMessageControllerAdvice#beforeBodyWrite`
(Spring's `RequestResponseBodyAdviceChain`, which `ExceptionHandlerExceptionResolver` uses too:
Spring 5.3.39 at 2.41.9, 6.2.8 at 2.42.5 / 2.43.1): it sets the status the message names and,
for a 4xx or 5xx, adds `Cache-Control: no-cache, private` (`CacheControl.noCache()
.cachePrivate()`) with `addIfAbsent`, so a Cache-Control the controller set first stays
(:84-89 at the three tags). `supports` asks whether the method's declared return type is a
WebMessage at each tag (2.41.9 :59-62 in a `ResponseBodyAdvice<WebMessageResponse>` :55,
2.42.5 / 2.43.1 :61-65 in a `ResponseBodyAdvice<WebMessage>` :57). `advise` is that step.
Not advised (`written`): a `ResponseEntity<WebMessage>` (its declared type is ResponseEntity:
`CrudControllerAdvice#webMessageExceptionHandler`, what a thrown WebMessageException gets) and
what is written to the servlet response directly (Spring Security's entry points, the container's
404 page). The 2.41.9 plain response (`isPlainResponse`, :79) returns before this step and is no
WebMessage here (`core/plain_response.py`).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, TypeVar

from werkzeug.wrappers import Response

from scdi.sandbox.core import jackson_json
from scdi.sandbox.core.fields import JsonNull
from scdi.upstream.releases import Release

JSON_TYPE = "application/json;charset=UTF-8"
_R = TypeVar("_R", bound=Response)


def place_response_type(release: Release, response: dict[str, Any]) -> dict[str, Any]:
    """A WebMessageResponse's JSON with its `responseType` where Jackson writes it
    (`Release.web_message_response_type_last`: 2.41's AbstractWebMessageResponse field first,
    as the sandbox builds it, 2.42+'s interface default getter after the class's own
    properties); the ImportSummary items of an ImportSummaries likewise."""
    if not release.web_message_response_type_last or "responseType" not in response:
        return response
    out = {k: v for k, v in response.items() if k != "responseType"}
    if isinstance(out.get("importSummaries"), list):
        out["importSummaries"] = [place_response_type(release, item) if isinstance(item, dict)
                                  else item for item in out["importSummaries"]]
    out["responseType"] = response["responseType"]
    return out


def reason(status: int) -> str:
    """Spring's HttpStatus reason phrase ("Conflict", "Bad Request", ...)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def body(
    http_status: int,
    status: str,
    message: str | None = None,
    *,
    error_code: str | None = None,
    dev_message: str | None = None,
    response: dict[str, Any] | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "httpStatus": reason(http_status),
        "httpStatusCode": http_status,
        "status": status,
    }
    if message is not None:
        out["message"] = message
    if dev_message is not None:
        out["devMessage"] = dev_message
    if response is not None:
        out["response"] = response
    if error_code is not None:
        out["errorCode"] = error_code
    return out


class MessageResponse(Response):
    """A response whose body is a WebMessage; `advised` False when DHIS2 writes it without
    WebMessageControllerAdvice (see the module docstring)."""

    advised = True


def message_response(
    data: dict[str, Any], status: int, headers: dict[str, str] | None = None
) -> MessageResponse:
    return _encoded(MessageResponse, data, status, headers)


CACHE_PRIVATE = "no-cache, private"  # CacheControl.noCache().cachePrivate().getHeaderValue()


def advise(response: Response) -> Response:
    """WebMessageControllerAdvice#beforeBodyWrite's Cache-Control for a 4xx/5xx WebMessage,
    `addIfAbsent`: after the headers the controller set (core/app.py)."""
    if (isinstance(response, MessageResponse) and response.advised
            and 400 <= response.status_code < 600 and "Cache-Control" not in response.headers):
        response.headers["Cache-Control"] = CACHE_PRIVATE
    return response


def written(response: Response) -> Response:
    """A WebMessage DHIS2 answers as a `ResponseEntity` or writes itself: no advice."""
    if isinstance(response, MessageResponse):
        response.advised = False
    return response


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return _encoded(Response, data, status, headers)


def no_content() -> Response:
    """A void `@ResponseStatus(NO_CONTENT)` handler: no message converter runs, so 204 with no
    body and no Content-Type (Werkzeug would add `text/plain; charset=utf-8`)."""
    response = Response(status=204)
    del response.headers["Content-Type"]
    return response


def _json_null(value: Any) -> None:
    """`fields.JSON_NULL` (a transformer's null past the NON_NULL mapper) is written as null."""
    if isinstance(value, JsonNull):
        return None
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _encoded(kind: type[_R], data: Any, status: int, headers: dict[str, str] | None) -> _R:
    # compact, with Jackson's string escapes and a Java double as Double#toString
    # (`2.147483647E9`, as in E4002's errorProperties): `core/jackson_json.py`
    return kind(jackson_json.dumps(data, default=_json_null), status=status,
                content_type=JSON_TYPE, headers=headers)


def error(
    http_status: int,
    message: str | None,
    error_code: str | None = None,
    dev_message: str | None = None,
    response: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    return message_response(
        body(http_status, "ERROR", message, error_code=error_code,
             dev_message=dev_message, response=response),
        http_status,
        headers,
    )


def ok(
    message: str | None = None,
    http_status: int = 200,
    response: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    return message_response(body(http_status, "OK", message, response=response), http_status,
                            headers)


def warning(
    message: str | None,
    http_status: int,
    response: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    return message_response(body(http_status, "WARNING", message, response=response),
                            http_status, headers)


# CrudControllerAdvice: exception class → HTTP status and default ErrorCode.
def bad_request(message: str, error_code: str = "E1003") -> Response:
    return error(400, message, error_code)


def forbidden(message: str, error_code: str = "E1006") -> Response:
    return error(403, message, error_code)


def not_found(message: str, error_code: str = "E1005") -> Response:
    return error(404, message, error_code)


def not_found_object(type_name: str, uid: str) -> Response:
    """NotFoundException(Class, uid): "`<Type>` with id `<uid>` could not be found."."""
    return not_found(f"{type_name} with id {uid} could not be found.")


def conflict(message: str, error_code: str = "E1004") -> Response:
    return error(409, message, error_code)


# WebMessageUtils.conflict(String) / notFound(String): a WebMessage a controller builds itself
# (or an advice handler for an exception without a code, e.g. #queryExceptionHandler) carries
# no errorCode; only the feedback exceptions above bring their default one.
def conflict_message(message: str) -> Response:
    return error(409, message)


def not_found_message(message: str) -> Response:
    return error(404, message)


# WebMessageUtils.badRequest(String): what CrudControllerAdvice answers for Spring's binding
# errors (#methodArgumentTypeMismatchException, #handleBindException), unreadable bodies
# (#handleHttpMessageNotReadableExceptionHandler) and IllegalArgumentException: no errorCode.
# Spring's own missing-parameter refusals are ServletExceptions #servletExceptionHandler
# rethrows, so no WebMessage: the container's page (`core/spring_params.py#missing_parameter`).
def bad_request_message(message: str) -> Response:
    return error(400, message)


class HttpError(Exception):
    """Raised by handlers to answer with a WebMessage; app.py turns it into the response."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


def fail(response: Response) -> HttpError:
    return HttpError(response)


def thrown(response: Response) -> HttpError:
    """`throw new WebMessageException(message)`: CrudControllerAdvice#webMessageExceptionHandler
    answers it as a `ResponseEntity<WebMessage>` (2.41.9 :448-455, 2.42.5 :456-463, 2.43.1
    :457-464), which WebMessageControllerAdvice#supports refuses: no Cache-Control of its own."""
    return HttpError(written(response))


class UnreadablePayload(ValueError):
    """Jackson could not bind the payload (e.g. an unknown enum constant): an
    InvalidFormatException, a JsonMappingException (`Release.json_mapping_error_conflict`).
    `json_mapping` False: a deserializer's own IOException, which Jackson rethrows unwrapped
    (`BeanDeserializerBase#throwOrReturnThrowable`), the default handler's 500 at every tag."""

    json_mapping = True


class UncaughtError(RuntimeError):
    """A java.lang.Error DHIS2 raises while it answers (a NoSuchMethodError, say; the message
    is its `toString`): the DispatcherServlet wraps it in a ServletException ("Handler dispatch
    failed"), which CrudControllerAdvice#servletExceptionHandler rethrows, so the container
    writes its 500 exception report (`core/unmapped.py#exception_report`)."""


class UncaughtException(RuntimeError):
    """An exception DHIS2 itself does not handle (a NullPointerException in its import, say):
    CrudControllerAdvice#defaultExceptionHandler answers HTTP 500 with its message."""

    @property
    def message(self) -> str | None:
        """The exception's message; None for one thrown without (`Objects#requireNonNull`),
        which the WebMessage leaves out."""
        return self.args[0] if self.args else None
