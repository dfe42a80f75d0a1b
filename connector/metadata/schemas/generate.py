"""Regenerate the JSON Schemas in this folder from DHIS2's schema facts.

    python connector/metadata/schemas/generate.py PATH/TO/schema_facts.json

The facts (per type: property JSON keys, types, enum constants, required, lengths, references)
were derived from dhis2/dhis2-core 2.41 (`*.hbm.xml` mappings and `@JsonProperty`/`@Property`
annotations, the same chain `/api/schemas` runs). The schemas keep DHIS2's own rules only:
they accept properties DHIS2 ignores on import (third-party exports carry many), and they do
not require what DHIS2 fills in by default. Not imported at run time; the JSON files are.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from scdi.upstream.schema_facts import properties_for

HERE = Path(__file__).resolve().parent
INT_MAX = 2147483647
UID_PATTERN = "^[a-zA-Z][a-zA-Z0-9]{10}$"
# DHIS2's EmbeddedObject types: imported inside their parent, with their own fields.
EMBEDDED = {
    "programStageDataElement",
    "dashboardItem",
    "programTrackedEntityAttribute",
    "trackedEntityTypeAttribute",
    "analyticsPeriodBoundary",
    "dataSetElement",
    "relationshipConstraint",
}
# References DHIS2 tolerates without the target in the payload (ReferencesCheck skips them).
SKIPPED_REFERENCES = {"createdBy", "lastUpdatedBy", "user"}


def singular_of(klass: str) -> str:
    simple = klass.rsplit(".", 1)[-1]
    return simple[:1].lower() + simple[1:]


def property_schema(name: str, facts: dict[str, Any], known: set[str]) -> dict[str, Any]:
    kind = facts.get("propertyType")
    schema: dict[str, Any] = {}
    if kind == "IDENTIFIER" and name == "id":
        schema = {"type": "string", "pattern": UID_PATTERN}
    elif kind in {"TEXT", "IDENTIFIER", "URL", "EMAIL", "PHONENUMBER", "COLOR", "PASSWORD"}:
        schema = {"type": "string"}
        length = facts.get("length")
        if facts.get("persisted") and isinstance(length, int) and length < INT_MAX:
            schema["maxLength"] = length
    elif kind == "CONSTANT":
        schema = {"type": "string"}
        if facts.get("constants"):
            schema["enum"] = list(facts["constants"])
    elif kind == "BOOLEAN":
        schema = {"type": "boolean"}
    elif kind == "INTEGER":
        schema = {"type": "integer"}
    elif kind == "NUMBER":
        schema = {"type": "number"}
    elif kind == "DATE":
        schema = {"type": "string"}
    elif kind == "REFERENCE":
        target = singular_of(facts.get("klass", ""))
        schema = ({"$ref": f"{target}.schema.json"} if target in EMBEDDED & known
                  else {"type": "object"} if target in EMBEDDED else {"$ref": "#/$defs/reference"})
    elif kind == "COLLECTION":
        item_kind = facts.get("itemPropertyType")
        item_target = singular_of(facts.get("itemKlass", ""))
        items: dict[str, Any] = {}
        if item_kind == "REFERENCE":
            items = ({"$ref": f"{item_target}.schema.json"} if item_target in EMBEDDED & known
                     else {"type": "object"} if item_target in EMBEDDED
                     else {"$ref": "#/$defs/reference"})
        elif item_kind == "CONSTANT" and facts.get("itemConstants"):
            items = {"type": "string", "enum": list(facts["itemConstants"])}
        elif name == "translations":
            items = {"$ref": "#/$defs/translation"}
        elif item_kind == "TEXT":
            items = {"type": "string"}
        schema = {"type": "array"}
        if items:
            schema["items"] = items
    elif kind == "COMPLEX":
        target = singular_of(facts.get("klass", ""))
        schema = {"$ref": f"{target}.schema.json"} if target in EMBEDDED & known else {}
    return schema


def type_schema(type_name: str, facts: dict[str, Any], known: set[str]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for key, prop in sorted(facts["properties"].items()):
        if not prop.get("writable", True) and key != "id":
            continue
        schema = property_schema(key, prop, known)
        if not schema and prop.get("propertyType") != "COMPLEX":
            continue
        properties[key] = schema
        # A JSON key that differs from the schema name (evaluationTime for
        # programRuleActionEvaluationTime) is accepted under both names by DHIS2's exports.
        alias = prop.get("schemaName")
        if alias and alias != key and not prop.get("collection"):
            properties.setdefault(alias, schema)
        if prop.get("e4000") and not prop.get("javaFieldInitializer"):
            required.append(key)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{type_name}.schema.json",
        "title": f"DHIS2 {type_name} (metadata import/export)",
        "description": (
            f"DHIS2 2.41 `{facts['klass']}` as POST /api/metadata accepts it: property types, enum "
            "constants, maximum lengths and properties whose absence DHIS2 reports as E4000. Derived "
            "from dhis2/dhis2-core (" + facts.get("hbmFile", facts.get("javaFile", "")) + ")."
        ),
        "type": "object",
        "required": sorted(required),
        "properties": properties,
        "$defs": {
            "reference": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "string", "pattern": UID_PATTERN}},
            },
            "translation": {
                "type": "object",
                "required": ["locale", "property", "value"],
                "properties": {
                    "locale": {"type": "string", "pattern": "^[A-Za-z_-]+$"},
                    "property": {"type": "string"},
                    "value": {"type": "string"},
                },
            },
        },
    }


# The fact sets index.json carries per release: the 2.41 facts, and the `in2_42` overlay
# (`onlyIn: "2.42"` properties added, `removed` ones dropped) for 2.42 and later. Which DHIS2
# release reads which set is in scdi.upstream.releases (Release.schema_facts).
FACT_SETS = ("2.41", "2.42")
DEFAULT_CLASSES = {"org.hisp.dhis.category.Category", "org.hisp.dhis.category.CategoryOption",
                   "org.hisp.dhis.category.CategoryCombo", "org.hisp.dhis.category.CategoryOptionCombo"}


def properties_in(facts: dict[str, Any], fact_set: str) -> dict[str, dict[str, Any]]:
    """The type's properties as release `fact_set` has them (the overlay applied from 2.42)."""
    return properties_for(facts["properties"], from_2_42=fact_set != "2.41")


def release_facts(facts: dict[str, Any], fact_set: str) -> dict[str, Any]:
    """What one release stores and enforces for a type: the owner properties it persists
    (what an export gives back and an update replaces), the properties whose absence is E4000
    (DefaultSchemaValidator: required, persisted, not a default-class reference, no Java
    default), the unique ones (E5003) and the maximum text lengths (E4001)."""
    props = properties_in(facts, fact_set)
    stored, required, unique, lengths = [], [], [], {}
    for key, prop in sorted(props.items()):
        persisted = bool(prop.get("persisted"))
        if persisted and prop.get("owner"):
            stored.append(key)
        if (prop.get("required") and persisted and not prop.get("javaPrimitive")
                and prop.get("klass") not in DEFAULT_CLASSES
                and prop.get("javaFieldInitializer") in (None, "null")):
            required.append(key)
        if prop.get("unique") and persisted:
            unique.append(key)
        limit = prop.get("max")
        if (persisted and prop.get("propertyType") == "TEXT" and isinstance(limit, int)
                and limit < INT_MAX):
            lengths[key] = limit
    return {"stored": stored, "required": required, "unique": unique, "maxLength": lengths}


def reference_index(facts_by_type: dict[str, Any]) -> dict[str, Any]:
    """plural → singular, for each type which properties point at which type, and what each
    release stores and enforces (`releases`)."""
    index: dict[str, Any] = {"types": {}}
    for type_name, facts in sorted(facts_by_type.items()):
        refs: dict[str, Any] = {}
        for key, prop in sorted(facts["properties"].items()):
            if key in SKIPPED_REFERENCES or not prop.get("persisted"):
                continue
            if prop.get("propertyType") == "REFERENCE":
                refs[key] = {"target": singular_of(prop["klass"]), "collection": False}
            elif prop.get("propertyType") == "COLLECTION" and prop.get("itemPropertyType") == "REFERENCE":
                refs[key] = {"target": singular_of(prop["itemKlass"]), "collection": True}
            elif prop.get("propertyType") == "COMPLEX" and singular_of(prop.get("klass", "")) in EMBEDDED:
                refs[key] = {"target": singular_of(prop["klass"]), "collection": False}
        index["types"][type_name] = {
            "plural": facts.get("plural") or type_name + "s",
            "embedded": type_name in EMBEDDED,
            "unique": sorted(facts.get("uniqueProperties") or []),
            "references": refs,
            "releases": {fact_set: release_facts(facts, fact_set) for fact_set in FACT_SETS},
        }
    return index


def main(facts_path: str) -> None:
    facts_by_type = json.loads(Path(facts_path).read_text(encoding="utf-8"))
    for type_name, facts in facts_by_type.items():
        out = HERE / f"{type_name}.schema.json"
        schema = type_schema(type_name, facts, set(facts_by_type))
        out.write_text(json.dumps(schema, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (HERE / "index.json").write_text(
        json.dumps(reference_index(facts_by_type), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main(sys.argv[1])
