"""The object an `:owner` / `:persisted` read selects from: the stored object (with its
inverse collections where named), plus what a field named beside the preset computes.

`FieldPathHelper#apply` keeps every named field beside the presets (2.41.9 :67-96, 2.42.5 =
2.43.1 :69-98), and Jackson writes it from the object's getter, so `fields=:owner,displayName`
writes the display name and `:owner,href` the link: `AbstractFullReadOnlyController
#handleLinksAndAccess` generates links for a preset too (`#fieldsContains`: a field starting
with `:`; 2.41.9 :596-624, 2.42.5 :527-546, 2.43.1 :532-551). `:owner,access` writes the
access `FieldFilterService#applyAccess` sets when a path `access` is selected (2.41.9
:537-550, 2.42.5 = 2.43.1 :578-590). The values are those `query.decorate` computes; the
presets themselves still select only the schema's properties (`field_presets.py`).
"""

from __future__ import annotations

from typing import Any

from scdi.sandbox.core import fields as fieldsel
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.metadata import query as mq


def named(selection: fieldsel.Selection) -> set[str]:
    """The fields the request names itself (not a preset, nor one a preset expanded to)."""
    return {f.name for f in selection.fields
            if not f.exclude and f.preset is None and f.name not in fieldsel.ALL_MARKERS}


def source(ctx: Ctx, plural: str, obj: dict[str, Any], inverse: set[str],
           selection: fieldsel.Selection, *, links: bool = True) -> dict[str, Any]:
    """`links` False where no link is generated (the metadata export)."""
    out = mq.release_sharing(ctx, mq.with_inverse(ctx, plural, obj, inverse))
    out = mq.with_embedded_facts(ctx, plural, out)
    missing = named(selection) - set(out)
    if not links:
        missing.discard("href")
    if missing:
        decorated = mq.decorate(ctx, plural, obj, inverse=False)
        out = {**out, **{k: decorated[k] for k in missing if k in decorated}}
    return out
