"""Write sandbox/data/not_null/<tag>.json: the not-null properties of every registered type's
Hibernate mapping at one dhis2-core tag, in the order the entity persister holds them.

    python scripts/not_null_columns.py --repo /path/to/dhis2-core.git 2.41.9 2.42.5 2.43.1

Reads each `*.hbm.xml` (`&identifiableProperties;` expanded) of the types of
`sandbox/data/schema_registry/<tag>.json`. A property is not null when its element or every
one of its `<column>`s says `not-null="true"` (Hibernate's `Property#isOptional` is false, so
`Nullability#checkNullability` refuses a null). The order is the mapping's: a `<subclass>`
after its parent's properties, the elements in document order, through `natural-id`, `join`
and `properties` groupings. Collections and components are left out (a null collection is no
column; a component's columns are checked one level down). Classes mapped by JPA annotations
are left out: their nullability is not read here.
"""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from schema_properties import _COLLECTION_TAGS, _flatten, hbm_roots
from schema_registry import Source, write_tags

OUT = Path(__file__).resolve().parent.parent / "sandbox" / "data" / "not_null"
REGISTRY = Path(__file__).resolve().parent.parent / "sandbox" / "data" / "schema_registry"
_SUBCLASSES = ("subclass", "joined-subclass", "union-subclass")
_SKIPPED = {"id", "composite-id", "discriminator", "version", "component", "dynamic-component",
            *_COLLECTION_TAGS, *_SUBCLASSES}


def _not_null(element: ET.Element) -> bool:
    if element.get("not-null") == "true":
        return True
    columns = element.findall("column")
    return bool(columns) and all(c.get("not-null") == "true" for c in columns)


def mappings(src: Source, listing: list[str]) -> dict[str, list[str]]:
    """class -> its not-null Hibernate property names, in persister order."""
    out: dict[str, list[str]] = {}
    for root in hbm_roots(src, listing):
        package = root.get("package")

        def walk(element: ET.Element, inherited: list[str],
                 package: str | None = package) -> None:
            name = element.get("name") or ""
            if package and "." not in name:
                name = f"{package}.{name}"
            names = [*inherited, *(child.get("name") or "" for child in _flatten(element)
                                   if child.tag not in _SKIPPED and child.get("name")
                                   and _not_null(child))]
            out[name] = names
            for child in element:
                if child.tag in _SUBCLASSES:
                    walk(child, names, package)
        for cls in root.findall("class"):
            walk(cls, [])
    return out


def tag_file(repo: str, tag: str) -> dict[str, Any]:
    src = Source(repo, tag)
    listing = subprocess.run(["git", "-C", repo, "ls-tree", "-r", "--name-only", tag],
                             check=True, capture_output=True, text=True).stdout.split()
    found = mappings(src, listing)
    types = json.loads((REGISTRY / f"{tag}.json").read_text(encoding="utf-8"))["types"]
    out: dict[str, Any] = {}
    for singular, info in sorted(types.items()):
        klass = info["klass"]
        if klass in found:
            out[singular] = {"klass": klass, "notNull": found[klass]}
    return {
        "_about": (
            f"Not-null properties of the Hibernate mapping (*.hbm.xml) of every type of "
            f"schema_registry/{tag}.json at dhis2-core tag {tag}, in persister order (Hibernate "
            "property names). Written by scripts/not_null_columns.py."),
        "tag": tag,
        "types": out,
    }


def main(argv: list[str]) -> int:
    return write_tags(argv, __doc__ or "", OUT, tag_file, lambda data: f"{len(data['types'])} types")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
