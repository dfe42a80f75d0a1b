"""Privacy: what identifies a person is confidential, and the member program is protected.

People in the groups have been through drug treatment; being identified as a member can cost
them work and family. DHIS2 tools: `confidential: true` attributes are encrypted at rest and
left out of analytics (needs `encryption.password` in dhis.conf, else import error E1112);
program access level PROTECTED makes anyone outside the owning org unit "break the glass"
(a reason, audited, 3 hours). A name attribute must never be mandatory: members may register
under their anonymous code only.
"""

from __future__ import annotations

import re

from scdi.connector.findings import Finding, Severity
from scdi.connector.metadata.index import Obj, PackageIndex, ref_id
from scdi.connector.metadata.programs import Model

IDENTIFYING_VALUE_TYPES = {"PHONE_NUMBER", "EMAIL"}
# Words (in codes and English/Vietnamese names) that mark an attribute as identifying.
IDENTIFYING_WORDS = re.compile(
    r"(^|[_\s])(PHONE|MOBILE|EMAIL|ADDRESS|NATIONAL_ID|NATIONALID|ID_NUMBER|CCCD|CMND|PASSPORT|"
    r"FIRST_NAME|FIRSTNAME|LAST_NAME|LASTNAME|SURNAME|FULL_NAME|FULLNAME|GIVEN_NAME|FAMILY_NAME|"
    r"NAME|DOB|DATE_OF_BIRTH|BIRTH_DATE|SỐ ĐIỆN THOẠI|HỌ TÊN|HỌ VÀ TÊN|ĐỊA CHỈ)($|[_\s])",
    re.IGNORECASE,
)
NAME_WORDS = re.compile(r"(^|[_\s])(NAME|FIRST_NAME|LAST_NAME|SURNAME|FULL_NAME|GIVEN_NAME|"
                        r"FAMILY_NAME|HỌ TÊN|HỌ VÀ TÊN)($|[_\s])", re.IGNORECASE)


# Tracked entity types that are not people (a group, a site): their names and phones are not
# personal data.
NOT_A_PERSON = re.compile(r"GROUP|CLUB|TEAM|SITE|FACILITY|ORGANI[SZ]ATION|COMMODITY|ASSET|"
                          r"BUILDING|NHÓM|CÂU LẠC BỘ", re.IGNORECASE)


def is_person_type(tracked_entity_type: Obj) -> bool:
    return not any(NOT_A_PERSON.search(text) for text in _texts(tracked_entity_type))


def person_attributes(index: PackageIndex, model: Model) -> set[str] | None:
    """UIDs of attributes used for people, or None when the package has no entity types."""
    types = index.of_type("trackedEntityType")
    if not types:
        return None
    people = {t.uid for t in types if is_person_type(t)}
    used: set[str] = set()
    for tet in types:
        if tet.uid in people:
            used |= {ref_id(i.get("trackedEntityAttribute")) or ""
                     for i in tet.data.get("trackedEntityTypeAttributes") or [] if isinstance(i, dict)}
    for program in model.programs.values():
        if ref_id(program.program.data.get("trackedEntityType")) in people:
            used |= program.attributes
    return used


def _texts(attribute: Obj) -> list[str]:
    return [v for v in (attribute.data.get("code"), attribute.data.get("name"),
                        attribute.data.get("shortName")) if isinstance(v, str)]


def is_identifying(attribute: Obj) -> bool:
    if attribute.data.get("valueType") in IDENTIFYING_VALUE_TYPES:
        return True
    return any(IDENTIFYING_WORDS.search(text) for text in _texts(attribute))


def is_name(attribute: Obj) -> bool:
    return attribute.data.get("valueType") in {"TEXT", None} and any(
        NAME_WORDS.search(text) for text in _texts(attribute))


def check_privacy(index: PackageIndex, model: Model, *, strict: bool) -> list[Finding]:
    """`strict` for our own package (errors); third-party packages get warnings."""
    severity = Severity.ERROR if strict else Severity.WARNING
    findings: list[Finding] = []
    people = person_attributes(index, model)
    identifying = {a.uid for a in index.of_type("trackedEntityAttribute")
                   if a.uid and is_identifying(a) and (people is None or a.uid in people)}
    for attribute in index.of_type("trackedEntityAttribute"):
        if attribute.uid in identifying and not attribute.data.get("confidential"):
            findings.append(index.finding(
                severity, "privacy.not-confidential",
                "identifies a person but is not confidential: it would be stored unencrypted and "
                "reach analytics", attribute, "confidential"))
    for program in model.programs.values():
        if program.program.data.get("programType") != "WITH_REGISTRATION":
            continue
        uses_identifying = bool(program.attributes & identifying)
        if people is not None and not program.attributes & people:
            continue  # a program about groups or sites, not people
        level = program.program.data.get("accessLevel") or "OPEN"
        if uses_identifying and level not in ("PROTECTED", "CLOSED"):
            findings.append(index.finding(
                severity, "privacy.access-level",
                f"the program holds identifying attributes but its access level is {level}; use "
                "PROTECTED so that searching outside one's own org units is audited",
                program.program, "accessLevel"))
        for item in program.program.data.get("programTrackedEntityAttributes") or []:
            if not isinstance(item, dict):
                continue
            top = index.get(ref_id(item), "programTrackedEntityAttribute")
            full = item if "mandatory" in item or top is None else top.data
            named = index.get(ref_id(full.get("trackedEntityAttribute")), "trackedEntityAttribute")
            if (named is not None and full.get("mandatory") and is_name(named)
                    and (people is None or named.uid in people)):
                findings.append(index.finding(
                    severity, "privacy.mandatory-name",
                    f"name attribute {named.label!r} [{named.uid}] is mandatory; members "
                    "must be able to register with their code only",
                    program.program, "programTrackedEntityAttributes"))
    return findings
