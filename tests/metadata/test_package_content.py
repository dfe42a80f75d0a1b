"""What the built package holds: identifiers, DHIS2 import rules, integrity, Android limits."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

import pytest

from scdi.connector.metadata.package import EMBEDDED, UID_PATTERN

from .conftest import top_level

CODE = re.compile(r"^[0-9A-Z_]+$")
# What Android Capture parses with valueOf (REQUESTS.md §6.11): anything else fails the sync.
ANDROID_VALUE_TYPES = {
    "TEXT", "LONG_TEXT", "LETTER", "PHONE_NUMBER", "EMAIL", "BOOLEAN", "TRUE_ONLY", "DATE",
    "DATETIME", "TIME", "NUMBER", "UNIT_INTERVAL", "PERCENTAGE", "INTEGER", "INTEGER_POSITIVE",
    "INTEGER_NEGATIVE", "INTEGER_ZERO_OR_POSITIVE", "TRACKER_ASSOCIATE", "USERNAME", "COORDINATE",
    "ORGANISATION_UNIT", "REFERENCE", "AGE", "URL", "FILE_RESOURCE", "IMAGE", "GEOJSON", "MULTI_TEXT",
}  # fmt: skip
# Which object a reference key points at (for checking reference types).
REFERENCE_TYPES = {
    "optionSet": "optionSets",
    "options": "options",
    "dataElement": "dataElements",
    "dataElements": "dataElements",
    "trackedEntityAttribute": "trackedEntityAttributes",
    "trackedEntityAttributes": "trackedEntityAttributes",
    "trackedEntityType": "trackedEntityTypes",
    "program": "programs",
    "programStages": "programStages",
    "programStage": "programStages",
    "programStageSections": "programStageSections",
    "programIndicators": "programIndicators",
    "categoryCombo": "categoryCombos",
    "dataSet": "dataSets",
}


def _all_uids(pkg: dict[str, Any]) -> dict[str, str]:
    uids: dict[str, str] = {}
    for type_name, obj in top_level(pkg):
        uids[obj["id"]] = type_name
        for collection in EMBEDDED.get(type_name, ()):
            for child in obj.get(collection, []):
                uids[child["id"]] = collection
    return uids


def test_every_uid_valid_and_unique(package: dict[str, Any]) -> None:
    seen: Counter[str] = Counter()
    for type_name, obj in top_level(package):
        seen[obj["id"]] += 1
        for collection in EMBEDDED.get(type_name, ()):
            for child in obj.get(collection, []):
                seen[child["id"]] += 1
    assert len(seen) > 300
    assert not [uid for uid, n in seen.items() if n > 1]
    assert not [uid for uid in seen if not UID_PATTERN.match(uid)]


def test_codes_valid_prefixed_and_unique_per_type(package: dict[str, Any]) -> None:
    per_type: dict[str, Counter[str]] = defaultdict(Counter)
    for type_name, obj in top_level(package):
        code = obj.get("code")
        assert isinstance(code, str), f"{type_name} {obj['id']} has no code"
        assert CODE.match(code), code
        assert code.startswith("SCDI_"), code
        per_type[type_name][code] += 1
    duplicates = {t: [c for c, n in counts.items() if n > 1] for t, counts in per_type.items()}
    assert not any(duplicates.values()), duplicates


def test_required_properties_lengths_enums_and_uniqueness(
    package: dict[str, Any], schema_rules: dict[str, Any]
) -> None:
    problems: list[str] = []

    def check(type_name: str, obj: dict[str, Any], where: str) -> None:
        rules = schema_rules[type_name]
        for prop in rules["required"]:
            if obj.get(prop) is None:
                problems.append(f"{where}: missing required {prop}")
        for prop, (low, high) in rules["stringRanges"].items():
            value = obj.get(prop)
            if isinstance(value, str) and value and not low <= len(value) <= high:
                problems.append(f"{where}: {prop} length {len(value)} outside {low}..{high}")
        for prop, allowed in rules["constants"].items():
            if prop in obj and obj[prop] is not None and obj[prop] not in allowed:
                problems.append(f"{where}: {prop}={obj[prop]!r} not one of DHIS2's values")

    for type_name, objects in package.items():
        if type_name == "package":
            continue
        assert type_name in schema_rules, f"no schema rules for {type_name}"
        for obj in objects:
            where = f"{type_name} {obj.get('code')}"
            check(type_name, obj, where)
            for collection in EMBEDDED.get(type_name, ()):
                for child in obj.get(collection, []):
                    check(collection, child, f"{where} → {collection}")
        for prop in schema_rules[type_name]["unique"]:
            values = Counter(str(o[prop]) for o in objects if o.get(prop) is not None)
            problems += [f"{type_name}: {prop} {v!r} not unique" for v, n in values.items() if n > 1]
    assert not problems, "\n".join(problems)


def test_every_reference_resolves_to_the_right_type(package: dict[str, Any], dependencies: dict[str, str]) -> None:
    known = _all_uids(package) | dependencies
    problems: list[str] = []

    def walk(value: Any, key: str, where: str) -> None:
        if isinstance(value, dict):
            if set(value) == {"id"}:
                target = known.get(value["id"])
                expected = REFERENCE_TYPES.get(key)
                if target is None:
                    problems.append(f"{where}.{key}: {value['id']} not found")
                elif expected and target != expected:
                    problems.append(f"{where}.{key}: {value['id']} is a {target}, not {expected}")
                return
            for child_key, child in value.items():
                walk(child, child_key, where)
        elif isinstance(value, list):
            for item in value:
                walk(item, key, where)

    for type_name, obj in top_level(package):
        for key, value in obj.items():
            if key != "id":
                walk(value, key, f"{type_name} {obj['code']}")
    for rel in package["relationshipTypes"]:
        for side in ("fromConstraint", "toConstraint"):
            for attribute in rel[side]["trackerDataView"]["attributes"]:
                if known.get(attribute) != "trackedEntityAttributes":
                    problems.append(f"{rel['code']} {side} view: {attribute}")
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="session")
def dependencies() -> dict[str, str]:
    import json

    from scdi.metadata import root

    document = json.loads((root() / "dependencies.json").read_text(encoding="utf-8"))
    for entry in document["dependencies"]:
        assert entry["why"] and UID_PATTERN.match(entry["uid"])
    return {entry["uid"]: entry["type"] for entry in document["dependencies"]}


def test_default_category_combo_is_declared_not_shipped(package: dict[str, Any], dependencies: dict[str, str]) -> None:
    assert dependencies == {"bjDvmb4bfuf": "categoryCombos"}
    assert "bjDvmb4bfuf" not in {c["id"] for c in package["categoryCombos"]}
    shipped = {c["id"] for c in package["categoryCombos"]}
    users = [o for t, o in top_level(package) if t in ("dataElements", "programs", "dataSets")]
    assert users and all(o["categoryCombo"] == {"id": "bjDvmb4bfuf"} for o in users
                         if o.get("domainType") != "AGGREGATE" or o["code"].startswith("SCDI_TGT_"))
    # Only the officials' aggregate figures are disaggregated, by the package's own combos.
    assert all(o["categoryCombo"]["id"] in shipped | {"bjDvmb4bfuf"} for o in users)


def test_category_option_combos_are_shipped_as_dhis2_generates_them(package: dict[str, Any]) -> None:
    """DHIS2 exports the option combos of every combo (one per combination of the categories'
    options, named by the option names joined with ", "); the package ships them the same way,
    so the aggregate data exchange can name them by code."""
    import itertools

    categories = {c["id"]: c for c in package["categories"]}
    options = {o["id"]: o for o in package["categoryOptions"]}
    by_combo: dict[str, list[dict[str, Any]]] = {}
    for coc in package["categoryOptionCombos"]:
        by_combo.setdefault(coc["categoryCombo"]["id"], []).append(coc)
    for combo in package["categoryCombos"]:
        wanted = {frozenset(p) for p in itertools.product(
            *[[r["id"] for r in categories[c["id"]]["categoryOptions"]] for c in combo["categories"]])}
        got = {frozenset(r["id"] for r in coc["categoryOptions"]) for coc in by_combo.get(combo["id"], [])}
        assert got == wanted, combo["code"]
        for coc in by_combo[combo["id"]]:
            ordered = [o for c in combo["categories"] for o in categories[c["id"]]["categoryOptions"]
                       if o in coc["categoryOptions"]]
            assert coc["name"] == ", ".join(options[o["id"]]["name"] for o in ordered), coc["code"]
    assert len(package["categoryOptionCombos"]) == sum(len(v) for v in by_combo.values())


def test_option_sets(package: dict[str, Any]) -> None:
    options = {o["id"]: o for o in package["options"]}
    owned: set[str] = set()
    for option_set in package["optionSets"]:
        members = [options[ref["id"]] for ref in option_set["options"]]
        assert [o["sortOrder"] for o in members] == list(range(1, len(members) + 1)), option_set["code"]
        assert all(o["optionSet"]["id"] == option_set["id"] for o in members)
        assert all(o["code"].startswith(option_set["code"] + "_") for o in members)
        # Android adds a search box above 15 options; every list here fits a phone without it.
        assert 2 <= len(members) <= 15, option_set["code"]
        owned |= {o["id"] for o in members}
    assert owned == set(options), "options outside any option set"


def test_option_set_users_agree_on_value_type(package: dict[str, Any]) -> None:
    sets = {s["id"]: s for s in package["optionSets"]}
    used: set[str] = set()
    for type_name in ("dataElements", "trackedEntityAttributes"):
        for obj in package[type_name]:
            if "optionSet" in obj:
                assert obj["valueType"] == sets[obj["optionSet"]["id"]]["valueType"], obj["code"]
                assert obj["aggregationType"] == "NONE", obj["code"]
                used.add(obj["optionSet"]["id"])
    assert used == set(sets), "unused option sets"


def test_value_and_aggregation_types(package: dict[str, Any]) -> None:
    for type_name in ("dataElements", "trackedEntityAttributes"):
        for obj in package[type_name]:
            assert obj["valueType"] in ANDROID_VALUE_TYPES, obj["code"]
            if obj["valueType"] in ("TEXT", "LONG_TEXT", "DATE", "ORGANISATION_UNIT", "PHONE_NUMBER"):
                assert obj["aggregationType"] == "NONE", obj["code"]
            if obj["valueType"].startswith("INTEGER") and type_name == "dataElements":
                # Figures that are a state at the end of the month (active members, not relapsed)
                # take the last month of a longer period; everything else adds up.
                stock = obj["domainType"] == "AGGREGATE" and obj["code"].startswith("SCDI_AGG_")
                assert obj["aggregationType"] in (("SUM", "LAST") if stock else ("SUM",)), obj["code"]
    des = {d["code"]: d for d in package["dataElements"]}
    assert des["SCDI_SUP_AMOUNT_VND"]["valueType"] == "INTEGER_ZERO_OR_POSITIVE"
    for code in ("SCDI_INTAKE_RETURN_DATE", "SCDI_REF_DATE_COMPLETED", "SCDI_MTG_NEXT_DATE"):
        assert des[code]["valueType"] == "DATE"
    for code in ("SCDI_MTG_MEMBERS_PRESENT", "SCDI_OUT_CLIENTS_MALE", "SCDI_OUT_INTO_VOLUNTARY"):
        assert des[code]["valueType"] == "INTEGER_ZERO_OR_POSITIVE"


def test_data_elements_live_where_their_domain_says(package: dict[str, Any]) -> None:
    in_stages = {psde["dataElement"]["id"] for s in package["programStages"] for psde in s["programStageDataElements"]}
    in_sets = {dse["dataElement"]["id"] for ds in package["dataSets"] for dse in ds["dataSetElements"]}
    for de in package["dataElements"]:
        if de["domainType"] == "TRACKER":
            assert de["id"] in in_stages and de["id"] not in in_sets, de["code"]
        else:
            assert de["domainType"] == "AGGREGATE"
            assert de["id"] in in_sets and de["id"] not in in_stages, de["code"]
        assert de.get("formName"), f"{de['code']} needs a short formName for the phone form"


def _ordered(items: list[dict[str, Any]]) -> bool:
    return [i["sortOrder"] for i in items] == list(range(1, len(items) + 1))


def test_programs_stages_and_sections_fit_together(package: dict[str, Any]) -> None:
    stages = {s["id"]: s for s in package["programStages"]}
    sections = {s["id"]: s for s in package["programStageSections"]}
    # Kept off the form on purpose (filled by the roster import); see metadata/README.md.
    off_form = {d["id"] for d in package["dataElements"] if d["code"] == "SCDI_ATT_MEETING_REF"}
    for program in package["programs"]:
        own = [stages[ref["id"]] for ref in program["programStages"]]
        assert all(s["program"]["id"] == program["id"] for s in own)
        assert _ordered(sorted(own, key=lambda s: s["sortOrder"])), program["code"]
        if program["programType"] == "WITHOUT_REGISTRATION":
            assert len(own) == 1 and "trackedEntityType" not in program
            assert not program.get("programTrackedEntityAttributes")
        for stage in own:
            psdes = stage["programStageDataElements"]
            assert _ordered(psdes), stage["code"]
            assert all(p["programStage"]["id"] == stage["id"] for p in psdes)
            own_sections = [sections[ref["id"]] for ref in stage["programStageSections"]]
            assert own_sections, f"{stage['code']} has no sections (Android shows sections per stage)"
            assert _ordered(sorted(own_sections, key=lambda s: s["sortOrder"])), stage["code"]
            placed = [d["id"] for s in own_sections for d in s["dataElements"]]
            assert len(placed) == len(set(placed)), f"{stage['code']}: a field in two sections"
            assert set(placed) | off_form >= {p["dataElement"]["id"] for p in psdes}, stage["code"]
            assert set(placed) <= {p["dataElement"]["id"] for p in psdes}, stage["code"]
            assert all(s["programStage"]["id"] == stage["id"] for s in own_sections)
    assert {s["programStage"]["id"] for s in sections.values()} <= set(stages)
    assert not [s for s in package["programs"] if s.get("dataEntryForm")], "no custom forms"
    assert not [s for s in package["programStages"] if s.get("dataEntryForm")], "no custom forms"


def test_member_program(package: dict[str, Any]) -> None:
    program = next(p for p in package["programs"] if p["code"] == "SCDI_MEMBER")
    tets = {t["id"]: t for t in package["trackedEntityTypes"]}
    assert program["accessLevel"] == "PROTECTED"
    assert program["programType"] == "WITH_REGISTRATION"
    assert tets[program["trackedEntityType"]["id"]]["code"] == "SCDI_PERSON"
    assert program["featureType"] == "NONE", "no coordinates for members"
    assert program["minAttributesRequiredToSearch"] == 1
    stages = {s["id"]: s for s in package["programStages"]}
    shape = {stages[r["id"]]["code"]: stages[r["id"]]["repeatable"] for r in program["programStages"]}
    assert shape == {
        "SCDI_MEMBER_INTAKE": False,
        "SCDI_MEMBER_ATTENDANCE": True,
        "SCDI_MEMBER_FOLLOWUP": True,
        "SCDI_MEMBER_REFERRAL": True,
        "SCDI_MEMBER_SUPPORT": True,
        "SCDI_MEMBER_EXIT": False,
    }
    attributes = {a["id"]: a for a in package["trackedEntityAttributes"]}
    ptea = {attributes[p["trackedEntityAttribute"]["id"]]["code"]: p for p in program["programTrackedEntityAttributes"]}
    assert _ordered(program["programTrackedEntityAttributes"])
    assert set(ptea) == {
        "SCDI_MEMBER_CODE", "SCDI_MEMBER_SYSTEM_ID", "SCDI_SEX", "SCDI_YEAR_OF_BIRTH",
        "SCDI_SITUATION", "SCDI_ALIAS", "SCDI_PHONE", "SCDI_AGE_BAND",
    }  # fmt: skip
    searchable = {code for code, p in ptea.items() if p["searchable"]}
    assert searchable == {"SCDI_MEMBER_CODE", "SCDI_MEMBER_SYSTEM_ID"}
    assert ptea["SCDI_MEMBER_CODE"]["mandatory"]
    by_code = {a["code"]: a for a in attributes.values()}
    assert by_code["SCDI_MEMBER_CODE"]["unique"] and by_code["SCDI_MEMBER_CODE"]["orgunitScope"]
    assert by_code["SCDI_MEMBER_SYSTEM_ID"]["unique"] and by_code["SCDI_MEMBER_SYSTEM_ID"]["generated"]
    # The enrollment form's sections cover every attribute exactly once.
    own_sections = [s for s in package["programSections"] if s["program"]["id"] == program["id"]]
    placed = [a["id"] for s in own_sections for a in s["trackedEntityAttributes"]]
    assert sorted(placed) == sorted(
        p["trackedEntityAttribute"]["id"] for p in program["programTrackedEntityAttributes"]
    )


def test_no_name_attribute_is_required_anywhere(package: dict[str, Any]) -> None:
    attributes = {a["id"]: a for a in package["trackedEntityAttributes"]}
    name_like = re.compile(r"\b(name|given|family|surname|full name)\b", re.IGNORECASE)
    mandatory = [
        attributes[p["trackedEntityAttribute"]["id"]]
        for program in package["programs"]
        for p in program.get("programTrackedEntityAttributes", [])
        if p["mandatory"]
    ] + [
        attributes[t["trackedEntityAttribute"]["id"]]
        for tet in package["trackedEntityTypes"]
        for t in tet["trackedEntityTypeAttributes"]
        if t["mandatory"]
    ]
    # A group's name is an organisation's name; no person's name is ever mandatory.
    person_names = [a["code"] for a in mandatory if name_like.search(a["name"]) and a["code"] != "SCDI_GROUP_NAME"]
    assert not person_names
    member_program = next(p for p in package["programs"] if p["code"] == "SCDI_MEMBER")
    member_attrs = [
        attributes[p["trackedEntityAttribute"]["id"]] for p in member_program["programTrackedEntityAttributes"]
    ]
    assert not [a["code"] for a in member_attrs if name_like.search(a["name"])]


def test_identifying_attributes_are_confidential_and_never_searched(package: dict[str, Any]) -> None:
    attributes = {a["id"]: a for a in package["trackedEntityAttributes"]}
    identifying = {
        a["id"]
        for a in attributes.values()
        if a["valueType"] in ("PHONE_NUMBER", "EMAIL") or a["code"] in ("SCDI_ALIAS", "SCDI_PHONE")
    }
    assert len(identifying) == 2
    assert all(attributes[uid]["confidential"] for uid in identifying)
    confidential = {uid for uid, a in attributes.items() if a["confidential"]}
    assert confidential == identifying
    for program in package["programs"]:
        for p in program.get("programTrackedEntityAttributes", []):
            if p["trackedEntityAttribute"]["id"] in confidential:
                assert not p["searchable"] and not p["displayInList"] and not p["mandatory"]
    for tet in package["trackedEntityTypes"]:
        assert not {t["trackedEntityAttribute"]["id"] for t in tet["trackedEntityTypeAttributes"]} & confidential


def test_generated_member_code_pattern(package: dict[str, Any]) -> None:
    generated = [a for a in package["trackedEntityAttributes"] if a["generated"]]
    assert [a["code"] for a in generated] == ["SCDI_MEMBER_SYSTEM_ID"]
    (attribute,) = generated
    # TrackedEntityAttributeObjectBundleHook: TEXT only (E4010), exactly one generated segment (E4021);
    # no ORG_UNIT_CODE, so reserving values never depends on org unit codes (REQUESTS.md §6.14).
    assert attribute["valueType"] == "TEXT"
    segments = re.findall(r'"[^"]*"|[A-Z_]+\([^)]*\)', attribute["pattern"])
    assert "+".join(segments).replace(" ", "") == attribute["pattern"].replace(" ", "")
    assert sum(1 for s in segments if s.startswith(("RANDOM(", "SEQUENTIAL("))) == 1
    assert "ORG_UNIT_CODE" not in attribute["pattern"]


def test_peer_group_program(package: dict[str, Any]) -> None:
    program = next(p for p in package["programs"] if p["code"] == "SCDI_GROUP")
    tets = {t["id"]: t["code"] for t in package["trackedEntityTypes"]}
    assert tets[program["trackedEntityType"]["id"]] == "SCDI_PEER_GROUP"
    assert program["onlyEnrollOnce"], "one enrollment per group"
    attributes = {a["id"]: a["code"] for a in package["trackedEntityAttributes"]}
    assert [attributes[p["trackedEntityAttribute"]["id"]] for p in program["programTrackedEntityAttributes"]] == [
        "SCDI_GROUP_CODE", "SCDI_GROUP_NAME", "SCDI_GROUP_KIND", "SCDI_GROUP_SPONSOR", "SCDI_GROUP_FOUNDED",
    ]  # fmt: skip
    (stage,) = [s for s in package["programStages"] if s["program"]["id"] == program["id"]]
    assert stage["code"] == "SCDI_GROUP_MEETING" and stage["repeatable"]
    des = {d["id"]: d["code"] for d in package["dataElements"]}
    codes = {des[p["dataElement"]["id"]] for p in stage["programStageDataElements"]}
    assert codes >= {
        "SCDI_MTG_FACILITATOR", "SCDI_MTG_MEMBERS_PRESENT", "SCDI_MTG_NEW_MEMBERS",
        "SCDI_MTG_FAMILY_PRESENT", "SCDI_MTG_VISITORS", "SCDI_MTG_NEXT_DATE", "SCDI_TOPIC_RELAPSE_PREVENTION",
    }  # fmt: skip
    kinds = next(s for s in package["optionSets"] if s["code"] == "SCDI_GROUP_KIND")
    assert len(kinds["options"]) >= 5


def test_outreach_program_and_targets(package: dict[str, Any]) -> None:
    program = next(p for p in package["programs"] if p["code"] == "SCDI_OUTREACH")
    assert program["programType"] == "WITHOUT_REGISTRATION"
    data_set = next(d for d in package["dataSets"] if d["code"] == "SCDI_TARGETS")
    assert data_set["periodType"] == "Yearly"
    des = {d["id"]: d["code"] for d in package["dataElements"]}
    targets = {des[e["dataElement"]["id"]] for e in data_set["dataSetElements"]}
    assert {"SCDI_TGT_INTO_VOLUNTARY", "SCDI_TGT_COUNSELLING_CONTACTS", "SCDI_TGT_NEW_MEMBERS"} <= targets


def test_member_group_relationship_type(package: dict[str, Any]) -> None:
    (rel,) = package["relationshipTypes"]
    tets = {t["id"]: t["code"] for t in package["trackedEntityTypes"]}
    assert rel["bidirectional"]
    for side, tet in (("fromConstraint", "SCDI_PERSON"), ("toConstraint", "SCDI_PEER_GROUP")):
        assert rel[side]["relationshipEntity"] == "TRACKED_ENTITY_INSTANCE"
        assert tets[rel[side]["trackedEntityType"]["id"]] == tet
    properties = {t["property"] for t in rel["translations"]}
    assert {"RELATIONSHIP_FROM_TO_NAME", "RELATIONSHIP_TO_FROM_NAME"} <= properties


def test_android_enum_values(package: dict[str, Any]) -> None:
    for program in package["programs"]:
        assert program["accessLevel"] in ("OPEN", "AUDITED", "PROTECTED", "CLOSED")
        assert program["featureType"] == "NONE"
    for stage in package["programStages"]:
        assert stage["validationStrategy"] in ("ON_COMPLETE", "ON_UPDATE_AND_INSERT")
        assert stage["featureType"] == "NONE"
    for tet in package["trackedEntityTypes"]:
        for attribute in tet["trackedEntityTypeAttributes"]:
            # The SDK needs both booleans (required_dto_fields.txt, REQUESTS.md §6.12).
            assert isinstance(attribute["displayInList"], bool) and isinstance(attribute["searchable"], bool)
