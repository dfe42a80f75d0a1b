"""What every request handler receives."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from werkzeug.wrappers import Request, Response

from scdi.sandbox.core import body_converters, jackson_text, media_type, objects, webmessage
from scdi.sandbox.core.jobs import JobTable
from scdi.sandbox.core.store import Store
from scdi.sandbox.core.users import User
from scdi.upstream.releases import Release

NO_STORE = "no-cache, no-store, max-age=0, must-revalidate"
# HttpServletRequestPaths.API_VERSION (2.41.9 :35, 2.42.5 and 2.43.1 :37)
_API_VERSION = re.compile(r"/api/(\d+)?/", re.ASCII)  # Java's `\d`: ASCII digits


class Reader(Enum):
    """How the controller at hand reads its JSON body (see `Ctx.json_body`)."""

    REQUEST_BODY = "@RequestBody"
    STREAM = "ObjectMapper#readValue(request.getInputStream())"
    TREE = "ObjectMapper#readTree(request.getInputStream())"


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

    @property
    def api_path(self) -> str:
        """ContextService#getApiPath (`HttpServletRequestPaths#getApiPath`): the API root with
        the version of the request's path, the first `/api/<digits>/` of the URI (2.41.9
        :41-50, the servlet path `/api` and the version; 2.42.5 and 2.43.1 :43-52, `/api`
        added to the root servlet's path): `/api/41/metadata` → `<root>/api/41`."""
        found = _API_VERSION.search(self.request.path)
        version = f"/{found.group(1)}" if found and found.group(1) else ""
        return f"{self.base_url}/api{version}"

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

    def json_body(self, reader: Reader = Reader.REQUEST_BODY, *, klass: str | None = None,
                  numbers_as_written: bool = False, handler: str | None = None) -> Any:
        """The parsed JSON body, refused the way the controller's reader refuses it.

        `Reader.REQUEST_BODY` (a `@RequestBody` argument): a Content-Type no converter reads is
        Spring's 415 (`core/body_converters.py`); Spring's converter turns an empty body
        into "Required request body is missing" and Jackson's JsonProcessingException into
        HttpMessageNotReadableException("JSON parse error: " + getOriginalMessage()), which
        CrudControllerAdvice#handleHttpMessageNotReadableExceptionHandler answers 400 without
        errorCode; Spring 5 (2.41) appends "; nested exception is <class>: <message>"
        (`Release.spring6_messages`); a JSON null is no body, and a bean `klass` given, a root
        value that is no object is Jackson's MismatchedInputException. `Reader.STREAM` (the controller hands
        `request.getInputStream()` to `ObjectMapper#readValue` itself, as bean `klass` when given):
        a JsonParseException is CrudControllerAdvice#jsonParseExceptionHandler's 409, an empty
        body or a root value that is no object a JsonMappingException
        (`Release.json_mapping_error_conflict`). `Reader.TREE` (`ObjectMapper#readTree`): an empty
        body is a MissingNode (None here), a syntax error the same 409.

        `handler`, for a `@RequestBody`, is the handler's `Method#toGenericString`, which
        RequestResponseBodyMethodProcessor#readWithMessageConverters appends to "Required request
        body is missing: " (none given: the message without it).

        `numbers_as_written` keeps each number's own text (`WrittenFloat.text`) for bodies whose
        String fields Jackson fills from a number token's `getText()`: "1.50", "1e5", "-0"."""
        raw = self.request.get_data(cache=True)
        if reader is Reader.REQUEST_BODY:
            # the converters are asked before the body is read (`core/body_converters.py`)
            body_converters.require_readable(
                self.release, self.request.headers.get("Content-Type", ""), bool(raw))
        if jackson_text.is_blank(raw):
            if reader is Reader.REQUEST_BODY:
                # EmptyBodyCheckingHttpInputMessage looks at the first byte only: white space
                # reaches Jackson, whose MismatchedInputException is a "JSON parse error"
                if not raw:
                    raise webmessage.fail(not_readable(body_missing(handler)))
                raise webmessage.fail(self._unreadable(reader, jackson_text.Problem(
                    "No content to map due to end-of-input", 1, 0, kind="mapping")))
            if reader is Reader.TREE:
                return None
            raise webmessage.fail(self._mapping_error(jackson_text.no_content()))
        problem = jackson_text.syntax_problem(raw)
        if problem is not None:
            raise webmessage.fail(self._unreadable(reader, problem))
        try:
            text = raw.decode("utf-8").lstrip(" \t\r\n")
            if numbers_as_written:
                decoder = json.JSONDecoder(parse_float=WrittenFloat.of, parse_int=written_int)
            else:
                decoder = json.JSONDecoder()
            value, _end = decoder.raw_decode(text)  # trailing content is never read
        except (ValueError, UnicodeDecodeError) as exc:
            # what the scanner does not model (escapes, encodings): Python's words
            if reader is Reader.REQUEST_BODY:
                raise webmessage.fail(not_readable(f"JSON parse error: {exc}")) from None
            raise webmessage.fail(webmessage.error(409, str(exc))) from None
        if value is None and reader is Reader.REQUEST_BODY:
            # Jackson reads a JSON null as no body at all
            raise webmessage.fail(not_readable(body_missing(handler)))
        if klass and value is not None and not isinstance(value, dict):
            problem = jackson_text.not_a_bean(klass, value, *jackson_text.root_start(raw))
            raise webmessage.fail(self.refused_root(reader, problem))
        return value

    def refused_root(self, reader: Reader, problem: jackson_text.Problem) -> Response:
        """A root value Jackson cannot bind (a MismatchedInputException), as the reader meets
        it: Spring's 400 for a `@RequestBody`, else the JsonMappingException's answer."""
        if reader is Reader.REQUEST_BODY:
            return self._unreadable(reader, problem)
        return self._mapping_error(problem.message)

    def unreadable_body(self, problem: jackson_text.Problem) -> Response:
        """A `@RequestBody` Jackson parsed but could not bind (a JsonMappingException met
        inside the body, its reference chain in `problem.path`): Spring's 400."""
        return self._unreadable(Reader.REQUEST_BODY, problem)

    def _unreadable(self, reader: Reader, problem: jackson_text.Problem) -> Response:
        if reader is not Reader.REQUEST_BODY:
            return webmessage.error(409, problem.message)
        message = f"JSON parse error: {problem.original}"
        if not self.release.spring6_messages:
            message += f"; nested exception is {problem.java_class}: {problem.message}"
        return not_readable(message)

    def _mapping_error(self, message: str) -> Response:
        """A JsonMappingException out of the controller: 2.43.1 lists it with JsonParseException
        (409); before, CrudControllerAdvice#defaultExceptionHandler answers 500 with its message."""
        return webmessage.error(409 if self.release.json_mapping_error_conflict else 500, message)

    def require_media_type(self, *accepted: str) -> None:
        """Spring's `consumes` condition, checked while the handler is looked up, before any
        argument or lookup: RequestMappingInfoHandlerMapping#handleNoMatch throws
        HttpMediaTypeNotSupportedException, CrudControllerAdvice answers 415 with its message.
        The header is read as Spring's MediaType (core/media_type.py): the message quotes it as
        Spring writes it back, or is the parse error's when Spring cannot read it."""
        given = self.request.headers.get("Content-Type", "")
        if not given:
            message = "Content-Type is not supported" if self.release.spring6_messages else \
                "Content type '' not supported"
            raise webmessage.fail(webmessage.error(415, message))
        try:
            parsed = media_type.parse(given)
        except media_type.InvalidMediaType as error:
            raise webmessage.fail(webmessage.error(415, str(error))) from None
        if parsed.essence in accepted:
            return
        if self.release.spring6_messages:
            message = f"Content-Type '{parsed}' is not supported"
        else:
            message = f"Content type '{parsed}' not supported"
        raise webmessage.fail(webmessage.error(415, message))


def body_missing(handler: str | None) -> str:
    """RequestResponseBodyMethodProcessor#readWithMessageConverters (5.3.39, 6.2.8): a required
    body that is absent (or read as null) is "Required request body is missing: " + the
    handler's `Method#toGenericString`."""
    return "Required request body is missing" + (f": {handler}" if handler else "")


def not_readable(message: str) -> Response:
    """CrudControllerAdvice#handleHttpMessageNotReadableExceptionHandler (2.41.9 :611-626,
    2.42.5 :655-670, 2.43.1 :656-671): 400 with the message, cut before its first `;` when it
    holds "UID" (meant for UID conversion errors, it also cuts 2.41's "; nested exception is …"
    off a message that quotes a token such as `UID`)."""
    if "UID" in message and ";" in message:
        message = message[:message.index(";")]
    return webmessage.error(400, message)


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


def written_int(text: str) -> int:
    number = int(text)
    if str(number) == text:
        return number  # the common case keeps a plain int
    written = WrittenInt(number)
    written.text = text  # "-0"
    return written
