"""A metadata bundle as the validation checks see it: its items, per-type results, the
preheat (payload and store lookups) and the error reports.

dhis2-core 2.42.5, `dhis-services/dhis-service-dxf2/.../dxf2/metadata/`:
- messages: `dhis-api/.../feedback/ErrorCode.java`; identifiers in messages: `preheat.py`;
- error reports: `dhis-api/.../feedback/ErrorReport.java` (errorProperties are the message
  args).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scdi.sandbox.core.store import Store
from scdi.sandbox.core.users import User
from scdi.sandbox.metadata import hooks as metadata_hooks
from scdi.sandbox.metadata.registry import TypeInfo
from scdi.upstream.releases import DEFAULT_MINOR, RELEASES

MESSAGES = {
    "E1106": "There are duplicate translation records for property `{0}` and locale `{1}` on "
             "{2} `{3}`",
    "E1107": "Object type `{0}` is not translatable",
    # collection endpoints (access/routes.py)
    "E1108": "Could not add item to collection: {0}",
    "E1109": "Could not remove item from collection: {0}",
    "E3000": "User `{0}` is not allowed to create objects of type {1}",
    "E3001": "User `{0}` is not allowed to update object `{1}`",
    "E3002": "User `{0}` is not allowed to delete object `{1}`",
    "E3006": "User `{0}` is not allowed to externalize objects of type `{1}`",
    "E3008": "User `{0}` is not allowed to make public objects of type `{1}`",
    "E3009": "User `{0}` is not allowed to make private objects of type `{1}`",
    "E3010": "Invalid access string `{0}`",
    "E3011": "Data sharing is not enabled for type `{0}`, but access strings contain data "
             "sharing read or write",
    "E4000": "Missing required property `{0}`",
    "E4001": "Maximum length of property `{0}`is {1}, but given length was {2}",
    "E4002": "Allowed length range for property `{0}` is [{1} to {2}], but given length was {3}",
    "E4003": "Property `{0}` requires a valid email address, was given `{1}`",
    "E4004": "Property `{0}` requires a valid URL, was given `{1}`",
    "E4005": "Property `{0}` requires a valid password, `{1}`",
    "E4006": "Property `{0}` requires a valid HEX color, was given `{1}`",
    "E4009": "Attribute `{0}` is unique, and value `{1}` already exist",
    "E4011": "Attribute `{0}` is required, but no value was found",
    "E4014": "Invalid UID `{0}` for property `{1}`",
    "E4061": "DashboardItem `{0}` object reference `{1}` with id `{2}` not found",
    "E4069": "DashboardItem `{0}` object reference `{1}` with id `{2}` not accessible",
    "E4070": "Dashboard `{0}` has a layout with more than 60 columns. `{1}` columns found",
    "E5000": "Found matching object for reference, but import mode is CREATE. "
             "Identifier was {0}, and object was {1}.",
    "E5001": "No matching object for reference. Identifier was {0}, and object was {1}.",
    "E5002": "Invalid reference {0} on object {1} for association `{2}`",
    "E5003": "Property `{0}` with value `{1}` on object {2} already exists on object {3}",
    "E5004": "Id `{0}` for type `{1}` exists on more than 1 object in the payload, "
             "removing all but the first found",
    "E5005": "Properties `{0}` in objects `{1}` must be unique within the payload",
    "E5006": "Non-owner reference {0} on object {1} for association `{2}` disallowed for "
             "payload for ERRORS_NOT_OWNER",
    "E5007": "Duplicate reference {0} on object {1} for association `{2}`",
    "E6023": "Type `{0}` cannot be imported via metadata",
    "E5008": "READ access is required for reference {0} on object {1} for association `{2}`",
    # attribute values (attribute_values.py)
    "E6004": "Attribute `{0}` has invalid GeoJSON value",
    "E6005": "Attribute `{0}` has unsupported GeoJSON value",
    "E6006": "AttributeValue `{0}` is an invalid integer value",
    "E6007": "AttributeValue `{0}` is an invalid positive integer value",
    "E6008": "AttributeValue `{0}` is an invalid number value",
    "E6009": "AttributeValue `{0}` is an invalid zero or positive integer value",
    "E6010": "AttributeValue `{0}` is an invalid percentage value",
    "E6011": "AttributeValue `{0}` is an invalid Unit Interval value",
    "E6012": "Attribute `{0}` is not assigned to `{1}`",
    "E6013": "AttributeValue `{0}` is an invalid negative integer value",
    "E6014": "AttributeValue `{0}` is an invalid date value",
    "E6015": "AttributeValue `{0}` is an invalid datetime value",
    "E6016": "AttributeValue `{0}` is an invalid boolean value",
    "E6017": "AttributeValue `{0}` is an invalid true value",
    "E6018": "AttributeValue `{0}` is an invalid email value",
    "E6019": "AttributeValue `{0}` is an invalid `{1}` ID",
    "E6020": "AttributeValue `{0}` is an invalid username",
    "E6021": "AttributeValue `{0}` is an invalid phone number",
}
MESSAGES.update(metadata_hooks.MESSAGES)


def error_code_rank(code: str) -> float:
    """Where `code` is declared in `dhis-api/.../feedback/ErrorCode.java` (2.41.9 = 2.42.5 =
    2.43.1 for the codes here): numeric order, except E4054, E4056, E4055 declared before
    E4050 and E4089–E4092 right after E4059."""
    number = int(code[1:]) if code[1:].isdigit() else 0
    if 4089 <= number <= 4092:
        return 4059 + (number - 4088) / 10
    if number in (4054, 4056, 4055):
        return 4049 + (4054, 4056, 4055).index(number) / 10 + 0.1
    return float(number)


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def error_report(code: str, main_klass: str, args: list[Any], *, main_id: str | None = None,
                 error_klass: str | None = None, error_property: str | None = None,
                 value: Any = None, properties: list[Any] | None = None,
                 message_args: list[Any] | None = None) -> dict[str, Any]:
    """ErrorReport JSON (feedback/ErrorReport.java): errorProperties are the message args
    (`properties` where Jackson writes an arg otherwise than its `toString`, `message_args`
    where MessageFormat formats it otherwise, as for dates). A null arg stays null in `args`
    and `errorProperties` (ErrorMessage and ErrorReport keep nulls) and MessageFormat writes
    it "null"."""
    text_args = [None if a is None else _fmt(a) for a in args]
    message = MESSAGES[code]
    for i, arg in enumerate([None if a is None else _fmt(a) for a in message_args]
                              if message_args else text_args):
        message = message.replace("{" + str(i) + "}", "null" if arg is None else arg)
    out: dict[str, Any] = {"message": message, "mainKlass": main_klass}
    if main_id:
        out["mainId"] = main_id
    if error_klass:
        out["errorKlass"] = error_klass
    if error_property:
        out["errorProperty"] = error_property
    out["errorProperties"] = list(text_args) if properties is None else list(properties)
    out["errorCode"] = code
    out["args"] = list(text_args)
    if value is not None:
        out["value"] = value
    return out


@dataclass
class Item:
    info: TypeInfo
    index: int
    obj: dict[str, Any]
    uid: str
    existing: dict[str, Any] | None
    removed: bool = False
    errors: list[dict[str, Any]] = field(default_factory=list)
    # the payload gave the uid (not the store's by code, nor a generated one): what the
    # preheat's reference collection sees of the object itself
    given_uid: bool = True

    @property
    def persisted(self) -> bool:
        return self.existing is not None


@dataclass
class TypeResult:
    info: TypeInfo
    created: int = 0
    updated: int = 0
    deleted: int = 0
    ignored: int = 0
    reports: dict[int, dict[str, Any]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.deleted + self.ignored

    def report(self, item: Item, errors: list[dict[str, Any]], removal: bool,
               named: bool = True) -> None:
        """`named`: the check's ObjectReport carries the object's display name
        (ValidationUtils#createObjectReport); the first report of an index keeps its own
        (TypeReport#addObjectReport, ObjectReport#merge)."""
        fresh: dict[str, Any] = {"klass": self.info.klass, "index": item.index, "uid": item.uid}
        if named:
            fresh["displayName"] = item.obj.get("displayName") or item.obj.get("name")
        entry = self.reports.setdefault(item.index, {**fresh, "errorReports": []})
        entry["errorReports"].extend(errors)
        # ObjectReport keeps its reports in an EnumMap by ErrorCode: they come out in the
        # enum's declaration order, then in the order they were added.
        entry["errorReports"].sort(key=lambda e: error_code_rank(e["errorCode"]))
        item.errors.extend(errors)
        if removal:
            self.ignored += 1
            item.removed = True

    def report_at_first(self, item: Item, errors: list[dict[str, Any]], removal: bool) -> None:
        """`new ObjectReport(klass, 0, uid)` (DashboardCheck)."""
        self.report_at(0, item, errors, removal, uid=item.uid)

    def report_at(self, index: int, item: Item, errors: list[dict[str, Any]], removal: bool,
                  uid: str | None = None, display_name: str | None = None) -> None:
        """An ObjectReport a check builds with its own index (and no uid, or the one given, and
        a display name when given): `TypeReport#addObjectReport` merges it into whatever report
        has that index, which keeps its own uid and name; each such report counts one ignored
        (`ObjectValidationCheck#check`). Jackson writes klass, index, uid, displayName, then
        errorReports (ObjectReport's fields in declaration order)."""
        fresh: dict[str, Any] = {"klass": self.info.klass, "index": index}
        if uid is not None:
            fresh["uid"] = uid
        if display_name is not None:
            fresh["displayName"] = display_name
        entry = self.reports.setdefault(index, {**fresh, "errorReports": []})
        entry["errorReports"].extend(errors)
        entry["errorReports"].sort(key=lambda e: error_code_rank(e["errorCode"]))
        item.errors.extend(errors)
        self.ignored += 1
        if removal:
            item.removed = True


class Context:
    """Preheat: payload objects by type and identifier, plus store lookups."""

    def __init__(self, store: Store, user: User, minor: str, identifier: str,
                 items: list[Item], strategy: str = "CREATE_AND_UPDATE") -> None:
        self.store = store
        self.user = user
        self.minor = minor
        self.release = RELEASES.get(minor) or RELEASES[DEFAULT_MINOR]
        self.identifier = identifier
        self.strategy = strategy  # ObjectBundle#getImportMode, which some hooks read
        self.items = items
        self.payload: dict[str, dict[str, dict[str, Any]]] = {}
        for item in items:
            bucket = self.payload.setdefault(item.info.plural, {})
            key = item.obj.get("code") if identifier == "CODE" else item.uid
            if key:
                bucket[key] = item.obj
            bucket.setdefault(item.uid, item.obj)
        self.uniqueness: dict[tuple[str, str], dict[Any, str | None]] = {}
        # whether the preheat of an import by CODE also loads the UID references (validation.py)
        self.uid_preheat: bool | None = None

    def resolve(self, plural: str, ref: dict[str, Any]) -> dict[str, Any] | None:
        key = ref.get("code") if self.identifier == "CODE" else ref.get("id")
        if key is None and self.identifier == "CODE":
            key = ref.get("id")
        if not key:
            return None
        found = self.payload.get(plural, {}).get(key)
        if found is not None:
            return found
        if self.identifier == "CODE" and "code" in ref:
            return self.store.find_by_code(plural, key)
        return self.store.get_object(plural, key)
