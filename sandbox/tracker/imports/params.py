"""`POST /api/tracker` parameters.

dhis2-core: `webapi/controller/tracker/imports/ImportRequestParams.java` (defaults: async true,
COMMIT, CREATE_AND_UPDATE, atomicMode ALL, reportMode ERRORS), bound as Spring binds a bean: the
parameters in name order (`ServletRequestParameterPropertyValues`, a TreeMap), every field
converted and the first refusal answered (`CrudControllerAdvice#handleBindException` →
`#handleTypeMismatchException`, 2.41.9 :252-287/:345-361, 2.42.5 and 2.43.1 :259-294/:353-369).
The enums go through `CrudControllerAdvice#initBinder`'s `ConvertEnum` (any case, untrimmed, an
empty value refused too: "Value 'x' is not valid for parameter y. Valid values are: [...]" with
the constants in declaration order, "y cannot be empty. …"). The id schemes go through
`IdSchemeParamEditor` (the same at 2.41.9, 2.42.5 and 2.43.1): no text → refused, `split(":")`,
`TrackerIdScheme#valueOf` of the first part (exact case, untrimmed), an `ATTRIBUTE:` part a valid
UID (`CodeGenerator#isValidUid`) and no more parts; a refusal's text is "Valid values are: [UID,
CODE, NAME, ATTRIBUTE:attributeUid]". The job's PARAMETERS notification shows
`TrackerImportParams` as Jackson writes it. The boolean flags bind as Spring binds a primitive
boolean (`StringToBooleanConverter`: true/on/yes/1, false/off/no/0) and a refusal reads like
`CrudControllerAdvice#handleTypeMismatchException` ("… It should be of type boolean", "x cannot
be empty." for an empty value). 2.41.9 has no `async` field: `TrackerImportController` maps
the sync import by `params = {"async=false"}` (`tracker_async_is_mapping_condition`).
Before binding, `WebDataBinder#doBind` reads `!name`, `_name` and `name[]` for the bean's
properties (`core/web_data_binder.py`, `bean_properties`): `!importStrategy=DELETE` and
`importStrategy[]=DELETE` are `importStrategy=DELETE`, `_skipRuleEngine` false. A marker gives
an enum null (`MARKER_NULLS`), which the import only compares (2.41.9, 2.42.5, 2.43.1):
`importMode` is then no `TrackerBundleMode.VALIDATE == …` (`DefaultTrackerBundleService`), so a
commit; `atomicMode` no `… == AtomicMode.ALL` (`DefaultTrackerImportService#exitOnError`), so
the valid objects are committed as under OBJECT; `validationMode` neither SKIP nor FAIL_FAST
(`DefaultValidationService`); `reportMode` neither WARNINGS nor FULL (`#buildImportReport`);
`flushMode` neither OBJECT nor AUTO (no flush of its own). The job's PARAMETERS show them null.
Not modelled: a marker's null `importStrategy` (`#importTracker` calls `isDelete()` on it) or
`idScheme` (its `TrackerIdSchemeParam` is dereferenced), read here as their defaults; the other
id schemes fall back to `idScheme` when null (`TrackerIdSchemeParams#get…IdScheme`), as absent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from scdi.sandbox.core import web_data_binder, webmessage
from scdi.sandbox.core.spring_params import convert_enum, java_blank, not_valid_value, spring_bool
from scdi.upstream.releases import Release

# The constants in declaration order (`tracker/imports/{TrackerBundleMode,TrackerImportStrategy,
# AtomicMode,FlushMode,ValidationMode,TrackerBundleReportMode}.java`, the same at the three tags),
# as `#getEnumErrorMessage` lists them.
ENUMS: dict[str, tuple[str, ...]] = {
    "importMode": ("COMMIT", "VALIDATE"),
    "importStrategy": ("CREATE", "UPDATE", "CREATE_AND_UPDATE", "DELETE"),
    "atomicMode": ("ALL", "OBJECT"),
    "flushMode": ("OBJECT", "AUTO"),
    "validationMode": ("FULL", "FAIL_FAST", "SKIP"),
    "reportMode": ("FULL", "ERRORS", "WARNINGS"),
}
ID_SCHEME_PARAMS = ("idScheme", "dataElementIdScheme", "orgUnitIdScheme", "programIdScheme",
                    "programStageIdScheme", "categoryOptionComboIdScheme",
                    "categoryOptionIdScheme")
FLAGS = ("async", "skipPatternValidation", "skipSideEffects", "skipRuleEngine")
ID_SCHEME_VALUES = "Valid values are: [UID, CODE, NAME, ATTRIBUTE:attributeUid]"
_VALID_UID = re.compile(r"[a-zA-Z][a-zA-Z0-9]{10}")


def _refused(name: str, raw: str, reason: str) -> webmessage.HttpError:
    """`#handleTypeMismatchException`: `#getNotValidValueMessage` then the reason."""
    return webmessage.fail(webmessage.error(400, f"{not_valid_value(name, raw)} {reason}"))


def bound_enum(name: str, raw: str) -> str:
    """`ConvertEnum#setAsText` (`convert_enum`), the text as given."""
    return convert_enum(name, raw, ENUMS[name])


def _java_split_colon(text: str) -> list[str]:
    """`String#split(":")`: the trailing empty parts dropped."""
    parts = text.split(":")
    while parts and parts[-1] == "":
        parts.pop()
    return parts


def bound_id_scheme(name: str, raw: str) -> str:
    """`IdSchemeParamEditor#setAsText`: "UID", "CODE", "NAME" or "ATTRIBUTE:<uid>"."""
    parts = [] if java_blank(raw) else _java_split_colon(raw)
    # Not modelled: a text of only colons, whose split is empty: the editor's
    # ArrayIndexOutOfBoundsException reaches #handleBindException as a MethodInvocationException
    # (Spring's own BindException text); answered here like any other refusal.
    scheme = parts[0] if parts else ""
    attribute = parts[1] if len(parts) > 1 else None
    valid = (scheme in ("UID", "CODE", "NAME", "ATTRIBUTE") and len(parts) <= 2
             and (attribute is None or _VALID_UID.fullmatch(attribute) is not None)
             and (scheme == "ATTRIBUTE") == (attribute is not None))
    if not valid:
        raise _refused(name, raw, ID_SCHEME_VALUES)
    return f"ATTRIBUTE:{attribute}" if attribute is not None else scheme


def spring_boolean(name: str, raw: str) -> bool:
    """A primitive boolean bean field as Spring's StringToBooleanConverter (and the
    CustomBooleanEditor it falls back to) reads it; the refusal is CrudControllerAdvice's."""
    try:
        value = spring_bool(raw)
    except ValueError:
        value = None
    if value is not None:
        return value
    raise _refused(name, raw, "It should be of type boolean")


def _scheme_json(scheme: str) -> dict[str, str | None]:
    """`TrackerIdSchemeParam` as Jackson writes it: the scheme and its attribute apart."""
    name, _, attribute = scheme.partition(":")
    return {"idScheme": name, "attributeUid": attribute or None}


@dataclass
class ImportParams:
    # None: the null a `_name` marker binds (`MARKER_NULLS`)
    importMode: str | None = "COMMIT"
    importStrategy: str = "CREATE_AND_UPDATE"
    atomicMode: str | None = "ALL"
    flushMode: str | None = "AUTO"
    validationMode: str | None = "FULL"
    reportMode: str | None = "ERRORS"
    async_: bool = True
    skipPatternValidation: bool = False
    skipSideEffects: bool = False
    skipRuleEngine: bool = False
    id_schemes: dict[str, str] = field(default_factory=dict)

    def job_parameters(self, user_uid: str) -> dict[str, Any]:
        """The PARAMETERS notification data (`TrackerImportParams` as Jackson writes it)."""
        schemes = {k: _scheme_json(self.id_schemes.get(k, self.id_schemes.get("idScheme", "UID")))
                   for k in ("dataElementIdScheme", "orgUnitIdScheme", "programIdScheme",
                             "programStageIdScheme", "idScheme", "categoryOptionComboIdScheme",
                             "categoryOptionIdScheme")}
        return {"userId": user_uid, "importMode": self.importMode, "idSchemes": schemes,
                "importStrategy": self.importStrategy, "atomicMode": self.atomicMode,
                "flushMode": self.flushMode, "validationMode": self.validationMode,
                "skipPatternValidation": self.skipPatternValidation,
                "skipSideEffects": self.skipSideEffects, "skipRuleEngine": self.skipRuleEngine,
                "filename": None, "reportMode": self.reportMode}


def bean_properties(release: Release) -> dict[str, web_data_binder.Empty]:
    """ImportRequestParams' properties (2.41.9, 2.42.5, 2.43.1; 2.41's without `async`) and
    their empty values: the flags false, the enums and id schemes null."""
    flags = [f for f in FLAGS if f != "async" or not release.tracker_async_is_mapping_condition]
    return {**dict.fromkeys((*ENUMS, *ID_SCHEME_PARAMS), web_data_binder.Empty.NULL),
            **dict.fromkeys(flags, web_data_binder.Empty.FALSE)}


# The enums whose marker null the import reads as an equality test that fails (module doc)
MARKER_NULLS = ("importMode", "atomicMode", "flushMode", "validationMode", "reportMode")


def parse_params(args: Any, release: Release, sent: Any = None) -> ImportParams:
    """The bean as bound from `args` (the parameters `web_data_binder.adapted` made of `sent`,
    the request's own): an enum `sent` marks and `args` does not hold is null."""
    params = ImportParams()
    for name in MARKER_NULLS:
        if sent is not None and web_data_binder.MARKER_PREFIX + name in sent and name not in args:
            setattr(params, name, None)
    names = [*ENUMS, *FLAGS, *ID_SCHEME_PARAMS]
    for name in sorted(names):
        raw = args.get(name)
        if raw is None:
            continue
        if name in ENUMS:
            setattr(params, name, bound_enum(name, raw))
        elif name in ID_SCHEME_PARAMS:
            params.id_schemes[name] = bound_id_scheme(name, raw)
        elif name == "async" and release.tracker_async_is_mapping_condition:
            # Not a bean field: Spring's params condition compares the first value as is.
            params.async_ = raw != "false"
        else:
            setattr(params, "async_" if name == "async" else name, spring_boolean(name, raw))
    return params
