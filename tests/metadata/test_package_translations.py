"""Every string a person reads has English (the base value) and Vietnamese (a `vi` translation)."""

from __future__ import annotations

from typing import Any

from .conftest import top_level

# Translatable properties and DHIS2's translation keys (@Translatable in dhis-api:
# BaseIdentifiableObject NAME; BaseNameableObject SHORT_NAME, DESCRIPTION, FORM_NAME;
# Program/ProgramStage labels; RelationshipType RELATIONSHIP_FROM_TO_NAME/_TO_FROM_NAME;
# ProgramRuleAction CONTENT; Indicator NUMERATOR/DENOMINATOR_DESCRIPTION; ValidationRule INSTRUCTION).
TRANSLATION_KEYS = {
    "name": "NAME",
    "shortName": "SHORT_NAME",
    "description": "DESCRIPTION",
    "formName": "FORM_NAME",
    "executionDateLabel": "EXECUTION_DATE_LABEL",
    "dueDateLabel": "DUE_DATE_LABEL",
    "programStageLabel": "PROGRAM_STAGE_LABEL",
    "eventLabel": "EVENT_LABEL",
    "enrollmentDateLabel": "ENROLLMENT_DATE_LABEL",
    "incidentDateLabel": "INCIDENT_DATE_LABEL",
    "enrollmentLabel": "ENROLLMENT_LABEL",
    "followUpLabel": "FOLLOW_UP_LABEL",
    "orgUnitLabel": "ORG_UNIT_LABEL",
    "relationshipLabel": "RELATIONSHIP_LABEL",
    "noteLabel": "NOTE_LABEL",
    "trackedEntityAttributeLabel": "TRACKED_ENTITY_ATTRIBUTE_LABEL",
    "fromToName": "RELATIONSHIP_FROM_TO_NAME",
    "toFromName": "RELATIONSHIP_TO_FROM_NAME",
    "content": "CONTENT",
    "numeratorDescription": "NUMERATOR_DESCRIPTION",
    "denominatorDescription": "DENOMINATOR_DESCRIPTION",
    "instruction": "INSTRUCTION",
}
# A program rule variable's name is an identifier inside expressions, not text for people.
NAME_IS_AN_IDENTIFIER = {"programRuleVariables"}
# Words that are the same in both languages.
SAME_IN_BOTH = {"HIV", "SCDI", "Heroin"}
# How the field writes it (the Vietnamese seed articles): each term must be used somewhere.
FIELD_TERMS = [
    "sinh hoạt nhóm",
    "người hồi gia",
    "cắt cơn",
    "tái nghiện",
    "điều trị Methadone",
    "cai nghiện tự nguyện",
    "cai nghiện bắt buộc",
    "cai nghiện tại cộng đồng",
    "Điểm tư vấn",
    "Câu lạc bộ",
    "nhóm Tự lực",
    "Tổ tư vấn, tiếp cận cộng đồng",
    "đồng đẳng viên",
    "nhà tình nghĩa",
    "học nghề",
    "vay vốn",
    "khách hàng",
    "Chi cục Phòng, chống tệ nạn xã hội",
    "Lao động - Thương binh và Xã hội",
    "hội nghị điểm",
    "người hảo tâm",
]


def _required_translations(type_name: str, obj: dict[str, Any]) -> dict[str, str]:
    """Translation key → English text, for each user-facing property the object has."""
    wanted = {}
    for prop, key in TRANSLATION_KEYS.items():
        if prop == "name" and type_name in NAME_IS_AN_IDENTIFIER:
            continue
        value = obj.get(prop)
        if isinstance(value, str) and value.strip():
            wanted[key] = value
    return wanted


def _vi(obj: dict[str, Any]) -> dict[str, str]:
    return {t["property"]: t["value"] for t in obj.get("translations", []) if t["locale"] == "vi"}


def test_every_user_facing_string_has_vietnamese(package: dict[str, Any]) -> None:
    needed = 0
    missing: list[str] = []
    for type_name, obj in top_level(package):
        vi = _vi(obj)
        for key in _required_translations(type_name, obj):
            needed += 1
            if not vi.get(key, "").strip():
                missing.append(f"{type_name} {obj.get('code')}: {key}")
    coverage = (needed - len(missing)) / needed
    assert needed > 500, "the count covers the whole package"
    assert coverage == 1.0, f"{coverage:.1%} translated; missing:\n" + "\n".join(missing)


def test_no_translation_without_its_english_property(package: dict[str, Any]) -> None:
    orphans = []
    for type_name, obj in top_level(package):
        wanted = _required_translations(type_name, obj)
        for translation in obj.get("translations", []):
            assert set(translation) == {"locale", "property", "value"}
            if translation["property"] not in wanted:
                orphans.append(f"{type_name} {obj.get('code')}: {translation['property']}")
        pairs = [(t["locale"], t["property"]) for t in obj.get("translations", [])]
        assert len(pairs) == len(set(pairs)), f"{obj.get('code')}: a property translated twice"
    assert not orphans, "\n".join(orphans)


def test_vietnamese_is_not_a_copy_of_the_english(package: dict[str, Any]) -> None:
    copies = []
    for type_name, obj in top_level(package):
        vi = _vi(obj)
        for key, english in _required_translations(type_name, obj).items():
            if key == "CONTENT" and obj.get("programRuleActionType") == "ASSIGN" and english.startswith("#{"):
                continue  # the calculated variable an ASSIGN fills, the same in every language
            if vi.get(key) == english and english not in SAME_IN_BOTH:
                copies.append(f"{type_name} {obj.get('code')}: {key} {english!r}")
    assert not copies, "\n".join(copies)


def test_vietnamese_fits_dhis2_lengths(package: dict[str, Any]) -> None:
    for _type_name, obj in top_level(package):
        vi = _vi(obj)
        assert len(vi.get("NAME", "")) <= 230
        assert len(vi.get("SHORT_NAME", "")) <= 50, vi.get("SHORT_NAME")
        if "FORM_NAME" in vi:
            assert 2 <= len(vi["FORM_NAME"]) <= 230


def test_vietnamese_shortnames_are_unique_where_english_must_be(package: dict[str, Any]) -> None:
    # DHIS2 shows translated names in pickers; two equal ones would be indistinguishable.
    for type_name in ("dataElements", "trackedEntityAttributes", "optionSets"):
        for key in ("NAME", "SHORT_NAME"):
            values = [_vi(o)[key] for o in package[type_name] if key in _vi(o)]
            assert len(values) == len(set(values)), f"{type_name} {key}"


def test_vietnamese_uses_the_fields_own_words(package: dict[str, Any]) -> None:
    text = "\n".join(t["value"] for _, obj in top_level(package) for t in obj.get("translations", []))
    lowered = text.lower()
    absent = [term for term in FIELD_TERMS if term.lower() not in lowered]
    assert not absent, absent
