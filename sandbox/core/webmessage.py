"""DHIS2 WebMessage bodies and the responses that carry them.

Key order follows `@JsonPropertyOrder` of dhis2-core
`dhis-services/dhis-service-dxf2/.../dxf2/webmessage/WebMessage.java` (httpStatus, httpStatusCode,
status, code, message, devMessage, response); `errorCode` is not in that list, so Jackson writes
it last. Null fields are left out (NON_NULL mapper), empty lists are kept.
The exception → status/code mapping is `webapi/controller/CrudControllerAdvice.java`.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from werkzeug.wrappers import Response

JSON_TYPE = "application/json;charset=UTF-8"


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


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        json.dumps(data, ensure_ascii=False),
        status=status,
        content_type=JSON_TYPE,
        headers=headers,
    )


def error(
    http_status: int,
    message: str | None,
    error_code: str | None = None,
    dev_message: str | None = None,
    response: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    return json_response(
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
    return json_response(body(http_status, "OK", message, response=response), http_status, headers)


def warning(
    message: str | None,
    http_status: int,
    response: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    return json_response(body(http_status, "WARNING", message, response=response),
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
# Spring's own "Required request parameter … is not present" / "Required part …" refusals
# (ServletExceptions, rethrown by #servletExceptionHandler) carry none either.
def bad_request_message(message: str) -> Response:
    return error(400, message)


class HttpError(Exception):
    """Raised by handlers to answer with a WebMessage; app.py turns it into the response."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


def fail(response: Response) -> HttpError:
    return HttpError(response)


class UnreadablePayload(ValueError):
    """Jackson could not bind the payload (e.g. an unknown enum constant): an
    InvalidFormatException, a JsonMappingException (`Release.json_mapping_error_conflict`).
    `json_mapping` False: a deserializer's own IOException, which Jackson rethrows unwrapped
    (`BeanDeserializerBase#throwOrReturnThrowable`), the default handler's 500 at every tag."""

    json_mapping = True


class UncaughtException(RuntimeError):
    """An exception DHIS2 itself does not handle (a NullPointerException in its import, say):
    CrudControllerAdvice#defaultExceptionHandler answers HTTP 500 with its message."""
