"""`dxf2/importsummary/ImportSummaries.java` (dhis-api at 2.42.5/2.43.1, dhis-service-dxf2 at
2.41.9): summaries added one by one, their counts summed, the status the highest in
`ImportStatus#getOrder`, and the getter-only `total` (imported + updated + deleted + ignored),
which Jackson writes after the field-backed properties."""

from __future__ import annotations

from typing import Any

_ORDER = {"SUCCESS": 0, "WARNING": 1, "ERROR": 2}


def import_summaries(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    counts = {key: sum(s["importCount"][key] for s in summaries)
              for key in ("imported", "updated", "deleted", "ignored")}
    status = max((s["status"] for s in summaries), key=_ORDER.__getitem__, default="SUCCESS")
    return {"responseType": "ImportSummaries", "status": status, **counts,
            "importSummaries": summaries, "total": sum(counts.values())}
