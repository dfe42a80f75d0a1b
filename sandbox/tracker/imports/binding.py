"""The `POST /api/tracker` body as Jackson binds it to `Body` and the tracker views, per release.

`TrackerImportController` takes a `@RequestBody Body` (`webapi/controller/tracker/imports/
Body.java`: lists of `view/TrackedEntity`, `Enrollment`, `Event`, `Relationship`), bound by
the `jsonMapper` (`JacksonObjectMapperConfig#configureMapper`: only `@JsonProperty` members,
fields and setters are not auto-detected; unknown members skipped, FAIL_ON_UNKNOWN_PROPERTIES
off). No view has a `@JsonAlias` or another name at 2.41.9, 2.42.5 or 2.43.1 but 2.41.9's
`@JsonProperty("followup") boolean legacyFollowUp` of `view/Event` (:86-87) and of
`view/RelationshipItem.Event` (:180-181), bound and never mapped (`tracker_event_followup_alias`).

Every String member goes through `EmptyStringToNullStdDeserializer`, which answers null at an
object's or an array's first token and skips nothing, so the read goes on from inside that
value (`core/jackson_tokens.py`): `BeanDeserializer#vanillaDeserialize` reads the members of an
object there as the enclosing view's and ends that view at any other token (the `]` of `[]`, the
first element of `["a"]`, the object's `}`), and the list that holds the view
(`CollectionDeserializer#_deserializeFromArray`, `nextToken()` until any `]`) reads a member's
name or a `}` it meets as the start of another view (`BeanDeserializer#_deserializeOther`). So
`{"orgUnit": {"x": 1}, "program": P}` in `events` is an event without `orgUnit` and a second
event with only `program`. Lists and views (users, relationship items) are read here, one
that is no array or object refused with Jackson's words (`BindingRefused`, with the refused
token's location and the reference chain that 2.41's Spring 5.3.39 writes after the message:
`AbstractJackson2HttpMessageConverter#readJavaType` :391, `NestedRuntimeException#getMessage`
:76-77, `Ctx#unreadable_body`). The scalars read by their own deserializers (dates, booleans,
enums, `UID`s of 2.42+: `Scalar`, `view_scalars.py`) are checked at their token too, so their
refusals come in document order with the same location and chain; they and what is neither a
String nor a view (geometry) are handed over whole, and `payload.py` reads them.

`bind` answers the body as plain JSON values with only the members the release's views bind,
a String member its scalar (numbers as written) or None. Jackson 2.21.2 (2.41.9), 2.21.3
(2.42.5), 2.22.0 (2.43.1), `dhis-2/pom.xml`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache, partial
from typing import Any

from scdi.sandbox.core import jackson_text, json_spans
from scdi.sandbox.core.jackson_tokens import NAME, VALUE, Tokens
from scdi.sandbox.metadata import registry
from scdi.sandbox.tracker.imports import view_scalars
from scdi.sandbox.tracker.imports.view_scalars import ENROLLMENT_STATUSES, EVENT_STATUSES
from scdi.upstream.releases import Release

STRING, WHOLE = "string", "whole"


_VIEW = "org.hisp.dhis.webapi.controller.tracker.view."
_BODY = "org.hisp.dhis.webapi.controller.tracker.imports.Body"


def view_class(view: str) -> str:
    """The Java class of a view (`Body` is the controller's, the others `…tracker.view.`'s)."""
    return _BODY if view == "Body" else _VIEW + view


def not_a_view(view: str, value: Any, line: int = 0, column: int = 0) -> jackson_text.Problem:
    """Jackson's refusal of a value that is no object for a view bean (`view/User`,
    `view/RelationshipItem`'s `TrackedEntity`, `Enrollment`, `Event`: a no-argument constructor
    and no String or number creator, 2.41.9, 2.42.5, 2.43.1), at the value's first token:
    `jackson_text.not_a_bean` (an empty or blank String, every character at most U+0020, is
    "Cannot coerce empty String (\"\")", checked against jackson-databind 2.21 and 2.22)."""
    return jackson_text.not_a_bean(view_class(view), value, line, column)


class BindingRefused(ValueError):
    """Jackson's refusal while binding: `problem` with its reference chain (`str()`: Spring 6's
    "JSON parse error: …" text; `Ctx#unreadable_body` adds Spring 5's nested exception)."""

    def __init__(self, problem: jackson_text.Problem) -> None:
        super().__init__(f"JSON parse error: {problem.original}")
        self.problem = problem

    def within(self, step: str) -> BindingRefused:
        """The refusal as it leaves a bean's member or a collection's element
        (`JsonMappingException#wrapWithPath` prepends each `Reference`)."""
        return BindingRefused(replace(self.problem, path=(step, *self.problem.path)))


@dataclass(frozen=True)
class Scalar:
    """A member its own deserializer reads (`view_scalars.py`): `read` answers its value or
    raises `view_scalars.Refused`; a JSON null is not read (the property's null value)."""

    read: Callable[[Any], object]


INSTANT, FLAG = Scalar(view_scalars.instant), Scalar(view_scalars.flag)


@dataclass(frozen=True)
class Bean:
    """A view bound by BeanDeserializer (`view` its class below `…tracker.view.`): member
    name → STRING, WHOLE, Bean or Many."""

    view: str
    members: dict[str, Any]


@dataclass(frozen=True)
class Many:
    """A `List` (bound as an `ArrayList`) or `Set` (a `HashSet`) of views
    (CollectionDeserializer)."""

    of: Bean
    collection: str = "java.util.ArrayList"


_DATES = ("createdAt", "createdAtClient", "updatedAt", "updatedAtClient")


def _strings(*names: str) -> dict[str, Any]:
    return dict.fromkeys(names, STRING)


def _kind(kind: Any, *names: str) -> dict[str, Any]:
    return dict.fromkeys(names, kind)


def _enum(klass: str, constants: tuple[str, ...]) -> Scalar:
    return Scalar(partial(view_scalars.enum, constants=constants, klass=klass))


@cache
def _views(typed_uids: bool, followup_alias: bool, option_combo: bool, enrollment_status: str,
           value_types: tuple[str, ...]) -> Bean:
    """The views' members at a release (`webapi/controller/tracker/view/*.java`): its
    `tracker_payload_uids_typed`, `tracker_event_followup_alias`, `tracker_enrollment_option_combo`,
    `tracker_enrollment_status_class` and its ValueType constants."""
    # 2.41.9 ids are Strings; 2.42.5/2.43.1 `UID`s (a delegating `@JsonCreator UID#of`)
    uid = Scalar(view_scalars.uid) if typed_uids else STRING
    user = Bean("User", _strings("uid", "username", "firstName", "surname", "displayName"))
    users = {"createdBy": user, "updatedBy": user}
    followup = _kind(FLAG, "followup") if followup_alias else {}
    note = Bean("Note", {"note": uid, **_strings("value", "storedBy"), "storedAt": INSTANT,
                 "createdBy": user})
    attribute = Bean("Attribute", {**_strings("attribute", "code", "displayName", "storedBy", "value"),
                      **_kind(INSTANT, "createdAt", "updatedAt"),
                      "valueType": _enum("org.hisp.dhis.common.ValueType", value_types)})
    data_value = Bean("DataValue", {**_strings("dataElement", "value", "storedBy"),
                       **_kind(INSTANT, "createdAt", "updatedAt"), "providedElsewhere": FLAG,
                       **users})
    owner = Bean("ProgramOwner", _strings("orgUnit", "trackedEntity", "program"))
    event_members: dict[str, Any] = {
        **_strings("program", "programStage", "orgUnit", "storedBy", "attributeOptionCombo",
                   "attributeCategoryOptions", "completedBy"),
        **_kind(INSTANT, *_DATES, "occurredAt", "scheduledAt", "completedAt"),
        "status": _enum("org.hisp.dhis.event.EventStatus", EVENT_STATUSES),
        **_kind(FLAG, "followUp", "deleted"), "geometry": WHOLE,
        **followup, "assignedUser": user, **users,
        "dataValues": Many(data_value, "java.util.HashSet"), "notes": Many(note)}
    enrollment_members: dict[str, Any] = {
        **_strings("program", "orgUnit", "completedBy", "storedBy"),
        **_kind(INSTANT, *_DATES, "enrolledAt", "occurredAt", "completedAt"),
        "status": _enum(enrollment_status, ENROLLMENT_STATUSES),
        **_kind(FLAG, "followUp", "deleted"), "geometry": WHOLE,
        **users, "attributes": Many(attribute), "notes": Many(note)}
    te_members: dict[str, Any] = {
        **_strings("trackedEntityType", "orgUnit", "storedBy"),
        **_kind(INSTANT, *_DATES), **_kind(FLAG, "inactive", "deleted", "potentialDuplicate"),
        "geometry": WHOLE, **users, "attributes": Many(attribute), "programOwners": Many(owner)}
    # view/RelationshipItem's own TrackedEntity, Enrollment and Event: the same members less
    # the relationships, their cross references Strings at every release
    item_event = Bean("RelationshipItem$Event", {**event_members, "event": uid, **_strings("enrollment")})
    item_enrollment = Bean("RelationshipItem$Enrollment", {
        **enrollment_members, "enrollment": uid, **_strings("trackedEntity"),
        "events": Many(item_event)})
    item_te = Bean("RelationshipItem$TrackedEntity", {
        **te_members, "trackedEntity": uid, "enrollments": Many(item_enrollment)})
    item = Bean("RelationshipItem", {"trackedEntity": item_te, "enrollment": item_enrollment,
                                     "event": item_event})
    relationship = Bean("Relationship", {"relationship": uid, **_strings("relationshipName", "relationshipType"),
                         **_kind(INSTANT, "createdAt", "createdAtClient", "updatedAt"),
                         "bidirectional": FLAG, "from": item, "to": item})
    relationships = Many(relationship)
    event = Bean("Event", {**event_members, "event": uid, "enrollment": uid, "trackedEntity": uid,
                  "relationships": relationships})
    # 2.43.1 view/Enrollment.java :98 (not RelationshipItem's); unknown before
    combo = _strings("attributeOptionCombo") if option_combo else {}
    enrollment = Bean("Enrollment", {**enrollment_members, **combo, "enrollment": uid, "trackedEntity": uid,
                       "events": Many(event), "relationships": relationships})
    tracked_entity = Bean("TrackedEntity", {**te_members, "trackedEntity": uid, "enrollments": Many(enrollment),
                           "relationships": relationships})
    return Bean("Body", {"trackedEntities": Many(tracked_entity), "enrollments": Many(enrollment),
                 "events": Many(event), "relationships": relationships})


def _is_null(tokens: Tokens) -> bool:
    return tokens.kind == VALUE and json_spans.kind(tokens.text, tokens.begin) == json_spans.NULL


def _whole_value(tokens: Tokens) -> Any:
    value = tokens.value()
    tokens.skip_children()
    return value


def _bean(tokens: Tokens, bean: Bean) -> dict[str, Any]:
    """`BeanDeserializer#vanillaDeserialize` from the current token: while it is a member's
    name, bind that member, then `nextFieldName()`; any other token ends the view there."""
    bound: dict[str, Any] = {}
    while tokens.kind == NAME:
        name = tokens.name
        tokens.next()
        kind = bean.members.get(name)
        try:
            if kind is None:
                tokens.skip_children()
            elif kind == STRING:
                bound[name] = tokens.string()
            elif isinstance(kind, Bean):
                bound[name] = _nested(tokens, kind)
            elif isinstance(kind, Many):
                bound[name] = _many(tokens, kind)
            elif isinstance(kind, Scalar):
                bound[name] = _scalar(tokens, kind)
            else:
                bound[name] = _whole_value(tokens)
        except BindingRefused as refused:
            raise refused.within(f'{view_class(bean.view)}["{name}"]') from None
        tokens.next()
    return bound


def _scalar(tokens: Tokens, scalar: Scalar) -> Any:
    """The value at the current token, whole, once its deserializer accepts it."""
    begin, end = tokens.begin, tokens.end
    value = _whole_value(tokens)
    if value is not None:
        try:
            scalar.read(value)
        except view_scalars.Refused as refused:
            raise BindingRefused(refused.problem(tokens.text, begin, end)) from None
    return value


def _nested(tokens: Tokens, bean: Bean) -> Any:
    """A view member (`assignedUser`, a relationship's `from`): an object is read from its
    first member on, null is none; a scalar or an array is BeanDeserializer's refusal."""
    if _is_null(tokens):
        return None
    if tokens.kind != "{":
        raise _refused(tokens, bean)
    tokens.next()
    return _bean(tokens, bean)


def _refused(tokens: Tokens, bean: Bean) -> BindingRefused:
    """BeanDeserializer's refusal of the value at the current token, located at its start."""
    line, column = jackson_text.token_location(tokens.text, tokens.begin)
    return BindingRefused(not_a_view(bean.view, _whole_value(tokens), line, column))


def _many(tokens: Tokens, many: Many) -> Any:
    """A list of views: null is none (not modelled: the NullPointerException BodyConverter
    meets); another value that is no array is CollectionDeserializer#handleNonArray's refusal
    (ACCEPT_SINGLE_VALUE_AS_ARRAY off), naming the concrete collection. In an array, until the
    next `]` token whichever array it closes: `{` a view from its first member, a member's name
    or a `}` a view from there (`_deserializeOther`), null a null element (refused by
    `payload.py`), a scalar or an array BeanDeserializer's refusal."""
    bean = many.of
    if _is_null(tokens):
        return None
    if tokens.kind != "[":
        collection = f"{many.collection}<{view_class(bean.view)}>"
        line, column = jackson_text.token_location(tokens.text, tokens.begin)
        raise BindingRefused(jackson_text.not_a_list(collection, _whole_value(tokens), line,
                                                     column))
    views: list[Any] = []
    while tokens.next() != "]":
        try:
            if tokens.kind == "{":
                tokens.next()
                views.append(_bean(tokens, bean))
            elif tokens.kind in (NAME, "}"):
                views.append(_bean(tokens, bean))
            elif _is_null(tokens):
                views.append(None)
            else:
                raise _refused(tokens, bean)
        except BindingRefused as refused:
            # CollectionDeserializer#wrapAndThrow: the element's index, the elements read so far
            raise refused.within(f"{many.collection}[{len(views)}]") from None
    return views


def bind(text: str, release: Release) -> dict[str, Any]:
    """The body `text` (accepted JSON whose root is an object) as the release binds it; what
    follows the token the body's read ends at is never read (FAIL_ON_TRAILING_TOKENS off)."""
    tokens = Tokens(text, json_spans.skip_ws(text, 0))
    tokens.next()  # the root's `{`
    tokens.next()
    value_types = registry.properties("trackedEntityAttribute", release.minor)["valueType"]
    views = _views(release.tracker_payload_uids_typed, release.tracker_event_followup_alias,
                   release.tracker_enrollment_option_combo, release.tracker_enrollment_status_class,
                   tuple(value_types["constants"]))
    return _bean(tokens, views)
