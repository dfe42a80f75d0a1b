"""The JSON body of `POST /api/dataValueSets`, read as each release reads it
(`Release.data_value_set_body`).

`DataValueSetController#postJsonDataValueSet` hands `request.getInputStream()` to the service,
so Spring never reads the body and no "JSON parse error" 400 is possible.

- 2.41.9 and 2.42.5: `DefaultDataValueSetService#importDataValueSet` runs the
  `JsonDataValueSetReader` (`ObjectMapper#readValue(in, DataValueSet.class)`, an IOException
  wrapped in an UncheckedIOException whose message is the cause's `toString()`) inside a
  `catch (Exception ex)` that answers the ImportSummary ERROR "The import process failed: " +
  `ex.getMessage()` (409 through `WebMessageUtils#importSummary`). 2.41.9 reads the header
  directly, so the message is Jackson's (class and text with location), or, for a JSON null,
  the NullPointerException of `#createDataValueSetImportContext` (`data` is the null header,
  :1048). 2.42.5 reads it in a `JobProgress#runStage`, which swallows the exception (the no-op
  progress records nothing) and returns null, so `#nonNullStagePostCondition` throws
  "Post-condition was null" for every unreadable body and for a JSON null alike. The import
  context comes next (2.41.9 :658, 2.42.5 :676-682, a stage as well): an id scheme of the set
  `IdScheme#from` cannot read fails there (`binding.import_context_refusal`).
- 2.43.1: `DataEntryPipeline#importJson` → `DataEntryInput#fromJson` reads the body with
  json-tree (`core/json_tree_text.py`); `RecordingJobProgress#transitory` records the stage's
  failure and `#nonNullStagePostCondition` rethrows the recorded RuntimeException, so it leaves
  the controller: a JsonFormatException is an IllegalArgumentException
  (`CrudControllerAdvice#illegalArgumentExceptionHandler`, 400 without errorCode), an
  ArrayIndexOutOfBoundsException the default handler's 500. A root that is no object reads as
  one without members: nothing to import. A member of the wrong type is json-tree's
  JsonTreeException (an UnsupportedOperationException, `binding.py`), the default handler's
  500 with its message (2.43.1 :641-644).
"""

from __future__ import annotations

import json
from typing import Any

from werkzeug.wrappers import Response

from scdi.sandbox.aggregate import binding
from scdi.sandbox.core import jackson_text, json_tree_text, webmessage
from scdi.sandbox.core.context import Ctx

KLASS = "org.hisp.dhis.dxf2.datavalueset.DataValueSet"
_MAPPING = "com.fasterxml.jackson.databind.exc.MismatchedInputException"
_NULL_HEADER = ('Cannot invoke "org.hisp.dhis.dxf2.datavalueset.DataValueSet.'
                'getDataElementIdSchemeProperty()" because "data" is null')
_POST_CONDITION = "Post-condition was null"


class Unreadable(Exception):
    """The body failed before any value was read: the ImportSummary description, or (2.43.1)
    the answer the exception gets from CrudControllerAdvice."""

    def __init__(self, description: str | None = None, answer: Response | None = None) -> None:
        super().__init__(description)
        self.description = description
        self.answer = answer


def read(ctx: Ctx) -> dict[str, Any]:
    """The set as the release binds it (`binding.py`)."""
    raw = ctx.request.get_data(cache=True)
    if ctx.release.data_value_set_body == "json_tree":
        return _json_tree(raw)
    failure = _jackson_failure(raw)
    if failure is None:
        try:
            bound = binding.jackson_set(raw.decode("utf-8"))
        except binding.JacksonFailure as exc:
            failure = str(exc)
        else:
            failure = binding.import_context_refusal(bound)
            if failure is None:
                return bound
    if ctx.release.data_value_set_body == "post_condition":
        raise Unreadable(f"The import process failed: {_POST_CONDITION}")
    raise Unreadable(f"The import process failed: {failure}")


def _jackson_failure(raw: bytes) -> str | None:
    """The message of what `readValue` and the import context throw, None when a set is read."""
    if jackson_text.is_blank(raw):
        return f"{_MAPPING}: {jackson_text.no_content()}"
    line, column = jackson_text.root_start(raw)
    if raw.lstrip(b" \t\r\n")[:1] == b"[":
        # BeanDeserializer refuses the START_ARRAY token before reading the array
        return f"{_MAPPING}: {jackson_text.not_a_bean(KLASS, [], line, column).message}"
    problem = jackson_text.syntax_problem(raw)
    if problem is not None:
        return f"{problem.java_class}: {problem.message}"
    value = _decoded_value(raw)
    if value is None:
        return _NULL_HEADER
    if not isinstance(value, dict):
        return f"{_MAPPING}: {jackson_text.not_a_bean(KLASS, value, line, column).message}"
    return None


def _decoded_value(raw: bytes) -> Any:
    try:
        value, _end = json.JSONDecoder().raw_decode(raw.decode("utf-8").lstrip(" \t\r\n"))
    except (ValueError, UnicodeDecodeError) as exc:
        # what the scanners do not model (escapes, encodings): Python's words
        raise Unreadable(answer=webmessage.error(400, str(exc))) from None
    return value


def _json_tree(raw: bytes) -> dict[str, Any]:
    text = raw.decode("utf-8", errors="replace")
    problem, members = json_tree_text.root_object(text)
    if problem is not None:
        status = 500 if problem.out_of_bounds else 400
        raise Unreadable(answer=webmessage.error(status, problem.message))
    _decoded_value(members.encode("utf-8"))  # what the scanner does not model: Python's words
    try:
        return binding.json_tree_set(text)
    except binding.TreeFailure as exc:
        # not an IllegalArgumentException: CrudControllerAdvice#defaultExceptionHandler
        raise Unreadable(answer=webmessage.error(500, str(exc))) from None
    except binding.SchemeRefused as exc:
        # an IllegalArgumentException: #illegalArgumentExceptionHandler, 400 without errorCode
        raise Unreadable(answer=webmessage.error(400, str(exc))) from None
