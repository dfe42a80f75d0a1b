"""Reading a `POST /api/tracker` body, as `binding.py` bound it to the views: nested → flat, UIDs
generated, dates parsed, every bound member read or refused as its deserializer does.

Flattening copies `webapi/controller/tracker/imports/BodyConverter.java`: enrollments nested in
a tracked entity get its UID, events nested in an enrollment get the enrollment's UID,
nested relationships are lifted out, missing UIDs (tracked entity, enrollment, event,
relationship, note) are generated, notes whose text is null or empty are dropped (a number or
a boolean is a note: Jackson reads it as its text). Order: tracked entities,
their enrollments then top-level enrollments; events of all enrollments then top-level
events; relationships of tracked entities, enrollments, events, then top-level ones.

Jackson rejects what it cannot read before any validation runs, so unreadable dates
(`ParseInstantStdDeserializer`, which also reads epoch milliseconds) and
(from 2.42, where payload ids are typed `UID`) malformed UIDs answer HTTP 400
(`PayloadError`). In 2.41 ids were strings and the `UidValidator`s report E1048 instead.
`binding.py` has already refused such a value at its token (`view_scalars.py`, in document
order, with 2.41's nested exception); the readers here convert what it accepted.
"""

from __future__ import annotations

import random
import string
from typing import Any

from scdi.sandbox.core.jackson_strings import string_field
from scdi.sandbox.metadata import registry
from scdi.sandbox.tracker.imports import view_scalars
from scdi.sandbox.tracker.imports.binding import not_a_view
from scdi.sandbox.tracker.imports.data_value_set import in_set_order
from scdi.sandbox.tracker.imports.view_scalars import ENROLLMENT_STATUSES as _ENROLLMENT_STATUS
from scdi.sandbox.tracker.imports.view_scalars import EVENT_STATUSES as _EVENT_STATUS
from scdi.sandbox.tracker.imports.view_scalars import is_uid
from scdi.upstream.releases import RELEASES, Release

_ALNUM = string.ascii_letters + string.digits


class PayloadError(ValueError):
    """The body cannot be read (HTTP 400 with Jackson's message)."""


def generate_uid() -> str:
    """`CodeGenerator.generateUid`: a letter, then 10 letters or digits."""
    # Like DHIS2's ThreadLocalRandom: UIDs are identifiers, not secrets.
    return random.choice(string.ascii_letters) + "".join(random.choices(_ALNUM, k=10))  # noqa: S311


def read_instant(value: Any) -> str | None:
    """A payload date as DHIS2's jsonMapper reads an `Instant` → stored form
    (`view_scalars.instant`); its refusal is the JSON parse error Spring answers with 400.
    `binding.py` has refused an unreadable one already, with 2.41's nested exception."""
    try:
        return view_scalars.instant(value)
    except view_scalars.Refused as refused:
        raise PayloadError(f"JSON parse error: {refused}") from None


def _meta(value: Any) -> str:
    """A String reference of the tracker views (`program`, `orgUnit`, `attribute`, …):
    `string_field`, and a missing one is the empty text the validators report."""
    return string_field(value) or ""


def note_text(value: Any) -> str | None:
    """`view/Note.value`: `string_field`, so only a missing value or "" is empty
    (`BodyConverter`'s `StringUtils#isEmpty`)."""
    return string_field(value)


class Flattener:
    """Turns one request body into the four flat lists the importer validates."""

    def __init__(self, typed_uids: bool, release: Release) -> None:
        self.typed_uids = typed_uids
        # Release.tracker_enrollment_status_class; the schema facts' ValueType constants less
        # those the release removed (`Release.enum_constants_removed`)
        self.enrollment_status = release.tracker_enrollment_status_class
        self.domain_layout = release.tracker_domain_layout
        self.value_types = tuple(registry.properties("trackedEntityAttribute", release.minor)
                                 ["valueType"]["constants"])
        self.tracked_entities: list[dict[str, Any]] = []
        self.enrollments: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.relationships: list[dict[str, Any]] = []

    def _uid(self, value: Any, generate: bool = True) -> str | None:
        # 2.41.9 ids are Strings: "" is read as null (EmptyStringToNullStdDeserializer) and
        # BodyConverter generates one for a missing id; 2.42.5/2.43.1 read a `UID` through its
        # @JsonCreator `UID#of`, which refuses "" as any malformed id.
        # A 2.41.9 String id given a number or a boolean is its text (`string_field`), which
        # the UidValidators then report as no UID (E1048).
        if not self.typed_uids and value is not None and not isinstance(value, str):
            value = string_field(value)
        if value is None or (value == "" and not self.typed_uids):
            return generate_uid() if generate else None
        if self.typed_uids and not is_uid(value):
            # `binding.py` has refused such a value at its token already
            raise PayloadError(f"JSON parse error: {view_scalars.uid_refusal(value)}")
        return value  # type: ignore[no-any-return]

    def _list(self, body: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = body.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise PayloadError(f"JSON parse error: Cannot deserialize value of type "
                               f"`java.util.ArrayList` from `{key}`")
        return value

    def run(self, body: Any) -> Flattener:
        if not isinstance(body, dict):
            raise PayloadError("JSON parse error: Cannot deserialize value of type "
                               "`org.hisp.dhis.webapi.controller.tracker.imports.Body`")
        enrollments: list[tuple[dict[str, Any], str | None]] = []
        rels: list[dict[str, Any]] = []
        for raw in self._list(body, "trackedEntities"):
            te = self._tracked_entity(raw)
            self.tracked_entities.append(te)
            for en in self._list(raw, "enrollments"):
                enrollments.append((en, te["trackedEntity"]))
            rels.extend(self._list(raw, "relationships"))
        for en in self._list(body, "enrollments"):
            enrollments.append((en, self._uid(en.get("trackedEntity"), False)))
        events: list[tuple[dict[str, Any], str | None]] = []
        for raw, te_uid in enrollments:
            enrollment = self._enrollment(raw, te_uid)
            self.enrollments.append(enrollment)
            for ev in self._list(raw, "events"):
                events.append((ev, enrollment["enrollment"]))
            rels.extend(self._list(raw, "relationships"))
        for ev in self._list(body, "events"):
            events.append((ev, self._uid(ev.get("enrollment"), False)))
        for raw, en_uid in events:
            self.events.append(self._event(raw, en_uid))
            rels.extend(self._list(raw, "relationships"))
        rels.extend(self._list(body, "relationships"))
        self.relationships = [self._relationship(r) for r in rels]
        return self

    # -- per type -------------------------------------------------------------------------
    def _attributes(self, raw: dict[str, Any]) -> list[dict[str, Any]]:
        out = []
        for a in self._list(raw, "attributes"):
            _read_unkept_instants(a, "createdAt", "updatedAt")  # view/Attribute
            _enum(a.get("valueType"), None, self.value_types, "org.hisp.dhis.common.ValueType")
            value = a.get("value")
            out.append({"attribute": _meta(a.get("attribute")),
                        "value": string_field(value),
                        "storedBy": string_field(a.get("storedBy"))})
        return out

    def _notes(self, raw: dict[str, Any]) -> list[dict[str, Any]]:
        notes = []
        for n in self._list(raw, "notes"):
            value = note_text(n.get("value"))
            if not value:
                continue  # BodyConverter drops a note whose text is null or empty, nothing else
            _read_unkept_users(n)
            notes.append({"note": self._uid(n.get("note")), "value": value,
                          "storedBy": string_field(n.get("storedBy")),
                          "storedAt": read_instant(n.get("storedAt"))})
        return notes

    def _dates(self, raw: dict[str, Any], *names: str) -> dict[str, str | None]:
        return {n: read_instant(raw.get(n)) for n in names}

    def _tracked_entity(self, raw: dict[str, Any]) -> dict[str, Any]:
        _read_unkept_instants(raw, "createdAt", "updatedAt")
        _read_unkept_flags(raw, "deleted")
        _read_unkept_users(raw)
        return {
            "trackedEntity": self._uid(raw.get("trackedEntity")),
            "trackedEntityType": _meta(raw.get("trackedEntityType")),
            "orgUnit": _meta(raw.get("orgUnit")),
            "inactive": _flag(raw.get("inactive")),
            "potentialDuplicate": _flag(raw.get("potentialDuplicate")),
            "geometry": raw.get("geometry"),
            "storedBy": string_field(raw.get("storedBy")),
            "attributes": self._attributes(raw),
            **self._dates(raw, "createdAtClient", "updatedAtClient"),
        }

    def _enrollment(self, raw: dict[str, Any], te_uid: str | None) -> dict[str, Any]:
        _read_unkept_instants(raw, "createdAt", "updatedAt")
        _read_unkept_flags(raw, "deleted")
        _read_unkept_users(raw)
        return {
            "enrollment": self._uid(raw.get("enrollment")),
            "trackedEntity": te_uid,
            "program": _meta(raw.get("program")),
            "orgUnit": _meta(raw.get("orgUnit")),
            "status": _enum(raw.get("status"), "ACTIVE", _ENROLLMENT_STATUS,
                            self.enrollment_status),
            "followUp": _flag(raw.get("followUp")),
            "completedBy": string_field(raw.get("completedBy")),
            "geometry": raw.get("geometry"),
            "storedBy": string_field(raw.get("storedBy")),
            # 2.43.1 tracker/imports/domain/Enrollment.java (unread by 2.41.9/2.42.5)
            "attributeOptionCombo": _meta(raw.get("attributeOptionCombo")),
            "attributes": self._attributes(raw),
            "notes": self._notes(raw),
            **self._dates(raw, "enrolledAt", "occurredAt", "completedAt", "createdAtClient",
                          "updatedAtClient"),
        }

    def _event(self, raw: dict[str, Any], en_uid: str | None) -> dict[str, Any]:
        _read_unkept_instants(raw, "createdAt", "updatedAt")
        # `followup` is only there on 2.41.9 (`binding.py`, `tracker_event_followup_alias`)
        _read_unkept_flags(raw, "followUp", "deleted", "followup")
        _read_unkept_users(raw)
        values: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for dv in self._list(raw, "dataValues"):
            _read_unkept_instants(dv, "createdAt")  # view/DataValue
            _read_unkept_users(dv)
            value = dv.get("value")
            # `updatedAt` is kept: 2.41.9 EventPersister writes it as the value's lastUpdated
            values.append((dv, {"dataElement": _meta(dv.get("dataElement")),
                                "value": string_field(value),
                                "providedElsewhere": _flag(dv.get("providedElsewhere")),
                                "storedBy": string_field(dv.get("storedBy")),
                                "updatedAt": read_instant(dv.get("updatedAt"))}))
        aco = _meta(raw.get("attributeCategoryOptions"))
        return {
            "event": self._uid(raw.get("event")),
            "enrollment": en_uid,
            "program": _meta(raw.get("program")),
            "programStage": _meta(raw.get("programStage")),
            "orgUnit": _meta(raw.get("orgUnit")),
            "status": _enum(raw.get("status"), "ACTIVE", _EVENT_STATUS,
                            "org.hisp.dhis.event.EventStatus"),
            "completedBy": string_field(raw.get("completedBy")),
            "storedBy": string_field(raw.get("storedBy")),
            "attributeOptionCombo": _meta(raw.get("attributeOptionCombo")),
            # webapi MetadataIdentifierMapper#fromAttributeCategoryOptions: a comma-separated
            # set, parts trimmed, empty ones dropped.
            "attributeCategoryOptions": list(dict.fromkeys(
                c.strip() for c in aco.split(",") if c.strip())),
            "geometry": raw.get("geometry"),
            "assignedUser": _assigned_user(raw.get("assignedUser")),
            # a Set of them, not the payload's list (`data_value_set.py`)
            "dataValues": in_set_order(values, self.domain_layout, read_instant),
            "notes": self._notes(raw),
            **self._dates(raw, "occurredAt", "scheduledAt", "completedAt", "createdAtClient",
                          "updatedAtClient"),
        }

    def _item(self, raw: Any) -> dict[str, str] | None:
        if not isinstance(raw, dict):
            return None
        item: dict[str, str] = {}
        for kind in ("trackedEntity", "enrollment", "event"):
            value = raw.get(kind)
            if value is not None and not isinstance(value, dict):
                view = f"RelationshipItem${kind[0].upper()}{kind[1:]}"
                raise PayloadError(f"JSON parse error: {not_a_view(view, value).original}")
            if isinstance(value, dict):  # {"trackedEntity": {"trackedEntity": uid}}
                _read_unkept_instants(value, *_ITEM_INSTANTS[kind])
                _read_unkept_flags(value, *_ITEM_FLAGS[kind])
                _read_unkept_users(value)
                if kind != "trackedEntity":
                    _enum(value.get("status"), None, *(
                        (_ENROLLMENT_STATUS, self.enrollment_status) if kind == "enrollment"
                        else (_EVENT_STATUS, "org.hisp.dhis.event.EventStatus")))
                value = value.get(kind)
            if value:
                item[kind] = self._uid(value, False) or ""
        return item

    def _relationship(self, raw: dict[str, Any]) -> dict[str, Any]:
        _read_unkept_instants(raw, "createdAt", "updatedAt")
        _read_unkept_flags(raw, "bidirectional")
        return {
            "relationship": self._uid(raw.get("relationship")),
            "relationshipType": _meta(raw.get("relationshipType")),
            "from": self._item(raw.get("from")),
            "to": self._item(raw.get("to")),
            **self._dates(raw, "createdAtClient"),
        }


# The `Instant`s of `view/RelationshipItem`'s nested TrackedEntity, Enrollment and Event
# (2.41.9, 2.42.5, 2.43.1).
_STAMPS = ("createdAt", "createdAtClient", "updatedAt", "updatedAtClient")
_ITEM_INSTANTS = {
    "trackedEntity": _STAMPS,
    "enrollment": (*_STAMPS, "enrolledAt", "occurredAt", "completedAt"),
    "event": (*_STAMPS, "occurredAt", "scheduledAt", "completedAt"),
}


_ITEM_FLAGS = {
    "trackedEntity": ("inactive", "deleted", "potentialDuplicate"),
    "enrollment": ("followUp", "deleted"),
    "event": ("followUp", "deleted", "followup"),
}


def _read_unkept_flags(raw: dict[str, Any], *names: str) -> None:
    """The `boolean`s of a view the import does not keep (`deleted` of a tracked entity,
    enrollment or event, an event's `followUp` and 2.41.9's `followup`, a relationship's
    `bidirectional`, a relationship item's flags): Jackson binds them all the same, so a value
    it cannot read as a boolean is the body's 400 (`_flag`)."""
    for name in names:
        _flag(raw.get(name))


def _read_unkept_users(raw: dict[str, Any]) -> None:
    """`createdBy` / `updatedBy` (`view/User` beans the import does not keep): read as
    `assignedUser` is, so a value that is no object is the body's 400."""
    for name in ("createdBy", "updatedBy"):
        _assigned_user(raw.get(name))


def _read_unkept_instants(raw: dict[str, Any], *names: str) -> None:
    """The `Instant`s of a view the import does not keep (the server's own stamps, `createdAt`,
    `updatedAt`, and those of a relationship item's object): Jackson binds them all the same,
    so an unreadable one is the body's 400 too."""
    for name in names:
        read_instant(raw.get(name))



def _flag(value: Any) -> bool:
    """A `boolean` field of the tracker views (`view/TrackedEntity#inactive`, `#potentialDuplicate`,
    `view/Enrollment#followUp`) as Jackson reads it (`view_scalars.flag`)."""
    try:
        return view_scalars.flag(value)
    except view_scalars.Refused as refused:
        raise PayloadError(f"JSON parse error: {refused}") from None


def _assigned_user(value: Any) -> dict[str, str | None] | None:
    """`view/Event#assignedUser`, a `view/User` bean (uid, username, firstName, surname,
    displayName), as Jackson's BeanDeserializer reads it: an object, or null; a bare string such
    as a username is no user but the parse error Spring answers with 400 (`binding.not_a_view`). The
    import mapper keeps the fields the release's `domain/User` has (the reporter prints them)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise PayloadError(f"JSON parse error: {not_a_view('User', value).original}")
    return {key: string_field(value.get(key)) for key in ("uid", "username", "firstName", "surname")}


def _enum(value: Any, default: str | None, constants: tuple[str, ...], klass: str) -> str | None:
    """An enum of the views (`status`: `org.hisp.dhis.event.EventStatus`, the release's
    EnrollmentStatus; an attribute's `valueType`) as `view_scalars.enum` binds it. A missing or
    null one is `default` (not modelled: a JSON null overwriting `@Builder.Default status =
    ACTIVE`)."""
    try:
        return view_scalars.enum(value, constants, klass) or default
    except view_scalars.Refused as refused:
        raise PayloadError(f"JSON parse error: {refused}") from None


def flatten(body: Any, typed_uids: bool, release: Release | None = None) -> Flattener:
    """`body` as `binding.bind` answers it, read as `release` (2.42 when none) reads it."""
    return Flattener(typed_uids, release or RELEASES["2.42"]).run(body)
