"""The tracker validation frame: error reports, message rendering, `seq`, E5000 filtering.

Copies of dhis2-core (paths under `dhis-services/dhis-service-tracker/.../tracker/imports/`):
- `validation/Reporter.java`: an error marks its object invalid; warnings do not.
- `validation/validator/Seq.java`: validators of one object run in order and stop at the
  first that adds an error (`Validator.needsToRun(strategy)` skips some per strategy).
- `validation/MessageFormatter.java` + `validation/Error.java`: `message` renders metadata
  identifiers bare, `args` are the arguments' Java `toString()`
  (`MetadataIdentifier(idScheme=UID, identifier=…, attributeValue=null)`).
- `validation/PersistablesFilter.java`: children of invalid parents get E5000 (create/update,
  top-down); on DELETE only the objects' own errors count (bottom-up).
- checks every tracker type shares: `validator/*/ExistenceValidator.java`, the 2.41
  `UidValidator` (E1048), `ValidationUtils#validateGeometry` (E1074 / E1012).
Message templates per release are read from `data/tracker_messages.json` (extracted from
`ValidationCode.java` at tags 2.41.9, 2.42.5 and 2.43.1).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from scdi.sandbox.core.java_hash import string_hash
from scdi.sandbox.tracker import store as tracker_store
from scdi.sandbox.tracker.imports.view_scalars import is_uid
from scdi.sandbox.tracker.preheat import Preheat
from scdi.sandbox.tracker.validation.domain_text import (
    DomainText,
    identifier_text,
    instant_text,
    java_null,
    persisted_tracked_entity,
    timestamp_text,
)

TRACKED_ENTITY, ENROLLMENT, EVENT, RELATIONSHIP = "TRACKED_ENTITY", "ENROLLMENT", "EVENT", "RELATIONSHIP"
TYPES = (TRACKED_ENTITY, ENROLLMENT, EVENT, RELATIONSHIP)
# Validators every strategy but DELETE runs (`Validator#needsToRun`).
NOT_DELETE = ("CREATE", "UPDATE")
UID_KEY = {TRACKED_ENTITY: "trackedEntity", ENROLLMENT: "enrollment", EVENT: "event",
           RELATIONSHIP: "relationship"}
# TrackerType#getName, used in E5000 and relationship messages.
TYPE_NAME = {TRACKED_ENTITY: "trackedEntity", ENROLLMENT: "enrollment", EVENT: "event",
             RELATIONSHIP: "relationship"}
_JAVA_CLASS = {
    "programs": "Program", "programStages": "ProgramStage", "organisationUnits": "OrganisationUnit",
    "trackedEntityTypes": "TrackedEntityType", "trackedEntityAttributes": "TrackedEntityAttribute",
    "dataElements": "DataElement", "categoryOptions": "CategoryOption",
    "categoryOptionCombos": "CategoryOptionCombo", "relationshipTypes": "RelationshipType",
    "categoryCombos": "CategoryCombo", "users": "User",
}
_JAVA_PACKAGE = {
    "Program": "program", "ProgramStage": "program", "OrganisationUnit": "organisationunit",
    "TrackedEntityType": "trackedentity", "TrackedEntityAttribute": "trackedentity",
    "DataElement": "dataelement", "CategoryOption": "category", "CategoryOptionCombo": "category",
    "RelationshipType": "relationship", "CategoryCombo": "category", "User": "user",
}


@cache
def catalog(key: str) -> dict[str, str]:
    text = resources.files("scdi.sandbox").joinpath("data/tracker_messages.json").read_text("utf-8")
    data = json.loads(text)
    return dict(data[key])


def java_message_format(pattern: str, args: list[str]) -> str:
    """`java.text.MessageFormat.format`: `{n}` placeholders, `'…'` quoting, `''` a quote."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "'":
            if i + 1 < n and pattern[i + 1] == "'":
                out.append("'")
                i += 2
                continue
            end = pattern.find("'", i + 1)
            if end == -1:
                out.append(pattern[i + 1:])
                break
            out.append(pattern[i + 1:end])
            i = end + 1
            continue
        if ch == "{":
            end = pattern.find("}", i)
            index = pattern[i + 1:end].split(",")[0].strip()
            if end != -1 and index.isdigit():
                k = int(index)
                out.append(args[k] if k < len(args) else "{" + index + "}")
                i = end + 1
                continue
        out.append(ch)
        i += 1
    return "".join(out)


# -- message arguments ------------------------------------------------------------------------
@dataclass(frozen=True)
class Meta:
    """A payload metadata reference (`MetadataIdentifier`). The webapi mappers read each with
    the import's idScheme for its field (`MetadataIdentifierMapper`: orgUnitIdScheme,
    programStageIdScheme, dataElementIdScheme, …; `AttributeMapper` and the others idScheme),
    so without a `scheme` the reporter takes the one `kind` names."""

    identifier: str
    scheme: str | None = None
    kind: str = "idScheme"

    def message(self, formats_enums: bool) -> str:
        return self.identifier

    def arg(self) -> str:
        return identifier_text(self.identifier, self.scheme or "UID")


@dataclass(frozen=True)
class StoredMeta:
    """A stored metadata object the preheat hands over as a `MetadataIdentifier`
    (`TrackerIdSchemeParams#toMetadataIdentifier`, e.g. a mandatory attribute of E1018 and
    E1090): its identifier by the import's idScheme for its class, rendered as a payload one."""

    plural: str
    doc: dict[str, Any] = field(hash=False, compare=False)


def stored_attribute(p: Preheat, attr_uid: str) -> StoredMeta:
    """A mandatory attribute of a program or tracked entity type (E1018, E1090), as the preheat
    hands it over (`getMandatoryTrackedEntityTypeAttributes`, the program's attributes)."""
    return StoredMeta("trackedEntityAttributes",
                      p.by_uid("trackedEntityAttributes", attr_uid) or {"id": attr_uid})


@dataclass(frozen=True)
class Obj:
    """A stored metadata object (`BaseIdentifiableObject`)."""

    plural: str
    doc: dict[str, Any] = field(hash=False, compare=False)

    def message(self, formats_enums: bool) -> str:
        return str(self.doc.get("id"))

    def arg(self) -> str:
        cls = _JAVA_CLASS.get(self.plural, "BaseIdentifiableObject")
        pkg = _JAVA_PACKAGE.get(cls, "common")
        d = self.doc
        # BaseIdentifiableObject#toString; created/lastUpdated are java.sql.Timestamp as read
        # back from the database. Not modelled: `getId()`, the object's database key, which
        # the store does not keep (printed as 0).
        return ("{\"class\":\"class org.hisp.dhis." + pkg + "." + cls + "\", \"id\":\"0\", "
                f"\"uid\":\"{java_null(d.get('id'))}\", \"code\":\"{java_null(d.get('code'))}\", "
                f"\"name\":\"{java_null(d.get('name'))}\", \"created\":\"{timestamp_text(d.get('created'))}\", "
                f"\"lastUpdated\":\"{timestamp_text(d.get('lastUpdated'))}\" }}")


# TrackerIdSchemeParams#toMetadataIdentifier: the idScheme parameter per class of a stored
# object (2.41.9 tracker/imports/TrackerIdSchemeParams.java :104-174, 2.42.5 and 2.43.1
# tracker/TrackerIdSchemeParams.java :190-260); any other class reads `idScheme`.
_SCHEME_PARAM = {
    "categoryOptionCombos": "categoryOptionComboIdScheme",
    "categoryOptions": "categoryOptionIdScheme", "dataElements": "dataElementIdScheme",
    "organisationUnits": "orgUnitIdScheme", "programs": "programIdScheme",
    "programStages": "programStageIdScheme",
}


def scheme_identifier(doc: dict[str, Any], scheme: str) -> str:
    """TrackerIdSchemeParam#getIdentifier then MetadataIdentifier#getIdentifierOrAttributeValue:
    the uid, code, name or the scheme attribute's value; one the object lacks prints "null"
    (MessageFormat of a null argument)."""
    value: Any
    if scheme == "CODE":
        value = doc.get("code")
    elif scheme == "NAME":
        value = doc.get("name")
    elif scheme.startswith("ATTRIBUTE:"):
        attribute = scheme.split(":", 1)[1]
        value = next((av.get("value") for av in doc.get("attributeValues") or []
                      if isinstance(av, dict) and isinstance(av.get("attribute"), dict)
                      and av["attribute"].get("id") == attribute), None)
    else:
        value = doc.get("id")
    return "null" if value is None else str(value)


@dataclass(frozen=True)
class UserRef:
    """The importing user: 2.42+ a `UserDetails` (message its uid, `args` UserDetailsImpl's
    toString, `arg`); 2.41.9's TrackerBundle#getUser is a `User`, rendered as a stored object
    (`Reporter._render`). `doc` is the stored user."""

    uid: str
    username: str
    doc: dict[str, Any] | None = field(default=None, hash=False, compare=False)

    def message(self, formats_enums: bool) -> str:
        return self.uid

    def arg(self) -> str:
        # user/UserDetailsImpl.java (2.42.5, 2.43.1) declares no toString, nor Lombok's
        # @ToString: Object#toString, whose hashCode is Lombok's over the one included field,
        # `username` (59 + String#hashCode), in unsigned hex (`metadata/sharing_check.py` too)
        code = (59 + string_hash(self.username)) & 0xFFFFFFFF
        return f"org.hisp.dhis.user.UserDetailsImpl@{code:x}"


@dataclass(frozen=True)
class EnumArg:
    """A Java enum argument: 2.41's formatter renders it empty, 2.42+ its name."""

    name: str

    def message(self, formats_enums: bool) -> str:
        return self.name if formats_enums else ""

    def arg(self) -> str:
        return self.name


@dataclass(frozen=True)
class DtoRef:
    """A payload object (the `TrackedEntity`/`Enrollment`/`Event` domain object): the message
    shows its UID (`MessageFormatter#formatArgument`), `args` its Lombok `toString()`, which
    the reporter renders per release (`domain_text.py`). `tracker_type` SINGLE_EVENT is an
    event of a program without registration (2.43's `SingleEvent`)."""

    tracker_type: str
    obj: dict[str, Any] = field(hash=False, compare=False)

    def message(self, formats_enums: bool) -> str:
        return str(self.obj.get(UID_KEY.get(self.tracker_type, "event")))


@dataclass(frozen=True)
class StoredTrackedEntity:
    """The preheat's persisted `TrackedEntity` (E1015, E1016, E1100): the message shows its
    UID, `args` its own `toString()` (`domain_text.persisted_tracked_entity`)."""

    uid: str
    row: dict[str, Any] | None = field(hash=False, compare=False)
    org_unit: dict[str, Any] | None = field(hash=False, compare=False)
    tet: dict[str, Any] | None = field(hash=False, compare=False)

    def message(self, formats_enums: bool) -> str:
        return self.uid


@dataclass(frozen=True)
class InstantArg:
    """A `java.time.Instant` (stored form `yyyy-MM-ddTHH:mm:ss.SSS`, UTC): the message shows
    `DateUtils#toIso8601NoTz` (that same form, server time zone Etc/UTC), `args` carry
    `Instant#toString` (ISO-8601 with `Z`, the fraction left out when zero)."""

    stored: str

    def message(self, formats_enums: bool) -> str:
        return self.stored

    def arg(self) -> str:
        return instant_text(self.stored)


@dataclass(frozen=True)
class JavaObject:
    """Any other object: `args` carry its `toString()`; the message shows it from 2.42
    (`MessageFormatter#formatArgument` falls back to `toString()`) and nothing on 2.41
    (`StringUtils.EMPTY`)."""

    text: str

    def message(self, formats_enums: bool) -> str:
        return self.text if formats_enums else ""

    def arg(self) -> str:
        return self.text


def java_string(value: Any) -> str:
    """`String.valueOf` of a payload string field."""
    return "null" if value is None else str(value)


def attribute_arg(attribute: dict[str, Any], fields: tuple[str, ...]) -> JavaObject:
    """Lombok `@Data` toString of the tracker domain `Attribute` (`tracker/imports/domain/
    Attribute.java`: 2.41.9 attribute, code, displayName, createdAt, updatedAt, valueType,
    value; 2.42.5 attribute, storedBy, value; 2.43.1 attribute, value). The payload's code,
    displayName, dates and valueType are not kept by the sandbox, so they print null."""
    ident = attribute.get("attribute") or None
    parts = []
    for name in fields:
        if name == "attribute":
            parts.append(f"attribute=MetadataIdentifier(idScheme=UID, identifier="
                         f"{java_string(ident)}, attributeValue=null)")
        else:
            parts.append(f"{name}={java_string(attribute.get(name))}")
    return JavaObject(f"Attribute({', '.join(parts)})")


def _render(arg: Any, formats_enums: bool) -> tuple[str, str | None]:
    if arg is None:
        return "NULL", None
    if isinstance(arg, Meta | Obj | UserRef | EnumArg | InstantArg | JavaObject):
        return arg.message(formats_enums), arg.arg()
    if isinstance(arg, bool):  # Boolean#toString
        return str(arg).lower(), str(arg).lower()
    return str(arg), str(arg)


@dataclass(frozen=True)
class Issue:
    code: str
    tracker_type: str
    uid: str
    message: str
    # report/Error.java excludes args from equals (@EqualsAndHashCode.Exclude), so
    # ValidationReport#addErrorIfNotExisting compares without them.
    args: tuple[str | None, ...] = field(compare=False)

    def error_json(self) -> dict[str, Any]:
        return {"message": self.message, "errorCode": self.code, "trackerType": self.tracker_type,
                "uid": self.uid, "args": list(self.args)}

    def warning_json(self) -> dict[str, Any]:
        return {"message": self.message, "warningCode": self.code,
                "trackerType": self.tracker_type, "uid": self.uid}


class Reporter:
    """Collects errors and warnings; an object with an error is invalid."""

    def __init__(self, catalog_key: str, formats_enums: bool, include_args: bool = True,
                 attribute_fields: tuple[str, ...] = ("attribute", "storedBy", "value"),
                 domain_layout: str = "2.42",
                 scheme: Callable[[str], str] = lambda _kind: "UID") -> None:
        self.messages = catalog(catalog_key)
        self.formats_enums = formats_enums
        self.attribute_fields = attribute_fields
        self.include_args = include_args
        self.domain_layout = domain_layout
        self.domain = DomainText(domain_layout, lambda a: attribute_arg(a, attribute_fields).text,
                                 scheme)
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []
        # the warnings given before any error: all a FAIL_FAST validation collects
        self.warnings_before_errors: list[Issue] = []
        self.invalid: dict[str, set[str]] = {t: set() for t in TYPES}
        # Every addError call, an error already reported included: `Seq`'s WrappingReporter
        # marks the step failed on each (Reporter#addError keeps duplicates in its list, the
        # report drops them later), so a repeated error still stops the sequence.
        self.reported = 0

    def _render(self, arg: Any) -> tuple[str, str | None]:
        if isinstance(arg, DtoRef):
            return arg.message(self.formats_enums), self.domain.dto(arg.tracker_type, arg.obj)
        if isinstance(arg, UserRef) and self.domain_layout == "2.41":
            # 2.41.9: a `User`, so MessageFormatter's IdentifiableObject branch (idScheme) and
            # BaseIdentifiableObject#toString, whose name is User#getName (firstName + " " +
            # surname)
            doc = dict(arg.doc or {"id": arg.uid})
            doc["name"] = f"{java_null(doc.get('firstName'))} {java_null(doc.get('surname'))}"
            return scheme_identifier(doc, self.domain.scheme("idScheme")), Obj("users", doc).arg()
        if isinstance(arg, Meta) and arg.scheme is None:
            return _render(Meta(arg.identifier, self.domain.scheme(arg.kind)), self.formats_enums)
        if isinstance(arg, StoredMeta):
            scheme = self.domain.scheme(_SCHEME_PARAM.get(arg.plural, "idScheme"))
            return _render(Meta(scheme_identifier(arg.doc, scheme), scheme), self.formats_enums)
        if isinstance(arg, Obj):
            # MessageFormatter#formatArgument: a stored object by the import's idScheme for
            # its class
            scheme = self.domain.scheme(_SCHEME_PARAM.get(arg.plural, "idScheme"))
            return scheme_identifier(arg.doc, scheme), arg.arg()
        if isinstance(arg, StoredTrackedEntity):
            org_unit = Obj("organisationUnits", arg.org_unit).arg() if arg.org_unit else "null"
            tet = Obj("trackedEntityTypes", arg.tet).arg() if arg.tet else "null"
            return arg.uid, persisted_tracked_entity(self.domain_layout, arg.uid, arg.row,
                                                     org_unit, tet)
        return _render(arg, self.formats_enums)

    def _issue(self, code: str, tracker_type: str, uid: str, args: tuple[Any, ...]) -> Issue:
        rendered = [self._render(a) for a in args]
        template = self.messages.get(code, code)
        message = java_message_format(template, [m for m, _ in rendered])
        return Issue(code, tracker_type, uid, message, tuple(a for _, a in rendered))

    def error(self, tracker_type: str, uid: str, code: str, *args: Any) -> None:
        issue = self._issue(code, tracker_type, uid, args)
        if issue not in self.errors:  # ValidationReport#addErrorIfNotExisting
            self.errors.append(issue)
        self.invalid[tracker_type].add(uid)
        self.reported += 1

    def warning(self, tracker_type: str, uid: str, code: str, *args: Any) -> None:
        issue = self._issue(code, tracker_type, uid, args)
        if issue not in self.warnings:
            self.warnings.append(issue)
            if not self.reported:
                self.warnings_before_errors.append(issue)

    def is_invalid(self, tracker_type: str, uid: str | None) -> bool:
        return uid is not None and uid in self.invalid[tracker_type]

    def error_count(self) -> int:
        return len(self.errors)


class Check:
    """One step of a `seq`: `run(reporter)` adds issues; strategies limit where it runs."""

    def __init__(self, fn: Any, strategies: tuple[str, ...] | None = None) -> None:
        self.fn = fn
        self.strategies = strategies


def run_seq(reporter: Reporter, strategy: str, steps: list[Check]) -> None:
    """`Seq#validate`: stop after the first step that reported an error (`WrappingReporter`
    #addError sets `validationFailed` on every call, a duplicate of an earlier error too:
    2.41.9 / 2.42.5 / 2.43.1 `validator/Seq.java`)."""
    for step in steps:
        if step.strategies is not None and strategy not in step.strategies:
            continue
        before = reporter.reported
        step.fn()
        if reporter.reported > before:
            return


def e5000(reporter: Reporter, child_type: str, child_uid: str, parent_type: str,
          parent_uid: str) -> Issue:
    """`PersistablesFilter#error`: formatted with plain MessageFormat, args as given."""
    args = [TYPE_NAME[child_type], child_uid, TYPE_NAME[parent_type], parent_uid]
    message = java_message_format(reporter.messages["E5000"], args)
    return Issue("E5000", child_type, child_uid, message, tuple(args))


def filter_persistables(
    reporter: Reporter, payload: dict[str, list[dict[str, Any]]], strategy: str,
    exists: Any, single_event: Any = None,
    invalid: Callable[[str, str | None], bool] | None = None,
) -> tuple[dict[str, list[dict[str, Any]]], list[Issue]]:
    """`PersistablesFilter#filter`: what may be written, plus E5000 for children of invalid parents.

    `exists(type, uid)` tells whether a parent is already stored (`TrackerPreheat#exists`).
    `single_event(event)` tells whether an event is a 2.43.1 `SingleEvent`, which has no parent
    (2.43.1 `PersistablesFilter.SINGLE_EVENT_PARENTS` is empty). `invalid(type, uid)` replaces
    the reporter's invalid objects (`Reporter#getInvalidDTOs`), e.g. the one a FAIL_FAST
    validation stopped at.
    """
    is_invalid = invalid or reporter.is_invalid
    keep: dict[str, list[dict[str, Any]]] = {t: [] for t in TYPES}
    extra: list[Issue] = []
    if strategy == "DELETE":
        for t in (RELATIONSHIP, EVENT, ENROLLMENT, TRACKED_ENTITY):
            keep[t] = [o for o in payload[t] if not is_invalid(t, o[UID_KEY[t]])]
        return keep, extra
    marked: dict[str, set[str]] = {t: set() for t in TYPES}

    def parents(t: str, obj: dict[str, Any]) -> list[tuple[str, str | None]]:
        if t == ENROLLMENT:
            return [(TRACKED_ENTITY, obj.get("trackedEntity"))]
        if t == EVENT:
            if single_event is not None and single_event(obj):
                return []
            return [(ENROLLMENT, obj.get("enrollment"))]
        if t == RELATIONSHIP:
            out = []
            for side in ("from", "to"):
                item = obj.get(side) or {}
                for kind, ptype in (("trackedEntity", TRACKED_ENTITY), ("enrollment", ENROLLMENT),
                                    ("event", EVENT)):
                    if item.get(kind):
                        out.append((ptype, item[kind]))
                        break
            return out
        return []

    for t in TYPES:
        for obj in payload[t]:
            uid = obj[UID_KEY[t]]
            if is_invalid(t, uid):
                continue
            ps = parents(t, obj)
            if all(p in marked[pt] or exists(pt, p) for pt, p in ps):
                marked[t].add(uid)
                keep[t].append(obj)
                continue
            for pt, p in ps:
                if is_invalid(pt, p):
                    extra.append(e5000(reporter, t, uid, pt, p or ""))
    return keep, extra


@dataclass
class Bundle:
    """What validators see (`TrackerBundle` + `TrackerPreheat`): payload, strategies, user."""

    store: Any
    preheat: Any
    user: Any
    reporter: Reporter
    import_strategy: str
    payload: dict[str, list[dict[str, Any]]]
    typed_uids: bool = True
    # ValidationUtils#validateImage's inverted condition (2.41.9, 2.42.5).
    image_check_inverted: bool = False
    # releases.Release.regex_word_boundary_ascii (2.43.1's JDK 21).
    regex_word_boundary_ascii: bool = False
    # EventPersister#logFieldChanges (2.42.5, 2.43.1).
    event_field_change_logs: bool = False
    # 2.43.1 ParamsConverter#buildSingleEvents: events of programs without registration
    # carry no enrollment (releases.Release.tracker_single_events).
    single_events: bool = False
    # releases.Release.tracker_security_split (2.43.1).
    security_split: bool = False
    # releases.Release.tracker_event_validators_split (2.43.1).
    event_validators_split: bool = False
    # releases.Release.tracker_event_expiry: how DateValidator checks expired events.
    event_expiry: str = "payload_completed_at"
    # releases.Release.tracker_change_logs_opt_in (2.43.1).
    change_logs_opt_in: bool = False
    # releases.Release.tracker_repeated_events_checks_invalid (2.41.9).
    repeated_events_checks_invalid: bool = False
    # releases.Release.tracker_enrollment_option_combo (2.43.1).
    enrollment_option_combo: bool = False
    # releases.Release.tracker_enrollment_dates_null_arg (2.41.9).
    enrollment_dates_null_arg: bool = False
    # releases.Release.tracker_e1313_event_arg (2.41.9).
    e1313_event_arg: bool = False
    # releases.Release.tracker_stored_by.
    stored_by: str = "importer_every_write"
    # releases.Release.tracker_enrollment_completed_at_from_payload (2.42.5, 2.43.1).
    enrollment_completed_at_from_payload: bool = False
    # releases.Release.tracker_data_value_stamps.
    data_value_stamps: str = "payload_updated_at"
    # releases.Release.tracker_attribute_change_logs_need_audit_log (2.41.9).
    attribute_change_logs_need_audit_log: bool = True
    # releases.Release.tracker_new_null_attribute_saved (2.41.9, 2.42.5).
    new_null_attribute_saved: bool = False
    # releases.Release.tracker_note_stored_by_user (2.41.9, 2.43.1).
    note_stored_by_user: bool = True
    # releases.Release.tracker_search_scope_adds_capture_units (2.42.5, 2.43.1).
    search_scope_adds_capture_units: bool = True
    # releases.Release.tracker_event_update_unassigns_old_file (2.42.5, 2.43.1).
    event_update_unassigns_old_file: bool = True
    # releases.Release.tracker_blank_data_value_written (2.41.9)
    blank_data_value_written: bool = False
    # releases.Release.tracker_data_value_provided_elsewhere_written (2.42.5, 2.43.1)
    data_value_provided_elsewhere_written: bool = True
    # releases.Release.tracker_stored_value_leaves_reserved_pool (2.42.5)
    stored_value_leaves_reserved_pool: bool = False
    # The usernames `TrackerPreheat#getUserByUsername` can answer (`values.preheated_usernames`);
    # None when not gathered.
    usernames: frozenset[str] | None = None
    strategies: dict[tuple[str, str], str] = field(default_factory=dict)
    # Tracked entities whose updatedAt must be bumped after commit.
    touched: set[str] = field(default_factory=set)
    # Payload objects by a field, for `find` and `payload_with`: validators look objects up once
    # per object, and a scan of the payload each time made an import quadratic in its size.
    # Keyed by (type, field); rebuilt when the type's list is replaced or changes length.
    _index: dict[tuple[str, str], tuple[list[dict[str, Any]], int, dict[Any, list[dict[str, Any]]]]] = \
        field(default_factory=dict, repr=False)

    def strategy(self, tracker_type: str, uid: str) -> str:
        return self.strategies.get((tracker_type, uid), self.import_strategy)

    def payload_with(self, tracker_type: str, key: str, value: Any) -> list[dict[str, Any]]:
        """The payload objects of a type whose `key` is `value`, in payload order."""
        objs = self.payload[tracker_type]
        cached = self._index.get((tracker_type, key))
        if cached is None or cached[0] is not objs or cached[1] != len(objs):
            groups: dict[Any, list[dict[str, Any]]] = {}
            for o in objs:
                groups.setdefault(o.get(key), []).append(o)
            cached = (objs, len(objs), groups)
            self._index[(tracker_type, key)] = cached
        return cached[2].get(value, [])

    def find(self, tracker_type: str, uid: str | None) -> dict[str, Any] | None:
        if uid is None:
            return None
        found = self.payload_with(tracker_type, UID_KEY[tracker_type], uid)
        return found[0] if found else None

    def store_get(self, kind: str, uid: str | None) -> dict[str, Any] | None:
        """A stored tracked entity / enrollment / event (`TrackerPreheat#get…`)."""
        return tracker_store.get(self.store, kind, uid) if uid else None

    def unique_holders(self, attribute: str, value: str) -> list[dict[str, Any]]:
        return tracker_store.unique_value_holders(self.store, attribute, value)

    def user_ref(self) -> UserRef:
        return UserRef(self.user.uid, self.user.username,
                       self.store.get_object("users", self.user.uid))


def check_existence(reporter: Any, tracker_type: str, uid: str, stored: dict[str, Any] | None,
                    strategy: str, deleted: str, exists: str, missing: str) -> None:
    """The `ExistenceValidator` of tracked entities, enrollments and events (each in its
    package under `tracker/imports/validation/validator/`): a soft-deleted UID can never be
    used again, CREATE needs a new UID, UPDATE and DELETE an existing one."""
    if stored and stored["deleted"]:
        reporter.error(tracker_type, uid, deleted, uid)
    elif stored and strategy == "CREATE":
        reporter.error(tracker_type, uid, exists, uid)
    elif not stored and strategy in ("UPDATE", "DELETE"):
        reporter.error(tracker_type, uid, missing, uid)


def check_uid(b: Bundle, tracker_type: str, obj: dict[str, Any]) -> None:
    """2.41 `UidValidator` → `ValidationUtils#checkUidFormat` (E1048): args the uid, the
    object (a relationship's validator passes its uid instead) and the uid again; enrollments
    and events also check their notes' uids (`#validateNotesUid`, the note as second arg).
    The four UidValidators keep `Validator#needsToRun`'s default (2.41.9 `Validator.java`
    :56-58, `strategy != DELETE`), so their steps carry `NOT_DELETE` and a DELETE meets the
    ExistenceValidator's "do not exist" instead."""
    if b.typed_uids:
        return
    uid = obj[UID_KEY[tracker_type]]
    if not is_uid(uid):
        second = uid if tracker_type == RELATIONSHIP else DtoRef(tracker_type, obj)
        b.reporter.error(tracker_type, uid, "E1048", uid, second, uid)
    if tracker_type in (ENROLLMENT, EVENT):
        for note in obj.get("notes") or []:
            if not is_uid(note.get("note")):
                b.reporter.error(tracker_type, uid, "E1048", note.get("note"),
                                 JavaObject(b.reporter.domain.note(note)), note.get("note"))


def geometry(b: Bundle, tracker_type: str, uid: str, geo: Any, feature_type: str | None) -> None:
    """`ValidationUtils#validateGeometry` (E1074 / E1012)."""
    if not geo:
        return
    if not feature_type:
        b.reporter.error(tracker_type, uid, "E1074")
        return
    geo_type = str(geo.get("type", "")).upper() if isinstance(geo, dict) else ""
    if feature_type == "NONE" or feature_type != geo_type:
        b.reporter.error(tracker_type, uid, "E1012", feature_type)
