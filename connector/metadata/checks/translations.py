"""Translations: everything a person reads exists in English (the base value) and Vietnamese.

DHIS2 keeps translations as `{locale, property, value}` with the property in upper snake case
(NAME, SHORT_NAME, FORM_NAME, DESCRIPTION, CONTENT, …; translation/TranslationProperty in
dhis2-core); camelCase property names are accepted too. For our own package a missing `vi`
is an error; for a third-party package the coverage is reported once per locale as INFO.
"""

from __future__ import annotations

import re
from collections import Counter

from scdi.connector.findings import Finding, Severity
from scdi.connector.metadata.index import Obj, PackageIndex

# What a group leader, member or official reads, per type.
USER_FACING: dict[str, tuple[str, ...]] = {
    "dataElement": ("name", "shortName", "formName", "description"),
    "trackedEntityAttribute": ("name", "shortName", "formName", "description"),
    "trackedEntityType": ("name", "description"),
    "option": ("name",),
    "optionSet": ("name",),
    "program": ("name", "shortName", "description", "enrollmentDateLabel", "incidentDateLabel"),
    "programStage": ("name", "description", "executionDateLabel", "dueDateLabel"),
    "programStageSection": ("name", "description"),
    "programSection": ("name", "description"),
    "programRuleAction": ("content",),
    "programIndicator": ("name", "shortName", "description"),
    "relationshipType": ("name", "description", "fromToName", "toFromName"),
    "indicator": ("name", "shortName"),
    "dashboard": ("name",),
    "visualization": ("name",),
    "eventVisualization": ("name",),
    "map": ("name",),
    "categoryOption": ("name", "shortName"),
}
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


# TranslationProperty names that are not simply the property in upper snake case.
SPECIAL_KEYS = {"fromToName": "RELATIONSHIP_FROM_TO_NAME", "toFromName": "RELATIONSHIP_TO_FROM_NAME"}


def translation_key(prop: str) -> str:
    """name → NAME, shortName → SHORT_NAME, fromToName → RELATIONSHIP_FROM_TO_NAME
    (DHIS2's TranslationProperty names)."""
    return SPECIAL_KEYS.get(prop) or _CAMEL.sub("_", prop).upper()


def _has(translated: dict[tuple[str, str], str], locale: str, prop: str) -> bool:
    for key in {translation_key(prop), _CAMEL.sub("_", prop).upper()}:
        value = translated.get((locale, key))
        if value and value.strip():
            return True
    return False


def _translated(obj: Obj) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for item in obj.data.get("translations") or []:
        if isinstance(item, dict) and isinstance(item.get("locale"), str):
            prop = str(item.get("property") or "")
            value = item.get("value")
            key = translation_key(prop) if not prop.isupper() else prop
            out[(item["locale"], key)] = value if isinstance(value, str) else ""
    return out


def missing_translations(obj: Obj, locale: str) -> list[str]:
    """User-facing properties of an object with a base value but no `locale` translation."""
    props = USER_FACING.get(obj.type, ())
    translated = _translated(obj)
    missing = []
    for prop in props:
        base = obj.data.get(prop)
        if isinstance(base, str) and base.strip() and not _has(translated, locale, prop):
            missing.append(prop)
    return missing


def check_translations(index: PackageIndex, *, required: tuple[str, ...] = ("vi",)) -> list[Finding]:
    findings: list[Finding] = []
    for obj in index.objects:
        if obj.type not in USER_FACING:
            continue
        if "name" in USER_FACING[obj.type] and obj.type not in ("programRuleAction",):
            base = obj.data.get("name")
            if not isinstance(base, str) or not base.strip():
                findings.append(index.finding(
                    Severity.ERROR, "translations.base-missing",
                    "no base (English) name", obj, "name"))
        for locale in required:
            for prop in missing_translations(obj, locale):
                findings.append(index.finding(
                    Severity.ERROR, "translations.missing",
                    f"no {locale!r} translation of {prop} ({translation_key(prop)})", obj, prop))
            for (loc, key), value in _translated(obj).items():
                if loc == locale and not value.strip():
                    findings.append(index.finding(
                        Severity.ERROR, "translations.empty",
                        f"the {locale!r} translation of {key} is empty", obj, "translations"))
    return findings


def translation_coverage(index: PackageIndex) -> list[Finding]:
    """One INFO per locale: how many user-facing properties it covers (third-party packages)."""
    total = 0
    covered: Counter[str] = Counter()
    for obj in index.objects:
        props = [p for p in USER_FACING.get(obj.type, ())
                 if isinstance(obj.data.get(p), str) and obj.data[p].strip()]
        total += len(props)
        translated = _translated(obj)
        for locale in {loc for loc, _ in translated}:
            covered[locale] += sum(1 for p in props if _has(translated, locale, p))
    if not total:
        return []
    findings = [
        index.finding(Severity.INFO, "translations.coverage",
                      f"locale {locale!r} translates {count} of {total} user-facing texts")
        for locale, count in sorted(covered.items())
    ]
    if "vi" not in covered:
        findings.append(index.finding(
            Severity.INFO, "translations.coverage",
            f"no Vietnamese ('vi') translations for the {total} user-facing texts"))
    return findings
