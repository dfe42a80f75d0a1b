"""Identity: UIDs, codes and names, the handles DHIS2 and people find objects by.

DHIS2 rules: UID `^[a-zA-Z][a-zA-Z0-9]{10}$` (common/CodeGenerator.java); `id` and `code` are
unique per type and `name`/`shortName` where the type's hbm mapping says so (E5003,
dxf2/metadata/objectbundle/validation/UniquenessCheck.java), at the target release (2.42 makes a
tracked entity type's `shortName` unique). Package practice (DHIS2's package validator
ALL-MQ-18): the codes of dashboards, data sets, programs, indicator, data element, predictor
and validation rule groups, user groups and options are upper-case letters, digits and `_`
(options may also hold `-`, `.` and `|`); a warning on a third-party package. Our own package
holds every code to that (a house rule: `SCDI_…` codes), as errors.
"""

from __future__ import annotations

import re
from collections import defaultdict

from scdi.connector.findings import Finding, Severity
from scdi.connector.metadata.facts import type_facts
from scdi.connector.metadata.index import (
    DEFAULT_CATEGORY_UIDS,
    UID_RE,
    Obj,
    PackageIndex,
    ref_id,
    schema_index,
)

CODE_RE = re.compile(r"^[0-9A-Z_]+$")
# The types ALL-MQ-18 names (dhis2-metadata package validator); other types' codes (a
# category option `P0Y--P15Y`) are free.
CODE_PRACTICE_TYPES = frozenset({
    "dashboard", "dataSet", "program", "indicatorGroup", "dataElementGroup", "predictorGroup",
    "validationRuleGroup", "userGroup", "option",
})
OPTION_CODE_RE = re.compile(r"^[0-9A-Z_|\-.]+$")
# Generic limits for types without a published schema (BaseIdentifiableObject /
# BaseNameableObject hbm: name 230, shortName 50, code 50).
GENERIC_LIMITS = {"name": 230, "shortName": 50, "code": 50}


# Objects whose names are only shown within their parent: a section within its stage or data
# set, a category option combo within its combo (DHIS2's uniqueness is per parent there).
SCOPES = {"programStageSection": ("programStage",), "programSection": ("program",),
          "programStage": ("program",), "programRule": ("program",), "section": ("dataSet",),
          "categoryOptionCombo": ("categoryCombo",)}


def _unique_properties(type_name: str, release: str | None = None) -> set[str]:
    facts = type_facts(type_name, release)
    if facts is not None:
        return set(facts.unique)
    known = schema_index()["types"].get(type_name)
    return set(known["unique"]) if known else {"id", "code"}


def check_identity(index: PackageIndex, *, strict: bool = False, release: str | None = None) -> list[Finding]:
    """`strict`: our own package (every code follows the practice, as errors); `release`:
    the DHIS2 version whose uniqueness rules apply."""
    findings: list[Finding] = []
    findings += _uids(index)
    findings += _codes(index, strict=strict)
    findings += _names(index, release)
    findings += _generic_lengths(index)
    return findings


def _uids(index: PackageIndex) -> list[Finding]:
    findings: list[Finding] = []
    for obj in index.top_level():
        uid = obj.data.get("id")
        if uid is None:
            findings.append(index.finding(
                Severity.ERROR, "identity.uid-missing",
                "no UID: DHIS2 would make a new one on every import, so an upgrade would "
                "create a copy instead of updating the object", obj, "id"))
        elif not isinstance(uid, str) or not UID_RE.match(uid):
            findings.append(index.finding(
                Severity.ERROR, "identity.uid-format",
                f"{uid!r} is not a DHIS2 UID (11 characters, a letter then letters or digits)",
                obj, "id"))
    for obj in index.objects:
        if obj.parent is not None and isinstance(obj.uid, str) and not UID_RE.match(obj.uid):
            findings.append(index.finding(
                Severity.ERROR, "identity.uid-format",
                f"{obj.uid!r} is not a DHIS2 UID", obj, "id"))
    for uid, objs in index.by_uid.items():
        tops = [o for o in objs if o.parent is None]
        if len(tops) > 1:
            types = ", ".join(sorted({o.plural for o in tops}))
            for obj in tops[1:]:
                findings.append(index.finding(
                    Severity.ERROR, "identity.duplicate-uid",
                    f"UID {uid} is used by {len(tops)} objects ({types}); DHIS2 keeps one",
                    obj, "id"))
    return findings


def _codes(index: PackageIndex, *, strict: bool) -> list[Finding]:
    findings: list[Finding] = []
    by_type: dict[tuple[str, str], list[Obj]] = defaultdict(list)
    for obj in index.top_level():
        code = obj.data.get("code")
        if code is None or obj.uid in DEFAULT_CATEGORY_UIDS:
            continue
        if not isinstance(code, str) or not code:
            findings.append(index.finding(Severity.ERROR, "identity.code-format",
                                          "code is empty or not text", obj, "code"))
            continue
        pattern = OPTION_CODE_RE if obj.type == "option" else CODE_RE
        if (strict or obj.type in CODE_PRACTICE_TYPES) and not pattern.match(code):
            allowed = "A-Z, 0-9, _ (and - . | for options)" if obj.type == "option" else "A-Z, 0-9 and _"
            rule = ("[ALL-MQ-18]" if obj.type in CODE_PRACTICE_TYPES
                    else "(a house rule of this project's package)")
            findings.append(index.finding(
                Severity.ERROR if strict else Severity.WARNING, "identity.code-format",
                f"code {code!r} has characters outside {allowed} {rule}", obj, "code"))
        # option codes are unique within their option set, other codes per type
        scope = (ref_id(obj.data.get("optionSet")) or "") if obj.type == "option" else ""
        by_type[(f"{obj.type}:{scope}", code)].append(obj)
    for (scope, code), objs in by_type.items():
        if len(objs) > 1:
            where = "option set" if scope.startswith("option:") else "type"
            for obj in objs[1:]:
                findings.append(index.finding(
                    Severity.ERROR, "identity.duplicate-code",
                    f"code {code!r} is also used by {objs[0].label!r} [{objs[0].uid}] of the "
                    f"same {where} (E5003)", obj, "code"))
    return findings


def _names(index: PackageIndex, release: str | None) -> list[Finding]:
    findings: list[Finding] = []
    for prop in ("name", "shortName"):
        groups: dict[tuple[str, str], list[Obj]] = defaultdict(list)
        for obj in index.top_level():
            value = obj.data.get(prop)
            if isinstance(value, str) and value and obj.type not in ("option", "programRuleVariable"):
                scope = "".join(ref_id(obj.data.get(key)) or "" for key in SCOPES.get(obj.type, ()))
                groups[(obj.type, f"{scope}:{value.strip().casefold()}")].append(obj)
        for (type_name, _), objs in groups.items():
            if len(objs) < 2:
                continue
            unique = prop in _unique_properties(type_name, release)
            for obj in objs[1:]:
                findings.append(index.finding(
                    Severity.ERROR if unique else Severity.WARNING,
                    "identity.duplicate-name",
                    f"{prop} {obj.data.get(prop)!r} is also used by [{objs[0].uid}]"
                    + (" (DHIS2 refuses it: E5003)" if unique else "; people cannot tell them apart"),
                    obj, prop))
    # option names must differ within an option set: a phone shows names only
    groups_o: dict[tuple[str, str], list[Obj]] = defaultdict(list)
    for obj in index.of_type("option"):
        name = obj.data.get("name")
        if isinstance(name, str):
            groups_o[(ref_id(obj.data.get("optionSet")) or "", name.strip().casefold())].append(obj)
    for objs in groups_o.values():
        for obj in objs[1:]:
            findings.append(index.finding(
                Severity.WARNING, "identity.duplicate-name",
                f"option name {obj.data.get('name')!r} appears twice in the same option set",
                obj, "name"))
    return findings


def _generic_lengths(index: PackageIndex) -> list[Finding]:
    from scdi.connector.metadata.checks.structure import validator_for

    findings: list[Finding] = []
    for obj in index.top_level():
        if validator_for(obj.type) is not None:
            continue  # the JSON Schema has the type's own limits
        for prop, limit in GENERIC_LIMITS.items():
            value = obj.data.get(prop)
            if isinstance(value, str) and len(value) > limit:
                findings.append(index.finding(
                    Severity.ERROR, "identity.length",
                    f"{len(value)} characters, DHIS2's limit is {limit} (E4001)", obj, prop))
    return findings
