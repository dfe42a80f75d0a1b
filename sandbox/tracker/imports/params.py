"""`POST /api/tracker` parameters.

dhis2-core (2.42.5): `webapi/controller/tracker/imports/ImportRequestParams.java` (defaults:
async true, COMMIT, CREATE_AND_UPDATE, atomicMode ALL, reportMode ERRORS; enums case-insensitive);
an unknown enum value answers 400 like `CrudControllerAdvice` ("Value 'x' is not valid for
parameter y. Valid values are: [...]"); the job's PARAMETERS notification shows
`TrackerImportParams` as Jackson writes it. The boolean flags bind as Spring binds a primitive
boolean (`StringToBooleanConverter`: true/on/yes/1, false/off/no/0) and a refusal reads like
`CrudControllerAdvice#handleTypeMismatchException` ("… It should be of type boolean", "x cannot
be empty." for an empty value). 2.41.9 has no `async` field: `TrackerImportController` maps
the sync import by `params = {"async=false"}` (`tracker_async_is_mapping_condition`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scdi.sandbox.core import webmessage
from scdi.sandbox.core.spring_params import spring_bool
from scdi.upstream.releases import Release

ENUMS: dict[str, tuple[str, ...]] = {
    "importMode": ("COMMIT", "VALIDATE"),
    "importStrategy": ("CREATE_AND_UPDATE", "CREATE", "UPDATE", "DELETE"),
    "atomicMode": ("ALL", "OBJECT"),
    "flushMode": ("AUTO", "OBJECT"),
    "validationMode": ("FULL", "FAIL_FAST", "SKIP"),
    "reportMode": ("ERRORS", "WARNINGS", "FULL"),
}
ID_SCHEME_PARAMS = ("idScheme", "dataElementIdScheme", "orgUnitIdScheme", "programIdScheme",
                    "programStageIdScheme", "categoryOptionComboIdScheme",
                    "categoryOptionIdScheme")
FLAGS = ("async", "skipPatternValidation", "skipSideEffects", "skipRuleEngine")


def bad_param(name: str, value: str, allowed: tuple[str, ...]) -> webmessage.HttpError:
    return webmessage.fail(webmessage.error(
        400, f"Value '{value}' is not valid for parameter {name}. "
             f"Valid values are: [{', '.join(allowed)}]"))


def spring_boolean(name: str, raw: str) -> bool:
    """A primitive boolean bean field as Spring's StringToBooleanConverter (and the
    CustomBooleanEditor it falls back to) reads it; the refusal is CrudControllerAdvice's."""
    try:
        value = spring_bool(raw)
    except ValueError:
        value = None
    if value is not None:
        return value
    start = f"{name} cannot be empty." if raw == "" else \
        f"Value '{raw}' is not valid for parameter {name}."
    raise webmessage.fail(webmessage.error(400, f"{start} It should be of type boolean"))


@dataclass
class ImportParams:
    importMode: str = "COMMIT"
    importStrategy: str = "CREATE_AND_UPDATE"
    atomicMode: str = "ALL"
    flushMode: str = "AUTO"
    validationMode: str = "FULL"
    reportMode: str = "ERRORS"
    async_: bool = True
    skipPatternValidation: bool = False
    skipSideEffects: bool = False
    skipRuleEngine: bool = False
    id_schemes: dict[str, str] = field(default_factory=dict)

    def job_parameters(self, user_uid: str) -> dict[str, Any]:
        """The PARAMETERS notification data (`TrackerImportParams` as Jackson writes it)."""
        schemes = {k: {"idScheme": self.id_schemes.get(k, self.id_schemes.get("idScheme", "UID")),
                       "attributeUid": None}
                   for k in ("dataElementIdScheme", "orgUnitIdScheme", "programIdScheme",
                             "programStageIdScheme", "idScheme", "categoryOptionComboIdScheme",
                             "categoryOptionIdScheme")}
        return {"userId": user_uid, "importMode": self.importMode, "idSchemes": schemes,
                "importStrategy": self.importStrategy, "atomicMode": self.atomicMode,
                "flushMode": self.flushMode, "validationMode": self.validationMode,
                "skipPatternValidation": self.skipPatternValidation,
                "skipSideEffects": self.skipSideEffects, "skipRuleEngine": self.skipRuleEngine,
                "filename": None, "reportMode": self.reportMode}


def parse_params(args: Any, release: Release) -> ImportParams:
    params = ImportParams()
    for name, allowed in ENUMS.items():
        raw = args.get(name)
        if raw is None or raw == "":
            continue
        value = raw.strip().upper()
        if value not in allowed:
            raise bad_param(name, raw, allowed)
        setattr(params, name, value)
    for name in FLAGS:
        raw = args.get(name)
        if raw is None:
            continue
        if name == "async" and release.tracker_async_is_mapping_condition:
            # Not a bean field: Spring's params condition compares the first value as is.
            params.async_ = raw != "false"
            continue
        setattr(params, "async_" if name == "async" else name, spring_boolean(name, raw))
    for name in ID_SCHEME_PARAMS:
        raw = args.get(name)
        if not raw:
            continue
        value = raw.strip()
        upper = value.upper()
        if upper in ("UID", "CODE", "NAME"):
            params.id_schemes[name] = upper
        elif upper.startswith("ATTRIBUTE:") and len(value) == len("ATTRIBUTE:") + 11:
            params.id_schemes[name] = "ATTRIBUTE:" + value.split(":", 1)[1]
        else:
            raise bad_param(name, raw, ("UID", "CODE", "NAME", "ATTRIBUTE"))
    return params
