"""How a release reads the metadata schema facts that both the connector (its checks and diff)
and the sandbox (its importer) use: each property as 2.41 has it, with the `in2_42` overlay
applied from 2.42 (a changed fact, or `removed`) and `onlyIn: "2.42"` properties added there."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def properties_for(properties: Mapping[str, dict[str, Any]], *, from_2_42: bool) -> dict[str, dict[str, Any]]:
    """The properties of one type as a release has them; `from_2_42`: the release is 2.42 or later."""
    out: dict[str, dict[str, Any]] = {}
    for key, prop in properties.items():
        if prop.get("onlyIn") == "2.42" and not from_2_42:
            continue
        merged = dict(prop)
        overlay = prop.get("in2_42")
        if from_2_42 and overlay:
            if overlay.get("removed"):
                continue
            merged.update({k: v for k, v in overlay.items() if k != "removed"})
        out[key] = merged
    return out
