"""Key-by-key comparison of a JSON answer with a reference answer, limited to what a `fields`
selection asks for: the keys the reference has and the answer lacks, and the keys whose JSON
kinds differ (null matches anything: DHIS2 leaves nulls out)."""

from __future__ import annotations

from typing import Any

Selection = dict[str, "Selection | None"]


def parse_fields(text: str) -> Selection:
    """`a,b[c,d[e]]` -> {"a": None, "b": {"c": None, "d": {"e": None}}}."""
    out: Selection = {}
    stack: list[Selection] = [out]
    name = ""
    last: str | None = None
    for char in text + ",":
        if char in ",[]":
            if name:
                stack[-1][name] = None
                last = name
            name = ""
            if char == "[":
                child: Selection = {}
                assert last is not None
                stack[-1][last] = child
                stack.append(child)
            elif char == "]":
                stack.pop()
                last = None
        else:
            name += char
    return out


def kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return {str: "string", list: "array", dict: "object", type(None): "null"}[type(value)]


def merged(items: list[Any]) -> Any:
    """One object holding, for each key, the first non-null value across `items`."""
    dicts = [i for i in items if isinstance(i, dict)]
    if not dicts:
        return items[0] if items else None
    out: dict[str, Any] = {}
    for item in dicts:
        for key, value in item.items():
            if out.get(key) is None:
                out[key] = value
            elif isinstance(out[key], list) and isinstance(value, list):
                out[key] = out[key] + value
    return out


def compare(reference: Any, answer: Any, selection: Selection | None, where: str = "") -> list[str]:
    if reference is None or answer is None:
        return []
    if kind(reference) != kind(answer):
        return [f"{where or '.'}: {kind(answer)} where the SDK's fixture has {kind(reference)}"]
    if isinstance(reference, list):
        sample = merged(answer)
        return [d for item in reference for d in compare(item, sample, selection, f"{where}[]")] if sample else []
    if not isinstance(reference, dict):
        return []
    out = []
    for key, value in reference.items():
        if selection is not None and key not in selection:
            continue  # the SDK does not ask for it
        if key not in answer:
            out.append(f"{where}.{key}: missing")
            continue
        out += compare(value, answer[key], selection.get(key) if selection else None, f"{where}.{key}")
    return sorted(set(out))
