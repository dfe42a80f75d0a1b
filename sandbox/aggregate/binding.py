"""The data value set a `POST /api/dataValueSets` JSON body binds to, per release
(`Release.data_value_set_body`): String fields as text or None, Boolean fields as bool or None,
`dataValues` a list of such values, under the 2.41/2.42 names (`followup`).

- 2.41.9 and 2.42.5 (`jackson`): `JsonDataValueSetReader#readHeader` binds the body to
  `dxf2/datavalueset/DataValueSet.java` (String `idScheme`, `dataElementIdScheme`,
  `orgUnitIdScheme`, `categoryOptionComboIdScheme`, `dataSetIdScheme`, `strategy`, `dataSet`,
  `completeDate`, `period`, `orgUnit`, `attributeOptionCombo`; Boolean `dryRun`: 2.41.9 :55-81,
  2.42.5 :57-83) and each value to `dxf2/datavalue/DataValue.java` (String `dataElement`,
  `period`, `orgUnit`, `categoryOptionCombo`, `attributeOptionCombo`, `value`, `storedBy`,
  `created`, `lastUpdated`, `comment`; `boolean followup`, `Boolean deleted`). Every String goes
  through `EmptyStringToNullStdDeserializer` (`core/jackson_strings.py`: a number as written, a
  boolean its text, "" / an object / an array null); a repeated member is set again (the last
  wins); unknown members are skipped (`FAIL_ON_UNKNOWN_PROPERTIES` off). The read follows
  Jackson's token stream (`core/jackson_tokens.py`), because that deserializer skips nothing: at an object's
  or array's first token it answers null and leaves the parser there, and the bean's loop
  (`BeanDeserializer#vanillaDeserialize`: `nextFieldName()` until it answers null) goes on
  from inside it: a member's name in the object is read as the enclosing bean's member, any
  other token (`]`, `}`, a scalar or `{` / `[` in the array) ends the bean there. What
  encloses it reads on from that token: `CollectionDeserializer#_deserializeFromArray`
  (`nextToken()` until END_ARRAY, any array's) reads a member's name or a `}` as another
  value (`BeanDeserializer#_deserializeOther`, FIELD_NAME / END_OBJECT), and `readValue`
  leaves whatever follows the set's end unread (FAIL_ON_TRAILING_TOKENS off). So
  `{"dataSet": [], …}` reads no more of the set (no values), and `{"comment": [], "value":
  "a"}` in `dataValues` two values, the second only `value`. Jackson 2.21.2 (2.41.9) / 2.21.3
  (2.42.5), `dhis-2/pom.xml`; read at jackson-databind's 2.19 branch and jackson-core's 2.x
  (these loops are unchanged since 2.12). Not modelled: a syntax error after the point the
  read stops (the whole body is checked first, `body.py`). The Booleans are
  Jackson 2.21's `StdDeserializer#_parseBoolean` (`Boolean`: null, "", blank and "null" are
  null) and `#_parseBooleanPrimitive` (`boolean`: those are false); a value neither reads is the
  mapping exception that fails the whole read, in document order (`JacksonFailure`).
- 2.43.1 (`json_tree`): `datavalue/DataEntryInput.java#fromJson` (:230-310) asks json-tree 1.8.1
  for each member in its own order: the header's `dataSet`, `completeDate`, `orgUnit`, `period`
  (`getString(…).string()`), `attributeOptionCombo` (only when it is a string: `isString()`),
  `dryRun` (`getBoolean(…).bool()`), the id schemes present (each read by `IdScheme#from`:
  an unknown one is `IdentifiableProperty#valueOf`'s IllegalArgumentException), then each value (`JsonMixed.of(node)`,
  so its paths start again at `$`): `dataElement`, `orgUnit`, `categoryOptionCombo` (only when a
  string), `attributeOptionCombo`, `period`, `value`, `comment`, `followUp`, `deleted`.
  `JsonVirtualTree#value` (:155-172) answers null for a missing member or a JSON null and throws
  `JsonTreeException` "Path `$.value` does not contain an STRING but a(n) NUMBER: 5" (the node as
  written, `JsonNode#toString` = `#getDeclaration`) for another type (`TreeFailure`);
  `dataValues` that is no array is `JsonNode#elements(boolean)`' (:543) "NUMBER node has no
  elements property.". "" stays "". The first member of a name is the one found (`LazyJsonObject#member`). Not
  modelled: `storedBy` (not read at 2.43.1), an object `categoryOptionCombo` /
  `attributeOptionCombo` (a map of category ids: read as none here), the `deletion` scope.
"""

from __future__ import annotations

import json
from typing import Any

from scdi.sandbox.core import jackson_booleans, jackson_text, json_spans, json_tree_text
from scdi.sandbox.core.jackson_strings import decode_written, string_field
from scdi.sandbox.core.jackson_tokens import NAME, VALUE, Tokens

SET_CLASS = "org.hisp.dhis.dxf2.datavalueset.DataValueSet"
VALUE_CLASS = "org.hisp.dhis.dxf2.datavalue.DataValue"
SET_STRINGS = ("idScheme", "dataElementIdScheme", "orgUnitIdScheme", "categoryOptionComboIdScheme",
               "dataSetIdScheme", "strategy", "dataSet", "completeDate", "period", "orgUnit",
               "attributeOptionCombo")
VALUE_STRINGS = ("dataElement", "period", "orgUnit", "categoryOptionCombo", "attributeOptionCombo",
                 "value", "storedBy", "created", "lastUpdated", "comment")
# name → primitive (`boolean`) or not (`Boolean`)
SET_BOOLEANS = {"dryRun": False}
VALUE_BOOLEANS = {"followup": True, "deleted": False}
_MISMATCH = "com.fasterxml.jackson.databind.exc.MismatchedInputException"


class JacksonFailure(Exception):
    """The mapping exception `readValue` throws: `str()` is its `toString()` (class: message
    with location and reference chain), what 2.41.9's UncheckedIOException carries."""


class TreeFailure(Exception):
    """json-tree's JsonTreeException (an UnsupportedOperationException): its message."""


class SchemeRefused(Exception):
    """2.43.1's IllegalArgumentException for an id scheme `IdScheme#from` cannot read."""


class TreeRefused(Exception):
    """2.43.1's IllegalArgumentException json-tree throws decoding a string the walk let
    through: a `\\u` escape `Integer#parseInt` cannot read (NumberFormatException)."""


# --- 2.41.9 / 2.42.5 -------------------------------------------------------------------------

def _fail(text: str, start: int, problem: tuple[str, str], chain: str) -> JacksonFailure:
    line, column = jackson_text.token_location(text, start)
    message = jackson_text.Problem(problem[1], line, column).message
    return JacksonFailure(f"{problem[0]}: {message} (through reference chain: {chain})")




def _bind_bean(tokens: Tokens, strings: tuple[str, ...], booleans: dict[str, bool],
               klass: str, chain: str) -> dict[str, Any]:
    """`BeanDeserializer#vanillaDeserialize` from the current token: while it is a member's
    name, read that member's value, then `nextFieldName()`; any other token ends the bean
    where it is (an END_OBJECT: the object's own `}`, or, after an object or array a String
    field left unread, the first token in it or the `}` / `]` that closes it)."""
    bound: dict[str, Any] = {name: (False if primitive else None)
                             for name, primitive in booleans.items()}
    while tokens.kind == NAME:
        name = tokens.name
        tokens.next()
        if name in strings:
            # getValueAsString of `{` / `[` is null, and the parser stays at that token
            bound[name] = (None if tokens.kind in ("{", "[")
                           else string_field(decode_written(tokens.text[tokens.begin:tokens.end])))
        elif name in booleans:
            value, problem = jackson_booleans.read(tokens.value(), booleans[name])
            if problem is not None:
                raise _fail(tokens.text, tokens.begin, problem, f'{chain}{klass}["{name}"]')
            bound[name] = value
        elif name == "dataValues" and klass == SET_CLASS:
            bound[name] = _bind_values(tokens, f'{chain}{klass}["dataValues"]->')
        else:
            tokens.skip_children()
        tokens.next()
    return bound


def _refused(text: str, start: int, problem: jackson_text.Problem, chain: str) -> JacksonFailure:
    return _fail(text, start, (_MISMATCH, problem.original), chain)


def _bind_values(tokens: Tokens, chain: str) -> list[dict[str, Any]]:
    """`dataValues`: null is no list (`#importDataValueSet` skips it, 2.41.9 :710-712); another
    value than an array is CollectionDeserializer#handleNonArray's refusal (naming the concrete
    `ArrayList`). `CollectionDeserializer#_deserializeFromArray` then reads elements until the
    next `]` token, whichever array it closes, handing each other token to BeanDeserializer:
    `{` a value, a member's name or a `}` (`BeanDeserializer#_deserializeOther`: FIELD_NAME,
    END_OBJECT) a value read from there, a scalar or `[` its refusal (`jackson_text.not_a_bean`)."""
    text = tokens.text
    if tokens.kind == VALUE and json_spans.kind(text, tokens.begin) == json_spans.NULL:
        return []
    if tokens.kind != "[":
        raise _refused(text, tokens.begin, jackson_text.not_a_list(
            f"java.util.ArrayList<{VALUE_CLASS}>", tokens.value(), 0, 0), chain.removesuffix("->"))
    values: list[dict[str, Any]] = []
    while tokens.next() != "]":
        element = f"{chain}java.util.ArrayList[{len(values)}]"
        if tokens.kind == "{":
            tokens.next()
        elif tokens.kind == VALUE and json_spans.kind(text, tokens.begin) == json_spans.NULL:
            values.append({})  # not modelled: the null entry `#importDataValue` is handed
            continue
        elif tokens.kind not in (NAME, "}"):
            raise _refused(text, tokens.begin,
                           jackson_text.not_a_bean(VALUE_CLASS, tokens.value(), 0, 0), element)
        values.append(_bind_bean(tokens, VALUE_STRINGS, VALUE_BOOLEANS, VALUE_CLASS,
                                 f"{element}->"))
    return values


def jackson_set(text: str) -> dict[str, Any]:
    """The set 2.41.9 / 2.42.5 bind from `text` (the whole decoded body, whose root is an
    object Jackson reads); raises JacksonFailure."""
    tokens = Tokens(text, json_spans.skip_ws(text, 0))
    tokens.next()  # the root's `{`
    tokens.next()
    # what follows the token the set's read ends at is never read (FAIL_ON_TRAILING_TOKENS off)
    return _bind_bean(tokens, SET_STRINGS, SET_BOOLEANS, SET_CLASS, "")


# --- 2.43.1 ----------------------------------------------------------------------------------

_TREE_SCHEMES = ("idScheme", "dataSetIdScheme", "dataElementIdScheme", "orgUnitIdScheme",
                 "categoryOptionComboIdScheme", "attributeOptionComboIdScheme", "categoryIdScheme",
                 "categoryOptionIdScheme")


class _Node:
    """One object as json-tree's virtual tree reads it: the first member of each name."""

    def __init__(self, text: str, start: int, path: str, range_message: bool) -> None:
        self.text = text
        self.path = path
        self.range_message = range_message
        self.spans: dict[str, tuple[int, int]] = {}
        if json_spans.kind(text, start) == json_spans.OBJECT:
            # json-tree's own skipping: leading zeros and unchecked `\u` digits pass
            for name, begin, end in json_tree_text.members(text, start):
                self.spans.setdefault(name, (begin, end))

    def _decoded(self, declaration: str) -> str:
        problem, value = json_tree_text.string_node(declaration, self.range_message)
        if problem is not None:
            raise TreeRefused(problem.message)
        return value

    def _typed(self, name: str, expected: str) -> Any:
        span = self.spans.get(name)
        if span is None:
            return None
        actual = json_spans.kind(self.text, span[0])
        if actual == json_spans.NULL:
            return None
        declaration = self.text[span[0]:span[1]]
        if actual != expected:
            raise TreeFailure(f"Path `{self.path}.{name}` does not contain an {expected} but "
                              f"a(n) {actual}: {declaration}")
        return self._decoded(declaration) if actual == json_spans.STRING else json.loads(declaration)

    def string(self, name: str) -> str | None:
        value = self._typed(name, json_spans.STRING)
        return None if value is None else str(value)

    def bool(self, name: str) -> bool | None:
        value = self._typed(name, json_spans.BOOLEAN)
        return None if value is None else bool(value)

    def string_if_string(self, name: str) -> str | None:
        span = self.spans.get(name)
        if span is None or json_spans.kind(self.text, span[0]) != json_spans.STRING:
            return None
        return self._decoded(self.text[span[0]:span[1]])


_PROPERTIES = ("ID", "UID", "UUID", "NAME", "CODE", "ATTRIBUTE")


def scheme_refusal(scheme: str | None) -> str | None:
    """The IllegalArgumentException's message `IdScheme#from(String)` throws for `scheme`
    (`dhis-api/…/common/IdScheme.java` 2.41.9 :91-101, 2.43.1 :94-99), None when it reads it:
    null is no scheme, `ATTRIBUTE:` and a UID (21 characters) an attribute, else
    `IdentifiableProperty#valueOf` of the upper-cased text."""
    if scheme is None:
        return None
    upper = scheme.upper()
    if upper.startswith("ATTRIBUTE:") and len(scheme) == 21:
        return None
    if upper not in _PROPERTIES:
        return f"No enum constant org.hisp.dhis.common.IdentifiableProperty.{upper}"
    return None


def import_context_refusal(bound: dict[str, Any]) -> str | None:
    """2.41.9 / 2.42.5 `DefaultDataValueSetService#createDataValueSetImportContext` (2.41.9
    :1046-1070, 2.42.5 :1058-1083) reads the set's schemes through `DataValueSet#get…IdScheme
    Property` (each object's scheme, else `idScheme`): data element, org unit, category option
    combo, data set, then the general one; the first `IdScheme#from` refuses fails the import."""
    general = bound.get("idScheme")
    for name in ("dataElementIdScheme", "orgUnitIdScheme", "categoryOptionComboIdScheme",
                 "dataSetIdScheme"):
        refusal = scheme_refusal(bound.get(name) or general)
        if refusal is not None:
            return refusal
    return scheme_refusal(general)


def _scheme(scheme: str | None) -> str | None:
    """`IdSchemes#setIdScheme(String)` & co. → `IdScheme#from(String)`, whose
    IllegalArgumentException leaves the controller as a 400 (`body.py`)."""
    refusal = scheme_refusal(scheme)
    if refusal is not None:
        raise SchemeRefused(refusal)
    return scheme


def json_tree_set(text: str, range_message: bool = True) -> dict[str, Any]:
    """The set 2.43.1 reads from `text` (json-tree accepted its root); raises TreeFailure,
    SchemeRefused or TreeRefused. `range_message`: `Release.jdk_range_bounds_message`."""
    root = json_spans.skip_ws(text, 0)
    if root >= len(text) or json_spans.kind(text, root) != json_spans.OBJECT:
        return {}
    dvs = _Node(text, root, "$", range_message)
    bound: dict[str, Any] = {"dataSet": dvs.string("dataSet"),
                             "completeDate": dvs.string("completeDate"),
                             "orgUnit": dvs.string("orgUnit"), "period": dvs.string("period"),
                             "attributeOptionCombo": dvs.string_if_string("attributeOptionCombo"),
                             "dryRun": dvs.bool("dryRun")}
    for scheme in _TREE_SCHEMES:
        if scheme in dvs.spans:
            bound[scheme] = _scheme(dvs.string(scheme))
    span = dvs.spans.get("dataValues")
    if span is None:
        return bound
    shape = json_spans.kind(text, span[0])
    if shape != json_spans.ARRAY:
        raise TreeFailure(f"{shape} node has no elements property.")
    values: list[dict[str, Any]] = []
    for begin, _end in json_tree_text.elements(text, span[0]):
        dv = _Node(text, begin, "$", range_message)
        values.append({"dataElement": dv.string("dataElement"), "orgUnit": dv.string("orgUnit"),
                       "categoryOptionCombo": dv.string_if_string("categoryOptionCombo"),
                       "attributeOptionCombo": dv.string("attributeOptionCombo"),
                       "period": dv.string("period"), "value": dv.string("value"),
                       "comment": dv.string("comment"), "followup": dv.bool("followUp"),
                       "deleted": dv.bool("deleted")})
    bound["dataValues"] = values
    return bound
