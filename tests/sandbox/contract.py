"""Shape comparison for contract tests: same keys, same JSON types, recursively."""

from __future__ import annotations

import json
from typing import Any

from tests.shared_paths import CONTRACT


def example(relative: str) -> Any:
    return json.loads((CONTRACT / relative).read_text(encoding="utf-8"))


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if value is None:
        return "null"
    return type(value).__name__


def shape_differences(expected: Any, actual: Any, path: str = "$", *,
                      allow_extra: bool = False) -> list[str]:
    """Where `actual` differs in shape from `expected` (keys and types; lists compared by
    their first element)."""
    if _kind(expected) != _kind(actual):
        return [f"{path}: expected {_kind(expected)}, got {_kind(actual)}"]
    out: list[str] = []
    if isinstance(expected, dict):
        for key in expected:
            if key not in actual:
                out.append(f"{path}.{key}: missing")
            else:
                out += shape_differences(expected[key], actual[key], f"{path}.{key}",
                                         allow_extra=allow_extra)
        if not allow_extra:
            out += [f"{path}.{key}: unexpected" for key in actual if key not in expected]
    elif isinstance(expected, list) and expected and actual:
        out += shape_differences(expected[0], actual[0], f"{path}[0]", allow_extra=allow_extra)
    return out
