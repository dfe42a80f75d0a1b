"""Keeping secrets and personal data out of log lines.

Attribute filters in a query string can carry a member's code or phone number, so request
logs name query parameters but show values only for a short list of harmless ones. urllib3
logs full URLs (query strings included) at DEBUG and on retries; a filter on its loggers
cuts the query string off before any handler sees it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

# Parameters whose values never carry personal data.
SAFE_PARAMS = frozenset(
    {
        "async",
        "atomicMode",
        "fields",
        "identifier",
        "importMode",
        "importReportMode",
        "importStrategy",
        "includeDeleted",
        "orgUnit",
        "orgUnitMode",
        "orgUnits",
        "ouMode",
        "page",
        "pageSize",
        "paging",
        "program",
        "programStage",
        "reportMode",
        "skipSharing",
        "totalPages",
        "trackedEntityType",
        "updatedAfter",
        "updatedBefore",
        "limit",
    }
)
REDACTED = "…"
_URLLIB3_LOGGERS = ("urllib3.connectionpool", "urllib3.util.retry", "urllib3.connection")


def safe_params(params: Mapping[str, Any] | None) -> str:
    """A query-string rendering for logs: harmless values shown, the rest elided."""
    if not params:
        return ""
    parts = [f"{key}={value if key in SAFE_PARAMS else REDACTED}" for key, value in params.items()]
    return "?" + "&".join(parts)


def strip_query(text: str) -> str:
    return text.split("?", 1)[0] + "?" + REDACTED if "?" in text else text


class _StripQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(strip_query(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = strip_query(record.msg) if "%" not in record.msg else record.msg
        return True


_FILTER = _StripQueryStrings()


def install_urllib3_redaction() -> None:
    """Idempotent: adds the query-stripping filter to urllib3's loggers once."""
    for name in _URLLIB3_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
