"""Metadata as DHIS2's JSON mapper writes it: no null members.

`commons/jackson/config/JacksonObjectMapperConfig#configureMapper` sets the serialization and
the default property inclusion to NON_NULL (2.41.9 :165-166, 2.42.5 and 2.43.1 :173-174), and
`fieldfiltering/FieldFilterService#toObjectNodes` renders every object through a copy of that
mapper (`valueToTree`, 2.41.9 :261-270, 2.42.5 and 2.43.1 :258-271): a property that is null,
or was never set, is left out of `GET /api/{plural}/{uid}`, lists and `/api/metadata`, at any
depth. Items of a list are not properties: they stay, null or not; empty collections and
objects stay too.
"""

from __future__ import annotations

from typing import Any


def non_null(value: Any) -> Any:
    """`value` with every null member of every object in it left out."""
    if isinstance(value, dict):
        return {k: non_null(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [non_null(v) for v in value]
    return value
