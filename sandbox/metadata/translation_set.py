"""An object's `translations` as DHIS2 holds them: a `HashSet<Translation>`.

`BaseIdentifiableObject#translations` is a `Set<Translation>` (2.41.9, 2.42.5, 2.43.1), read by
Jackson into a new HashSet on import and again from the database (`jblTranslations`:
`hibernate/jsonb/type/JsonSetBinaryType.java`, a `Set` collection type, NON_NULL). Two
translations are one when locale, property and value are equal (`Translation#equals`), and the
set is walked (by TranslationsCheck, and when the object is written) in bucket order of
`Translation#hashCode`, `Objects.hash(locale, property, value)`. Each translation keeps only
its three properties; Jackson reads a scalar given for one of them as its text.
"""

from __future__ import annotations

import json
from typing import Any

from scdi.sandbox.core import java_hash

_FIELDS = ("locale", "property", "value")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _key(translation: dict[str, str]) -> tuple[str | None, ...]:
    return tuple(translation.get(field) for field in _FIELDS)


def as_set(given: Any) -> list[dict[str, str]]:
    read = [{field: _text(t[field]) for field in _FIELDS if t.get(field) is not None}
            for t in given if isinstance(t, dict)] if isinstance(given, list) else []
    return java_hash.hash_set_order(
        read, hash_code=lambda t: java_hash.objects_hash(*_key(t)), key=_key)
