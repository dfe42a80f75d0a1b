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
  one without members: nothing to import. json-tree's skip functions let a `\\u` escape with
  any four characters and leading zeros through; a string the reader decodes
  (`LazyJsonString#parseString`) refuses such an escape with Integer#parseInt's
  NumberFormatException, an IllegalArgumentException (400). A member of the wrong type is json-tree's
  JsonTreeException (an UnsupportedOperationException, `binding.py`), the default handler's
  500 with its message (2.43.1 :641-644).
"""

from __future__ import annotations

import json
from dataclasses import replace
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
_WRAPPED = "com.fasterxml.jackson.databind.JsonMappingException"
_OPTIONS = "attributeCategoryOptions"  # DataValueSet's List<String> (2.41.9 :85, 2.42.5 :87)


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
        return _json_tree(ctx, raw)
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
        chain = _reference_chain(problem)
        if chain:
            return f"{_WRAPPED}: {replace(problem, path=chain).message}"
        return f"{problem.java_class}: {problem.message}"
    value = _decoded_value(raw)
    if value is None:
        return _NULL_HEADER
    if not isinstance(value, dict):
        return f"{_MAPPING}: {jackson_text.not_a_bean(KLASS, value, line, column).message}"
    return None


def _reference_chain(problem: jackson_text.Problem) -> tuple[str, ...]:
    """The path `JsonMappingException#wrapWithPath` gives a syntax error met inside a
    deserializer of the set: `BeanDeserializer#vanillaDeserialize` wraps what a property's
    deserializer throws (`#wrapAndThrow`), not what its own `nextToken()` / `nextFieldName()`
    meet (the set's members, names and scalar tokens, unknown members' `skipChildren`), so a
    String or Boolean member's error is wrapped only inside the string's characters, which the
    parser reads when the deserializer asks for the text. `dataValues`: the
    CollectionDeserializer's own `nextToken()` is outside its try (the set's path alone), what
    an element's deserializer meets is wrapped with the element's index (`result.size()`) and,
    inside a value's String or Boolean member's characters, that member; `attributeCategoryOptions`
    (StringCollectionDeserializer) wraps its whole loop with the index. Read by position: the
    token stream a String member handed an object or an array leaves (`binding.py`) is not
    followed here. Checked against jackson-databind 2.21.0 / jackson-core 2.21.2."""
    frames, lazy = problem.frames, problem.lazy
    if not frames or frames[0][0] != "{" or not isinstance(frames[0][1], str):
        return ()
    member = frames[0][1]
    head = f'{KLASS}["{member}"]'
    if len(frames) == 1:
        bound = (*binding.SET_STRINGS, *binding.SET_BOOLEANS, "dataValues", _OPTIONS)
        return (head,) if lazy and member in bound else ()
    if frames[1][0] != "[" or member not in ("dataValues", _OPTIONS):
        return ()
    element = f"java.util.ArrayList[{frames[1][1]}]"
    if member == _OPTIONS:
        return head, element
    if len(frames) == 2 and not lazy:
        return (head,)
    inner = frames[2][1] if len(frames) == 3 and frames[2][0] == "{" else None
    if lazy and inner in (*binding.VALUE_STRINGS, *binding.VALUE_BOOLEANS):
        return head, element, f'{binding.VALUE_CLASS}["{inner}"]'
    return head, element


def _decoded_value(raw: bytes) -> Any:
    try:
        value, _end = json.JSONDecoder().raw_decode(raw.decode("utf-8").lstrip(" \t\r\n"))
    except (ValueError, UnicodeDecodeError) as exc:
        # what the scanner does not model (a body that is no UTF-8): Python's words
        raise Unreadable(answer=webmessage.error(400, str(exc))) from None
    return value


def _json_tree(ctx: Ctx, raw: bytes) -> dict[str, Any]:
    text = raw.decode("utf-8", errors="replace")
    problem, _members = json_tree_text.root_object(text)
    if problem is not None:
        status = 500 if problem.out_of_bounds else 400
        raise Unreadable(answer=webmessage.error(status, problem.message))
    try:
        return binding.json_tree_set(text, ctx.release.jdk_range_bounds_message)
    except binding.TreeFailure as exc:
        # not an IllegalArgumentException: CrudControllerAdvice#defaultExceptionHandler
        raise Unreadable(answer=webmessage.error(500, str(exc))) from None
    except (binding.SchemeRefused, binding.TreeRefused) as exc:
        # an IllegalArgumentException: #illegalArgumentExceptionHandler, 400 without errorCode
        raise Unreadable(answer=webmessage.error(400, str(exc))) from None
