"""Structure: each object against the published JSON Schema of its type.

The schemas in `schemas/` say what DHIS2 2.41's import checks on its own (types, enum
constants, lengths, E4000 required properties); a finding here is what the server would
answer with E4000/E4001 or a 400 on an unreadable value. Length overruns are reported as
identity findings (`identity.length`), since names and codes are what people edit.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from scdi.connector.findings import Finding, Severity
from scdi.connector.metadata.index import NON_OBJECT_KEYS, PackageIndex

SCHEMA_DIR = "schemas"


@cache
def _registry() -> tuple[Registry, dict[str, dict[str, Any]]]:
    folder = files("scdi.connector.metadata").joinpath(SCHEMA_DIR)
    schemas: dict[str, dict[str, Any]] = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".schema.json"):
            schemas[entry.name] = json.loads(entry.read_text("utf-8"))
    registry: Registry = Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=DRAFT202012))
        for name, schema in schemas.items()
    )
    return registry, schemas


@cache
def validator_for(type_name: str) -> Draft202012Validator | None:
    registry, schemas = _registry()
    schema = schemas.get(f"{type_name}.schema.json")
    if schema is None:
        return None
    return Draft202012Validator(schema, registry=registry)


def published_types() -> list[str]:
    return sorted(name.removesuffix(".schema.json") for name in _registry()[1])


def _property_path(error: ValidationError) -> str | None:
    parts = [str(part) for part in error.absolute_path]
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else None
        parts.append(missing or "?")
    return ".".join(parts) if parts else None


def _message(error: ValidationError) -> tuple[str, str]:
    """(check id, readable message) for one schema error."""
    if error.validator == "required":
        return "structure.required", "missing; DHIS2 refuses the object without it (E4000)"
    if error.validator == "maxLength":
        return (
            "identity.length",
            f"{len(str(error.instance))} characters, DHIS2's limit is {error.validator_value} (E4001)",
        )
    if error.validator == "enum":
        values = error.validator_value if isinstance(error.validator_value, list) else []
        allowed = ", ".join(str(v) for v in values)
        return "structure.enum", f"{error.instance!r} is not one of DHIS2's values: {allowed}"
    if error.validator == "pattern" and str(error.validator_value).startswith("^[a-zA-Z]"):
        return "identity.uid-format", (
            f"{error.instance!r} is not a DHIS2 UID (11 characters, a letter then letters or digits)"
        )
    if error.validator == "type":
        return "structure.type", f"{error.instance!r} should be of JSON type {error.validator_value}"
    return "structure.schema", error.message


def check_structure(index: PackageIndex) -> list[Finding]:
    findings: list[Finding] = []
    for key, value in index.package.items():
        if key in NON_OBJECT_KEYS:
            continue
        if not isinstance(value, list):
            findings.append(index.finding(
                Severity.WARNING, "structure.top-level",
                f"top-level key {key!r} is not a list of objects; DHIS2 ignores it",
            ))
    for obj in index.objects:
        if obj.parent is not None:
            continue  # embedded objects are checked through their parent's schema
        validator = validator_for(obj.type)
        if validator is None:
            continue
        for error in validator.iter_errors(obj.data):
            check, message = _message(error)
            if check == "identity.uid-format" and list(error.absolute_path) == ["id"]:
                continue  # the identity checks report an object's own UID
            findings.append(index.finding(Severity.ERROR, check, message, obj, _property_path(error)))
    return findings
