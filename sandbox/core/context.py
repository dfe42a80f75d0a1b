"""What every request handler receives."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from werkzeug.wrappers import Request

from scdi.sandbox.core import jackson, objects, webmessage
from scdi.sandbox.core.jobs import JobTable
from scdi.sandbox.core.store import Store
from scdi.sandbox.core.users import User
from scdi.upstream.releases import Release

NO_STORE = "no-cache, no-store, max-age=0, must-revalidate"


@dataclass
class Ctx:
    store: Store
    user: User
    release: Release
    request: Request
    base_url: str
    jobs: JobTable
    # Set by a handler that wants "apply then drop" faults to know the write was committed.
    extras: dict[str, Any] = field(default_factory=dict)
    # What a controller sets on the HttpServletResponse before answering (ContextUtils): kept on
    # the answer, an error answer included (core/app.py).
    response_headers: dict[str, str] = field(default_factory=dict)

    def set_no_store(self) -> None:
        """ContextUtils#setNoStore: HEADER_VALUE_NO_STORE (2.41.9 :108-109, 2.42.5 :112-113,
        2.43.1 :113-114)."""
        self.response_headers["Cache-Control"] = NO_STORE

    def cache_private(self) -> None:
        """AbstractFullReadOnlyController#cachePrivate: `CacheControl.noCache().cachePrivate()`."""
        self.response_headers["Cache-Control"] = "no-cache, private"

    def check_path_uids(self, *, typed: bool | None = None, **ids: str) -> None:
        """Path ids a controller binds as `@PathVariable UID`: Spring binds each in declaration
        order, so the first id `UID#of` refuses is reported, 400 without errorCode
        (`CrudControllerAdvice#methodArgumentTypeMismatchException`). `typed` says whether the
        controller at hand binds `UID`s at this release; left out, it is `AbstractCrudController`'s
        `Release.crud_path_uids_typed` (2.43.1)."""
        if not (self.release.crud_path_uids_typed if typed is None else typed):
            return
        for name, value in ids.items():
            if not objects.is_uid(value):
                raise webmessage.fail(webmessage.error(
                    400, f"Value '{value}' is not valid for path parameter {name}. UID must be an "
                         f"alphanumeric string of 11 characters starting with a letter, but was: {value}"))

    def json_body(self, numbers_as_written: bool = False) -> Any:
        """Parsed JSON body; unreadable JSON answers 400 like Jackson's HttpMessageNotReadable,
        which CrudControllerAdvice#handleHttpMessageNotReadableExceptionHandler answers with
        `badRequest(String)`: no errorCode (2.41.9, 2.42.5, 2.43.1).

        `numbers_as_written` keeps each number's own text (`WrittenFloat.text`) for bodies whose
        String fields Jackson fills from a number token's `getText()`: "1.50", "1e5", "-0"."""
        raw = self.request.get_data(cache=True)
        if not raw:
            raise webmessage.fail(webmessage.error(400, "Required request body is missing"))
        try:
            if numbers_as_written:
                return json.loads(raw, parse_float=WrittenFloat.of, parse_int=_written_int)
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise webmessage.fail(webmessage.error(400, f"JSON parse error: {exc}")) from None


    def bean_body(self, java_type: str) -> dict[str, Any]:
        """A body a controller reads itself with `ObjectMapper#readValue(…, <java_type>)`
        (AbstractCrudController#deserializeJsonEntity, SchemaController#validateSchema): an
        array fails in Jackson, an IOException only CrudControllerAdvice#defaultExceptionHandler
        takes: 500 with Jackson's message, no errorCode (2.41.9, 2.42.5, 2.43.1). Other roots
        that are not objects (`null`, a scalar Jackson may hand to a one-argument constructor)
        are not modelled: 400, no errorCode."""
        body = self.json_body()
        if isinstance(body, dict):
            return body
        if isinstance(body, list):
            raise webmessage.UnreadablePayload(
                jackson.array_message(java_type, self.request.get_data(cache=True)))
        raise webmessage.fail(webmessage.bad_request_message("Expected a JSON object"))

    def request_body(self, java_type: str) -> dict[str, Any]:
        """An `@RequestBody <java_type>` parameter: Spring's converter turns Jackson's refusal of
        an array into HttpMessageNotReadableException "JSON parse error: " + the original message,
        which CrudControllerAdvice#handleHttpMessageNotReadableExceptionHandler answers with
        `badRequest(String)`: 400, no errorCode. Other roots that are not objects are not
        modelled (400, no errorCode)."""
        body = self.json_body()
        if isinstance(body, dict):
            return body
        if isinstance(body, list):
            raise webmessage.fail(webmessage.bad_request_message(
                "JSON parse error: " + jackson.array_problem(java_type)))
        raise webmessage.fail(webmessage.bad_request_message("Expected a JSON object"))


class WrittenFloat(float):
    """A JSON number that keeps the text it was written with."""

    text: str

    @classmethod
    def of(cls, text: str) -> WrittenFloat:
        number = cls(text)
        number.text = text
        return number


class WrittenInt(int):
    text: str


def _written_int(text: str) -> int:
    number = int(text)
    if str(number) == text:
        return number  # the common case keeps a plain int
    written = WrittenInt(number)
    written.text = text  # "-0"
    return written
