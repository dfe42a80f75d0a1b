#!/usr/bin/env python3
"""Give new metadata objects fixed UIDs and put every source file in canonical form.

Run after adding objects to metadata/src/**.json without an "id" (or with "id": ""), then
review and commit the result. Existing UIDs are never touched: a released UID is permanent.

    .venv/bin/python scripts/metadata_uids.py            # assign and reformat
    .venv/bin/python scripts/metadata_uids.py --check    # exit 1 if anything would change
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from scdi.connector.metadata.package import EMBEDDED, canonical_source_text, new_uid

ROOT = Path(__file__).resolve().parent.parent / "metadata" / "src"


def _fill(objects: list[dict[str, Any]], type_name: str) -> int:
    added = 0
    for obj in objects:
        if not obj.get("id"):
            obj["id"] = new_uid()
            added += 1
        for collection in EMBEDDED.get(type_name, ()):
            for child in obj.get(collection, []) or []:
                if isinstance(child, dict) and not child.get("id"):
                    child["id"] = new_uid()
                    added += 1
    return added


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report files that would change")
    args = parser.parse_args()
    changed: list[str] = []
    for path in sorted(ROOT.rglob("*.json")):
        text = path.read_text(encoding="utf-8")
        ((type_name, objects),) = json.loads(text).items()
        added = _fill(objects, type_name)
        new_text = canonical_source_text(type_name, objects)
        if added or new_text != text:
            changed.append(f"{path.relative_to(ROOT.parent)} ({added} new UIDs)")
            if not args.check:
                path.write_text(new_text, encoding="utf-8")
    for line in changed:
        print(("would change: " if args.check else "updated: ") + line)
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
