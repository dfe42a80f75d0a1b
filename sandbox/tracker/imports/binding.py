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
event with only `program`. What is no String (dates, booleans, enums, `UID`s of 2.42+, geometry,
users, lists) is handed over whole; `payload.py` reads or refuses it as its deserializer does.

`bind` answers the body as plain JSON values with only the members the release's views bind,
a String member its scalar (numbers as written) or None. Jackson 2.21.2 (2.41.9), 2.21.3
(2.42.5), 2.22.0 (2.43.1), `dhis-2/pom.xml`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from scdi.sandbox.core import json_spans
from scdi.sandbox.core.jackson_tokens import NAME, VALUE, Tokens
from scdi.upstream.releases import Release

STRING, WHOLE = "string", "whole"


@dataclass(frozen=True)
class Bean:
    """A view bound by BeanDeserializer: member name → STRING, WHOLE, Bean or Many."""

    members: dict[str, Any]


@dataclass(frozen=True)
class Many:
    """A `List`/`Set` of views (CollectionDeserializer)."""

    of: Bean


_DATES = ("createdAt", "createdAtClient", "updatedAt", "updatedAtClient")


def _strings(*names: str) -> dict[str, Any]:
    return dict.fromkeys(names, STRING)


def _whole(*names: str) -> dict[str, Any]:
    return dict.fromkeys(names, WHOLE)


@cache
def _views(typed_uids: bool, followup_alias: bool, option_combo: bool) -> Bean:
    """The views' members at a release (`webapi/controller/tracker/view/*.java`): its
    `tracker_payload_uids_typed`, `tracker_event_followup_alias`, `tracker_enrollment_option_combo`."""
    # 2.41.9 ids are Strings; 2.42.5/2.43.1 `UID`s (a delegating `@JsonCreator UID#of`)
    uid = WHOLE if typed_uids else STRING
    user = Bean(_strings("uid", "username", "firstName", "surname", "displayName"))
    users = {"createdBy": user, "updatedBy": user}
    followup = _whole("followup") if followup_alias else {}
    note = Bean({"note": uid, **_strings("value", "storedBy"), "storedAt": WHOLE,
                 "createdBy": user})
    attribute = Bean({**_strings("attribute", "code", "displayName", "storedBy", "value"),
                      **_whole("createdAt", "updatedAt", "valueType")})
    data_value = Bean({**_strings("dataElement", "value", "storedBy"),
                       **_whole("createdAt", "updatedAt", "providedElsewhere"), **users})
    owner = Bean(_strings("orgUnit", "trackedEntity", "program"))
    event_members: dict[str, Any] = {
        **_strings("program", "programStage", "orgUnit", "storedBy", "attributeOptionCombo",
                   "attributeCategoryOptions", "completedBy"),
        **_whole(*_DATES, "status", "occurredAt", "scheduledAt", "completedAt", "followUp",
                 "deleted", "geometry"),
        **followup, "assignedUser": user, **users,
        "dataValues": Many(data_value), "notes": Many(note)}
    enrollment_members: dict[str, Any] = {
        **_strings("program", "orgUnit", "completedBy", "storedBy"),
        **_whole(*_DATES, "status", "enrolledAt", "occurredAt", "completedAt", "followUp",
                 "deleted", "geometry"),
        **users, "attributes": Many(attribute), "notes": Many(note)}
    te_members: dict[str, Any] = {
        **_strings("trackedEntityType", "orgUnit", "storedBy"),
        **_whole(*_DATES, "inactive", "deleted", "potentialDuplicate", "geometry"),
        **users, "attributes": Many(attribute), "programOwners": Many(owner)}
    # view/RelationshipItem's own TrackedEntity, Enrollment and Event: the same members less
    # the relationships, their cross references Strings at every release
    item_event = Bean({**event_members, "event": uid, **_strings("enrollment")})
    item_enrollment = Bean({**enrollment_members, "enrollment": uid,
                            **_strings("trackedEntity"), "events": Many(item_event)})
    item = Bean({"trackedEntity": Bean({**te_members, "trackedEntity": uid,
                                        "enrollments": Many(item_enrollment)}),
                 "enrollment": item_enrollment, "event": item_event})
    relationship = Bean({"relationship": uid, **_strings("relationshipName", "relationshipType"),
                         **_whole("createdAt", "createdAtClient", "updatedAt", "bidirectional"),
                         "from": item, "to": item})
    relationships = Many(relationship)
    event = Bean({**event_members, "event": uid, "enrollment": uid, "trackedEntity": uid,
                  "relationships": relationships})
    # 2.43.1 view/Enrollment.java :98 (not RelationshipItem's); unknown before
    combo = _strings("attributeOptionCombo") if option_combo else {}
    enrollment = Bean({**enrollment_members, **combo, "enrollment": uid, "trackedEntity": uid,
                       "events": Many(event), "relationships": relationships})
    tracked_entity = Bean({**te_members, "trackedEntity": uid, "enrollments": Many(enrollment),
                           "relationships": relationships})
    return Bean({"trackedEntities": Many(tracked_entity), "enrollments": Many(enrollment),
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
        if kind is None:
            tokens.skip_children()
        elif kind == STRING:
            bound[name] = tokens.string()
        elif isinstance(kind, Bean):
            bound[name] = _nested(tokens, kind)
        elif isinstance(kind, Many):
            bound[name] = _many(tokens, kind.of)
        else:
            bound[name] = _whole_value(tokens)
        tokens.next()
    return bound


def _nested(tokens: Tokens, bean: Bean) -> Any:
    """A view member (`assignedUser`, a relationship's `from`): an object is read from its
    first member on; null, a scalar or an array is handed over whole (refused by `payload.py`
    as BeanDeserializer refuses it)."""
    if tokens.kind != "{":
        return _whole_value(tokens)
    tokens.next()
    return _bean(tokens, bean)


def _many(tokens: Tokens, bean: Bean) -> Any:
    """A list of views: no array is handed over whole (null is none; another value is
    `payload.py`'s refusal). In an array, until the next `]` token whichever array it closes:
    `{` a view from its first member, a member's name or a `}` a view from there
    (`_deserializeOther`), null a null element, anything else handed over (refused)."""
    if tokens.kind != "[":
        return _whole_value(tokens)
    views: list[Any] = []
    while tokens.next() != "]":
        if tokens.kind == "{":
            tokens.next()
            views.append(_bean(tokens, bean))
        elif tokens.kind in (NAME, "}"):
            views.append(_bean(tokens, bean))
        elif _is_null(tokens):
            views.append(None)
        else:
            views.append(_whole_value(tokens))
    return views


def bind(text: str, release: Release) -> dict[str, Any]:
    """The body `text` (accepted JSON whose root is an object) as the release binds it; what
    follows the token the body's read ends at is never read (FAIL_ON_TRAILING_TOKENS off)."""
    tokens = Tokens(text, json_spans.skip_ws(text, 0))
    tokens.next()  # the root's `{`
    tokens.next()
    views = _views(release.tracker_payload_uids_typed, release.tracker_event_followup_alias,
                   release.tracker_enrollment_option_combo)
    return _bean(tokens, views)
