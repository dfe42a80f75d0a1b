"""Payload objects into requests bounded by count and bytes.

DHIS2 advises imports well under its request limit, and the connector's goal is about 500
tracked entities (each with its enrollment) and well under 5 MB per request; events, small and
flat, are bounded by bytes alone, so a year of a group's records is a few requests, not
hundreds. One object's size is measured once (its JSON), so cutting costs nothing more than the
serialisation the request needs anyway.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

MAX_OBJECTS = 500  # tracked entities per request
MAX_BYTES = 3 * 1024 * 1024 + 512 * 1024
_ENVELOPE = 64  # `{"trackedEntities":[…],"events":[…]}` and commas


def size_of(obj: dict[str, Any]) -> int:
    return len(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")) + 1


@dataclass
class Batch:
    tracked_entities: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    items: list[Any] = field(default_factory=list)  # what each object came from, for the report
    bytes: int = _ENVELOPE

    def __len__(self) -> int:
        return len(self.tracked_entities) + len(self.events)

    def fits(self, kind: str, size: int, max_objects: int = MAX_OBJECTS, max_bytes: int = MAX_BYTES) -> bool:
        if len(self) == 0:
            return True
        if kind == "trackedEntities" and len(self.tracked_entities) >= max_objects:
            return False
        return self.bytes + size <= max_bytes

    def add(self, kind: str, obj: dict[str, Any], item: Any, size: int) -> None:
        (self.tracked_entities if kind == "trackedEntities" else self.events).append(obj)
        self.items.append(item)
        self.bytes += size

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {}
        if self.tracked_entities:
            body["trackedEntities"] = self.tracked_entities
        if self.events:
            body["events"] = self.events
        return body
